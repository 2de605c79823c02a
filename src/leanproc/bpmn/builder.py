"""Building a `ProcessModel` in code, with an automatic diagram layout.

Analysts draw in a modeller; scripts (examples, the mining module turning a discovered model
into BPMN, tests) need the same result without one. `ModelBuilder` collects pools, lanes, flow
nodes, flows, documents and message flows, checks them, and `build()` returns the immutable
`ProcessModel` with diagram interchange (DI) filled by `leanproc.bpmn.layout`, so that the file
`write_bpmn` produces opens and renders in bpmn.io / Camunda Modeler.

>>> b = ModelBuilder("Выдача справки")
>>> clerk = b.lane("Специалист МФЦ")
>>> start = b.start("Заявление подано")
>>> take = b.task("Принять документы", kind="userTask", documents=["Заявление"])
>>> check = b.xor("Документы полные?")
>>> issue, refuse = b.task("Выдать справку"), b.end("Отказ")
>>> _ = b.sequence(start, take, check)
>>> _ = b.flow(check, issue, name="да"), b.flow(check, refuse, name="нет")
>>> _ = b.flow(issue, b.end("Справка выдана"))
>>> model = b.build()
>>> model.structure().activities, len(model.diagrams[0].shapes)
(2, 9)

Conventions:

* every method that adds an element returns its BPMN id (a plain ``str``), which is what
  `flow`, `sequence`, `message` and the ``lane=`` / ``pool=`` arguments take; lanes and pools
  may also be named by their (unique) name;
* a flow node goes into the lane given by ``lane=``, else into the lane declared last (so a
  script reads like a swimlane diagram, top to bottom), else straight into the pool;
* ids are generated (``Activity_3``, ``Flow_7``…) unless given; a given id must be unique;
* the first pool is created on demand and named after the process; more pools come from
  `pool` (a pool with no flow nodes is a black box: an external participant);
* lean tags go into ``leanproc:*`` extension properties (``approval=``, ``client=``,
  ``value=``), which `structure()` reads, and documents become data objects (a document used by
  several tasks is one data object with one reference per use).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Unpack

from leanproc.bpmn._builder_drafts import (
    LaneDraft,
    NodeDraft,
    NodeExtras,
    NodeFields,
    PoolDraft,
    Use,
)
from leanproc.bpmn.model import (
    Activity,
    DataAssociation,
    DataItem,
    Event,
    EventDefinition,
    Gateway,
    Kind,
    Lane,
    LoopCharacteristics,
    MessageFlow,
    Node,
    Participant,
    Process,
    ProcessModel,
    SequenceFlow,
)
from leanproc.errors import BPMNError

__all__ = ["TASK_KINDS", "ModelBuilder"]

TASK_KINDS = frozenset({
    "task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask",
})
_GATEWAYS = {
    "exclusiveGateway": Kind.EXCLUSIVE_GATEWAY,
    "parallelGateway": Kind.PARALLEL_GATEWAY,
    "inclusiveGateway": Kind.INCLUSIVE_GATEWAY,
    "eventBasedGateway": Kind.EVENT_BASED_GATEWAY,
    "complexGateway": Kind.COMPLEX_GATEWAY,
}
_TRIGGERS = ("none", "timer", "message", "signal", "error", "escalation", "conditional",
             "terminate")
_VALUE_CLASSES = ("value", "business", "waste")
_COLLABORATION_ID = "Collaboration_1"


class ModelBuilder:
    """Collects a process model element by element; `build()` makes the `ProcessModel`.

    `name` names the process (and, by default, its pool). `process_id` and `pool` (the pool's
    name) override the defaults; `definitions_id` is the file's ``<definitions id>``.
    """

    def __init__(self, name: str, *, process_id: str | None = None, pool: str | None = None,
                 definitions_id: str = "Definitions_1", documentation: str | None = None
                 ) -> None:
        self.name = name
        self.definitions_id = definitions_id
        self.documentation = documentation
        self._ids: set[str] = {definitions_id, _COLLABORATION_ID}
        self._counters: dict[str, itertools.count[int]] = {}
        self._pools: dict[str, PoolDraft] = {}
        self._lanes: dict[str, LaneDraft] = {}
        self._nodes: dict[str, NodeDraft] = {}
        self._flows: dict[str, SequenceFlow] = {}
        self._message_flows: dict[str, MessageFlow] = {}
        self._objects: dict[str, DataItem] = {}  # data objects, by id
        self._object_by_name: dict[str, str] = {}
        self._uses: list[Use] = []
        self._current_lane: str | None = None
        self._main_pool_args = (process_id, pool)
        self._main_pool: str | None = None

    # ---- ids ---------------------------------------------------------------------------------
    def _new_id(self, stem: str, given: str | None = None) -> str:
        if given is not None:
            if given in self._ids:
                raise BPMNError(f"the id {given!r} is already used in this model: give another "
                                f"id or leave it out to have one generated")
            self._ids.add(given)
            return given
        counter = self._counters.setdefault(stem, itertools.count(1))
        while True:
            candidate = f"{stem}_{next(counter)}"
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    # ---- pools and lanes ---------------------------------------------------------------------
    def pool(self, name: str, *, id: str | None = None, process_id: str | None = None,
             properties: Mapping[str, str] | None = None, client: bool | None = None) -> str:
        """Add a pool (participant) and return its id.

        The first pool is the main one (the process the builder is named after); a pool that
        ends up with no flow nodes is written as a black box. ``client=True`` marks every
        activity in the pool as a client action for the lean counts.
        """
        pid = self._new_id("Participant", id)
        if not self._pools:
            given_process, _ = self._main_pool_args
            proc = self._new_id("Process", process_id or given_process)
        else:
            proc = self._new_id("Process", process_id)
        props = dict(properties or {})
        if client is not None:
            props["leanproc:client"] = _flag(client)
        self._pools[pid] = PoolDraft(pid, name, proc, props)
        if self._main_pool is None:
            self._main_pool = pid
        return pid

    def _default_pool(self) -> str:
        if self._main_pool is None:
            _, pool_name = self._main_pool_args
            self.pool(pool_name or self.name)
        assert self._main_pool is not None
        return self._main_pool

    def lane(self, name: str, *, pool: str | None = None, id: str | None = None,
             properties: Mapping[str, str] | None = None, client: bool | None = None) -> str:
        """Add a lane to `pool` (default: the main pool) and make it the current lane.

        Naming a lane of the pool declared before makes it current again (no second lane).

        ``client=True`` marks the lane's activities as client actions (lanes whose names
        contain заявитель, клиент, гражданин… are recognised without it).
        """
        pool_id = self._pool_ref(pool) if pool is not None else self._default_pool()
        same = [x.id for x in self._lanes.values() if x.name == name and x.pool_id == pool_id]
        if same and id is None and properties is None and client is None:
            self._current_lane = same[0]  # back to a lane declared before
            return same[0]
        lid = self._new_id("Lane", id)
        props = dict(properties or {})
        if client is not None:
            props["leanproc:client"] = _flag(client)
        self._lanes[lid] = LaneDraft(lid, name, pool_id, props)
        self._pools[pool_id].lanes.append(lid)
        self._current_lane = lid
        return lid

    def _pool_ref(self, ref: str) -> str:
        if ref in self._pools:
            return ref
        found = [p.id for p in self._pools.values() if p.name == ref]
        if len(found) == 1:
            return found[0]
        raise BPMNError(f"no pool with id or name {ref!r}" if not found else
                        f"the pool name {ref!r} is ambiguous: use the id")

    def _place(self, lane: str | None) -> tuple[str, str | None]:
        """(pool id, lane id) for a new node: `lane` may name a lane or a pool."""
        if lane is None:
            if self._current_lane is not None:
                return self._lanes[self._current_lane].pool_id, self._current_lane
            return self._default_pool(), None
        if lane in self._lanes:
            return self._lanes[lane].pool_id, lane
        if lane in self._pools:
            return lane, None
        lanes = [x.id for x in self._lanes.values() if x.name == lane]
        if len(lanes) == 1:
            return self._lanes[lanes[0]].pool_id, lanes[0]
        pools = [p.id for p in self._pools.values() if p.name == lane]
        if not lanes and len(pools) == 1:
            return pools[0], None
        if not lanes and not pools:
            raise BPMNError(f"no lane or pool with id or name {lane!r}: declare it with "
                            f"lane({lane!r}) first")
        raise BPMNError(f"the name {lane!r} is ambiguous: use the lane's or pool's id")

    # ---- flow nodes --------------------------------------------------------------------------
    def _add(self, stem: str, name: str | None, tag: str, kind: Kind, lane: str | None,
             id: str | None, **extra: Unpack[NodeExtras]) -> str:
        pool_id, lane_id = self._place(lane)
        if self._pools[pool_id].lanes and lane_id is None:
            raise BPMNError(f"{tag} {name!r}: the pool {self._pools[pool_id].name!r} has lanes, "
                            f"so the node must go into one of them (lane=...)")
        nid = self._new_id(stem, id)
        draft = NodeDraft(nid, name, tag, kind, pool_id, lane_id, **extra)
        self._nodes[nid] = draft
        self._pools[pool_id].nodes.append(nid)
        if lane_id is not None:
            self._lanes[lane_id].members.append(nid)
        return nid

    def task(self, name: str, *, lane: str | None = None, kind: str = "task",
             id: str | None = None, documents: Iterable[str] = (), produces: Iterable[str] = (),
             approval: bool | None = None, client: bool | None = None, value: str | None = None,
             properties: Mapping[str, str] | None = None, documentation: str | None = None,
             loop: LoopCharacteristics | None = None) -> str:
        """Add a task; `kind` is its BPMN element (``userTask``, ``serviceTask``…).

        `documents` are the documents the task reads (names; paper unless the document was
        declared electronic with `document` or its name says so), `produces` those it writes.
        `approval`, `client` and `value` (``value``, ``business`` or ``waste``) set lean tags.
        """
        if kind not in TASK_KINDS:
            raise BPMNError(f"task {name!r}: unknown task kind {kind!r}; use one of "
                            f"{', '.join(sorted(TASK_KINDS))}")
        props = dict(properties or {})
        if approval is not None:
            props["leanproc:approval"] = _flag(approval)
        if client is not None:
            props["leanproc:client"] = _flag(client)
        if value is not None:
            if value not in _VALUE_CLASSES:
                raise BPMNError(f"task {name!r}: value must be one of {', '.join(_VALUE_CLASSES)}"
                                f", not {value!r}")
            props["leanproc:value"] = value
        nid = self._add("Activity", name, kind, Kind.TASK, lane, id, properties=props,
                        documentation=documentation, loop=loop)
        for doc in documents:
            self._use(doc, nid, "in")
        for doc in produces:
            self._use(doc, nid, "out")
        return nid

    def call(self, name: str, *, lane: str | None = None, id: str | None = None,
             properties: Mapping[str, str] | None = None) -> str:
        """Add a call activity (a sub-process kept as one step, e.g. another department's)."""
        return self._add("Activity", name, "callActivity", Kind.CALL_ACTIVITY, lane, id,
                         properties=dict(properties or {}))

    def start(self, name: str | None = None, *, lane: str | None = None,
              trigger: str = "none", timer: str | None = None, id: str | None = None) -> str:
        """Add a start event (``trigger``: none, message, timer with an ISO `timer` duration)."""
        return self._event("startEvent", Kind.START_EVENT, name, lane, trigger, timer, id)

    def end(self, name: str | None = None, *, lane: str | None = None, trigger: str = "none",
            id: str | None = None) -> str:
        """Add an end event (``trigger="terminate"`` ends the whole case)."""
        return self._event("endEvent", Kind.END_EVENT, name, lane, trigger, None, id)

    def catch(self, name: str | None = None, *, lane: str | None = None,
              trigger: str = "timer", timer: str | None = None, id: str | None = None) -> str:
        """Add an intermediate catch event, by default a timer (`timer`: ISO 8601, e.g. P3D)."""
        return self._event("intermediateCatchEvent", Kind.INTERMEDIATE_CATCH, name, lane,
                           trigger, timer, id)

    def throw(self, name: str | None = None, *, lane: str | None = None,
              trigger: str = "none", id: str | None = None) -> str:
        """Add an intermediate throw event (a milestone, or a message sent)."""
        return self._event("intermediateThrowEvent", Kind.INTERMEDIATE_THROW, name, lane,
                           trigger, None, id)

    def boundary(self, host: str, name: str | None = None, *, trigger: str = "timer",
                 timer: str | None = None, interrupting: bool = True,
                 id: str | None = None) -> str:
        """Attach a boundary event to the activity `host` (drawn on its lower edge)."""
        if host not in self._nodes or not self._nodes[host].kind.is_activity:
            raise BPMNError(f"boundary event {name!r}: {host!r} is not an activity of this "
                            f"model; attach boundary events to tasks or call activities")
        h = self._nodes[host]
        definitions = _definitions(trigger, timer, name)
        nid = self._new_id("Event", id)
        self._nodes[nid] = NodeDraft(nid, name, "boundaryEvent", Kind.BOUNDARY_EVENT,
                                      h.pool_id, h.lane_id, definitions=definitions,
                                      attached_to=host, cancel_activity=interrupting)
        self._pools[h.pool_id].nodes.append(nid)
        if h.lane_id is not None:
            self._lanes[h.lane_id].members.append(nid)
        return nid

    def _event(self, tag: str, kind: Kind, name: str | None, lane: str | None, trigger: str,
               timer: str | None, id: str | None) -> str:
        definitions = _definitions(trigger, timer, name)
        return self._add("Event", name, tag, kind, lane, id, definitions=definitions)

    def gateway(self, name: str | None = None, *, kind: str = "exclusiveGateway",
                lane: str | None = None, id: str | None = None) -> str:
        """Add a gateway of BPMN element `kind` (see `xor`, `parallel`, `inclusive`)."""
        if kind not in _GATEWAYS:
            raise BPMNError(f"gateway {name!r}: unknown gateway kind {kind!r}; use one of "
                            f"{', '.join(_GATEWAYS)}")
        return self._add("Gateway", name, kind, _GATEWAYS[kind], lane, id)

    def xor(self, name: str | None = None, *, lane: str | None = None,
            id: str | None = None) -> str:
        """An exclusive gateway: one branch (a decision, or the merge of alternatives)."""
        return self.gateway(name, kind="exclusiveGateway", lane=lane, id=id)

    def parallel(self, name: str | None = None, *, lane: str | None = None,
                 id: str | None = None) -> str:
        """A parallel gateway: all branches (a fork, or the join that waits for all)."""
        return self.gateway(name, kind="parallelGateway", lane=lane, id=id)

    def inclusive(self, name: str | None = None, *, lane: str | None = None,
                  id: str | None = None) -> str:
        """An inclusive gateway: one or more branches."""
        return self.gateway(name, kind="inclusiveGateway", lane=lane, id=id)

    # ---- flows -------------------------------------------------------------------------------
    def flow(self, source: str, target: str, *, name: str | None = None,
             condition: str | None = None, default: bool = False, id: str | None = None) -> str:
        """A sequence flow between two nodes of the same pool; `default` makes it the source
        gateway's (or activity's) default flow."""
        problems = [f"flow {source!r} -> {target!r}: no flow node {ref!r} in this model"
                    for ref in (source, target) if ref not in self._nodes]
        if problems:
            raise BPMNError(problems)
        s, t = self._nodes[source], self._nodes[target]
        if s.pool_id != t.pool_id:
            raise BPMNError(f"flow {s.name or source!r} -> {t.name or target!r}: the nodes lie "
                            f"in different pools; connect pools with message(...)")
        if t.kind is Kind.START_EVENT or t.kind is Kind.BOUNDARY_EVENT:
            raise BPMNError(f"flow into {t.name or target!r}: a {t.tag} has no incoming flows")
        if s.kind is Kind.END_EVENT:
            raise BPMNError(f"flow from {s.name or source!r}: an end event has no outgoing "
                            f"flows")
        fid = self._new_id("Flow", id)
        self._flows[fid] = SequenceFlow(fid, source, target,
                                        self._pools[s.pool_id].process_id, name, condition)
        if default:
            if s.default_flow is not None:
                raise BPMNError(f"{s.name or source!r} already has a default flow")
            s.default_flow = fid
        return fid

    def sequence(self, *nodes: str) -> list[str]:
        """Connect the nodes one after another; returns the flow ids."""
        return [self.flow(a, b) for a, b in itertools.pairwise(nodes)]

    def message(self, source: str, target: str, *, name: str | None = None,
                id: str | None = None) -> str:
        """A message flow between two pools (nodes or pools themselves)."""
        def pool_of(ref: str) -> str:
            if ref in self._nodes:
                return self._nodes[ref].pool_id
            return self._pool_ref(ref)

        src, dst = pool_of(source), pool_of(target)
        if src == dst:
            raise BPMNError(f"message flow {source!r} -> {target!r}: both ends lie in the same "
                            f"pool; use flow(...) inside a pool")
        source = source if source in self._nodes else src
        target = target if target in self._nodes else dst
        mid = self._new_id("MessageFlow", id)
        self._message_flows[mid] = MessageFlow(mid, source, target, name)
        return mid

    # ---- documents ---------------------------------------------------------------------------
    def document(self, name: str, *, electronic: bool | None = None,
                 pool: str | None = None, id: str | None = None) -> str:
        """Declare a document (a data object) and return its id; tasks then use it by name.
        Declaring a document that tasks already use returns it (and sets its flag).

        ``electronic=True`` / ``False`` fixes whether the lean counts treat it as paper
        (otherwise its name decides: "электронн…", "скан", "PDF" mean electronic).
        """
        if name in self._object_by_name:  # already used by a task: set its flag
            oid = self._object_by_name[name]
            obj = self._objects[oid]
            if electronic is not None:
                flag = _flag(electronic)
                if obj.properties.get("leanproc:electronic", flag) != flag:
                    raise BPMNError(f"document {name!r} is declared both electronic and paper")
                self._objects[oid] = dataclasses.replace(
                    obj, properties=MappingProxyType({**obj.properties,
                                                      "leanproc:electronic": flag}))
            return oid
        pool_id = self._pool_ref(pool) if pool is not None else self._default_pool()
        oid = self._new_id("DataObject", id)
        props = {} if electronic is None else {"leanproc:electronic": _flag(electronic)}
        self._objects[oid] = DataItem(oid, name, "dataObject",
                                      self._pools[pool_id].process_id,
                                      properties=MappingProxyType(props))
        self._object_by_name[name] = oid
        return oid

    def _use(self, doc: str, task: str, direction: str) -> None:
        if doc in self._objects:
            oid = doc
        elif doc in self._object_by_name:
            oid = self._object_by_name[doc]
        else:
            oid = self.document(doc, pool=self._nodes[task].pool_id)
        rid = self._new_id("DataObjectReference")
        aid = self._new_id("DataInputAssociation" if direction == "in"
                           else "DataOutputAssociation")
        self._uses.append(Use(rid, oid, task, direction, aid))

    # ---- building ----------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems that stop `build` (also raised by it), each naming the element."""
        problems = []
        for p in self._pools.values():
            starts = [n for n in p.nodes if self._nodes[n].kind is Kind.START_EVENT]
            if p.nodes and not starts:
                problems.append(f"pool {p.name!r} has flow nodes but no start event: add "
                                f"start(...)")
        has_in = {f.target for f in self._flows.values()}
        has_out = {f.source for f in self._flows.values()}
        for n in self._nodes.values():
            label = f"{n.tag} {n.name!r} ({n.id})" if n.name else f"{n.tag} {n.id}"
            if n.kind not in (Kind.START_EVENT, Kind.BOUNDARY_EVENT) and n.id not in has_in:
                problems.append(f"{label} has no incoming flow: connect it with flow(...)")
            if n.kind is not Kind.END_EVENT and n.id not in has_out:
                problems.append(f"{label} has no outgoing flow: connect it, e.g. to an end "
                                f"event")
        return problems

    def build(self, *, layout: bool = True) -> ProcessModel:
        """The `ProcessModel`, with DI from the automatic layout unless ``layout=False``.

        Raises `BPMNError` listing every dangling node (no incoming or outgoing flow) and every
        pool without a start event.
        """
        self._default_pool()
        problems = self.check()
        if problems:
            raise BPMNError(problems, source=f"<builder {self.name!r}>")
        model = self._model()
        if layout:
            from leanproc.bpmn.layout import layout_model

            model = layout_model(model)
        return model

    def _model(self) -> ProcessModel:
        order = {nid: i for i, nid in enumerate(self._nodes)}
        outgoing: dict[str, list[str]] = {}
        incoming: dict[str, list[str]] = {}
        # the reader's canonical order: each process's flows in document (creation) order
        for f in self._flows.values():
            outgoing.setdefault(f.source, []).append(f.id)
            incoming.setdefault(f.target, []).append(f.id)
        boundary: dict[str, list[str]] = {}
        for n in self._nodes.values():
            if n.attached_to:
                boundary.setdefault(n.attached_to, []).append(n.id)
        nodes: dict[str, Node] = {}
        for n in self._nodes.values():
            common: NodeFields = {
                "id": n.id, "name": n.name, "tag": n.tag, "kind": n.kind,
                "process_id": self._pools[n.pool_id].process_id, "lane_id": n.lane_id,
                "incoming": tuple(incoming.get(n.id, ())),
                "outgoing": tuple(outgoing.get(n.id, ())),
                "documentation": n.documentation,
                "properties": MappingProxyType(dict(n.properties)),
            }
            if n.kind.is_activity:
                nodes[n.id] = Activity(**common, default_flow=n.default_flow, loop=n.loop,
                                       boundary_events=tuple(boundary.get(n.id, ())))
            elif n.kind.is_gateway:
                nodes[n.id] = Gateway(**common, default_flow=n.default_flow)
            else:
                nodes[n.id] = Event(**common, definitions=n.definitions,
                                    attached_to=n.attached_to, cancel_activity=n.cancel_activity)
        processes: dict[str, Process] = {}
        participants: dict[str, Participant] = {}
        for p in self._pools.values():
            black_box = not p.nodes and p.id != self._main_pool
            participants[p.id] = Participant(p.id, p.name, None if black_box else p.process_id,
                                             MappingProxyType(dict(p.properties)))
            if black_box:
                continue
            processes[p.process_id] = Process(
                p.process_id, self.name if p.id == self._main_pool else p.name, False,
                tuple(p.nodes),
                tuple(f.id for f in self._flows.values() if f.process_id == p.process_id),
                tuple(p.lanes),
            )
        lanes = {
            lane.id: Lane(lane.id, lane.name, self._pools[lane.pool_id].process_id,
                          members=tuple(lane.members),
                          properties=MappingProxyType(dict(lane.properties)))
            for lane in self._lanes.values()
        }
        data: dict[str, DataItem] = dict(self._objects)
        for u in self._uses:
            obj = self._objects[u.object_id]
            data[u.ref_id] = DataItem(u.ref_id, obj.name, "dataObjectReference", obj.process_id,
                                      ref=obj.id)
        # associations in the order the writer emits them: by owner node, then as added
        uses = sorted(self._uses, key=lambda u: order[u.task_id])
        associations = tuple(
            DataAssociation(u.association_id, u.task_id, "in", (u.ref_id,), None)
            if u.direction == "in" else
            DataAssociation(u.association_id, u.task_id, "out", (), u.ref_id)
            for u in uses
        )
        from leanproc import __version__

        return ProcessModel(
            nodes=nodes, flows=dict(self._flows), processes=processes,
            participants=participants, lanes=lanes, message_flows=dict(self._message_flows),
            data=data, data_associations=associations, id=self.definitions_id,
            target_namespace="http://bpmn.io/schema/bpmn", exporter="leanproc",
            exporter_version=__version__, collaboration_id=_COLLABORATION_ID,
            source=f"<builder {self.name!r}>",
        )


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _definitions(trigger: str, timer: str | None, name: str | None
                 ) -> tuple[EventDefinition, ...]:
    if trigger not in _TRIGGERS:
        raise BPMNError(f"event {name!r}: unknown trigger {trigger!r}; use one of "
                        f"{', '.join(_TRIGGERS)}")
    if timer is not None and trigger != "timer":
        raise BPMNError(f"event {name!r}: a timer duration needs trigger='timer'")
    if trigger == "none":
        return ()
    return (EventDefinition(trigger, time_duration=timer if trigger == "timer" else None),)
