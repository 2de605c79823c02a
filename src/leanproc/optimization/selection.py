"""Which feasible candidate is cheapest, and how sure that is.

Among the candidates proven feasible, the one with the lowest mean objective is the best. It
is then compared with every other feasible candidate on the paired differences of their
replications (common random numbers): the best is *cheaper* than another when the one-sided
upper bound of (best - other) is below zero, each comparison at (1 - confidence) / (number of
comparisons) (Bonferroni), so all the "cheaper" statements hold jointly with at least the
stated confidence. A pair not yet decided gets `step` more replications on both sides, up to
the cap (a sequential, indifference-zone-free variant of the Kim-Nelson idea: replications go
only where the ranking is still open). Candidates whose objective is exactly equal (a staff
cost is computed, not sampled) are *tied*; the tie is broken by the larger relative margin to
the targets, then by the order the candidates were met.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from leanproc.optimization.candidates import FEASIBLE, Candidate
from leanproc.optimization.evaluator import STATIC_KPIS, Evaluator
from leanproc.optimization.stats import paired_upper

__all__ = ["Selection", "select"]


@dataclass
class Selection:
    best: Candidate | None
    statements: list[str] = field(default_factory=list)


def _margin(ev: Evaluator, cand: Candidate) -> float:
    """The smallest relative distance of the candidate's mean to a target bound (larger is
    safer); infinite without targets."""
    out = math.inf
    for t in ev.targets:
        x = cand.values(t.measured)
        mean = sum(x) / len(x) if x else math.nan
        scale = abs(t.bound) or 1.0
        if t.op in ("<=", "<"):
            out = min(out, (t.bound - mean) / scale)
        elif t.op in (">=", ">"):
            out = min(out, (mean - t.bound) / scale)
    return out


def _order(ev: Evaluator, cands: Sequence[Candidate]) -> list[Candidate]:
    return sorted(cands, key=lambda c: (ev.objective_mean(c), -_margin(ev, c), c.order))


def select(ev: Evaluator, cands: Sequence[Candidate]) -> Selection:
    """The best feasible candidate and the statements that qualify it (see the module doc)."""
    exact = ev.objective in STATIC_KPIS
    level = ev.settings.confidence
    while True:
        feasible = _order(ev, [c for c in cands if c.verdict == FEASIBLE])
        if not feasible:
            return Selection(None, ["no candidate was shown to meet every target"])
        best, others = feasible[0], feasible[1:]
        alpha = (1.0 - level) / max(len(others), 1)
        pending: list[Candidate] = []
        for c in others:
            d_mean, upper = paired_upper(best.values(ev.objective), c.values(ev.objective),
                                         alpha, exact=exact)
            if upper < 0:
                c.rank_note = "dearer than the best"
            elif exact and d_mean == 0:
                c.rank_note = "tied with the best"
            elif min(best.n, c.n) < ev.settings.most and c.live:
                c.rank_note = "not yet ranked"
                pending.append(c)
            else:
                c.rank_note = "not distinguishable from the best"
        best.rank_note = "best"
        if not pending or ev.budget.exhausted:
            break
        n = min(ev.settings.most, max(best.n, *(c.n for c in pending)) + ev.settings.step)
        ev.ensure([(best, n), *((c, n) for c in pending)])
        ev.resolve([best, *pending])  # more replications may change a feasibility verdict
    return Selection(best, _statements(ev, best, others))


def _statements(ev: Evaluator, best: Candidate, others: Sequence[Candidate]) -> list[str]:
    level = ev.settings.confidence
    k = len(ev.targets)
    out = []
    if k:
        out.append(f"meets every target with confidence >= {level:.0%} (one-sided t bounds "
                   f"over {best.n} replications, each target at {1 - (1 - level) / k:.2%})")
    dearer = [c for c in others if c.rank_note == "dearer than the best"]
    tied = [c for c in others if c.rank_note == "tied with the best"]
    open_ = [c for c in others if c.rank_note not in ("dearer than the best",
                                                        "tied with the best")]
    if others:
        out.append(f"cheaper than {len(dearer)} of the {len(others)} other feasible candidates "
                   f"evaluated, jointly with confidence >= {level:.0%} (paired differences "
                   f"under common random numbers)")
    if tied:
        out.append(f"tied on {ev.objective} with {len(tied)} candidate(s); chosen for the "
                   f"larger margin to the targets")
    if open_:
        out.append(f"not distinguishable from {len(open_)} candidate(s) after "
                   f"{ev.settings.most} replications: "
                   + "; ".join(str(c.point) for c in open_[:3]))
    return out
