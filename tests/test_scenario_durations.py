"""Durations and rates as a scenario writes them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leanproc.errors import ScenarioError
from leanproc.scenario.durations import WORKING_DAY, Duration, parse_duration, parse_rate

H = 3600.0


@pytest.mark.parametrize(
    ("text", "seconds", "working"),
    [
        ("90min", 5400, False),
        ("72h", 72 * H, False),
        ("3d", 3 * 24 * H, False),
        ("1w", 7 * 24 * H, False),
        ("2wd", 2 * 8 * H, True),
        ("4wh", 4 * H, True),
        ("1.5h", 1.5 * H, False),
        ("1,5h", 1.5 * H, False),
        ("30s", 30, False),
        ("2 h", 2 * H, False),
        ("2 working days", 16 * H, True),
        ("45 мин", 2700, False),
        ("PT72H", 72 * H, False),
        ("P1DT2H30M", 24 * H + 2 * H + 1800, False),
        ("PT1.5H", 1.5 * H, False),
        ("P2W", 14 * 24 * H, False),
        ("pt15m", 900, False),
        ("0", 0, False),
        (0, 0, False),
        (timedelta(minutes=5), 300, False),
    ],
)
def test_accepted_forms(text: object, seconds: float, working: bool) -> None:
    d = parse_duration(text, where="x")
    assert d.seconds == pytest.approx(seconds)
    assert d.working is working


def test_number_needs_the_sibling_unit() -> None:
    assert parse_duration(90, where="x", unit="min").seconds == 5400
    assert parse_duration("1.5", where="x", unit="h").seconds == 5400
    d = parse_duration(3, where="x", unit="wd")
    assert (d.seconds, d.working, d.working_days) == (3 * WORKING_DAY, True, 3)


def test_working_days_keep_their_count_for_other_day_lengths() -> None:
    d = parse_duration("2wd", where="x")
    assert d.working_days == 2
    assert d.working_seconds(9 * H) == pytest.approx(18 * H)
    mixed = Duration(seconds=2 * WORKING_DAY + 4 * H, working=True, working_days=2)
    assert mixed.working_seconds(9 * H) == pytest.approx(22 * H)
    assert parse_duration("2wd", where="x", day_length=9 * H).seconds == 18 * H


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (90, "has no unit"),
        ("90", "has no unit"),
        ("-5min", "negative"),
        (-5, "negative"),
        ("3 parsecs", "unknown time unit"),
        ("2m", "ambiguous"),
        ("2 months", "no fixed length"),
        ("P1M", "no fixed length"),
        ("PT", "not an ISO 8601 duration"),
        ("soon", "cannot read"),
        (True, "expected a duration"),
        (None, "expected a duration"),
        ([1, 2], "expected a duration"),
    ],
)
def test_errors_name_the_place_and_show_an_example(value: object, fragment: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_duration(value, where="activities.Approve.duration")
    message = str(info.value)
    assert message.startswith("activities.Approve.duration: ")
    assert fragment in message
    assert any(example in message for example in ("'90min'", "'min'", "unit: min", "'P30D'",
                                                  "'30d'", "'PT72H'", "wd", ">= 0"))


def test_rates() -> None:
    assert parse_rate("3/h", where="x") == (pytest.approx(3 / H), False)
    assert parse_rate("20/d", where="x")[0] == pytest.approx(20 / 86400)
    assert parse_rate("3 per hour", where="x")[0] == pytest.approx(3 / H)
    assert parse_rate(5, where="x", unit="wd") == (pytest.approx(5 / WORKING_DAY), True)
    for bad in ("3", "-3/h", "0/h", "fast"):
        with pytest.raises(ScenarioError, match=r"^arrivals\.rate: "):
            parse_rate(bad, where="arrivals.rate")
