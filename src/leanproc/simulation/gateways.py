"""Gateways: which outgoing flows a split takes, and when a parallel or inclusive join fires.

Exclusive and inclusive splits decide by the case's attributes when the scenario gives branch
conditions, else by a CRN draw per gateway visit. A parallel join waits for a token on every
incoming flow. An inclusive (OR) join fires when no token anywhere in its scope can still reach
one of its empty incoming flows; for that a scope with OR-joins counts its tokens per node
(`Scope.positions`), and every token move re-checks the joins that hold tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leanproc.errors import SimulationError
from leanproc.simulation.compile import OR, XOR, CNode
from leanproc.simulation.state import Case, Scope, back_reference

if TYPE_CHECKING:
    from leanproc.simulation.engine import Engine

Flow = tuple[int, int]  # (flow idx, target node idx)


class Gateways:
    def __init__(self, engine: Engine) -> None:
        self.engine = back_reference(engine)
        self.nodes = engine.nodes

    # ---- splits -----------------------------------------------------------------------
    def split(self, scope: Scope, cn: CNode) -> list[Flow]:
        """The outgoing flows a token leaving `cn` takes (one token per flow)."""
        outs = cn.outs
        code = cn.code
        if code == XOR:
            return [outs[self._choose_one(scope.case, cn)]]
        if code == OR:
            return [outs[i] for i in self._choose_some(scope.case, cn)]
        return outs  # parallel split, or an activity / event with several outgoing flows

    def _choose_one(self, case: Case, cn: CNode) -> int:
        plan = cn.gateway
        assert plan is not None  # the compiler gives every splitting gateway its plan
        if plan.conditions:
            for flow_id, cond in plan.conditions.items():
                if cond.op != "default" and cond.holds(case.attrs):
                    return cn.flow_ids.index(flow_id)
            return self._default_out(cn)
        visit = case.visit(cn.idx)
        u = self.engine.stream(f"gateway:{cn.stream_key}").draw(case.idx, visit)
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
        assert plan is not None  # the compiler gives every splitting gateway its plan
        chosen: list[int] = []
        if plan.conditions:
            chosen = [
                cn.flow_ids.index(f) for f, c in plan.conditions.items()
                if c.op != "default" and c.holds(case.attrs)
            ]
        else:
            visit = case.visit(cn.idx)
            for flow_id, p in plan.probabilities.items():
                u = self.engine.stream(f"gateway:{cn.stream_key}:{flow_id}").draw(case.idx, visit)
                if u < p:
                    chosen.append(cn.flow_ids.index(flow_id))
            if not chosen and cn.default_out < 0:
                # no branch drawn and no default flow: take the likeliest one, so the token
                # is never lost (documented in the scenario guide)
                best = max(plan.probabilities.items(), key=lambda kv: kv[1])[0]
                chosen = [cn.flow_ids.index(best)]
        return chosen or [self._default_out(cn)]

    @staticmethod
    def _default_out(cn: CNode) -> int:
        """The default flow: the scenario's `default` branch, else the BPMN's default flow
        (the binder has already put the BPMN's into the plan when the scenario names none)."""
        flow = cn.gateway.default_flow if cn.gateway is not None else None
        if flow is not None and flow in cn.flow_ids:
            return cn.flow_ids.index(flow)
        if cn.default_out < 0:
            raise SimulationError(
                f"gateway {cn.label}: no branch condition holds for this case and the gateway "
                "has no default flow; add a `default` branch to its conditions"
            )
        return cn.default_out

    # ---- joins ------------------------------------------------------------------------
    def and_join(self, scope: Scope, cn: CNode, via: int) -> bool:
        """Count the arriving token; True when it completes the join and moves on."""
        counts = self._arrive(scope, cn, via)
        if all(counts):
            for i in range(len(counts)):
                counts[i] -= 1
            if scope.positions is not None:
                scope.positions[cn.idx] -= cn.n_in - 1
            return True
        return False

    def or_join(self, scope: Scope, cn: CNode, via: int) -> bool:
        """Count the arriving token; True when the join fires with it (it moves on)."""
        self._arrive(scope, cn, via)
        scope.pending_or.add(cn.idx)
        ready = self._or_ready(scope, cn)
        if ready:
            self._consume_or(scope, cn, keep_one=True)
        self.check_or_joins(scope, skip=cn.idx)
        return ready

    @staticmethod
    def _arrive(scope: Scope, cn: CNode, via: int) -> list[int]:
        counts = scope.joins.get(cn.idx)
        if counts is None:
            counts = scope.joins[cn.idx] = [0] * cn.n_in
        counts[cn.in_pos.get(via, 0)] += 1
        return counts

    @staticmethod
    def _or_ready(scope: Scope, cn: CNode) -> bool:
        """Fire when no token anywhere in the scope can still reach an empty incoming flow."""
        up = cn.or_upstream
        pos = scope.positions
        assert pos is not None
        return not any(n in up and c > 0 for n, c in pos.items())

    @staticmethod
    def _consume_or(scope: Scope, cn: CNode, *, keep_one: bool) -> None:
        counts = scope.joins[cn.idx]
        consumed = sum(1 for c in counts if c)
        for i, c in enumerate(counts):
            if c:
                counts[i] = c - 1
        assert scope.positions is not None
        scope.positions[cn.idx] -= consumed - (1 if keep_one else 0)
        if not any(counts):
            scope.pending_or.discard(cn.idx)

    def check_or_joins(self, scope: Scope, skip: int = -1) -> None:
        """Fire every pending OR-join (but `skip`) that nothing upstream can still feed."""
        for j in list(scope.pending_or):
            if j == skip:
                continue
            cn = self.nodes[j]
            if j in scope.pending_or and self._or_ready(scope, cn):
                self._consume_or(scope, cn, keep_one=False)
                self.engine.spawn(scope, j, -1, fired=True)

    def move(self, scope: Scope, src: int, dst: int) -> None:
        """Record a token's move in a scope that counts positions for its OR-joins."""
        pos = scope.positions
        assert pos is not None
        pos[src] -= 1
        pos[dst] = pos.get(dst, 0) + 1
        # a token entering an OR-join is counted there first (`or_join`), which then checks
        # the other pending joins; checking now would fire the join without its token
        if scope.pending_or and not (self.nodes[dst].code == OR and self.nodes[dst].is_join):
            self.check_or_joins(scope)
