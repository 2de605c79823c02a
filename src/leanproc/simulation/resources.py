"""Resource pools for the engine: counted units, FIFO queues, working calendars.

A SimPy `Resource` cannot say *which* unit serves a request, and the event log must name the
resource (``clerk#2``). A pool here is a list of free unit numbers plus a FIFO queue of SimPy
events; it does the same job with fewer events per seize: when a unit is free the token takes it
without yielding at all.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Sequence
from operator import attrgetter
from typing import cast

import simpy

from leanproc.calendar import Timeline


class Pool:
    __slots__ = ("busy", "count", "env", "first_unit", "free", "idx", "name", "queue",
                 "timeline")

    def __init__(self, env: simpy.Environment, idx: int, name: str, count: int,
                 first_unit: int, timeline: Timeline | None) -> None:
        self.env = env
        self.idx = idx
        self.name = name
        self.count = count
        self.first_unit = first_unit  # global number of unit 0 (units are numbered run-wide)
        # pop() takes from the end: reversed so that unit #1 is used first, as people expect
        self.free: list[int] = list(range(first_unit + count - 1, first_unit - 1, -1))
        self.queue: deque[simpy.Event] = deque()
        self.timeline = timeline
        self.busy = 0.0  # working seconds of work done, for utilisation

    def request(self) -> simpy.Event:
        """An event that fires with a unit number when one is free (FIFO)."""
        ev = self.env.event()
        self.queue.append(ev)
        return ev

    def release(self, unit: int) -> None:
        if self.queue:
            self.queue.popleft().succeed(unit)
        else:
            self.free.append(unit)

    def cancel(self, ev: simpy.Event) -> None:
        """Withdraw a request (its token was terminated); hand back a unit it already got."""
        if ev.triggered:
            self.release(cast(int, ev.value))
        else:
            with contextlib.suppress(ValueError):
                self.queue.remove(ev)

    @property
    def load(self) -> int:
        """Queue length minus free units: what an alternative-pool choice minimises."""
        return len(self.queue) - len(self.free)


_load = attrgetter("load")


def choose_pool(pools: Sequence[Pool]) -> Pool:
    """Of an activity's alternative pools, the one with the lowest `load` (queue length minus
    free units): the most free units while any is free, else the shortest queue. Ties go to
    the pool listed first in the scenario, so a list reads as an order of preference."""
    return min(pools, key=_load)
