"""An `OptimizationResult` as an Excel workbook (`OptimizationResult.to_excel`).

Sheets: every candidate evaluated (the decisions, each KPI's mean with its 95 % interval, the
verdict, replications, the highest pool load, why it was cut), the Pareto front, the best
candidate with what is claimed about it, and the parameters. Times are in hours, shares
fractions shown as per cent, money in roubles: numbers stay numbers
(`leanproc._workbook`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc._labels import check_lang, note_text
from leanproc._workbook import Column, Table, parameters_table, write_workbook
from leanproc.optimization.view import word
from leanproc.targets.spec import unit_of

if TYPE_CHECKING:
    from leanproc.optimization.result import OptimizationResult

__all__ = ["write_optimization"]

_HOUR = 3600.0
# a KPI's unit (`unit_of`) -> the cell kind and the factor from the table's value
_KINDS = {"time": ("hours", 1 / _HOUR), "share": ("percent", 1.0), "money": ("money", 1.0),
          "hours": ("hours", 1.0)}


def _kind(kpi: str) -> tuple[str, float]:
    try:
        return _KINDS.get(unit_of(kpi), ("number", 1.0))
    except Exception:  # a KPI outside the target vocabulary: a plain number
        return ("number", 1.0)


def _title(kpi: str, suffix: str, lang: str) -> str:
    unit = {"hours": ", ч" if lang == "ru" else ", h", "money": ", ₽"}.get(_kind(kpi)[0], "")
    return f"{kpi}{suffix}{unit}"


def _frame_sheet(result: OptimizationResult, frame: pd.DataFrame, title: str, lang: str,
                 *, target: bool = False) -> Table:
    kpis = list(dict.fromkeys([result.objective, *(t.measured for t in result.targets)]))
    columns = [Column(word("target", lang))] if target else []
    columns += [Column(d, "text") for d in result.decisions]
    for kpi in kpis:
        kind = _kind(kpi)[0]
        columns += [Column(_title(kpi, "", lang), kind),
                    Column(_title(kpi, f", {word('ci_low', lang)}", lang), kind),
                    Column(_title(kpi, f", {word('ci_high', lang)}", lang), kind)]
    columns += [Column(word("verdict", lang)), Column(word("runs", lang), "integer"),
                Column(word("max_load", lang), "percent"), Column(word("cut", lang)),
                Column(word("rank", lang))]
    rows = []
    for _, r in frame.iterrows():
        row: list[Any] = [r["target"]] if target else []
        row += [_plain(r[d]) for d in result.decisions]
        for kpi in kpis:
            factor = _kind(kpi)[1]
            row += [_scaled(r[k], factor) for k in (kpi, f"{kpi}.ci_low", f"{kpi}.ci_high")]
        row += [word(r["verdict"], lang), int(r["replications"]), _scaled(r["max_load"], 1.0),
                r["cut"], r["rank"]]
        rows.append(row)
    return Table(title, columns, rows)


def _plain(value: Any) -> Any:
    """A decision value as a cell: numbers stay numbers, anything else its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _scaled(value: Any, factor: float) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x * factor


def _best_sheet(result: OptimizationResult, lang: str) -> Table:
    rows: list[list[Any]] = []
    if result.best is None:
        rows.append([word("none", lang), ""])
    else:
        rows += [[k, _plain(v)] for k, v in result.best.items()]
    rows += [[word("claims", lang), note_text(s, lang)] for s in result.statements]
    rows += [["", note_text(n, lang)] for n in result.notes]
    return Table(word("best", lang), [Column(word("decision", lang)),
                                      Column(word("value", lang))], rows)


def write_optimization(result: OptimizationResult, path: str | os.PathLike[str],
                       lang: str = "en", *, parameters: Mapping[str, Any] | None = None) -> Path:
    """`OptimizationResult.to_excel`: candidates, front, best, parameters."""
    check_lang(lang)
    tables = [_frame_sheet(result, result.table(), word("candidates", lang), lang),
              _frame_sheet(result, result.front, word("front", lang), lang, target=True),
              _best_sheet(result, lang)]
    items = [*(parameters or {}).items(),
             (word("objective", lang), result.objective),
             (word("target", lang), "; ".join(t.text for t in result.targets)),
             (word("method", lang), word(result.method, lang)),
             (word("runs_total", lang), result.runs),
             ("seed", result.seed),
             (word("confidence", lang), result.confidence)]
    tables.append(parameters_table(items, lang))
    return write_workbook(path, tables)
