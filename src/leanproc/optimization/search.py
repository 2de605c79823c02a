"""Where to look: every candidate when the lattice is small, else a guided walk over it.

**Exhaustive** (at most `EXHAUSTIVE_LIMIT` candidates that satisfy the constraints): every
candidate is built (the offered-load check cuts the hopeless ones without a run) and simulated
`first` times; feasibility is then settled in order of the objective, cheapest first. With a
computed objective (``staff_cost.per_year``) candidates dearer than the first one proven
feasible are left unsettled: they cannot be the best.

**Heuristic** (larger lattices):

1. *capacity seed* — each head count (``resources.<pool>.count``) starts at the fewest units
   that keep its pool's offered load below 1 by a pilot run; other integer decisions start at
   their smallest value, categorical ones at their first;
2. *marginal allocation* — while the current candidate is not shown feasible, try one step up
   on each integer decision and take the step that removes the most target violation per
   rouble (per unit of objective) it adds: this relieves the bottleneck the targets feel;
3. *local search* — from the feasible candidate, look at its neighbours (one step down or up
   on an integer decision, one unit moved from one integer decision to another, every other
   value of a categorical one); move to the cheapest neighbour shown feasible, until none is
   cheaper. A computed objective lets dearer neighbours be skipped without a run.

The walk visits a small part of the lattice and can stop at a local optimum; the benchmark
`benchmarks/optimize_tandem.py` checks it against exhaustive search.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from leanproc.optimization.candidates import FEASIBLE, Candidate
from leanproc.optimization.decisions import Decision
from leanproc.optimization.evaluator import STATIC_KPIS, Evaluator

__all__ = ["EXHAUSTIVE_LIMIT", "exhaustive", "heuristic", "lattice"]

EXHAUSTIVE_LIMIT = 64
"""Lattices of at most this many admissible candidates are searched exhaustively."""

Constraint = Callable[[Mapping[str, Any]], bool]


def _admissible(decisions: Sequence[Decision], constraints: Sequence[Constraint],
                key: tuple[Any, ...]) -> bool:
    point = {d.path: v for d, v in zip(decisions, key, strict=True)}
    return all(c(point) for c in constraints)


def lattice(decisions: Sequence[Decision], constraints: Sequence[Constraint],
            limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The admissible candidates in lattice order (at most `limit` of them)."""
    keys = (k for k in itertools.product(*(d.values for d in decisions))
            if _admissible(decisions, constraints, k))
    return itertools.islice(keys, limit) if limit is not None else keys


def exhaustive(ev: Evaluator, keys: Sequence[tuple[Any, ...]]) -> list[Candidate]:
    ev.phase = "exhaustive"
    cands = [ev.get(k) for k in keys]
    live = [c for c in cands if c.live]
    ev.ensure([(c, ev.settings.first) for c in live])
    static = ev.objective in STATIC_KPIS
    best: float = math.inf
    for c in sorted(live, key=lambda c: (ev.objective_mean(c), c.order)):
        if static and ev.objective_mean(c) > best:
            break  # dearer than a feasible one: cannot be the best
        ev.resolve([c])
        if c.verdict == FEASIBLE:
            best = min(best, ev.objective_mean(c))
    return cands


def _step(decisions: Sequence[Decision], key: tuple[Any, ...], i: int,
          delta: int) -> tuple[Any, ...] | None:
    d = decisions[i]
    j = d.values.index(key[i]) + delta
    if not 0 <= j < len(d.values):
        return None
    return (*key[:i], d.values[j], *key[i + 1:])


def _ups(decisions: Sequence[Decision], key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return [k for i, d in enumerate(decisions) if d.integer
            if (k := _step(decisions, key, i, +1)) is not None]


def neighbours(decisions: Sequence[Decision], key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """One step down or up, one step moved between two integer decisions, other categories."""
    out: list[tuple[Any, ...]] = []
    ints = [i for i, d in enumerate(decisions) if d.integer]
    for i in ints:
        out += [k for delta in (-1, +1) if (k := _step(decisions, key, i, delta)) is not None]
    for i, j in itertools.permutations(ints, 2):
        down = _step(decisions, key, i, -1)
        if down is not None and (k := _step(decisions, down, j, +1)) is not None:
            out.append(k)
    for i, d in enumerate(decisions):
        if not d.integer:
            out += [(*key[:i], v, *key[i + 1:]) for v in d.values if v != key[i]]
    return list(dict.fromkeys(out))


def _seed(ev: Evaluator, decisions: Sequence[Decision]) -> tuple[Any, ...]:
    key = tuple(d.values[0] for d in decisions)
    return tuple(ev.capacity_floor(d, key) if d.pool is not None else v
                 for d, v in zip(decisions, key, strict=True))


def heuristic(ev: Evaluator, decisions: Sequence[Decision],
              constraints: Sequence[Constraint]) -> tuple[list[Candidate], list[str]]:
    notes: list[str] = []

    def ok(k: tuple[Any, ...]) -> bool:
        return _admissible(decisions, constraints, k)

    key = _seed(ev, decisions)
    if not ok(key):
        first = next(lattice(decisions, constraints, limit=1), None)
        if first is None:
            return [], ["no candidate satisfies the constraints"]
        seed = {d.path: v for d, v in zip(decisions, key, strict=True)}
        notes.append(f"the capacity seed {seed} breaks the constraints; the search started "
                     f"from the first admissible candidate")
        key = first
    ev.phase = "marginal allocation"
    x = ev.get(key)
    while True:
        ev.resolve([x])
        if x.verdict == FEASIBLE or ev.budget.exhausted:
            break
        ups = [ev.get(k) for k in _ups(decisions, x.key) if ok(k)]
        ev.ensure([(u, ev.settings.first) for u in ups])
        ups = [u for u in ups if u.n > 0]
        if not ups:
            notes.append("no step up is possible from the largest candidate tried")
            break
        before, cost = ev.violation(x), ev.objective_mean(x)

        def gain(u: Candidate, before: float = before,
                 cost: float = cost) -> tuple[float, float, int]:
            relief = before - ev.violation(u)
            extra = ev.objective_mean(u) - cost
            rate = relief / extra if extra > 0 else (math.inf if relief > 0 else -math.inf)
            return (-rate if math.isfinite(before) else ev.violation(u), extra, u.order)

        x = min(ups, key=gain)
    if x.verdict != FEASIBLE:
        return _evaluated(ev, ok), [*notes, "no feasible candidate was found"]
    ev.phase = "local search"
    static = ev.objective in STATIC_KPIS
    while not ev.budget.exhausted:
        here = ev.objective_mean(x)
        near = [ev.get(k) for k in neighbours(decisions, x.key) if ok(k)]
        if static:
            near = [c for c in near if c.static[ev.objective] < here]
        ev.ensure([(c, ev.settings.first) for c in near if c.live])
        cheaper = sorted((c for c in near if c.live and ev.objective_mean(c) < here),
                         key=lambda c: (ev.objective_mean(c), c.order))
        moved = False
        for c in cheaper:
            ev.resolve([c])
            if c.verdict == FEASIBLE:
                x, moved = c, True
                break
        if not moved:
            break
    return _evaluated(ev, ok), notes


def _evaluated(ev: Evaluator, ok: Callable[[tuple[Any, ...]], bool]) -> list[Candidate]:
    """The admissible candidates simulated or cut (not those only built for a pilot run)."""
    return [c for c in ev.candidates.values() if ok(c.key) and (c.n > 0 or c.cut is not None)]
