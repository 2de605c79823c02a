"""Confidence intervals of a difference: paired (common random numbers) or unpaired (Welch).

With common random numbers replication r of AS-IS and of TO-BE share arrivals and the
durations of shared activities, so the per-replication differences d_r = after_r - before_r
vary far less than either side: the paired t interval of mean(d) is the honest and narrow one.
Runs with different seeds are independent; their difference gets Welch's interval.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Interval", "difference"]


class Interval(tuple):
    """(mean, low, high) with a `half_width` and `width`."""

    __slots__ = ()

    def __new__(cls, mean: float, low: float, high: float) -> Interval:
        return super().__new__(cls, (float(mean), float(low), float(high)))

    @property
    def mean(self) -> float:
        return self[0]

    @property
    def low(self) -> float:
        return self[1]

    @property
    def high(self) -> float:
        return self[2]

    @property
    def width(self) -> float:
        return self[2] - self[1]

    @property
    def half_width(self) -> float:
        return self.width / 2

    def scaled(self, factor: float) -> Interval:
        a, b = self.low * factor, self.high * factor
        return Interval(self.mean * factor, min(a, b), max(a, b))

    def __neg__(self) -> Interval:
        return Interval(-self.mean, -self.high, -self.low)


def difference(before: np.ndarray, after: np.ndarray, *, paired: bool,
               level: float = 0.95) -> Interval:
    """CI of mean(after) - mean(before): paired t on the differences, or Welch's t."""
    from scipy import stats

    a = np.asarray(before, dtype=float)
    b = np.asarray(after, dtype=float)
    if paired:
        if a.shape != b.shape:
            raise ValueError("paired replications need the same number on both sides")
        ok = np.isfinite(a) & np.isfinite(b)
        d = b[ok] - a[ok]
        n = d.size
        if n == 0:
            return Interval(math.nan, math.nan, math.nan)
        mean = float(d.mean())
        if n < 2:
            return Interval(mean, math.nan, math.nan)
        half = float(stats.t.ppf(0.5 + level / 2, n - 1) * d.std(ddof=1) / math.sqrt(n))
        return Interval(mean, mean - half, mean + half)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size == 0 or b.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = float(b.mean() - a.mean())
    if a.size < 2 or b.size < 2:
        return Interval(mean, math.nan, math.nan)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return Interval(mean, mean, mean)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    return Interval(mean, mean - half, mean + half)
