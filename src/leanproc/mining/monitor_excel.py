"""A `MonitorReport` as an Excel workbook (`MonitorReport.to_excel`).

Sheets: the periods (start, cases, the KPI in hours / per cent / roubles, the flagged rules),
before / after with the 95 % intervals and the relative change, the signals of the control
chart, the verdicts against the projection and targets (when given) and the parameters (KPI,
period, change point, the chart's centre and limits). Numbers stay numbers, in the formats of
`leanproc._workbook`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc._labels import check_lang, kpi_label, label, unit_label
from leanproc._workbook import Cell, Column, Table, parameters_table, write_workbook
from leanproc.mining.monitor_display import (
    comparison_rows,
    freq_text,
    is_duration,
    kpi_scale,
    target_text,
    validation_rows,
    verdict_text,
)

if TYPE_CHECKING:
    from leanproc.mining.monitor_report import MonitorReport

__all__ = ["write_monitor"]

# the display unit of a value -> the cell kind that formats it
_KINDS = {"h": "hours", "₽": "money"}


def _kind(unit: str) -> str:
    return _KINDS.get(unit, "number")


def _titled(words: str, unit: str, lang: str) -> str:
    shown = unit_label(unit, lang)
    return f"{words}, {shown}" if shown else words


def periods_sheet(report: MonitorReport, lang: str) -> Table:
    """One row per period: start, cases, the charted value (and the median of a duration),
    the control chart's flags."""
    factor, unit = kpi_scale(report.kpi)
    share = unit == "%"
    # Excel's percent format multiplies by 100 itself: a share stays a fraction
    scale, kind = (1.0, "percent") if share else (factor, _kind(unit))
    words = label("mean", lang) if is_duration(report.kpi) else kpi_label(report.kpi, lang)
    median = is_duration(report.kpi) and "median" in report.periods.columns
    columns = [
        Column(label("view.monitor.period", lang), "date"),
        Column(label("view.monitor.cases", lang), "integer"),
        Column(words if share else _titled(words, unit, lang), kind),
    ]
    if median:
        columns.append(Column(_titled(label("view.monitor.median", lang), unit, lang), kind))
    columns.append(Column(label("view.monitor.signal", lang)))
    signals = report.chart.signals
    rules: dict[pd.Timestamp, list[str]] = {}
    for r in signals.to_dict("records") if len(signals) else []:
        rules.setdefault(pd.Timestamp(r["period"]), []).append(str(r["rule"]))
    rows = []
    for r in report.periods.sort_values("period").to_dict("records"):
        row: list[Any] = [pd.Timestamp(r["period"]), r["cases"], float(r["value"]) * scale]
        if median:
            row.append(float(r["median"]) * scale)
        row.append(", ".join(rules.get(pd.Timestamp(r["period"]), [])))
        rows.append(row)
    return Table(label("view.monitor.periods", lang), columns, rows)


def comparison_sheet(report: MonitorReport, lang: str) -> Table:
    """Before / after of each KPI compared, with the 95 % intervals and the change."""
    columns = [
        Column(label("kpi", lang)),
        Column(label("before", lang)),
        Column(f"{label('before', lang)}: {label('ci_low', lang)}"),
        Column(f"{label('before', lang)}: {label('ci_high', lang)}"),
        Column(label("after", lang)),
        Column(f"{label('after', lang)}: {label('ci_low', lang)}"),
        Column(f"{label('after', lang)}: {label('ci_high', lang)}"),
        Column(label("view.monitor.relative", lang), "percent"),
        Column(label("kpi_key", lang)),
    ]
    rows = []
    for r in comparison_rows(report):
        share = r["unit"] == "%"
        kind = "percent" if share else _kind(r["unit"])

        def cell(value: float | None, share: bool = share, kind: str = kind) -> Cell:
            # a share is shown in per cent by the views; Excel's % format wants the fraction
            return Cell(None if value is None else value / 100.0 if share else value, kind)

        rows.append(
            [
                _titled(kpi_label(r["kpi"], lang), "" if share else r["unit"], lang),
                cell(r["before"]),
                cell(r["before_low"]),
                cell(r["before_high"]),
                cell(r["after"]),
                cell(r["after_low"]),
                cell(r["after_high"]),
                r["relative_change"],
                r["kpi"],
            ]
        )
    return Table(label("view.monitor.comparison", lang), columns, rows)


def signals_sheet(report: MonitorReport, lang: str) -> Table:
    """The periods the run rules flag, with the rule and its description."""
    columns = [
        Column(label("view.monitor.period", lang), "date"),
        Column(label("view.monitor.signal", lang)),
        Column(label("notes", lang)),
    ]
    signals = report.chart.signals
    rows = [
        [pd.Timestamp(r["period"]), str(r["rule"]), str(r.get("description", ""))]
        for r in (signals.to_dict("records") if len(signals) else [])
    ]
    return Table(label("view.monitor.signals", lang), columns, rows)


def validation_sheet(report: MonitorReport, lang: str) -> Table | None:
    """The after-period against the projection and targets, when either was given."""
    records = validation_rows(report)
    if not records:
        return None
    columns = [
        Column(label("kpi", lang)),
        Column(label("view.monitor.projected", lang)),
        Column(label("view.monitor.actual", lang)),
        Column(label("target", lang)),
        Column(label("verdict", lang)),
    ]
    rows = []
    for r in records:
        share = r["unit"] == "%"
        kind = "percent" if share else _kind(r["unit"])
        scale = 0.01 if share else 1.0
        rows.append(
            [
                _titled(kpi_label(r["kpi"], lang), "" if share else r["unit"], lang),
                Cell(None if r["projected"] is None else r["projected"] * scale, kind),
                Cell(None if r["actual"] is None else r["actual"] * scale, kind),
                target_text(r["target"], lang),
                verdict_text(r["verdict"], lang),
            ]
        )
    return Table(label("view.monitor.validation", lang), columns, rows)


def monitor_parameters(report: MonitorReport, lang: str) -> list[tuple[str, Any]]:
    """What the workbook's numbers are: the KPI, the period, the change and the chart."""
    factor, unit = kpi_scale(report.kpi)
    u = f" {unit_label(unit, lang)}" if unit else ""
    chart, change = report.chart, report.change
    items: list[tuple[str, Any]] = [
        ("view.monitor.kpi_monitored", kpi_label(report.kpi, lang)),
        ("view.monitor.freq", freq_text(report.freq, lang)),
        ("calendar", report.calendar),
        ("values_are", label("basis_log", lang)),
        ("view.monitor.baseline", f"{chart.baseline[0]:%Y-%m-%d} .. {chart.baseline[1]:%Y-%m-%d}"),
        ("view.monitor.centre", f"{chart.centre * factor:.4g}{u}"),
        ("view.monitor.lower", f"{chart.lower * factor:.4g}{u}"),
        ("view.monitor.upper", f"{chart.upper * factor:.4g}{u}"),
        ("view.monitor.mr", f"{chart.moving_range_mean * factor:.4g}{u}"),
    ]
    if change is None:
        items.append(("view.monitor.change", label("view.monitor.no_change", lang)))
    else:
        items += [
            ("view.monitor.change", change.at.to_pydatetime()),
            ("view.monitor.change_method", change.method),
            ("view.monitor.p_value", "" if change.p_value is None else f"{change.p_value:.3g}"),
        ]
    met = report.targets_met
    if met is not None:
        items.append(
            (
                "view.monitor.targets_met",
                label("view.monitor.yes" if met else "view.monitor.no", lang),
            )
        )
    return items


def write_monitor(
    report: MonitorReport,
    path: str | os.PathLike[str],
    lang: str,
    *,
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """`MonitorReport.to_excel`: periods, before / after, signals, verdicts, parameters."""
    check_lang(lang)
    tables = [
        periods_sheet(report, lang),
        comparison_sheet(report, lang),
        signals_sheet(report, lang),
    ]
    validation = validation_sheet(report, lang)
    if validation is not None:
        tables.append(validation)
    items = [*(parameters or {}).items(), *monitor_parameters(report, lang)]
    tables.append(parameters_table(items, lang))
    return write_workbook(path, tables)
