"""Lean structure counts of a process model (структура процесса): what a lean analyst counts on
the diagram before any simulation — activities, participants, hand-offs, approvals, client
actions, paper documents.

Tagging rules live in one table, `DEFAULT_RULES`, and are applied in this order (first match
wins, so an explicit property beats a name):

=================  ==========================================  ===============================
tag                explicit (extension property, any vendor)   from names
=================  ==========================================  ===============================
approval           ``leanproc:approval`` = true / false        activity name contains a stem:
                   (also ``approval``)                         согласов, утвержд, визиров,
                                                               подпис, approv, sign-off,
                                                               signoff, sign off, endorse,
                                                               authoriz, authoris
client action      ``leanproc:client`` on the activity, its    lane (or a parent lane) or pool
                   lane (or a parent lane) or its pool         name contains: заявител,
                                                               клиент, гражданин, граждан,
                                                               посетител, client, customer,
                                                               applicant, citizen
electronic doc.    ``leanproc:electronic`` = true / false on   data object name contains:
                   the reference or its data object            электрон, эцп, скан, pdf,
                                                               electronic, digital, e-mail,
                                                               email, scan
value class        ``leanproc:value`` = ``value`` (VA),         —
                   ``business`` (needed, NVA), ``waste``
=================  ==========================================  ===============================

Counts: *activities* are tasks and call activities (subprocesses are counted separately, so an
approval subprocess holding approval tasks is not counted twice).

*participants* are the roles and departments a lean project card counts ("участники процесса":
9 -> 7): the distinct leaf lanes (lanes with no lanes inside them; a parent lane only groups
its sub-lanes) plus every pool without lanes (a black-box pool for an external party counts as
one, as does each process of a model drawn with no pools and no lanes). "Distinct" is by
name, case and spacing ignored, so a role drawn as a lane in two pools, or as a lane in one
and a black-box pool in another, counts once; unnamed lanes and pools count one each. *pools*
and *lanes* are the plain element counts (pools: BPMN's own "participants" of a
collaboration).

*hand-offs* are sequence flows whose source and target lie in different lanes (message flows
between pools are counted separately as `pool_handoffs`); *paper documents* are distinct data
objects — a data object reference counts as the object it refers to, so the same document drawn
twice counts once — that are not tagged electronic (data stores are systems, not documents).

The scenario may later override any tag per activity (`overrides`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leanproc.bpmn.model import DataItem, Kind, Node, ProcessModel

__all__ = ["DEFAULT_RULES", "Structure", "TagRules", "Tags", "structure_of", "tags_of"]

_TRUE = {"true", "yes", "1", "да", "y"}
_FALSE = {"false", "no", "0", "нет", "n"}


@dataclass(frozen=True)
class TagRules:
    """Where lean tags come from: name stems (matched case-insensitively as substrings) and
    the extension property keys that set a tag explicitly."""

    approval_stems: tuple[str, ...] = (
        "согласов", "утвержд", "визиров", "подпис",
        "approv", "sign-off", "signoff", "sign off", "endorse", "authoriz", "authoris",
    )
    client_stems: tuple[str, ...] = (
        "заявител", "клиент", "гражданин", "граждан", "посетител",
        "client", "customer", "applicant", "citizen",
    )
    electronic_stems: tuple[str, ...] = (
        "электрон", "эцп", "скан", "pdf", "electronic", "digital", "e-mail", "email", "scan",
    )
    approval_keys: tuple[str, ...] = ("leanproc:approval", "approval")
    client_keys: tuple[str, ...] = ("leanproc:client", "client")
    electronic_keys: tuple[str, ...] = ("leanproc:electronic", "electronic")
    value_keys: tuple[str, ...] = ("leanproc:value", "value_class")
    value_classes: Mapping[str, str] = field(default_factory=lambda: {
        "value": "value", "va": "value", "value-adding": "value", "value_adding": "value",
        "ценность": "value",
        "business": "business", "bva": "business", "nva": "business", "necessary": "business",
        "waste": "waste", "потери": "waste", "muda": "waste",
    })


DEFAULT_RULES = TagRules()


@dataclass(frozen=True, slots=True)
class Tags:
    """Lean tags of one activity."""

    approval: bool = False
    client: bool = False
    value: str | None = None  # "value", "business", "waste" or None (unclassified)


@dataclass(frozen=True, slots=True)
class Structure:
    """Lean structure counts of a model; the `*_ids` tuples say which elements were counted."""

    activities: int
    subprocesses: int
    participants: int
    pools: int
    lanes: int
    handoffs: int
    pool_handoffs: int
    approvals: int
    client_actions: int
    paper_documents: int
    gateways: int
    events: int
    value_adding: int
    business_value: int
    waste: int
    unclassified: int
    approval_ids: tuple[str, ...] = ()
    client_action_ids: tuple[str, ...] = ()
    handoff_ids: tuple[str, ...] = ()
    paper_document_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, int]:
        """The counts alone, e.g. for a before/after table."""
        return {k: getattr(self, k) for k in self.__slots__ if not k.endswith("_ids")}


def _has_stem(text: str | None, stems: tuple[str, ...]) -> bool:
    if not text:
        return False
    folded = " ".join(text.split()).casefold()
    return any(stem in folded for stem in stems)


def _flag(props: Mapping[str, str], keys: tuple[str, ...]) -> bool | None:
    for key in keys:
        if key in props:
            value = props[key].strip().casefold()
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
    return None


def tags_of(model: ProcessModel, node: Node, rules: TagRules = DEFAULT_RULES) -> Tags:
    """The lean tags of `node` by the rules table (properties first, then names)."""
    approval = _flag(node.properties, rules.approval_keys)
    if approval is None:
        approval = _has_stem(node.name, rules.approval_stems)

    client = _flag(node.properties, rules.client_keys)
    lane = model.lanes.get(node.lane_id) if node.lane_id else None
    seen: set[str] = set()
    while client is None and lane is not None and lane.id not in seen:
        seen.add(lane.id)
        client = _flag(lane.properties, rules.client_keys)
        if client is None and _has_stem(lane.name, rules.client_stems):
            client = True
        lane = model.lanes.get(lane.parent_lane_id) if lane.parent_lane_id else None
    if client is None:
        pool = model.pool_of(node.id)
        if pool is not None:
            client = _flag(pool.properties, rules.client_keys)
            if client is None:
                client = _has_stem(pool.name, rules.client_stems)
    value = None
    for key in rules.value_keys:
        if key in node.properties:
            value = rules.value_classes.get(node.properties[key].strip().casefold())
            break
    return Tags(approval=approval, client=bool(client), value=value)


def _is_electronic(item: DataItem, target: DataItem | None, rules: TagRules) -> bool:
    for d in (item, target):
        if d is None:
            continue
        flag = _flag(d.properties, rules.electronic_keys)
        if flag is not None:
            return flag
    return _has_stem(item.name, rules.electronic_stems) or (
        target is not None and _has_stem(target.name, rules.electronic_stems)
    )


def _participants(model: ProcessModel) -> int:
    """Distinct leaf lanes plus pools without lanes (see the module docstring)."""
    seen: set[str] = set()
    unnamed = 0

    def add(name: str | None) -> None:
        nonlocal unnamed
        folded = " ".join(name.split()).casefold() if name else ""
        if folded:
            seen.add(folded)
        else:
            unnamed += 1

    for lane in model.lanes.values():
        if not lane.child_lanes:
            add(lane.name)
    with_lanes = {lane.process_id for lane in model.lanes.values()}
    for pool in model.participants.values():
        if pool.process_id is None or pool.process_id not in with_lanes:
            add(pool.name)
    # a model drawn with no pools at all: each process without lanes still has a performer
    # (with pools, a process that has none is a called process, not a party on the map)
    if not model.participants:
        for process in model.processes.values():
            if process.id not in with_lanes and process.nodes:
                add(process.name)
    return len(seen) + unnamed


def structure_of(
    model: ProcessModel,
    rules: TagRules = DEFAULT_RULES,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Structure:
    """Count the lean structure of `model`.

    `overrides` maps a node id to tag values that replace the rules' answer (keys
    ``approval``, ``client``, ``value``), which is how a scenario re-tags activities.
    """
    overrides = overrides or {}
    activities = subprocesses = gateways = events = 0
    approvals: list[str] = []
    clients: list[str] = []
    value_counts = {"value": 0, "business": 0, "waste": 0, None: 0}
    for node in model.nodes.values():
        kind = node.kind
        if kind is Kind.SUBPROCESS:
            subprocesses += 1
            continue
        if kind.is_gateway:
            gateways += 1
            continue
        if kind.is_event:
            events += 1
            continue
        activities += 1
        tags = tags_of(model, node, rules)
        extra = overrides.get(node.id)
        if extra:
            tags = Tags(
                approval=bool(extra.get("approval", tags.approval)),
                client=bool(extra.get("client", tags.client)),
                value=extra.get("value", tags.value),
            )
        if tags.approval:
            approvals.append(node.id)
        if tags.client:
            clients.append(node.id)
        value_counts[tags.value if tags.value in value_counts else None] += 1

    handoffs = []
    for f in model.flows.values():
        src, dst = model.nodes.get(f.source), model.nodes.get(f.target)
        if src is not None and dst is not None and src.lane_id and dst.lane_id \
                and src.lane_id != dst.lane_id:
            handoffs.append(f.id)
    pool_of_process = {p.process_id: p.id for p in model.participants.values() if p.process_id}

    def pool(element: str) -> str | None:
        if element in model.participants:
            return element
        node = model.nodes.get(element)
        return pool_of_process.get(node.process_id) if node else None

    pool_handoffs = sum(
        1 for f in model.message_flows.values()
        if pool(f.source) is not None and pool(f.target) is not None
        and pool(f.source) != pool(f.target)
    )

    documents: dict[str, bool] = {}  # document id -> electronic (any occurrence says so)
    referenced = {d.ref for d in model.data.values() if d.tag == "dataObjectReference"}
    for d in model.data.values():
        if d.tag == "dataObjectReference":
            target = model.data.get(d.ref) if d.ref else None
            key = target.id if target is not None else d.id
            electronic = _is_electronic(d, target, rules)
        elif d.tag == "dataObject" and d.id not in referenced:
            key, electronic = d.id, _is_electronic(d, None, rules)
        else:
            continue
        documents[key] = documents.get(key, False) or electronic
    paper = tuple(k for k, electronic in documents.items() if not electronic)

    return Structure(
        activities=activities,
        subprocesses=subprocesses,
        participants=_participants(model),
        pools=len(model.participants),
        lanes=len(model.lanes),
        handoffs=len(handoffs),
        pool_handoffs=pool_handoffs,
        approvals=len(approvals),
        client_actions=len(clients),
        paper_documents=len(paper),
        gateways=gateways,
        events=events,
        value_adding=value_counts["value"],
        business_value=value_counts["business"],
        waste=value_counts["waste"],
        unclassified=value_counts[None],
        approval_ids=tuple(approvals),
        client_action_ids=tuple(clients),
        handoff_ids=tuple(handoffs),
        paper_document_ids=paper,
    )
