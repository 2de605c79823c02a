"""KPIs as workbook tables: flat KPI values as typed cells, and the sheets of a `KPIReport`.

The cell rules (seconds as hours, fractions as percent, roubles as money, counts as whole
numbers) are shared by every object that writes KPIs to Excel — a KPI report, a simulation
result, replications, a comparison — so a lead time reads in hours everywhere. The workbook
itself is written by `leanproc._workbook`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc._labels import check_lang, kpi_label, kpi_labels, label, unit_label
from leanproc._workbook import Cell, Column, Table, parameters_table, write_workbook
from leanproc.kpi.display import display_value
from leanproc.kpi.report import unit_of

if TYPE_CHECKING:
    import pandas as pd

    from leanproc.kpi.report import KPIReport

__all__ = ["kpi_cell", "kpi_row_label", "kpi_tables", "summary_table", "values_table",
           "write_kpi_report"]

_HOUR = 3600.0
_COUNTS = ("cases", "cases_finished", "cases_unfinished")


def kpi_cell(key: str, value: float, *, counts: Iterable[str] = ()) -> tuple[Cell, str]:
    """A flat KPI value (internal unit) as a typed cell, and the unit for its label.

    Seconds become hours, fractions stay fractions under a percent format, roubles get the
    money format; the case counts, per-activity counts and the names in `counts` (e.g. the lean
    structure counts) are whole numbers when they are whole (a mean over replications may not
    be).
    """
    shown, unit = display_value(key, value)
    if unit == "%":
        return Cell(value, "percent"), unit  # Excel's % format multiplies by 100 itself
    if unit == "h":
        return Cell(shown, "hours"), unit
    if unit == "₽":
        return Cell(shown, "money"), unit
    is_count = key in _COUNTS or key in set(counts) or unit_of(key) == "count"
    if is_count and float(shown).is_integer():  # a mean over replications may not be whole
        return Cell(shown, "integer"), ""
    return Cell(shown, "number"), unit


def kpi_row_label(key: str, unit: str, lang: str, words: str | None = None) -> str:
    """The KPI in words with its unit, for a row of mixed quantities: ``ВПП, среднее, ч``.

    `words` overrides the KPI's own label (a table's `kpi_labels`, which mark clock rows
    "(clock)" beside working ones)."""
    words = kpi_label(key, lang) if words is None else words
    shown = unit_label(unit, lang)
    # some labels name their unit already ("Окно наблюдения, дней")
    return f"{words}, {shown}" if shown and not words.endswith(shown) else words


def values_table(values: Mapping[str, float], lang: str, *, title: str | None = None,
                 counts: Iterable[str] = ()) -> Table:
    """One row per KPI: the KPI in words with its unit, the value, the flat name."""
    counts = tuple(counts)
    rows = []
    for (key, value), words in zip(values.items(), kpi_labels(values, lang), strict=True):
        cell, unit = kpi_cell(key, value, counts=counts)
        rows.append([kpi_row_label(key, unit, lang, words), cell, key])
    return Table(title or label("kpis", lang),
                 [Column(label("kpi", lang)), Column(label("value", lang)),
                  Column(label("kpi_key", lang))], rows)


def summary_table(summary: pd.DataFrame, lang: str, *, title: str | None = None) -> Table:
    """KPI means over replications with their 95 % CIs (`Replications.summary`): one row per
    KPI, each bound in the KPI's own format."""
    rows = []
    for key, r in summary.iterrows():
        key = str(key)
        cell, unit = kpi_cell(key, float(r["mean"]))
        low, _ = kpi_cell(key, float(r["ci_low"]))
        high, _ = kpi_cell(key, float(r["ci_high"]))
        rows.append([kpi_row_label(key, unit, lang), cell, low, high, int(r["n"]), key])
    columns = [Column(label("kpi", lang)), Column(label("mean", lang)),
               Column(label("ci_low", lang)), Column(label("ci_high", lang)),
               Column(label("n_values", lang), "integer"), Column(label("kpi_key", lang))]
    return Table(title or label("kpis", lang), columns, rows)


def _hours_header(key: str, lang: str) -> str:
    return f"{kpi_label(key, lang)}, {unit_label('h', lang)}"


def activity_table(per_activity: pd.DataFrame, lang: str) -> Table:
    """The per-activity table of a KPI report (times in hours, the case share in percent)."""
    # (column of per_activity, flat name for its label, kind); seconds become hours
    layout = [("count", "count", "integer"),
              ("waiting_mean", "waiting.mean", "hours"),
              ("waiting_median", "waiting.median", "hours"),
              ("processing_mean", "processing.mean", "hours"),
              ("processing_total", "processing.total", "hours"),
              ("processing_working_mean", "processing_working.mean", "hours"),
              ("processing_working_total", "processing_working.total", "hours"),
              ("case_share", "case_share", "percent")]
    present = [(c, k, kind) for c, k, kind in layout if c in per_activity.columns]
    columns = [Column(label("activity", lang))]
    for _, key, kind in present:
        if kind == "hours":
            columns.append(Column(_hours_header(key, lang), kind))
        elif kind == "percent":
            columns.append(Column(f"{label('share_of_cases', lang)}, %", kind))
        else:
            columns.append(Column(label("instances", lang), kind))
    rows = []
    for record in per_activity.to_dict("records"):
        row: list[Any] = [str(record["activity"])]
        for column, _, kind in present:
            value = record[column]
            row.append(value / _HOUR if kind == "hours" else value)
        rows.append(row)
    return Table(label("per_activity", lang), columns, rows)


def utilisation_table(detail: pd.DataFrame, lang: str) -> Table:
    """Per role: units, busy and available hours, utilisation (percent), calendar."""
    h = unit_label("h", lang)
    words = {"en": ("Units", "Busy", "Available"), "ru": ("Единиц", "Занято", "Доступно")}
    units, busy, available = words[lang]
    columns = [Column(label("pool", lang)), Column(units, "integer"),
               Column(f"{busy}, {h}", "hours"), Column(f"{available}, {h}", "hours"),
               Column(f"{label('utilisation', lang)}, %", "percent"),
               Column(label("calendar", lang))]
    rows = [[str(r["role"]), r["capacity"], r["busy"] / _HOUR, r["available"] / _HOUR,
             r["utilisation"], r.get("calendar")]
            for r in detail.to_dict("records")]
    return Table(label("utilisation_title", lang), columns, rows)


def kpi_tables(report: Any, lang: str) -> list[Table]:
    """The sheets of one run's or one log's KPIs: the KPI values, per activity, utilisation
    (the last two when the report has them)."""
    tables = [values_table(report.as_dict(activities=False) if _takes_activities(report)
                           else _without_activities(report.as_dict()), lang)]
    per_activity = getattr(report, "per_activity", None)
    if per_activity is not None and "activity" in per_activity.columns and len(per_activity):
        tables.append(activity_table(per_activity, lang))
    detail = getattr(report, "utilisation_detail", None)
    if detail is not None and len(detail):
        tables.append(utilisation_table(detail, lang))
    return tables


def _takes_activities(report: Any) -> bool:
    return hasattr(report, "utilisation_detail")  # a KPIReport; a stream summary has no option


def _without_activities(values: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if not k.startswith("activity.")}


def write_kpi_report(report: KPIReport, path: str | os.PathLike[str], lang: str, *,
                     parameters: Mapping[str, Any] | None = None) -> Path:
    """`KPIReport.to_excel`: its KPI sheets and a parameters sheet (calendar, window)."""
    check_lang(lang)
    start, end = report.window
    items = [("values_are", label("basis_log", lang)), *(parameters or {}).items(),
             ("calendar", report.calendar or "24x7"),
             ("window_start", start), ("window_end", end)]
    return write_workbook(path, [*kpi_tables(report, lang), parameters_table(items, lang)])
