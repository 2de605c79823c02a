"""Before against after, with case-level 95 % intervals.

* mean: the batch-means interval of `kpi.stats` over the side's cases in end-time order
  (nearby cases share queues); when the side is too short or its batch means stay correlated,
  the t interval over cases, and a note says so (it is then too narrow);
* median: the distribution-free order-statistic interval — the ranks ``j < k`` around the
  middle with ``P(j <= B < k) >= 95 %`` for ``B ~ Binomial(n, 1/2)``. It holds for any shape,
  skewed lead times included, and needs no resampling;
* a share within the SLA: the Wilson score interval;
* throughput: the t interval of the per-period rates.

``relative_change`` is ``after / before - 1``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from leanproc.kpi.stats import batch_means_interval, confidence_interval

__all__ = ["COLUMNS", "comparison_row", "mean_interval", "median_interval", "share_interval"]

COLUMNS = ["kpi", "before", "before_low", "before_high", "after", "after_low", "after_high",
           "relative_change"]
_LEVEL = 0.95


def mean_interval(x: np.ndarray, notes: list[str], what: str) -> tuple[float, float, float]:
    """(mean, low, high) of per-case values in end-time order."""
    bm = batch_means_interval(x, _LEVEL, nonnegative=True)
    if math.isfinite(bm.low):
        return bm.mean, bm.low, bm.high
    notes.append(f"{what}: no batch-means interval ({bm.reason}); the t interval over cases "
                 "is shown, too narrow when nearby cases are correlated")
    return confidence_interval(x, _LEVEL, nonnegative=True)


def median_interval(x: np.ndarray) -> tuple[float, float, float]:
    """(median, low, high): the order-statistic interval of the median."""
    v = np.sort(x[~np.isnan(x)])
    n = v.size
    if n == 0:
        return math.nan, math.nan, math.nan
    median = float(np.median(v))
    alpha = 1.0 - _LEVEL
    j = int(stats.binom.ppf(alpha / 2, n, 0.5))  # ranks 1-based: v[j-1] .. v[k-1]
    k = n - j + 1
    if j < 1:
        return median, math.nan, math.nan
    return median, float(v[j - 1]), float(v[k - 1])


def share_interval(hits: np.ndarray) -> tuple[float, float, float]:
    """(share, low, high): the Wilson score interval of a share of 0/1 values."""
    x = hits[~np.isnan(hits)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    p = float(x.mean())
    z = float(stats.norm.ppf(0.5 + _LEVEL / 2))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(centre - half, 0.0), min(centre + half, 1.0)


def comparison_row(kpi: str, before: tuple[float, float, float],
                   after: tuple[float, float, float]) -> dict[str, float | str]:
    relative = after[0] / before[0] - 1.0 if before[0] else math.nan
    return {"kpi": kpi, "before": before[0], "before_low": before[1],
            "before_high": before[2], "after": after[0], "after_low": after[1],
            "after_high": after[2], "relative_change": relative}


def empty_comparison() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)
