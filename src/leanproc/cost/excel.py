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

# header words (English, Russian); a unit after the comma
_WORDS: dict[str, tuple[str, str]] = {
    "activity": ("Activity", "Действие"),
    "resource": ("Resource", "Ресурс"),
    "kind": ("Resource kind", "Тип ресурса"),
    "unit_cost": ("Unit cost, ₽", "Стоимость единицы ресурса, ₽"),
    "quantity": ("Quantity per execution", "Количество на одно выполнение"),
    "unit": ("Unit", "Ед. изм."),
    "cost_per_execution": ("Cost of one execution, ₽", "Стоимость одного выполнения, ₽"),
    "executions": ("Executions", "Количество выполнений"),
    "cost": ("Cost, ₽", "Стоимость, ₽"),
    "hours": ("Hours, h", "Часы, ч"),
    "time_cost": ("Time-based cost, ₽", "Повременные затраты, ₽"),
    "use_cost": ("Per-use cost, ₽", "Затраты за использование, ₽"),
    "execution_cost": ("Per-execution cost, ₽", "Поштучные затраты, ₽"),
    "per_case": ("Cost per case, ₽", "Стоимость на одно обращение, ₽"),
    "share": ("Share of process cost, %", "Доля в стоимости процесса, %"),
    "pool": ("Role (pool)", "Роль (участник)"),
    "rate_per_hour": ("Rate, ₽/h", "Ставка, ₽/ч"),
    "hours_per_case": ("Hours per case, h", "Часов на одно обращение, ч"),
    "summary": ("Summary", "Итоги"),
    "figure": ("Figure", "Показатель"),
    "value": ("Value", "Значение"),
}

# the headline figures: (flat name of `CostReport.as_dict`, kind, English, Russian)
_HEADLINE = (
    ("cost.per_case", "money", "Cost per case, ₽", "Стоимость процесса на одно обращение, ₽"),
    ("cost.per_case.ci_low", "money", "Cost per case, 95 % CI low, ₽",
     "Стоимость на одно обращение, 95 % ДИ нижн., ₽"),
    ("cost.per_case.ci_high", "money", "Cost per case, 95 % CI high, ₽",
     "Стоимость на одно обращение, 95 % ДИ верхн., ₽"),
    ("cost.per_case.median", "money", "Cost per case, median, ₽",
     "Стоимость на одно обращение, медиана, ₽"),
    ("cost.per_case.p90", "money", "Cost per case, p90, ₽",
     "Стоимость на одно обращение, 90-й перцентиль, ₽"),
    ("cost.time_based.per_case", "money", "Time-based cost per case, ₽",
     "Повременные затраты на одно обращение, ₽"),
    ("cost.per_execution.per_case", "money", "Per-execution cost per case, ₽",
     "Поштучные затраты на одно обращение, ₽"),
    ("cost.fixed.per_case", "money", "Fixed cost per case, ₽",
     "Постоянные затраты на одно обращение, ₽"),
    ("cost.total", "money", "Cost of all cases, ₽", "Стоимость всех случаев, ₽"),
    ("cost.per_year", "money", "Cost per year, ₽", "Стоимость в год, ₽"),
    ("cost.unused_capacity", "money", "Unused capacity over the window, ₽",
     "Неиспользованная мощность за окно, ₽"),
    ("labour_hours.per_case", "hours", "Labour hours per case, h",
     "Трудозатраты на одно обращение, ч"),
    ("labour_hours.per_year", "hours", "Labour hours per year, h", "Трудозатраты в год, ч"),
    ("fte", "number", "FTE", "Штатные единицы"),
    ("volume.per_year", "number", "Cases per year", "Случаев в год"),
)


def _w(key: str, lang: str) -> str:
    return _WORDS[key][0 if lang == "en" else 1]


def fsa_sheet(report: CostReport, lang: str) -> Table:
    """The ФСА table (`CostReport.fsa_table`): money to the kopeck, as numbers."""
    table = report.fsa_table(lang=lang)
    kinds = ("text", "text", "text", "money", "number", "text", "money", "integer", "money")
    keys = ("activity", "resource", "kind", "unit_cost", "quantity", "unit",
            "cost_per_execution", "executions", "cost")
    columns = [Column(_w(k, lang), kind) for k, kind in zip(keys, kinds, strict=True)]
    rows = [list(r) for r in table.itertuples(index=False)]
    return Table(label("fsa", lang), columns, rows)


def by_activity_sheet(report: CostReport, lang: str) -> Table:
    layout = (("activity", "text"), ("executions", "integer"), ("hours", "hours"),
              ("time_cost", "money"), ("use_cost", "money"), ("execution_cost", "money"),
              ("cost", "money"), ("per_case", "money"), ("share", "percent"))
    table = report.by_activity()
    columns = [Column(_w(k, lang), kind) for k, kind in layout]
    rows = [[r[k] for k, _ in layout] for r in table.to_dict("records")]
    return Table(label("fsa_by_activity", lang), columns, rows)


def by_role_sheet(report: CostReport, lang: str) -> Table:
    layout = (("pool", "text"), ("executions", "integer"), ("hours", "hours"),
              ("hours_per_case", "hours"), ("rate_per_hour", "money"), ("time_cost", "money"),
              ("use_cost", "money"), ("cost", "money"))
    table = report.by_pool()
    columns = [Column(_w(k, lang), kind) for k, kind in layout]
    rows = [[r[k] for k, _ in layout] for r in table.to_dict("records")]
    return Table(label("fsa_by_role", lang), columns, rows)


def summary_sheet(report: CostReport, lang: str) -> Table:
    """The headline figures, one per row, each in its own format."""
    values = report.as_dict()
    rows: list[list[Any]] = [[label("cases", lang), Cell(report.cases, "integer")]]
    for key, kind, en, ru in _HEADLINE:
        rows.append([en if lang == "en" else ru, Cell(values.get(key), kind)])
    return Table(_w("summary", lang), [Column(_w("figure", lang)), Column(_w("value", lang))],
                 rows)


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
