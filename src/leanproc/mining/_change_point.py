"""The best single shift in mean of case-level values, and how surprising it is.

Method (documented so that a reader can redo it):

1. The values are taken in the order of the cases' end times and log-transformed,
   ``y = log(x + c)`` with ``c`` 1 % of the median positive value: lead times are skewed
   (lognormal-like), and on the log scale a change from 72 h to 24 h is a shift in mean of
   a near-normal variable, with the long tail no longer dominating the fit.
2. For every split ``k`` (the first ``k`` cases before, the rest after) with at least
   `min_size` cases on each side, the likelihood ratio of "two means, one variance" against
   "one mean" is ``n * log(SST / (SST - B_k))`` with ``B_k = n / (k (n - k)) * S_k²`` (``S_k``
   the cumulative sum of the centred values): the between-sides sum of squares. The split
   with the largest ``B_k`` is the candidate. One split only: the report answers "since when",
   a single before / after.
3. Its p-value is a block-permutation test: the sequence is cut into 10 consecutive blocks
   (each a tenth of the log), the blocks are shuffled `permutations` times (fixed seed), and
   the p-value is ``(1 + #{max B* >= max B}) / (1 + permutations)``. Blocks, not single
   cases, because cases that end close together share queues and are correlated: shuffling
   single cases would treat them as independent and call chance clusters a change. With
   independent cases the test is exact at any block size. Why ten long blocks: on no-change
   logs whose log lead times are AR(1)-correlated in start order (rho 0.9), blocks of
   sqrt(n) cases (about 35) gave p < 0.01 in 7-17 % of logs; with 10 blocks, 2 of 100
   (benchmarks/monitor_change_points.py; 2 of 300 with independent cases), while a
   72 h -> 24 h step at 3 cases a day is still found in 20 of 20 logs.
4. The split is reported when the p-value is below `level` (0.01): a false alarm about once
   in a hundred logs without any change (benchmarks/monitor_change_points.py measures it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["LEVEL", "PERMUTATIONS", "Shift", "best_shift", "min_segment"]

#: Significance level of the change-point test.
LEVEL = 0.01
#: Block permutations of the test: 999 give p-values in steps of 0.001, fine enough at 0.01.
PERMUTATIONS = 999
#: Fewest cases on either side of a split, and the share of the log that is at least.
MIN_SIDE = 20
_MIN_SHARE = 0.05
#: Blocks of the permutation test (each a tenth of the log).
BLOCKS = 10


@dataclass(frozen=True)
class Shift:
    """The best split: `index` cases before it; its statistic and permutation p-value."""

    index: int
    statistic: float
    p_value: float


def min_segment(n: int) -> int:
    """Fewest cases on a side: 20, or 5 % of the log when that is more (a split nearer the
    ends rests on too few cases to say which side the change is on)."""
    return max(MIN_SIDE, math.ceil(_MIN_SHARE * n))


def log_values(x: np.ndarray) -> np.ndarray:
    """``log(x + c)``, c 1 % of the median positive value (1 when there is none)."""
    positive = x[x > 0]
    c = 0.01 * float(np.median(positive)) if positive.size else 1.0
    return np.log(np.maximum(x, 0.0) + c)


def _between(y: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """``B_k`` for k in [lo, hi] for each row of `y` (rows: sequences of one length)."""
    n = y.shape[-1]
    centred = y - y.mean(axis=-1, keepdims=True)
    s = np.cumsum(centred, axis=-1)[..., lo - 1:hi]
    k = np.arange(lo, hi + 1, dtype=float)
    out: np.ndarray = n / (k * (n - k)) * s * s
    return out


def best_shift(values: np.ndarray, *, permutations: int = PERMUTATIONS,
               seed: int = 0) -> Shift | None:
    """The best single shift of `values` (case-level, in end-time order); None when the log is
    too short for two sides of `min_segment` cases or the values do not vary."""
    x = np.asarray(values, dtype=float)
    n = x.size
    m = min_segment(n)
    if n < 2 * m:
        return None
    y = log_values(x)
    if float(np.ptp(y)) == 0.0:
        return None
    observed = _between(y, m, n - m)
    best = int(np.argmax(observed))
    statistic = float(observed[best])
    block = math.ceil(n / BLOCKS)
    starts = np.arange(0, n, block)
    blocks = [np.arange(int(s), min(int(s) + block, n)) for s in starts]
    rng = np.random.default_rng(seed)
    exceed = 0
    for chunk in range(0, permutations, 100):  # 100 shuffles at a time bound the memory
        rows = min(100, permutations - chunk)
        order = np.stack([np.concatenate([blocks[i] for i in rng.permutation(len(blocks))])
                          for _ in range(rows)])
        exceed += int((_between(y[order], m, n - m).max(axis=1) >= statistic).sum())
    return Shift(best + m, statistic, (1 + exceed) / (1 + permutations))
