"""The post-monitoring section of the HTML report: one `MonitorReport` as a page section.

`monitor_section` adds the section to a `Report` (the control chart inlined, the change, before
/ after with intervals, the verdicts and the periods); `monitor_page` is what
``leanproc.report.html(monitor_report, ...)`` returns: a page holding that section alone.
The tables and words are the ones the report's own notebook view shows
(`leanproc.mining.monitor_display`), so the page and the notebook read alike.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from leanproc._display import escape
from leanproc._display import table_html as rows_html
from leanproc.mining.monitor_display import (
    change_text,
    chart_text,
    comparison_html,
    head_text,
    period_columns,
    period_rows,
    validation_html,
)
from leanproc.report.labels import check_lang, label

if TYPE_CHECKING:
    from leanproc.mining.monitor_report import MonitorReport
    from leanproc.report.html import Report

__all__ = ["is_monitor_report", "monitor_page", "monitor_section"]


def is_monitor_report(subject: object) -> bool:
    """Whether `subject` is a `MonitorReport` (what `report.html` takes as its subject)."""
    from leanproc.mining.monitor_report import MonitorReport

    return isinstance(subject, MonitorReport)


def monitor_section(
    report: Report,
    monitor: MonitorReport,
    *,
    heading: bool = True,
) -> Report:
    """Add the post-monitoring of `monitor` to `report`, in the report's language: the
    change, before / after, the verdicts, the control chart and the periods."""
    lang = report.lang
    if heading:
        report.heading(head_text(monitor, lang))
    report.paragraph(change_text(monitor, lang))
    met = monitor.targets_met
    if met is not None:
        cls = "met" if met else "not-met"
        words = label("view.monitor.targets_ok" if met else "view.monitor.targets_missed", lang)
        report.raw(
            f"<div class='cards'><div class='card {cls}'><div class='k'>"
            f"{escape(label('view.monitor.targets_met', lang))}</div><div class='v'>"
            f"{escape(words)}</div></div></div>"
        )
    report.raw(comparison_html(monitor, lang))
    report.raw(validation_html(monitor, lang))
    fig = monitor.plot(lang=lang)
    report.figure(
        fig, caption=f"{chart_text(monitor, lang)}. {label('view.monitor.chart_note', lang)}"
    )
    report.raw(
        rows_html(
            period_columns(monitor, lang),
            period_rows(monitor, lang),
            caption=label("view.monitor.periods", lang),
            lang=lang,
        )
    )
    report.add_notes(monitor.notes)
    return report


def monitor_page(
    monitor: MonitorReport,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
    dpi: int = 110,
    path: str | os.PathLike[str] | None = None,
) -> str:
    """The report page of one `MonitorReport`; written to `path` when given."""
    from leanproc.report.html import Report

    check_lang(lang)
    page = Report(title or head_text(monitor, lang), lang=lang, subtitle=subtitle, dpi=dpi)
    monitor_section(page, monitor, heading=False)
    return page.to_html(path)
