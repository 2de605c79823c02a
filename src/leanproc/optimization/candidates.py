"""A candidate (one assignment of every decision) and what has been learnt about it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leanproc.scenario.plans import BoundScenario
    from leanproc.simulation.compile import CompiledModel

__all__ = ["FEASIBLE", "INFEASIBLE", "NOT_RUN", "UNCERTAIN", "Candidate"]

FEASIBLE, INFEASIBLE, UNCERTAIN, NOT_RUN = "feasible", "infeasible", "uncertain", "not run"


@dataclass
class Candidate:
    """`key`: the decision values in the order the decisions were given; `point`: the same as
    path -> value. `rows` hold one dict of KPI values per replication, replication r run on the
    same random numbers as every other candidate's r. `cut` says why the candidate was not (or
    no longer) simulated; `verdict` is its feasibility with `verdicts` per target."""

    key: tuple[Any, ...]
    point: dict[str, Any]
    order: int
    bound: BoundScenario | None = None
    compiled: CompiledModel | None = None
    static: dict[str, float] = field(default_factory=dict)
    load: dict[str, float] = field(default_factory=dict)
    rows: list[dict[str, float]] = field(default_factory=list)
    cut: str | None = None
    verdict: str = NOT_RUN
    verdicts: dict[str, str] = field(default_factory=dict)
    rank_note: str = ""

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def live(self) -> bool:
        """Still worth simulating: bound, compiled and not cut."""
        return self.cut is None and self.compiled is not None

    def values(self, kpi: str) -> list[float]:
        return [row.get(kpi, math.nan) for row in self.rows]

    @property
    def max_load(self) -> float:
        return max(self.load.values(), default=math.nan)
