"""Activity execution: waits, taking a unit of a pool, work on its calendar, markers, log rows.

`Activities.work` is the engine's hot path — a plain task's wait, seize, work and release —
written with locals instead of attribute chains and with no helper calls in the common
single-pool case. Loops, multi-instance bodies and subprocess bodies take the slower
`run` / `repeated_body` path. The event-log columns live here because only work writes them.

An activity of an interleaved block (scenario `interleave`, compile.py's `CNode.hands`) also
takes the slow path: it first waits for the block's hands — one per case and block, in its
scope — and holds them through its own wait, its queue for a resource and its work (a loop or
subprocess through its whole run), since calibrated waits of such blocks are measured from the
previous completion in the case. The next turn goes to one of the waiting activities at
random (a CRN draw per case), so the branches come in any order. The enablement written to
the log is when the hands took the activity.
"""

from __future__ import annotations

from array import array
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from leanproc.calendar import Timeline
from leanproc.simulation.compile import CNode
from leanproc.simulation.resources import Pool, choose_pool
from leanproc.simulation.state import Case, Hands, Scope, TaskRuntime, back_reference
from leanproc.simulation.streams import CaseStream, StreamFactory

if TYPE_CHECKING:
    from leanproc.simulation.engine import Engine

# what a token's generator yields to SimPy and gets back (a unit number, an error code, ...)
Steps = Generator[simpy.Event, Any, Any]

LOOP_LIMIT = 1000  # passes of a standard loop when neither the BPMN nor the scenario caps it


def task_runtimes(nodes: list[CNode], pools: dict[str, Pool], streams: StreamFactory,
                  default_timeline: Timeline | None) -> list[TaskRuntime | None]:
    """One `TaskRuntime` per activity with a plan, so the hot path indexes a list instead of
    building stream keys. Each duration gets its own CRN stream, per pool when the scenario
    gives durations by pool."""
    tasks: list[TaskRuntime | None] = [None] * len(nodes)
    for cn in nodes:
        plan = cn.plan
        if plan is None:
            continue
        key = cn.stream_key
        rt = TaskRuntime()
        rt.pools = [pools[p] for p in plan.pools]
        durations: dict[int, CaseStream] = {}
        candidates: list[Pool | None] = [*rt.pools] or [None]  # None: no pool, a pure delay
        for pool in candidates:
            dist = (plan.duration_by_pool.get(pool.name) if pool else None) or plan.duration
            if dist is not None:
                purpose = f"duration:{key}" + (f"@{pool.name}" if pool and
                                              plan.duration_by_pool else "")
                durations[pool.idx if pool else -1] = streams.per_case(purpose, dist.sample)
        rt.durations = durations
        rt.single = rt.pools[0] if len(rt.pools) == 1 else None
        rt.single_duration = (durations.get(rt.single.idx) if rt.single
                              else durations.get(-1))
        if plan.wait is not None:
            rt.wait = streams.per_case(f"wait:{key}", plan.wait.sample)
            rt.wait_timeline = default_timeline if plan.wait.working else None
        if plan.duration is not None and plan.duration.working:
            rt.delay_timeline = default_timeline
        tasks[cn.idx] = rt
    return tasks


def quiet(gen: Steps) -> Steps:
    """Run a helper process whose interruption is its normal way to stop."""
    try:
        return (yield from gen)
    except simpy.Interrupt:
        return None


class Activities:
    """Runs activities for the engine and keeps what they produce (log rows or running sums)."""

    def __init__(self, engine: Engine, tasks: list[TaskRuntime | None], *,
                 keep_log: bool) -> None:
        self.engine = back_reference(engine)
        self.env = engine.env
        self.tasks = tasks
        # streaming mode (keep_log=False): no event-log rows, only per-activity running sums
        # [count, waiting, work] and per-case work, so memory does not grow with activities
        self.keep_log = keep_log
        self.node_stats: list[list[float]] = [[0, 0.0, 0.0] for _ in tasks]
        # work items withdrawn while queueing (case, node, enabled, withdrawn): no log row,
        # since the work never started, but queue analyses need them
        self.abandoned: list[tuple[int, int, float, float]] = []
        # event-log columns as typed arrays: 8 bytes a value, not a boxed float in a list
        self.l_case = array("q")
        self.l_node = array("q")
        self.l_enable = array("d")
        self.l_start = array("d")
        self.l_end = array("d")
        self.l_unit = array("q")
        self.l_pool = array("q")

    # ---- activities with markers, boundaries or a body ----------------------------------
    def run(self, scope: Scope, cn: CNode) -> Generator[simpy.Event, Any, int]:
        """Run an activity; return the node the token leaves from: the activity itself, or
        the interrupting boundary event it left through."""
        visit = scope.case.visit(cn.idx)
        if cn.hands >= 0:
            hands = yield from self._take_hands(scope, cn.hands)
            try:
                return (yield from self._run(scope, cn, visit))
            finally:
                self._release_hands(scope, cn.hands, hands)
        return (yield from self._run(scope, cn, visit))

    def _run(self, scope: Scope, cn: CNode, visit: int) -> Generator[simpy.Event, Any, int]:
        if not cn.boundaries:
            # an error no boundary catches ends the subprocess only (documented)
            yield from self.repeated_body(scope, cn, visit)
            return cn.idx
        exit_to = yield from self.engine.events.with_boundaries(scope, cn, visit)
        return exit_to if exit_to >= 0 else cn.idx

    def _take_hands(self, scope: Scope, split: int) -> Generator[simpy.Event, Any, Hands]:
        """Wait for the hands of the case's interleaved block opened by `split` in this scope:
        until no other activity of the block is running, and this one's turn comes."""
        table = scope.hands
        if table is None:
            table = scope.hands = {}
        hands = table.get(split)
        if hands is None:
            hands = table[split] = Hands()
        turn = self.env.event()
        hands.waiting.append(turn)
        if not hands.busy:
            self._give_turn_soon(scope, split, hands)
        try:
            yield turn
        except simpy.Interrupt:  # e.g. a boundary event of an enclosing subprocess
            if turn.triggered:
                self._release_hands(scope, split, hands)  # our turn came: pass it on
            else:
                hands.waiting.remove(turn)
            raise
        return hands

    def _release_hands(self, scope: Scope, split: int, hands: Hands) -> None:
        hands.busy = False
        if hands.waiting:
            self._give_turn_soon(scope, split, hands)

    def _give_turn_soon(self, scope: Scope, split: int, hands: Hands) -> None:
        """Give the next turn once every activity reaching the hands at this instant waits
        (a zero delay: the branches a split starts together all compete for the first turn),
        to one of them at random, so the block's branches come in any order."""
        if hands.granting:
            return
        hands.granting = True

        def give(_: simpy.Event) -> None:
            hands.granting = False
            if hands.busy or not hands.waiting:
                return
            u = self.engine.stream(f"interleave:{self.engine.nodes[split].stream_key}").draw(
                scope.case.idx, hands.turns)
            hands.turns += 1
            hands.busy = True
            hands.waiting.pop(min(int(u * len(hands.waiting)), len(hands.waiting) - 1)).succeed()

        self.env.timeout(0).callbacks.append(give)

    def repeated_body(self, scope: Scope, cn: CNode, visit: int) -> Steps:
        """The activity's body with its loop or multi-instance marker applied; returns the
        error code a body ended with, or None."""
        if cn.mi_sequential is None and not cn.loop_condition:
            return (yield from self.body(scope, cn, visit, 0))
        if cn.mi_sequential is not None:
            return (yield from self._multi_instance(scope, cn, visit))
        # a standard loop: test after each run
        plan = cn.plan
        assert plan is not None  # the binder gives every looped activity its plan
        # the binder requires `loop.probability` for a reachable standard loop; no
        # probability would mean "never repeat"
        repeat = plan.loop_probability if plan.loop_probability is not None else 0.0
        draw = self.engine.stream(f"loop:{cn.stream_key}")
        error = None
        for k in range(cn.loop_max or plan.loop_max or LOOP_LIMIT):
            error = yield from self.body(scope, cn, visit, k)
            if error is not None or draw.draw(scope.case.idx, visit + k) >= repeat:
                break
        return error

    def _multi_instance(self, scope: Scope, cn: CNode, visit: int) -> Steps:
        n = self._instances(scope.case, cn, visit)
        error = None
        if cn.mi_sequential:
            for k in range(n):
                error = yield from self.body(scope, cn, visit, k)
                if error is not None:
                    break
        elif n:
            env = self.env
            bodies = [env.process(quiet(self.body(scope, cn, visit, k))) for k in range(n)]
            try:
                results = yield env.all_of(bodies)
            except simpy.Interrupt:
                for b in bodies:
                    if b.is_alive:
                        b.interrupt()
                raise
            error = next((v for v in results.values() if v is not None), None)
        return error

    def _instances(self, case: Case, cn: CNode, visit: int) -> int:
        plan = cn.plan
        spec = plan.instances if plan is not None else None
        if spec is None:
            return cn.mi_fixed or 0
        if isinstance(spec, int):
            return spec
        value = self.engine.stream(f"instances:{cn.stream_key}", spec.sample).draw(
            case.idx, visit)
        return max(0, round(value))

    def body(self, scope: Scope, cn: CNode, visit: int, k: int) -> Steps:
        """One execution: a task's work, or a subprocess / called process run to its end."""
        if cn.child_scope is not None:
            engine = self.engine
            child = engine.open_scope(scope.case, cn.child_scope, scope, cn)
            if child.finished:  # an empty subprocess
                return child.error
            child.done = self.env.event()
            try:
                return (yield child.done)
            except simpy.Interrupt:
                engine.events.terminate(child)
                raise
        yield from self.work(scope, cn, visit + k)
        return None

    # ---- the hot path -----------------------------------------------------------------
    def work(self, scope: Scope, cn: CNode, visit: int) -> Generator[simpy.Event, Any, None]:
        """Wait, take a unit, work on its calendar, hand the unit on, write the log row."""
        env = self.env
        case_idx = scope.case.idx
        rt = self.tasks[cn.idx]
        assert rt is not None  # every activity the engine works on has a plan
        enable = env.now
        if rt.wait is not None:
            w = rt.wait.draw(case_idx, visit) * scope.case.wait_speed
            if w > 0:
                tl = rt.wait_timeline
                yield env.timeout((tl.add(enable, w) - enable) if tl is not None else w)
        pool = rt.single
        if pool is None:
            if not rt.pools:
                yield from self._delay(scope.case, cn, rt, enable, visit)
                return
            pool = choose_pool(rt.pools)
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
        d = stream.draw(case_idx, visit) * scope.case.speed if stream is not None else 0.0
        end = tl.add(start, d) if tl is not None else start + d
        try:
            if end > now:
                yield env.timeout(end - now)
        except simpy.Interrupt:
            now = env.now
            pool.busy += max(0.0, (tl.between(start, now) if tl is not None else now - start))
            pool.release(unit)
            self.record(scope.case, cn.idx, enable, min(start, now), now, unit, pool.idx)
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

    def _delay(self, case: Case, cn: CNode, rt: TaskRuntime, enable: float,
               visit: int) -> Generator[simpy.Event, Any, None]:
        """An activity with no resource: it only takes time."""
        env = self.env
        start = env.now
        stream = rt.single_duration
        d = stream.draw(case.idx, visit) * case.speed if stream is not None else 0.0
        tl = rt.delay_timeline
        end = tl.add(start, d) if tl is not None else start + d
        if end > start:
            yield env.timeout(end - start)
        self.record(case, cn.idx, enable, start, end, -1, -1)

    # ---- output -----------------------------------------------------------------------
    def _tally(self, case: Case, node: int, enable: float, start: float, end: float) -> None:
        stats = self.node_stats[node]
        stats[0] += 1
        stats[1] += start - enable
        stats[2] += end - start
        case.work += end - start

    def record(self, case: Case, node: int, enable: float, start: float, end: float,
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
