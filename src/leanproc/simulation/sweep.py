"""Scenario sweeps: a grid of staffing levels, arrival rates, improvement sets, run anywhere.

`sweep(scenario, grid)` binds and compiles every point of the grid first (so a bad point fails
before any run, and no run compiles again), then hands (point, replication) runs to an executor:
local processes by default, any
`concurrent.futures.Executor`, or a Dask cluster (``executor="dask://host:port"``, or
``client.get_executor()``). Each run returns only its flat KPI dict, so what crosses the wire
stays small. Point p, replication r always runs with the sweep's seed and replication index r:
results do not depend on the executor, and points share random numbers (a staffing change is
compared on the same arrivals and durations).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.errors import ScenarioError
from leanproc.inputs import DEFAULT_SEED, as_model
from leanproc.scenario import Scenario
from leanproc.scenario.plans import BoundScenario
from leanproc.simulation.compile import CompiledModel, compile_model
from leanproc.simulation.run import run_one
from leanproc.simulation.streams import StreamFactory


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The cartesian product of a grid: ``{"resources.clerk.count": [1, 2]}`` -> 2 points."""
    keys = list(grid)
    for key in keys:
        if isinstance(grid[key], str | bytes) or not isinstance(grid[key], Sequence):
            raise ScenarioError(f"sweep grid {key!r}: give a list of values, e.g. [1, 2, 3]")
    return [dict(zip(keys, values, strict=True))
            for values in itertools.product(*(grid[k] for k in keys))]


def set_path(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with the value at a dotted path (``arrivals.interarrival``) replaced.

    Missing intermediate mappings are created, so a point may add what the base lacks."""
    import copy

    out = copy.deepcopy(data)
    node = out
    parts = dotted.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            raise ScenarioError(f"sweep key {dotted!r}: {part!r} is not a mapping in the scenario")
        node = child
    node[parts[-1]] = value
    return out


Job = tuple[CompiledModel, BoundScenario, int, int, bool]  # point, seed, replication, keep_log


def _run_point(compiled: CompiledModel, bound: BoundScenario, seed: int, replication: int,
               keep_log: bool) -> dict[str, float]:
    result = run_one(compiled, bound, seed, replication, None, None, keep_log=keep_log)
    return result.kpi.as_dict()


def _run_batch(batch: list[Job]) -> list[dict[str, float]]:
    """Several runs in one task: one pickle carries each point's model and compiled tables
    once, and a cluster schedules tens of tasks instead of hundreds of tiny ones."""
    return [_run_point(*job) for job in batch]


MAX_TASKS = 32  # batches per sweep: enough to balance a few workers, few enough to be cheap


@contextmanager
def open_executor(spec: Executor | str | None) -> Iterator[Executor | None]:
    """The executor an `executor=` option names, open for the ``with`` block: a process pool
    (None or ``"processes"``), None for ``"local"`` (run in this process), a Dask client's
    executor (``"dask://host:port"``) or the given `concurrent.futures.Executor` (left open)."""
    if spec is None or spec == "processes":
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            yield pool
    elif spec == "local":
        yield None  # in this process, one run after another
    elif isinstance(spec, str) and spec.startswith(("dask://", "tcp://")):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ScenarioError("a Dask executor needs the dask extra: "
                                "pip install 'leanproc[dask]'") from exc
        address = "tcp://" + spec.split("://", 1)[1]
        with Client(address) as client:  # type: ignore[no-untyped-call]  # untyped package
            yield client.get_executor()
    elif isinstance(spec, Executor) or hasattr(spec, "submit"):
        yield spec  # type: ignore[misc]
    else:
        raise ScenarioError(
            f"unknown executor {spec!r}: use None (local processes), 'local', "
            "'dask://host:port', or a concurrent.futures.Executor"
        )


def patchable(scenario: Any, model: Any, *,
              caller: str) -> tuple[dict[str, Any], ProcessModel | None]:
    """The scenario as the mapping that points (or candidates) patch, and its model: `model`
    (any model input), else the BPMN file ``model:`` names beside a scenario file; None when
    neither (binding then reports it)."""
    from leanproc.scenario.loading import load_mapping

    if not isinstance(scenario, Mapping | str | os.PathLike):
        # each point patches the scenario's keys, so a loaded Scenario will not do
        raise ScenarioError(f"scenario= must be a scenario file path, YAML / JSON text or a "
                            f"mapping, not {type(scenario).__name__}", source=caller)
    base, folder, _ = load_mapping(scenario)
    if model is None and isinstance(base.get("model"), str) and folder is not None:
        model = folder / base["model"]
    return base, as_model(model, caller=caller) if model is not None else None


def sweep(scenario: Mapping[str, Any] | str | os.PathLike[str],
          grid: Mapping[str, Sequence[Any]] | None = None,
          model: ProcessModel | str | os.PathLike[str] | None = None, *,
          points: Sequence[Mapping[str, Any]] | None = None, seed: int | None = DEFAULT_SEED,
          replications: int = 1, executor: Executor | str | None = None,
          keep_log: bool = True) -> pd.DataFrame:
    """Run every point of a grid (or an explicit list of `points`, each a dotted-path patch).

    Returns one row per (point, replication): the point's values, ``replication``, and every
    KPI of that run (`KPIReport.as_dict` names). ``keep_log=False`` runs each point in
    streaming mode (less memory, fewer KPIs).
    """
    base, model = patchable(scenario, model, caller="sweep")
    todo = list(points) if points is not None else grid_points(grid or {})
    if not todo:
        raise ScenarioError("sweep: give a grid or a list of points")
    seed = StreamFactory(seed).seed
    ready: list[tuple[CompiledModel, BoundScenario]] = []
    problems: list[str] = []
    for k, point in enumerate(todo):
        data = base
        for key, value in point.items():
            data = set_path(data, key, value)
        try:  # the model was read once above: every point binds to the same object
            bound = Scenario.load(data).bind(model)
            ready.append((compile_model(bound), bound))  # once per point, not per run
        except ScenarioError as exc:
            problems += [f"point {k + 1} {dict(point)}: {p}" for p in exc.problems]
    if problems:
        raise ScenarioError(problems, source="sweep")
    jobs = [(p, r) for p in range(len(todo)) for r in range(replications)]
    runs: list[Job] = [(*ready[p], seed, r, keep_log) for p, r in jobs]
    with open_executor(executor) as pool:
        if pool is None:
            values = _run_batch(runs)
        else:
            size = -(-len(runs) // MAX_TASKS)  # ceiling division
            futures = [pool.submit(_run_batch, runs[i:i + size])
                       for i in range(0, len(runs), size)]
            values = [v for f in futures for v in f.result()]
    rows = [{**todo[p], "point": p, "replication": r, **v}
            for (p, r), v in zip(jobs, values, strict=True)]
    return pd.DataFrame(rows)
