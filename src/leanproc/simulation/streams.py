"""Random-number streams with common random numbers (CRN) across scenarios.

Every purpose (the arrival process, each activity's durations, each gateway's choices, each
event's timing, the cases' speed factors) has its own stream, derived from the run seed and a
stable key for the element — its name when it has one, else its id. Two scenarios that share an
element therefore draw the same numbers for it, so the difference between their KPIs has low
variance.

The stronger half of CRN is *synchronisation*: case k must get the same draw at element X in both
scenarios even when the two models visit X in a different order. `CaseStream` therefore indexes
first visits by case number (draws are made in chunks of cases from a chunk-specific generator,
so case k's value does not depend on how many other cases visited X before it). Repeat visits of
the same case (rework loops) come from a separate sequential stream.
"""

from __future__ import annotations

import numbers
import zlib
from collections.abc import Callable

import numpy as np

from leanproc.errors import SimulationError

CHUNK = 512  # cases per chunk of first-visit draws

Sampler = Callable[[np.random.Generator, int], np.ndarray]


def stable_key(purpose: str) -> int:
    """A platform-independent 32-bit key for a purpose string (Python's hash() is salted)."""
    return zlib.crc32(purpose.encode("utf-8"))


class StreamFactory:
    """Makes the generators of one replication of one run."""

    def __init__(self, seed: int | None, replication: int = 0) -> None:
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            # numpy would refuse it only when the first case draws, deep inside the run
            raise SimulationError(f"seed must be a whole number >= 0, got {seed!r}")
        self.seed: int = int(seed)
        self.replication: int = int(replication)

    def generator(self, purpose: str, *extra: int) -> np.random.Generator:
        ss = np.random.SeedSequence(
            entropy=self.seed, spawn_key=(self.replication, stable_key(purpose), *extra)
        )
        return np.random.Generator(np.random.PCG64(ss))

    def sequential(self, purpose: str, sampler: Sampler, batch: int = 1024) -> SequentialStream:
        return SequentialStream(self.generator(purpose), sampler, batch)

    def per_case(self, purpose: str, sampler: Sampler) -> CaseStream:
        return CaseStream(self, purpose, sampler)


class SequentialStream:
    """Draws in batches from one generator, handing out plain Python floats one at a time."""

    __slots__ = ("_batch", "_buf", "_i", "_rng", "_sampler")

    def __init__(self, rng: np.random.Generator, sampler: Sampler, batch: int) -> None:
        self._rng = rng
        self._sampler = sampler
        self._batch = batch
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        i = self._i
        if i >= len(self._buf):
            self._buf = self._sampler(self._rng, self._batch).tolist()
            i = 0
        self._i = i + 1
        return self._buf[i]


class CaseStream:
    """First visit of case k draws value k of its chunk; later visits draw sequentially."""

    __slots__ = ("_chunks", "_factory", "_purpose", "_repeat", "_sampler")

    def __init__(self, factory: StreamFactory, purpose: str, sampler: Sampler) -> None:
        self._factory = factory
        self._purpose = purpose
        self._sampler = sampler
        self._chunks: dict[int, list[float]] = {}
        self._repeat: SequentialStream | None = None

    def draw(self, case: int, visit: int) -> float:
        if visit:
            if self._repeat is None:
                self._repeat = self._factory.sequential(self._purpose + "#repeat", self._sampler)
            return self._repeat.next()
        chunk_no, offset = divmod(case, CHUNK)
        chunk = self._chunks.get(chunk_no)
        if chunk is None:
            rng = self._factory.generator(self._purpose, chunk_no)
            chunk = self._sampler(rng, CHUNK).tolist()
            self._chunks[chunk_no] = chunk
            # Chunks are consumed in roughly increasing case order; drop ones long behind so
            # memory stays bounded on long runs.
            stale = chunk_no - 4
            if stale in self._chunks:
                del self._chunks[stale]
        return chunk[offset]


def uniform_sampler(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.random(size)


def standard_normal(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.standard_normal(size)
