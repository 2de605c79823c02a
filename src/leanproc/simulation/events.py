"""Events: catch-event delays, event-based gateways, boundary events, event subprocesses and
terminating a scope.

A timer waits for its duration (or until its BPMN timeDate); a message, signal or other catch
event waits for the `after` delay the scenario gives it. A boundary event other than a timer
happens with its scenario `probability` per activity visit, `after` a delay from the activity's
start or else at its completion. An event subprocess starts when its trigger fires while its
scope still runs.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import simpy

from leanproc.simulation.activities import quiet
from leanproc.simulation.compile import CNode
from leanproc.simulation.state import Case, Scope, back_reference

if TYPE_CHECKING:
    from leanproc.simulation.engine import Engine


@dataclass
class _Boundaries:
    """The boundary events of one activity visit, sorted by how they may fire."""

    timers: dict[simpy.Event, int] = field(default_factory=dict)  # fire at a time
    at_completion: list[int] = field(default_factory=list)  # fire as the outcome of the work
    errors: list[int] = field(default_factory=list)  # catch an error the body ends with


class Events:
    def __init__(self, engine: Engine) -> None:
        self.engine = back_reference(engine)
        self.env = engine.env
        self.nodes = engine.nodes

    # ---- catch events and event-based gateways ----------------------------------------
    def delay(self, case: Case, cn: CNode) -> float:
        """How long a catch event (or a timer boundary) waits from now."""
        plan = cn.event
        visit = case.visit(cn.idx)
        stream = self.engine.stream
        if cn.trigger == "timer":
            if plan is not None and plan.duration is not None:
                return stream(f"timer:{cn.stream_key}", plan.duration.sample).draw(
                    case.idx, visit)
            if cn.timer_date is not None:
                due = (cn.timer_date - self.engine.bound.start).total_seconds()
                return float(max(0.0, due - self.env.now))
            return 0.0
        if plan is not None and plan.after is not None:
            return stream(f"after:{cn.stream_key}", plan.after.sample).draw(case.idx, visit)
        return 0.0

    def catch(self, scope: Scope, cn: CNode) -> Generator[simpy.Event, Any, int]:
        """An intermediate catch event: wait for it, then go on from it."""
        delay = self.delay(scope.case, cn)
        if delay > 0:
            yield self.env.timeout(delay)
        return cn.idx

    def race(self, scope: Scope, cn: CNode) -> Generator[simpy.Event, Any, int]:
        """Event-based gateway: every following catch event gets its time; the first wins.
        Returns the winning event, which the token then leaves."""
        best, best_delay = -1, math.inf
        for _, t in cn.outs:
            delay = self.delay(scope.case, self.nodes[t])
            if delay < best_delay:
                best, best_delay = t, delay
        if best_delay > 0:
            yield self.env.timeout(best_delay)
        return best

    # ---- boundary events --------------------------------------------------------------
    def with_boundaries(self, scope: Scope, cn: CNode,
                        visit: int) -> Generator[simpy.Event, Any, int]:
        """Run an activity's body while its boundary events may fire; return the interrupting
        boundary event the token leaves through, or -1 when it leaves normally."""
        env = self.env
        body = env.process(quiet(self.engine.activities.repeated_body(scope, cn, visit)))
        bounds = self._arm(scope.case, cn, visit)
        timers = bounds.timers
        try:
            while True:
                yield env.any_of([body, *timers])
                if body.triggered:
                    break
                for ev in [e for e in timers if e.processed]:
                    b = timers.pop(ev)
                    if self.nodes[b].cancel_activity:
                        body.interrupt()
                        return b
                    self.engine.spawn(scope, b, -1)
        except simpy.Interrupt:
            if body.is_alive:
                body.interrupt()
            raise
        error = body.value
        if error is not None:
            for b in bounds.errors:
                ref = self.nodes[b].error_ref
                if ref is None or ref == error or error == "*":
                    return b
        for b in bounds.at_completion:
            if self.nodes[b].cancel_activity:
                return b
            self.engine.spawn(scope, b, -1)
        return -1

    def _arm(self, case: Case, cn: CNode, visit: int) -> _Boundaries:
        """Decide, for this visit, which boundary events happen and when."""
        env = self.env
        out = _Boundaries()
        for b in cn.boundaries:
            bn = self.nodes[b]
            if bn.trigger == "error" and cn.child_scope is not None and bn.event is None:
                out.errors.append(b)  # caught from an error end event inside the subprocess
                continue
            if bn.trigger == "timer":
                out.timers[env.timeout(self.delay(case, bn))] = b
                continue
            if bn.trigger in ("none", "compensate") or bn.event is None:
                if bn.trigger == "error":
                    out.errors.append(b)
                continue
            p = bn.event.probability
            stream = self.engine.stream
            if p is None or stream(f"boundary:{bn.stream_key}").draw(case.idx, visit) >= p:
                if bn.trigger == "error":
                    out.errors.append(b)
                continue
            if bn.event.after is not None:
                delay = stream(f"after:{bn.stream_key}", bn.event.after.sample).draw(
                    case.idx, visit)
                out.timers[env.timeout(delay)] = b
            else:
                out.at_completion.append(b)
        return out

    # ---- event subprocesses and terminate ---------------------------------------------
    def event_subprocess(self, scope: Scope, esp: CNode) -> Generator[simpy.Event, Any, None]:
        """Wait for an event subprocess's trigger; run it if its scope is still going."""
        tmpl = esp.child_scope
        if tmpl is None or not tmpl.starts:
            return
        start = self.nodes[tmpl.starts[0]]
        case = scope.case
        if start.trigger == "timer":
            delay = self.delay(case, start)
        elif start.event is not None and start.event.probability is not None:
            draw = self.engine.stream(f"trigger:{start.stream_key}").draw(case.idx, 0)
            if draw >= start.event.probability:
                return
            delay = self.delay(case, start)
        else:
            return  # triggered only by something the scenario does not model (documented)
        yield self.env.timeout(delay)
        if scope.finished or scope.terminated:
            return
        proc = self.engine.spawn(scope, esp.idx, -1)  # counted first: the scope cannot finish
        if start.cancel_activity:  # interrupting: everything else in the scope stops
            for child in list(scope.children):
                self.terminate(child)
            for other in list(scope.procs):
                if other is not proc and other.is_alive:
                    other.interrupt("event subprocess")

    def terminate(self, scope: Scope) -> None:
        """Stop every token of the scope and of its subscopes but the running one."""
        scope.terminated = True
        me = self.env.active_process
        for child in list(scope.children):
            self.terminate(child)
        for proc in list(scope.procs):
            if proc is not me and proc.is_alive:
                proc.interrupt("terminate")
