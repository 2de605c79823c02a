"""How a process model shows itself in Jupyter: what it holds, its lean counts, its diagram.

`ProcessModel._repr_html_` calls `model_html`; the HTML pieces come from `leanproc._display`
and the words from `leanproc._labels`, so the model needs nothing above it to show itself.
"""

from __future__ import annotations

from leanproc._display import STYLE, escape, img_html, table_html
from leanproc._labels import check_lang, kpi_label, label
from leanproc.bpmn.drawing import diagram, has_diagram
from leanproc.bpmn.model import ProcessModel
from leanproc.bpmn.structure import structure_of

__all__ = ["model_html"]

# the lean structure counts worth a row, in this order
_STRUCTURE_ROWS = ("participants", "handoffs", "approvals", "client_actions", "paper_documents",
                   "waste")


def model_html(model: ProcessModel, *, lang: str = "en", figure: bool = True) -> str:
    """A process model: what it holds, its lean structure counts, and the diagram when the
    file has diagram coordinates."""
    check_lang(lang)
    title = model.name or next((p.name for p in model.processes.values() if p.name), None)
    counts: dict[str, int] = {
        kpi_label("pools", lang): len(model.participants),
        kpi_label("lanes", lang): len(model.lanes),
        kpi_label("activities", lang): len(model.activities),
        kpi_label("gateways", lang): len(model.gateways),
        kpi_label("events", lang): len(model.events),
    }
    try:
        structure = structure_of(model).as_dict()
    except Exception:  # a display must not fail on a model the counts cannot read
        structure = {}
    for key in _STRUCTURE_ROWS:
        if key in structure:
            counts[kpi_label(key, lang)] = structure[key]
    table = table_html([label("kpi", lang), label("value", lang)], list(counts.items()))
    picture = ""
    if figure and has_diagram(model):
        picture = img_html(diagram(model, lang=lang, width=11.0), dpi=90)
    head = f"{model.source}" + (f" — {title}" if title else "")
    return (f"<div style='{STYLE}'><p><b>{escape(head)}</b></p>"
            f"<div style='display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start'>"
            f"<div>{table}</div><div style='max-width:760px'>{picture}</div></div>"
            "</div>")
