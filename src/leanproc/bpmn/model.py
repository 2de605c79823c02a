"""The typed, immutable process model that every other layer reads.

A `ProcessModel` is what `read_bpmn` returns: plain frozen dataclasses keyed by BPMN id. Nodes
keep the BPMN element's local name in `tag` (``userTask``, ``exclusiveGateway``, ``startEvent``…)
and a coarse `kind` that the simulator and the lean counts branch on, so a newcomer can follow a
node from the XML to the engine without a class hierarchy to learn.

Containment is explicit: every flow node knows its `process_id` and, inside an embedded
subprocess, its `parent_id`. Lanes list their members; pools (participants) point at a process.
"""

from __future__ import annotations

import copyreg
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from leanproc._view import HTMLView
from leanproc.errors import BPMNError

if TYPE_CHECKING:  # networkx is imported lazily by `graph`
    import networkx as nx


class Kind(StrEnum):
    """The coarse class of a flow node."""

    TASK = "task"  # task, userTask, serviceTask, manualTask, scriptTask, sendTask,
    #                receiveTask, businessRuleTask
    SUBPROCESS = "subprocess"  # subProcess, transaction, adHocSubProcess (see Activity.subprocess)
    CALL_ACTIVITY = "callActivity"
    START_EVENT = "startEvent"
    END_EVENT = "endEvent"
    INTERMEDIATE_CATCH = "intermediateCatchEvent"
    INTERMEDIATE_THROW = "intermediateThrowEvent"
    BOUNDARY_EVENT = "boundaryEvent"
    EXCLUSIVE_GATEWAY = "exclusiveGateway"
    PARALLEL_GATEWAY = "parallelGateway"
    INCLUSIVE_GATEWAY = "inclusiveGateway"
    EVENT_BASED_GATEWAY = "eventBasedGateway"
    COMPLEX_GATEWAY = "complexGateway"

    @property
    def is_activity(self) -> bool:
        return self in (Kind.TASK, Kind.SUBPROCESS, Kind.CALL_ACTIVITY)

    @property
    def is_gateway(self) -> bool:
        return self.value.endswith("Gateway")

    @property
    def is_event(self) -> bool:
        return self.value.endswith("Event")


def _mapping_proxy(d: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(d)


def _pickle_mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_mapping_proxy, (dict(proxy),))


# Models travel to worker processes (replications on a process pool, Dask): make the read-only
# mappings they are built of picklable, as a read-only mapping of a copied dict.
copyreg.pickle(MappingProxyType, _pickle_mapping_proxy)


def _frozen_map(d: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True, slots=True)
class EventDefinition:
    """One ``*EventDefinition`` of an event.

    `type` is ``timer``, ``message``, ``signal``, ``error``, ``escalation``, ``compensate``,
    ``conditional``, ``link``, ``terminate`` or ``cancel``. Timers carry the raw text of
    `time_duration` / `time_date` / `time_cycle` (ISO 8601 as written in the file); `ref` is the
    messageRef / signalRef / errorRef / escalationRef / activityRef; `name` is a link's name;
    `condition` a conditional event's expression.
    """

    type: str
    id: str | None = None
    ref: str | None = None
    name: str | None = None
    time_duration: str | None = None
    time_date: str | None = None
    time_cycle: str | None = None
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class LoopCharacteristics:
    """Standard loop or multi-instance marker of an activity.

    `type` is ``standard`` or ``multi_instance``. For multi-instance, `sequential` tells
    sequential from parallel; `cardinality` and `completion_condition` are the raw expressions.
    For a standard loop, `condition` is the loopCondition, `maximum` the loopMaximum,
    `test_before` the testBefore flag.
    """

    type: str
    sequential: bool = False
    cardinality: str | None = None
    completion_condition: str | None = None
    condition: str | None = None
    maximum: int | None = None
    test_before: bool = False


@dataclass(frozen=True, slots=True)
class Node:
    """A flow node: activity, event or gateway.

    `tag` is the BPMN local element name; `kind` its coarse class. `incoming` / `outgoing` are
    sequence-flow ids in document order. `lane_id` is the innermost lane that lists the node (or
    that lists its enclosing subprocess), None when the process has no lanes. `properties` holds
    vendor extension properties (``camunda:property``, ``zeebe:property``, Signavio meta data…)
    as strings, which lean tags may be read from.
    """

    id: str
    name: str | None
    tag: str
    kind: Kind
    process_id: str
    parent_id: str | None = None
    lane_id: str | None = None
    incoming: tuple[str, ...] = ()
    outgoing: tuple[str, ...] = ()
    documentation: str | None = None
    properties: Mapping[str, str] = field(default_factory=_frozen_map)

    @property
    def label(self) -> str:
        """How error messages name the node: ``'Approve' (Task_1)`` or ``Task_1``."""
        return f"{self.name!r} ({self.id})" if self.name else self.id


@dataclass(frozen=True, slots=True)
class Activity(Node):
    """A task, subprocess or call activity.

    `subprocess` is ``embedded``, ``event`` (triggeredByEvent), ``transaction`` or ``adhoc`` for
    subprocesses, None otherwise; `children` lists the ids of flow nodes directly inside it.
    `called_element` is a call activity's calledElement; `called_process_id` is set when that
    process is in the same file. `default_flow` is the id of the default outgoing flow.
    """

    loop: LoopCharacteristics | None = None
    default_flow: str | None = None
    is_for_compensation: bool = False
    subprocess: str | None = None
    children: tuple[str, ...] = ()
    called_element: str | None = None
    called_process_id: str | None = None
    boundary_events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event(Node):
    """A start, end, intermediate or boundary event.

    `definitions` is empty for a none event. Boundary events have `attached_to` (the activity
    id) and `cancel_activity` (interrupting). Start events of event subprocesses use
    `cancel_activity` for their isInterrupting attribute. `parallel_multiple` is BPMN's
    parallelMultiple.
    """

    definitions: tuple[EventDefinition, ...] = ()
    attached_to: str | None = None
    cancel_activity: bool = True
    parallel_multiple: bool = False

    @property
    def trigger(self) -> str:
        """``none``, the one definition's type, or ``multiple``."""
        if not self.definitions:
            return "none"
        if len(self.definitions) == 1:
            return self.definitions[0].type
        return "multiple"


@dataclass(frozen=True, slots=True)
class Gateway(Node):
    """A gateway; `direction` is BPMN's gatewayDirection (``Unspecified`` when absent)."""

    direction: str = "Unspecified"
    default_flow: str | None = None
    instantiate: bool = False
    event_gateway_type: str | None = None


@dataclass(frozen=True, slots=True)
class SequenceFlow:
    id: str
    source: str
    target: str
    process_id: str
    name: str | None = None
    condition: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessageFlow:
    id: str
    source: str
    target: str
    name: str | None = None
    message_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """A pool. `process_id` is None for a black-box pool."""

    id: str
    name: str | None
    process_id: str | None
    properties: Mapping[str, str] = field(default_factory=_frozen_map)


@dataclass(frozen=True, slots=True)
class Lane:
    """A lane; `parent_lane_id` is set for nested lanes; `members` are flow-node ids as listed."""

    id: str
    name: str | None
    process_id: str
    parent_lane_id: str | None = None
    members: tuple[str, ...] = ()
    child_lanes: tuple[str, ...] = ()
    properties: Mapping[str, str] = field(default_factory=_frozen_map)


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    name: str | None
    is_executable: bool | None = None
    nodes: tuple[str, ...] = ()  # top-level flow nodes (not those inside subprocesses)
    flows: tuple[str, ...] = ()  # every sequence flow of the process, subprocesses included
    lanes: tuple[str, ...] = ()  # every lane of the process, nested ones included


@dataclass(frozen=True, slots=True)
class DataItem:
    """A data object (reference), data store (reference), data input or data output.

    `tag` is the element name (``dataObjectReference``, ``dataStoreReference``, ``dataObject``,
    ``dataStore``, ``dataInput``, ``dataOutput``); `ref` the referenced dataObject / dataStore.
    """

    id: str
    name: str | None
    tag: str
    process_id: str | None
    parent_id: str | None = None
    ref: str | None = None
    is_collection: bool = False
    properties: Mapping[str, str] = field(default_factory=_frozen_map)


@dataclass(frozen=True, slots=True)
class DataAssociation:
    """A data input or output association of an activity or event (`direction` ``in``/``out``)."""

    id: str | None
    owner: str
    direction: str
    sources: tuple[str, ...] = ()
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Association:
    id: str
    source: str
    target: str
    direction: str = "None"


@dataclass(frozen=True, slots=True)
class TextAnnotation:
    id: str
    text: str | None
    process_id: str | None = None


@dataclass(frozen=True, slots=True)
class RootElement:
    """A definitions-level element that events and flows refer to by id: ``message``,
    ``signal``, ``error``, ``escalation``. `code` is an error's errorCode or an escalation's
    escalationCode."""

    id: str
    tag: str
    name: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Shape:
    """A BPMNShape: the element it draws, its bounds and markers."""

    id: str | None
    element: str
    bounds: Bounds
    is_expanded: bool | None = None
    is_horizontal: bool | None = None
    label: Bounds | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """A BPMNEdge: the element it draws and its waypoints."""

    id: str | None
    element: str
    waypoints: tuple[tuple[float, float], ...] = ()
    label: Bounds | None = None


@dataclass(frozen=True, slots=True)
class Diagram:
    id: str | None
    name: str | None
    plane_element: str | None
    shapes: tuple[Shape, ...] = ()
    edges: tuple[Edge, ...] = ()


@dataclass(frozen=True, eq=True)
class ProcessModel:
    """Everything read from one BPMN file, immutable.

    Maps are keyed by BPMN id and preserve document order. `source` names the file (or
    ``<bytes>``) for messages; `exporter` / `exporter_version` are the definitions' attributes.
    """

    nodes: Mapping[str, Node]
    flows: Mapping[str, SequenceFlow]
    processes: Mapping[str, Process]
    participants: Mapping[str, Participant] = field(default_factory=_frozen_map)
    lanes: Mapping[str, Lane] = field(default_factory=_frozen_map)
    message_flows: Mapping[str, MessageFlow] = field(default_factory=_frozen_map)
    data: Mapping[str, DataItem] = field(default_factory=_frozen_map)
    data_associations: tuple[DataAssociation, ...] = ()
    associations: Mapping[str, Association] = field(default_factory=_frozen_map)
    annotations: Mapping[str, TextAnnotation] = field(default_factory=_frozen_map)
    diagrams: tuple[Diagram, ...] = ()
    id: str | None = None
    name: str | None = None
    target_namespace: str | None = None
    exporter: str | None = None
    exporter_version: str | None = None
    source: str = field(default="<bytes>", compare=False)
    root_elements: Mapping[str, RootElement] = field(default_factory=_frozen_map)
    collaboration_id: str | None = None  # the (first) collaboration; pools live in it
    # What the reader noticed about the file itself (not part of the model's meaning, so left
    # out of equality): ids used by more than one element (`check` reports them as errors; the
    # first element keeps the id) and notes such as a tolerated namespace quirk.
    duplicate_ids: tuple[str, ...] = field(default=(), compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for name in ("nodes", "flows", "processes", "participants", "lanes", "message_flows",
                     "data", "associations", "annotations", "root_elements"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProcessModel):
            return NotImplemented
        return all(
            _plain(getattr(self, f)) == _plain(getattr(other, f))
            for f in self.__dataclass_fields__
            if self.__dataclass_fields__[f].compare
        )

    __hash__ = None  # type: ignore[assignment]

    # ---- lookups -------------------------------------------------------------------------
    def __getitem__(self, key: str) -> Node:
        """A node by id, or by name when the name is unique."""
        return self.node(key)

    def node(self, key: str) -> Node:
        """A node by id, or else by its exact (stripped) name; ambiguity is an error."""
        if key in self.nodes:
            return self.nodes[key]
        found = self.find(key)
        if len(found) == 1:
            return found[0]
        if not found:
            from leanproc._names import did_you_mean

            names = [n.name for n in self.nodes.values() if n.name]
            hint = did_you_mean(key, names) or did_you_mean(key, self.nodes)
            raise BPMNError(f"no element with id or name {key!r}{hint}", source=self.source)
        ids = ", ".join(n.id for n in found)
        raise BPMNError(
            f"the name {key!r} is ambiguous: elements {ids} carry it; use the id instead",
            source=self.source,
        )

    def find(self, name: str) -> list[Node]:
        """All nodes whose name, with white space folded, equals `name` (also folded)."""
        wanted = _fold(name)
        return [n for n in self.nodes.values() if n.name is not None and _fold(n.name) == wanted]

    def of_kind(self, *kinds: Kind | str) -> Iterator[Node]:
        """Nodes of the given coarse kinds (or BPMN tags), in document order."""
        wanted = {str(k) for k in kinds}
        return (n for n in self.nodes.values() if n.kind.value in wanted or n.tag in wanted)

    @property
    def activities(self) -> list[Activity]:
        return [n for n in self.nodes.values() if isinstance(n, Activity)]

    @property
    def events(self) -> list[Event]:
        return [n for n in self.nodes.values() if isinstance(n, Event)]

    @property
    def gateways(self) -> list[Gateway]:
        return [n for n in self.nodes.values() if isinstance(n, Gateway)]

    def lane_of(self, node_id: str) -> Lane | None:
        lane_id = self.nodes[node_id].lane_id
        return self.lanes.get(lane_id) if lane_id else None

    def pool_of(self, node_id: str) -> Participant | None:
        process_id = self.nodes[node_id].process_id
        for p in self.participants.values():
            if p.process_id == process_id:
                return p
        return None

    # ---- views ---------------------------------------------------------------------------
    @cached_property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The sequence-flow graph: one node per flow node (attributes: the Node as ``node``,
        ``kind``, ``name``), one edge per sequence flow (key: flow id; ``flow`` attribute)."""
        import networkx as nx

        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for n in self.nodes.values():
            g.add_node(n.id, node=n, kind=n.kind, name=n.name)
        for f in self.flows.values():
            if f.source in self.nodes and f.target in self.nodes:
                g.add_edge(f.source, f.target, key=f.id, flow=f)
        return g

    def check(self) -> list[Any]:
        """Structural findings (errors and warnings), each naming the element."""
        from leanproc.bpmn.checks import check_model

        return check_model(self)

    def structure(self) -> Any:
        """Lean structure counts: activities, participants, hand-offs, approvals, documents…"""
        from leanproc.bpmn.structure import structure_of

        return structure_of(self)

    def _repr_html_(self) -> str:  # Jupyter: summary table and the diagram (display only)
        return self.display()._repr_html_()

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``): counts and the diagram."""
        # loaded when a notebook shows a model: reading one needs none of the drawing code
        from leanproc.bpmn.display import model_html

        return HTMLView(model_html(self, lang=lang), title="ProcessModel")

    def summary(self) -> str:
        """A few human-readable lines on what the model holds."""
        counts: dict[str, int] = {}
        for n in self.nodes.values():
            counts[n.tag] = counts.get(n.tag, 0) + 1
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        title = self.name or next((p.name for p in self.processes.values() if p.name), None)
        lines = [
            f"{self.source}" + (f" — {title}" if title else ""),
            f"  processes: {len(self.processes)}, pools: {len(self.participants)}, "
            f"lanes: {len(self.lanes)}, flow nodes: {len(self.nodes)}, "
            f"sequence flows: {len(self.flows)}, message flows: {len(self.message_flows)}",
            f"  by element: {parts}" if parts else "  no flow nodes",
        ]
        if self.exporter:
            lines.append(f"  exported by: {self.exporter} {self.exporter_version or ''}".rstrip())
        return "\n".join(lines)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return value
