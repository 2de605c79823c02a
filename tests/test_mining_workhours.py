"""Working hours inferred from a log (`leanproc.mining._workhours`): a weekday or an hour is
closed only on evidence, short logs give the same hours every working weekday, thin weekdays
and pools borrow pooled hours, and a daylight-saving shift in a UTC log is named, not guessed.

Fixtures are instants generated here (a seeded generator, uniform over known office hours), so
every expected calendar is the one the instants were drawn from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.corpus import LOGS
from leanproc.mining._workhours import infer_hours

H = 3600
MON, FRI, SAT, SUN = 0, 4, 5, 6


def _office(days: pd.DatetimeIndex, per_day: int, zone: str, *, open_h: float = 9,
            close_h: float = 17, seed: int = 0) -> pd.DatetimeIndex:
    """`per_day` instants uniform over `open_h`..`close_h` local time on each of `days`."""
    rng = np.random.default_rng(seed)
    out = []
    for day in days:
        local = pd.Timestamp(day.date()).tz_localize(zone)
        secs = np.sort(rng.uniform(open_h * H, close_h * H, per_day))
        out.append(local + pd.to_timedelta(secs, unit="s"))
    utc = [d.tz_convert("UTC").tz_localize(None).to_numpy() for d in out]
    return pd.DatetimeIndex(np.concatenate(utc)).tz_localize("UTC")


def _workdays(start: str, weeks: int) -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=5 * weeks)


def test_one_monday_gives_the_same_hours_every_working_weekday():
    # The case: one Monday of log, 09:00-14:46. Closing Tuesday..Friday because the log
    # never reached them would defer every arrival after 14:00 by a week.
    monday = pd.DatetimeIndex([pd.Timestamp("2024-03-04")])
    times = _office(monday, 40, "UTC", open_h=9, close_h=14 + 46 / 60)
    hours = infer_hours(times, "UTC")
    assert sorted(hours.weekly) == [0, 1, 2, 3, 4]  # Monday to Friday, no weekend
    assert len(set(hours.weekly.values())) == 1  # the same hours every working weekday
    start, end = hours.weekly[MON]
    assert start <= 9 * H and end >= 15 * H  # the day's span, its last minutes included
    assert any("shorter than a week" in n for n in hours.notes)


def test_a_weekday_is_closed_only_when_its_silence_is_unlikely():
    # Two weeks, Monday to Thursday busy, nothing on Fridays. At 1 instant a day, two quiet
    # Fridays are expected by luck once in e^-2 ~ 14 % of logs: Friday stays open. At 20 a day,
    # 40 instants were expected: Friday is closed.
    days = _workdays("2024-03-04", 2)
    no_friday = days[days.day_of_week != FRI]
    sparse = infer_hours(_office(no_friday, 1, "UTC"), "UTC")
    busy = infer_hours(_office(no_friday, 20, "UTC"), "UTC")
    assert FRI in sparse.weekly
    assert FRI not in busy.weekly
    assert SAT not in busy.weekly and SAT not in sparse.weekly  # no weekend without evidence


def test_a_sparse_hour_at_the_edge_is_not_closed():
    # 12 instants over 09:00-15:00 (2 an hour): an empty 15:00-16:00 is a 1-in-7 chance
    # (e^-2), so the span reaches past 16:00. 600 instants (100 an hour) make the same silence
    # impossible by luck: the span ends at 15:00.
    days = _workdays("2024-03-04", 2)
    few = infer_hours(_office(days[:4], 3, "UTC", open_h=9, close_h=15), "UTC")
    many = infer_hours(_office(days, 60, "UTC", open_h=9, close_h=15), "UTC")
    assert few.weekly[MON][1] >= 16 * H
    assert many.weekly[MON] == (9 * H, 15 * H)


def test_a_thin_weekday_takes_the_hours_pooled_over_the_others():
    # Six weeks; Fridays only 10 instants in all, between 10:00 and 12:00. Too few to say the
    # office opens at 10 on Fridays: Friday gets the hours of the other weekdays.
    days = _workdays("2024-03-04", 6)
    rest = _office(days[days.day_of_week != FRI], 20, "UTC")
    fridays = _office(days[days.day_of_week == FRI][:5], 2, "UTC", open_h=10, close_h=12)
    hours = infer_hours(rest.append(fridays), "UTC")
    assert hours.weekly[FRI] == hours.weekly[MON] == (9 * H, 17 * H)


def test_a_pool_follows_the_office_week_where_its_own_instants_cannot_tell():
    # The office works Monday to Saturday; a pool seen for one week at 3 instants a day has no
    # Saturday instant, and one Saturday at that rate proves nothing: it keeps the office's
    # Saturday (Sunday stays closed, as in the office). Alone, the usual week closes Saturday.
    office_days = pd.date_range("2024-03-04", periods=42, freq="D")
    office_days = office_days[office_days.day_of_week != SUN]
    office = infer_hours(_office(office_days, 30, "UTC"), "UTC")
    assert sorted(office.weekly) == [0, 1, 2, 3, 4, 5]
    pool_times = _office(_workdays("2024-03-11", 1), 3, "UTC")
    assert sorted(infer_hours(pool_times, "UTC", fallback=office).weekly) == [0, 1, 2, 3, 4, 5]
    assert sorted(infer_hours(pool_times, "UTC").weekly) == [0, 1, 2, 3, 4]


def _berlin_office_in_utc(per_day: int) -> pd.DatetimeIndex:
    # Eight weeks around the EU change of 2024-03-31 (three before, five after), office
    # 09:00-17:00 Berlin time.
    return _office(_workdays("2024-03-11", 8), per_day, "Europe/Berlin")


def test_dst_shift_in_a_utc_log_is_named_and_not_guessed():
    hours = infer_hours(_berlin_office_in_utc(60), "UTC")
    assert hours.weekly[MON] == (7 * H, 15 * H)  # summer (the commonest regime) in UTC
    assert {d.isoformat()[:7] for d in hours.special} == {"2024-03"}  # the winter weeks
    assert hours.clock_shift == H
    (note,) = [n for n in hours.notes if "daylight" in n or "summer time" in n]
    assert "EU summer time" in note and "timezone=" in note
    assert "Europe/Berlin" in note  # an example in the list, not a zone applied:
    assert hours.timezone == "UTC"
    local = infer_hours(_berlin_office_in_utc(60), "Europe/Berlin")
    assert local.weekly[MON] == (9 * H, 17 * H) and not local.special and not local.notes


def test_hours_that_move_away_from_a_clock_change_get_no_dst_note():
    # The same office moving its hours one hour earlier in May (summer hours): a change of
    # hours, but not on the week of any clock change.
    days = _workdays("2024-04-15", 8)
    before = _office(days[days < "2024-05-13"], 60, "UTC", open_h=9, close_h=17)
    after = _office(days[days >= "2024-05-13"], 60, "UTC", open_h=8, close_h=16, seed=1)
    hours = infer_hours(before.append(after), "UTC")
    assert hours.special  # the regimes are found ...
    assert not hours.notes  # ... but no daylight saving is claimed


def test_a_sparse_pool_reads_the_office_clock_shift():
    # A pool seen 4 times a day cannot find the regimes itself (too few instants a week);
    # without the office's shift its hours would cover both clocks (07:00-16:00 UTC).
    office = infer_hours(_berlin_office_in_utc(60), "UTC")
    pool_times = _office(_workdays("2024-03-11", 8), 4, "Europe/Berlin", seed=3)
    alone = infer_hours(pool_times, "UTC")
    pool = infer_hours(pool_times, "UTC", fallback=office)
    assert alone.weekly[MON][0] < 8 * H and alone.weekly[MON][1] >= 16 * H
    assert pool.weekly[MON][0] >= 7 * H and pool.weekly[MON][1] <= 15 * H + 1800
    assert pool.special.keys() == office.special.keys() and pool.clock_shift == H


def test_a_log_of_dates_only_has_no_hours():
    days = pd.date_range("2024-03-01", periods=30, freq="D", tz="Europe/Berlin")
    hours = infer_hours(pd.DatetimeIndex(list(days) * 3).tz_convert("UTC"), "UTC")
    assert hours.round_the_clock and hours.spec() is None
    assert any("dates" in n for n in hours.notes)


def test_calibrating_one_day_opens_arrivals_every_working_weekday():
    from leanproc.bpmn.builder import ModelBuilder
    from leanproc.mining import calibrate

    b = ModelBuilder("one day")
    start, a, z, end = b.start("in"), b.task("a"), b.task("z"), b.end("out")
    b.sequence(start, a, z, end)
    model = b.build()
    rng = np.random.default_rng(5)
    arrivals = pd.Timestamp("2024-03-04 09:00", tz="UTC") + pd.to_timedelta(
        np.sort(rng.uniform(0, 5.5 * H, 30)), unit="s")
    rows = []
    for i, t0 in enumerate(arrivals):
        t1 = t0 + pd.Timedelta(minutes=10)
        rows += [{"case:concept:name": f"c{i}", "concept:name": "a", "start_timestamp": t0,
                  "time:timestamp": t1, "org:resource": "ann"},
                 {"case:concept:name": f"c{i}", "concept:name": "z", "start_timestamp": t1,
                  "time:timestamp": t1 + pd.Timedelta(minutes=5), "org:resource": "bob"}]
    fitted = calibrate(model, pd.DataFrame(rows))
    assert fitted.arrivals["working"]  # arrivals follow the inferred hours ...
    days = fitted.scenario.calendars["work"]["hours"]
    assert sorted(days) == ["fri", "mon", "thu", "tue", "wed"]  # ... open every weekday
    assert any("shorter than a week" in n for n in fitted.notes)


def test_dst_note_reaches_the_calibration_notes():
    from leanproc.bpmn.builder import ModelBuilder
    from leanproc.mining import calibrate

    b = ModelBuilder("office")
    start, a, end = b.start("in"), b.task("a"), b.end("out")
    b.sequence(start, a, end)
    times = _berlin_office_in_utc(60)
    log = pd.DataFrame({"case:concept:name": [f"c{i}" for i in range(len(times))],
                        "concept:name": "a", "time:timestamp": times,
                        "start_timestamp": times - pd.Timedelta(minutes=1),
                        "org:resource": "ann"})
    fitted = calibrate(b.build(), log)
    assert any("EU summer time" in n for n in fitted.notes)
    in_berlin = calibrate(b.build(), log, timezone="Europe/Berlin")
    assert not any("summer time" in n for n in in_berlin.notes)
    assert "exceptions" not in in_berlin.scenario.calendars["work"]


@pytest.mark.skipif(not (LOGS / "LoanApp_simplified_train.csv.gz").is_file(),
                    reason="../shared/corpus is absent")
def test_loanapp_clock_shift_is_noted_and_one_calendar_with_its_clock():
    # LoanApp's timestamps move one hour later on 2023-03-27, the Monday after the EU change:
    # wall-clock times of a European zone, written without an offset, for work kept in UTC.
    from leanproc import calibrate, read_bpmn, read_log

    model = read_bpmn(LOGS / "LoanApp_simplified.resources.bpmn")
    as_written = calibrate(model, read_log(LOGS / "LoanApp_simplified_train.csv.gz"))
    (note,) = [n for n in as_written.notes if "EU summer time" in n]
    assert "2023-03-27" in note and "read_log(" in note
    # every pool on its hours with the same dated shift (the three 07:00-16:00 pools are gone)
    assert all(spec.get("exceptions") for spec in as_written.scenario.calendars.values())
    clock = read_log(LOGS / "LoanApp_simplified_train.csv.gz", timezone="Europe/Madrid")
    local = calibrate(model, clock, timezone="UTC")
    assert set(local.pools["calendar"]) == {"work"}
    assert not any("exceptions" in spec for spec in local.scenario.calendars.values())
