"""How the KPIs of one event log show themselves in Jupyter.

`KPIReport.display(lang)` calls `kpi_report_html`: what was measured (one log, which window,
how many cases, working or clock time), the headline KPIs in hours and per cent, and the
per-activity times in hours. The HTML pieces come from `leanproc._display`, the words from
`leanproc._labels`, the units from `leanproc.kpi.display`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leanproc._display import STYLE, escape, fmt_number, table_html
from leanproc._labels import check_lang, kpi_labels, label, note_text, unit_label
from leanproc._view import view_div
from leanproc.kpi.display import DEFAULT_KPIS, display_value, flat_kpis

if TYPE_CHECKING:
    from leanproc.kpi.report import KPIReport

__all__ = ["kpi_report_html"]

_HOUR = 3600.0




def _ci_text(report: KPIReport, key: str, lang: str) -> str:
    """``low … high`` for a ``.mean`` time KPI with a batch-means interval, else empty."""
    if not key.endswith(".mean"):
        return ""
    summary = getattr(report, key.removesuffix(".mean"), None)
    low, high = getattr(summary, "ci_low", math.nan), getattr(summary, "ci_high", math.nan)
    if math.isnan(low) or math.isnan(high):
        return ""
    return f"{fmt_number(low / _HOUR, lang)} … {fmt_number(high / _HOUR, lang)}"


def kpi_report_html(report: KPIReport, *, lang: str = "en", top: int = 20) -> str:
    """The headline KPIs (value, unit, batch-means CI of time means) and per-activity times."""
    check_lang(lang)
    values = flat_kpis(report)
    keys = [k for k in DEFAULT_KPIS if k in values]
    keys += [k for k in values if k.startswith(("utilisation.", "sla_share("))]
    rows: list[tuple[Any, ...]] = []
    for key, words in zip(keys, kpi_labels(keys, lang), strict=True):
        shown, unit = display_value(key, values[key])
        rows.append((words, shown, unit_label(unit, lang), _ci_text(report, key, lang)))
    columns = [label("kpi", lang), label("value", lang), label("unit", lang),
               label("view.kpi.ci", lang)]
    if not any(row[-1] for row in rows):  # a log too short for batch means: no empty column
        columns, rows = columns[:-1], [row[:-1] for row in rows]
    table = table_html(columns, rows, lang=lang)
    start, end = report.window
    head = label("view.kpi.head", lang, start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}",
              cases=f"{report.cases:,}".replace(",", "\u202f"),
              finished=f"{report.cases_finished:,}".replace(",", "\u202f"))
    basis = (label("view.kpi.calendar", lang, cal=report.calendar) if report.calendar
             else label("view.kpi.clock", lang))
    h = unit_label("h", lang)
    activity = report.per_activity.head(top)
    working = "processing_working_mean" in activity.columns
    columns = [label("activity", lang), label("instances", lang),
               f"{label('view.kpi.waiting', lang)}, {h}",
               f"{label('view.kpi.processing', lang)}, {h}"]
    if working:
        columns.append(f"{label('view.kpi.processing_working', lang)}, {h}")
    columns.append(label("view.kpi.share", lang))
    activity_rows = []
    for r in activity.to_dict("records"):
        row = [r["activity"], r["count"], r["waiting_mean"] / _HOUR, r["processing_mean"] / _HOUR]
        if working:
            row.append(r["processing_working_mean"] / _HOUR)
        row.append(r["case_share"] * 100.0)
        activity_rows.append(row)
    per_activity = table_html(columns, activity_rows, caption=label("per_activity", lang),
                              lang=lang)
    notes = "".join(f"<li>{escape(note_text(n, lang))}</li>" for n in report.notes)
    notes_html = f"<p>{escape(label('notes', lang))}:</p><ul>{notes}</ul>" if notes else ""
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p>"
                    "<div style='display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start'>"
                    f"<div>{table}</div><div>{per_activity}</div></div>"
                    f"<p style='color:#666'>{escape(basis)}</p>{notes_html}")
