"""Optimisation: the cheapest staffing and working hours that meet the targets.

``leanproc.optimize`` is the function (`optimize`, see its docstring for the arguments); this
package, named apart from it as `leanproc.simulation` is from `leanproc.simulate`, holds its
pieces.

>>> import leanproc
>>> r = leanproc.optimize("as-is.yaml", decisions={"resources.clerk.count": range(1, 11)},
...                       targets={"lead_time.mean": "<= 24h"},
...                       objective="staff_cost.per_year")                # doctest: +SKIP
>>> r.best, r.table(), r.front, r.plot()                                  # doctest: +SKIP

Modules: `decisions` (paths and values), `constraints` (safe expressions), `evaluator`
(runs, early cuts, feasibility), `search` (exhaustive and heuristic), `selection` (the best and
how sure), `stats` (one-sided t bounds), `result` and `view`.
"""

from leanproc.optimization.api import optimize
from leanproc.optimization.result import OptimizationResult
from leanproc.optimization.search import EXHAUSTIVE_LIMIT

__all__ = ["EXHAUSTIVE_LIMIT", "OptimizationResult", "optimize"]
