"""Reading BPMN 2.0 XML into a `ProcessModel`: one pass over the element tree.

The reader walks the tree once, top-down, dispatching on each element's tag through dictionary
look-ups (no XPath, no copies), and gathers plain keyword dictionaries; the frozen model objects
are built at the end, when everything that depends on the whole file is known:

* ``incoming`` / ``outgoing`` come from the sequence flows' ``sourceRef`` / ``targetRef`` (real
  files often disagree with their own ``<incoming>`` lists; the flows are the truth). Their order
  is the *canonical flow order*: a process's own flows in document order, then each embedded
  subprocess's flows in the order of the subprocesses (recursively). `Process.flows` uses the same
  order, so a model written and read again is equal whatever the original file's interleaving.
* A node's lane is the innermost lane that lists it; a node no lane lists inherits the lane of
  its enclosing subprocess.
* Boundary events are attached to their activity (`Activity.boundary_events`), subprocesses list
  their direct children, call activities are resolved to a process in the same file.

Duplicate ids do not stop reading: the first element keeps the id, the model's
`duplicate_ids` lists it and `model.check()` reports it as an error, so the model can still be
inspected. An element without an id gets a generated one (``<tag>_<n>``), noted in
`ProcessModel.notes`. Malformed values (a coordinate that is not a number) are collected and
raised together as one `BPMNError`. See `namespaces` for which namespaces count as BPMN.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from lxml import etree

from leanproc.bpmn import namespaces as ns
from leanproc.bpmn.model import (
    Activity,
    Association,
    Bounds,
    DataAssociation,
    DataItem,
    Diagram,
    Edge,
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
    RootElement,
    SequenceFlow,
    Shape,
    TextAnnotation,
)
from leanproc.bpmn.xmlsafe import DEFAULT_MAX_BYTES, load_source, parse_xml
from leanproc.errors import BPMNError

__all__ = ["read_bpmn"]

TASK_TAGS = frozenset({
    "task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask",
})
SUBPROCESS_TAGS = {"subProcess": "embedded", "transaction": "transaction",
                   "adHocSubProcess": "adhoc"}
EVENT_TAGS = {
    "startEvent": Kind.START_EVENT,
    "endEvent": Kind.END_EVENT,
    "intermediateCatchEvent": Kind.INTERMEDIATE_CATCH,
    "intermediateThrowEvent": Kind.INTERMEDIATE_THROW,
    "boundaryEvent": Kind.BOUNDARY_EVENT,
}
GATEWAY_TAGS = {
    "exclusiveGateway": Kind.EXCLUSIVE_GATEWAY,
    "parallelGateway": Kind.PARALLEL_GATEWAY,
    "inclusiveGateway": Kind.INCLUSIVE_GATEWAY,
    "eventBasedGateway": Kind.EVENT_BASED_GATEWAY,
    "complexGateway": Kind.COMPLEX_GATEWAY,
}
EVENT_DEFINITION_TAGS = {
    "timerEventDefinition": "timer",
    "messageEventDefinition": "message",
    "signalEventDefinition": "signal",
    "errorEventDefinition": "error",
    "escalationEventDefinition": "escalation",
    "compensateEventDefinition": "compensate",
    "conditionalEventDefinition": "conditional",
    "linkEventDefinition": "link",
    "terminateEventDefinition": "terminate",
    "cancelEventDefinition": "cancel",
}
EVENT_DEFINITION_REF_ATTRS = ("messageRef", "signalRef", "errorRef", "escalationRef",
                              "activityRef")
ROOT_ELEMENT_TAGS = {"message": None, "signal": None, "error": "errorCode",
                     "escalation": "escalationCode"}
DATA_TAGS = frozenset({"dataObject", "dataObjectReference", "dataStoreReference"})
DATA_REF_ATTR = {"dataObjectReference": "dataObjectRef", "dataStoreReference": "dataStoreRef"}

_BPMNDI = f"{{{ns.BPMNDI}}}"
_DC_BOUNDS = f"{{{ns.DC}}}Bounds"
_DI_WAYPOINT = f"{{{ns.DI}}}waypoint"
_LEANPROC_ATTR = f"{{{ns.LEANPROC}}}"

# Attribute pairs that make an extension element a name/value property (Camunda, Zeebe,
# Activiti, Flowable, Signavio, generic vendors): (key attribute, value attribute).
_PROPERTY_PAIRS = (("name", "value"), ("key", "value"), ("metaKey", "metaValue"))


def read_bpmn(
    source: str | os.PathLike[str] | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ProcessModel:
    """Read a BPMN 2.0 file into an immutable `ProcessModel`.

    `source` is a path, XML text (a ``str`` starting with ``<``) or bytes. Documents larger than
    `max_bytes` are refused before they are read. Anything that is not a safe, well-formed BPMN
    2.0 document raises `BPMNError` naming the source and the problem.

    >>> model = read_bpmn("process.bpmn")            # doctest: +SKIP
    >>> model.node("Register application").lane_id   # doctest: +SKIP
    """
    data, label = load_source(source, max_bytes)
    root = parse_xml(data, label)
    return _Reader(root, label).read()


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    v = value.strip().lower()
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    return default


def _opt_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    return True if v in ("true", "1") else False if v in ("false", "0") else None


def _text(el: etree._Element) -> str | None:
    """The element's text content, stripped; None when empty."""
    text = el.text if len(el) == 0 else "".join(el.itertext())
    if text is None:
        return None
    text = text.strip()
    return text or None


def _name(el: etree._Element) -> str | None:
    name = el.get("name")
    return name if name else None


class _Reader:
    """One read of one document; not reusable."""

    def __init__(self, root: etree._Element, label: str) -> None:
        self.root = root
        self.label = label
        self.notes: list[str] = []
        self.problems: list[str] = []
        self.model_ns = self._model_namespace(root)
        prefix = f"{{{self.model_ns}}}" if self.model_ns else ""
        self._prefix = prefix
        self._locals: dict[Any, str | None] = {}
        self.seen: set[str] = set()
        self.duplicates: list[str] = []
        self.generated = 0
        self.nodes: dict[str, dict[str, Any]] = {}
        self.flows: dict[str, dict[str, Any]] = {}
        self.processes: dict[str, dict[str, Any]] = {}
        self.lanes: dict[str, dict[str, Any]] = {}
        self.lane_depth: dict[str, int] = {}
        self.participants: dict[str, Participant] = {}
        self.message_flows: dict[str, MessageFlow] = {}
        self.data: dict[str, DataItem] = {}
        self.data_associations: list[DataAssociation] = []
        self.associations: dict[str, Association] = {}
        self.annotations: dict[str, TextAnnotation] = {}
        self.root_elements: dict[str, RootElement] = {}
        self.global_event_definitions: dict[str, etree._Element] = {}
        self.diagrams: list[Diagram] = []
        self.collaboration_id: str | None = None
        # containment: container key -> flow ids / child node ids, in document order
        self.container_flows: dict[tuple[str, str], list[str]] = {}
        self.container_children: dict[tuple[str, str], list[str]] = {}

    # ---- namespaces ------------------------------------------------------------------------
    def _model_namespace(self, root: etree._Element) -> str:
        qname = etree.QName(root)
        uri, local = qname.namespace, qname.localname
        if local == "definitions" and uri == ns.MODEL:
            return ns.MODEL
        if local == "definitions" and uri is None:
            self.notes.append(
                "the root <definitions> has no namespace; its unqualified elements were read "
                f"as BPMN 2.0 (add xmlns=\"{ns.MODEL}\" to make the file standard)"
            )
            return ""
        if local == "definitions" and ns.is_model_namespace(uri):
            self.notes.append(f"the BPMN namespace is written {uri!r}; read as {ns.MODEL!r}")
            return uri or ""
        found = f"<{local}> in namespace {uri!r}" if uri else f"<{local}> without a namespace"
        if uri == ns.BETA_MODEL:
            hint = "this is the BPMN 2.0 beta namespace; re-save the file with a BPMN 2.0 tool"
        elif ns.is_model_namespace(uri):
            hint = ("this is a BPMN fragment; a BPMN 2.0 file's root is <definitions> holding "
                    "processes and collaborations")
        else:
            hint = "not a BPMN 2.0 file"
        raise BPMNError(
            f"the root element is {found}; expected <definitions> in namespace {ns.MODEL!r} "
            f"({hint})",
            source=self.label,
        )

    def local(self, el: etree._Element) -> str | None:
        """The BPMN local name of `el`, or None for vendor elements, DI, comments."""
        tag = el.tag
        try:
            return self._locals[tag]
        except KeyError:
            pass
        result: str | None = None
        if isinstance(tag, str):
            if self._prefix:
                if tag.startswith(self._prefix):
                    result = tag[len(self._prefix):]
            elif not tag.startswith("{"):
                result = tag
            # in the namespace-less reading, properly qualified BPMN elements still count
            if result is None and tag.startswith("{") and ns.is_model_namespace(
                tag[1:tag.index("}")]
            ):
                result = etree.QName(tag).localname
        self._locals[tag] = result
        return result

    # ---- ids -------------------------------------------------------------------------------
    def claim_id(self, el: etree._Element, local: str) -> tuple[str, bool]:
        """The element's id and whether it is new (False: a duplicate, to be skipped)."""
        eid = el.get("id")
        if not eid:
            while True:
                self.generated += 1
                eid = f"{local}_{self.generated}"
                if eid not in self.seen:
                    break
            self.notes.append(f"a <{local}> without an id was given the id {eid!r}")
        if eid in self.seen:
            if eid not in self.duplicates:
                self.duplicates.append(eid)
            return eid, False
        self.seen.add(eid)
        return eid, True

    def problem(self, el: etree._Element, message: str) -> None:
        line = getattr(el, "sourceline", None)
        where = f"line {line}: " if line else ""
        self.problems.append(where + message)

    # ---- top level -------------------------------------------------------------------------
    def read(self) -> ProcessModel:
        root = self.root
        local = self.local
        for child in root:  # event definitions can be referenced before they appear
            tag = local(child)
            if tag in EVENT_DEFINITION_TAGS and child.get("id"):
                self.global_event_definitions[child.get("id")] = child
        for child in root:
            tag = local(child)
            if tag == "process":
                self.read_process(child)
            elif tag == "collaboration":
                self.read_collaboration(child)
            elif tag in ROOT_ELEMENT_TAGS:
                self.read_root_element(child, tag)
            elif tag == "dataStore":
                self.read_data(child, tag, None, None)
            elif tag == "association":
                self.read_association(child)
            elif tag == "textAnnotation":
                self.read_annotation(child, None)
            elif tag is None and child.tag == _BPMNDI + "BPMNDiagram":
                self.read_diagram(child)
        if self.problems:
            raise BPMNError(self.problems, source=self.label)
        return self.build()

    def read_root_element(self, el: etree._Element, tag: str) -> None:
        eid, new = self.claim_id(el, tag)
        if new:
            code_attr = ROOT_ELEMENT_TAGS[tag]
            self.root_elements[eid] = RootElement(
                eid, tag, _name(el), el.get(code_attr) if code_attr else None
            )

    def read_process(self, el: etree._Element) -> None:
        pid, new = self.claim_id(el, "process")
        if new:
            self.processes[pid] = {
                "id": pid, "name": _name(el),
                "is_executable": _opt_bool(el.get("isExecutable")), "lanes": [],
            }
        elif pid not in self.processes:  # the id belongs to another kind of element
            return
        self.read_container(el, pid, None)

    def read_collaboration(self, el: etree._Element) -> None:
        cid, _ = self.claim_id(el, "collaboration")
        if self.collaboration_id is None:
            self.collaboration_id = cid
        for child in el:
            tag = self.local(child)
            if tag == "participant":
                pid, new = self.claim_id(child, tag)
                if new:
                    self.participants[pid] = Participant(
                        pid, _name(child), child.get("processRef") or None,
                        self.properties_of(child),
                    )
            elif tag == "messageFlow":
                fid, new = self.claim_id(child, tag)
                if new:
                    self.message_flows[fid] = MessageFlow(
                        fid, child.get("sourceRef") or "", child.get("targetRef") or "",
                        _name(child), child.get("messageRef") or None,
                    )
            elif tag == "association":
                self.read_association(child)
            elif tag == "textAnnotation":
                self.read_annotation(child, None)

    # ---- flow element containers -----------------------------------------------------------
    def read_container(self, el: etree._Element, pid: str, parent_id: str | None) -> None:
        key = ("s", parent_id) if parent_id else ("p", pid)
        flows = self.container_flows.setdefault(key, [])
        children = self.container_children.setdefault(key, [])
        local = self.local
        for child in el:
            tag = local(child)
            if tag is None:
                continue
            if tag in TASK_TAGS or tag == "callActivity":
                nid = self.read_activity(child, tag, pid, parent_id)
                if nid:
                    children.append(nid)
            elif tag in SUBPROCESS_TAGS:
                nid = self.read_activity(child, tag, pid, parent_id)
                if nid:
                    children.append(nid)
                    self.read_container(child, pid, nid)
            elif tag in EVENT_TAGS:
                nid = self.read_event(child, tag, pid, parent_id)
                if nid:
                    children.append(nid)
            elif tag in GATEWAY_TAGS:
                nid = self.read_gateway(child, tag, pid, parent_id)
                if nid:
                    children.append(nid)
            elif tag == "sequenceFlow":
                fid = self.read_flow(child, pid, parent_id)
                if fid:
                    flows.append(fid)
            elif tag == "laneSet":
                self.read_lane_set(child, pid, None, 0)
            elif tag in DATA_TAGS:
                self.read_data(child, tag, pid, parent_id)
            elif tag == "ioSpecification" and parent_id is None:
                self.read_io_specification(child, pid, None)
            elif tag == "association":
                self.read_association(child)
            elif tag == "textAnnotation":
                self.read_annotation(child, pid)

    def node_base(
        self, el: etree._Element, tag: str, kind: Kind, pid: str, parent_id: str | None
    ) -> dict[str, Any] | None:
        nid, new = self.claim_id(el, tag)
        if not new:
            return None
        kw: dict[str, Any] = {
            "id": nid, "name": _name(el), "tag": tag, "kind": kind, "process_id": pid,
            "parent_id": parent_id,
        }
        self.nodes[nid] = kw
        return kw

    def common_child(self, kw: dict[str, Any], child: etree._Element, tag: str) -> bool:
        """Handle the children every flow node may have; True when `child` was one of them."""
        if tag == "documentation":
            text = _text(child)
            if text:
                prev = kw.get("documentation")
                kw["documentation"] = f"{prev}\n{text}" if prev else text
            return True
        if tag == "extensionElements":
            props = kw.setdefault("_props", {})
            self.collect_properties(child, props)
            return True
        if tag in ("dataInputAssociation", "dataOutputAssociation"):
            self.read_data_association(child, kw["id"], "in" if tag[4] == "I" else "out")
            return True
        return False

    def read_activity(
        self, el: etree._Element, tag: str, pid: str, parent_id: str | None
    ) -> str | None:
        if tag in TASK_TAGS:
            kind = Kind.TASK
        elif tag == "callActivity":
            kind = Kind.CALL_ACTIVITY
        else:
            kind = Kind.SUBPROCESS
        kw = self.node_base(el, tag, kind, pid, parent_id)
        if kw is None:
            return None
        kw["_cls"] = Activity
        kw["default_flow"] = el.get("default") or None
        kw["is_for_compensation"] = _bool(el.get("isForCompensation"), False)
        if kind is Kind.SUBPROCESS:
            kw["subprocess"] = (
                "event" if tag == "subProcess" and _bool(el.get("triggeredByEvent"), False)
                else SUBPROCESS_TAGS[tag]
            )
        elif kind is Kind.CALL_ACTIVITY:
            kw["called_element"] = el.get("calledElement") or None
        local = self.local
        for child in el:
            ctag = local(child)
            if ctag is None or self.common_child(kw, child, ctag):
                continue
            if ctag == "standardLoopCharacteristics":
                kw["loop"] = self.read_standard_loop(child)
            elif ctag == "multiInstanceLoopCharacteristics":
                kw["loop"] = self.read_multi_instance(child)
            elif ctag == "ioSpecification":
                self.read_io_specification(child, pid, kw["id"])
        self.attribute_properties(el, kw)
        return kw["id"]

    def read_standard_loop(self, el: etree._Element) -> LoopCharacteristics:
        condition = None
        for child in el:
            if self.local(child) == "loopCondition":
                condition = _text(child)
        maximum_text = el.get("loopMaximum")
        maximum = None
        if maximum_text is not None:
            try:
                maximum = int(maximum_text.strip())
            except ValueError:
                self.problem(el, f"loopMaximum {maximum_text!r} is not a whole number")
        return LoopCharacteristics(
            "standard", condition=condition, maximum=maximum,
            test_before=_bool(el.get("testBefore"), False),
        )

    def read_multi_instance(self, el: etree._Element) -> LoopCharacteristics:
        cardinality = completion = None
        for child in el:
            ctag = self.local(child)
            if ctag == "loopCardinality":
                cardinality = _text(child)
            elif ctag == "completionCondition":
                completion = _text(child)
        return LoopCharacteristics(
            "multi_instance", sequential=_bool(el.get("isSequential"), False),
            cardinality=cardinality, completion_condition=completion,
        )

    def read_event(
        self, el: etree._Element, tag: str, pid: str, parent_id: str | None
    ) -> str | None:
        kw = self.node_base(el, tag, EVENT_TAGS[tag], pid, parent_id)
        if kw is None:
            return None
        kw["_cls"] = Event
        if tag == "boundaryEvent":
            kw["attached_to"] = el.get("attachedToRef") or None
            kw["cancel_activity"] = _bool(el.get("cancelActivity"), True)
        elif tag == "startEvent":
            kw["cancel_activity"] = _bool(el.get("isInterrupting"), True)
        kw["parallel_multiple"] = _bool(el.get("parallelMultiple"), False)
        definitions: list[EventDefinition] = []
        local = self.local
        for child in el:
            ctag = local(child)
            if ctag is None or self.common_child(kw, child, ctag):
                continue
            if ctag in EVENT_DEFINITION_TAGS:
                definitions.append(self.read_event_definition(child, ctag))
            elif ctag == "eventDefinitionRef":
                ref = _text(child)
                target = self.global_event_definitions.get(ref or "")
                if target is not None:
                    definitions.append(self.read_event_definition(target, local(target) or ""))
                else:
                    self.problem(child, f"event {kw['id']!r} refers to the event definition "
                                        f"{ref!r}, which the file does not define")
        kw["definitions"] = tuple(definitions)
        self.attribute_properties(el, kw)
        return kw["id"]

    def read_event_definition(self, el: etree._Element, tag: str) -> EventDefinition:
        kw: dict[str, Any] = {"type": EVENT_DEFINITION_TAGS[tag], "id": el.get("id") or None}
        for attr in EVENT_DEFINITION_REF_ATTRS:
            value = el.get(attr)
            if value:
                kw["ref"] = value
                break
        if tag == "linkEventDefinition":
            kw["name"] = _name(el)
        for child in el:
            ctag = self.local(child)
            if ctag == "timeDuration":
                kw["time_duration"] = _text(child)
            elif ctag == "timeDate":
                kw["time_date"] = _text(child)
            elif ctag == "timeCycle":
                kw["time_cycle"] = _text(child)
            elif ctag == "condition":
                kw["condition"] = _text(child)
            elif ctag in EVENT_DEFINITION_REF_ATTRS and "ref" not in kw:
                kw["ref"] = _text(child)  # some exporters write refs as child elements
        return EventDefinition(**kw)

    def read_gateway(
        self, el: etree._Element, tag: str, pid: str, parent_id: str | None
    ) -> str | None:
        kw = self.node_base(el, tag, GATEWAY_TAGS[tag], pid, parent_id)
        if kw is None:
            return None
        kw["_cls"] = Gateway
        kw["direction"] = el.get("gatewayDirection") or "Unspecified"
        kw["default_flow"] = el.get("default") or None
        if tag == "eventBasedGateway":
            kw["instantiate"] = _bool(el.get("instantiate"), False)
            kw["event_gateway_type"] = el.get("eventGatewayType") or None
        local = self.local
        for child in el:
            ctag = local(child)
            if ctag is not None:
                self.common_child(kw, child, ctag)
        self.attribute_properties(el, kw)
        return kw["id"]

    def read_flow(self, el: etree._Element, pid: str, parent_id: str | None) -> str | None:
        fid, new = self.claim_id(el, "sequenceFlow")
        if not new:
            return None
        condition = None
        for child in el:
            if self.local(child) == "conditionExpression":
                condition = _text(child)
        self.flows[fid] = {
            "id": fid, "source": el.get("sourceRef") or "", "target": el.get("targetRef") or "",
            "process_id": pid, "name": _name(el), "condition": condition, "parent_id": parent_id,
        }
        return fid

    # ---- lanes -----------------------------------------------------------------------------
    def read_lane_set(
        self, el: etree._Element, pid: str, parent_lane: str | None, depth: int
    ) -> list[str]:
        """Read the lanes of a laneSet / childLaneSet; returns the ids of its direct lanes."""
        ids: list[str] = []
        for child in el:
            if self.local(child) != "lane":
                continue
            lid, new = self.claim_id(child, "lane")
            if not new:
                continue
            ids.append(lid)
            kw: dict[str, Any] = {"id": lid, "name": _name(child), "process_id": pid,
                                  "parent_lane_id": parent_lane}
            self.lanes[lid] = kw
            self.lane_depth[lid] = depth
            if pid in self.processes:
                self.processes[pid]["lanes"].append(lid)
            members: list[str] = []
            child_lanes: list[str] = []
            props: dict[str, str] = {}
            for sub in child:
                stag = self.local(sub)
                if stag == "flowNodeRef":
                    ref = _text(sub)
                    if ref:
                        members.append(ref)
                elif stag == "childLaneSet":
                    child_lanes.extend(self.read_lane_set(sub, pid, lid, depth + 1))
                elif stag == "extensionElements":
                    self.collect_properties(sub, props)
            self.leanproc_attributes(child, props)
            kw["members"] = tuple(members)
            kw["child_lanes"] = tuple(child_lanes)
            kw["properties"] = MappingProxyType(props)
        return ids

    # ---- data and artifacts ----------------------------------------------------------------
    def read_data(
        self, el: etree._Element, tag: str, pid: str | None, parent_id: str | None
    ) -> None:
        did, new = self.claim_id(el, tag)
        if not new:
            return
        ref_attr = DATA_REF_ATTR.get(tag)
        self.data[did] = DataItem(
            did, _name(el), tag, pid, parent_id,
            (el.get(ref_attr) or None) if ref_attr else None,
            _bool(el.get("isCollection"), False), self.properties_of(el),
        )

    def read_io_specification(self, el: etree._Element, pid: str, owner: str | None) -> None:
        for child in el:
            tag = self.local(child)
            if tag in ("dataInput", "dataOutput"):
                self.read_data(child, tag, pid, owner)

    def read_data_association(self, el: etree._Element, owner: str, direction: str) -> None:
        sources: list[str] = []
        target = None
        for child in el:
            tag = self.local(child)
            if tag == "sourceRef":
                ref = _text(child)
                if ref:
                    sources.append(ref)
            elif tag == "targetRef":
                target = _text(child)
        self.data_associations.append(
            DataAssociation(el.get("id") or None, owner, direction, tuple(sources), target)
        )

    def read_association(self, el: etree._Element) -> None:
        aid, new = self.claim_id(el, "association")
        if new:
            self.associations[aid] = Association(
                aid, el.get("sourceRef") or "", el.get("targetRef") or "",
                el.get("associationDirection") or "None",
            )

    def read_annotation(self, el: etree._Element, pid: str | None) -> None:
        aid, new = self.claim_id(el, "textAnnotation")
        if not new:
            return
        text = None
        for child in el:
            if self.local(child) == "text":
                text = _text(child)
        self.annotations[aid] = TextAnnotation(aid, text, pid)

    # ---- extension properties --------------------------------------------------------------
    def collect_properties(self, ext: etree._Element, props: dict[str, str]) -> None:
        """Name/value pairs from an extensionElements block, whatever the vendor."""
        for el in ext.iterdescendants():
            attrib = el.attrib
            if not attrib:
                continue
            for key_attr, value_attr in _PROPERTY_PAIRS:
                key = attrib.get(key_attr)
                if key is None:
                    continue
                value = attrib.get(value_attr)
                if value is None:
                    if key_attr == "name" and isinstance(el.tag, str) and \
                            el.tag.endswith("}property") and len(el) == 0:
                        value = (el.text or "").strip()  # <x:property name="k">v</x:property>
                    else:
                        continue
                props[key] = value
                break

    def properties_of(self, el: etree._Element) -> MappingProxyType[str, str]:
        """The properties of an element that has no other children to read."""
        props: dict[str, str] = {}
        for child in el:
            if self.local(child) == "extensionElements":
                self.collect_properties(child, props)
        self.leanproc_attributes(el, props)
        return MappingProxyType(props)

    def leanproc_attributes(self, el: etree._Element, props: dict[str, str]) -> None:
        """``leanproc:approval="true"`` written directly on an element is a property too."""
        for key, value in el.items():  # items() is cheaper than the attrib proxy
            if key[0] == "{" and key.startswith(_LEANPROC_ATTR):
                props["leanproc:" + key[len(_LEANPROC_ATTR):]] = value

    def attribute_properties(self, el: etree._Element, kw: dict[str, Any]) -> None:
        props = kw.pop("_props", None) or {}
        self.leanproc_attributes(el, props)
        kw["properties"] = MappingProxyType(props)

    # ---- diagram interchange ---------------------------------------------------------------
    def number(self, el: etree._Element, attr: str) -> float:
        value = el.get(attr)
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(el, f"diagram coordinate {attr}={value!r} is not a number")
            return 0.0

    def bounds_in(self, el: etree._Element) -> Bounds | None:
        for child in el:
            if child.tag == _DC_BOUNDS:
                get = child.get
                try:  # the common case in one go; per-attribute only to name the culprit
                    return Bounds(float(get("x")), float(get("y")), float(get("width")),
                                  float(get("height")))
                except (TypeError, ValueError):
                    return Bounds(self.number(child, "x"), self.number(child, "y"),
                                  self.number(child, "width"), self.number(child, "height"))
        return None

    def label_in(self, el: etree._Element) -> Bounds | None:
        for child in el:
            if child.tag == _BPMNDI + "BPMNLabel":
                return self.bounds_in(child)
        return None

    def read_diagram(self, el: etree._Element) -> None:
        plane_element = None
        shapes: list[Shape] = []
        edges: list[Edge] = []
        for plane in el:
            if plane.tag != _BPMNDI + "BPMNPlane":
                continue
            if plane_element is None:
                plane_element = plane.get("bpmnElement") or None
            for item in plane:
                tag = item.tag
                if tag == _BPMNDI + "BPMNShape":
                    bounds = self.bounds_in(item)
                    if bounds is None:
                        self.problem(item, f"shape {item.get('id')!r} has no dc:Bounds")
                        continue
                    shapes.append(Shape(
                        item.get("id") or None, item.get("bpmnElement") or "", bounds,
                        _opt_bool(item.get("isExpanded")), _opt_bool(item.get("isHorizontal")),
                        self.label_in(item),
                    ))
                elif tag == _BPMNDI + "BPMNEdge":
                    points = tuple(
                        (self.number(p, "x"), self.number(p, "y"))
                        for p in item if p.tag == _DI_WAYPOINT
                    )
                    edges.append(Edge(item.get("id") or None, item.get("bpmnElement") or "",
                                      points, self.label_in(item)))
        self.diagrams.append(Diagram(el.get("id") or None, _name(el), plane_element,
                                     tuple(shapes), tuple(edges)))

    # ---- assembly --------------------------------------------------------------------------
    def canonical_flows(self, key: tuple[str, str], out: list[str]) -> None:
        out.extend(self.container_flows.get(key, ()))
        for child in self.container_children.get(key, ()):
            if ("s", child) in self.container_children:
                self.canonical_flows(("s", child), out)

    def build(self) -> ProcessModel:
        nodes_kw = self.nodes
        incoming: dict[str, list[str]] = {}
        outgoing: dict[str, list[str]] = {}
        process_flows: dict[str, tuple[str, ...]] = {}
        for pid in self.processes:
            order: list[str] = []
            self.canonical_flows(("p", pid), order)
            process_flows[pid] = tuple(order)
            for fid in order:
                f = self.flows[fid]
                outgoing.setdefault(f["source"], []).append(fid)
                incoming.setdefault(f["target"], []).append(fid)

        # lanes: the innermost lane listing a node wins; otherwise inherit from the subprocess
        lane_of: dict[str, str] = {}
        best_depth: dict[str, int] = {}
        for lid, lane in self.lanes.items():
            depth = self.lane_depth[lid]
            for member in lane["members"]:
                if depth > best_depth.get(member, -1):
                    best_depth[member] = depth
                    lane_of[member] = lid
        boundary: dict[str, list[str]] = {}
        for nid, kw in nodes_kw.items():  # document (pre-)order: parents before children
            lane = lane_of.get(nid)
            if lane is None and kw["parent_id"] is not None:
                lane = lane_of.get(kw["parent_id"])
                if lane is not None:
                    lane_of[nid] = lane
            kw["lane_id"] = lane
            kw["incoming"] = tuple(incoming.get(nid, ()))
            kw["outgoing"] = tuple(outgoing.get(nid, ()))
            if kw.get("attached_to"):
                boundary.setdefault(kw["attached_to"], []).append(nid)

        nodes: dict[str, Node] = {}
        for nid, kw in nodes_kw.items():
            cls: Callable[..., Node] = kw.pop("_cls")
            if cls is Activity:
                kw["children"] = tuple(self.container_children.get(("s", nid), ()))
                kw["boundary_events"] = tuple(boundary.get(nid, ()))
                called = kw.get("called_element")
                if called:
                    kw["called_process_id"] = self.resolve_process(called)
            if "properties" not in kw:
                kw["properties"] = MappingProxyType(kw.pop("_props", None) or {})
            nodes[nid] = cls(**kw)

        processes = {
            pid: Process(
                pid, kw["name"], kw["is_executable"],
                tuple(self.container_children.get(("p", pid), ())),
                process_flows[pid], tuple(kw["lanes"]),
            )
            for pid, kw in self.processes.items()
        }
        lanes = {lid: Lane(**kw) for lid, kw in self.lanes.items()}
        flows = {fid: SequenceFlow(**kw) for fid, kw in self.flows.items()}
        root = self.root
        return ProcessModel(
            nodes=nodes, flows=flows, processes=processes, participants=self.participants,
            lanes=lanes, message_flows=self.message_flows, data=self.data,
            data_associations=tuple(self.data_associations), associations=self.associations,
            annotations=self.annotations, diagrams=tuple(self.diagrams),
            id=root.get("id") or None, name=_name(root),
            target_namespace=root.get("targetNamespace") or None,
            exporter=root.get("exporter") or None,
            exporter_version=root.get("exporterVersion") or None,
            source=self.label, root_elements=self.root_elements,
            collaboration_id=self.collaboration_id,
            duplicate_ids=tuple(self.duplicates), notes=tuple(self.notes),
        )

    def resolve_process(self, called: str) -> str | None:
        if called in self.processes:
            return called
        if ":" in called:  # a QName such as tns:Process_1
            local = called.rsplit(":", 1)[1]
            if local in self.processes:
                return local
        return None
