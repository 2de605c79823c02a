"""Write a one-pool BPMN 2.0 file with lanes and diagram coordinates (DI) from a node list.

Used by make_models.py here and in ../taxi-permit to generate the AS-IS and TO-BE models, so
the diagrams stay consistent with the scenarios. Nodes are laid out left to right in list
order, each on its lane's row; a flow back to an earlier column (a rework loop) is drawn
below the row.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from xml.sax.saxutils import quoteattr

TAGS = {"start": "startEvent", "end": "endEvent", "task": "userTask", "xor": "exclusiveGateway",
        "service": "serviceTask"}
SIZE = {"start": (36, 36), "end": (36, 36), "xor": (50, 50), "task": (120, 80),
        "service": (120, 80)}
COL, LANE_H, X0, Y0, LABEL_W = 160, 150, 90, 60, 30


def write_model(path: Path, *, process_id: str, name: str, pool: str,
                lanes: list[tuple[str, str]], nodes: list[tuple[str, str, str, str]],
                flows: list[tuple[str, str, str, str | None]],
                data: list[tuple[str, str, str]] = (),
                default_flows: dict[str, str] | None = None,
                ) -> None:
    """lanes: (id, name); nodes: (id, kind, name, lane id); flows: (id, source, target, name);
    data: (id, name, task id) data objects written by a task."""
    default_flows = default_flows or {}
    col = {n[0]: i for i, n in enumerate(nodes)}
    row = {lane_id: i for i, (lane_id, _) in enumerate(lanes)}
    kind = {n[0]: n[1] for n in nodes}
    lane_of = {n[0]: n[3] for n in nodes}
    width = X0 + LABEL_W + COL * len(nodes) + 40
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for fid, s, t, _ in flows:
        outgoing.setdefault(s, []).append(fid)
        incoming.setdefault(t, []).append(fid)

    def box(node_id: str) -> tuple[float, float, float, float]:
        w, h = SIZE[kind[node_id]]
        cx = X0 + LABEL_W + COL * col[node_id] + COL / 2
        cy = Y0 + LANE_H * row[lane_of[node_id]] + LANE_H / 2
        return cx - w / 2, cy - h / 2, w, h

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
           'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
           'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
           'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
           f'id="Definitions_{process_id}" name={quoteattr(name)} '
           'targetNamespace="https://leanproc.org/examples" exporter="leanproc examples" '
           'exporterVersion="1">',
           f'  <bpmn:collaboration id="Collaboration_{process_id}">',
           f'    <bpmn:participant id="Pool_{process_id}" name={quoteattr(pool)} '
           f'processRef="{process_id}"/>',
           '  </bpmn:collaboration>',
           f'  <bpmn:process id="{process_id}" name={quoteattr(name)} isExecutable="false">',
           '    <bpmn:laneSet id="LaneSet_1">']
    for lane_id, lane_name in lanes:
        out.append(f'      <bpmn:lane id="{lane_id}" name={quoteattr(lane_name)}>')
        out += [f'        <bpmn:flowNodeRef>{n[0]}</bpmn:flowNodeRef>' for n in nodes
                if n[3] == lane_id]
        out.append('      </bpmn:lane>')
    out.append('    </bpmn:laneSet>')
    for node_id, k, node_name, _ in nodes:
        tag = TAGS[k]
        extra = f' default="{default_flows[node_id]}"' if node_id in default_flows else ""
        out.append(f'    <bpmn:{tag} id="{node_id}" name={quoteattr(node_name)}{extra}>')
        out += [f'      <bpmn:incoming>{f}</bpmn:incoming>' for f in incoming.get(node_id, [])]
        out += [f'      <bpmn:outgoing>{f}</bpmn:outgoing>' for f in outgoing.get(node_id, [])]
        for data_id, _, task in data:
            if task == node_id:
                out += [f'      <bpmn:dataOutputAssociation id="DA_{data_id}">',
                        f'        <bpmn:targetRef>{data_id}</bpmn:targetRef>',
                        '      </bpmn:dataOutputAssociation>']
        out.append(f'    </bpmn:{tag}>')
    for data_id, data_name, _ in data:
        out += [f'    <bpmn:dataObjectReference id="{data_id}" name={quoteattr(data_name)} '
                f'dataObjectRef="DO_{data_id}"/>',
                f'    <bpmn:dataObject id="DO_{data_id}"/>']
    for fid, s, t, fname in flows:
        name_attr = f" name={quoteattr(fname)}" if fname else ""
        out.append(f'    <bpmn:sequenceFlow id="{fid}"{name_attr} sourceRef="{s}" '
                   f'targetRef="{t}"/>')
    out.append('  </bpmn:process>')
    height = LANE_H * len(lanes)
    out += [f'  <bpmndi:BPMNDiagram id="Diagram_{process_id}" name={quoteattr(name)}>',
            f'    <bpmndi:BPMNPlane id="Plane_{process_id}" '
            f'bpmnElement="Collaboration_{process_id}">',
            f'      <bpmndi:BPMNShape id="Pool_{process_id}_di" bpmnElement="Pool_{process_id}" '
            'isHorizontal="true">',
            f'        <dc:Bounds x="{X0 - LABEL_W}" y="{Y0}" width="{width}" height="{height}"/>',
            '      </bpmndi:BPMNShape>']
    for lane_id, _ in lanes:
        y = Y0 + LANE_H * row[lane_id]
        out += [f'      <bpmndi:BPMNShape id="{lane_id}_di" bpmnElement="{lane_id}" '
                'isHorizontal="true">',
                f'        <dc:Bounds x="{X0}" y="{y}" width="{width - LABEL_W}" '
                f'height="{LANE_H}"/>',
                '      </bpmndi:BPMNShape>']
    for node_id, *_ in nodes:
        x, y, w, h = box(node_id)
        out += [f'      <bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}">',
                f'        <dc:Bounds x="{x:g}" y="{y:g}" width="{w}" height="{h}"/>',
                '      </bpmndi:BPMNShape>']
    for data_id, _, task in data:
        x, y, w, h = box(task)
        out += [f'      <bpmndi:BPMNShape id="{data_id}_di" bpmnElement="{data_id}">',
                f'        <dc:Bounds x="{x + w / 2 - 18:g}" y="{y - 62:g}" width="36" '
                'height="50"/>',
                '      </bpmndi:BPMNShape>',
                f'      <bpmndi:BPMNEdge id="DA_{data_id}_di" bpmnElement="DA_{data_id}">',
                f'        <di:waypoint x="{x + w / 2:g}" y="{y:g}"/>',
                f'        <di:waypoint x="{x + w / 2:g}" y="{y - 12:g}"/>',
                '      </bpmndi:BPMNEdge>']
    for fid, s, t, _ in flows:
        sx, sy, sw, sh = box(s)
        tx, ty, tw, th = box(t)
        if col[t] > col[s]:
            a = (sx + sw, sy + sh / 2)
            b = (tx, ty + th / 2)
            pts = [a, (a[0] + 20, a[1]), (a[0] + 20, b[1]), b] if a[1] != b[1] else [a, b]
        else:  # a loop back: below the row
            low = max(sy + sh, ty + th) + 25
            pts = [(sx + sw / 2, sy + sh), (sx + sw / 2, low), (tx + tw / 2, low),
                   (tx + tw / 2, ty + th)]
        out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">')
        out += [f'        <di:waypoint x="{px:g}" y="{py:g}"/>' for px, py in pts]
        out.append('      </bpmndi:BPMNEdge>')
    out += ['    </bpmndi:BPMNPlane>', '  </bpmndi:BPMNDiagram>', '</bpmn:definitions>', '']
    path.write_text("\n".join(out), encoding="utf-8")


def chain_flows(node_ids: list[str], prefix: str = "Flow") -> list[tuple[str, str, str, None]]:
    """Sequence flows joining consecutive nodes (ids Flow_<source>_<target>)."""
    return [(f"{prefix}_{a}_{b}", a, b, None) for a, b in itertools.pairwise(node_ids)]
