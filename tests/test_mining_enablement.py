"""Enablement: waits measured from the log's previous step where the model's parallel branches
never overlap in the log, from the model where they do; validate estimates missing enablement.

The fixture model: intake -> (review || check) -> decide. Logs are written by hand, with
whole-hour gaps, so the expected waits follow from the fixture's times (stated at each
assert), on a 24x7 calendar (working time = clock time).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leanproc.bpmn.builder import ModelBuilder
from leanproc.log import ACTIVITY, CASE, ENABLE, END, RESOURCE, START
from leanproc.mining import calibrate, validate
from leanproc.mining._enablement import estimate_enable, log_enablers
from leanproc.simulation.run import simulate

T0 = pd.Timestamp("2024-01-01 00:00", tz="UTC")


def _model():
    b = ModelBuilder("block")
    split, join = b.parallel("split"), b.parallel("join")
    intake, review, check = b.task("intake"), b.task("review"), b.task("check")
    b.sequence(b.start("in"), intake, split)
    b.flow(split, review)
    b.flow(split, check)
    b.sequence(review, join)
    b.sequence(check, join, b.task("decide"), b.end("out"))
    return b.build()


def _log(cases: list[list[tuple[str, float, float]]]) -> pd.DataFrame:
    """Cases of (activity, start hour, end hour); case k begins k days after T0, each activity
    has its own resource."""
    rows = []
    for k, events in enumerate(cases):
        day = T0 + pd.Timedelta(days=k)
        for activity, s, e in events:
            rows.append({CASE: f"c{k}", ACTIVITY: activity, RESOURCE: activity,
                         START: day + pd.Timedelta(hours=s), END: day + pd.Timedelta(hours=e)})
    return pd.DataFrame(rows)


# review first or check first; the second branch always starts 2 h after the first ends
SEQUENTIAL = [[("intake", 0, 1), ("review", 2, 3), ("check", 5, 6), ("decide", 7, 8)],
              [("intake", 0, 1), ("check", 2, 3), ("review", 5, 6), ("decide", 7, 8)]] * 10
# half the cases run the branches at the same time; the other half one after the other
CONCURRENT = [[("intake", 0, 1), ("review", 2, 4), ("check", 3, 6), ("decide", 7, 8)],
              [("intake", 0, 1), ("review", 1.5, 2), ("check", 4, 5), ("decide", 7, 8)]] * 10


def _observed_wait(fitted, activity: str) -> float:
    fits = fitted.fits
    row = fits[(fits["element"] == activity) & (fits["what"] == "wait")]
    return float(row["observed_mean_h"].iloc[0])


def test_a_block_the_log_runs_in_sequence_is_measured_from_the_previous_step():
    fitted = calibrate(_model(), _log(SEQUENTIAL), calendar="24x7")
    # the second branch waits 2 h after the first; from the split (intake's end, hour 1) it
    # would be charged the first branch too: 4 h
    assert _observed_wait(fitted, "check") == pytest.approx((1 + 2) / 2)
    assert _observed_wait(fitted, "review") == pytest.approx((1 + 2) / 2)
    block = fitted.parallel_blocks.iloc[0]
    assert block["enablement"] == "previous"
    assert (block["cases_with_branches"], block["overlapping_cases"]) == (20, 0)
    # from the log's enablement the first branch takes 1 h wait + 1 h work, the second 2 + 1 h:
    # side by side they save the shorter, 2 h per case
    assert block["parallel_saving_h"] == pytest.approx(2.0)
    assert any("parallel block 'split'" in n and "interleaves them" in n for n in fitted.notes)


def test_the_model_enablement_option_keeps_charging_the_sibling():
    fitted = calibrate(_model(), _log(SEQUENTIAL), calendar="24x7", enablement="model")
    # the second branch (check in half the cases) measured from intake's end: 4 h, else 1 h
    assert _observed_wait(fitted, "check") == pytest.approx((1 + 4) / 2)


def test_a_block_the_log_runs_concurrently_is_measured_from_the_model():
    fitted = calibrate(_model(), _log(CONCURRENT), calendar="24x7")
    block = fitted.parallel_blocks.iloc[0]
    assert block["enablement"] == "model"
    assert block["overlapping_cases"] == 10
    # check from intake's end (hour 1): 2 h when concurrent, 3 h after review; from the
    # previous completion it would be 2 h in both
    assert _observed_wait(fitted, "check") == pytest.approx((2 + 3) / 2)
    assert not any("parallel block" in n for n in fitted.notes)


def test_log_enablers_take_the_latest_completion_before_the_start():
    # case a: x [0, 5], y [1, 2], z [3, 6]: z starts while x runs, after y ended
    # case b: no start times: the previous row
    hour = 3_600_000_000_000
    nat = np.iinfo(np.int64).min
    case = np.array(["a", "a", "a", "b", "b"])
    end = np.array([2, 5, 6, 1, 2]) * hour
    start = np.array([1 * hour, 0, 3 * hour, nat, nat])
    assert log_enablers(case, end, start).tolist() == [-1, -1, 0, -1, 3]


def test_estimate_enable_keeps_the_log_order_and_uses_the_case_start_first():
    log = _log([[("intake", 0, 1), ("review", 2, 3)]]).iloc[::-1]
    enable = estimate_enable(log)
    assert enable.index.tolist() == log.index.tolist()
    assert enable.tolist() == [T0 + pd.Timedelta(hours=1), T0]


# ---- validate without enablement times ---------------------------------------------------------

def _chain():
    b = ModelBuilder("certificate")
    b.sequence(b.start("in"), b.task("Register"), b.task("Prepare"), b.task("Sign"),
               b.end("out"))
    return b.build()


def _scenario(prepare_wait: str) -> dict:
    # one pool per activity, arrivals far apart: the waits are the scenario's own
    return {
        "start": "2024-03-04T09:00+03:00", "timezone": "Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "6h"}}, "cases": 150},
        "resources": {"r": {"count": 5}, "p": {"count": 5}, "s": {"count": 5}},
        "activities": {
            "Register": {"duration": "10min", "resource": "r"},
            "Prepare": {"duration": "1h", "resource": "p",
                        "wait": {"exponential": {"mean": prepare_wait}}},
            "Sign": {"duration": "15min", "resource": "s",
                     "wait": {"exponential": {"mean": "3h"}}},
        },
    }


def test_validate_ranks_the_wait_that_moved_first_without_enablement_times():
    model = _chain()
    projection = simulate(_scenario("1h"), model, seed=1, replications=2)
    actual = simulate(_scenario("8h"), model, seed=7).log.drop(columns=[ENABLE])
    report = validate(projection, actual)
    top = report.activities.iloc[0]
    # Prepare waits 8 h instead of 1 h; Sign's 3 h wait is as projected. Counting the real
    # waits as 0 would rank Sign (+3 h) above Prepare (+1 h)
    assert top["activity"] == "Prepare"
    assert top["impact_h"] == pytest.approx(-7.0, abs=1.5)  # mean of 150 exponentials, sd 0.65
    sign = report.activities.set_index("activity").loc["Sign"]
    assert abs(sign["impact_h"]) < 1.5
    assert any("no enablement time" in n for n in report.notes)


def test_validate_keeps_given_enablement_and_estimates_only_the_missing():
    from leanproc.mining.validate import _with_enable

    log = _log([[("intake", 0, 1), ("review", 2, 3), ("check", 5, 6)]])
    log[START] = log[START].astype("datetime64[us, UTC]")  # as read_log may give them
    log[ENABLE] = [pd.NaT, T0 + pd.Timedelta(hours=1.5), pd.NaT]
    out, estimated = _with_enable(log)
    assert estimated == 2
    assert out[ENABLE].tolist() == [T0, T0 + pd.Timedelta(hours=1.5), T0 + pd.Timedelta(hours=3)]


def test_validate_as_is_takes_the_real_waits_as_calibrate_measured_them():
    from leanproc.mining import validate_as_is

    report = validate_as_is(_model(), _log(CONCURRENT), calendar="24x7", replications=1)
    check = report.activities.set_index("activity").loc["check"]
    # the block runs concurrently: check from intake's end, 2 h and 3 h (the log's own
    # estimate, the latest completion before the start, would say 2 h in both halves)
    assert check["waiting_actual_h"] == pytest.approx((2 + 3) / 2)
    assert any("as calibrate measured it" in n for n in report.notes)


def _interleaved(fitted) -> list[str]:
    return [key for key, spec in fitted.scenario.gateways.items() if spec.interleave]


def test_a_block_the_log_runs_in_sequence_is_interleaved_in_the_scenario():
    model = _model()
    split = next(g.id for g in model.gateways if g.name == "split")
    fitted = calibrate(model, _log(SEQUENTIAL), calendar="24x7")
    assert _interleaved(fitted) == [split]
    # every case of the log takes 8 h (module fixture). Interleaved, the simulated mean comes
    # back to it: 20 cases with a sd of about 1 h, so 1 h is 4 standard errors; side by side
    # the branches would save about the block's parallel_saving_h (2 h) a case
    lead = simulate(fitted.scenario, model, seed=1).cases["lead_time"] / 3600
    assert lead.mean() == pytest.approx(8.0, abs=1.0)
    never = calibrate(model, _log(SEQUENTIAL), calendar="24x7", interleave="never")
    assert _interleaved(never) == []
    assert any("interleave the split" in n for n in never.notes)
    side_by_side = simulate(never.scenario, model, seed=1).cases["lead_time"] / 3600
    assert side_by_side.mean() < 8.0 - 1.5


def test_a_block_the_log_runs_concurrently_is_not_interleaved():
    fitted = calibrate(_model(), _log(CONCURRENT), calendar="24x7")
    assert _interleaved(fitted) == []


def test_the_interleave_option_is_checked():
    with pytest.raises(ValueError, match="interleave="):
        calibrate(_model(), _log(SEQUENTIAL), interleave="always")


def test_without_start_times_no_block_is_interleaved():
    # completions alone cannot show whether branches overlap
    fitted = calibrate(_model(), _log(SEQUENTIAL).drop(columns=[START]), calendar="24x7")
    assert _interleaved(fitted) == []
