"""Sums of int64 nanosecond durations without overflow, exact to the nanosecond.

One duration fits an int64 (292 years), but a *sum* over a big log does not: the case time
of 1,000,000 cases open for four months each is already past 292 years, and numpy's int64
sum then wraps around silently (a negative WIP). A float64 sum would not wrap but rounds, so
the KPIs of a log read in chunks would no longer equal those of the whole log to the last
bit. Here each value is split into its high and low 32 bits; the two halves are summed
separately (each half-sum fits an int64 for up to 2**31 rows) and joined as a Python int.
"""

from __future__ import annotations

import numpy as np

__all__ = ["exact_group_sums", "exact_sum"]

_LOW_BITS = 32
_LOW_MASK = (1 << _LOW_BITS) - 1
_MAX_ROWS = 1 << 31  # beyond this a half-sum could itself overflow


def _halves(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """High (signed) and low (non-negative) 32-bit halves: ``v == high * 2**32 + low``."""
    v = np.asarray(values, dtype=np.int64)
    if v.size >= _MAX_ROWS:
        raise ValueError(f"{v.size} values: exact sums take at most {_MAX_ROWS - 1} at once")
    return v >> _LOW_BITS, v & _LOW_MASK


def exact_sum(values: np.ndarray) -> int:
    """The exact sum of int64 values as a Python int (no wrap-around)."""
    high, low = _halves(values)
    return (int(high.sum()) << _LOW_BITS) + int(low.sum())


def exact_group_sums(codes: np.ndarray, values: np.ndarray, n_groups: int) -> list[int]:
    """Exact sum of ``values`` per group code ``0 .. n_groups-1`` (Python ints)."""
    high, low = _halves(values)
    high_sum = np.zeros(n_groups, dtype=np.int64)
    low_sum = np.zeros(n_groups, dtype=np.int64)
    np.add.at(high_sum, codes, high)
    np.add.at(low_sum, codes, low)
    return [(int(h) << _LOW_BITS) + int(lo) for h, lo in zip(high_sum, low_sum, strict=True)]
