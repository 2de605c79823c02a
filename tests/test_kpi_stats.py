"""Confidence intervals, summaries and the duration language of KPI arguments."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from leanproc.errors import LeanprocError, LogError
from leanproc.kpi import confidence_interval, parse_kpi_duration
from leanproc.kpi.stats import summarize


def test_confidence_interval_by_hand() -> None:
    mean, low, high = confidence_interval([1, 2, 3, 4, 5])
    # sd = sqrt(2.5); t(0.975, 4) = 2.7764451; half = t * sd / sqrt(5)
    half = 2.7764451052 * math.sqrt(2.5) / math.sqrt(5)
    assert mean == 3.0
    assert low == pytest.approx(3 - half, rel=1e-9)
    assert high == pytest.approx(3 + half, rel=1e-9)
    _, low90, high90 = confidence_interval([1, 2, 3, 4, 5], level=0.90)
    assert low < low90 < high90 < high


def test_confidence_interval_edge_cases() -> None:
    assert confidence_interval([7.0, 7.0, 7.0]) == (7.0, 7.0, 7.0)
    mean, low, high = confidence_interval([4.0, float("nan")])
    assert mean == 4.0 and math.isnan(low) and math.isnan(high)
    assert all(math.isnan(v) for v in confidence_interval([]))
    with pytest.raises(LeanprocError, match="between 0 and 1"):
        confidence_interval([1, 2], level=95)


def test_summary_ignores_nan() -> None:
    s = summarize(np.array([1.0, np.nan, 3.0, 2.0]))
    assert (s.n, s.mean, s.median, s.max) == (3, 2.0, 2.0, 3.0)
    assert s.p90 == pytest.approx(2.8)
    empty = summarize(np.array([np.nan]))
    assert empty.n == 0 and math.isnan(empty.mean)


@pytest.mark.parametrize(
    ("text", "label", "seconds"),
    [
        ("24h", "24h", 86400),
        ("24 H", "24h", 86400),
        ("90min", "90min", 5400),
        ("1.5d", "1.5d", 129600),
        ("2w", "2w", 14 * 86400),
        ("30s", "30s", 30),
        ("PT36H", "36h", 129600),
        (timedelta(days=1), "1d", 86400),
        (timedelta(minutes=90), "90min", 5400),
    ],
)
def test_clock_durations(text: object, label: str, seconds: float) -> None:
    d = parse_kpi_duration(text, "sla")
    assert (d.label, d.seconds(), d.working) == (label, seconds, False)


def test_working_durations() -> None:
    wd = parse_kpi_duration("3wd", "sla")
    assert wd.working and wd.label == "3wd" and wd.seconds(day_length=28800) == 86400
    wh = parse_kpi_duration("8wh", "sla")
    assert wh.working and wh.seconds() == 28800
    with pytest.raises(LogError, match="needs a calendar"):
        wd.seconds()


@pytest.mark.parametrize("bad", ["", "h", "-2h", "2 parsecs", 5, None])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(LogError, match="not a duration"):
        parse_kpi_duration(bad, "sla")
