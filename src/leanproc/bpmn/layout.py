"""Automatic diagram layout: DI coordinates for a model that has none.

`layout_model(model)` returns the model with one `Diagram` holding a shape for every pool, lane,
flow node and data object reference, and an edge for every sequence flow, message flow and data
association, so that modellers (bpmn.io, Camunda Modeler) render the file. The layout is the
plain one analysts draw by hand:

* left to right in layers: a node's column is the length of the longest path to it from a start
  event (loops are cut where a depth-first walk from the starts meets a node on its own path,
  and drawn as edges that run back below the shapes);
* each pool is a horizontal band of lanes, each node inside its lane's band; when several nodes
  of one lane share a column they are stacked in rows, a gateway's branches in the order of its
  outgoing flows (the first branch stays on the gateway's row, so the main path is straight);
* documents sit above their task, in a band reserved in lanes that have any;
* boundary events sit on their activity's lower edge; what follows them goes one row lower;
* edges are orthogonal: splits leave a gateway from its top or bottom corner, joins enter it so.

Pure arithmetic on the model (no graph library needed): a few thousand nodes lay out in well
under a second.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from leanproc.bpmn.model import Bounds, Diagram, Edge, Event, Kind, Node, ProcessModel, Shape

__all__ = ["layout_model"]

POOL_X = 150.0
POOL_Y = 80.0
POOL_GAP = 40.0  # between pools
HEADER = 30.0  # the vertical title band of a pool
LANE_PAD = 30.0  # left margin inside a lane before the first column
COL_W = 150.0  # minimal column width
ROW_H = 110.0  # one row of a lane
DOC_BAND = 70.0  # extra room above the row for documents
DOC_W, DOC_H, DOC_GAP = 36.0, 50.0, 34.0  # the gap leaves room for the labels
BLACK_BOX_H = 80.0
_SIZE = {"task": (100.0, 80.0), "event": (36.0, 36.0), "gateway": (50.0, 50.0)}


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def bounds(self) -> Bounds:
        return Bounds(self.x, self.y, self.w, self.h)


def _size(node: Node) -> tuple[float, float]:
    if node.kind.is_activity:
        return _SIZE["task"]
    if node.kind.is_gateway:
        return _SIZE["gateway"]
    return _SIZE["event"]


def layout_model(model: ProcessModel) -> ProcessModel:
    """`model` with its diagrams replaced by one automatically laid-out diagram."""
    return dataclasses.replace(model, diagrams=(_Layout(model).diagram(),))


class _Layout:
    def __init__(self, model: ProcessModel) -> None:
        self.m = model
        self.boxes: dict[str, _Box] = {}
        self.shapes: list[Shape] = []
        self.edges: list[Edge] = []
        self.docs_of: dict[str, list[str]] = {}  # task id -> its data object references
        for da in model.data_associations:
            refs = da.sources if da.direction == "in" else (da.target,) if da.target else ()
            for ref in refs:
                if ref in model.data and ref not in self.docs_of.get(da.owner, ()):
                    self.docs_of.setdefault(da.owner, []).append(ref)

    # ---- the whole diagram ---------------------------------------------------------------------
    def diagram(self) -> Diagram:
        m = self.m
        pools = list(m.participants.values())
        bands: list[tuple[str | None, str, _Band | None]] = []  # (pool id, process id, band)
        if pools:
            for p in pools:
                band = (_Band(self, p.process_id)
                        if p.process_id is not None and p.process_id in m.processes else None)
                bands.append((p.id, p.process_id or "", band))
        else:
            for pid in m.processes:
                bands.append((None, pid, _Band(self, pid)))
        width = max([b.width for _, _, b in bands if b is not None] + [COL_W * 4])
        y = POOL_Y
        for pool_id, _, band in bands:
            height = band.height if band is not None else BLACK_BOX_H
            x0 = POOL_X + (HEADER if pool_id else 0.0)
            if pool_id is not None:
                box = _Box(POOL_X, y, width + HEADER, height)
                self.boxes[pool_id] = box
                self.shapes.append(Shape(f"{pool_id}_di", pool_id, box.bounds(),
                                         is_horizontal=True))
            if band is not None:
                band.place(x0, y, width)
            y += height + POOL_GAP
        for band in (b for _, _, b in bands if b is not None):
            band.emit_nodes()
        for f in m.flows.values():
            if f.source in self.boxes and f.target in self.boxes:
                self.edges.append(Edge(f"{f.id}_di", f.id, self._route(f.source, f.target)))
        for mf in m.message_flows.values():
            if mf.source in self.boxes and mf.target in self.boxes:
                self.edges.append(Edge(f"{mf.id}_di", mf.id,
                                       _message_route(self.boxes[mf.source],
                                                      self.boxes[mf.target])))
        for da in m.data_associations:
            if da.id is None:
                continue
            refs = da.sources if da.direction == "in" else (da.target,) if da.target else ()
            for ref in refs:
                if ref in self.boxes and da.owner in self.boxes:
                    doc, task = self.boxes[ref], self.boxes[da.owner]
                    a, b = (doc.cx, doc.bottom), (doc.cx, task.y)
                    if not task.x <= doc.cx <= task.right:
                        b = (task.cx, task.y)
                    points = (a, b) if da.direction == "in" else (b, a)
                    self.edges.append(Edge(f"{da.id}_di", da.id, points))
                    break
        plane = m.collaboration_id if m.participants else next(iter(m.processes), None)
        return Diagram("BPMNDiagram_1", None, plane, tuple(self.shapes), tuple(self.edges))

    # ---- sequence-flow routes ------------------------------------------------------------------
    def _route(self, source: str, target: str) -> tuple[tuple[float, float], ...]:
        s, t = self.boxes[source], self.boxes[target]
        sn, tn = self.m.nodes[source], self.m.nodes[target]
        if sn.kind is Kind.BOUNDARY_EVENT:  # down out of the event, then across
            if t.x > s.cx:
                return ((s.cx, s.bottom), (s.cx, t.cy), (t.x, t.cy))
            low = max(s.bottom, t.bottom) + 10
            return ((s.cx, s.bottom), (s.cx, low), (t.cx, low), (t.cx, t.bottom))
        if t.x >= s.right:  # forward
            if abs(s.cy - t.cy) < 0.5:
                return ((s.right, s.cy), (t.x, t.cy))
            if sn.kind.is_gateway and len(sn.outgoing) > 1:  # a split: leave from a corner
                y0 = s.bottom if t.cy > s.cy else s.y
                return ((s.cx, y0), (s.cx, t.cy), (t.x, t.cy))
            if tn.kind.is_gateway and len(tn.incoming) > 1:  # a join: enter at a corner
                y1 = t.bottom if s.cy > t.cy else t.y
                return ((s.right, s.cy), (t.cx, s.cy), (t.cx, y1))
            mx = t.x - 20.0
            return ((s.right, s.cy), (mx, s.cy), (mx, t.cy), (t.x, t.cy))
        # backward (a loop): just below both shapes (inside the row's margin), then up
        low = max(s.bottom, t.bottom) + 10
        return ((s.cx, s.bottom), (s.cx, low), (t.cx, low), (t.cx, t.bottom))


def _host(node: Node) -> str | None:
    """The activity a boundary event is attached to."""
    return node.attached_to if isinstance(node, Event) else None


class _Band:
    """The layout of one process inside its pool: layers, rows, lanes."""

    def __init__(self, layout: _Layout, process_id: str) -> None:
        self.L = layout
        m = layout.m
        self.pid = process_id
        proc = m.processes[process_id]
        members = [n for n in proc.nodes if n in m.nodes]
        self.boundary = [n for n in members if m.nodes[n].kind is Kind.BOUNDARY_EVENT]
        self.nodes = [n for n in members if m.nodes[n].kind is not Kind.BOUNDARY_EVENT]
        self.lanes = [lid for lid in proc.lanes if lid in m.lanes]
        self.lane_of = {n: (m.nodes[n].lane_id if m.nodes[n].lane_id in m.lanes else None)
                        for n in self.nodes}
        if self.lanes:  # a node listed in no lane goes to the first one
            self.lane_of = {n: lane or self.lanes[0] for n, lane in self.lane_of.items()}
        self.succ = self._successors()
        self.order, dag = self._dfs()
        self.layer = _longest_path(self.nodes, dag, self.order)
        self.row = self._rows(dag)
        n_layers = max(self.layer.values(), default=0) + 1
        self.col_w = [COL_W] * n_layers
        for n in self.nodes:
            docs = len(layout.docs_of.get(n, ()))
            need = docs * (DOC_W + DOC_GAP) + 40.0
            self.col_w[self.layer[n]] = max(self.col_w[self.layer[n]], need)
        self.width = LANE_PAD + sum(self.col_w) + LANE_PAD
        keys = self.lane_keys
        self.rows_in = {k: 1 + max([self.row[n] for n in self.nodes if self.lane_of[n] == k],
                                   default=0) for k in keys}
        self.doc_band = {k: DOC_BAND if any(layout.docs_of.get(n) for n in self.nodes
                                            if self.lane_of[n] == k) else 0.0 for k in keys}
        self.lane_h = {k: self.rows_in[k] * (ROW_H + self.doc_band[k]) for k in keys}
        self.height = sum(self.lane_h.values())

    @property
    def lane_keys(self) -> list[str | None]:
        """The band's lanes top to bottom; one unnamed lane (None) when the process has none."""
        return [*self.lanes] if self.lanes else [None]

    def _successors(self) -> dict[str, list[str]]:
        """Targets of each node's flows; a boundary event's targets count as its host's."""
        m = self.L.m
        known = set(self.nodes)
        succ: dict[str, list[str]] = {n: [] for n in self.nodes}
        for n in self.nodes:
            node = m.nodes[n]
            for fid in node.outgoing:
                f = m.flows.get(fid)
                if f is not None and f.target in known:
                    succ[n].append(f.target)
            for b in getattr(node, "boundary_events", ()):
                for fid in m.nodes[b].outgoing if b in m.nodes else ():
                    f = m.flows.get(fid)
                    if f is not None and f.target in known:
                        succ[n].append(f.target)
        return succ

    def _dfs(self) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Depth-first order from the start events and the graph without back edges."""
        m = self.L.m
        roots = [n for n in self.nodes if m.nodes[n].kind is Kind.START_EVENT]
        roots += [n for n in self.nodes if n not in roots and not m.nodes[n].incoming]
        roots += [n for n in self.nodes if n not in roots]
        order: dict[str, int] = {}
        dag: dict[str, list[str]] = {n: [] for n in self.nodes}
        on_path: set[str] = set()
        for root in roots:
            if root in order:
                continue
            order[root] = len(order)
            on_path.add(root)
            stack = [(root, iter(self.succ[root]))]
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    on_path.discard(node)
                    stack.pop()
                    continue
                if nxt in on_path:
                    continue  # a back edge: a loop, drawn backwards
                dag[node].append(nxt)
                if nxt not in order:
                    order[nxt] = len(order)
                    on_path.add(nxt)
                    stack.append((nxt, iter(self.succ[nxt])))
        return order, dag

    def _rows(self, dag: Mapping[str, list[str]]) -> dict[str, int]:
        preds: dict[str, list[tuple[str, int]]] = {n: [] for n in self.nodes}
        for n in self.nodes:
            same = [t for t in dag[n] if self.lane_of[t] == self.lane_of[n]]
            for t in dag[n]:
                branch = same.index(t) if t in same else 0
                preds[t].append((n, branch))
        row: dict[str, int] = {}
        taken: set[tuple[str | None, int, int]] = set()
        for n in sorted(self.nodes, key=lambda x: (self.layer[x], self.order[x])):
            lane = self.lane_of[n]
            wanted = [row[p] + k for p, k in preds[n] if p in row and self.lane_of[p] == lane]
            if any(_via_boundary(self.L.m, p, n)
                   for p, _ in preds[n] if p in row and self.lane_of[p] == lane):
                wanted = [w + 1 for w in wanted]
            r = min(wanted) if wanted else 0
            while (lane, self.layer[n], r) in taken:
                r += 1
            taken.add((lane, self.layer[n], r))
            row[n] = r
        return row

    def place(self, x0: float, y0: float, width: float) -> None:
        """Boxes for the lanes and nodes, the band's top-left corner at (x0, y0)."""
        L = self.L
        lane_y: dict[str | None, float] = {}
        y = y0
        for k in self.lane_keys:
            lane_y[k] = y
            if k is not None:
                box = _Box(x0, y, width, self.lane_h[k])
                L.boxes[k] = box
                L.shapes.append(Shape(f"{k}_di", k, box.bounds(), is_horizontal=True))
            y += self.lane_h[k]
        col_x = [x0 + LANE_PAD]
        for w in self.col_w[:-1]:
            col_x.append(col_x[-1] + w)
        self.cells: dict[str, tuple[float, float, float, float]] = {}
        for n in self.nodes:
            k = self.lane_of[n]
            row_h = ROW_H + self.doc_band[k]
            cx0, cw = col_x[self.layer[n]], self.col_w[self.layer[n]]
            cy0 = lane_y[k] + self.row[n] * row_h
            w, h = _size(L.m.nodes[n])
            top = cy0 + self.doc_band[k]
            L.boxes[n] = _Box(cx0 + (cw - w) / 2, top + (ROW_H - h) / 2, w, h)
            self.cells[n] = (cx0, cy0, cw, self.doc_band[k])
        for b in self.boundary:
            host = _host(L.m.nodes[b])
            if host is None or host not in L.boxes:
                continue
            hb = L.boxes[host]
            siblings = [x for x in self.boundary if _host(L.m.nodes[x]) == host]
            i = siblings.index(b)
            L.boxes[b] = _Box(hb.right - 28 - 40 * i - 18, hb.bottom - 18, 36.0, 36.0)

    def emit_nodes(self) -> None:
        L = self.L
        for n in [*self.nodes, *self.boundary]:
            if n in L.boxes:
                L.shapes.append(Shape(f"{n}_di", n, L.boxes[n].bounds()))
        for n in self.nodes:
            docs = L.docs_of.get(n, [])
            if not docs:
                continue
            cx0, cy0, cw, _ = self.cells[n]
            total = len(docs) * DOC_W + (len(docs) - 1) * DOC_GAP
            x = cx0 + (cw - total) / 2
            for ref in docs:
                box = _Box(x, cy0 + 10.0, DOC_W, DOC_H)
                L.boxes[ref] = box
                L.shapes.append(Shape(f"{ref}_di", ref, box.bounds()))
                x += DOC_W + DOC_GAP


def _via_boundary(model: ProcessModel, pred: str, node: str) -> bool:
    """True when `pred` reaches `node` only through one of its boundary events."""
    p = model.nodes[pred]
    direct = any(model.flows[f].target == node for f in p.outgoing if f in model.flows)
    if direct:
        return False
    for b in getattr(p, "boundary_events", ()):
        if b in model.nodes and any(model.flows[f].target == node
                                    for f in model.nodes[b].outgoing if f in model.flows):
            return True
    return False


def _longest_path(nodes: Iterable[str], dag: Mapping[str, list[str]],
                  order: Mapping[str, int]) -> dict[str, int]:
    """Layer of each node: the longest path from a source of the acyclic graph `dag`."""
    nodes = list(nodes)
    indeg = {n: 0 for n in nodes}
    for n in nodes:
        for t in dag[n]:
            indeg[t] += 1
    ready = sorted((n for n in nodes if indeg[n] == 0), key=order.__getitem__)
    layer = {n: 0 for n in nodes}
    while ready:
        n = ready.pop(0)
        for t in dag[n]:
            layer[t] = max(layer[t], layer[n] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return layer


def _message_route(s: _Box, t: _Box) -> tuple[tuple[float, float], ...]:
    down = t.cy > s.cy
    y0, y1 = (s.bottom, t.y) if down else (s.y, t.bottom)
    if t.x <= s.cx <= t.right:
        return ((s.cx, y0), (s.cx, y1))
    if s.x <= t.cx <= s.right:
        return ((t.cx, y0), (t.cx, y1))
    mid = (y0 + y1) / 2
    return ((s.cx, y0), (s.cx, mid), (t.cx, mid), (t.cx, y1))
