"""``arrivals.rate``: the schema (errors, YAML round trip) and the non-homogeneous Poisson arrivals.

Counts are checked against the integrated rate, computed here hour by hour from the factors as
written (not through the library's tables). A count of a Poisson process has standard deviation
sqrt(expected); the tolerance is 4 of them (a false alarm once in ~16,000 seeds), and the seed
is fixed so the test is deterministic.
"""

from __future__ import annotations

import math
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from leanproc import read_bpmn, simulate
from leanproc.errors import ScenarioError
from leanproc.scenario import Scenario

sys.path.insert(0, str(Path(__file__).parent))
from helpers.bpmn_text import chain

ZONE = "Asia/Tomsk"
START = "2024-01-29T00:00"  # a Monday; the run crosses into February
DAYS = 14
RATE = {"base": "12/hour", "weekday": {"sat": 0, "sun": 0.5},
        "hour": {"09-13": 2, "13-14": 0, "14-18": 1, "other": 0.25}, "month": {"feb": 1.5}}
WEEKDAY = {5: 0.0, 6: 0.5}  # as written above; other days 1
MONTH = {2: 1.5}


def _hour_factor(h: int) -> float:
    return 2.0 if 9 <= h < 13 else 0.0 if h == 13 else 1.0 if 14 <= h < 18 else 0.25


def _expected(lo: datetime, hi: datetime, keep=lambda t: True) -> float:
    """Integrated rate over whole local hours in [lo, hi) that `keep` accepts."""
    total, t = 0.0, lo
    while t < hi:
        if keep(t):
            total += 12 * WEEKDAY.get(t.weekday(), 1.0) * _hour_factor(t.hour) * MONTH.get(
                t.month, 1.0)
        t += timedelta(hours=1)
    return total


def _arrivals(rate: dict, seed: int = 7, days: int = DAYS, **extra) -> pd.DatetimeIndex:
    scenario = Scenario.load({"start": START, "timezone": ZONE, "defaults": {"duration": "0min"},
                              "arrivals": {"rate": rate, "horizon": f"{days}d"}, **extra})
    result = simulate(scenario, read_bpmn(chain(["A"])), seed=seed)
    return pd.DatetimeIndex(result.cases["arrival"]).tz_convert(ZONE)


def _within(count: int, expected: float) -> bool:
    return abs(count - expected) <= 4 * math.sqrt(expected)


def test_counts_match_the_integrated_rate() -> None:
    arrivals = _arrivals(RATE)
    lo = datetime(2024, 1, 29)
    hi = lo + timedelta(days=DAYS)
    assert _within(len(arrivals), _expected(lo, hi))
    # and piece by piece: the busy morning hours, the weekdays of February, Sundays
    local = arrivals.tz_localize(None)
    mornings = ((local.hour >= 9) & (local.hour < 13)).sum()
    assert _within(int(mornings), _expected(lo, hi, lambda t: 9 <= t.hour < 13))
    feb = ((local.month == 2) & (local.day_of_week < 5)).sum()
    assert _within(int(feb), _expected(lo, hi, lambda t: t.month == 2 and t.weekday() < 5))
    sundays = (local.day_of_week == 6).sum()
    assert _within(int(sundays), _expected(lo, hi, lambda t: t.weekday() == 6))
    # the rate is constant within an hour: the second half-hours get half the cases
    # (binomial, sd = sqrt(n / 4))
    late = int((local.minute >= 30).sum())
    assert abs(late - len(local) / 2) <= 4 * math.sqrt(len(local) / 4)


def test_zero_rate_hours_get_no_arrivals() -> None:
    local = _arrivals(RATE).tz_localize(None)
    assert len(local) > 1000
    assert not (local.hour == 13).any()  # hour factor 0
    assert not (local.day_of_week == 5).any()  # Saturday factor 0


def test_arrivals_only_while_the_calendar_is_open() -> None:
    # open 09:00-12:30 on weekdays: the 12:00 hour is half open, so it gets half its cases
    rate = {"base": "20/hour"}
    calendar = {"hours": {"mon-fri": ["09:00-12:30"], "sat,sun": "off"}}
    local = _arrivals(rate, calendar=calendar).tz_localize(None)
    minutes = local.hour * 60 + local.minute
    assert ((minutes >= 9 * 60) & (minutes < 12 * 60 + 30)).all()
    assert (local.day_of_week < 5).all()
    assert _within(len(local), 20 * 3.5 * 10)  # 10 weekdays of 3.5 open hours
    assert _within(int((local.hour == 12).sum()), 20 * 0.5 * 10)


def test_a_seed_fixes_the_instants() -> None:
    a, b = _arrivals(RATE, seed=3), _arrivals(RATE, seed=3)
    assert a.equals(b)
    assert not a.equals(_arrivals(RATE, seed=4))


def test_rate_stops_at_cases() -> None:
    scenario = Scenario.load({"start": START, "timezone": ZONE, "defaults": {"duration": "0min"},
                              "arrivals": {"rate": {"base": "5/hour"}, "cases": 40}})
    assert len(simulate(scenario, read_bpmn(chain(["A"])), seed=1).cases) == 40


def test_periods_set_a_level_from_each_date() -> None:
    # the first level (2) also holds before its date, a week at 0, then 4 until the end
    rate = {"base": "1/hour", "periods": {"2024-02-01": 2, "2024-02-05": 0, "2024-02-12": 4}}
    local = _arrivals(rate, days=21).tz_localize(None)
    assert not ((local >= "2024-02-05") & (local < "2024-02-12")).any()
    assert _within(int((local < "2024-02-05").sum()), 2 * 24 * 7)
    assert _within(int((local >= "2024-02-12").sum()), 4 * 24 * 7)


def _problems(rate: object, **arrivals) -> str:
    with pytest.raises(ScenarioError) as err:
        Scenario.load({"arrivals": {"rate": rate, "cases": 5, **arrivals}})
    return str(err.value)


@pytest.mark.parametrize(("rate", "fragment"), [
    ({"base": "5/hour", "wekday": {}}, "arrivals.rate.wekday: unknown key (did you mean "
                                       "'weekday'?)"),
    ({"base": "-5/hour"}, "arrivals.rate.base: the base rate must be above 0"),
    ({"base": "5 an hour"}, "expected a rate such as 6/hour"),
    ({"weekday": {"mon": 1}}, "arrivals.rate.base: missing"),
    ({"base": "5/hour", "hour": {"9": -1}}, "arrivals.rate.hour.9: a factor is a number >= 0"),
    ({"base": "5/hour", "weekday": {"other": 0}}, "arrivals.rate.weekday: every factor is 0"),
    ({"base": "5/hour", "hour": {"09-13": 1, "12": 2}}, "arrivals.rate.hour.12: overlaps"),
    ({"base": "5/hour", "hour": {"13-09": 1}}, "arrivals.rate.hour.13-09: unknown hour"),
    ({"base": "5/hour", "month": {"jun": 1, "foo": 2}}, "arrivals.rate.month.foo: unknown month"),
    ({"base": "5/hour", "periods": {"2024": 1}}, "arrivals.rate.periods.2024: a period starts"),
    ("5/hour", "arrivals.rate: expected a mapping"),
])
def test_schema_errors_name_the_place(rate: object, fragment: str) -> None:
    assert fragment in _problems(rate)


def test_every_problem_at_once() -> None:
    text = _problems({"base": "0/day", "weekday": {"mon": "x"}, "month": {"jan": -2}})
    assert "base" in text and "weekday.mon" in text and "month.jan" in text


def test_rate_and_interarrival_exclude_each_other() -> None:
    scenario = Scenario.load({"start": START, "timezone": ZONE, "arrivals": {
        "rate": {"base": "5/hour"}, "interarrival": "1h", "cases": 5}})
    with pytest.raises(ScenarioError, match="not interarrival and rate"):
        scenario.bind(read_bpmn(chain(["A"])))


def test_yaml_round_trip() -> None:
    scenario = Scenario.load({"start": START, "timezone": ZONE, "arrivals": {
        "rate": {**RATE, "periods": {"2024-01": 1.2, "2024-02-15": 0.7}}, "horizon": "14d"}})
    text = scenario.to_yaml()
    again = Scenario.load(text)
    assert again == scenario
    assert again.arrivals is not None and again.arrivals.rate == scenario.arrivals.rate
    assert "base: 12/hour" in text


def test_local_clock_is_the_scenario_timezone() -> None:
    # the hour factor is read in Asia/Tomsk (UTC+7): 09-10 local is 02-03 UTC
    rate = {"base": "30/hour", "hour": {"09": 1, "other": 0}}
    arrivals = _arrivals(rate)
    utc = arrivals.tz_convert(ZoneInfo("UTC"))
    assert set(utc.hour) == {2}
