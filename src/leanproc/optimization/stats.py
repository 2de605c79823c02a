"""The statistics behind "meets the target" and "cheapest": one-sided t bounds.

Replications are independent, so the mean of a KPI over n replications has the one-sided
bounds mean -/+ t(1 - alpha, n - 1) * s / sqrt(n). Candidates share random numbers (replication
r of every candidate runs with the same seed and index), so two candidates are ranked on the
paired differences of their replications, whose spread is far smaller than either's.
A KPI that does not vary (the staff cost of a candidate, a count) has exact bounds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["mean_bounds", "paired_upper", "two_sided"]


def _t(alpha: float, df: int) -> float:
    from scipy import stats  # scipy loads only when an optimisation runs

    return float(stats.t.ppf(1.0 - alpha, df))


def mean_bounds(x: Sequence[float], alpha: float, *,
                exact: bool = False) -> tuple[float, float, float]:
    """(mean, lower, upper): each bound one-sided at level 1 - alpha.

    `exact`: the KPI is computed, not sampled (a staff cost), so the bounds are the value. A
    KPI that did not vary over two or more replications gets bounds equal to its value, as
    `leanproc.targets.evaluate` does; a single replication says nothing about the spread
    (infinite bounds). NaN values make everything NaN: nothing is claimed about them."""
    a = np.asarray(x, dtype=float)
    if a.size == 0 or not np.isfinite(a).all():
        return math.nan, math.nan, math.nan
    mean = float(a.mean())
    if exact or (a.size > 1 and np.ptp(a) == 0):
        return mean, mean, mean
    if a.size == 1:
        return mean, -math.inf, math.inf
    half = _t(alpha, a.size - 1) * float(a.std(ddof=1)) / math.sqrt(a.size)
    return mean, mean - half, mean + half


def two_sided(x: Sequence[float], level: float = 0.95, *,
              exact: bool = False) -> tuple[float, float, float]:
    """(mean, low, high): the two-sided t interval shown in tables."""
    return mean_bounds(x, (1.0 - level) / 2.0, exact=exact)


def paired_upper(a: Sequence[float], b: Sequence[float], alpha: float, *,
                 exact: bool = False) -> tuple[float, float]:
    """(mean, one-sided upper bound) of a - b over their common replications (the first n of
    each, which ran on the same random numbers)."""
    n = min(len(a), len(b))
    d = np.asarray(a[:n], dtype=float) - np.asarray(b[:n], dtype=float)
    mean, _, upper = mean_bounds(d, alpha, exact=exact)
    return mean, upper
