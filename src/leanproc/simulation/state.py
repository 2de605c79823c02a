"""The engine's run-time state: per-activity runtimes, cases and scopes in flight, the raw output.

These are plain slotted records the engine's collaborators share; they hold no behaviour, so
each collaborator (activities, gateways, events) can be read on its own.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import simpy

from leanproc.calendar import Timeline
from leanproc.simulation.compile import CNode, ScopeTemplate
from leanproc.simulation.resources import Pool
from leanproc.simulation.streams import CaseStream

T = TypeVar("T")


def back_reference(owner: T) -> T:
    """A collaborator's reference to the engine that owns it, weak so that the two do not form
    a reference cycle: the engine (timelines, streams, log columns) is freed as soon as its run
    is over, not at some later garbage collection."""
    return cast(T, weakref.proxy(owner))


class TaskRuntime:
    """What the hot path needs of one activity, resolved once per run."""

    __slots__ = ("delay_timeline", "durations", "pools", "single", "single_duration", "wait",
                 "wait_timeline")

    def __init__(self) -> None:
        self.pools: list[Pool] = []  # alternatives; empty for a pure delay
        self.single: Pool | None = None  # the pool when there is exactly one
        self.durations: dict[int, CaseStream] = {}  # by pool idx; -1: the pool-less duration
        self.single_duration: CaseStream | None = None
        self.wait: CaseStream | None = None
        self.wait_timeline: Timeline | None = None  # a wait counted in working time
        self.delay_timeline: Timeline | None = None  # a pure delay counted in working time


class Case:
    """A case in flight. Dropped when it finishes: only its row in the case columns stays."""

    __slots__ = ("attrs", "idx", "speed", "steps", "visits", "wait_speed", "work")

    def __init__(self, idx: int, attrs: dict[str, Any], speed: float = 1.0,
                 wait_speed: float = 1.0) -> None:
        self.idx = idx
        self.attrs = attrs
        self.speed = speed  # the case's factor on its work times (scenario `case_speed`)
        self.wait_speed = wait_speed  # and on its waits
        self.work = 0.0  # streaming mode: seconds of work done for the case
        self.steps = 0
        self.visits: dict[int, int] = {}  # node idx -> times entered (selects the CRN draw)

    def visit(self, node: int) -> int:
        """Count one more entry into `node`; return how many came before it."""
        visits = self.visits
        n = visits.get(node, 0)
        visits[node] = n + 1
        return n


class Hands:
    """The one pair of hands that works an interleaved block of a case (scenario
    `interleave`): busy while one of the block's activities runs; the others wait for their
    turn, given at random among them (Activities.take_hands)."""

    __slots__ = ("busy", "granting", "turns", "waiting")

    def __init__(self) -> None:
        self.busy = False
        self.granting = False  # a turn is about to be given (at the current instant)
        self.turns = 0  # turns given so far: the index of the next random draw
        self.waiting: list[simpy.Event] = []


class Scope:
    """A running process, subprocess or called process of one case: a tree node of the case."""

    __slots__ = ("active", "case", "children", "cnode", "done", "error", "finished", "hands",
                 "joins", "parent", "pending_or", "positions", "procs", "terminated", "tmpl")

    def __init__(self, case: Case, tmpl: ScopeTemplate,
                 parent: Scope | None, cnode: CNode | None) -> None:
        self.case = case
        self.tmpl = tmpl
        self.parent = parent
        self.cnode = cnode  # the subprocess / call activity node that opened it
        self.active = 0  # live tokens
        self.done: simpy.Event | None = None  # made only when a parent waits for the scope
        self.procs: set[simpy.Process] = set()
        self.children: set[Scope] = set()
        self.joins: dict[int, list[int]] = {}  # join node idx -> tokens waiting per incoming flow
        self.pending_or: set[int] = set()  # OR-joins holding tokens
        # tokens per node, kept only where an OR-join needs to know what is still upstream
        self.positions: dict[int, int] | None = {} if tmpl.has_or_join else None
        self.terminated = False
        self.finished = False
        self.error: str | None = None  # the error code an error end event threw in the scope
        self.hands: dict[int, Hands] | None = None  # by split idx, made by interleaved blocks


@dataclass
class RawRun:
    """What one engine run produces, as plain columns (the result module builds frames)."""

    case_idx: np.ndarray
    node_idx: np.ndarray
    enable: np.ndarray
    start: np.ndarray
    end: np.ndarray
    unit: np.ndarray
    pool: np.ndarray
    case_arrival: np.ndarray
    case_end: np.ndarray
    case_attrs: list[dict[str, Any]]
    case_work: np.ndarray  # streaming mode only: work seconds per finished case
    node_stats: list[list[float]]  # streaming mode only: [count, waiting, work] per node
    abandoned: list[tuple[int, int, float, float]]
    pool_names: list[str]
    pool_counts: list[int]
    pool_busy: list[float]
    unit_names: list[str]
    activity_names: list[str]
    end_time: float
