"""A comparison and an improvement ladder as Excel workbooks (`to_excel`).

The Было / Цель / Стало sheet holds the numbers of `Comparison.table` as numbers: each row in
its KPI's own format (hours, percent, roubles, whole counts), the target as a number Excel
shows with its operator (``≤ 24,00``), the verdict in words, the 95 % CIs in columns of their
own, and the savings line under the table. The ladder sheet holds `Ladder.waterfall`: each
measure's saving with its CI, its share of the total saving and the claimed figure.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc._labels import check_lang, kpi_label, kpi_labels, label, unit_label
from leanproc._workbook import Cell, Column, Table, basis_text, parameters_table, write_workbook
from leanproc.kpi.excel import kpi_cell, kpi_row_label
from leanproc.targets.evaluate import VERDICT_RU
from leanproc.targets.spec import STRUCTURAL

if TYPE_CHECKING:
    from leanproc.comparison.ladder import Ladder
    from leanproc.comparison.paired import Comparison

__all__ = ["bta_sheet", "ladder_sheet", "write_comparison", "write_ladder"]

_HOUR = 3600.0
_OP_SHOWN = {"<=": "≤ ", "<": "< ", ">=": "≥ ", ">": "> ", "==": "= ", "!=": "≠ "}




def _ci_title(what: str, bound: str, lang: str) -> str:
    return f"{label(what, lang)}: {label(bound, lang)}"


def bta_sheet(comparison: Comparison, lang: str) -> Table:
    """Было / Цель / Стало: the rows of `Comparison.table` with typed cells and verdicts."""
    table = comparison.table(lang="en")
    outcomes = ({o.target.measured: o for o in comparison.target_report()}
                if comparison.targets else {})
    rows: list[list[Any]] = []
    records = table.to_dict("records") if not table.empty else []
    words_of = dict(zip(table["kpi"], kpi_labels(table["kpi"], lang), strict=True)) \
        if records else {}
    for r in records:
        key = str(r["kpi"])

        def cell(value: float, key: str = key) -> Cell:
            return kpi_cell(key, value, counts=STRUCTURAL)[0]

        # the internal values (seconds, shares, roubles): the sheet formats them itself
        before, after = comparison.side(key, "before"), comparison.side(key, "after")
        change = comparison.change(key)
        unit = kpi_cell(key, before.mean, counts=STRUCTURAL)[1]
        outcome = outcomes.get(key)
        target: Any = None
        if outcome is not None:
            bound = cell(outcome.target.bound)
            target = Cell(bound.value, bound.kind, _OP_SHOWN.get(outcome.target.op, ""))
        verdict = str(r["verdict"])
        rows.append([
            kpi_row_label(key, unit, lang, words_of[key]), cell(before.mean), target,
            cell(after.mean), cell(change.mean),
            Cell(comparison.relative_change(key).mean, "percent"),
            VERDICT_RU.get(verdict, verdict) if lang == "ru" else verdict,
            cell(before.low), cell(before.high), cell(after.low), cell(after.high),
            cell(change.low), cell(change.high), key,
        ])
    columns = [Column(label("kpi", lang)), Column(label("before", lang)),
               Column(label("target", lang)), Column(label("after", lang)),
               Column(label("change", lang)), Column(f"{label('change', lang)}, %", "percent"),
               Column(label("verdict", lang))]
    for what in ("before", "after", "change"):
        columns += [Column(_ci_title(what, "ci_low", lang)),
                    Column(_ci_title(what, "ci_high", lang))]
    columns.append(Column(label("kpi_key", lang)))
    return Table(label("bta_sheet", lang), columns, rows, footer=_savings(comparison, lang))


def _savings(comparison: Comparison, lang: str) -> list[list[Any]]:
    """The savings line: money, labour and FTE with their 95 % CIs (rows with no value left
    out, e.g. the yearly figures without a volume)."""
    lines = [("saving_case", comparison.saving_per_case(), "money"),
             ("saving_year", comparison.yearly_saving(), "money"),
             ("labour_year", comparison.labour_hours_saved_per_year(), "hours"),
             ("fte", comparison.fte_freed(), "number")]
    rows: list[list[Any]] = [[label("savings", lang), label("mean", lang),
                              label("ci_low", lang), label("ci_high", lang)]]
    for key, iv, kind in lines:
        if not math.isnan(iv.mean):
            rows.append([label(f"xlsx.comparison.{key}", lang), Cell(iv.mean, kind),
                         Cell(iv.low, kind), Cell(iv.high, kind)])
    return rows if len(rows) > 1 else []


def comparison_parameters(comparison: Comparison, lang: str, *, sides: bool = True,
                          ) -> list[tuple[str, Any]]:
    """What the numbers of a comparison are: the scenarios of both sides (with `sides`), seeds,
    replications, pairing, calendar, volume."""
    n = len(comparison.before_values)
    items: list[tuple[str, Any]] = []
    named = zip(comparison.names, (comparison.before, comparison.after), strict=True)
    for name, side in named if sides else ():
        title = side[0].bound.scenario.name if side else None
        key = {"AS-IS": "as_is", "TO-BE": "to_be"}.get(name)
        items.append((f"{label(key, lang) if key else name}: {label('scenario_name', lang)}",
                      title or name))
    seeds = {s for s in comparison.seeds if s is not None}
    items += [("random_seed", ", ".join(str(s) for s in comparison.seeds)
               if len(seeds) > 1 else next(iter(seeds), None)),
              ("replications_count", n), ("values_are", basis_text(n, lang)),
              (label("xlsx.comparison.pairing", lang),
               label(f"xlsx.comparison.{'paired' if comparison.paired else 'unpaired'}", lang))]
    cal = comparison.after[0].bound.calendar if comparison.after else None
    if comparison.after:
        items.append(("calendar", cal.name if cal is not None else "24x7"))
    if comparison.volume_per_year:
        items.append((label("xlsx.comparison.volume", lang), comparison.volume_per_year))
    return items


def write_comparison(comparison: Comparison, path: str | os.PathLike[str], lang: str, *,
                     parameters: Mapping[str, Any] | None = None) -> Path:
    """`Comparison.to_excel`: Было / Цель / Стало with the savings line, and the parameters."""
    check_lang(lang)
    items = [*(parameters or {}).items(), *comparison_parameters(comparison, lang)]
    return write_workbook(path, [bta_sheet(comparison, lang), parameters_table(items, lang)])


# ----------------------------------------------------------------------------- the ladder
def ladder_sheet(ladder: Ladder, lang: str) -> Table:
    """`Ladder.waterfall` with the AS-IS level first and the total last."""
    lead = ladder.lead_time_kpi
    kpis = [lead, "cost.per_case"]
    table = ladder.waterfall(kpis)
    present = [k for k in kpis if f"{k}.saving" in table.columns]
    columns = [Column(label("xlsx.comparison.step", lang), "integer"),
               Column(label("xlsx.comparison.improvement", lang))]
    kinds: dict[str, str] = {}
    for kpi in present:
        cell, unit = kpi_cell(kpi, 0.0)
        kinds[kpi] = cell.kind
        shown = f", {unit_label(unit, lang)}" if unit else ""
        words = kpi_label(kpi, lang)
        after_step = label("xlsx.comparison.after_step", lang)
        columns += [Column(f"{words}: {after_step}{shown}", cell.kind),
                    Column(f"{words}: {label('xlsx.comparison.saving', lang)}{shown}", cell.kind),
                    Column(f"{label('ci_low', lang)}{shown}", cell.kind),
                    Column(f"{label('ci_high', lang)}{shown}", cell.kind),
                    Column(f"{words}: {label('xlsx.comparison.share', lang)}", "percent")]
    claimed = "claimed_lead_time_saved_h" in table.columns
    if claimed:
        columns.append(Column(label("xlsx.comparison.claimed", lang), "hours"))

    def scale(kpi: str) -> float:  # waterfall() gives times in hours; levels are in seconds
        return _HOUR if kinds[kpi] == "hours" else 1.0

    start: list[Any] = [0, label("start", lang)]
    for kpi in present:
        start += [ladder.level(0, kpi) / scale(kpi), None, None, None, None]
    rows: list[list[Any]] = [start]
    for r in table.to_dict("records"):
        row: list[Any] = [r["step"], r["improvement"]]
        for kpi in present:
            row += [r[f"{kpi}.after"], r[f"{kpi}.saving"], r[f"{kpi}.saving_low"],
                    r[f"{kpi}.saving_high"], r[f"{kpi}.share"]]
        if claimed:
            row.append(r.get("claimed_lead_time_saved_h"))
        rows.append(row)
    last = len(ladder.improvements)
    total: list[Any] = [None, label("end", lang)]
    for kpi in present:
        s = ladder.total_saving(kpi)
        total += [ladder.level(last, kpi) / scale(kpi), s.mean / scale(kpi),
                  s.low / scale(kpi), s.high / scale(kpi), 1.0 if s.mean else None]
    rows.append(total)
    return Table(label("waterfall", lang), columns, rows)


def write_ladder(ladder: Ladder, path: str | os.PathLike[str], lang: str, *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
    """`Ladder.to_excel`: the ladder, Было / Цель / Стало of AS-IS against the last step, and
    the parameters."""
    check_lang(lang)
    items = [*(parameters or {}).items(),
             (label("xlsx.comparison.improvements", lang), len(ladder.improvements)),
             # the last step is the AS-IS scenario patched, under the AS-IS name: not shown
             *comparison_parameters(ladder.comparison, lang, sides=False)]
    return write_workbook(path, [ladder_sheet(ladder, lang), bta_sheet(ladder.comparison, lang),
                                 parameters_table(items, lang)])
