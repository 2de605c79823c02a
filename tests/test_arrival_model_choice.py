"""Calibration's arrival model: stationary unless a rate profile predicts held-out weeks better.

Logs are synthetic (one task per case, a case per arrival) drawn from known Poisson processes
with a fixed seed: a constant rate must stay stationary, a rate that halves every month must
get a monthly level, and a one-day log is too short to compare profiles at all.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc import read_bpmn
from leanproc.mining import calibrate
from leanproc.scenario import Scenario

sys.path.insert(0, str(Path(__file__).parent))
from helpers.bpmn_text import chain

MODEL = chain(["A"])


def _poisson(rng: np.random.Generator, start: str, end: str, per_hour: float) -> list:
    lo, hi = pd.Timestamp(start, tz="UTC"), pd.Timestamp(end, tz="UTC")
    hours = (hi - lo).total_seconds() / 3600
    n = rng.poisson(per_hour * hours)
    return sorted(lo + pd.to_timedelta(rng.uniform(0, hours, n), unit="h"))


def _log(times: list) -> pd.DataFrame:
    return pd.DataFrame({schema.CASE: [f"c{i}" for i in range(len(times))],
                         schema.ACTIVITY: "A", schema.END: pd.DatetimeIndex(times)})


def test_a_constant_rate_stays_stationary() -> None:
    for seed in (1, 2):
        times = _poisson(np.random.default_rng(seed), "2024-01-01", "2024-03-11", 1.0)
        cal = calibrate(read_bpmn(MODEL), _log(times))
        assert cal.arrivals["model"] == "stationary", cal.notes
        assert cal.scenario.arrivals is not None and cal.scenario.arrivals.rate is None
        assert cal.scenario.arrivals.interarrival is not None


def test_a_monthly_trend_gets_a_monthly_level() -> None:
    rng = np.random.default_rng(5)
    months = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]
    rates = [1.2, 0.6, 0.3, 0.15]
    times = [t for a, b, r in zip(months, months[1:], rates, strict=False)
             for t in _poisson(rng, a, b, r)]
    cal = calibrate(read_bpmn(MODEL), _log(times))
    assert "monthly level" in cal.arrivals["model"], cal.notes
    scores = cal.arrivals["heldout_loglik"]
    assert scores["monthly level"] > scores["stationary"]
    assert any("held-out log-likelihood per arrival" in n for n in cal.notes)
    rate = cal.scenario.arrivals.rate
    periods = dict(rate.source["periods"])
    # January's level over April's is 8; the log of the ratio of two Poisson counts (~890 and
    # ~110 cases) has sd sqrt(1/890 + 1/110) = 0.1, so 4 sd is a factor e^0.4 = 1.5 either way
    ratio = periods["2024-01"] / periods["2024-04"]
    assert 8 / 1.5 <= ratio <= 8 * 1.5
    # the calibrated scenario writes the rate and reads it back unchanged
    again = Scenario.load(cal.scenario.to_yaml())
    assert again.arrivals == cal.scenario.arrivals


def test_a_one_day_log_stays_stationary() -> None:
    times = _poisson(np.random.default_rng(3), "2024-03-04T09:00", "2024-03-04T17:00", 6.0)
    cal = calibrate(read_bpmn(MODEL), _log(times))
    assert cal.arrivals["model"] == "stationary"
    assert any("too short" in n for n in cal.notes)


def test_stationary_mode_keeps_the_interarrival_and_reports_the_scores() -> None:
    rng = np.random.default_rng(5)
    times = _poisson(rng, "2024-01-01", "2024-02-01", 1.5) + _poisson(
        rng, "2024-02-01", "2024-03-15", 0.2)
    cal = calibrate(read_bpmn(MODEL), _log(times), arrivals="stationary")
    assert cal.scenario.arrivals.rate is None
    assert cal.arrivals["model"] == "stationary"
    assert "monthly level" in cal.arrivals["best_model"]
    assert not math.isnan(cal.arrivals["heldout_loglik"]["stationary"])
