"""Compile a bound scenario into plain integer-indexed tables for the engine.

The engine's inner loop must not look anything up by string or walk the model's dataclasses:
that happens here, once per run (`simulate` and `sweep` compile each bound scenario once and
reuse the tables for every replication; they pickle, so process executors receive them too). Each
flow node becomes a `CNode` whose fields the token loop reads directly; each scope (a process, an
embedded subprocess, a called process) becomes a `ScopeTemplate` with its start nodes, its event
subprocesses and the reachability sets its OR-joins need.

The scenario data was checked by the binder (every reachable task has a duration, every
reachable split its probabilities or conditions, every reachable timer its delay…), so nothing
of it is checked again here. What is checked here is the model's wiring, which only compiling
it examines: a flow whose ends are missing, a scope where no token can start, a link throw with
no matching catch. Those problems are raised together as one `ScenarioError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from leanproc.bpmn.links import pair_links
from leanproc.bpmn.model import Activity, Event, Gateway, Kind, Node
from leanproc.errors import ScenarioError

if TYPE_CHECKING:
    from leanproc.scenario import BoundScenario
    from leanproc.scenario.plans import ActivityPlan, EventPlan, GatewayPlan

# node behaviour codes (the token loop branches on these ints)
TASK, SUBPROCESS, CALL, START, END, CATCH, THROW, XOR, AND, OR, EVENT_GW, BOUNDARY = range(12)
ESP = -1  # an event subprocess: entered only by its trigger

_KIND_CODE = {
    Kind.TASK: TASK,
    Kind.SUBPROCESS: SUBPROCESS,
    Kind.CALL_ACTIVITY: CALL,
    Kind.START_EVENT: START,
    Kind.END_EVENT: END,
    Kind.INTERMEDIATE_CATCH: CATCH,
    Kind.INTERMEDIATE_THROW: THROW,
    Kind.EXCLUSIVE_GATEWAY: XOR,
    Kind.PARALLEL_GATEWAY: AND,
    Kind.INCLUSIVE_GATEWAY: OR,
    Kind.COMPLEX_GATEWAY: OR,  # complex gateways: simulated with inclusive semantics
    Kind.EVENT_BASED_GATEWAY: EVENT_GW,
    Kind.BOUNDARY_EVENT: BOUNDARY,
}


@dataclass(eq=False)
class CNode:
    """One flow node, compiled. Lists rather than tuples where the engine indexes them hot."""

    idx: int
    node: Node
    code: int
    label: str
    stream_key: str  # the CRN key: the node's name when it has one, else its id
    outs: list[tuple[int, int]] = field(default_factory=list)  # (flow idx, target node idx)
    in_pos: dict[int, int] = field(default_factory=dict)  # incoming flow idx -> join slot
    n_in: int = 0
    # activities
    plan: ActivityPlan | None = None
    plain_task: bool = False  # a task with no loop, multi-instance or boundary event
    child_scope: ScopeTemplate | None = None
    boundaries: list[int] = field(default_factory=list)  # boundary event node idx
    mi_sequential: bool | None = None  # None: not multi-instance
    mi_fixed: int | None = None  # a literal loopCardinality from the BPMN
    loop_condition: bool = False  # has a standard loop marker
    loop_max: int | None = None
    hands: int = -1  # the split of the interleaved block whose one pair of hands it needs
    # gateways
    gateway: GatewayPlan | None = None
    flow_ids: list[str] = field(default_factory=list)
    default_out: int = -1  # position in outs of the default flow
    # events
    event: EventPlan | None = None
    trigger: str = "none"
    timer_date: pd.Timestamp | None = None  # a BPMN timeDate, read by the binder
    cancel_activity: bool = True
    attached_to: int = -1
    error_ref: str | None = None
    link_target: int = -1
    is_terminate: bool = False
    is_error_end: bool = False
    is_join: bool = False
    or_upstream: frozenset[int] = frozenset()


@dataclass(eq=False)
class ScopeTemplate:
    """A process, embedded subprocess or called process: where its tokens start."""

    key: str
    label: str
    starts: list[int]
    event_subprocesses: list[int] = field(default_factory=list)
    has_or_join: bool = False


@dataclass(eq=False)
class CompiledModel:
    nodes: list[CNode]
    root: ScopeTemplate
    by_id: dict[str, int]
    flow_index: dict[str, int]
    activity_names: list[str]  # event-log activity name per node idx


def compile_model(bound: BoundScenario) -> CompiledModel:
    return _Compiler(bound).run()


class _Compiler:
    def __init__(self, bound: BoundScenario) -> None:
        self.bound = bound
        self.model = bound.model
        self.problems: list[str] = []
        self.nodes: list[CNode] = []
        self.by_id: dict[str, int] = {}
        self.flow_index = {fid: i for i, fid in enumerate(self.model.flows)}
        self.scopes: dict[str, ScopeTemplate] = {}

    # ---------------------------------------------------------------------------------------
    def run(self) -> CompiledModel:
        model = self.model
        for node in model.nodes.values():
            idx = len(self.nodes)
            code = _KIND_CODE[node.kind]
            self.nodes.append(
                CNode(idx=idx, node=node, code=code, label=node.label,
                      stream_key=(node.name.strip() if node.name else node.id))
            )
            self.by_id[node.id] = idx
        for flow_id, flow in model.flows.items():
            s, t = self.by_id.get(flow.source), self.by_id.get(flow.target)
            if s is None or t is None:
                # the binder follows flows only to find reachable nodes; indexing every flow's
                # ends is the compiler's job, so a dangling flow is found here
                self.problems.append(
                    f"sequence flow {flow_id} connects missing elements "
                    f"{flow.source!r} -> {flow.target!r}: fix the BPMN file"
                )
                continue
            fi = self.flow_index[flow_id]
            self.nodes[s].outs.append((fi, t))
            self.nodes[s].flow_ids.append(flow_id)
            tn = self.nodes[t]
            tn.in_pos[fi] = tn.n_in
            tn.n_in += 1
        for cn in self.nodes:
            self._compile_node(cn)
        # scopes after all nodes: a scope's start nodes depend on its members' compiled codes
        for cn in self.nodes:
            node = cn.node
            if cn.code == CALL and isinstance(node, Activity) and node.called_process_id:
                cn.child_scope = self._scope_for(node.called_process_id, is_process=True)
            elif cn.code == SUBPROCESS:
                cn.child_scope = self._scope_for(node.id, is_process=False)
        self._interleave()
        for cn in self.nodes:
            cn.plain_task = (cn.code == TASK and not cn.boundaries and cn.mi_sequential is None
                             and not cn.loop_condition and cn.hands < 0)
        root = self._root_scope()
        self._link_events()
        if self.problems:
            raise ScenarioError(self.problems, source=self.model.source)
        names = [
            (cn.node.name.strip() if cn.node.name else cn.node.id) for cn in self.nodes
        ]
        return CompiledModel(self.nodes, root, self.by_id, self.flow_index, names)

    # ---------------------------------------------------------------------------------------
    def _compile_node(self, cn: CNode) -> None:
        node = cn.node
        b = self.bound
        cn.is_join = cn.n_in > 1
        if isinstance(node, Activity):
            cn.boundaries = [self.by_id[e] for e in node.boundary_events if e in self.by_id]
            if node.loop is not None:
                if node.loop.type == "multi_instance":
                    cn.mi_sequential = node.loop.sequential
                    card = (node.loop.cardinality or "").strip()
                    cn.mi_fixed = int(card) if card.isdigit() else None
                else:
                    cn.loop_condition = True
                    cn.loop_max = node.loop.maximum
            # the binder gave every task and opaque call activity a plan, and checked that each
            # reachable one has its duration, multi-instance count and loop chance
            cn.plan = b.activities.get(node.id)
            if node.kind == Kind.CALL_ACTIVITY and not (
                    node.called_process_id and node.called_process_id in self.model.processes):
                cn.code = TASK  # an opaque call: simulated as one task
            elif node.kind == Kind.SUBPROCESS and node.subprocess == "event":
                cn.code = ESP
        elif isinstance(node, Gateway):
            # the binder gave every split a plan, or reported the reachable ones without one
            cn.gateway = b.gateways.get(node.id)
            if node.default_flow and node.default_flow in cn.flow_ids:
                cn.default_out = cn.flow_ids.index(node.default_flow)
        elif isinstance(node, Event):
            self._compile_event(cn, node)

    def _interleave(self) -> None:
        """Give each activity of an interleaved block the split whose hands it takes: the
        outermost interleaved block's (its hands work the inner blocks too, so one lock per
        activity suffices and two activities never wait for each other's locks)."""
        blocks = sorted(self.bound.interleaved.values(),
                        key=lambda b: (-len(b.members), b.split))  # enclosing blocks first
        owner: dict[str, str] = {}  # activity id -> the split of the block it works under
        for block in blocks:
            split = self.by_id[block.split]
            for member in sorted(block.members):
                cn = self.nodes[self.by_id[member]]
                if cn.code not in (TASK, SUBPROCESS, CALL):
                    continue  # events and gateways take no work
                outer = owner.get(member)
                if outer is None:
                    owner[member] = block.split
                    cn.hands = split
                elif block.split not in self.bound.interleaved[outer].members:
                    self.problems.append(
                        f"the interleaved blocks of {self.nodes[split].label} and "
                        f"{self.nodes[self.by_id[outer]].label} share {cn.label} without one "
                        f"lying inside the other: interleave only one of them")
                    return

    def _compile_event(self, cn: CNode, node: Event) -> None:
        # the binder checked that reachable timers have a duration or an instant and that
        # reachable boundary events that fire by chance have their probability
        cn.event = self.bound.events.get(node.id)
        cn.trigger = node.trigger
        cn.cancel_activity = node.cancel_activity
        if cn.event is not None:
            cn.timer_date = cn.event.at
        if node.attached_to is not None:
            cn.attached_to = self.by_id.get(node.attached_to, -1)
        for d in node.definitions:
            if d.type == "terminate":
                cn.is_terminate = True
            elif d.type == "error":
                cn.error_ref = d.ref
                cn.is_error_end = node.kind == Kind.END_EVENT

    # ---------------------------------------------------------------------------------------
    def _scope_for(self, key: str, *, is_process: bool) -> ScopeTemplate:
        if key in self.scopes:
            return self.scopes[key]
        if is_process:
            members = [self.by_id[n] for n in self.model.processes[key].nodes]
            label = self.model.processes[key].name or key
        else:
            sub = self.model.nodes[key]
            assert isinstance(sub, Activity)
            members = [self.by_id[n] for n in sub.children if n in self.by_id]
            label = sub.label
        tmpl = ScopeTemplate(key=key, label=label, starts=[])
        self.scopes[key] = tmpl  # registered before recursion: recursive calls end here
        tmpl.starts = self._start_nodes(members, label)
        tmpl.event_subprocesses = [
            i for i in members
            if _is_activity(self.nodes[i].node, lambda a: a.subprocess == "event")
        ]
        for i in tmpl.event_subprocesses:
            self.nodes[i].child_scope = self._scope_for(self.nodes[i].node.id, is_process=False)
        or_joins = [i for i in members if self.nodes[i].code == OR and self.nodes[i].n_in > 1]
        if or_joins:
            tmpl.has_or_join = True
            self._or_upstream(members, or_joins)
        return tmpl

    def _start_nodes(self, members: list[int], label: str) -> list[int]:
        """None start events; else the sole start event; else nodes with no incoming flow."""
        starts = [i for i in members if self.nodes[i].code == START]
        none_starts = [i for i in starts if self.nodes[i].trigger == "none"]
        if none_starts:
            return none_starts[:1]
        if starts:
            return starts[:1]
        sources = [
            i for i in members
            if self.nodes[i].n_in == 0 and self.nodes[i].code not in (BOUNDARY, ESP)
            and not _is_activity(self.nodes[i].node, lambda a: a.is_for_compensation)
        ]
        if not sources:
            # only the compiler decides where each scope's tokens start
            self.problems.append(
                f"{label} has no start event and no element without incoming flows: "
                "add a start event"
            )
        return sources

    def _or_upstream(self, members: list[int], joins: list[int]) -> None:
        """For each OR-join: the nodes from which a token can still reach it (not through it)."""
        g: nx.DiGraph[int] = nx.DiGraph()
        g.add_nodes_from(members)
        member_set = set(members)
        for i in members:
            for _, t in self.nodes[i].outs:
                if t in member_set:
                    g.add_edge(i, t)
            # a token inside an activity with boundary events may leave through them
            for b in self.nodes[i].boundaries:
                g.add_edge(i, b)
                for _, t in self.nodes[b].outs:
                    if t in member_set:
                        g.add_edge(b, t)
        for j in joins:
            h = g.copy()
            h.remove_edges_from(list(h.out_edges(j)))
            self.nodes[j].or_upstream = frozenset(nx.ancestors(h, j))

    def _root_scope(self) -> ScopeTemplate:
        """The process to simulate: the one with the most activities (ties: document order)."""
        best, best_count = None, -1
        for pid, proc in self.model.processes.items():
            count = sum(
                1 for n in proc.nodes
                if n in self.model.nodes and self.model.nodes[n].kind.is_activity
            )
            if count > best_count:
                best, best_count = pid, count
        if best is None:  # only the compiler chooses the process to simulate
            raise ScenarioError("the model has no process to simulate", source=self.model.source)
        return self._scope_for(best, is_process=True)

    def _link_events(self) -> None:
        # the pairing rule is shared with model.check(): see leanproc.bpmn.links
        pairing = pair_links(self.model)
        for cn in self.nodes:
            if cn.code == THROW and cn.trigger == "link":
                target = pairing.targets.get(cn.node.id)
                if target is not None and target in self.by_id:
                    cn.link_target = self.by_id[target]
        self.problems.extend(message for _, message in pairing.problems)


def _is_activity(node: Node, test: Callable[[Activity], bool]) -> bool:
    """Whether `node` is an activity for which `test` holds."""
    return isinstance(node, Activity) and test(node)
