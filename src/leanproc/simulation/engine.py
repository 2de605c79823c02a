"""The SimPy token engine: one SimPy process per token, run over a compiled model.

Time is float seconds since the scenario's start. A case is a tree of scopes (the process, each
running subprocess or called process); a scope counts its live tokens and fires `done` when the
last one ends. Resources are `Pool`s with working calendars: a unit taken off-shift starts work
at the next working instant, and work that outlasts a shift pauses and resumes (the finish is
computed on the calendar's working-time axis, so no event is spent on shift changes).

This module is the core loop: arrivals, scopes and the token walk. What happens at a node is
delegated — activities (activities.py), gateway splits and joins (gateways.py), catch,
boundary and event-subprocess events (events.py). The hot path — a token walking through plain
tasks and exclusive gateways — stays inline in `_token`: it reads only `CNode` fields, draws
from pre-sampled streams and appends to column lists. Every other node type goes through one
handler call.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from leanproc.calendar import Timeline
from leanproc.scenario.case_speed import speed_factor
from leanproc.simulation.activities import Activities, task_runtimes
from leanproc.simulation.arrival_clock import ArrivalClock, exponential_sampler
from leanproc.simulation.compile import (
    AND,
    CALL,
    CATCH,
    END,
    ESP,
    EVENT_GW,
    OR,
    SUBPROCESS,
    TASK,
    THROW,
    XOR,
    CNode,
    CompiledModel,
    ScopeTemplate,
)
from leanproc.simulation.diagnostics import deadlock, endless_loop
from leanproc.simulation.events import Events
from leanproc.simulation.gateways import Gateways
from leanproc.simulation.resources import Pool
from leanproc.simulation.state import Case, RawRun, Scope
from leanproc.simulation.streams import (
    CaseStream,
    Sampler,
    StreamFactory,
    standard_normal,
    uniform_sampler,
)

if TYPE_CHECKING:
    from leanproc.scenario import BoundScenario

__all__ = ["DEFAULT_MAX_STEPS", "Engine", "RawRun"]

DEFAULT_MAX_STEPS = 100_000  # node visits per case before a loop is declared endless

STOP = -1  # a node handler's answer when the token ends there (or is absorbed by a join)

# A node handler gets the token's scope, the node, the flow the token came by and whether an
# OR-join released it; it answers the node the token leaves from (the node itself, or a
# boundary event / the winning event of a race) or STOP. Waiting handlers are generators.
InstantHandler = Callable[[Scope, CNode, int, bool], int]
WaitingHandler = Callable[[Scope, CNode], Generator[simpy.Event, Any, int]]


class Engine:
    def __init__(self, compiled: CompiledModel, bound: BoundScenario, streams: StreamFactory,
                 *, until: float | None = None, max_steps: int = DEFAULT_MAX_STEPS,
                 keep_log: bool = True) -> None:
        self.cm = compiled
        self.nodes = compiled.nodes
        self.bound = bound
        self.streams = streams
        self.until = until
        self.max_steps = max_steps
        self.env = simpy.Environment()
        epoch = bound.start
        self.default_timeline: Timeline | None = (
            bound.calendar.timeline(epoch) if bound.calendar else None)
        self.pools: dict[str, Pool] = {}
        self.unit_names: list[str] = []
        self._build_pools(epoch)
        self.draws: dict[str, CaseStream] = {}
        self.activities = Activities(
            self, task_runtimes(self.nodes, self.pools, streams, self.default_timeline),
            keep_log=keep_log)
        self.gateways = Gateways(self)
        self.events = Events(self)
        # a link throw leads on to its catch as if by a flow (flow idx -1: no join slot)
        self.outs: list[list[tuple[int, int]]] = [
            [(-1, cn.link_target)] if cn.code == THROW and cn.link_target >= 0 else cn.outs
            for cn in self.nodes
        ]
        self.instant: dict[int, InstantHandler] = {
            AND: self._at_and, OR: self._at_or, END: self._at_end}
        self.waiting: dict[int, WaitingHandler] = {
            TASK: self.activities.run, SUBPROCESS: self.activities.run,
            CALL: self.activities.run, EVENT_GW: self.events.race, CATCH: self.events.catch,
            ESP: self._at_event_subprocess}
        self.case_arrival = array("d")
        self.case_end = array("d")
        self.case_work = array("d")
        self.case_attrs: list[dict[str, Any]] = []

    # ---- set-up ---------------------------------------------------------------------------
    def _build_pools(self, epoch: Any) -> None:
        timelines: dict[int, Timeline] = {}  # pools sharing a calendar share its timeline
        for i, (name, plan) in enumerate(self.bound.pools.items()):
            cal = plan.calendar if plan.calendar is not None else self.bound.calendar
            tl = None
            if cal is not None:
                tl = timelines.get(id(cal))
                if tl is None:
                    tl = timelines[id(cal)] = cal.timeline(epoch)
            self.pools[name] = Pool(self.env, i, name, plan.count, len(self.unit_names), tl)
            self.unit_names.extend(
                name if plan.count == 1 else f"{name}#{k + 1}" for k in range(plan.count)
            )

    def stream(self, purpose: str, sampler: Sampler = uniform_sampler) -> CaseStream:
        """The CRN stream of one purpose (``gateway:<name>``...), made on first use."""
        s = self.draws.get(purpose)
        if s is None:
            s = self.draws[purpose] = self.streams.per_case(purpose, sampler)
        return s

    # ---- run ------------------------------------------------------------------------------
    def run(self) -> RawRun:
        env = self.env
        env.process(self._arrivals())
        try:
            env.run(until=self.until)
            return self._raw()
        finally:
            # the tables hold bound methods, i.e. references back to the engine: dropped so
            # the engine is freed with its last outside reference (see state.back_reference)
            self.instant.clear()
            self.waiting.clear()

    def _arrivals(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        plan = self.bound.arrivals
        epoch = self.bound.start
        horizon = (
            (plan.horizon_end - epoch).total_seconds() if plan.horizon_end is not None else None
        )
        if plan.times is not None:
            for ts in sorted(plan.times):
                t = (ts - epoch).total_seconds()
                if t > env.now:
                    yield env.timeout(t - env.now)
                self._start_case()
            return
        tl = plan.calendar.timeline(epoch) if plan.calendar is not None else None
        if plan.rate is not None:
            clock = ArrivalClock(plan.rate, epoch, tl,
                                 self.streams.sequential("arrivals", exponential_sampler))
            t = clock.next()
        else:
            # the binder asks for `times`, a rate or an interarrival
            assert plan.interarrival is not None
            ia = self.streams.sequential("arrivals", plan.interarrival.sample)
            t = tl.next_working(0.0) if tl else 0.0
        n = 0
        while plan.cases is None or n < plan.cases:
            if math.isinf(t) or (horizon is not None and t >= horizon):
                break
            if t > env.now:
                yield env.timeout(t - env.now)
            self._start_case()
            n += 1
            if plan.rate is not None:
                t = clock.next()
            else:
                gap = ia.next()
                t = tl.add(t, gap) if tl else t + gap

    def _start_case(self) -> None:
        idx = len(self.case_arrival)
        attrs = {
            name: self.stream(f"attribute:{name}", dist.sample).draw(idx, 0)
            for name, dist in self.bound.case_attributes.items()
        }
        self.case_arrival.append(self.env.now)
        self.case_end.append(math.nan)
        self.case_work.append(math.nan)
        if attrs:
            self.case_attrs.append(attrs)
        self.open_scope(Case(idx, attrs, *self._case_speed(idx)), self.cm.root, None, None)

    def _case_speed(self, idx: int) -> tuple[float, float]:
        """Case `idx`'s factors on its work times and on its waits (1, 1 without
        ``case_speed``). Each comes from its own stream, indexed by case number: adding
        them shifts no other draw, and case k gets the same factor in every scenario."""
        speed = self.bound.case_speed
        if speed is None:
            return 1.0, 1.0
        factors = []
        for what, sigma in (("duration", speed.duration), ("wait", speed.wait)):
            z = self.stream(f"case_speed:{what}", standard_normal).draw(idx, 0) if sigma else 0.0
            factors.append(speed_factor(sigma, z))
        return factors[0], factors[1]

    def open_scope(self, case: Case, tmpl: ScopeTemplate, parent: Scope | None,
                   cnode: CNode | None) -> Scope:
        """Start a scope's tokens and event subprocesses (an empty scope finishes at once)."""
        scope = Scope(case, tmpl, parent, cnode)
        if parent is not None:
            parent.children.add(scope)
        for s in tmpl.starts:
            self.spawn(scope, s, -1)
        for esp in tmpl.event_subprocesses:
            self.env.process(self.events.event_subprocess(scope, self.nodes[esp]))
        if not tmpl.starts:
            self._finish(scope)
        return scope

    def spawn(self, scope: Scope, idx: int, via: int, *, fired: bool = False) -> simpy.Process:
        """A new token entering node `idx` by flow `via` (-1: none)."""
        scope.active += 1
        if scope.positions is not None:
            scope.positions[idx] = scope.positions.get(idx, 0) + 1
        proc = self.env.process(self._token(scope, idx, via, fired))
        scope.procs.add(proc)
        return proc

    # ---- the token ------------------------------------------------------------------------
    def _token(self, scope: Scope, idx: int, via: int,
               fired: bool) -> Generator[simpy.Event, Any, None]:
        """Walk one token from node `idx` (entered by flow `via`) until it ends or is absorbed.

        `fired` is True for a token that an OR-join released: it leaves the join directly.
        """
        nodes = self.nodes
        outs_of = self.outs
        case = scope.case
        positions = scope.positions
        work = self.activities.work
        waiting = self.waiting
        instant = self.instant
        ended = True
        try:
            while True:
                cn = nodes[idx]
                case.steps += 1
                if case.steps > self.max_steps:
                    raise endless_loop(self.bound, case.idx, cn, self.max_steps)
                if cn.plain_task:  # the hot path: no markers, no boundary events
                    visit = case.visits.get(idx, 0)
                    case.visits[idx] = visit + 1
                    yield from work(scope, cn, visit)
                elif cn.code != XOR:  # exclusive gateways only route (below)
                    wait = waiting.get(cn.code)
                    if wait is not None:
                        at = yield from wait(scope, cn)
                    else:
                        act = instant.get(cn.code)
                        at = act(scope, cn, via, fired) if act is not None else idx
                    fired = False
                    if at == STOP:
                        return
                    if at != idx:  # left through a boundary event or a race's winner
                        if positions is not None:
                            self.gateways.move(scope, idx, at)
                        idx = at
                        cn = nodes[idx]
                # route onward
                outs = outs_of[idx]
                if not outs:
                    return  # an implicit end
                if len(outs) == 1:
                    via, nxt = outs[0]
                else:
                    chosen = self.gateways.split(scope, cn)
                    for extra_via, extra in chosen[1:]:
                        self.spawn(scope, extra, extra_via)
                    via, nxt = chosen[0]
                if positions is not None:
                    self.gateways.move(scope, idx, nxt)
                idx = nxt
        except simpy.Interrupt:
            return
        except GeneratorExit:
            # the run stopped at its horizon and the suspended token is being discarded:
            # it did not end in the model, so no bookkeeping (and no deadlock verdict)
            ended = False
            raise
        finally:
            if ended:
                self._token_ended(scope, idx)

    # node handlers that do not wait
    def _at_and(self, scope: Scope, cn: CNode, via: int, fired: bool) -> int:
        if cn.is_join and not self.gateways.and_join(scope, cn, via):
            return STOP
        return cn.idx

    def _at_or(self, scope: Scope, cn: CNode, via: int, fired: bool) -> int:
        if cn.is_join and not fired and not self.gateways.or_join(scope, cn, via):
            return STOP
        return cn.idx

    def _at_end(self, scope: Scope, cn: CNode, via: int, fired: bool) -> int:
        if cn.is_terminate:
            self.events.terminate(scope)
        elif cn.is_error_end:
            scope.error = cn.error_ref or "*"
            self.events.terminate(scope)
        return STOP

    def _at_event_subprocess(self, scope: Scope,
                             cn: CNode) -> Generator[simpy.Event, Any, int]:
        """An event subprocess, started by its trigger (`Events.event_subprocess`)."""
        yield from self.activities.body(scope, cn, 0, 0)
        return STOP

    def _token_ended(self, scope: Scope, idx: int) -> None:
        proc = self.env.active_process
        if proc is not None:  # always: a token ends inside its own process
            scope.procs.discard(proc)
        scope.active -= 1
        if scope.positions is not None and self.nodes[idx].code not in (AND, OR):
            scope.positions[idx] -= 1  # absorbed join tokens stay counted at the join
        if scope.pending_or and not scope.terminated:
            self.gateways.check_or_joins(scope)
        if scope.active == 0:
            self._finish(scope)

    def _finish(self, scope: Scope) -> None:
        if scope.finished:
            return
        scope.finished = True
        if not scope.terminated:
            stuck = [(j, c) for j, c in scope.joins.items() if any(c)]
            if stuck:
                raise deadlock(self.cm, scope, stuck)
        if scope.parent is not None:
            scope.parent.children.discard(scope)
        else:
            self.case_end[scope.case.idx] = self.env.now
            self.case_work[scope.case.idx] = scope.case.work
        if scope.done is not None:
            scope.done.succeed(scope.error)

    # ---- output ---------------------------------------------------------------------------
    def _raw(self) -> RawRun:
        acts = self.activities

        def column(values: array[Any], dtype: type) -> np.ndarray:
            # a view, not a copy: the run is over, so the arrays no longer grow, and the
            # engine (kept alive by its collaborators' back-references until the next garbage
            # collection) must not hold a second copy of the log
            return np.frombuffer(values, dtype=dtype)

        return RawRun(
            case_idx=column(acts.l_case, np.int64),
            node_idx=column(acts.l_node, np.int64),
            enable=column(acts.l_enable, np.float64),
            start=column(acts.l_start, np.float64),
            end=column(acts.l_end, np.float64),
            unit=column(acts.l_unit, np.int64),
            pool=column(acts.l_pool, np.int64),
            case_arrival=column(self.case_arrival, np.float64),
            case_end=column(self.case_end, np.float64),
            case_attrs=self.case_attrs,
            case_work=column(self.case_work, np.float64),
            node_stats=acts.node_stats,
            abandoned=acts.abandoned,
            pool_names=list(self.pools),
            pool_counts=[p.count for p in self.pools.values()],
            pool_busy=[p.busy for p in self.pools.values()],
            unit_names=self.unit_names,
            activity_names=self.cm.activity_names,
            end_time=self.env.now,
        )
