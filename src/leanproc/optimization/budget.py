"""The cap on an optimisation's work: simulation runs and / or seconds."""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leanproc.errors import ScenarioError

__all__ = ["Budget"]


@dataclass
class Budget:
    """`runs`: the most simulation runs (pilot runs included); `seconds`: wall-clock time,
    checked between batches of runs. A run cap gives the same result on every machine; a time
    cap depends on the machine's speed, so a result cut by time is reproducible only with the
    same cut (the note says which)."""

    runs: int | None = None
    seconds: float | None = None
    used: int = 0
    hit: str | None = None
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def of(cls, budget: Any) -> Budget:
        """From None (no cap), a number of runs, or ``{"runs": N, "seconds": S}``."""
        if budget is None:
            return cls()
        runs: Any
        seconds: Any
        if isinstance(budget, numbers.Integral) and not isinstance(budget, bool):
            runs, seconds = int(budget), None
        elif isinstance(budget, Mapping) and set(budget) <= {"runs", "seconds"} and budget:
            runs, seconds = budget.get("runs"), budget.get("seconds")
        else:
            raise ScenarioError(f"optimize: budget= must be a number of simulation runs or "
                                f"{{'runs': N, 'seconds': S}}, not {budget!r}")
        if runs is not None and (isinstance(runs, bool) or not isinstance(runs, int)
                                 or runs < 1):
            raise ScenarioError(f"optimize: budget runs must be a whole number >= 1, got {runs!r}")
        if seconds is not None and not (isinstance(seconds, int | float)
                                        and math.isfinite(seconds) and seconds > 0):
            raise ScenarioError(f"optimize: budget seconds must be a positive number, got "
                                f"{seconds!r}")
        return cls(runs, None if seconds is None else float(seconds))

    def allow(self, wanted: int) -> int:
        """How many of `wanted` further runs the budget allows (records when it is hit)."""
        if self.seconds is not None and time.monotonic() - self.started >= self.seconds:
            self.hit = self.hit or f"the time budget of {self.seconds:g} s"
            return 0
        if self.runs is None:
            return wanted
        left = max(self.runs - self.used, 0)
        if wanted > left:
            self.hit = self.hit or f"the budget of {self.runs} simulation runs"
        return min(wanted, left)

    @property
    def exhausted(self) -> bool:
        return self.hit is not None
