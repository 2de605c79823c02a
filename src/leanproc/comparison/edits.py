"""Model changes an improvement makes: remove elements and reconnect the flow around them.

Removing a step (an approval, a paper hand-over, a printing step) is the commonest lean change.
`remove_elements(model, ["Согласовать с начальником"])` deletes each named flow node that has
exactly one outgoing sequence flow: every incoming flow is redirected to that flow's target,
the outgoing flow disappears, and the diagram follows (the node's shape goes, the redirected
edge runs on along the removed flow's waypoints), so the edited model still renders and
round-trips. Data associations of the removed node go with it; the data objects stay.

A lane whose last flow node is removed goes too (with its shape, and from its parent lane):
the role no longer does anything in the process, so it is no longer a participant. Without
this an edited AS-IS would keep counting roles that a redrawn TO-BE model no longer has, and
the improvement ladder and the comparison would disagree on ``participants``. Lanes drawn
empty in the original model are left as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from leanproc.errors import BPMNError

if TYPE_CHECKING:
    from leanproc.bpmn.model import ProcessModel

__all__ = ["remove_elements"]


def remove_elements(model: ProcessModel, elements: Iterable[str]) -> ProcessModel:
    """A copy of `model` without `elements` (ids or unique names), the flow reconnected.

    Raises:
        BPMNError: an element is unknown, ambiguous, has no single outgoing flow, or carries
            boundary events; all such problems are listed together.
    """
    problems: list[str] = []
    targets: list[str] = []
    for key in elements:
        try:
            node = model.node(key)
        except BPMNError as exc:
            problems.extend(exc.problems)
            continue
        if len(node.outgoing) != 1:
            problems.append(f"cannot remove {node.label}: it has {len(node.outgoing)} outgoing "
                            f"flows, and only a node with exactly one can be bypassed; edit the "
                            f"model instead (give the improvement its own BPMN file)")
        elif getattr(node, "boundary_events", ()):
            problems.append(f"cannot remove {node.label}: boundary events are attached to it; "
                            f"give the improvement its own BPMN file")
        else:
            targets.append(node.id)
    if problems:
        raise BPMNError(problems, source=model.source)
    staffed = {lid for lid, lane in model.lanes.items() if lane.members}
    for node_id in targets:
        model = _bypass(model, node_id)
    return _drop_emptied_lanes(model, staffed)


def _drop_emptied_lanes(model: ProcessModel, staffed: set[str]) -> ProcessModel:
    """Without the leaf lanes that had members in `staffed` and have none now; a parent lane
    left with neither members nor sub-lanes goes as well."""
    lanes = dict(model.lanes)
    gone: set[str] = set()
    changed = True
    while changed:
        changed = False
        for lid, lane in list(lanes.items()):
            if lane.members or lane.child_lanes:
                continue
            if lid in staffed or any(c in gone for c in model.lanes[lid].child_lanes):
                gone.add(lid)
                del lanes[lid]
                parent = lanes.get(lane.parent_lane_id) if lane.parent_lane_id else None
                if parent is not None:
                    lanes[parent.id] = dataclasses.replace(
                        parent, child_lanes=tuple(c for c in parent.child_lanes if c != lid))
                changed = True
    if not gone:
        return model
    diagrams = tuple(
        dataclasses.replace(d, shapes=tuple(s for s in d.shapes if s.element not in gone))
        for d in model.diagrams)
    return dataclasses.replace(model, lanes=lanes, diagrams=diagrams)


def _bypass(model: ProcessModel, node_id: str) -> ProcessModel:
    node = model.nodes[node_id]
    out_flow = model.flows[node.outgoing[0]]
    successor = out_flow.target
    nodes = dict(model.nodes)
    flows = dict(model.flows)
    del nodes[node_id]
    del flows[out_flow.id]
    for fid in node.incoming:
        flows[fid] = dataclasses.replace(flows[fid], target=successor)
    if successor in nodes:
        succ = nodes[successor]
        incoming = [f for f in succ.incoming if f != out_flow.id]
        incoming += [f for f in node.incoming if f not in incoming]
        nodes[successor] = dataclasses.replace(succ, incoming=tuple(incoming))
    processes = {
        pid: dataclasses.replace(
            p, nodes=tuple(n for n in p.nodes if n != node_id),
            flows=tuple(f for f in p.flows if f != out_flow.id))
        for pid, p in model.processes.items()
    }
    lanes = {lid: dataclasses.replace(lane, members=tuple(m for m in lane.members if m != node_id))
             for lid, lane in model.lanes.items()}
    data_assocs = tuple(a for a in model.data_associations if a.owner != node_id)
    diagrams = tuple(_redraw(d, node_id, node.incoming, out_flow.id) for d in model.diagrams)
    return dataclasses.replace(model, nodes=nodes, flows=flows, processes=processes,
                               lanes=lanes, data_associations=data_assocs, diagrams=diagrams)


def _redraw(diagram, node_id: str, incoming: tuple[str, ...], removed_flow: str):
    """Drop the node's shape and the removed flow's edge; extend each incoming edge along it."""
    tail = next((e for e in diagram.edges if e.element == removed_flow), None)
    edges = []
    for e in diagram.edges:
        if e.element == removed_flow:
            continue
        if e.element in incoming and tail is not None and e.waypoints and tail.waypoints:
            e = dataclasses.replace(e, waypoints=(*e.waypoints[:-1], *tail.waypoints[1:]))
        edges.append(e)
    shapes = tuple(s for s in diagram.shapes if s.element != node_id)
    return dataclasses.replace(diagram, shapes=shapes, edges=tuple(edges))
