"""Arrival instants of a non-homogeneous Poisson process (``arrivals.rate``).

The rate is constant within each clock hour of the scenario's local time (the weekday, hour and
month factors change only on the hour), so the integrated rate Lambda(t) is piecewise linear and
is inverted exactly: the k-th arrival is at Lambda^-1(E1 + ... + Ek) with Ek independent unit
exponential draws. Within an hour the time counted is the arrival calendar's open time, so
closed time gets no arrivals and an hour half open gets half the cases. Hours are laid out a
block of four weeks at a time, as the run needs them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from leanproc.calendar import Timeline
    from leanproc.scenario.arrivals import RateProfile
    from leanproc.simulation.streams import SequentialStream

__all__ = ["ArrivalClock", "exponential_sampler"]

_BLOCK_HOURS = 28 * 24
_EMPTY_BLOCKS = 14  # 14 blocks of 4 weeks (over a year): no rate in any means none ever


def exponential_sampler(rng: np.random.Generator, size: int) -> np.ndarray:
    """Unit exponential draws: the steps of the integrated rate between arrivals."""
    return rng.standard_exponential(size)


class ArrivalClock:
    """Successive arrival times (float seconds after `epoch`) for `profile`.

    `timeline`: the arrival calendar's timeline from `epoch` (None: always open). `steps`: the
    stream of unit exponential draws (one per arrival, so a seed fixes the instants).
    """

    def __init__(self, profile: RateProfile, epoch: pd.Timestamp, timeline: Timeline | None,
                 steps: SequentialStream) -> None:
        self.profile = profile
        self.epoch = epoch
        self.timeline = timeline
        self.steps = steps
        # the hour the epoch lies in, on the local clock (a repeated hour: its second pass)
        self._first_hour = epoch.floor("h", ambiguous=False, nonexistent="shift_backward")
        self._block = 0  # index of the block laid out
        self._lay_out()
        self._done = 0.0  # integrated rate used up in the current block

    def _lay_out(self) -> None:
        hours = pd.date_range(self._first_hour + pd.Timedelta(hours=self._block * _BLOCK_HOURS),
                              periods=_BLOCK_HOURS + 1, freq="h")
        edges = (hours - self.epoch).total_seconds().to_numpy(dtype=float)
        start = np.maximum(edges[:-1], 0.0)
        end = np.maximum(edges[1:], 0.0)
        if self.timeline is not None:
            open_s = self.timeline.between_array(start, end)
        else:
            open_s = end - start
        self._start = start
        self._end = end
        self._rate = self.profile.rate_at(hours[:-1])
        self._cum = np.cumsum(self._rate * open_s)

    def next(self) -> float:
        """The next arrival time; inf when the rate is zero for more than a year ahead."""
        target = self._done + self.steps.next()
        empty = 0
        while target > self._cum[-1]:
            empty = empty + 1 if self._cum[-1] == 0.0 else 0
            if empty >= _EMPTY_BLOCKS:
                return math.inf
            target -= self._cum[-1]
            self._block += 1
            self._lay_out()
        self._done = target
        k = int(np.searchsorted(self._cum, target, side="left"))
        before = float(self._cum[k - 1]) if k else 0.0
        offset = (target - before) / float(self._rate[k])  # open seconds into hour k
        start = float(self._start[k])
        t = self.timeline.add(start, offset) if self.timeline is not None else start + offset
        return min(t, float(self._end[k]))
