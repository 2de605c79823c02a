"""Draw a BPMN model from its diagram coordinates (BPMN DI), activities coloured by a value.

"Where the time goes": pass the mean waiting time (or cost) per activity and the tasks are
filled on a colour scale with a colour bar, so the reader's eye goes to the hot spots on the
very picture the analysts drew. Shapes follow BPMN conventions closely enough to be recognised
(pools and lanes with side headers, rounded tasks, circles for events — thin start, thick end,
double intermediate — diamonds with markers for gateways, flows as polylines with arrows) without
trying to be a full BPMN renderer.

The drawing belongs to the model: it reads only the model and the numbers it is given.
`leanproc.report.diagram` draws the same picture from a `KPIReport` or a `SimulationResult`.
matplotlib is imported inside the drawing functions, so that reading a model never loads it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leanproc._display import fmt_number
from leanproc._labels import check_lang, label, unit_label
from leanproc.bpmn.model import (
    Activity,
    Bounds,
    Diagram,
    Event,
    Gateway,
    Kind,
    ProcessModel,
    Shape,
)
from leanproc.bpmn.text_fit import fit_text, wrap_words
from leanproc.errors import BPMNError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["diagram", "has_diagram", "resolve_values"]

_LINE = "#222222"
_POOL_FILL = "#ffffff"
_LANE_EDGE = "#444444"
_HEADER_FILL = "#f3f4f6"
_TASK_FILL = "#ffffff"
_NO_VALUE_FILL = "#f5f5f5"
_FONT_UNITS = 11.0  # text height in diagram units, about what modellers render in a 100x80 task
_MIN_FONT_PT = 4.0
# a lane's name has only its narrow header band: it may go smaller before it is shortened
_MIN_HEADER_PT = 3.0
# the default scale: task names at about 9 pt; wide diagrams make wide (zoomable) pictures
UNITS_PER_INCH = 85.0
_MAX_WIDTH_IN = 32.0
_LINE_HEIGHT = 1.25  # a line of text in em: the font's own 1.17 times linespacing 1.05


def has_diagram(model: ProcessModel) -> bool:
    """True when the model carries diagram coordinates (at least one shape)."""
    return any(d.shapes for d in model.diagrams)


def resolve_values(model: ProcessModel, values: Mapping[str, float] | pd.Series,
                   ) -> dict[str, float]:
    """Map per-activity values keyed by node id or name onto node ids.

    A name shared by several activities colours all of them (a log names activities, not
    elements). Keys that match nothing are an error listing every one of them: a silently grey
    diagram would hide a misspelt name.
    """
    items = values.items() if _one_number_per_key(values) else dict(values).items()
    out: dict[str, float] = {}
    unknown: list[str] = []
    for key, value in items:
        key = str(key)
        ids = [key] if key in model.nodes else [n.id for n in model.find(key)]
        if not ids:
            unknown.append(key)
            continue
        for node_id in ids:
            out[node_id] = float(value)
    if unknown:
        known = sorted({n.name for n in model.activities if n.name})
        raise BPMNError(
            [f"no activity with id or name {k!r} to colour" for k in unknown]
            + [f"activities of the model: {', '.join(known) or '(none named)'}; pass values "
               f"keyed by these names or by element ids"],
            source=model.source,
        )
    return out


def _one_number_per_key(values: object) -> bool:
    """A Mapping or a pandas Series (one-dimensional, with .items()): pandas is not imported
    just to tell, since a model is drawn without it."""
    return isinstance(values, Mapping) or (
        hasattr(values, "items") and getattr(values, "ndim", None) == 1)


@dataclass
class _Scale:
    """Diagram units -> points, and the font sizes that follow from it."""

    pt_per_unit: float

    @property
    def font(self) -> float:
        return max(_MIN_FONT_PT, min(11.0, _FONT_UNITS * self.pt_per_unit))

    def units(self, points: float) -> float:
        return points / self.pt_per_unit


def diagram(
    model: ProcessModel,
    values: Mapping[str, float] | pd.Series | None = None,
    *,
    measure: str = "waiting",
    unit: str = "h",
    value_label: str | None = None,
    value_format: Callable[[float], str] | None = None,
    show_values: bool = True,
    cmap: str = "YlOrRd",
    vmax: float | None = None,
    which: int = 0,
    title: str | None = None,
    width: float | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """Draw `model` from its BPMN DI; colour activities by `values` when given.

    `values` is ``{activity id or name: number}`` (dict or Series); to colour by a `KPIReport`
    or a `SimulationResult` use `leanproc.report.diagram`, which takes the numbers from them.
    `measure` names what the numbers are (``waiting`` or ``processing``…) for the default
    colour-bar label; `unit` and `value_label` label the colour bar (default: mean waiting,
    h); `value_format` formats the number printed
    in each task. `which` picks the BPMN diagram when the file has several; `width` is the
    figure width in inches (default: from the diagram's size, so that labels keep a readable
    size, at most 32; a narrower figure shrinks them, down to 4 pt, then shortens them with …).

    Raises `BPMNError` when the model has no diagram coordinates.
    """
    check_lang(lang)
    if not has_diagram(model):
        raise BPMNError(
            "the model has no diagram coordinates (BPMN DI: no BPMNShape), so it cannot be "
            "drawn; save it from a modeller that keeps the layout (Camunda Modeler, bpmn.io, "
            "Signavio, ELMA, Business Studio…) or look at model.summary() and "
            "model.structure() instead",
            source=model.source,
        )
    diagrams = [d for d in model.diagrams if d.shapes]
    if not 0 <= which < len(diagrams):
        raise ValueError(f"which={which}: the model has {len(diagrams)} drawn diagram(s)")
    dia = diagrams[which]

    coloured: dict[str, float] = {}
    if values is not None:
        if not _one_number_per_key(values):
            raise TypeError(
                f"values must be {{activity id or name: number}} (a dict or a pandas Series), "
                f"not {type(values).__name__}; to colour by a KPIReport or a SimulationResult "
                f"use leanproc.report.diagram(model, values)")
        coloured = resolve_values(model, values)
    if value_label is None:
        key = ("processing_working_h" if measure.startswith("processing_working")
               else "processing_h" if measure.startswith("processing") else "waiting_h")
        value_label = label(key, lang)
        if unit != "h":
            value_label = value_label.rsplit(",", 1)[0] + f", {unit_label(unit, lang)}"

    x0, y0, x1, y1 = _extent(dia)
    ext_w, ext_h = x1 - x0, y1 - y0
    with_bar = bool(coloured)
    if ax is None:
        from matplotlib.figure import Figure as _Figure

        # the colour bar lies under the diagram so the drawing gets the full width
        fig_w = width or min(max(ext_w / UNITS_PER_INCH, 6.0), _MAX_WIDTH_IN)
        title_h, bar_h = 0.35, (0.7 if with_bar else 0.0)
        draw_h = fig_w * 0.98 * ext_h / ext_w
        fig_h = draw_h + title_h + bar_h + 0.1
        fig = _Figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((0.01, (bar_h + 0.05) / fig_h, 0.98, draw_h / fig_h))
        cax = fig.add_axes((0.3, 0.42 / fig_h, 0.4, 0.12 / fig_h)) if with_bar else None
    else:
        fig = ax.figure.figure
        cax = None
    box = ax.get_position()
    fw, fh = fig.get_size_inches()
    scale = _Scale(72.0 * min(box.width * fw / ext_w, box.height * fh / ext_h))

    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    colour_map = colormaps[cmap]
    top = vmax if vmax is not None else (max(coloured.values()) if coloured else 1.0)
    norm = Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)
    fmt = value_format or (lambda v: f"{fmt_number(v)} {unit_label(unit, lang)}")

    drawer = _Drawer(ax, model, scale)
    drawer.draw(dia, coloured, colour_map, norm, fmt if show_values else None)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)  # DI's y axis points down
    ax.set_aspect("equal")
    ax.axis("off")
    name = title or model.name or next((p.name for p in model.processes.values() if p.name),
                                       None) or label("diagram", lang)
    ax.set_title(name, fontsize=max(8.0, scale.font * 1.3))
    if coloured:
        from matplotlib.cm import ScalarMappable

        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=colour_map), cax=cax,
                           ax=None if cax is not None else ax, shrink=0.7,
                           orientation="horizontal" if cax is not None else "vertical")
        bar.set_label(value_label, fontsize=9)
        bar.ax.tick_params(labelsize=8)
    return fig


def _extent(dia: Diagram) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for s in dia.shapes:
        b = s.bounds
        xs += [b.x, b.x + b.width]
        ys += [b.y, b.y + b.height]
        if s.label is not None:
            xs += [s.label.x, s.label.x + s.label.width]
            ys += [s.label.y, s.label.y + s.label.height]
    for e in dia.edges:
        for x, y in e.waypoints:
            xs.append(x)
            ys.append(y)
    pad = 12.0
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


class _Drawer:
    """Draws one diagram's shapes and edges onto an Axes in diagram coordinates."""

    def __init__(self, ax: Axes, model: ProcessModel, scale: _Scale) -> None:
        self.ax = ax
        self.model = model
        self.scale = scale
        self.data_assoc = {d.id for d in model.data_associations if d.id}

    # ---- the order matters: containers under flows under nodes -------------------------
    def draw(self, dia: Diagram, coloured: Mapping[str, float], cmap: Any, norm: Any,
             fmt: Callable[[float], str] | None) -> None:
        m = self.model
        shapes = list(dia.shapes)
        for s in shapes:
            if s.element in m.participants:
                self.pool(s)
        for s in shapes:
            if s.element in m.lanes:
                self.lane(s)
        for s in shapes:
            node = m.nodes.get(s.element)
            if isinstance(node, Activity) and node.kind == Kind.SUBPROCESS and s.is_expanded:
                self.expanded(s, node.name)
        for e in dia.edges:
            self.edge(e)
        for s in shapes:
            node = m.nodes.get(s.element)
            if node is None:
                if s.element in m.data:
                    self.data(s, m.data[s.element])
                elif s.element in m.annotations:
                    self.annotation(s, m.annotations[s.element].text)
                continue
            if isinstance(node, Activity):
                if node.kind == Kind.SUBPROCESS and s.is_expanded:
                    continue
                value = coloured.get(node.id)
                fill = cmap(norm(value)) if value is not None else (
                    _NO_VALUE_FILL if coloured else _TASK_FILL)
                self.task(s, node, fill, fmt(value) if fmt and value is not None else None)
            elif isinstance(node, Event):
                self.event(s, node)
            elif isinstance(node, Gateway):
                self.gateway(s, node)

    # ---- containers --------------------------------------------------------------------
    def pool(self, s: Shape) -> None:
        from matplotlib.patches import Rectangle

        b = s.bounds
        p = self.model.participants[s.element]
        self.ax.add_patch(Rectangle((b.x, b.y), b.width, b.height, facecolor=_POOL_FILL,
                                    edgecolor=_LINE, linewidth=1.2, zorder=0))
        if p.process_id is None and not any(
            lane.process_id == p.process_id for lane in self.model.lanes.values()
        ):  # a black-box pool: the name in the middle
            self.text(b.x + b.width / 2, b.y + b.height / 2, p.name, b.width - 10, b.height,
                      zorder=1)
            return
        self._header(b, p.name, s.is_horizontal is not False, zorder=1)

    def lane(self, s: Shape) -> None:
        from matplotlib.patches import Rectangle

        b = s.bounds
        self.ax.add_patch(Rectangle((b.x, b.y), b.width, b.height, facecolor="none",
                                    edgecolor=_LANE_EDGE, linewidth=0.8, zorder=1))
        self._header(b, self.model.lanes[s.element].name, s.is_horizontal is not False,
                     zorder=1)

    def _header(self, b: Bounds, name: str | None, horizontal: bool, zorder: int) -> None:
        """The header band with the rotated name: at the left of a horizontal pool or lane,
        at the top of a vertical one."""
        from matplotlib.patches import Rectangle

        band = 30.0
        if horizontal:
            self.ax.add_patch(Rectangle((b.x, b.y), band, b.height, facecolor=_HEADER_FILL,
                                        edgecolor=_LANE_EDGE, linewidth=0.8, zorder=zorder))
            self.text(b.x + band / 2, b.y + b.height / 2, name, b.height - 8, band - 4,
                      rotation=90, zorder=zorder + 1, min_size=_MIN_HEADER_PT)
        else:
            self.ax.add_patch(Rectangle((b.x, b.y), b.width, band, facecolor=_HEADER_FILL,
                                        edgecolor=_LANE_EDGE, linewidth=0.8, zorder=zorder))
            self.text(b.x + b.width / 2, b.y + band / 2, name, b.width - 8, band - 4,
                      zorder=zorder + 1, min_size=_MIN_HEADER_PT)

    def expanded(self, s: Shape, name: str | None) -> None:
        from matplotlib.patches import FancyBboxPatch

        b = s.bounds
        self.ax.add_patch(FancyBboxPatch((b.x, b.y), b.width, b.height,
                                         boxstyle="round,pad=0,rounding_size=10",
                                         facecolor="none", edgecolor=_LINE, linewidth=1.0,
                                         zorder=2))
        if name:
            self.text(b.x + 8, b.y + 6, name, b.width - 16, 30, ha="left", va="top", zorder=3)

    # ---- nodes -------------------------------------------------------------------------
    def task(self, s: Shape, node: Activity, fill: Any, value_text: str | None) -> None:
        from matplotlib.patches import FancyBboxPatch

        b = s.bounds
        thick = node.kind == Kind.CALL_ACTIVITY
        self.ax.add_patch(FancyBboxPatch(
            (b.x, b.y), b.width, b.height, boxstyle="round,pad=0,rounding_size=9",
            facecolor=fill, edgecolor=_LINE, linewidth=2.2 if thick else 1.0, zorder=5,
            gid=f"task:{node.id}",
        ))
        ink = _ink_on(fill)
        if node.kind == Kind.SUBPROCESS:  # collapsed: the [+] marker at the bottom
            self._plus_marker(b.x + b.width / 2, b.y + b.height - 9, ink)
        name_h = b.height - (18 if value_text else 6)
        self.text(b.x + b.width / 2, b.y + 3 + name_h / 2, node.name, b.width - 8, name_h,
                  colour=ink, zorder=6)
        if value_text:
            self.ax.text(b.x + b.width - 5, b.y + b.height - 4, value_text,
                         ha="right", va="bottom", fontsize=self.scale.font * 0.85,
                         fontweight="bold", color=ink, zorder=6, clip_on=True)

    def _plus_marker(self, cx: float, cy: float, ink: str) -> None:
        from matplotlib.patches import Rectangle

        r = 6.0
        self.ax.add_patch(Rectangle((cx - r, cy - r), 2 * r, 2 * r, facecolor="none",
                                    edgecolor=ink, linewidth=0.8, zorder=6))
        self.ax.plot([cx - r + 3, cx + r - 3], [cy, cy], color=ink, linewidth=0.8, zorder=6)
        self.ax.plot([cx, cx], [cy - r + 3, cy + r - 3], color=ink, linewidth=0.8, zorder=6)

    def event(self, s: Shape, node: Event) -> None:
        from matplotlib.patches import Circle

        b = s.bounds
        cx, cy, r = b.x + b.width / 2, b.y + b.height / 2, min(b.width, b.height) / 2
        end = node.kind == Kind.END_EVENT
        dashed = node.kind == Kind.BOUNDARY_EVENT and not node.cancel_activity
        style = "--" if dashed else "-"
        self.ax.add_patch(Circle((cx, cy), r, facecolor="white", edgecolor=_LINE,
                                 linewidth=2.6 if end else 1.1, linestyle=style, zorder=7,
                                 gid=f"event:{node.id}"))
        if node.kind in (Kind.INTERMEDIATE_CATCH, Kind.INTERMEDIATE_THROW,
                         Kind.BOUNDARY_EVENT):
            self.ax.add_patch(Circle((cx, cy), r - 3, facecolor="none", edgecolor=_LINE,
                                     linewidth=1.0, linestyle=style, zorder=7))
        self._trigger(node.trigger, cx, cy, r, filled=end or node.kind == Kind.INTERMEDIATE_THROW)
        self._outside_label(s, node.name)

    def _trigger(self, trigger: str, cx: float, cy: float, r: float, filled: bool) -> None:
        from matplotlib.patches import Circle, Rectangle

        ax = self.ax
        if trigger == "timer":
            ax.add_patch(Circle((cx, cy), r * 0.55, facecolor="white", edgecolor=_LINE,
                                linewidth=0.9, zorder=8))
            ax.plot([cx, cx], [cy, cy - r * 0.42], color=_LINE, linewidth=0.9, zorder=8)
            ax.plot([cx, cx + r * 0.3], [cy, cy], color=_LINE, linewidth=0.9, zorder=8)
        elif trigger == "message":
            w, h = r * 1.0, r * 0.7
            ax.add_patch(Rectangle((cx - w / 2, cy - h / 2), w, h,
                                   facecolor=_LINE if filled else "white", edgecolor=_LINE,
                                   linewidth=0.9, zorder=8))
            ax.plot([cx - w / 2, cx, cx + w / 2], [cy - h / 2, cy + h * 0.1, cy - h / 2],
                    color="white" if filled else _LINE, linewidth=0.9, zorder=9)
        elif trigger == "terminate":
            ax.add_patch(Circle((cx, cy), r * 0.55, facecolor=_LINE, zorder=8))
        elif trigger in ("error", "escalation", "signal", "conditional", "link",
                         "compensate", "cancel", "multiple"):
            glyph = {"error": "⚡", "escalation": "^", "signal": "△", "conditional": "≡",
                     "link": "→", "compensate": "«", "cancel": "×", "multiple": "⬠"}[trigger]
            ax.text(cx, cy, glyph, ha="center", va="center", fontsize=self.scale.font,
                    color=_LINE, zorder=8)

    def gateway(self, s: Shape, node: Gateway) -> None:
        from matplotlib.patches import Circle, Polygon

        b = s.bounds
        cx, cy = b.x + b.width / 2, b.y + b.height / 2
        hw, hh = b.width / 2, b.height / 2
        self.ax.add_patch(Polygon([(cx, b.y), (b.x + b.width, cy), (cx, b.y + b.height),
                                   (b.x, cy)], closed=True, facecolor="white",
                                  edgecolor=_LINE, linewidth=1.1, zorder=7,
                                  gid=f"gateway:{node.id}"))
        k = 0.28
        line: dict[str, Any] = {"color": _LINE, "linewidth": 2.0, "zorder": 8,
                                "solid_capstyle": "round"}
        if node.kind == Kind.EXCLUSIVE_GATEWAY:
            self.ax.plot([cx - hw * k, cx + hw * k], [cy - hh * k, cy + hh * k], **line)
            self.ax.plot([cx - hw * k, cx + hw * k], [cy + hh * k, cy - hh * k], **line)
        elif node.kind == Kind.PARALLEL_GATEWAY:
            self.ax.plot([cx - hw * 0.4, cx + hw * 0.4], [cy, cy], **line)
            self.ax.plot([cx, cx], [cy - hh * 0.4, cy + hh * 0.4], **line)
        elif node.kind == Kind.INCLUSIVE_GATEWAY:
            self.ax.add_patch(Circle((cx, cy), min(hw, hh) * 0.42, facecolor="none",
                                     edgecolor=_LINE, linewidth=2.0, zorder=8))
        elif node.kind == Kind.EVENT_BASED_GATEWAY:
            self.ax.add_patch(Circle((cx, cy), min(hw, hh) * 0.45, facecolor="none",
                                     edgecolor=_LINE, linewidth=0.9, zorder=8))
        elif node.kind == Kind.COMPLEX_GATEWAY:
            for angle in (0, 45, 90, 135):
                dx = math.cos(math.radians(angle)) * hw * 0.4
                dy = math.sin(math.radians(angle)) * hh * 0.4
                self.ax.plot([cx - dx, cx + dx], [cy - dy, cy + dy], **line)
        self._outside_label(s, node.name)

    def data(self, s: Shape, item: Any) -> None:
        from matplotlib.patches import Ellipse, Polygon, Rectangle

        b = s.bounds
        if "Store" in item.tag:
            self.ax.add_patch(Rectangle((b.x, b.y + 5), b.width, b.height - 10,
                                        facecolor="white", edgecolor=_LINE, linewidth=1.0,
                                        zorder=6))
            self.ax.add_patch(Ellipse((b.x + b.width / 2, b.y + 5), b.width, 10,
                                      facecolor="white", edgecolor=_LINE, linewidth=1.0,
                                      zorder=6))
        else:
            fold = min(12.0, b.width / 3)
            self.ax.add_patch(Polygon(
                [(b.x, b.y), (b.x + b.width - fold, b.y), (b.x + b.width, b.y + fold),
                 (b.x + b.width, b.y + b.height), (b.x, b.y + b.height)],
                closed=True, facecolor="white", edgecolor=_LINE, linewidth=1.0, zorder=6))
            self.ax.plot([b.x + b.width - fold, b.x + b.width - fold, b.x + b.width],
                         [b.y, b.y + fold, b.y + fold], color=_LINE, linewidth=0.8, zorder=6)
        self._outside_label(s, item.name)

    def annotation(self, s: Shape, text: str | None) -> None:
        b = s.bounds
        self.ax.plot([b.x + 10, b.x, b.x, b.x + 10],
                     [b.y, b.y, b.y + b.height, b.y + b.height], color=_LINE,
                     linewidth=1.0, zorder=6)
        self.text(b.x + 5, b.y + b.height / 2, text, b.width - 8, b.height, ha="left",
                  zorder=6)

    def _outside_label(self, s: Shape, name: str | None) -> None:
        """The name of an event, gateway or data item: in its DI label box, else below."""
        if not name:
            return
        if s.label is not None and s.label.width > 0:
            lb = s.label
            self.text(lb.x + lb.width / 2, lb.y + lb.height / 2, name,
                      max(lb.width, 90.0), max(lb.height, 30.0), zorder=9, fit=False)
            return
        b = s.bounds
        self.text(b.x + b.width / 2, b.y + b.height + 4, name, max(b.width * 2.4, 90.0), 40,
                  va="top", zorder=9, fit=False)

    # ---- edges -------------------------------------------------------------------------
    def edge(self, e: Any) -> None:
        pts = e.waypoints
        if len(pts) < 2:
            return
        m = self.model
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        if e.element in m.flows:
            self._polyline(xs, ys, "-", 1.0, arrow="filled", gid=f"flow:{e.element}")
            name = m.flows[e.element].name
        elif e.element in m.message_flows:
            self._polyline(xs, ys, (0, (5, 3)), 0.9, arrow="open", start_circle=True,
                           gid=f"message:{e.element}")
            name = m.message_flows[e.element].name
        elif e.element in m.associations or e.element in self.data_assoc:
            arrow = "open" if e.element in self.data_assoc else None
            self._polyline(xs, ys, (0, (1.5, 2.5)), 0.9, arrow=arrow, gid=f"assoc:{e.element}")
            name = None
        else:
            return
        if name:
            if e.label is not None and e.label.width > 0:
                lx, ly = e.label.x + e.label.width / 2, e.label.y + e.label.height / 2
            else:  # just past the first bend of the flow, where modellers put it
                lx, ly = (xs[0] + xs[1]) / 2 + 6, (ys[0] + ys[1]) / 2 - 6
            self.ax.text(lx, ly, name, ha="center", va="center",
                         fontsize=self.scale.font * 0.85, color=_LINE, zorder=9,
                         bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5,
                               "alpha": 0.85})

    def _polyline(self, xs: list[float], ys: list[float], style: Any, width: float, *,
                  arrow: str | None, start_circle: bool = False, gid: str | None = None,
                  ) -> None:
        from matplotlib.patches import Circle, FancyArrowPatch

        (line,) = self.ax.plot(xs, ys, color=_LINE, linestyle=style, linewidth=width,
                               zorder=4, solid_joinstyle="miter")
        line.set_gid(gid)
        if start_circle:
            self.ax.add_patch(Circle((xs[0], ys[0]), 3.5, facecolor="white",
                                     edgecolor=_LINE, linewidth=0.8, zorder=4))
        if arrow:
            head = max(3.0, 9.0 * self.scale.pt_per_unit)
            style_ = (f"-|>,head_length={head * 0.9:.2f},head_width={head * 0.45:.2f}"
                      if arrow == "filled" else
                      f"->,head_length={head * 0.9:.2f},head_width={head * 0.45:.2f}")
            self.ax.add_patch(FancyArrowPatch(
                (xs[-2], ys[-2]), (xs[-1], ys[-1]), arrowstyle=style_, edgecolor=_LINE,
                linewidth=width, shrinkA=0, shrinkB=0, zorder=4,
                mutation_scale=1.0, facecolor=_LINE if arrow == "filled" else "none",
            ))

    # ---- text --------------------------------------------------------------------------
    def text(self, x: float, y: float, text: str | None, width: float, height: float, *,
             rotation: float = 0, ha: str = "center", va: str = "center",
             colour: str = _LINE, zorder: int = 6, fit: bool = True,
             min_size: float = _MIN_FONT_PT) -> None:
        """`text` wrapped at word boundaries to `width` diagram units (along the text, so the
        lane's height for a rotated lane name); with `fit`, shrunk (down to `min_size`) to fit
        `height` too, and shortened with ``…`` only when even that size cannot hold it."""
        if not text or not text.split():
            return
        pt = self.scale.pt_per_unit
        if fit:
            laid = fit_text(text, width * pt, height * pt, size=self.scale.font,
                            min_size=min(min_size, self.scale.font), measure=_width_at_1pt,
                            line_height=_LINE_HEIGHT)
            lines, size = laid.lines, laid.size
        else:  # a free-standing label: wrapped, never shrunk or shortened
            size = self.scale.font
            lines = wrap_words(text, width * pt / size, _width_at_1pt)
        self.ax.text(x, y, "\n".join(lines), ha=ha, va=va, rotation=rotation,
                     fontsize=size, color=colour, zorder=zorder, linespacing=1.05,
                     multialignment="center" if ha == "center" else "left")


@functools.lru_cache(maxsize=8192)
def _width_at_1pt(text: str) -> float:
    """Width in points of `text` at a 1 pt font, measured on the font the text is drawn in
    (Cyrillic letters run about a fifth wider than Latin ones, so counting characters will
    not do). Small sizes render a little wider than the outlines say (the rasteriser rounds
    glyph advances to whole pixels), hence the 8 % margin."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    # measured at 100 pt, where the font's hinting no longer rounds the advances
    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=100), ismath=False)
    return 1.08 * float(width) / 100.0


def _ink_on(fill: Any) -> str:
    """Black or white text, whichever reads better on `fill`."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(fill)
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"
