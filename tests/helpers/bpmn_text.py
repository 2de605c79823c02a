"""Build small BPMN 2.0 documents as text for engine tests.

`chain(["A", "B"])` is start -> A -> B -> end. `flow_model(nodes, flows)` builds anything else
from (id, tag, name) triples and (source, target[, name]) pairs, with optional lanes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'id="defs" targetNamespace="http://leanproc.test">\n'
)


def flow_model(nodes: Sequence[tuple[str, str, str | None]],
               flows: Sequence[tuple[str, ...]],
               *, lanes: dict[str, Sequence[str]] | None = None,
               extra: dict[str, str] | None = None, process_id: str = "P") -> str:
    """`nodes`: (id, tag, name); `flows`: (source, target) or (source, target, name).
    `extra` maps a node id to inner XML (event definitions, loop markers, children…)."""
    extra = extra or {}
    out = [HEAD, f'  <process id="{process_id}" isExecutable="true">\n']
    if lanes:
        out.append('    <laneSet id="LS">\n')
        for i, (lane, members) in enumerate(lanes.items()):
            out.append(f'      <lane id="Lane_{i}" name={quoteattr(lane)}>\n')
            out.extend(f"        <flowNodeRef>{m}</flowNodeRef>\n" for m in members)
            out.append("      </lane>\n")
        out.append("    </laneSet>\n")
    for node_id, tag, name in nodes:
        name_attr = f" name={quoteattr(name)}" if name else ""
        inner = extra.get(node_id, "")
        attrs = ""
        if tag.startswith("boundaryEvent:"):
            tag, attached = tag.split(":", 1)
            attrs = f' attachedToRef="{attached}"'
        out.append(f'    <{tag} id="{node_id}"{name_attr}{attrs}>{inner}</{tag}>\n')
    for i, f in enumerate(flows):
        name_attr = f" name={quoteattr(f[2])}" if len(f) > 2 else ""
        out.append(
            f'    <sequenceFlow id="F{i}" sourceRef="{f[0]}" targetRef="{f[1]}"{name_attr}/>\n'
        )
    out.append("  </process>\n</definitions>\n")
    return "".join(out)


def chain(tasks: Sequence[str], *, lanes: dict[str, Sequence[str]] | None = None) -> str:
    """start -> task 1 -> ... -> task n -> end; task ids T1..Tn, names as given."""
    nodes = [("S", "startEvent", "start")]
    nodes += [(f"T{i + 1}", "task", name) for i, name in enumerate(tasks)]
    nodes += [("E", "endEvent", "end")]
    ids = [n[0] for n in nodes]
    flows = list(itertools.pairwise(ids))
    if lanes:
        by_name = {name: f"T{i + 1}" for i, name in enumerate(tasks)}
        lanes = {lane: [by_name.get(m, m) for m in members] for lane, members in lanes.items()}
    return flow_model(nodes, flows, lanes=lanes)
