"""Replications, confidence intervals, warm-up and executors."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from helpers.bpmn_text import chain
from leanproc.bpmn import read_bpmn
from leanproc.scenario import Scenario
from leanproc.simulation import run as run_module
from leanproc.simulation.compile import compile_model
from leanproc.simulation.result import Replications
from leanproc.simulation.run import run_one, simulate
from test_simulate_queueing import erlang_c_wait, mmc_scenario


@pytest.fixture(scope="module")
def one_task():
    return read_bpmn(chain(["Serve"]))


def test_replication_ci_covers_the_erlang_c_wait(one_task):
    """20 independent replications of M/M/1 at utilisation 0.5, first 10 % of cases cut."""
    scenario = mmc_scenario(1, 0.5, 3000)
    scenario["warmup"] = "1h"
    reps = simulate(scenario, one_task, seed=2, replications=20)
    assert isinstance(reps, Replications) and len(reps) == 20
    row = reps.summary().loc["waiting.mean"]
    theory = erlang_c_wait(0.5 / 60, 1 / 60, 1)
    assert row["ci_low"] <= theory <= row["ci_high"]
    assert row["half_width"] < 0.15 * theory  # 20 replications pin the mean down
    assert row["n"] == 20


def test_warmup_drops_early_cases_from_case_statistics(one_task):
    scenario = mmc_scenario(1, 0.5, 500)
    base = simulate(scenario, one_task, seed=4).kpi.as_dict()
    scenario["warmup"] = "2h"
    cut = simulate(scenario, one_task, seed=4).kpi.as_dict()
    assert cut["cases"] < base["cases"]


def test_replications_differ_and_are_reproducible(one_task):
    scenario = mmc_scenario(2, 0.7, 300)
    reps = simulate(scenario, one_task, seed=9, replications=3)
    logs = [r.log for r in reps.results]
    assert not logs[0].equals(logs[1])
    again = simulate(scenario, one_task, seed=9, replications=3)
    for a, b in zip(logs, again.results, strict=True):
        pd.testing.assert_frame_equal(a, b.log)


def test_process_pool_gives_the_same_results(one_task):
    scenario = mmc_scenario(2, 0.7, 300)
    local = simulate(scenario, one_task, seed=5, replications=3)
    with ProcessPoolExecutor(max_workers=2) as pool:
        remote = simulate(scenario, one_task, seed=5, replications=3, executor=pool)
    for a, b in zip(local.results, remote.results, strict=True):
        pd.testing.assert_frame_equal(a.log, b.log)


def test_a_bound_scenario_pickles(one_task):
    bound = Scenario.load(mmc_scenario(1, 0.5, 10)).bind(one_task)
    copy = pickle.loads(pickle.dumps(bound))
    assert copy.model == bound.model


def test_replications_compile_the_model_once(one_task, monkeypatch):
    calls = []

    def counting(bound):
        calls.append(bound)
        return compile_model(bound)

    monkeypatch.setattr(run_module, "compile_model", counting)
    reps = simulate(mmc_scenario(1, 0.5, 20), one_task, seed=1, replications=4)
    assert len(reps) == 4 and len(calls) == 1


def test_compiled_tables_pickle_and_run_alike():
    """What a process executor receives: the compiled tables and the bound scenario, pickled
    together; the copy runs to the same log as the original (a model with a gateway, a timer,
    a boundary event and a loop, so every kind of table crosses)."""
    bound = Scenario.load(
        Path(__file__).parent.parent / "examples/tomsk-onboarding/as-is.scenario.yaml").bind()
    compiled = compile_model(bound)
    copy_compiled, copy_bound = pickle.loads(pickle.dumps((compiled, bound)))
    assert copy_compiled.nodes[0].node is copy_bound.model.nodes[copy_compiled.nodes[0].node.id]
    original = run_one(compiled, bound, 11, 1, None, None)
    again = run_one(copy_compiled, copy_bound, 11, 1, None, None)
    assert len(original.log) > 0
    pd.testing.assert_frame_equal(original.log, again.log)


def test_streaming_mode_keeps_the_case_kpis_of_a_full_run():
    """keep_log=False gives the same case table and per-activity means, without a log."""
    model = read_bpmn(chain(["Register", "Check", "Issue"]))
    scenario = {
        "start": "2024-01-09T09:00+03:00", "calendar": "ru-5x8@Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "20min"}}, "cases": 400},
        "resources": {"clerk": {"count": 2}},
        "defaults": {"resource": "clerk", "duration": {"triangular": ["5min", "10min", "20min"]}},
    }
    full = simulate(scenario, model, seed=3)
    lean = simulate(scenario, model, seed=3, keep_log=False)
    assert lean.streaming and len(lean.log) == 0 and lean.events == full.events
    pd.testing.assert_frame_equal(full.cases, lean.cases.drop(columns="work"))
    a, b = full.kpi.as_dict(), lean.kpi.as_dict()
    for key in ("lead_time.mean", "lead_time.p90", "lead_time_working.mean", "wip.mean",
                "throughput.per_day", "activity.Check.waiting.mean",
                "activity.Check.processing.mean"):
        assert b[key] == pytest.approx(a[key], rel=1e-9), key
    # sequential model: work content equals the log's touch time
    assert b["work.mean"] == pytest.approx(a["processing.mean"], rel=1e-9)


def test_flat_api_names_are_functions_whatever_was_imported_first():
    import subprocess
    import sys

    code = ("import leanproc.simulation.run, leanproc.comparison.ladder, leanproc; "
            "assert callable(leanproc.simulate) and callable(leanproc.compare); "
            "import leanproc.simulation as s; assert s.__name__ == 'leanproc.simulation'; "
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "ok"


def test_capacity_names_the_bottleneck():
    """Reception: 1 unit x 20 min; check: 2 units x 60 min (24x7): 72 and 48 cases a day."""
    model = read_bpmn(chain(["Reception", "Check"]))
    scenario = {
        "start": "2024-01-01T00:00+00:00",
        "arrivals": {"interarrival": "1h", "cases": 200},
        "resources": {"desk": {"count": 1}, "experts": {"count": 2}},
        "activities": {"Reception": {"resource": "desk", "duration": "20min"},
                       "Check": {"resource": "experts", "duration": "60min"}},
    }
    table = simulate(scenario, model, seed=1).capacity()
    assert table.loc["desk", "capacity_per_day"] == pytest.approx(72.0)
    assert table.loc["experts", "capacity_per_day"] == pytest.approx(48.0)
    assert list(table.index[table["bottleneck"]]) == ["experts"]


def test_capacity_counts_working_days_on_a_calendar():
    """8 working hours a day, one unit, 30 min of work per case: 16 cases a working day."""
    model = read_bpmn(chain(["Register"]))
    scenario = {
        "start": "2024-03-04T09:00+03:00", "calendar": "ru-5x8@Europe/Moscow",
        "arrivals": {"interarrival": "1h", "cases": 50},
        "resources": {"clerk": {"count": 1}},
        "activities": {"Register": {"resource": "clerk", "duration": "30min"}},
    }
    table = simulate(scenario, model, seed=1).capacity()
    assert table.loc["clerk", "capacity_per_day"] == pytest.approx(16.0)
