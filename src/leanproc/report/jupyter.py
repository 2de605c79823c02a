"""Jupyter views: HTML for simulation results, replications and process models.

The classes themselves stay free of rendering code; each holds a one-line ``_repr_html_`` that
calls a renderer here, so the look of every object lives in one place and matplotlib is only
imported when a notebook actually displays something. The data stay one attribute away
(``result.log``, ``result.cases``, ``result.kpi.per_activity``), and each view says so.
"""

from __future__ import annotations

import html as _html
from typing import Any

import pandas as pd

from leanproc.report import _mpl
from leanproc.report.html import table_html
from leanproc.report.labels import check_lang, kpi_label, label, unit_label
from leanproc.report.tables import DEFAULT_KPIS, display_value, flat_kpis

__all__ = ["model_html", "replications_html", "result_html"]

_STYLE = "font-size:13px"


def _e(text: Any) -> str:
    return _html.escape(str(text), quote=True)


def _img(fig: Any, *, dpi: int = 80) -> str:
    return (f'<img src="{_mpl.figure_data_uri(fig, dpi=dpi)}" '
            'style="max-width:100%;height:auto" alt="figure">')


def result_html(result: Any, *, lang: str = "en", figure: bool = True) -> str:
    """One simulation run: a headline, the main KPIs, utilisation and the lead-time histogram."""
    check_lang(lang)
    cases = result.cases
    finished = int(cases["end"].notna().sum()) if "end" in cases else len(cases)
    head = (f"{label('simulation', lang)}: {len(cases):,} {label('cases', lang).lower()}, "
            f"{finished:,} {label('finished', lang)}, {result.events:,} "
            f"{label('activity_instances', lang)}; {label('seed', lang)} {result.seed}, "
            f"#{result.replication}")
    values = flat_kpis(result.kpi)
    rows = []
    for key in DEFAULT_KPIS + tuple(k for k in values if k.startswith("utilisation.")):
        if key in values:
            shown, unit = display_value(key, values[key])
            rows.append((kpi_label(key, lang), shown, unit_label(unit, lang)))
    table = pd.DataFrame(rows, columns=[label("kpi", lang), label("value", lang),
                                        label("unit", lang)])
    picture = ""
    if figure and len(result.lead_times):
        from leanproc.report.figures import lead_time_distribution

        picture = _img(lead_time_distribution(result, kind="hist",
                                              names=[label("simulation", lang)], lang=lang))
    hint = ("<code>.log</code>, <code>.cases</code>, <code>.kpi.per_activity</code>, "
            "<code>.kpi.as_dict()</code>")
    return (f"<div style='{_STYLE}'><p><b>{_e(head)}</b></p>"
            f"<div style='display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start'>"
            f"<div>{table_html(table)}</div><div style='max-width:520px'>{picture}</div></div>"
            f"<p style='color:#666'>DataFrames: {hint}</p></div>")


def replications_html(replications: Any, *, lang: str = "en") -> str:
    """Independent replications: each KPI's mean with its 95 % confidence interval."""
    check_lang(lang)
    summary = replications.summary()
    rows = []
    keys = [k for k in DEFAULT_KPIS if k in summary.index]
    keys += [k for k in summary.index if k.startswith("utilisation.")]
    for key in keys:
        row = summary.loc[key]
        mean, unit = display_value(key, float(row["mean"]))
        low, _ = display_value(key, float(row["ci_low"]))
        high, _ = display_value(key, float(row["ci_high"]))
        rows.append((kpi_label(key, lang), mean, f"{_mpl.fmt_number(low)} … "
                     f"{_mpl.fmt_number(high)}", unit_label(unit, lang)))
    table = pd.DataFrame(rows, columns=[label("kpi", lang), label("mean", lang),
                                        label("ci95", lang), label("unit", lang)])
    head = f"{len(replications)} {label('replications', lang)}"
    return (f"<div style='{_STYLE}'><p><b>{_e(head)}</b></p>{table_html(table)}"
            "<p style='color:#666'>DataFrames: <code>.summary()</code>, <code>.values()</code>, "
            "<code>[i].log</code></p></div>")


def model_html(model: Any, *, lang: str = "en", figure: bool = True) -> str:
    """A process model: what it holds, its lean structure counts, and the diagram when the
    file has diagram coordinates."""
    check_lang(lang)
    from leanproc.report.diagram import diagram, has_diagram

    title = model.name or next((p.name for p in model.processes.values() if p.name), None)
    counts = {
        kpi_label("pools", lang): len(model.participants),
        kpi_label("lanes", lang): len(model.lanes),
        kpi_label("activities", lang): len(model.activities),
        kpi_label("gateways", lang): len(model.gateways),
        kpi_label("events", lang): len(model.events),
    }
    try:
        structure = model.structure().as_dict()
    except Exception:  # a display must not fail on a model the counts cannot read
        structure = {}
    for key in ("participants", "handoffs", "approvals", "client_actions", "paper_documents",
                "waste"):
        if key in structure:
            counts[kpi_label(key, lang)] = structure[key]
    table = pd.DataFrame(list(counts.items()), columns=[label("kpi", lang), label("value", lang)])
    picture = ""
    if figure and has_diagram(model):
        picture = _img(diagram(model, lang=lang, width=11.0), dpi=90)
    head = f"{model.source}" + (f" — {title}" if title else "")
    return (f"<div style='{_STYLE}'><p><b>{_e(head)}</b></p>"
            f"<div style='display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start'>"
            f"<div>{table_html(table)}</div><div style='max-width:760px'>{picture}</div></div>"
            "</div>")
