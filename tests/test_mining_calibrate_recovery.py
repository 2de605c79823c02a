"""Calibration inverts simulation: a log simulated from a known scenario gives that scenario back.

The generating model: intake -> (review || check) -> decide -> approve (p = 0.7) | reject
(0.3), with a rework loop after intake (p = 0.2), arrivals in 5x8 working time, two pools on
the 5x8 calendar and an extraneous wait before `decide`. Tolerances are statistical, from the
sample sizes of the generated log (stated at each assert), not tuned to pass.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from leanproc.bpmn.builder import ModelBuilder
from leanproc.mining import calibrate
from leanproc.simulation.run import simulate

CASES = 1500
MEANS = {  # activity -> true mean duration (seconds) of a gamma with CV 0.5
    "intake": 20 * 60, "review": 45 * 60, "check": 30 * 60, "decide": 15 * 60,
    "approve": 10 * 60, "reject": 5 * 60, "rework": 25 * 60,
}
ARRIVAL_MEAN = 3600.0  # working seconds between arrivals
WAIT_MEAN = 2 * 3600.0  # extraneous wait before `decide`, working seconds


def _model():
    b = ModelBuilder("known")
    start, intake, again = b.start("in"), b.task("intake"), b.xor("again?")
    rework, merge = b.task("rework"), b.xor("merge")
    split, review, check, join = b.parallel("split"), b.task("review"), b.task("check"), \
        b.parallel("join")
    decide, choice = b.task("decide"), b.xor("ok?")
    approve, reject, end1, end2 = b.task("approve"), b.task("reject"), b.end("ok"), b.end("no")
    b.sequence(start, merge, intake, again)
    b.flow(again, rework, name="redo")
    b.flow(rework, merge)
    b.flow(again, split, name="go")
    b.flow(split, review)
    b.flow(split, check)
    b.sequence(review, join)
    b.sequence(check, join, decide, choice)
    b.flow(choice, approve, name="yes")
    b.flow(choice, reject, name="no")
    b.flow(approve, end1)
    b.flow(reject, end2)
    return b.build()


def _scenario() -> dict:
    def gamma(mean: float) -> dict:
        return {"gamma": {"mean": f"{mean}s", "sd": f"{mean / 2}s"}}

    acts = {name: {"duration": gamma(m), "resource": "clerks" if name in (
        "intake", "rework", "approve", "reject") else "experts"} for name, m in MEANS.items()}
    acts["decide"]["wait"] = {"exponential": {"mean": f"{WAIT_MEAN / 3600}wh"}}
    return {
        "start": "2024-01-09T09:00+03:00", "timezone": "Europe/Moscow", "calendar": "5x8",
        "arrivals": {"interarrival": {"exponential": {"mean": f"{ARRIVAL_MEAN}s"}},
                     "cases": CASES},
        "resources": {"clerks": {"count": 6}, "experts": {"count": 6}},
        "activities": acts,
        "gateways": {"again?": {"redo": 0.2, "go": 0.8}, "ok?": {"yes": 0.7, "no": 0.3}},
    }


@pytest.fixture(scope="module")
def generated():
    model = _model()
    result = simulate(_scenario(), model, seed=11)
    return model, result


@pytest.fixture(scope="module")
def fitted(generated):
    model, result = generated
    return calibrate(model, result.log, calendar="5x8@Europe/Moscow")


def _within_binomial(p_hat: float, p: float, n: int, z: float = 4.0) -> bool:
    return abs(p_hat - p) <= z * math.sqrt(p * (1 - p) / n)


def test_branch_probabilities_within_binomial_tolerance(fitted):
    b = fitted.branches
    for gateway, branch, p in (("again?", "redo", 0.2), ("ok?", "yes", 0.7)):
        rows = b[b["gateway"].str.contains(gateway, regex=False)]
        n = int(rows["count"].sum())
        p_hat = float(rows.loc[rows["target"].str.contains(
            "rework" if branch == "redo" else "approve"), "probability"].iloc[0])
        # 4 binomial standard errors: a false alarm about once in 16 000 runs
        assert _within_binomial(p_hat, p, n), (gateway, p_hat, p, n)


def test_duration_means_recovered_within_a_few_percent(fitted):
    fits = fitted.fits[fitted.fits["what"] == "duration"].set_index("element")
    for name, true_mean in MEANS.items():
        row = fits.loc[name]
        # gamma with CV 0.5: the standard error of a mean of n draws is 0.5 / sqrt(n); 4 SE
        # (7 % for rework's ~330 draws, 2.6 % for intake's ~1900)
        tol = 4 * 0.5 / math.sqrt(row["n"])
        assert row["mean_h"] * 3600 == pytest.approx(true_mean, rel=tol), name
        assert row["family"] in ("gamma", "lognormal", "empirical"), (name, row["family"])


def test_interarrival_mean_recovered_in_working_time(fitted):
    a = fitted.arrivals
    assert a["working"] and a["inside_share"] >= 0.99
    row = fitted.fits[fitted.fits["what"] == "interarrival"].iloc[0]
    # exponential: CV 1, so 4 SE over 1499 gaps is 10 %
    assert row["mean_h"] * 3600 == pytest.approx(ARRIVAL_MEAN, rel=4 / math.sqrt(row["n"]))
    # in clock time the mean gap would be about 168/40 times longer
    assert row["mean_h"] * 3600 < 1.5 * ARRIVAL_MEAN


def test_extraneous_wait_recovered(fitted):
    row = fitted.fits[(fitted.fits["what"] == "wait") & (fitted.fits["element"] == "decide")]
    assert len(row) == 1
    # exponential wait, ~1500 draws: 4 SE = 10 %; contention hides a little of it (a unit
    # still busy when the wait ends), which biases the estimate down, so the lower side gets
    # 5 % more room
    got = float(row["mean_h"].iloc[0]) * 3600
    assert WAIT_MEAN * 0.85 <= got <= WAIT_MEAN * 1.10
    # no other activity had a wait: what is measured there is below a minute
    others = fitted.fits[(fitted.fits["what"] == "wait") & (fitted.fits["element"] != "decide")]
    assert (others["mean_h"] * 3600 < 60).all()


def test_pools_from_roles_with_their_sizes(fitted):
    pools = fitted.pools.set_index("pool")
    assert set(pools.index) == {"clerks", "experts"}
    # every unit of each pool worked at least once in 1500 cases
    assert pools.loc["clerks", "count"] == 6 and pools.loc["experts", "count"] == 6


def test_the_calibrated_scenario_reproduces_the_log(generated, fitted):
    model, original = generated
    again = simulate(fitted.scenario, model, seed=12)
    real, sim = original.kpi, again.kpi
    assert len(again.cases) == pytest.approx(CASES, rel=0.05)
    # the same process simulated twice: the mean lead time of 1500 cases differs by a few %
    assert sim.lead_time.mean == pytest.approx(real.lead_time.mean, rel=0.10)
    span = lambda r: (r.cases["arrival"].max() - r.cases["arrival"].min()).total_seconds()  # noqa: E731
    assert span(again) == pytest.approx(span(original), rel=0.05)


def test_inferred_hours_without_a_calendar(generated):
    model, result = generated
    fitted = calibrate(model, result.log)
    hours = fitted.scenario.calendars["work"]["hours"]
    assert set(hours) == {"mon", "tue", "wed", "thu", "fri"}  # no weekend work was seen
    assert all(v[0].startswith("09:00") for v in hours.values())
    a = fitted.arrivals
    assert a["working"] and a["week_share"] <= 0.75


def test_replay_enablement_follows_the_model_not_the_previous_row(generated, fitted):
    # decide waits for both branches: its wait is measured from the later of review and
    # check; measured from the row before, it would be the same. But review and check are
    # both enabled by intake: their waits are zero although their rows follow each other.
    fits = fitted.fits[fitted.fits["what"] == "wait"]
    assert not ((fits["element"].isin(["review", "check"])) & (fits["mean_h"] * 3600 > 60)).any()
    assert fitted.replay["fitting_share"] == 1.0


def test_empirical_when_no_family_fits():
    from leanproc.mining._fit import fit_times

    rng = np.random.default_rng(3)
    mixed = np.r_[np.zeros(400), rng.exponential(600, 600)]  # an atom at zero
    fit = fit_times(mixed)
    assert fit.family == "empirical"
    assert fit.mean == pytest.approx(mixed.mean(), rel=1e-3)  # group means keep the mean
    assert len(fit.spec["empirical"]["values"]) <= 200
