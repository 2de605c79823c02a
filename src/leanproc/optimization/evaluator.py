"""The evaluator: builds candidates once, runs their replications, cuts hopeless ones early.

Every candidate is bound and compiled once (a bad value fails with its place before any run).
Runs are handed to the executor in batches, replication r of every candidate with the same seed
and index, and their values are stored in submission order, so the search sees the same numbers
on any executor. Two cheap checks cut a candidate before it costs many runs:

* **offered load** — one pilot run per setting of the non-head-count decisions (with every
  head count at its largest value) measures the work the cases demand of each pool and the
  working time one unit offers while they arrive; a candidate whose pool would be loaded at
  1 or more (work / (units x offer)) cannot keep up and is cut without a run;
* **waiting trend** — after its first replications, a candidate whose last third of cases
  takes more than `GROWTH_LIMIT` (1.4) times as long as the middle third in every
  replication is cut as unstable (the queue is still growing when the run ends).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leanproc.cost.staffing import staff_cost
from leanproc.errors import ScenarioError
from leanproc.optimization.budget import Budget
from leanproc.optimization.candidates import (
    FEASIBLE,
    INFEASIBLE,
    NOT_RUN,
    UNCERTAIN,
    Candidate,
)
from leanproc.optimization.decisions import Decision
from leanproc.optimization.runs import GROWTH, Job, pilot_load, run_batch
from leanproc.optimization.stats import mean_bounds
from leanproc.simulation.run import run_one, until_of
from leanproc.simulation.sweep import MAX_TASKS, set_path

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from leanproc.bpmn.model import ProcessModel
    from leanproc.targets.spec import Target

__all__ = ["GROWTH_LIMIT", "STATIC_KPIS", "Evaluator", "Settings"]

GROWTH_LIMIT = 1.4
"""An overloaded queue filling from empty makes lead times grow linearly with arrival order, so
its last third of cases takes 5/3 (about 1.67) as long as its middle third; a stable one about
1. Requiring the ratio above 1.4 in every replication (at least two) keeps a stable queue's
noise from cutting it; a queue still filling at the end of every run is cut, which is what its
figures would not show: a steady state."""
STATIC_KPIS = ("staff_cost.per_year",)
"""KPIs computed from the candidate's scenario without simulating: exact, known before a run."""

_COST_HEADS = ("cost.", "labour_hours.", "fte")


@dataclass(frozen=True)
class Settings:
    """`first`: replications every simulated candidate gets; `step`: replications added per
    round to a candidate still undecided; `most`: the cap per candidate; `confidence`: the
    joint level of "meets every target" and of "cheapest"."""

    first: int = 5
    step: int = 5
    most: int = 40
    confidence: float = 0.95


class Evaluator:
    """Candidates by key, their runs, and the feasibility verdicts (see the module docstring)."""

    def __init__(self, base: Mapping[str, Any], model: ProcessModel | None,
                 decisions: Sequence[Decision], targets: Sequence[Target], objective: str,
                 seed: int, pool: Executor | None, budget: Budget, settings: Settings,
                 progress: Callable[[dict[str, Any]], None] | None = None,
                 until: Any = None) -> None:
        self.base, self.model, self.decisions = base, model, list(decisions)
        self.targets, self.objective, self.seed = list(targets), objective, seed
        self.pool, self.budget, self.settings, self.progress = pool, budget, settings, progress
        self.until = until  # the runs' end (simulate's until=), None: every case finishes
        self.candidates: dict[tuple[Any, ...], Candidate] = {}
        self._pilots: dict[tuple[Any, ...], dict[str, tuple[float, float]] | None] = {}
        wanted = {t.measured for t in self.targets} | {objective}
        self.wanted = tuple(sorted(k for k in wanted if k not in STATIC_KPIS))
        self.sla = tuple(sorted({d for t in self.targets if (d := t.sla_deadline)}))
        self.cost = any(k.startswith(_COST_HEADS) for k in self.wanted)
        self.phase = "start"

    # ---- building ---------------------------------------------------------------------------
    def get(self, key: tuple[Any, ...]) -> Candidate:
        """The candidate of `key`, bound, compiled, its static KPIs and offered loads known."""
        if key in self.candidates:
            return self.candidates[key]
        from leanproc.scenario import Scenario
        from leanproc.simulation.compile import compile_model

        point = {d.path: v for d, v in zip(self.decisions, key, strict=True)}
        cand = Candidate(key, point, len(self.candidates))
        self.candidates[key] = cand
        data = dict(self.base)
        for path, value in point.items():
            data = set_path(data, path, value)
        try:
            cand.bound = Scenario.load(data).bind(self.model)
        except ScenarioError as exc:
            raise ScenarioError([f"candidate {point}: {p}" for p in exc.problems],
                                source="optimize") from None
        cand.compiled = compile_model(cand.bound)
        cand.static = {"staff_cost.per_year": staff_cost(cand.bound).total}
        self._cut_by_load(cand)
        self.judge(cand)
        return cand

    def _signature(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """The decisions that change the work per case or the hours offered (all but counts)."""
        return tuple(v for d, v in zip(self.decisions, key, strict=True) if d.pool is None)

    def _pilot(self, key: tuple[Any, ...]) -> dict[str, tuple[float, float]] | None:
        sig = self._signature(key)
        if sig in self._pilots:
            return self._pilots[sig]

        biggest = tuple(d.values[-1] if d.pool is not None else v
                        for d, v in zip(self.decisions, key, strict=True))
        ref = self.get(biggest) if biggest != key else self.candidates[key]
        if sig in self._pilots:  # building the biggest candidate ran the pilot already
            return self._pilots[sig]
        info = None
        if ref.bound is not None and ref.compiled is not None and self.budget.allow(1):
            self.budget.used += 1
            result = run_one(ref.compiled, ref.bound, self.seed, 0,
                             *until_of(ref.bound, self.until))
            info = pilot_load(result)
        self._pilots[sig] = info
        return info

    def _cut_by_load(self, cand: Candidate) -> None:
        info = self._pilot(cand.key)
        if not info or cand.bound is None:
            return
        for pool, (work, offer) in info.items():
            units = cand.bound.pools[pool].count
            load = work / (units * offer) if offer > 0 else math.inf if work > 0 else 0.0
            cand.load[pool] = load
        worst = max(cand.load, key=lambda p: cand.load[p], default=None)
        if worst is not None and cand.load[worst] >= 1.0:
            cand.cut = (f"offered load of {worst} {cand.load[worst]:.2f} >= 1: cannot keep up "
                        f"with the arrivals (pilot run)")

    def capacity_floor(self, decision: Decision, key: tuple[Any, ...]) -> Any:
        """The fewest units of the decision's pool that keep its offered load below 1, by the
        pilot run of `key`'s setting (its largest value when none does or no pilot ran)."""
        info = self._pilot(key)
        pool = decision.pool
        if not info or pool is None or pool not in info:
            return decision.values[0]
        work, offer = info[pool]
        for v in decision.values:
            if offer > 0 and work / (v * offer) < 1.0:
                return v
        return decision.values[-1]

    # ---- running ----------------------------------------------------------------------------
    def ensure(self, wants: Sequence[tuple[Candidate, int]]) -> None:
        """Run each live candidate up to its wanted number of replications, all in one batch."""
        jobs: list[tuple[Candidate, Job]] = []
        for cand, n in wants:
            if not cand.live or cand.bound is None or cand.compiled is None:
                continue
            for r in range(cand.n, n):
                jobs.append((cand, (cand.compiled, cand.bound, self.seed, r, self.wanted,
                                    self.sla, self.cost, *until_of(cand.bound, self.until))))
        if not jobs:
            return
        jobs = jobs[:self.budget.allow(len(jobs))]  # a deterministic prefix when capped
        if not jobs:
            return
        self.budget.used += len(jobs)
        work = [job for _, job in jobs]
        if self.pool is None:
            values = run_batch(work)
        else:
            size = -(-len(work) // MAX_TASKS)  # ceiling division
            futures = [self.pool.submit(run_batch, work[i:i + size])
                       for i in range(0, len(work), size)]
            values = [v for f in futures for v in f.result()]
        touched: dict[tuple[Any, ...], Candidate] = {}
        for (cand, job), row in zip(jobs, values, strict=True):
            if job[3] != cand.n:  # replications arrive in order; a gap would break pairing
                raise RuntimeError(f"replication {job[3]} of {cand.point} out of order")
            cand.rows.append({**row, **cand.static})
            touched[cand.key] = cand
        for cand in touched.values():
            self._cut_by_trend(cand)
            self.judge(cand)
        if self.progress is not None:
            self.progress({"phase": self.phase, "runs": self.budget.used,
                           "budget": self.budget.runs, "candidates": len(self.candidates)})

    def _cut_by_trend(self, cand: Candidate) -> None:
        g = [row.get(GROWTH, math.nan) for row in cand.rows]
        if len(g) >= 2 and all(x > GROWTH_LIMIT for x in g):
            cand.cut = (f"waiting grows: the last third of the cases took {min(g):.1f}x or more "
                        f"as long as the middle third in every replication")

    # ---- judging ----------------------------------------------------------------------------
    def judge(self, cand: Candidate) -> str:
        """Feasibility of `cand` now: every target met, one not met, or undecided.

        Each target is tested one-sided at (1 - confidence) / number of targets (Bonferroni),
        so "meets every target" holds jointly with at least the stated confidence."""
        if cand.cut is not None and cand.n == 0:
            cand.verdict = INFEASIBLE if self.targets else NOT_RUN
            return cand.verdict
        if cand.n == 0:
            return cand.verdict
        alpha = (1.0 - self.settings.confidence) / max(len(self.targets), 1)
        verdicts: dict[str, str] = {}
        for t in self.targets:
            _, low, high = mean_bounds(cand.values(t.measured), alpha,
                                       exact=t.measured in STATIC_KPIS)
            if math.isnan(low):
                verdicts[t.text] = INFEASIBLE  # no value: nothing shows the target is met
            elif t.holds(low) and t.holds(high):
                verdicts[t.text] = FEASIBLE
            elif not t.holds(low) and not t.holds(high):
                verdicts[t.text] = INFEASIBLE
            else:
                verdicts[t.text] = UNCERTAIN
        cand.verdicts = verdicts
        if cand.cut is not None or INFEASIBLE in verdicts.values():
            cand.verdict = INFEASIBLE
        elif UNCERTAIN in verdicts.values():
            cand.verdict = UNCERTAIN
        else:
            cand.verdict = FEASIBLE
        return cand.verdict

    def resolve(self, cands: Sequence[Candidate]) -> None:
        """Add replications, `step` at a time, to the candidates whose feasibility is still
        undecided, until decided, at the cap per candidate, or out of budget."""
        todo = [c for c in cands if c.live]
        self.ensure([(c, self.settings.first) for c in todo])
        while not self.budget.exhausted:
            pending = [c for c in todo if c.live and c.verdict == UNCERTAIN
                       and c.n < self.settings.most]
            if not pending:
                break
            self.ensure([(c, min(c.n + self.settings.step, self.settings.most))
                         for c in pending])

    def objective_mean(self, cand: Candidate) -> float:
        x = cand.values(self.objective)
        return float(sum(x) / len(x)) if x else cand.static.get(self.objective, math.nan)

    def violation(self, cand: Candidate) -> float:
        """How far the candidate's one-sided bounds miss the targets, each relative to its
        bound and summed (0 when every bound is met; infinite when cut without a run)."""
        if cand.n == 0:
            return math.inf
        alpha = (1.0 - self.settings.confidence) / max(len(self.targets), 1)
        total = 0.0
        for t in self.targets:
            mean, low, high = mean_bounds(cand.values(t.measured), alpha,
                                          exact=t.measured in STATIC_KPIS)
            if math.isnan(mean):
                return math.inf
            scale = abs(t.bound) or 1.0
            if t.op in ("<=", "<"):
                total += max(0.0, min(high, mean + scale) - t.bound) / scale
            elif t.op in (">=", ">"):
                total += max(0.0, t.bound - max(low, mean - scale)) / scale
            elif not t.holds(mean):
                total += abs(mean - t.bound) / scale
        return total
