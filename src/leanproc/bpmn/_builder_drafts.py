"""What `ModelBuilder` collects before it builds the frozen model: mutable drafts of pools,
lanes, flow nodes and document uses, and the typed keyword sets it passes between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from leanproc.bpmn.model import EventDefinition, Kind, LoopCharacteristics


@dataclass
class PoolDraft:
    id: str
    name: str
    process_id: str
    properties: dict[str, str] = field(default_factory=dict)
    lanes: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)


@dataclass
class LaneDraft:
    id: str
    name: str
    pool_id: str
    properties: dict[str, str] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)


@dataclass
class NodeDraft:
    id: str
    name: str | None
    tag: str
    kind: Kind
    pool_id: str
    lane_id: str | None
    properties: dict[str, str] = field(default_factory=dict)
    documentation: str | None = None
    definitions: tuple[EventDefinition, ...] = ()
    attached_to: str | None = None
    cancel_activity: bool = True
    default_flow: str | None = None
    loop: LoopCharacteristics | None = None


@dataclass
class Use:
    """One use of a document by a task: a data object reference and its association."""

    ref_id: str
    object_id: str
    task_id: str
    direction: str  # "in": the task reads it; "out": the task produces it
    association_id: str


class NodeExtras(TypedDict, total=False):
    """The optional parts of a `NodeDraft` that the builder's methods pass through."""

    properties: dict[str, str]
    documentation: str | None
    definitions: tuple[EventDefinition, ...]
    attached_to: str | None
    cancel_activity: bool
    default_flow: str | None
    loop: LoopCharacteristics | None


class NodeFields(TypedDict):
    """The fields every built flow node has, whichever its class."""

    id: str
    name: str | None
    tag: str
    kind: Kind
    process_id: str
    lane_id: str | None
    incoming: tuple[str, ...]
    outgoing: tuple[str, ...]
    documentation: str | None
    properties: Mapping[str, str]
