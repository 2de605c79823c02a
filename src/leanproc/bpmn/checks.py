"""Structural checks of a process model: located findings, errors and warnings.

`check_model` never raises on a bad model: it reports. Each `Finding` names the element (id and
name) so an analyst finds it in the modeller. The checks, by code:

=====================  =======  ===============================================================
code                   level    meaning
=====================  =======  ===============================================================
duplicate-id           error    two elements of the file share an id (the first one was kept)
missing-source/target  error    a sequence or message flow points at an element that is absent
bad-default            error    a default flow that is not one of the element's outgoing flows
bad-attachment         error    a boundary event attached to something that is not an activity
no-start               error    a process with end events but no start event (BPMN 2.0
                                requires a start event once there is an end event)
unreachable            error    a node no path from a start reaches (per process / subprocess)
no-end                 error    a node from which no path reaches an end (a loop with no exit)
link-unpaired          error    a link throw event with no, or more than one, matching catch
                                event on its process level (rules in `leanproc.bpmn.links`)
parallel-join-deadlock error    a parallel join waiting for several branches of one exclusive
                                or event-based split, which only ever has one token to give
                                (nothing before the split can create a second token)
pointless-gateway      warning  a gateway with one incoming and one outgoing flow
unconditioned-split    warning  an exclusive/inclusive split without default, flows lacking
                                conditions (the scenario must give branch probabilities)
parallel-join-of-xor   warning  the same shape where something before the split creates
                                concurrent tokens: the join may still wait forever
implicit-start         warning  a process without start or end events: the nodes without
                                incoming flows start it
implicit-end           warning  a node with no outgoing flow in a scope that has end events
lane-member-missing    warning  a lane lists an element the model does not have
=====================  =======  ===============================================================

Reachability is computed per scope (a process's top level, each subprocess's inside). Roots are
the scope's start events, or, in a scope without start events, its nodes without incoming flows.
Event subprocesses and compensation handlers are roots (events, not flows, start them);
boundary events are reached when their activity is; link throw events lead to the link catch
events `leanproc.bpmn.links.pair_links` pairs them with. A node without outgoing flows is an end
(BPMN's implicit end).

The deadlock rule follows BPMN 2.0's token semantics: an exclusive or event-based gateway sends
its one incoming token down exactly one outgoing flow, and a parallel join fires only when every
incoming flow holds a token. When two incoming flows of a join are straight chains (no merges)
from one exclusive split, a token on one means none on the other, unless a second token comes
from before the split: a parallel, inclusive or complex split, a node with several outgoing
flows (an uncontrolled split), a non-interrupting boundary event, or a second start event. With
none of those upstream the deadlock is certain (an error); otherwise it is a warning.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from leanproc.bpmn.links import pair_links
from leanproc.bpmn.model import Activity, Event, Gateway, Kind, Node, ProcessModel

__all__ = ["Finding", "check_model"]

_MAX_BACKTRACK = 10_000  # steps when tracing a join's branches back to their split


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of a model: ``error`` (the model cannot run as drawn) or ``warning``."""

    severity: str
    code: str
    message: str
    element_id: str | None = None
    element_name: str | None = None

    def __str__(self) -> str:
        if self.element_id and self.element_name:
            where = f"{self.element_name!r} ({self.element_id}): "
        elif self.element_id:
            where = f"{self.element_id}: "
        else:
            where = ""
        return f"{self.severity} [{self.code}] {where}{self.message}"


def check_model(model: ProcessModel) -> list[Finding]:
    """All structural findings of `model`, errors before warnings, each in document order."""
    findings = _Checker(model).run()
    return sorted(findings, key=lambda f: f.severity != "error")  # stable: keeps order


class _Checker:
    def __init__(self, model: ProcessModel) -> None:
        self.m = model
        self.out: list[Finding] = []
        self.succ: dict[str, list[str]] = {nid: [] for nid in model.nodes}
        self.pred: dict[str, list[str]] = {nid: [] for nid in model.nodes}
        for f in model.flows.values():
            if f.source in model.nodes and f.target in model.nodes:
                self.succ[f.source].append(f.target)
                self.pred[f.target].append(f.source)
        # link events: a throw link jumps to the catch link it is paired with
        self.links = pair_links(model)
        for tid, cid in self.links.targets.items():
            self.succ[tid].append(cid)
            self.pred[cid].append(tid)

    def add(self, severity: str, code: str, message: str, node: Node | None = None,
            element_id: str | None = None, element_name: str | None = None) -> None:
        if node is not None:
            element_id, element_name = node.id, node.name
        self.out.append(Finding(severity, code, message, element_id, element_name))

    def run(self) -> list[Finding]:
        self.duplicates()
        self.references()
        for tid, message in self.links.problems:
            self.add("error", "link-unpaired", message, self.m.nodes[tid])
        for pid, process in self.m.processes.items():
            self.scope(process.nodes, is_process=True, process_id=pid)
        self.gateways()
        return self.out

    # ---- references ------------------------------------------------------------------------
    def duplicates(self) -> None:
        for eid in self.m.duplicate_ids:
            node = self.m.nodes.get(eid)
            self.add("error", "duplicate-id",
                     "the id is used by more than one element; only the first was read — give "
                     "each element its own id", element_id=eid,
                     element_name=node.name if node else None)

    def references(self) -> None:
        m = self.m
        for f in m.flows.values():
            for end, ref in (("source", f.source), ("target", f.target)):
                if ref not in m.nodes:
                    what = f"its {end} {ref!r} is not in the model" if ref \
                        else f"it has no {end}Ref"
                    self.add("error", f"missing-{end}", f"sequence flow: {what}",
                             element_id=f.id, element_name=f.name)
        drawable = {*m.nodes, *m.participants}
        for mf in m.message_flows.values():
            for end, ref in (("source", mf.source), ("target", mf.target)):
                if ref not in drawable:
                    what = f"its {end} {ref!r} is neither a pool nor a flow node" if ref \
                        else f"it has no {end}Ref"
                    self.add("error", f"missing-{end}", f"message flow: {what}",
                             element_id=mf.id, element_name=mf.name)
        for n in m.nodes.values():
            default = getattr(n, "default_flow", None)
            if default is not None and default not in n.outgoing:
                self.add("error", "bad-default",
                         f"default flow {default!r} is not one of its outgoing flows", n)
            if isinstance(n, Event) and n.kind is Kind.BOUNDARY_EVENT:
                host = m.nodes.get(n.attached_to or "")
                if not isinstance(host, Activity):
                    self.add("error", "bad-attachment",
                             f"boundary event attached to {n.attached_to!r}, which is not an "
                             "activity of the model", n)
        for lane in m.lanes.values():
            for member in lane.members:
                if member not in m.nodes and member not in m.data:
                    self.add("warning", "lane-member-missing",
                             f"lane lists {member!r}, which the model does not have",
                             element_id=lane.id, element_name=lane.name)

    # ---- reachability ----------------------------------------------------------------------
    def scope(self, node_ids: Iterable[str], *, is_process: bool, process_id: str) -> None:
        m = self.m
        nodes = [m.nodes[i] for i in node_ids if i in m.nodes]
        if not nodes:
            return
        starts = [n for n in nodes if n.kind is Kind.START_EVENT]
        if is_process and not starts:
            # BPMN 2.0 (10.5.2) makes the start event optional: without one, every node
            # without incoming flows starts; but a process with an end event must have one
            process = m.processes[process_id]
            if any(n.kind is Kind.END_EVENT for n in nodes):
                self.add("error", "no-start",
                         "the process has end events but no start event; add one where cases "
                         "begin", element_id=process.id, element_name=process.name)
            else:
                self.add("warning", "implicit-start",
                         "the process has no start event, so every node without incoming "
                         "flows starts a case; add a start event to make that explicit",
                         element_id=process.id, element_name=process.name)
        in_scope = {n.id for n in nodes}

        def is_free_root(n: Node) -> bool:
            return isinstance(n, Activity) and (n.subprocess == "event"
                                                or n.is_for_compensation)

        if starts:
            roots = [n.id for n in starts]
        else:
            roots = [n.id for n in nodes if not self.pred[n.id]
                     and n.kind is not Kind.BOUNDARY_EVENT]
        roots += [n.id for n in nodes if is_free_root(n)]
        reached = self.forward(roots, in_scope)
        for n in nodes:
            if n.id not in reached:
                self.add("error", "unreachable",
                         "no path from a start event reaches it; connect it or remove it", n)

        ends = {n.id for n in nodes if not self.succ[n.id]}
        can_end = self.backward(ends, in_scope)
        has_end_events = any(n.kind is Kind.END_EVENT for n in nodes)
        for n in nodes:
            if n.id in reached and n.id not in can_end:
                self.add("error", "no-end",
                         "no path from here reaches an end: cases would loop forever; give the "
                         "loop an exit", n)
            if (has_end_events and n.id in reached and not self.succ[n.id]
                    and n.kind is not Kind.END_EVENT
                    and not is_free_root(n) and not self._compensation_boundary(n)):
                self.add("warning", "implicit-end",
                         "has no outgoing flow, so a case silently ends here; connect it to an "
                         "end event if that is intended", n)

        for n in nodes:  # inside each reachable subprocess, its own scope
            if isinstance(n, Activity) and n.kind is Kind.SUBPROCESS and n.id in reached:
                self.scope(n.children, is_process=False, process_id=process_id)

    def _compensation_boundary(self, n: Node) -> bool:
        return isinstance(n, Event) and n.trigger == "compensate"

    def forward(self, roots: list[str], scope: set[str]) -> set[str]:
        m = self.m
        seen = set(roots)
        queue = deque(roots)
        while queue:
            nid = queue.popleft()
            node = m.nodes[nid]
            nexts = list(self.succ[nid])
            if isinstance(node, Activity):
                nexts.extend(node.boundary_events)
            for nxt in nexts:
                if nxt in scope and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def backward(self, ends: set[str], scope: set[str]) -> set[str]:
        m = self.m
        seen = set(ends)
        queue = deque(ends)
        while queue:
            nid = queue.popleft()
            prevs = list(self.pred[nid])
            node = m.nodes[nid]
            if isinstance(node, Event) and node.attached_to:
                prevs.append(node.attached_to)  # leaving by the boundary event ends the host
            for prv in prevs:
                if prv in scope and prv not in seen:
                    seen.add(prv)
                    queue.append(prv)
        return seen

    # ---- gateways --------------------------------------------------------------------------
    def gateways(self) -> None:
        m = self.m
        for g in m.nodes.values():
            if not isinstance(g, Gateway):
                continue
            n_in, n_out = len(g.incoming), len(g.outgoing)
            if n_in == 1 and n_out == 1:
                self.add("warning", "pointless-gateway",
                         "gateway with one incoming and one outgoing flow does nothing; "
                         "remove it", g)
            if g.kind in (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY) and n_out > 1 \
                    and g.default_flow is None:
                bare = [fid for fid in g.outgoing
                        if fid in m.flows and not m.flows[fid].condition]
                if bare:
                    names = ", ".join(_flow_label(m, fid) for fid in bare)
                    self.add("warning", "unconditioned-split",
                             f"split without a default flow; {len(bare)} of {n_out} outgoing "
                             f"flows have no condition ({names}); give conditions or branch "
                             "probabilities in the scenario", g)
            if g.kind is Kind.PARALLEL_GATEWAY and n_in > 1:
                self.parallel_join(g)

    def parallel_join(self, join: Gateway) -> None:
        m = self.m
        origin_count: dict[str, int] = {}
        for fid in join.incoming:
            f = m.flows.get(fid)
            if f is None or f.source not in m.nodes:
                continue
            split = self.nearest_split(f.source)
            if split is not None:
                origin_count[split] = origin_count.get(split, 0) + 1
        for split_id, count in origin_count.items():
            split_node = m.nodes[split_id]
            if count > 1 and split_node.kind in (Kind.EXCLUSIVE_GATEWAY,
                                                 Kind.EVENT_BASED_GATEWAY):
                if self.only_one_token(split_node):
                    self.add("error", "parallel-join-deadlock",
                             f"parallel join waits for {count} branches that all come from the "
                             f"exclusive split {split_node.label}, which takes only one of them: "
                             "every case reaching it stops here; use an exclusive (merging) "
                             "gateway here", join)
                else:
                    self.add("warning", "parallel-join-of-xor",
                             f"parallel join waits for {count} branches that all come from the "
                             f"exclusive split {split_node.label}, where only one is taken: "
                             "possible deadlock; use an exclusive (merging) gateway here", join)

    def only_one_token(self, split: Node) -> bool:
        """Whether at most one token at a time can reach `split` (see the module's deadlock
        rule): nothing upstream of it on its process level creates a concurrent token."""
        m = self.m
        level = {n.id for n in m.nodes.values()
                 if n.process_id == split.process_id and n.parent_id == split.parent_id}
        upstream = self.backward({split.id}, level)
        starts = 0
        for nid in upstream:
            node = m.nodes[nid]
            starts += node.kind is Kind.START_EVENT
            if len(self.succ[nid]) > 1 and not (
                    isinstance(node, Gateway) and node.kind in (Kind.EXCLUSIVE_GATEWAY,
                                                                Kind.EVENT_BASED_GATEWAY)):
                return False  # a parallel, inclusive, complex or uncontrolled split
            if isinstance(node, Activity) and any(
                    isinstance(b := m.nodes.get(bid), Event) and not b.cancel_activity
                    for bid in node.boundary_events):
                return False  # a non-interrupting boundary event adds a token
        return starts <= 1

    def nearest_split(self, start: str) -> str | None:
        """Walk back along single-entry nodes until a node with several outgoing flows."""
        m = self.m
        nid = start
        seen: set[str] = set()
        for _ in range(_MAX_BACKTRACK):
            if nid in seen:
                return None
            seen.add(nid)
            if len(self.succ[nid]) > 1:
                return nid
            node = m.nodes[nid]
            preds = self.pred[nid]
            if len(preds) != 1 or node.kind is Kind.START_EVENT:
                return None
            nid = preds[0]
        return None


def _flow_label(model: ProcessModel, fid: str) -> str:
    f = model.flows[fid]
    return f"{f.name!r} ({fid})" if f.name else fid
