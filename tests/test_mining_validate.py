"""Post-monitoring: verdicts, distribution tests and activity deviations of `validate`."""

from __future__ import annotations

import math

import pytest

from leanproc.bpmn.builder import ModelBuilder
from leanproc.mining import validate
from leanproc.mining.validate import _verdict
from leanproc.simulation.run import simulate
from leanproc.targets import parse_targets


def _model():
    b = ModelBuilder("certificate")
    b.sequence(b.start("in"), b.task("Register"), b.task("Prepare"), b.task("Sign"),
               b.end("out"))
    return b.build()


def _scenario(prepare: str = "2h") -> dict:
    return {
        "start": "2024-03-04T09:00+03:00", "timezone": "Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "3h"}}, "cases": 300},
        "resources": {"clerk": {"count": 3}},
        "defaults": {"resource": "clerk"},
        "activities": {"Register": {"duration": "10min"},
                       "Prepare": {"duration": {"exponential": {"mean": prepare}}},
                       "Sign": {"duration": {"uniform": ["5min", "15min"]}}},
    }


@pytest.fixture(scope="module")
def model():
    return _model()


@pytest.fixture(scope="module")
def projection(model):
    return simulate(_scenario(), model, seed=1, replications=4)


def test_reality_as_projected_is_confirmed(model, projection):
    actual = simulate(_scenario(), model, seed=99).log  # the same process, other random numbers
    report = validate(projection, actual, {"lead_time.mean": "<= 4h"})
    assert report.verdict("lead_time.mean") == "confirmed"
    row = report.table.set_index("kpi").loc["lead_time.mean"]
    assert row["ci_low"] <= row["projected"] <= row["ci_high"]
    assert row["target_met"] is True or row["target_met"] == True  # noqa: E712
    # same distribution: the tests see no difference at the 1 % level
    assert report.lead_time["mann_whitney_p"] > 0.01
    assert report.lead_time["ks"] < 0.1
    assert report.lead_time["n_projected"] == pytest.approx(4 * 300, rel=0.02)


def test_a_slower_reality_is_not_confirmed_and_the_activity_is_named(model, projection):
    actual = simulate(_scenario(prepare="6h"), model, seed=99).log
    report = validate(projection, actual, {"lead_time.mean": "<= 4h"})
    assert report.verdict("lead_time.mean") == "not confirmed"
    assert report.table.set_index("kpi").loc["lead_time.mean", "target_met"] == False  # noqa: E712
    assert report.lead_time["mann_whitney_p"] < 1e-6
    assert report.lead_time["wasserstein_h"] > 2.0  # 4 h more of Prepare, on average
    top = report.activities.iloc[0]
    assert top["activity"] == "Prepare" and top["impact_h"] < -2.0  # projected less than real
    assert "not confirmed" in str(report)


def test_a_target_met_confirms_even_when_better_than_projected(model, projection):
    actual = simulate(_scenario(prepare="20min"), model, seed=99).log
    report = validate(projection, actual, {"lead_time.mean": "<= 4h"})
    assert report.verdict("lead_time.mean") == "confirmed"  # the promise was kept
    # without a target the same numbers are a missed projection
    assert validate(projection, actual).verdict("lead_time.mean") == "not confirmed"


def test_a_kpi_dict_projection_and_too_few_cases(model):
    actual = simulate(_scenario(), model, seed=5).log
    few = actual[actual["case:concept:name"].astype(int) <= 5]
    report = validate({"lead_time.mean": 3 * 3600.0}, few)
    assert report.verdict("lead_time.mean") == "inconclusive"
    assert report.notes and "finished real case" in report.notes[0]


def test_verdict_rule():
    target = next(iter(parse_targets({"lead_time.mean": "<= 24h"})))
    h = 3600.0
    # intervals overlap: confirmed whatever the target says
    assert _verdict(20 * h, 18 * h, 22 * h, 21 * h, 20.5 * h, 30 * h, target, True)[0] == \
        "confirmed"
    # disjoint, target missed: not confirmed
    assert _verdict(20 * h, 18 * h, 22 * h, 30 * h, 28 * h, 32 * h, target, True) == \
        ("not confirmed", False)
    # disjoint, target met: confirmed (and met)
    assert _verdict(20 * h, 18 * h, 22 * h, 12 * h, 11 * h, 13 * h, target, True) == \
        ("confirmed", True)
    # missing value or too little data: inconclusive
    assert _verdict(math.nan, math.nan, math.nan, 12 * h, 11 * h, 13 * h, None, True)[0] == \
        "inconclusive"
    assert _verdict(20 * h, 18 * h, 22 * h, 12 * h, 11 * h, 13 * h, target, False)[0] == \
        "inconclusive"


def test_a_comparison_is_validated_on_its_to_be_side(model):
    from leanproc.comparison import compare

    comparison = compare(_scenario(prepare="4h"), _scenario(), replications=3, seed=2,
                         models=(model, model))
    actual = simulate(_scenario(), model, seed=77).log
    report = validate(comparison, actual)
    assert report.verdict("lead_time.mean") == "confirmed"
