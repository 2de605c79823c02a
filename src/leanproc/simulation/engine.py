"""The SimPy token engine: one SimPy process per token, run over a compiled model.

Time is float seconds since the scenario's start. A case is a tree of scopes (the process, each
running subprocess or called process); a scope counts its live tokens and fires `done` when the
last one ends. Resources are `Pool`s with working calendars: a unit taken off-shift starts work
at the next working instant, and work that outlasts a shift pauses and resumes (the finish is
computed on the calendar's working-time axis, so no event is spent on shift changes).

The hot path — a token walking through tasks and exclusive gateways — reads only `CNode`
fields, draws from pre-sampled streams and appends to column lists. Everything rarer
(boundary events, multi-instance, loops, OR-joins, terminate) takes a slower, separate path.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Generator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from leanproc.errors import SimulationError
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
from leanproc.simulation.resources import Pool
from leanproc.simulation.streams import CaseStream, StreamFactory, uniform_sampler

if TYPE_CHECKING:
    from leanproc.scenario import BoundScenario

DEFAULT_MAX_STEPS = 100_000  # node visits per case before a loop is declared endless


class TaskRuntime:
    """What the hot path needs of one activity, resolved once per run."""

    __slots__ = ("delay_timeline", "durations", "pools", "single", "single_duration", "wait",
                 "wait_timeline")

    def __init__(self) -> None:
        self.pools: list[Pool] = []
        self.single: Pool | None = None
        self.durations: dict[int, CaseStream] = {}
        self.single_duration: CaseStream | None = None
        self.wait: CaseStream | None = None
        self.wait_timeline: Any = None
        self.delay_timeline: Any = None


class Case:
    """A case in flight. Dropped when it finishes: only its row in the case columns stays."""

    __slots__ = ("attrs", "idx", "steps", "visits", "work")

    def __init__(self, idx: int, attrs: dict[str, Any]) -> None:
        self.idx = idx
        self.attrs = attrs
        self.work = 0.0  # streaming mode: seconds of work done for the case
        self.steps = 0
        self.visits: dict[int, int] = {}


class Scope:
    __slots__ = ("active", "case", "children", "cnode", "done", "error", "finished", "joins",
                 "parent", "pending_or", "positions", "procs", "terminated", "tmpl")

    def __init__(self, case: Case, tmpl: ScopeTemplate,
                 parent: Scope | None, cnode: CNode | None) -> None:
        self.case = case
        self.tmpl = tmpl
        self.parent = parent
        self.cnode = cnode  # the subprocess / call activity node that opened it
        self.active = 0
        self.done: simpy.Event | None = None  # made only when a parent waits for the scope
        self.procs: set[simpy.Process] = set()
        self.children: set[Scope] = set()
        self.joins: dict[int, list[int]] = {}
        self.pending_or: set[int] = set()
        self.positions: dict[int, int] | None = {} if tmpl.has_or_join else None
        self.terminated = False
        self.finished = False
        self.error: str | None = None


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
    node_roles: list[str | None]
    end_time: float


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
        # streaming mode (keep_log=False): no event-log rows, only per-activity running sums
        # [count, waiting, work] and per-case work, so memory does not grow with activities
        self.keep_log = keep_log
        self.node_stats = [[0, 0.0, 0.0] for _ in compiled.nodes]
        self.env = simpy.Environment()
        epoch = bound.start
        self.default_timeline = bound.calendar.timeline(epoch) if bound.calendar else None
        self._build_pools(epoch)
        self._build_streams()
        self.case_arrival = array("d")
        self.case_end = array("d")
        self.case_work = array("d")
        # work items withdrawn while queueing (case, node, enabled, withdrawn): no log row,
        # since the work never started, but queue analyses need them
        self.abandoned: list[tuple[int, int, float, float]] = []
        self.case_attrs: list[dict[str, Any]] = []
        # event-log columns
        # event-log columns as typed arrays: 8 bytes a value, not a boxed float in a list
        self.l_case = array("q")
        self.l_node = array("q")
        self.l_enable = array("d")
        self.l_start = array("d")
        self.l_end = array("d")
        self.l_unit = array("q")
        self.l_pool = array("q")

    # ---- set-up ---------------------------------------------------------------------------
    def _build_pools(self, epoch: Any) -> None:
        self.pools: dict[str, Pool] = {}
        self.unit_names: list[str] = []
        timelines: dict[int, Any] = {}
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

    def _build_streams(self) -> None:
        """One CRN stream per purpose, keyed by element name (or id); one `TaskRuntime` per
        activity with a plan, so the hot path indexes a list instead of building keys."""
        f = self.streams
        self.draws: dict[str, CaseStream] = {}
        self.tasks: list[TaskRuntime | None] = [None] * len(self.nodes)
        for cn in self.nodes:
            plan = cn.plan
            if plan is None:
                continue
            key = cn.stream_key
            rt = TaskRuntime()
            rt.pools = [self.pools[p] for p in plan.pools]
            streams: dict[int, CaseStream] = {}
            for pool in rt.pools or [None]:
                dist = (plan.duration_by_pool.get(pool.name) if pool else None) or plan.duration
                if dist is not None:
                    purpose = f"duration:{key}" + (f"@{pool.name}" if pool and
                                                  plan.duration_by_pool else "")
                    streams[pool.idx if pool else -1] = f.per_case(purpose, dist.sample)
            rt.durations = streams
            rt.single = rt.pools[0] if len(rt.pools) == 1 else None
            rt.single_duration = streams.get(rt.single.idx) if rt.single else streams.get(-1)
            if plan.wait is not None:
                rt.wait = f.per_case(f"wait:{key}", plan.wait.sample)
                rt.wait_timeline = self.default_timeline if plan.wait.working else None
            if plan.duration is not None and plan.duration.working:
                rt.delay_timeline = self.default_timeline
            self.tasks[cn.idx] = rt

    def stream(self, purpose: str, sampler: Any = uniform_sampler) -> CaseStream:
        s = self.draws.get(purpose)
        if s is None:
            s = self.draws[purpose] = self.streams.per_case(purpose, sampler)
        return s

    # ---- run ------------------------------------------------------------------------------
    def run(self) -> RawRun:
        env = self.env
        env.process(self._arrivals())
        env.run(until=self.until)
        return self._raw()

    def _arrivals(self) -> Generator[Any, Any, None]:
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
        ia = self.streams.sequential("arrivals", plan.interarrival.sample)
        t = tl.next_working(0.0) if tl else 0.0
        n = 0
        while plan.cases is None or n < plan.cases:
            if horizon is not None and t >= horizon:
                break
            if t > env.now:
                yield env.timeout(t - env.now)
            self._start_case()
            n += 1
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
        self._open_scope(Case(idx, attrs), self.cm.root, None, None)

    def _open_scope(self, case: Case, tmpl: ScopeTemplate, parent: Scope | None,
                    cnode: CNode | None) -> Scope:
        scope = Scope(case, tmpl, parent, cnode)
        if parent is not None:
            parent.children.add(scope)
        for s in tmpl.starts:
            self._spawn(scope, s, -1)
        for esp in tmpl.event_subprocesses:
            self.env.process(self._event_subprocess(scope, self.nodes[esp]))
        if not tmpl.starts:
            self._finish(scope)
        return scope

    def _spawn(self, scope: Scope, idx: int, via: int, *, fired: bool = False) -> simpy.Process:
        scope.active += 1
        if scope.positions is not None:
            scope.positions[idx] = scope.positions.get(idx, 0) + 1
        proc = self.env.process(self._token(scope, idx, via, fired))
        scope.procs.add(proc)
        return proc

    # ---- the token ------------------------------------------------------------------------
    def _token(self, scope: Scope, idx: int, via: int, fired: bool) -> Generator[Any, Any, None]:
        """Walk one token from node `idx` (entered by flow `via`) until it ends or is absorbed.

        `fired` is True for a token that an OR-join released: it leaves the join directly.
        """
        nodes = self.nodes
        case = scope.case
        positions = scope.positions
        ended = True
        try:
            while True:
                cn = nodes[idx]
                case.steps += 1
                if case.steps > self.max_steps:
                    self._endless(case, cn)
                code = cn.code
                if cn.plain_task:  # the hot path: no markers, no boundary events
                    visit = case.visits.get(idx, 0)
                    case.visits[idx] = visit + 1
                    yield from self._work(scope, cn, visit)
                elif code in (TASK, SUBPROCESS, CALL):
                    exit_to = yield from self._activity(scope, cn)
                    if exit_to >= 0:  # left through a boundary event
                        idx = exit_to
                        if positions is not None:
                            self._move(scope, cn.idx, idx)
                        cn = nodes[idx]
                elif code == EVENT_GW:
                    chosen = yield from self._race(scope, cn)
                    if positions is not None:
                        self._move(scope, idx, chosen)
                    idx = chosen
                    cn = nodes[idx]
                elif code == AND:
                    if cn.is_join and not self._and_join(scope, cn, via):
                        return
                elif code == OR:
                    if cn.is_join and not fired and not self._or_join(scope, cn, via):
                        return
                    fired = False
                elif code == CATCH:
                    delay = self._event_delay(case, cn)
                    if delay > 0:
                        yield self.env.timeout(delay)
                elif code == THROW:
                    if cn.link_target >= 0:
                        if positions is not None:
                            self._move(scope, idx, cn.link_target)
                        idx = cn.link_target
                        via = -1
                        continue
                elif code == ESP:  # an event subprocess, started by its trigger
                    yield from self._body(scope, cn, 0, 0)
                    return
                elif code == END:
                    if cn.is_terminate:
                        self._terminate(scope)
                    elif cn.is_error_end:
                        scope.error = cn.error_ref or "*"
                        self._terminate(scope)
                    return
                # route onward
                outs = cn.outs
                if not outs:
                    return  # an implicit end
                if len(outs) == 1:
                    via, nxt = outs[0]
                else:
                    chosen_outs = self._split(scope, cn)
                    for extra_via, extra in chosen_outs[1:]:
                        self._spawn(scope, extra, extra_via)
                    via, nxt = chosen_outs[0]
                if positions is not None:
                    self._move(scope, idx, nxt)
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

    def _move(self, scope: Scope, src: int, dst: int) -> None:
        pos = scope.positions
        assert pos is not None
        pos[src] -= 1
        pos[dst] = pos.get(dst, 0) + 1
        # a token entering an OR-join is counted there first (`_or_join`), which then checks
        # the other pending joins; checking now would fire the join without its token
        if scope.pending_or and not (self.nodes[dst].code == OR and self.nodes[dst].is_join):
            self._check_or_joins(scope)

    def _token_ended(self, scope: Scope, idx: int) -> None:
        proc = self.env.active_process
        scope.procs.discard(proc)  # type: ignore[arg-type]
        scope.active -= 1
        if scope.positions is not None and self.nodes[idx].code not in (AND, OR):
            scope.positions[idx] -= 1  # absorbed join tokens stay counted at the join
        if scope.pending_or and not scope.terminated:
            self._check_or_joins(scope)
        if scope.active == 0:
            self._finish(scope)

    def _finish(self, scope: Scope) -> None:
        if scope.finished:
            return
        scope.finished = True
        if not scope.terminated:
            stuck = [(j, c) for j, c in scope.joins.items() if any(c)]
            if stuck:
                self._deadlock(scope, stuck)
        if scope.parent is not None:
            scope.parent.children.discard(scope)
        else:
            self.case_end[scope.case.idx] = self.env.now
            self.case_work[scope.case.idx] = scope.case.work
        if scope.done is not None:
            scope.done.succeed(scope.error)

    # ---- activities -----------------------------------------------------------------------
    def _activity(self, scope: Scope, cn: CNode) -> Generator[Any, Any, int]:
        """Run an activity; return the boundary event it left through, or -1."""
        case = scope.case
        visit = case.visits.get(cn.idx, 0)
        case.visits[cn.idx] = visit + 1
        if not cn.boundaries:
            # an error no boundary catches ends the subprocess only (documented)
            yield from self._repeated_body(scope, cn, visit)
            return -1
        return (yield from self._with_boundaries(scope, cn, visit))

    def _repeated_body(self, scope: Scope, cn: CNode, visit: int) -> Generator[Any, Any, Any]:
        """The activity's body with its loop or multi-instance marker applied."""
        if cn.mi_sequential is None and not cn.loop_condition:
            return (yield from self._body(scope, cn, visit, 0))
        plan = cn.plan
        error = None
        if cn.mi_sequential is not None:
            n = self._instances(scope.case, cn, visit)
            if cn.mi_sequential:
                for k in range(n):
                    error = yield from self._body(scope, cn, visit, k)
                    if error is not None:
                        break
            elif n:
                bodies = [self.env.process(self._quiet(self._body(scope, cn, visit, k)))
                          for k in range(n)]
                try:
                    results = yield self.env.all_of(bodies)
                except simpy.Interrupt:
                    for b in bodies:
                        if b.is_alive:
                            b.interrupt()
                    raise
                error = next((v for v in results.values() if v is not None), None)
            return error
        # a standard loop: test after each run
        draw = self.stream(f"loop:{cn.stream_key}")
        limit = cn.loop_max or plan.loop_max or 1000
        for k in range(limit):
            error = yield from self._body(scope, cn, visit, k)
            if error is not None or draw.draw(scope.case.idx, visit + k) >= plan.loop_probability:
                break
        return error

    @staticmethod
    def _quiet(gen: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
        """Run a helper process whose interruption is its normal way to stop."""
        try:
            return (yield from gen)
        except simpy.Interrupt:
            return None

    def _instances(self, case: Case, cn: CNode, visit: int) -> int:
        plan = cn.plan
        spec = plan.instances if plan is not None else None
        if spec is None:
            return cn.mi_fixed or 0
        if isinstance(spec, int):
            return spec
        value = self.stream(f"instances:{cn.stream_key}", spec.sample).draw(case.idx, visit)
        return max(0, round(value))

    def _body(self, scope: Scope, cn: CNode, visit: int, k: int) -> Generator[Any, Any, Any]:
        """One execution: a task's work, or a subprocess / called process run to its end."""
        if cn.child_scope is not None:
            child = self._open_scope(scope.case, cn.child_scope, scope, cn)
            if child.finished:  # an empty subprocess
                return child.error
            child.done = self.env.event()
            try:
                return (yield child.done)
            except simpy.Interrupt:
                self._terminate(child)
                raise
        yield from self._work(scope, cn, visit + k)
        return None

    def _work(self, scope: Scope, cn: CNode, visit: int) -> Generator[Any, Any, None]:
        """Wait, take a unit, work on its calendar, hand the unit on, write the log row.

        The hot path of the engine: locals instead of attribute chains, no helper calls for
        the common single-pool case.
        """
        env = self.env
        case_idx = scope.case.idx
        rt = self.tasks[cn.idx]
        enable = env.now
        if rt.wait is not None:
            w = rt.wait.draw(case_idx, visit)
            if w > 0:
                tl = rt.wait_timeline
                yield env.timeout((tl.add(enable, w) - enable) if tl is not None else w)
        pool = rt.single
        if pool is None:
            if not rt.pools:  # no resource: a pure delay
                start = env.now
                stream = rt.single_duration
                d = stream.draw(case_idx, visit) if stream is not None else 0.0
                tl = rt.delay_timeline
                end = tl.add(start, d) if tl is not None else start + d
                if end > start:
                    yield env.timeout(end - start)
                self._record(scope.case, cn.idx, enable, start, end, -1, -1)
                return
            pool = min(rt.pools, key=attrgetter("load"))
            stream = rt.durations.get(pool.idx) or rt.durations.get(-1)
        else:
            stream = rt.single_duration
        free = pool.free
        if free:
            unit = free.pop()
        else:
            request = pool.request()
            try:
                unit = yield request
            except simpy.Interrupt:  # e.g. a boundary timer: the case gave up waiting
                pool.cancel(request)
                self.abandoned.append((case_idx, cn.idx, enable, env.now))
                raise
        now = env.now
        tl = pool.timeline
        start = tl.next_working(now) if tl is not None else now
        d = stream.draw(case_idx, visit) if stream is not None else 0.0
        end = tl.add(start, d) if tl is not None else start + d
        try:
            if end > now:
                yield env.timeout(end - now)
        except simpy.Interrupt:
            now = env.now
            pool.busy += max(0.0, (tl.between(start, now) if tl is not None else now - start))
            pool.release(unit)
            self._record(scope.case, cn.idx, enable, min(start, now), now, unit, pool.idx)
            raise
        pool.busy += d
        queue = pool.queue
        if queue:
            queue.popleft().succeed(unit)
        else:
            free.append(unit)
        if self.keep_log:
            self.l_case.append(case_idx)
            self.l_node.append(cn.idx)
            self.l_enable.append(enable)
            self.l_start.append(start)
            self.l_end.append(end)
            self.l_unit.append(unit)
            self.l_pool.append(pool.idx)
        else:
            self._tally(scope.case, cn.idx, enable, start, end)

    def _tally(self, case: Case, node: int, enable: float, start: float, end: float) -> None:
        stats = self.node_stats[node]
        stats[0] += 1
        stats[1] += start - enable
        stats[2] += end - start
        case.work += end - start

    def _record(self, case: Case, node: int, enable: float, start: float, end: float,
                unit: int, pool: int) -> None:
        """Write one activity instance: a log row, or in streaming mode the running sums."""
        if not self.keep_log:
            self._tally(case, node, enable, start, end)
            return
        self.l_case.append(case.idx)
        self.l_node.append(node)
        self.l_enable.append(enable)
        self.l_start.append(start)
        self.l_end.append(end)
        self.l_unit.append(unit)
        self.l_pool.append(pool)

    # ---- boundary events ------------------------------------------------------------------
    def _with_boundaries(self, scope: Scope, cn: CNode, visit: int) -> Generator[Any, Any, int]:
        env = self.env
        case = scope.case
        body = env.process(self._quiet(self._repeated_body(scope, cn, visit)))
        timers: dict[simpy.Event, int] = {}
        at_completion: list[int] = []  # boundaries that fire as the outcome of the work
        error_boundaries: list[int] = []
        for b in cn.boundaries:
            bn = self.nodes[b]
            if bn.trigger == "error" and cn.child_scope is not None and bn.event is None:
                error_boundaries.append(b)
                continue
            if bn.trigger == "timer":
                timers[env.timeout(self._event_delay(case, bn))] = b
                continue
            if bn.trigger in ("none", "compensate") or bn.event is None:
                if bn.trigger == "error":
                    error_boundaries.append(b)
                continue
            p = bn.event.probability
            if p is None or self.stream(f"boundary:{bn.stream_key}").draw(case.idx, visit) >= p:
                if bn.trigger == "error":
                    error_boundaries.append(b)
                continue
            if bn.event.after is not None:
                delay = self.stream(f"after:{bn.stream_key}", bn.event.after.sample).draw(
                    case.idx, visit)
                timers[env.timeout(delay)] = b
            else:
                at_completion.append(b)
        try:
            while True:
                pending = [body, *timers]
                yield env.any_of(pending)
                if body.triggered:
                    break
                for ev in [e for e in timers if e.processed]:
                    b = timers.pop(ev)
                    if self.nodes[b].cancel_activity:
                        body.interrupt()
                        return b
                    self._spawn(scope, b, -1)
        except simpy.Interrupt:
            if body.is_alive:
                body.interrupt()
            raise
        error = body.value
        if error is not None:
            for b in error_boundaries:
                ref = self.nodes[b].error_ref
                if ref is None or ref == error or error == "*":
                    return b
        for b in at_completion:
            if self.nodes[b].cancel_activity:
                return b
            self._spawn(scope, b, -1)
        return -1

    # ---- events and gateways --------------------------------------------------------------
    def _event_delay(self, case: Case, cn: CNode) -> float:
        """How long a catch event (or a timer boundary) waits from now."""
        plan = cn.event
        visit = case.visits.get(cn.idx, 0)
        case.visits[cn.idx] = visit + 1
        if cn.trigger == "timer":
            if plan is not None and plan.duration is not None:
                return self.stream(f"timer:{cn.stream_key}", plan.duration.sample).draw(
                    case.idx, visit)
            if cn.timer_date is not None:
                due = (cn.timer_date - self.bound.start).total_seconds()
                return max(0.0, due - self.env.now)
            return 0.0
        if plan is not None and plan.after is not None:
            return self.stream(f"after:{cn.stream_key}", plan.after.sample).draw(case.idx, visit)
        return 0.0

    def _race(self, scope: Scope, cn: CNode) -> Generator[Any, Any, int]:
        """Event-based gateway: every following catch event gets its time; the first wins."""
        best, best_delay = -1, math.inf
        for _, t in cn.outs:
            delay = self._event_delay(scope.case, self.nodes[t])
            if delay < best_delay:
                best, best_delay = t, delay
        if best_delay > 0:
            yield self.env.timeout(best_delay)
        return best

    def _split(self, scope: Scope, cn: CNode) -> list[tuple[int, int]]:
        outs = cn.outs
        code = cn.code
        if code == XOR:
            return [outs[self._choose_one(scope.case, cn)]]
        if code == OR:
            return [outs[i] for i in self._choose_some(scope.case, cn)]
        return outs  # parallel split, or an activity / event with several outgoing flows

    def _choose_one(self, case: Case, cn: CNode) -> int:
        plan = cn.gateway
        if plan.conditions:
            for flow_id, cond in plan.conditions.items():
                if cond.op != "default" and cond.holds(case.attrs):
                    return cn.flow_ids.index(flow_id)
            return self._default_out(cn)
        visit = case.visits.get(cn.idx, 0)
        case.visits[cn.idx] = visit + 1
        u = self.stream(f"gateway:{cn.stream_key}").draw(case.idx, visit)
        acc = 0.0
        last = 0
        for flow_id, p in plan.probabilities.items():
            last = cn.flow_ids.index(flow_id)
            acc += p
            if u < acc:
                return last
        return last  # u fell in the rounding gap below 1.0

    def _choose_some(self, case: Case, cn: CNode) -> list[int]:
        plan = cn.gateway
        chosen: list[int] = []
        if plan.conditions:
            chosen = [
                cn.flow_ids.index(f) for f, c in plan.conditions.items()
                if c.op != "default" and c.holds(case.attrs)
            ]
        else:
            visit = case.visits.get(cn.idx, 0)
            case.visits[cn.idx] = visit + 1
            for flow_id, p in plan.probabilities.items():
                u = self.stream(f"gateway:{cn.stream_key}:{flow_id}").draw(case.idx, visit)
                if u < p:
                    chosen.append(cn.flow_ids.index(flow_id))
            if not chosen and cn.default_out < 0:
                # no branch drawn and no default flow: take the likeliest one, so the token
                # is never lost (documented in the scenario guide)
                best = max(plan.probabilities.items(), key=lambda kv: kv[1])[0]
                chosen = [cn.flow_ids.index(best)]
        return chosen or [self._default_out(cn)]

    def _default_out(self, cn: CNode) -> int:
        if cn.default_out < 0:
            raise SimulationError(
                f"gateway {cn.label}: no branch condition holds for this case and the gateway "
                "has no default flow; add a `default` branch to its conditions"
            )
        return cn.default_out

    # ---- joins ----------------------------------------------------------------------------
    def _and_join(self, scope: Scope, cn: CNode, via: int) -> bool:
        """Count the arriving token; True when it completes the join and moves on."""
        counts = scope.joins.get(cn.idx)
        if counts is None:
            counts = scope.joins[cn.idx] = [0] * cn.n_in
        counts[cn.in_pos.get(via, 0)] += 1
        if all(counts):
            for i in range(len(counts)):
                counts[i] -= 1
            if scope.positions is not None:
                scope.positions[cn.idx] -= cn.n_in - 1
            return True
        return False

    def _or_join(self, scope: Scope, cn: CNode, via: int) -> bool:
        counts = scope.joins.get(cn.idx)
        if counts is None:
            counts = scope.joins[cn.idx] = [0] * cn.n_in
        counts[cn.in_pos.get(via, 0)] += 1
        scope.pending_or.add(cn.idx)
        ready = self._or_ready(scope, cn)
        if ready:
            self._consume_or(scope, cn, keep_one=True)
        self._check_or_joins(scope, skip=cn.idx)
        return ready

    def _or_ready(self, scope: Scope, cn: CNode) -> bool:
        """Fire when no token anywhere in the scope can still reach an empty incoming flow."""
        up = cn.or_upstream
        pos = scope.positions
        assert pos is not None
        return not any(n in up and c > 0 for n, c in pos.items())

    def _consume_or(self, scope: Scope, cn: CNode, *, keep_one: bool) -> None:
        counts = scope.joins[cn.idx]
        consumed = sum(1 for c in counts if c)
        for i, c in enumerate(counts):
            if c:
                counts[i] = c - 1
        assert scope.positions is not None
        scope.positions[cn.idx] -= consumed - (1 if keep_one else 0)
        if not any(counts):
            scope.pending_or.discard(cn.idx)

    def _check_or_joins(self, scope: Scope, skip: int = -1) -> None:
        for j in list(scope.pending_or):
            if j == skip:
                continue
            cn = self.nodes[j]
            if j in scope.pending_or and self._or_ready(scope, cn):
                self._consume_or(scope, cn, keep_one=False)
                self._spawn(scope, j, -1, fired=True)

    # ---- terminate, event subprocesses, errors --------------------------------------------
    def _terminate(self, scope: Scope) -> None:
        scope.terminated = True
        me = self.env.active_process
        for child in list(scope.children):
            self._terminate(child)
        for proc in list(scope.procs):
            if proc is not me and proc.is_alive:
                proc.interrupt("terminate")

    def _event_subprocess(self, scope: Scope, esp: CNode) -> Generator[Any, Any, None]:
        """Wait for an event subprocess's trigger; run it if its scope is still going."""
        tmpl = esp.child_scope
        if tmpl is None or not tmpl.starts:
            return
        start = self.nodes[tmpl.starts[0]]
        case = scope.case
        if start.trigger == "timer":
            delay = self._event_delay(case, start)
        elif start.event is not None and start.event.probability is not None:
            draw = self.stream(f"trigger:{start.stream_key}").draw(case.idx, 0)
            if draw >= start.event.probability:
                return
            delay = self._event_delay(case, start)
        else:
            return  # triggered only by something the scenario does not model (documented)
        yield self.env.timeout(delay)
        if scope.finished or scope.terminated:
            return
        proc = self._spawn(scope, esp.idx, -1)  # counted first: the scope cannot finish
        if start.cancel_activity:  # interrupting: everything else in the scope stops
            for child in list(scope.children):
                self._terminate(child)
            for other in list(scope.procs):
                if other is not proc and other.is_alive:
                    other.interrupt("event subprocess")

    def _endless(self, case: Case, cn: CNode) -> None:
        import networkx as nx

        g = self.bound.model.graph
        try:
            cycle = nx.find_cycle(g, cn.node.id)
            names = " -> ".join(self.bound.model.nodes[u].label for u, *_ in cycle)
        except nx.NetworkXNoCycle:
            names = cn.label
        raise SimulationError(
            f"case {case.idx + 1} passed {self.max_steps} steps without finishing; it keeps "
            f"looping through {names}. Lower the repeat probability of that loop or give it an "
            "exit (or raise max_steps if the loop is meant to be this long)"
        )

    def _deadlock(self, scope: Scope, stuck: list[tuple[int, list[int]]]) -> None:
        parts = []
        for j, counts in stuck:
            cn = self.nodes[j]
            flows = {pos: fi for fi, pos in cn.in_pos.items()}
            fids = list(self.cm.flow_index)
            missing = [fids[flows[p]] for p, c in enumerate(counts) if c == 0]
            parts.append(
                f"join {cn.label} got tokens on {sum(1 for c in counts if c)} of {cn.n_in} "
                f"incoming flows and waits forever for {', '.join(missing)}"
            )
        raise SimulationError(
            [f"case {scope.case.idx + 1} cannot finish (deadlock) in {scope.tmpl.label}: "
             + "; ".join(parts),
             "the branches it waits for were not taken by an earlier exclusive or inclusive "
             "split: join with the matching gateway type"]
        )

    # ---- output ---------------------------------------------------------------------------
    def _raw(self) -> RawRun:
        roles = []
        for cn in self.nodes:
            lane = self.bound.model.lanes.get(cn.node.lane_id) if cn.node.lane_id else None
            roles.append(lane.name if lane is not None and lane.name else None)
        return RawRun(
            case_idx=np.frombuffer(self.l_case, dtype=np.int64).copy(),
            node_idx=np.frombuffer(self.l_node, dtype=np.int64).copy(),
            enable=np.frombuffer(self.l_enable, dtype=np.float64).copy(),
            start=np.frombuffer(self.l_start, dtype=np.float64).copy(),
            end=np.frombuffer(self.l_end, dtype=np.float64).copy(),
            unit=np.frombuffer(self.l_unit, dtype=np.int64).copy(),
            pool=np.frombuffer(self.l_pool, dtype=np.int64).copy(),
            case_arrival=np.frombuffer(self.case_arrival, dtype=np.float64).copy(),
            case_end=np.frombuffer(self.case_end, dtype=np.float64).copy(),
            case_attrs=self.case_attrs,
            case_work=np.frombuffer(self.case_work, dtype=np.float64).copy(),
            node_stats=self.node_stats,
            abandoned=self.abandoned,
            pool_names=list(self.pools),
            pool_counts=[p.count for p in self.pools.values()],
            pool_busy=[p.busy for p in self.pools.values()],
            unit_names=self.unit_names,
            activity_names=self.cm.activity_names,
            node_roles=roles,
            end_time=self.env.now,
        )

