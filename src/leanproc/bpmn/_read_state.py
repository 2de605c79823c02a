"""What one read of one BPMN document gathers before the model is assembled.

`ReadState` holds the document's namespace reading, the ids claimed so far, the problems and
notes, and everything the element readers have collected. Parts whose final form depends on the
whole file (a node's incoming and outgoing flows, its lane, a subprocess's children) are kept
as mutable drafts and turned into frozen model objects by `_read_assembly`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

from leanproc.bpmn import namespaces as ns
from leanproc.bpmn._read_values import collect_properties, leanproc_attributes
from leanproc.bpmn.model import (
    Activity,
    Association,
    DataAssociation,
    DataItem,
    Diagram,
    Event,
    EventDefinition,
    Gateway,
    Kind,
    Lane,
    LoopCharacteristics,
    MessageFlow,
    Participant,
    RootElement,
    SequenceFlow,
    TextAnnotation,
)
from leanproc.errors import BPMNError


@dataclass(slots=True)
class NodeDraft:
    """The fields every flow node has, as read; `props` are its extension properties."""

    id: str
    name: str | None
    tag: str
    kind: Kind
    process_id: str
    parent_id: str | None
    documentation: str | None = None
    props: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ActivityDraft(NodeDraft):
    loop: LoopCharacteristics | None = None
    default_flow: str | None = None
    is_for_compensation: bool = False
    subprocess: str | None = None
    called_element: str | None = None
    called_ref: str | None = None  # called_element as an id, its QName prefix resolved

    def build(
        self, lane_id: str | None, incoming: tuple[str, ...], outgoing: tuple[str, ...],
        children: tuple[str, ...], boundary_events: tuple[str, ...],
        called_process_id: str | None,
    ) -> Activity:
        return Activity(
            id=self.id, name=self.name, tag=self.tag, kind=self.kind,
            process_id=self.process_id, parent_id=self.parent_id, lane_id=lane_id,
            incoming=incoming, outgoing=outgoing, documentation=self.documentation,
            properties=MappingProxyType(self.props), loop=self.loop,
            default_flow=self.default_flow, is_for_compensation=self.is_for_compensation,
            subprocess=self.subprocess, children=children, called_element=self.called_element,
            called_process_id=called_process_id, boundary_events=boundary_events,
        )


@dataclass(slots=True)
class EventDraft(NodeDraft):
    definitions: tuple[EventDefinition, ...] = ()
    attached_to: str | None = None
    cancel_activity: bool = True
    parallel_multiple: bool = False

    def build(
        self, lane_id: str | None, incoming: tuple[str, ...], outgoing: tuple[str, ...]
    ) -> Event:
        return Event(
            id=self.id, name=self.name, tag=self.tag, kind=self.kind,
            process_id=self.process_id, parent_id=self.parent_id, lane_id=lane_id,
            incoming=incoming, outgoing=outgoing, documentation=self.documentation,
            properties=MappingProxyType(self.props), definitions=self.definitions,
            attached_to=self.attached_to, cancel_activity=self.cancel_activity,
            parallel_multiple=self.parallel_multiple,
        )


@dataclass(slots=True)
class GatewayDraft(NodeDraft):
    direction: str = "Unspecified"
    default_flow: str | None = None
    instantiate: bool = False
    event_gateway_type: str | None = None

    def build(
        self, lane_id: str | None, incoming: tuple[str, ...], outgoing: tuple[str, ...]
    ) -> Gateway:
        return Gateway(
            id=self.id, name=self.name, tag=self.tag, kind=self.kind,
            process_id=self.process_id, parent_id=self.parent_id, lane_id=lane_id,
            incoming=incoming, outgoing=outgoing, documentation=self.documentation,
            properties=MappingProxyType(self.props), direction=self.direction,
            default_flow=self.default_flow, instantiate=self.instantiate,
            event_gateway_type=self.event_gateway_type,
        )


FlowNodeDraft = ActivityDraft | EventDraft | GatewayDraft


@dataclass(slots=True)
class ProcessDraft:
    id: str
    name: str | None
    is_executable: bool | None
    lanes: list[str] = field(default_factory=list)  # nested lanes too, in document order


# A container of flow elements: ("p", process id) or ("s", embedded subprocess id).
ContainerKey = tuple[str, str]


class ReadState:
    """One read of one document; not reusable."""

    def __init__(self, root: etree._Element, label: str) -> None:
        self.root = root
        self.label = label
        self.notes: list[str] = []
        self.problems: list[str] = []
        self.model_ns = self._model_namespace(root)
        self._prefix = f"{{{self.model_ns}}}" if self.model_ns else ""
        # keyed by tag: a string, or the factory function lxml gives comments and PIs as tag
        self._locals: dict[object, str | None] = {}
        self.seen: set[str] = set()
        self.duplicates: list[str] = []
        self.generated = 0
        self.nodes: dict[str, FlowNodeDraft] = {}
        self.flows: dict[str, SequenceFlow] = {}
        self.processes: dict[str, ProcessDraft] = {}
        self.lanes: dict[str, Lane] = {}
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
        # containment: container -> flow ids / child node ids, in document order
        self.container_flows: dict[ContainerKey, list[str]] = {}
        self.container_children: dict[ContainerKey, list[str]] = {}

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
        tag: object = el.tag
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

    # ---- ids and problems ------------------------------------------------------------------
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
        """Note a malformed value; all of them are raised together at the end of the read."""
        line = el.sourceline
        where = f"line {line}: " if line else ""
        self.problems.append(where + message)

    def tolerate(self, el: etree._Element, message: str) -> None:
        """Note a cosmetic defect that was ignored (`ProcessModel.notes`); reading goes on.

        Cosmetic means the defect cannot change how the process runs: a drawing coordinate,
        an empty optional number, a reference to nothing. `message` names the element and
        what was ignored.
        """
        line = el.sourceline
        where = f"line {line}: " if line else ""
        self.notes.append(where + message)

    # ---- references ------------------------------------------------------------------------
    def ref(self, el: etree._Element, value: str | None) -> str | None:
        """An id reference as written in an attribute or element text of `el`.

        Where the BPMN schema types a reference as ``xsd:QName`` (message flow ends,
        messageRef, processRef, calledElement, eventDefinitionRef, attachedToRef, …), exporters
        may write it qualified, ``bpmn2:Task_1``; ids are NCNames (no colon), so a colon always
        marks a prefix, which must be declared on `el` or an ancestor. The local part is the
        id. Empty means absent (None); an undeclared prefix is a problem naming it.
        """
        if not value:
            return None
        value = value.strip()
        if ":" not in value:
            return value or None
        prefix, local = value.split(":", 1)
        if prefix not in el.nsmap:
            self.problem(el, f"the reference {value!r} uses the prefix {prefix!r}, which no "
                             f"xmlns:{prefix}=\"…\" declares; declare it or write the id "
                             f"{local!r} alone")
            return local or None
        return local or None

    # ---- extension properties --------------------------------------------------------------
    def properties_of(self, el: etree._Element) -> Mapping[str, str]:
        """The properties of an element that has no other children to read."""
        props: dict[str, str] = {}
        for child in el:
            if self.local(child) == "extensionElements":
                collect_properties(child, props)
        leanproc_attributes(el, props)
        return MappingProxyType(props)
