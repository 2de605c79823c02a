"""Scenario sweeps: the same results in this process, on a process pool and on Dask."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest
import yaml

from helpers.bpmn_text import chain
from leanproc.bpmn import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.simulation import sweep as sweep_module
from leanproc.simulation.compile import compile_model
from leanproc.simulation.sweep import grid_points, set_path, sweep

BASE = {
    "start": "2024-01-01T00:00+00:00",
    "arrivals": {"interarrival": {"exponential": {"mean": "10min"}}, "cases": 150},
    "resources": {"clerk": {"count": 1}},
    "defaults": {"resource": "clerk", "duration": {"exponential": {"mean": "8min"}}},
}
GRID = {"resources.clerk.count": [1, 2], "arrivals.interarrival": ["10min", "20min"]}


@pytest.fixture(scope="module")
def model():
    return read_bpmn(chain(["Register", "Decide"]))


def test_grid_points_and_paths():
    assert grid_points({"a": [1, 2], "b.c": ["x"]}) == [{"a": 1, "b.c": "x"},
                                                        {"a": 2, "b.c": "x"}]
    assert set_path({"a": {"b": 1}}, "a.c.d", 2) == {"a": {"b": 1, "c": {"d": 2}}}
    with pytest.raises(ScenarioError, match="list of values"):
        grid_points({"a": "12"})


def test_more_staff_cuts_waiting(model):
    table = sweep(BASE, GRID, model, seed=3, replications=2, executor="local")
    assert len(table) == 8
    mean = table.groupby(["resources.clerk.count", "arrivals.interarrival"])[
        "lead_time.mean"].mean()
    assert mean[(2, "10min")] < mean[(1, "10min")]
    assert mean[(1, "20min")] < mean[(1, "10min")]


def test_each_point_is_compiled_once(model, monkeypatch):
    calls = []

    def counting(bound):
        calls.append(bound)
        return compile_model(bound)

    monkeypatch.setattr(sweep_module, "compile_model", counting)
    table = sweep(BASE, {"resources.clerk.count": [1, 2]}, model, seed=3, replications=3,
                  executor="local")
    assert len(table) == 6 and len(calls) == 2


def test_the_model_path_is_read_from_the_scenario_folder(tmp_path):
    """`model:` is relative to the scenario file, as for simulate."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "flow.bpmn").write_text(chain(["Register", "Decide"]), encoding="utf-8")
    (folder / "scenario.yaml").write_text(yaml.safe_dump({**BASE, "model": "flow.bpmn"}),
                                          encoding="utf-8")
    table = sweep(folder / "scenario.yaml", {"resources.clerk.count": [1, 2]}, seed=3,
                  executor="local")
    assert list(table["resources.clerk.count"]) == [1, 2]
    assert (table["cases"] == 150).all()


def test_a_bad_point_fails_before_any_run(model):
    with pytest.raises(ScenarioError, match="point 2"):
        sweep(BASE, {"resources.clerk.count": [1, 0]}, model, executor="local")


def test_executors_agree(model):
    local = sweep(BASE, GRID, model, seed=5, replications=2, executor="local")
    with ProcessPoolExecutor(max_workers=2) as pool:
        processes = sweep(BASE, GRID, model, seed=5, replications=2, executor=pool)
    pd.testing.assert_frame_equal(local, processes)


def test_dask_local_cluster_gives_the_same_results(model):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = sweep(BASE, GRID, model, seed=5, executor=client.get_executor())
        by_address = sweep(BASE, {"resources.clerk.count": [1, 2]}, model, seed=5,
                           executor="dask://" + cluster.scheduler_address.split("://")[1])
    local = sweep(BASE, GRID, model, seed=5, executor="local")
    pd.testing.assert_frame_equal(local, remote)
    staffing = sweep(BASE, {"resources.clerk.count": [1, 2]}, model, seed=5, executor="local")
    pd.testing.assert_frame_equal(staffing, by_address)
