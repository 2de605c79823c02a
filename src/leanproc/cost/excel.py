"""The process calculator as an Excel workbook (`CostReport.to_excel`).

Sheets: the ФСА table in the Business Studio layout (activity × resource, with the total row),
ФСА by activity, ФСА by role (pool), the headline figures, and the parameters. Money is in
roubles with the ₽ format, hours in hours, shares in percent, counts whole; every value is a
number Excel can sum, not text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc._labels import check_lang, label
from leanproc._workbook import Cell, Column, Table, parameters_table, write_workbook

if TYPE_CHECKING:
    from leanproc.cost.report import CostReport

__all__ = ["cost_tables", "write_cost_report"]


# the headline figures: (flat name of `CostReport.as_dict`, kind); their words are
# ``xlsx.cost.summary.<name>`` in `leanproc._view_words`
_HEADLINE = (
    ("cost.per_case", "money"),
    ("cost.per_case.ci_low", "money"),
    ("cost.per_case.ci_high", "money"),
    ("cost.per_case.median", "money"),
    ("cost.per_case.p90", "money"),
    ("cost.time_based.per_case", "money"),
    ("cost.per_execution.per_case", "money"),
    ("cost.fixed.per_case", "money"),
    ("cost.total", "money"),
    ("cost.per_year", "money"),
    ("cost.unused_capacity", "money"),
    ("labour_hours.per_case", "hours"),
    ("labour_hours.per_year", "hours"),
    ("fte", "number"),
    ("volume.per_year", "number"),
)


def fsa_sheet(report: CostReport, lang: str) -> Table:
    """The ФСА table (`CostReport.fsa_table`): money to the kopeck, as numbers."""
    table = report.fsa_table(lang=lang)
    kinds = ("text", "text", "text", "money", "number", "text", "money", "integer", "money")
    keys = ("activity", "resource", "kind", "unit_cost", "quantity", "unit",
            "cost_per_execution", "executions", "cost")
    columns = [Column(label(f"xlsx.cost.{k}", lang), kind)
               for k, kind in zip(keys, kinds, strict=True)]
    rows = [list(r) for r in table.itertuples(index=False)]
    return Table(label("fsa", lang), columns, rows)


def by_activity_sheet(report: CostReport, lang: str) -> Table:
    layout = (("activity", "text"), ("executions", "integer"), ("hours", "hours"),
              ("time_cost", "money"), ("use_cost", "money"), ("execution_cost", "money"),
              ("cost", "money"), ("per_case", "money"), ("share", "percent"))
    table = report.by_activity()
    columns = [Column(label(f"xlsx.cost.{k}", lang), kind) for k, kind in layout]
    rows = [[r[k] for k, _ in layout] for r in table.to_dict("records")]
    return Table(label("fsa_by_activity", lang), columns, rows)


def by_role_sheet(report: CostReport, lang: str) -> Table:
    layout = (("pool", "text"), ("executions", "integer"), ("hours", "hours"),
              ("hours_per_case", "hours"), ("rate_per_hour", "money"), ("time_cost", "money"),
              ("use_cost", "money"), ("cost", "money"))
    table = report.by_pool()
    columns = [Column(label(f"xlsx.cost.{k}", lang), kind) for k, kind in layout]
    rows = [[r[k] for k, _ in layout] for r in table.to_dict("records")]
    return Table(label("fsa_by_role", lang), columns, rows)


def summary_sheet(report: CostReport, lang: str) -> Table:
    """The headline figures, one per row, each in its own format."""
    values = report.as_dict()
    rows: list[list[Any]] = [[label("cases", lang), Cell(report.cases, "integer")]]
    for key, kind in _HEADLINE:
        rows.append([label(f"xlsx.cost.summary.{key}", lang), Cell(values.get(key), kind)])
    columns = [Column(label("xlsx.cost.figure", lang)), Column(label("xlsx.cost.value", lang))]
    return Table(label("xlsx.cost.summary", lang), columns, rows)


def cost_tables(report: CostReport, lang: str) -> list[Table]:
    """The cost sheets of one report (ФСА, by activity, by role, summary)."""
    return [fsa_sheet(report, lang), by_activity_sheet(report, lang),
            by_role_sheet(report, lang), summary_sheet(report, lang)]


def write_cost_report(report: CostReport, path: str | os.PathLike[str], lang: str, *,
                      parameters: Mapping[str, Any] | None = None) -> Path:
    """`CostReport.to_excel`: the cost sheets and a parameters sheet."""
    check_lang(lang)
    start, end = report.window
    items = [*(parameters or {}).items(), ("values_are", label("basis_log", lang)),
             ("window_start", start), ("window_end", end)]
    return write_workbook(path, [*cost_tables(report, lang), parameters_table(items, lang)])
