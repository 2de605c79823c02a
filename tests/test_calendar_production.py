"""The Russian production calendar: yearly norms, transferred days and pre-holiday days."""

from __future__ import annotations

from datetime import date, time

import pytest

from leanproc.calendar import Calendar


@pytest.fixture(scope="module")
def ru() -> Calendar:
    cal = Calendar.parse("ru-5x8@Europe/Moscow")
    assert cal is not None
    return cal


# Official norms of working time for a 40-hour week (hours, working days), as published in the
# government's production calendars. 2023-2025 are the figures the rule was derived against; the
# other years check that the pre-holiday rule is not tuned to three years only.
OFFICIAL = {
    2015: (1971, 247),
    2016: (1974, 247),
    2017: (1973, 247),
    2018: (1970, 247),
    2019: (1970, 247),
    2020: (1979, 248),
    2021: (1972, 247),
    2022: (1973, 247),
    2023: (1973, 247),
    2024: (1979, 248),
    2025: (1972, 247),
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_yearly_norm_matches_official_calendar(ru: Calendar, year: int) -> None:
    hours, days = OFFICIAL[year]
    assert ru.working_days(year) == days
    assert ru.working_hours(year) == hours


def test_working_hours_of_a_date_range_includes_both_ends(ru: Calendar) -> None:
    # May 2024: 20 working days, 8 May shortened -> 159 h
    assert ru.working_hours((date(2024, 5, 1), date(2024, 5, 31))) == 159.0
    assert ru.working_hours(("2024-11-02", "2024-11-02")) == 7.0


@pytest.mark.parametrize("day", ["2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01"])
def test_transferred_saturdays_are_working(ru: Calendar, day: str) -> None:
    assert ru.is_working(f"{day}T10:00+03:00")
    assert ru.day_hours(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-30",
        "2024-12-31",
        "2024-04-29",
        "2024-04-30",
        "2024-05-10",
        "2025-11-03",
        "2023-11-06",
        "2025-01-08",
        "2024-05-09",
    ],
)
def test_days_off_are_not_working(ru: Calendar, day: str) -> None:
    assert not ru.is_working(f"{day}T10:00+03:00")
    assert ru.day_hours(date.fromisoformat(day)) == []


@pytest.mark.parametrize(
    ("day", "end"),
    [
        ("2024-11-02", time(17)),  # working Saturday standing in for 30 April, eve of 1 May
        ("2025-11-01", time(17)),  # working Saturday standing in for 3 November, eve of 4 Nov
        ("2024-05-08", time(17)),  # eve of Victory Day
        ("2024-02-22", time(17)),
        ("2023-11-03", time(17)),  # Friday before the 4 November holiday on a Saturday
        ("2024-04-27", time(18)),  # working Saturday followed by transferred days off: full
        ("2024-12-28", time(18)),  # idem before 30-31 December
        ("2023-04-28", time(18)),  # Friday before a weekend that ends in 1 May: full
        ("2023-12-29", time(18)),
        ("2025-05-07", time(18)),  # followed by 8 May, a day off transferred from 23 February
    ],
)
def test_pre_holiday_shortening(ru: Calendar, day: str, end: time) -> None:
    hours = ru.day_hours(date.fromisoformat(day))
    assert hours[0][0] == time(9)
    assert hours[-1][1] == end


def test_without_shortening_pre_holiday_days_are_full() -> None:
    cal = Calendar.parse({"preset": "ru-5x8", "shorten_pre_holiday": False})
    assert cal is not None
    assert cal.working_hours(2024) == 248 * 8
    assert cal.day_hours(date(2024, 11, 2))[-1][1] == time(18)


def test_plain_5x8_ignores_holidays() -> None:
    cal = Calendar.parse("5x8")
    assert cal is not None
    assert cal.is_working("2024-05-09T10:00Z")
    assert not cal.is_working("2024-11-02T10:00Z")
    assert cal.working_days(2024) == 262


def test_exception_wins_over_production_calendar() -> None:
    cal = Calendar.parse(
        {"preset": "ru-5x8", "exceptions": {"2024-05-09": ["10:00-12:00"], "2024-05-08": []}}
    )
    assert cal is not None
    assert cal.day_hours(date(2024, 5, 9)) == [(time(10), time(12))]
    assert cal.day_hours(date(2024, 5, 8)) == []
    assert cal.working_hours((date(2024, 5, 8), date(2024, 5, 9))) == 2.0


def test_six_day_week_shortens_a_saturday_before_a_sunday_holiday() -> None:
    cal = Calendar.parse(
        {"preset": "ru-5x8", "hours": {"sat": ["10:00-15:00"]}, "timezone": "Europe/Moscow"}
    )
    assert cal is not None
    assert cal.day_hours(date(2025, 2, 22)) == [(time(10), time(14))]  # 23 Feb is a Sunday
    assert cal.day_hours(date(2025, 3, 1)) == [(time(10), time(15))]
