"""Conformance through pm4py (token replay and alignments) and discovery with the inductive
miner, on small logs simulated from a known model (alignments are slow: 40 cases)."""

from __future__ import annotations

import pytest

pytest.importorskip("pm4py")

from helpers.permit import permit_model, permit_scenario
from leanproc.mining import calibrate, conformance, discover
from leanproc.simulation.run import simulate

SCENARIO = permit_scenario(40)


@pytest.fixture(scope="module")
def model_and_log():
    model = permit_model()
    return model, simulate(SCENARIO, model, seed=3).log


@pytest.mark.parametrize("method", ["token_replay", "alignments"])
def test_a_log_of_the_model_fits_it(model_and_log, method):
    model, log = model_and_log
    report = conformance(model, log, method=method)
    assert report.fitness == pytest.approx(1.0)
    assert report.fitting_share == 1.0 and report.cases == 40
    assert not report.log_only and not report.model_only
    assert (report.activities["deviations"] == 0).all()


def test_names_match_with_case_and_spaces_folded(model_and_log):
    model, log = model_and_log
    shouting = log.assign(**{"concept:name": log["concept:name"].astype(str).str.upper()
                             + "  "})
    assert conformance(model, shouting).fitness == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["token_replay", "alignments"])
def test_deviations_are_named(model_and_log, method):
    model, log = model_and_log
    names = log["concept:name"].astype(str)
    bad = log.assign(**{"concept:name": names.where(names != "Check documents",
                                                    "Call applicant")})
    bad = bad[bad["concept:name"] != "Take payment"]
    report = conformance(model, bad, method=method)
    assert report.fitness < 0.95
    assert report.fitting_share == 0.0
    assert report.log_only == ["Call applicant"]
    assert report.model_only == ["Check documents", "Take payment"]
    acts = report.activities.set_index("activity")
    assert acts.loc["Call applicant", "deviations"] == 40  # every occurrence is foreign
    if method == "alignments":  # the skipped activities are model moves, one per case
        assert acts.loc["Take payment", "model_moves"] == 40
        assert acts.loc["Check documents", "model_moves"] == 40
    assert "Call applicant" in str(report)


def test_unknown_method_is_refused(model_and_log):
    model, log = model_and_log
    with pytest.raises(ValueError, match="token_replay"):
        conformance(model, log, method="heuristics")


def test_discover_calibrate_simulate_without_a_model(model_and_log):
    _, log = model_and_log
    mined = discover(log)
    tasks = {n.name for n in mined.activities}
    assert tasks == {"Take application", "Check documents", "Take payment", "Issue permit",
                     "Refuse"}
    assert mined.diagrams and mined.diagrams[0].shapes  # laid out, so modellers render it
    assert conformance(mined, log).fitness == pytest.approx(1.0)  # the miner's guarantee
    result = simulate(calibrate(mined, log).scenario, mined, seed=1)
    # the horizon is the log's arrival span, so with 40 exponential gaps (a sum with a CV of
    # 1 / sqrt(39) = 16 %) a few cases may fall after it; never more than the log's 40
    assert 25 <= len(result.cases) <= 40
    assert set(result.log["concept:name"].astype(str)) <= tasks
