"""The YAML forms of distributions and their errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leanproc.errors import ScenarioError
from leanproc.scenario.distributions import (
    Discrete,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Histogram,
    LogNormal,
    Normal,
    Rounded,
    Triangular,
    Uniform,
    parse_distribution,
    read_count,
)
from leanproc.scenario.durations import SpecError

MIN, H = 60.0, 3600.0


def parse(value: object, **kw: object):
    return parse_distribution(value, where="activities.Approve.duration", **kw)


@pytest.mark.parametrize(
    ("value", "cls", "mean"),
    [
        ("90min", Fixed, 90 * MIN),
        ({"fixed": "90min"}, Fixed, 90 * MIN),
        ({"uniform": ["4h", "2d"]}, Uniform, 26 * H),
        ({"triangular": ["5min", "10min", "20min"]}, Triangular, 700.0),
        ({"normal": {"mean": "1h", "sd": "10min"}}, Normal, H),
        ({"lognormal": {"mean": "15min", "sd": "5min"}}, LogNormal, 15 * MIN),
        ({"gamma": {"mean": "1h", "sd": "20min"}}, Gamma, H),
        ({"gamma": {"shape": 2, "scale": "30min"}}, Gamma, H),
        ({"exponential": {"mean": "2h"}}, Exponential, 2 * H),
        ({"exponential": "2h"}, Exponential, 2 * H),
        ({"exponential": {"rate": "3/h"}}, Exponential, 20 * MIN),
        ({"exponential": {"rate": "20/d"}}, Exponential, 86400 / 20),
        ({"exponential": {"rate": 3}, "unit": "h"}, Exponential, 20 * MIN),
        ({"empirical": {"values": ["10min", "20min"]}}, Empirical, 15 * MIN),
        ({"empirical": ["10min", "20min"]}, Empirical, 15 * MIN),
        ({"empirical": {"bins": [0, "1h", "3h"], "weights": [1, 1]}}, Histogram, 1.25 * H),
        ({"discrete": {"1h": 0.5, "3h": 0.5}}, Discrete, 2 * H),
        ({"triangular": [5, 10, 20], "unit": "min"}, Triangular, 700.0),
        ({"uniform": ["PT1H", "PT3H"]}, Uniform, 2 * H),
    ],
)
def test_forms(value: object, cls: type, mean: float) -> None:
    d = parse(value)
    assert type(d) is cls
    assert d.is_time and not d.working
    assert d.mean() == pytest.approx(mean)
    assert d.source == value


def test_unit_min_and_max_siblings() -> None:
    d = parse({"triangular": [5, 10, 20], "unit": "min", "max": "15min", "min": 6})
    assert (d.lo, d.hi) == (6 * MIN, 15 * MIN)
    x = d.sample(np.random.default_rng(1), 10_000)
    assert x.min() >= 6 * MIN and x.max() <= 15 * MIN


def test_working_units_mark_the_distribution_working() -> None:
    d = parse({"uniform": ["1wd", "2wd"]})
    assert d.working and d.uses_working_days
    assert d.mean() == pytest.approx(1.5 * 8 * H)
    nine = d.for_day_length(9 * H)
    assert nine.mean() == pytest.approx(1.5 * 9 * H) and nine.working
    assert nine.for_day_length(9 * H) is nine  # idempotent
    hours = parse({"uniform": ["4wh", "12wh"]})
    assert hours.working and not hours.uses_working_days
    assert hours.for_day_length(9 * H) is hours
    assert parse({"exponential": {"rate": "4/wd"}}).working


def test_mixing_working_and_clock_time_is_an_error() -> None:
    with pytest.raises(ScenarioError, match=r"activities\.Approve\.duration\.uniform\[1\]: mixes"):
        parse({"uniform": ["1wd", "2h"]})
    with pytest.raises(ScenarioError, match=r"duration\.max: mixes working"):
        parse({"uniform": ["1wd", "2wd"], "max": "3d"})


@pytest.mark.parametrize(
    ("value", "place", "fragment"),
    [
        ({"uniform": [1, 2]}, "uniform[0]", "has no unit"),
        ({"uniform": ["2h", "1h"]}, "", "above the second"),
        ({"triangular": ["5min", "1min", "20min"]}, "", "min <= mode <= max"),
        ({"triangular": ["5min", "20min"]}, "triangular", "list of 3"),
        ({"normal": {"mean": "1h"}}, "normal.sd", "missing"),
        ({"normal": {"mean": "1h", "sd": "5min", "var": 2}}, "normal", "unknown key 'var'"),
        ({"lognormal": {"mu": 2.7, "sigma": 0.3}}, "lognormal", "add the unit"),
        ({"exponential": {"mean": "1h", "rate": "1/h"}}, "exponential", "exactly one"),
        ({"exponential": {"rate": "3"}}, "exponential.rate", "cannot read"),
        ({"poisson": {"mean": 2}}, "", "unknown key 'poisson'"),
        ({"uniform": ["1h", "2h"], "normal": {"mean": "1h", "sd": "1min"}}, "", "exactly one"),
        ({"min": "1h"}, "", "exactly one"),
        ([1, 2], "", "a list is not a distribution"),
        ({"discrete": {"1h": 0.5, "2h": 0.4}}, "", "sum to 0.9"),
        ({"empirical": {"values": []}}, "empirical.values", "non-empty"),
        ({"empirical": {"bins": [0, "1h"], "weights": [1, 2]}}, "", "need 1 weights"),
        ({"uniform": ["1h", "2h"], "unit": "none"}, "unit", "plain numbers"),
        ({"uniform": ["1h", "2h"], "min": "-5min"}, "min", "negative"),
        ({"uniform": ["1h", "2h"], "min": "3h", "max": "2h"}, "", "above max"),
        ("-1h", "", "negative"),
        (15, "", "has no unit"),
    ],
)
def test_errors_name_the_place(value: object, place: str, fragment: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse(value)
    where = "activities.Approve.duration" + (f".{place}" if place and place[0] != "[" else place)
    assert str(info.value).startswith(f"{where}: "), str(info.value)
    assert fragment in str(info.value)


def test_several_problems_of_one_distribution_are_listed() -> None:
    with pytest.raises(ScenarioError) as info:
        parse({"uniform": ["1h", "2h"], "min": "-1h", "max": "x"})
    assert len(info.value.problems) == 2


def test_number_distributions_for_case_attributes() -> None:
    amount = parse({"uniform": [1000, 5000]}, dimension="auto")
    assert not amount.is_time and amount.mean() == 3000
    assert parse({"uniform": [1000, 5000], "unit": "none"}, dimension="auto").mean() == 3000
    assert parse({"normal": {"mean": 0, "sd": 1}}, dimension="auto").lo == -math.inf
    kind = parse({"discrete": {"urgent": 0.2, "normal": 0.8}}, dimension="auto")
    assert isinstance(kind, Discrete) and kind.labels
    counts = parse({"discrete": {1: 0.5, "2": 0.5}}, dimension="auto")
    assert not counts.labels and counts.mean() == 1.5
    waiting = parse({"uniform": ["1h", "2h"]}, dimension="auto")
    assert waiting.is_time and waiting.mean() == 1.5 * H
    with pytest.raises(ScenarioError, match="drop the unit"):
        parse({"uniform": [1, 2], "unit": "h"}, dimension="number")
    with pytest.raises(ScenarioError, match="expected numbers"):
        parse({"discrete": {"a": 0.5, "b": 0.5}}, dimension="number")


def test_counts() -> None:
    assert read_count(3) == 3
    d = read_count({"discrete": {2: 0.5, 3: 0.5}})
    assert isinstance(d, Rounded) and d.mean() == 2.5
    assert set(d.sample(np.random.default_rng(0), 100)) == {2.0, 3.0}
    for bad in (-1, "three", 2.5, True):
        with pytest.raises(SpecError):
            read_count(bad)
