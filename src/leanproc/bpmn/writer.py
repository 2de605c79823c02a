"""Writing a `ProcessModel` back to BPMN 2.0 XML.

The output uses the standard prefixes (``bpmn``, ``bpmndi``, ``dc``, ``di``) and the element
order of the BPMN 2.0 schema, so modellers open it; diagram interchange is written when the
model has it. Reading the output gives a model equal to the one written (`ProcessModel.__eq__`).

Extension properties (`Node.properties`, lane, pool and data properties) are written in
leanproc's own namespace, whatever vendor they were read from::

    <bpmn:extensionElements>
      <leanproc:properties>
        <leanproc:property name="leanproc:approval" value="true"/>
      </leanproc:properties>
    </bpmn:extensionElements>

Vendor-specific content that the model does not hold (Camunda forms, Zeebe task headers, …) is
not written: the writer exports the process, not an executable deployment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from lxml import etree

from leanproc.atomic import atomic_write
from leanproc.bpmn import namespaces as ns
from leanproc.bpmn.model import (
    Activity,
    Bounds,
    DataAssociation,
    DataItem,
    Diagram,
    Event,
    EventDefinition,
    Gateway,
    Kind,
    Lane,
    LoopCharacteristics,
    Node,
    ProcessModel,
    SequenceFlow,
)
from leanproc.errors import BPMNError

__all__ = ["write_bpmn"]

_B = f"{{{ns.MODEL}}}"
_BDI = f"{{{ns.BPMNDI}}}"
_DC = f"{{{ns.DC}}}"
_DI = f"{{{ns.DI}}}"
_LP = f"{{{ns.LEANPROC}}}"
_XSI_TYPE = f"{{{ns.XSI}}}type"
_NSMAP = {"bpmn": ns.MODEL, "bpmndi": ns.BPMNDI, "dc": ns.DC, "di": ns.DI, "xsi": ns.XSI,
          "leanproc": ns.LEANPROC}

_DEFINITION_TAG = {
    "timer": "timerEventDefinition", "message": "messageEventDefinition",
    "signal": "signalEventDefinition", "error": "errorEventDefinition",
    "escalation": "escalationEventDefinition", "compensate": "compensateEventDefinition",
    "conditional": "conditionalEventDefinition", "link": "linkEventDefinition",
    "terminate": "terminateEventDefinition", "cancel": "cancelEventDefinition",
}
_DEFINITION_REF_ATTR = {"message": "messageRef", "signal": "signalRef", "error": "errorRef",
                        "escalation": "escalationRef", "compensate": "activityRef"}
_CODE_ATTR = {"error": "errorCode", "escalation": "escalationCode"}
_FLOW_DATA_TAGS = ("dataObject", "dataObjectReference", "dataStoreReference")
_DATA_REF_ATTR = {"dataObjectReference": "dataObjectRef", "dataStoreReference": "dataStoreRef"}


def write_bpmn(model: ProcessModel, path: str | os.PathLike[str] | None = None) -> bytes:
    """Serialise `model` as BPMN 2.0 XML (UTF-8) and return the bytes; also write them to
    `path` when given. Raises `BPMNError` for a model that cannot be written (a node placed
    in no process, text with characters XML cannot hold)."""
    try:
        root = _Writer(model).definitions()
        data: bytes = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
    except ValueError as exc:  # lxml: "All strings must be XML compatible"
        raise BPMNError(f"cannot write the model as XML: {exc}", source=model.source) from None
    if path is not None:
        # atomic: an interrupted write leaves the previous model, not half a file
        with atomic_write(path, "wb") as out:
            out.write(data)
    return data


def _sub(parent: etree._Element, tag: str, attrs: Mapping[str, str | None] | None = None,
         text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if attrs:
        for key, value in attrs.items():
            if value is not None:
                el.set(key, value)
    if text is not None:
        el.text = text
    return el


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _num(value: float) -> str:
    return repr(float(value))


class _Writer:
    def __init__(self, model: ProcessModel) -> None:
        self.m = model
        self.written: set[str] = set()
        # associations go where their ends live (a process) or else into the collaboration
        self.assoc_home: dict[str, str | None] = {}
        for aid, a in model.associations.items():
            self.assoc_home[aid] = self._home_of(a.source) or self._home_of(a.target)
        self.data_assoc: dict[str, list[DataAssociation]] = {}
        for da in model.data_associations:
            self.data_assoc.setdefault(da.owner, []).append(da)
        self.has_collaboration = bool(
            model.collaboration_id or model.participants or model.message_flows
        )
        # what each container holds, computed once (the writer stays linear in model size)
        self.flows_in: dict[tuple[str, str | None], list[SequenceFlow]] = {}
        for pid, p in model.processes.items():
            for fid in p.flows:
                f = model.flows.get(fid)
                if f is not None:
                    self.flows_in.setdefault((pid, f.parent_id), []).append(f)
        self.data_in: dict[tuple[str | None, str | None], list[DataItem]] = {}
        for d in model.data.values():
            self.data_in.setdefault((d.process_id, d.parent_id), []).append(d)

    def _home_of(self, element_id: str) -> str | None:
        m = self.m
        if element_id in m.nodes:
            return m.nodes[element_id].process_id
        if element_id in m.annotations:
            return m.annotations[element_id].process_id
        if element_id in m.data:
            return m.data[element_id].process_id
        return None

    # ---- definitions -----------------------------------------------------------------------
    def definitions(self) -> etree._Element:
        m = self.m
        root = etree.Element(_B + "definitions", nsmap=_NSMAP)
        for key, value in (("id", m.id), ("name", m.name), ("targetNamespace", m.target_namespace),
                           ("exporter", m.exporter), ("exporterVersion", m.exporter_version)):
            if value is not None:
                root.set(key, value)
        for r in m.root_elements.values():
            attrs = {"id": r.id, "name": r.name}
            if r.tag in _CODE_ATTR:
                attrs[_CODE_ATTR[r.tag]] = r.code
            _sub(root, _B + r.tag, attrs)
        for d in m.data.values():
            if d.tag == "dataStore" and d.process_id is None:
                self.data_item(root, d)
        self.collaboration(root)
        for pid in m.processes:
            self.process(root, pid)
        if not self.has_collaboration:
            for aid, home in self.assoc_home.items():
                if home is None:
                    self.association(root, aid)
            for t in m.annotations.values():
                if t.process_id is None:
                    self.annotation(root, t.id)
        missing = [n.label for n in m.nodes.values() if n.id not in self.written]
        if missing:
            raise BPMNError(
                [f"node {label} is in no process nor subprocess, so it cannot be written; "
                 "list it in Process.nodes or its subprocess's children" for label in missing],
                source=m.source,
            )
        for diagram in m.diagrams:
            self.diagram(root, diagram)
        return root

    def collaboration(self, root: etree._Element) -> None:
        m = self.m
        loose_annotations = [t.id for t in m.annotations.values() if t.process_id is None]
        if not self.has_collaboration:
            return
        cid = m.collaboration_id or self._fresh_id("Collaboration")
        collab = _sub(root, _B + "collaboration", {"id": cid})
        for p in m.participants.values():
            el = _sub(collab, _B + "participant", {"id": p.id, "name": p.name,
                                                     "processRef": p.process_id})
            self.properties(el, p.properties, first=True)
        for f in m.message_flows.values():
            _sub(collab, _B + "messageFlow", {"id": f.id, "name": f.name, "sourceRef": f.source,
                                               "targetRef": f.target, "messageRef": f.message_ref})
        for aid in loose_annotations:
            self.annotation(collab, aid)
        for aid, home in self.assoc_home.items():
            if home is None:
                self.association(collab, aid)

    def _fresh_id(self, stem: str) -> str:
        m = self.m
        taken = {*m.nodes, *m.flows, *m.processes, *m.participants, *m.lanes, *m.data}
        n = 1
        while f"{stem}_{n}" in taken:
            n += 1
        return f"{stem}_{n}"

    # ---- processes -------------------------------------------------------------------------
    def process(self, root: etree._Element, pid: str) -> None:
        m = self.m
        p = m.processes[pid]
        el = _sub(root, _B + "process", {"id": p.id, "name": p.name})
        if p.is_executable is not None:
            el.set("isExecutable", _flag(p.is_executable))
        io = [d for d in self.data_in.get((pid, None), ())
              if d.tag in ("dataInput", "dataOutput")]
        if io:
            self.io_specification(el, io)
        top_lanes = [m.lanes[lid] for lid in p.lanes
                     if lid in m.lanes and m.lanes[lid].parent_lane_id is None]
        if top_lanes:
            lane_set = _sub(el, _B + "laneSet", {"id": f"LaneSet_{pid}"})
            for lane in top_lanes:
                self.lane(lane_set, lane)
        self.container(el, pid, None, p.nodes)
        for aid, home in self.assoc_home.items():
            if home == pid:
                self.association(el, aid)

    def lane(self, parent: etree._Element, lane: Lane) -> None:
        el = _sub(parent, _B + "lane", {"id": lane.id, "name": lane.name})
        self.properties(el, lane.properties, first=True)
        for member in lane.members:
            _sub(el, _B + "flowNodeRef", text=member)
        if lane.child_lanes:
            child_set = _sub(el, _B + "childLaneSet", {"id": f"LaneSet_{lane.id}"})
            for cid in lane.child_lanes:
                if cid in self.m.lanes:
                    self.lane(child_set, self.m.lanes[cid])

    def container(self, el: etree._Element, pid: str, parent_id: str | None,
                  node_ids: Iterable[str]) -> None:
        m = self.m
        for nid in node_ids:
            node = m.nodes.get(nid)
            if node is not None and nid not in self.written:
                self.node(el, node)
        for f in self.flows_in.get((pid, parent_id), ()):
            fel = _sub(el, _B + "sequenceFlow", {"id": f.id, "name": f.name,
                                                 "sourceRef": f.source, "targetRef": f.target})
            if f.condition is not None:
                self.expression(fel, "conditionExpression", f.condition)
        for d in self.data_in.get((pid, parent_id), ()):
            if d.tag in _FLOW_DATA_TAGS:
                self.data_item(el, d)
        for t in m.annotations.values():
            if t.process_id == pid and parent_id is None:
                self.annotation(el, t.id)

    # ---- flow nodes ------------------------------------------------------------------------
    def node(self, parent: etree._Element, node: Node) -> None:
        self.written.add(node.id)
        attrs: dict[str, str | None] = {"id": node.id, "name": node.name}
        if isinstance(node, Activity):
            if node.is_for_compensation:
                attrs["isForCompensation"] = "true"
            if node.subprocess == "event":
                attrs["triggeredByEvent"] = "true"
            attrs["calledElement"] = node.called_element
            attrs["default"] = node.default_flow
        elif isinstance(node, Event):
            if node.kind.value == "boundaryEvent":
                attrs["attachedToRef"] = node.attached_to
                if not node.cancel_activity:
                    attrs["cancelActivity"] = "false"
            elif node.kind.value == "startEvent" and not node.cancel_activity:
                attrs["isInterrupting"] = "false"
            if node.parallel_multiple:
                attrs["parallelMultiple"] = "true"
        elif isinstance(node, Gateway):
            if node.direction != "Unspecified":
                attrs["gatewayDirection"] = node.direction
            attrs["default"] = node.default_flow
            if node.instantiate:
                attrs["instantiate"] = "true"
            attrs["eventGatewayType"] = node.event_gateway_type
        el = _sub(parent, _B + node.tag, attrs)
        if node.documentation is not None:
            _sub(el, _B + "documentation", text=node.documentation)
        self.properties(el, node.properties)
        for fid in node.incoming:
            _sub(el, _B + "incoming", text=fid)
        for fid in node.outgoing:
            _sub(el, _B + "outgoing", text=fid)
        if isinstance(node, Activity):
            io = [d for d in self.data_in.get((node.process_id, node.id), ())
                  if d.tag in ("dataInput", "dataOutput")]
            if io:
                self.io_specification(el, io)
        self.data_associations(el, node.id)
        if isinstance(node, Activity):
            if node.loop is not None:
                self.loop(el, node.loop)
            if node.children or node.kind is Kind.SUBPROCESS:
                self.container(el, node.process_id, node.id, node.children)
        elif isinstance(node, Event):
            for d in node.definitions:
                self.event_definition(el, d)

    def loop(self, parent: etree._Element, loop: LoopCharacteristics) -> None:
        if loop.type == "standard":
            attrs: dict[str, str | None] = {}
            if loop.test_before:
                attrs["testBefore"] = "true"
            if loop.maximum is not None:
                attrs["loopMaximum"] = str(loop.maximum)
            el = _sub(parent, _B + "standardLoopCharacteristics", attrs)
            if loop.condition is not None:
                self.expression(el, "loopCondition", loop.condition)
            return
        el = _sub(parent, _B + "multiInstanceLoopCharacteristics",
                  {"isSequential": "true"} if loop.sequential else None)
        if loop.cardinality is not None:
            self.expression(el, "loopCardinality", loop.cardinality)
        if loop.completion_condition is not None:
            self.expression(el, "completionCondition", loop.completion_condition)

    def event_definition(self, parent: etree._Element, d: EventDefinition) -> None:
        attrs: dict[str, str | None] = {"id": d.id}
        ref_attr = _DEFINITION_REF_ATTR.get(d.type)
        if ref_attr:
            attrs[ref_attr] = d.ref
        if d.type == "link":
            attrs["name"] = d.name
        el = _sub(parent, _B + _DEFINITION_TAG[d.type], attrs)
        for tag, text in (("timeDate", d.time_date), ("timeDuration", d.time_duration),
                          ("timeCycle", d.time_cycle), ("condition", d.condition)):
            if text is not None:
                self.expression(el, tag, text)

    def expression(self, parent: etree._Element, tag: str, text: str) -> None:
        el = _sub(parent, _B + tag, text=text)
        el.set(_XSI_TYPE, "bpmn:tFormalExpression")

    def data_associations(self, parent: etree._Element, owner: str) -> None:
        for da in self.data_assoc.get(owner, ()):
            tag = "dataInputAssociation" if da.direction == "in" else "dataOutputAssociation"
            el = _sub(parent, _B + tag, {"id": da.id})
            for src in da.sources:
                _sub(el, _B + "sourceRef", text=src)
            if da.target is not None:
                _sub(el, _B + "targetRef", text=da.target)

    # ---- data, artifacts, properties -------------------------------------------------------
    def io_specification(self, parent: etree._Element, items: list[DataItem]) -> None:
        io = _sub(parent, _B + "ioSpecification")
        for d in items:
            if d.tag == "dataInput":
                self.data_item(io, d)
        for d in items:
            if d.tag == "dataOutput":
                self.data_item(io, d)
        _sub(io, _B + "inputSet")
        _sub(io, _B + "outputSet")

    def data_item(self, parent: etree._Element, d: DataItem) -> None:
        attrs: dict[str, str | None] = {"id": d.id, "name": d.name}
        if d.tag in _DATA_REF_ATTR:
            attrs[_DATA_REF_ATTR[d.tag]] = d.ref
        if d.is_collection:
            attrs["isCollection"] = "true"
        el = _sub(parent, _B + d.tag, attrs)
        self.properties(el, d.properties, first=True)

    def annotation(self, parent: etree._Element, aid: str) -> None:
        t = self.m.annotations[aid]
        el = _sub(parent, _B + "textAnnotation", {"id": t.id})
        if t.text is not None:
            _sub(el, _B + "text", text=t.text)

    def association(self, parent: etree._Element, aid: str) -> None:
        a = self.m.associations[aid]
        _sub(parent, _B + "association", {
            "id": a.id, "sourceRef": a.source, "targetRef": a.target,
            "associationDirection": a.direction if a.direction != "None" else None,
        })

    def properties(self, el: etree._Element, props: Mapping[str, str], first: bool = False
                   ) -> None:
        if not props:
            return
        ext = etree.Element(_B + "extensionElements")
        holder = _sub(ext, _LP + "properties")
        for key, value in props.items():
            _sub(holder, _LP + "property", {"name": key, "value": value})
        if first:
            el.insert(0, ext)
        else:  # after documentation, which a flow node writes first
            el.append(ext)

    # ---- diagram interchange ---------------------------------------------------------------
    def diagram(self, root: etree._Element, diagram: Diagram) -> None:
        el = _sub(root, _BDI + "BPMNDiagram", {"id": diagram.id, "name": diagram.name})
        plane_id = f"{diagram.id}_plane" if diagram.id else None
        plane = _sub(el, _BDI + "BPMNPlane", {"id": plane_id,
                                               "bpmnElement": diagram.plane_element})
        for s in diagram.shapes:
            attrs: dict[str, str | None] = {"id": s.id, "bpmnElement": s.element}
            if s.is_horizontal is not None:
                attrs["isHorizontal"] = _flag(s.is_horizontal)
            if s.is_expanded is not None:
                attrs["isExpanded"] = _flag(s.is_expanded)
            sel = _sub(plane, _BDI + "BPMNShape", attrs)
            self.bounds(sel, s.bounds)
            if s.label is not None:
                self.bounds(_sub(sel, _BDI + "BPMNLabel"), s.label)
        for e in diagram.edges:
            eel = _sub(plane, _BDI + "BPMNEdge", {"id": e.id, "bpmnElement": e.element})
            for x, y in e.waypoints:
                _sub(eel, _DI + "waypoint", {"x": _num(x), "y": _num(y)})
            if e.label is not None:
                self.bounds(_sub(eel, _BDI + "BPMNLabel"), e.label)

    def bounds(self, parent: etree._Element, b: Bounds) -> None:
        _sub(parent, _DC + "Bounds", {"x": _num(b.x), "y": _num(b.y), "width": _num(b.width),
                                      "height": _num(b.height)})
