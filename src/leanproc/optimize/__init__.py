"""Optimisation: the cheapest staffing and working hours that meet the targets.

``leanproc.optimize`` is this package, and calling it calls `optimize` (see its docstring for
the arguments): the package and the function share one name, and a module named like a
function would otherwise hide the function once anything imports the package.

>>> import leanproc
>>> r = leanproc.optimize("as-is.yaml", decisions={"resources.clerk.count": range(1, 11)},
...                       targets={"lead_time.mean": "<= 24h"},
...                       objective="staff_cost.per_year")                # doctest: +SKIP
>>> r.best, r.table(), r.front, r.plot()                                  # doctest: +SKIP

Modules: `decisions` (paths and values), `constraints` (safe expressions), `evaluator`
(runs, early cuts, feasibility), `search` (exhaustive and heuristic), `selection` (the best and
how sure), `stats` (one-sided t bounds), `result` and `view`.
"""

import sys
import types
from typing import Any

from leanproc.optimize.api import optimize
from leanproc.optimize.result import OptimizationResult
from leanproc.optimize.search import EXHAUSTIVE_LIMIT

__all__ = ["EXHAUSTIVE_LIMIT", "OptimizationResult", "optimize"]


class _CallablePackage(types.ModuleType):
    """This package, callable as `optimize`."""

    def __call__(self, *args: Any, **kwargs: Any) -> OptimizationResult:
        return optimize(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
