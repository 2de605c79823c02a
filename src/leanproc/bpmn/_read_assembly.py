"""Assembly of the frozen `ProcessModel` once the whole document has been read.

Here the references that need the whole file are resolved: each node's incoming and outgoing
flows in canonical flow order, its lane, a subprocess's children, an activity's boundary events
and a call activity's process.
"""

from __future__ import annotations

from leanproc.bpmn._read_state import ActivityDraft, ContainerKey, EventDraft, ReadState
from leanproc.bpmn._read_values import name_of
from leanproc.bpmn.model import Lane, Node, Process, ProcessModel


def _canonical_flows(st: ReadState, key: ContainerKey, out: list[str]) -> None:
    """A container's own flows in document order, then each embedded subprocess's flows in
    the order of the subprocesses (recursively)."""
    out.extend(st.container_flows.get(key, ()))
    for child in st.container_children.get(key, ()):
        if ("s", child) in st.container_children:
            _canonical_flows(st, ("s", child), out)


def _resolve_process(st: ReadState, called: str) -> str | None:
    """The process of the file that a call activity's calledElement names, if any."""
    if called in st.processes:
        return called
    if ":" in called:  # a QName whose prefix is not declared, such as tns:Process_1
        local = called.rsplit(":", 1)[1]
        if local in st.processes:
            return local
    return None


def _lanes_of_nodes(st: ReadState, lanes: dict[str, Lane]) -> dict[str, str]:
    """Each node's lane: the innermost lane listing it, else its enclosing subprocess's lane."""
    lane_of: dict[str, str] = {}
    best_depth: dict[str, int] = {}
    for lid, lane in lanes.items():
        depth = st.lane_depth[lid]
        for member in lane.members:
            if depth > best_depth.get(member, -1):
                best_depth[member] = depth
                lane_of[member] = lid
    for nid, draft in st.nodes.items():  # document (pre-)order: parents before children
        if nid not in lane_of and draft.parent_id is not None:
            inherited = lane_of.get(draft.parent_id)
            if inherited is not None:
                lane_of[nid] = inherited
    return lane_of


def assemble(st: ReadState) -> ProcessModel:
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    process_flows: dict[str, tuple[str, ...]] = {}
    for pid in st.processes:
        order: list[str] = []
        _canonical_flows(st, ("p", pid), order)
        process_flows[pid] = tuple(order)
        for fid in order:
            flow = st.flows[fid]
            outgoing.setdefault(flow.source, []).append(fid)
            incoming.setdefault(flow.target, []).append(fid)

    lane_of = _lanes_of_nodes(st, st.lanes)
    boundary: dict[str, list[str]] = {}
    for nid, draft in st.nodes.items():
        if isinstance(draft, EventDraft) and draft.attached_to:
            boundary.setdefault(draft.attached_to, []).append(nid)

    nodes: dict[str, Node] = {}
    for nid, draft in st.nodes.items():
        lane_id = lane_of.get(nid)
        node_in = tuple(incoming.get(nid, ()))
        node_out = tuple(outgoing.get(nid, ()))
        if isinstance(draft, ActivityDraft):
            called = draft.called_ref
            nodes[nid] = draft.build(
                lane_id, node_in, node_out,
                children=tuple(st.container_children.get(("s", nid), ())),
                boundary_events=tuple(boundary.get(nid, ())),
                called_process_id=_resolve_process(st, called) if called else None,
            )
        else:
            nodes[nid] = draft.build(lane_id, node_in, node_out)

    processes = {
        pid: Process(
            pid, draft.name, draft.is_executable,
            tuple(st.container_children.get(("p", pid), ())),
            process_flows[pid], tuple(draft.lanes),
        )
        for pid, draft in st.processes.items()
    }
    root = st.root
    return ProcessModel(
        nodes=nodes, flows=st.flows, processes=processes, participants=st.participants,
        lanes=st.lanes, message_flows=st.message_flows, data=st.data,
        data_associations=tuple(st.data_associations), associations=st.associations,
        annotations=st.annotations, diagrams=tuple(st.diagrams),
        id=root.get("id") or None, name=name_of(root),
        target_namespace=root.get("targetNamespace") or None,
        exporter=root.get("exporter") or None,
        exporter_version=root.get("exporterVersion") or None,
        source=st.label, root_elements=st.root_elements,
        collaboration_id=st.collaboration_id,
        duplicate_ids=tuple(st.duplicates), notes=tuple(st.notes),
    )
