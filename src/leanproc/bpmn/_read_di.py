"""Reader of diagram interchange (BPMNDI): the shapes and edges that draw the model."""

from __future__ import annotations

from lxml import etree

from leanproc.bpmn import namespaces as ns
from leanproc.bpmn._read_state import ReadState
from leanproc.bpmn._read_values import as_opt_bool, name_of
from leanproc.bpmn.model import Bounds, Diagram, Edge, Shape

BPMNDI = f"{{{ns.BPMNDI}}}"
_DC_BOUNDS = f"{{{ns.DC}}}Bounds"
_DI_WAYPOINT = f"{{{ns.DI}}}waypoint"


def _number(st: ReadState, el: etree._Element, attr: str) -> float:
    value = el.get(attr)
    if value is not None:
        try:
            return float(value)
        except ValueError:
            pass
    st.problem(el, f"diagram coordinate {attr}={value!r} is not a number")
    return 0.0


def _bounds_in(st: ReadState, el: etree._Element) -> Bounds | None:
    for child in el:
        if child.tag == _DC_BOUNDS:
            x, y, width, height = (child.get("x"), child.get("y"), child.get("width"),
                                   child.get("height"))
            # the common case in one go; per-attribute only to name the culprit
            if x is not None and y is not None and width is not None and height is not None:
                try:
                    return Bounds(float(x), float(y), float(width), float(height))
                except ValueError:
                    pass
            return Bounds(_number(st, child, "x"), _number(st, child, "y"),
                          _number(st, child, "width"), _number(st, child, "height"))
    return None


def _label_in(st: ReadState, el: etree._Element) -> Bounds | None:
    for child in el:
        if child.tag == BPMNDI + "BPMNLabel":
            return _bounds_in(st, child)
    return None


def read_diagram(st: ReadState, el: etree._Element) -> None:
    """A BPMNDiagram: its plane's element and every shape and edge on its planes."""
    plane_element = None
    shapes: list[Shape] = []
    edges: list[Edge] = []
    for plane in el:
        if plane.tag != BPMNDI + "BPMNPlane":
            continue
        if plane_element is None:
            plane_element = plane.get("bpmnElement") or None
        for item in plane:
            tag = item.tag
            if tag == BPMNDI + "BPMNShape":
                bounds = _bounds_in(st, item)
                if bounds is None:
                    st.problem(item, f"shape {item.get('id')!r} has no dc:Bounds")
                    continue
                shapes.append(Shape(
                    item.get("id") or None, item.get("bpmnElement") or "", bounds,
                    as_opt_bool(item.get("isExpanded")), as_opt_bool(item.get("isHorizontal")),
                    _label_in(st, item),
                ))
            elif tag == BPMNDI + "BPMNEdge":
                points = tuple(
                    (_number(st, p, "x"), _number(st, p, "y"))
                    for p in item if p.tag == _DI_WAYPOINT
                )
                edges.append(Edge(item.get("id") or None, item.get("bpmnElement") or "",
                                  points, _label_in(st, item)))
    st.diagrams.append(Diagram(el.get("id") or None, name_of(el), plane_element,
                               tuple(shapes), tuple(edges)))
