"""Interleaved parallel blocks: `gateways: {<split>: {interleave: true}}`.

An office often works the branches of a parallel block one after the other, in whatever order
the items come up, rather than side by side: the same people, or one clerk, handle the case.
BPMN draws that as an ad-hoc subprocess with sequential ordering; here it is a flag on the
block's split. The engine then lets the block's activities of one case work one at a time
(simulation/activities.py); this module finds the block a split opens and checks that it is
one.

A block is a parallel (or inclusive) split with at least two outgoing flows and its matching
join: the first gateway of the same kind, with two or more incoming flows, that every branch
reaches. Its members are the nodes reachable from the split's outgoing flows (and the boundary
events of its activities) without passing through the split or the join, and each member must
reach the join without passing through the split (a branch that ends on its own, or a loop back
to before the split, is not a block).
"""

from __future__ import annotations

from dataclasses import dataclass

from leanproc.bpmn.model import Activity, Kind, ProcessModel

__all__ = ["InterleavedBlock", "find_block"]

_KINDS = (Kind.PARALLEL_GATEWAY, Kind.INCLUSIVE_GATEWAY)


@dataclass(frozen=True)
class InterleavedBlock:
    """A split whose block's activities run one at a time within a case: the split's and the
    join's ids, and the ids of the block's nodes (between the two, both excluded)."""

    split: str
    join: str
    members: frozenset[str]


def find_block(model: ProcessModel, split_id: str) -> InterleavedBlock | str:
    """The block `split_id` opens, or the reason it opens none (a sentence for an error)."""
    node = model.nodes[split_id]
    if node.kind not in _KINDS:
        return (f"{node.label} is {'an' if node.tag[0] in 'aeiou' else 'a'} {node.tag}: "
                f"interleave applies to parallel and inclusive splits only")
    outs = [model.flows[f].target for f in node.outgoing if f in model.flows]
    if len(outs) < 2:
        return f"{node.label} has {len(outs)} outgoing flow(s): there are no branches to interleave"
    reached = [_reach(model, [t], stop={split_id}) for t in outs]
    common = set.intersection(*reached)
    joins = [n for n in common if model.nodes[n].kind == node.kind
             and len(model.nodes[n].incoming) >= 2]
    # the matching join: the one every other common join comes after
    firsts = [j for j in joins if all(k == j or k in _reach(model, _next(model, j), stop=set())
                                      for k in joins)]
    if len(firsts) != 1:
        return (f"{node.label} has no matching {node.tag} join that all its branches reach, so "
                f"it opens no block to interleave; remove interleave, or draw the block with "
                f"one join")
    join = firsts[0]
    members = _reach(model, outs, stop={split_id, join}) - {split_id, join}
    stray = sorted(model.nodes[m].label for m in members
                   if join not in _reach(model, _next(model, m), stop={split_id}))
    if stray:
        return (f"the block of {node.label} is not closed by its join "
                f"{model.nodes[join].label}: {', '.join(stray[:3])} cannot reach it (a branch "
                f"that ends on its own, or a loop back to before the split); interleave needs a "
                f"block whose every branch meets at the join")
    return InterleavedBlock(split_id, join, frozenset(members))


def _next(model: ProcessModel, node_id: str) -> list[str]:
    """Where a token at `node_id` can go next: its flows' targets, and for an activity its
    boundary events (the path a boundary event opens stays in the block)."""
    node = model.nodes[node_id]
    out = [model.flows[f].target for f in node.outgoing if f in model.flows]
    if isinstance(node, Activity):
        out += node.boundary_events
    return out


def _reach(model: ProcessModel, starts: list[str], *, stop: set[str]) -> set[str]:
    """The nodes reachable from `starts` (included) by sequence flows; `stop` nodes are
    included when reached but not walked through."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in model.nodes:
            continue
        seen.add(nid)
        if nid not in stop:
            todo.extend(_next(model, nid))
    return seen
