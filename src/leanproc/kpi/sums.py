"""Sums of int64 nanosecond durations without overflow, exact to the nanosecond.

One duration fits an int64 (292 years), but a *sum* over a big log does not: the case time
of 1,000,000 cases open for four months each is already past 292 years, and numpy's int64
sum then wraps around silently (a negative WIP). A float64 sum would not wrap but rounds, so
the KPIs of a log read in chunks would no longer equal those of the whole log to the last
bit. Here each value is split into its high and low 32 bits and the halves are summed
separately, block by block (a block's half-sums fit an int64 with room to spare), and joined
as Python ints. Blocks also keep the temporaries small on a 10 M-row log.
"""

from __future__ import annotations

import numpy as np

__all__ = ["exact_group_sums", "exact_sum"]

_LOW_BITS = 32
_LOW_MASK = (1 << _LOW_BITS) - 1
_BLOCK = 1 << 20  # rows per block: half-sums stay below 2**52, temporaries a few MB


def exact_sum(values: np.ndarray) -> int:
    """The exact sum of int64 values as a Python int (no wrap-around)."""
    total = 0
    for lo in range(0, values.size, _BLOCK):
        block = np.asarray(values[lo:lo + _BLOCK], dtype=np.int64)
        total += (int((block >> _LOW_BITS).sum()) << _LOW_BITS) + int((block & _LOW_MASK).sum())
    return total


def exact_group_sums(codes: np.ndarray, values: np.ndarray, n_groups: int) -> list[int]:
    """Exact sum of ``values`` per group code ``0 .. n_groups-1`` (Python ints)."""
    totals = [0] * n_groups
    for lo in range(0, values.size, _BLOCK):
        block = np.asarray(values[lo:lo + _BLOCK], dtype=np.int64)
        group = codes[lo:lo + _BLOCK]
        high = np.zeros(n_groups, dtype=np.int64)
        low = np.zeros(n_groups, dtype=np.int64)
        np.add.at(high, group, block >> _LOW_BITS)
        np.add.at(low, group, block & _LOW_MASK)
        for k in np.flatnonzero(high | low):
            totals[k] += (int(high[k]) << _LOW_BITS) + int(low[k])
    return totals
