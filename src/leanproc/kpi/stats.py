"""Summary statistics of a sample of durations and the t-based confidence interval.

The replication code summarises every KPI over independent runs with
:func:`confidence_interval`, so it lives here rather than next to the log arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from leanproc.errors import LeanprocError

__all__ = ["Summary", "confidence_interval", "summarize"]


def confidence_interval(
    values: Iterable[float] | np.ndarray, level: float = 0.95
) -> tuple[float, float, float]:
    """Return ``(mean, low, high)``: the sample mean and its two-sided t-based interval.

    NaN values are ignored. With fewer than two values the interval is undefined and ``low`` and
    ``high`` are NaN (one replication says nothing about the spread); with no values at all the
    mean is NaN too. A sample with zero spread gives ``low == high == mean``.
    """
    if not 0.0 < level < 1.0:
        raise LeanprocError(f"confidence level must lie strictly between 0 and 1, got {level!r}")
    x = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan
    # scipy loads in ~0.3 s; import it only when an interval is actually needed.
    from scipy import stats

    half = float(stats.t.ppf(0.5 + level / 2.0, df=n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


@dataclass(frozen=True, slots=True)
class Summary:
    """Distribution of one per-case duration, in seconds.

    ``ci_low`` / ``ci_high`` bound the mean at 95 % (t distribution); they are NaN with fewer
    than two cases. Every field is NaN (and ``n`` is 0) when there are no cases.
    """

    n: int
    mean: float
    median: float
    p90: float
    max: float
    ci_low: float
    ci_high: float

    def as_dict(self, prefix: str) -> dict[str, float]:
        """The fields as flat ``{"<prefix>.<field>": value}`` entries."""
        return {
            f"{prefix}.mean": self.mean,
            f"{prefix}.median": self.median,
            f"{prefix}.p90": self.p90,
            f"{prefix}.max": self.max,
            f"{prefix}.n": float(self.n),
            f"{prefix}.ci_low": self.ci_low,
            f"{prefix}.ci_high": self.ci_high,
        }


def summarize(values: np.ndarray) -> Summary:
    """Summarise a 1-D float array of durations (NaN entries are ignored)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        nan = math.nan
        return Summary(0, nan, nan, nan, nan, nan, nan)
    mean, low, high = confidence_interval(x)
    # The default (linear) quantile so that figures agree with pandas and numpy defaults.
    median, p90 = np.quantile(x, [0.5, 0.9])
    return Summary(int(x.size), mean, float(median), float(p90), float(x.max()), low, high)
