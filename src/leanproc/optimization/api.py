"""`optimize`: the cheapest staffing and working hours that meet the targets."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import Any

from leanproc.errors import ScenarioError
from leanproc.inputs import DEFAULT_SEED
from leanproc.optimization.budget import Budget
from leanproc.optimization.constraints import parse_constraints
from leanproc.optimization.decisions import parse_decisions
from leanproc.optimization.evaluator import Evaluator, Settings
from leanproc.optimization.result import OptimizationResult
from leanproc.optimization.search import EXHAUSTIVE_LIMIT, exhaustive, heuristic, lattice
from leanproc.optimization.selection import select
from leanproc.simulation.run import until_of
from leanproc.simulation.streams import StreamFactory
from leanproc.simulation.sweep import open_executor, patchable
from leanproc.targets.spec import parse_targets, unit_of

__all__ = ["optimize"]


def optimize(scenario: Mapping[str, Any] | str | os.PathLike[str], model: Any = None, *,
             decisions: Mapping[str, Any], targets: Any = None, objective: str,
             constraints: Any = None, seed: int | None = DEFAULT_SEED,
             executor: Executor | str | None = None, budget: Any = None,
             confidence: float = 0.95, replications: tuple[int, int] = (5, 40),
             exhaustive_limit: int = EXHAUSTIVE_LIMIT, until: Any = None,
             progress: Callable[[dict[str, Any]], None] | None = None) -> OptimizationResult:
    """The candidate with the lowest mean `objective` among those shown to meet `targets`.

    `scenario` is a scenario file, YAML / JSON text or a mapping (each candidate patches its
    keys); `decisions` maps dotted scenario paths to their candidate values
    (``{"resources.clerk.count": range(1, 11), "resources.lawyer.calendar": ["ru-5x8",
    "ru-2x12"]}``); `targets` takes what `compare` and the gate take
    (``{"lead_time.mean": "<= 24h"}``; None: the scenario's own ``targets:``; per-activity
    targets are refused, the runs measure case-level KPIs); `objective` is a KPI to minimise
    (``cost.per_case``, ``lead_time.p90``, ``staff_cost.per_year``, ...). `constraints`: a callable
    (dict -> bool), an expression such as ``"resources.clerk.count + resources.lawyer.count
    <= 12"`` (read with `ast`, never evaluated), or a list of them.

    Lattices of at most `exhaustive_limit` admissible candidates are searched exhaustively,
    larger ones by capacity seed, marginal allocation and local search
    (`leanproc.optimization.search`). Every simulated candidate gets ``replications[0]`` runs,
    more (in steps of as many) while its feasibility or its rank against the best is open, up
    to ``replications[1]``. "Meets every target" and "cheaper" are one-sided t statements
    with joint `confidence` (`result.statements`). Candidates with a pool loaded at 1 or more,
    or whose queue keeps growing, are cut early (the table says why). Replication r of every
    candidate runs on the same random numbers (seed, r), so the result is the same on any
    `executor` (None: local processes; ``"local"``; ``"dask://host:port"``; an Executor).
    `until` ends every run as `simulate`'s does (an instant or a duration from the start;
    None: each run goes on until every case has finished), so that throughput per day and the
    unfinished share mean what they do in a simulation of that period. `budget` caps the
    simulation runs (a number, or ``{"runs": N, "seconds": S}``); when it is
    hit, the best found so far is returned with a note. `progress` is called with a dict
    (phase, runs, budget, candidates) after every batch of runs, and with phase ``"done"``
    at the end.

    Raises:
        ScenarioError: an unknown decision path (with the known ones), a bad value, target,
            objective, constraint or budget.
    """
    from leanproc.scenario import Scenario

    base, model = patchable(scenario, model, caller="optimize")
    decs = parse_decisions(base, decisions)
    rules = parse_constraints(constraints, [d.path for d in decs])
    try:
        unit_of(objective)
    except ScenarioError as exc:
        raise ScenarioError(f"objective={objective!r}: {exc.problems[0]}",
                            source="optimize") from None
    settings = _settings(confidence, replications)
    bound = Scenario.load(base).bind(model)
    until_of(bound, until)  # a bad until= fails here, before any run
    day = bound.calendar
    if targets is None:  # the scenario's own targets, as compare and the gate read them
        targets = base.get("targets") or None
    if not targets:
        raise ScenarioError("optimize: give targets= (e.g. {'lead_time.mean': '<= 24h'}) or a "
                            "targets: section in the scenario", source="optimize")
    goals = [t.bound_for(float(day.day_length) if day is not None else None)
             for t in parse_targets(targets)]
    per_activity = [t.kpi for t in goals if t.measured.startswith("activity.")]
    if per_activity:
        # the runs measure case-level KPIs only: such a target would be unknown in every
        # candidate, and every candidate would fail it without a word
        raise ScenarioError(f"optimize: per-activity targets {per_activity} are not measured "
                            f"during the search; use case-level ones (lead_time, waiting, "
                            f"processing, utilisation.<pool>, cost, throughput)",
                            source="optimize")
    seed = StreamFactory(seed).seed
    keys = list(lattice(decs, rules, limit=exhaustive_limit + 1))
    if not keys:
        raise ScenarioError("optimize: no candidate satisfies the constraints",
                            source="optimize")
    plan = Budget.of(budget)
    with open_executor(executor) as pool:
        ev = Evaluator(base, model, decs, goals, objective, seed, pool, plan, settings,
                       progress, until)
        if len(keys) <= exhaustive_limit:
            method, notes = "exhaustive", list[str]()
            cands = exhaustive(ev, keys)
        else:
            method = "heuristic"
            cands, notes = heuristic(ev, decs, rules)
        ev.phase = "selection"
        chosen = select(ev, cands)
    if progress is not None:
        progress({"phase": "done", "runs": plan.used, "budget": plan.runs,
                  "candidates": len(cands)})
    if plan.hit:
        notes.append(f"stopped at {plan.hit}: the best candidate found so far is returned, "
                     f"and candidates not yet settled are marked uncertain")
    return OptimizationResult(tuple(d.path for d in decs), objective, tuple(goals), cands,
                              chosen.best, method, plan.used, seed, settings.confidence,
                              chosen.statements, notes)


def _settings(confidence: float, replications: Any) -> Settings:
    if not (isinstance(confidence, float | int) and 0.5 <= confidence < 1):
        raise ScenarioError(f"optimize: confidence= must lie in [0.5, 1), e.g. 0.95, not "
                            f"{confidence!r}")
    try:
        first, most = (int(x) for x in replications)
    except (TypeError, ValueError):
        raise ScenarioError(f"optimize: replications= must be (first, most), e.g. (5, 40), "
                            f"not {replications!r}") from None
    if not 2 <= first <= most:
        raise ScenarioError(f"optimize: replications= (first, most) needs 2 <= first <= most, "
                            f"got {replications!r}")
    return Settings(first=first, step=first, most=most, confidence=float(confidence))
