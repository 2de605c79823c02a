"""Reader of diagram interchange (BPMNDI): the shapes and edges that draw the model."""

from __future__ import annotations

import math

from lxml import etree

from leanproc.bpmn import namespaces as ns
from leanproc.bpmn._read_state import ReadState
from leanproc.bpmn._read_values import as_opt_bool, name_of
from leanproc.bpmn.model import Bounds, Diagram, Edge, Shape

BPMNDI = f"{{{ns.BPMNDI}}}"
_DC_BOUNDS = f"{{{ns.DC}}}Bounds"
_DI_WAYPOINT = f"{{{ns.DI}}}waypoint"


def _number(st: ReadState, el: etree._Element, attr: str, owner: str) -> float:
    """A coordinate; a missing or non-finite one ("None", "", "NaN") is read as 0 and noted.

    Diagram interchange only draws the model, so a broken coordinate never changes how the
    process runs: some exporters write ``height="None"`` for an unsized shape.
    """
    value = el.get(attr)
    if value is not None:
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    shown = f"{attr}={value!r}" if value is not None else f"the missing {attr}"
    st.tolerate(el, f"diagram element {owner!r}: {shown} is not a number; drawn as 0")
    return 0.0


def _bounds_in(st: ReadState, el: etree._Element, owner: str) -> Bounds | None:
    for child in el:
        if child.tag == _DC_BOUNDS:
            x, y, width, height = (child.get("x"), child.get("y"), child.get("width"),
                                   child.get("height"))
            # the common case in one go; per-attribute only to name the culprit
            if x is not None and y is not None and width is not None and height is not None:
                try:
                    values = (float(x), float(y), float(width), float(height))
                except ValueError:
                    pass
                else:
                    if all(map(math.isfinite, values)):
                        return Bounds(*values)
            return Bounds(_number(st, child, "x", owner), _number(st, child, "y", owner),
                          _number(st, child, "width", owner),
                          _number(st, child, "height", owner))
    return None


def _label_in(st: ReadState, el: etree._Element, owner: str) -> Bounds | None:
    for child in el:
        if child.tag == BPMNDI + "BPMNLabel":
            return _bounds_in(st, child, owner)
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
            element = st.ref(item, item.get("bpmnElement")) or ""
            owner = item.get("id") or element
            if tag == BPMNDI + "BPMNShape":
                bounds = _bounds_in(st, item, owner)
                if bounds is None:
                    st.tolerate(item, f"diagram shape {owner!r} has no dc:Bounds; not drawn")
                    continue
                shapes.append(Shape(
                    item.get("id") or None, element, bounds,
                    as_opt_bool(item.get("isExpanded")), as_opt_bool(item.get("isHorizontal")),
                    _label_in(st, item, owner),
                ))
            elif tag == BPMNDI + "BPMNEdge":
                points = tuple(
                    (_number(st, p, "x", owner), _number(st, p, "y", owner))
                    for p in item if p.tag == _DI_WAYPOINT
                )
                edges.append(Edge(item.get("id") or None, element, points,
                                  _label_in(st, item, owner)))
    st.diagrams.append(Diagram(el.get("id") or None, name_of(el), plane_element,
                               tuple(shapes), tuple(edges)))
