"""`OptimizationResult`: the best candidate, every candidate evaluated, the Pareto front."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc.optimization.candidates import FEASIBLE, INFEASIBLE, UNCERTAIN, Candidate
from leanproc.optimization.stats import two_sided
from leanproc.targets.spec import Target, format_value, unit_of

if TYPE_CHECKING:
    from leanproc._view import HTMLView
    from leanproc.scenario.plans import BoundScenario

__all__ = ["OptimizationResult"]


@dataclass
class OptimizationResult:
    """What `leanproc.optimize` found.

    `best`: the decision values of the cheapest candidate shown to meet every target (None when
    none was); `best_scenario`: that candidate's bound scenario (``simulate(r.best_scenario)``
    runs it, ``r.best_scenario.scenario.to_yaml(path)`` writes it); `statements`: what is
    claimed about the best and with which confidence; `notes`: how the search went (a budget
    hit, no feasible candidate, ...). `table()` lists every candidate evaluated, `front` the
    Pareto front of the objective against each target KPI.
    """

    decisions: tuple[str, ...]
    objective: str
    targets: tuple[Target, ...]
    candidates: list[Candidate]
    best_candidate: Candidate | None
    method: str
    runs: int
    seed: int
    confidence: float
    statements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> dict[str, Any] | None:
        return dict(self.best_candidate.point) if self.best_candidate is not None else None

    @property
    def best_scenario(self) -> BoundScenario | None:
        return self.best_candidate.bound if self.best_candidate is not None else None

    def _kpis(self) -> list[str]:
        return list(dict.fromkeys([self.objective, *(t.measured for t in self.targets)]))

    def table(self) -> pd.DataFrame:
        """One row per candidate evaluated, in the order met: the decisions; for the objective
        and every target KPI its mean over the candidate's replications with the two-sided 95 %
        t interval (KPI units: seconds for times, roubles for money); ``verdict`` (feasible,
        infeasible, uncertain, not run), ``confidence`` (the joint level of a settled verdict),
        ``replications``, ``max_load`` (the highest offered load of a pool, from the pilot),
        ``cut`` (why it was not simulated further), ``rank`` (against the best)."""
        rows = []
        from leanproc.optimization.evaluator import STATIC_KPIS

        for c in self.candidates:
            row: dict[str, Any] = dict(c.point)
            for kpi in self._kpis():
                values = c.values(kpi) if c.n else ([c.static[kpi]] if kpi in c.static else [])
                mean, low, high = (two_sided(values, exact=kpi in STATIC_KPIS) if values
                                   else (math.nan,) * 3)
                row |= {kpi: mean, f"{kpi}.ci_low": low, f"{kpi}.ci_high": high}
            row |= {"verdict": c.verdict,
                    "confidence": (self.confidence if c.verdict in (FEASIBLE, INFEASIBLE)
                                   and c.cut is None else math.nan),
                    "replications": c.n, "max_load": c.max_load, "cut": c.cut or "",
                    "rank": c.rank_note}
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def front(self) -> pd.DataFrame:
        """For each target KPI, the candidates no other simulated candidate beats on both the
        objective (lower) and that KPI (lower for a ``<=`` target, higher for ``>=``), by
        their means; with the table's columns and ``target`` naming the KPI."""
        table = self.table()
        simulated = table[table["replications"] > 0]
        parts = []
        for t in self.targets:
            kpi = t.measured
            sign = -1.0 if t.op in (">=", ">") else 1.0
            pts = simulated.dropna(subset=[self.objective, kpi])
            keep = []
            for i, row in pts.iterrows():
                o, k = row[self.objective], sign * row[kpi]
                dominated = ((pts[self.objective] <= o) & (sign * pts[kpi] <= k)
                             & ((pts[self.objective] < o) | (sign * pts[kpi] < k))).any()
                if not dominated:
                    keep.append(i)
            part = pts.loc[keep].sort_values(self.objective).assign(target=t.text)
            parts.append(part)
        if not parts:
            return table.iloc[0:0].assign(target=pd.Series(dtype=str))
        return pd.concat(parts, ignore_index=True)

    def plot(self, *, lang: str = "en") -> Any:
        """The objective against each target KPI: every simulated candidate coloured by its
        verdict, the front, the target bound and the best ringed (a matplotlib Figure)."""
        from leanproc.optimization.view import plot

        return plot(self, lang=lang)

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the workbook: every candidate evaluated, the Pareto front, the best with what
        is claimed about it, and the parameters (`parameters` adds rows of your own, e.g. the
        scenario file). Times in hours, money in roubles, shares as per cent."""
        from leanproc.optimization.excel import write_optimization

        return write_optimization(self, path, lang, parameters=parameters)

    def display(self, lang: str = "en") -> HTMLView:
        from leanproc.optimization.view import result_view

        return result_view(self, lang=lang)

    def _repr_html_(self) -> str:
        return self.display().html

    def show(self, kpi: str, value: float) -> str:
        """A KPI value for people (hours, roubles, per cent)."""
        try:
            unit = unit_of(kpi)
        except Exception:  # a KPI outside the target vocabulary: as a number
            unit = "number"
        return format_value(value, unit)

    def __str__(self) -> str:
        head = (f"Optimisation of {self.objective} over {', '.join(self.decisions)}: "
                f"{len(self.candidates)} candidates evaluated ({self.method}), {self.runs} runs, "
                f"seed {self.seed}")
        lines = [head]
        if self.best_candidate is None:
            lines.append("No candidate was shown to meet every target.")
        else:
            c = self.best_candidate
            mean = _mean(c, self.objective)
            lines.append(f"Best: {self.best}  {self.objective} = {self.show(self.objective, mean)}")
            for t in self.targets:
                lines.append(f"  {t.text}: {self.show(t.measured, _mean(c, t.measured))} "
                             f"({c.verdicts.get(t.text, '')})")
        lines += [f"  - {s}" for s in self.statements]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<OptimizationResult: best {self.best}, {len(self.candidates)} candidates>"


def _mean(c: Candidate, kpi: str) -> float:
    x = c.values(kpi) if c.n else [c.static.get(kpi, math.nan)]
    return float(sum(x) / len(x))


def verdict_counts(cands: Sequence[Candidate]) -> dict[str, int]:
    return {v: sum(c.verdict == v for c in cands) for v in (FEASIBLE, INFEASIBLE, UNCERTAIN)}
