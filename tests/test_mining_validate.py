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


def test_a_target_met_does_not_confirm_a_projection_reality_beat(model, projection):
    actual = simulate(_scenario(prepare="20min"), model, seed=99).log
    report = validate(projection, actual, {"lead_time.mean": "<= 4h"})
    row = report.table.set_index("kpi").loc["lead_time.mean"]
    # the promise was kept, but reality is not what was projected: both are said, apart
    assert row["target_met"] == True  # noqa: E712
    assert row["tests_reject"] == True  # noqa: E712
    assert report.verdict("lead_time.mean") == "not confirmed"


def test_a_kpi_dict_projection_and_too_few_cases(model):
    actual = simulate(_scenario(), model, seed=5).log
    few = actual[actual["case:concept:name"].astype(int) <= 5]
    report = validate({"lead_time.mean": 3 * 3600.0}, few)
    assert report.verdict("lead_time.mean") == "inconclusive"
    assert report.notes and "finished real case" in report.notes[0]


H = 3600.0


def test_verdict_confirmed_needs_inside_informative_and_no_rejection():
    target = next(iter(parse_targets({"lead_time.mean": "<= 24h"})))
    verdict, met, _ = _verdict(20 * H, 18 * H, 22 * H, 21 * H, target, True, rejects=False)
    assert (verdict, met) == ("confirmed", True)
    # no distribution test could be run: the interval alone decides
    assert _verdict(20 * H, 18 * H, 22 * H, 21 * H, None, True, rejects=None)[0] == "confirmed"


def test_verdict_not_confirmed_when_outside_and_the_tests_reject():
    target = next(iter(parse_targets({"lead_time.mean": "<= 24h"})))
    assert _verdict(20 * H, 18 * H, 22 * H, 30 * H, target, True, rejects=True)[:2] == \
        ("not confirmed", False)
    # a target met does not turn a missed projection into a confirmed one
    assert _verdict(20 * H, 18 * H, 22 * H, 12 * H, target, True, rejects=True)[:2] == \
        ("not confirmed", True)
    assert _verdict(20 * H, 18 * H, 22 * H, 30 * H, None, True, rejects=None)[0] == \
        "not confirmed"


@pytest.mark.parametrize(("p", "lo", "hi", "a", "enough", "rejects", "why"), [
    # the case: a median projected as [0.04; 14.6] h contains almost anything
    (7.3 * H, 0.04 * H, 14.6 * H, 5 * H, True, False, "too wide"),
    (20 * H, 18 * H, 22 * H, 21 * H, True, True, "test rejects"),  # inside, yet rejected
    (20 * H, 18 * H, 22 * H, 30 * H, True, False, "tests agree"),  # outside, tests see none
    (20 * H, math.nan, math.nan, 20 * H, True, None, "no projected interval"),
    (math.nan, math.nan, math.nan, 12 * H, True, None, "missing"),
    (20 * H, 18 * H, 22 * H, 21 * H, False, False, "too few"),
])
def test_verdict_inconclusive(p, lo, hi, a, enough, rejects, why):
    verdict, _, reason = _verdict(p, lo, hi, a, None, enough, rejects=rejects)
    assert verdict == "inconclusive", why
    assert reason


def test_the_informative_width_is_a_parameter():
    # half-width 3 h around 10 h: informative at 0.5, not at 0.2
    assert _verdict(10 * H, 7 * H, 13 * H, 9 * H, None, True, rejects=False)[0] == "confirmed"
    assert _verdict(10 * H, 7 * H, 13 * H, 9 * H, None, True, rejects=False,
                    max_relative_half_width=0.2)[0] == "inconclusive"


def test_the_distribution_tests_enter_every_verdict(model, projection):
    actual = simulate(_scenario(prepare="6h"), model, seed=99).log
    table = validate(projection, actual).table.set_index("kpi")
    assert table["tests_reject"].eq(True).all()
    # a bare-number projection has no per-case lead times: no test, the interval alone
    bare = validate({"lead_time.mean": {"mean": 3 * H, "ci_low": 2.5 * H, "ci_high": 3.5 * H}},
                    actual).table.set_index("kpi")
    assert bare.loc["lead_time.mean", "tests_reject"] is None
    assert bare.loc["lead_time.mean", "verdict"] == "not confirmed"


def test_a_comparison_is_validated_on_its_to_be_side(model):
    from leanproc.comparison import compare

    comparison = compare(_scenario(prepare="4h"), _scenario(), replications=3, seed=2,
                         models=(model, model))
    actual = simulate(_scenario(), model, seed=77).log
    report = validate(comparison, actual)
    assert report.verdict("lead_time.mean") == "confirmed"
