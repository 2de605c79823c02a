"""Tandem M/M/c stations for the optimiser's checks against queueing theory.

Poisson arrivals at rate `lam` pass stations in a line; station i has `c_i` servers with
exponential service of mean 1 / mu_i and no calendar (24/7). By Jackson's theorem each station
behaves as an independent M/M/c queue fed at rate `lam`, so the mean sojourn (lead time) is
the sum over the stations of the Erlang C mean wait plus the mean service time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.model import ProcessModel


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean waiting time in queue of M/M/c (infinite when the station is overloaded)."""
    a = lam / mu
    if a >= c:
        return math.inf
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - a / c)
    return (tail / (head + tail)) / (c * mu - lam)


def sojourn(lam: float, services: Sequence[float], counts: Sequence[int]) -> float:
    """Mean lead time of the tandem line (seconds), `services` the mean service times."""
    return sum(erlang_c_wait(lam, 1.0 / s, c) + s for s, c in zip(services, counts, strict=True))


def model(stations: int) -> ProcessModel:
    b = ModelBuilder("tandem")
    nodes = [b.start("Arrive"), *(b.task(f"S{i + 1}") for i in range(stations)), b.end("Done")]
    b.sequence(*nodes)
    return b.build(layout=False)


def scenario(interarrival: float, services: Sequence[float], rates: Sequence[float],
             cases: int, warmup: str | None = None) -> dict:
    """The tandem as a scenario: pools p1, p2, ... priced at `rates` roubles per hour; with
    `warmup`, the cases that start within it are left out of the KPIs (the line starts empty,
    so a short run's mean lead time lies below the steady state that Erlang C describes)."""
    out = {
        "start": "2024-01-01T00:00+00:00",
        "arrivals": {"interarrival": {"exponential": {"mean": f"{interarrival}s"}},
                     "cases": cases},
        "resources": {f"p{i + 1}": {"count": 1, "cost_per_hour": rate}
                      for i, rate in enumerate(rates)},
        "activities": {f"S{i + 1}": {"resource": f"p{i + 1}",
                                     "duration": {"exponential": {"mean": f"{s}s"}}}
                       for i, s in enumerate(services)},
    }
    if warmup is not None:
        out["warmup"] = warmup
    return out


def analytic_optimum(interarrival: float, services: Sequence[float], rates: Sequence[float],
                     grid: Sequence[Sequence[int]], target: float
                     ) -> tuple[tuple[int, ...], float, float]:
    """(counts, its lead time, the smallest relative excess over `target` of any cheaper
    candidate) of the cheapest grid point whose mean lead time is at most `target`. Ties in
    cost go to the shorter lead time."""
    lam = 1.0 / interarrival
    points = sorted(itertools.product(*grid),
                    key=lambda c: (sum(r * k for r, k in zip(rates, c, strict=True)),
                                   sojourn(lam, services, c)))
    for i, counts in enumerate(points):
        lead = sojourn(lam, services, counts)
        if lead <= target:
            cost = sum(r * k for r, k in zip(rates, counts, strict=True))
            cheaper = [sojourn(lam, services, c) for c in points[:i]
                       if sum(r * k for r, k in zip(rates, c, strict=True)) < cost]
            excess = min(((x - target) / target for x in cheaper), default=math.inf)
            return tuple(counts), lead, excess
    raise ValueError("no grid point meets the target")
