"""Scalar calendar operations: next working instant, adding work, working time, zones."""

from __future__ import annotations

from datetime import date, time, timedelta

import pandas as pd
import pytest

from leanproc.calendar import Calendar, CalendarError


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture(scope="module")
def ru() -> Calendar:
    cal = Calendar.parse("ru-5x8@Europe/Moscow")
    assert cal is not None
    return cal


@pytest.mark.parametrize(
    ("arrival", "done"),
    [
        # an ordinary Friday ends at 18:00: half an hour on Friday, half on Monday
        ("2024-03-15T17:30+03:00", "2024-03-18T09:30+03:00"),
        # Friday before the May holidays (4-5 May weekend, 6 May working)
        ("2024-05-03T17:30+03:00", "2024-05-06T09:30+03:00"),
        # a pre-holiday Friday ends at 17:00: all the work is done on the next working day
        ("2025-03-07T17:30+03:00", "2025-03-10T10:00+03:00"),
        # Friday 3 Nov 2023 (eve of 4 Nov), then 6 Nov off: Tuesday 10:00
        ("2023-11-03T17:30+03:00", "2023-11-07T10:00+03:00"),
        # 8 May 2024 ends at 17:00 (pre-holiday), then 9-12 May off
        ("2024-05-08T17:30+03:00", "2024-05-13T10:00+03:00"),
        ("2024-05-08T16:30+03:00", "2024-05-13T09:30+03:00"),
        # Friday 27 December, then the working Saturday 28 December
        ("2024-12-27T17:30+03:00", "2024-12-28T09:30+03:00"),
        # the working Saturday 28 December (a full day), then 29 Dec - 8 Jan off
        ("2024-12-28T17:30+03:00", "2025-01-09T09:30+03:00"),
        # after hours on the last working day of 2024: New Year holidays, 9 Jan 10:00
        ("2024-12-28T18:30+03:00", "2025-01-09T10:00+03:00"),
        # a weekend in another zone
        ("2025-01-31T17:30+07:00", "2025-02-03T09:30+07:00"),
    ],
)
def test_one_working_hour_after_arrival(ru: Calendar, arrival: str, done: str) -> None:
    cal = ru if "+03:00" in arrival else Calendar.parse("ru-5x8@Asia/Tomsk")
    assert cal is not None
    end = cal.add_working(ts(arrival), timedelta(hours=1))
    assert end == ts(done)
    assert cal.working_time(ts(arrival), end) == pd.Timedelta(hours=1)


def test_friday_evening_arrival_with_one_hour(ru: Calendar) -> None:
    # arriving after the Friday's working time: Monday 10:00
    assert ru.add_working("2024-03-22T18:30+03:00", 3600.0) == ts("2024-03-25T10:00+03:00")
    end = ru.add_working("2024-03-22T17:30+03:00", 3600.0)
    assert end == ts("2024-03-25T09:30+03:00")
    assert str(end.tz) == "Europe/Moscow"


def test_work_ending_with_the_day_returns_the_day_end(ru: Calendar) -> None:
    assert ru.add_working("2024-03-15T17:00+03:00", 3600) == ts("2024-03-15T18:00+03:00")
    assert ru.add_working("2024-03-15T12:00+03:00", 3600) == ts("2024-03-15T13:00+03:00")
    # work that reaches lunch continues after it
    assert ru.add_working("2024-03-15T12:30+03:00", 3600) == ts("2024-03-15T14:30+03:00")


def test_zero_work_returns_the_start(ru: Calendar) -> None:
    assert ru.add_working("2024-03-16T03:00+03:00", 0) == ts("2024-03-16T03:00+03:00")


def test_negative_work_goes_back(ru: Calendar) -> None:
    assert ru.add_working("2024-03-18T10:00+03:00", -7200) == ts("2024-03-15T17:00+03:00")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2024-03-15T18:00+03:00", "2024-03-18T09:00+03:00"),  # Friday end of day
        ("2024-03-15T13:00+03:00", "2024-03-15T14:00+03:00"),  # lunch
        ("2024-03-15T10:15+03:00", "2024-03-15T10:15+03:00"),  # inside working time
        ("2024-05-08T17:00+03:00", "2024-05-13T09:00+03:00"),  # shortened eve of holidays
        ("2024-12-31T12:00+03:00", "2025-01-09T09:00+03:00"),  # New Year
        ("2024-12-27T18:00+03:00", "2024-12-28T09:00+03:00"),  # working Saturday next
    ],
)
def test_next_working(ru: Calendar, when: str, expected: str) -> None:
    assert ru.next_working(when) == ts(expected)


def test_is_working_edges(ru: Calendar) -> None:
    assert ru.is_working("2024-03-15T09:00+03:00")
    assert not ru.is_working("2024-03-15T08:59:59+03:00")
    assert not ru.is_working("2024-03-15T13:00+03:00")
    assert not ru.is_working("2024-03-15T18:00+03:00")
    assert ru.is_working("2024-03-15T17:59:59+03:00")


def test_working_time_is_signed_and_half_open(ru: Calendar) -> None:
    a, b = ts("2024-03-15T12:00+03:00"), ts("2024-03-18T11:00+03:00")
    # Friday 12-13 and 14-18, Monday 9-11
    assert ru.working_time(a, b) == pd.Timedelta(hours=7)
    assert ru.working_time(b, a) == pd.Timedelta(hours=-7)
    assert ru.working_time(a, a) == pd.Timedelta(0)


def test_naive_instants_are_utc(ru: Calendar) -> None:
    assert ru.next_working("2024-03-15T15:00") == ts("2024-03-18T09:00+03:00")


def test_same_wall_hours_in_two_zones_are_different_instants() -> None:
    tomsk = Calendar.parse("ru-5x8@Asia/Tomsk")
    moscow = Calendar.parse("ru-5x8", tz="Europe/Moscow")
    assert tomsk is not None and moscow is not None
    at = ts("2024-03-15T00:00Z")
    t_start, m_start = tomsk.next_working(at), moscow.next_working(at)
    assert t_start.tz_convert("UTC") == ts("2024-03-15T02:00Z")
    assert m_start.tz_convert("UTC") == ts("2024-03-15T06:00Z")
    # 06:30 UTC is 13:30 in Tomsk (lunch) and 09:30 in Moscow (working)
    assert not tomsk.is_working("2024-03-15T06:30Z")
    assert moscow.is_working("2024-03-15T06:30Z")


def test_dst_zone_keeps_local_wall_clock_hours() -> None:
    cal = Calendar.parse("5x8@Europe/Berlin")
    assert cal is not None
    # clocks go forward on Sunday 2024-03-31: 09:00 is 08:00 UTC before, 07:00 UTC after
    assert cal.next_working("2024-03-29T00:00Z").tz_convert("UTC") == ts("2024-03-29T08:00Z")
    assert cal.next_working("2024-04-01T00:00Z").tz_convert("UTC") == ts("2024-04-01T07:00Z")
    # a full week across the change is still 40 working hours
    assert cal.working_time("2024-03-25T00:00+01:00", "2024-04-01T00:00+02:00") == pd.Timedelta(
        hours=40
    )


def test_24x7_in_dst_zone_counts_the_short_day() -> None:
    cal = Calendar.parse("24x7@Europe/Berlin")
    assert cal is not None
    a, b = ts("2024-03-31T00:00+01:00"), ts("2024-04-01T00:00+02:00")
    assert cal.working_time(a, b) == pd.Timedelta(hours=23)
    assert cal.add_working(a, 86_400) == ts("2024-04-01T01:00+02:00")


def test_night_shift_runs_past_midnight() -> None:
    cal = Calendar({4: [(time(22), time(6))]}, tz="UTC")  # Friday night
    assert cal.is_working("2024-03-16T05:00Z")  # Saturday morning, still Friday's shift
    assert cal.add_working("2024-03-15T23:00Z", 3 * 3600) == ts("2024-03-16T02:00Z")
    assert cal.working_hours((date(2024, 3, 11), date(2024, 3, 17))) == 8.0


def test_custom_weekly_and_exceptions() -> None:
    cal = Calendar(
        {0: [("08:00", "12:00")], 2: [(time(8), time(12)), (time(13), time(17))]},
        tz="Europe/Moscow",
        exceptions={date(2024, 3, 13): []},
    )
    # a tie between the 4 h Monday and the 8 h Wednesday goes to the longer day
    assert cal.day_length == 8 * 3600
    assert cal.next_working("2024-03-11T12:00+03:00") == ts("2024-03-18T08:00+03:00")


def test_calendar_without_any_working_time_is_rejected() -> None:
    with pytest.raises(CalendarError, match="no working hours"):
        Calendar({}, tz="UTC")


def test_search_beyond_the_last_working_day_raises_instead_of_looping() -> None:
    # working time only through exceptions in March 2024: nothing after them, ever
    cal = Calendar({}, tz="UTC", exceptions={date(2024, 3, 1): [(time(9), time(10))]})
    assert cal.add_working("2024-02-20T00:00Z", 1800) == ts("2024-03-01T09:30Z")
    with pytest.raises(CalendarError, match="no working time"):
        cal.next_working("2024-03-02T00:00Z")
    with pytest.raises(CalendarError, match="no working time"):
        cal.add_working("2024-02-20T00:00Z", 7200)
    with pytest.raises(CalendarError, match="no working time"):
        cal.timeline("2024-03-02T00:00Z").add(0.0, 60.0)


def test_long_work_spans_many_years() -> None:
    cal = Calendar.parse("ru-5x8", tz="Europe/Moscow")
    assert cal is not None
    start = ts("2024-01-01T00:00+03:00")
    end = cal.add_working(start, (1979 + 1972) * 3600.0)
    assert end == ts("2025-12-30T18:00+03:00")


def test_bad_scalar_inputs() -> None:
    cal = Calendar.parse("5x8")
    assert cal is not None
    with pytest.raises(CalendarError, match="NaT"):
        cal.next_working(pd.NaT)
    with pytest.raises(CalendarError, match="seconds"):
        cal.add_working("2024-01-01", "an hour")
    with pytest.raises(CalendarError, match="period"):
        cal.working_hours(("2024-01-01",))
    with pytest.raises(CalendarError, match="period True"):
        cal.working_days(True)  # a flag is not the year 1
    with pytest.raises(CalendarError, match="between 1680 and 2260"):
        cal.add_working("2024-01-01", 1e12)
    with pytest.raises(CalendarError, match="between 1680 and 2260"):
        cal.timeline("2024-01-01").work_at(1e11)
