"""Excel event logs (``.xlsx``): one sheet read as a table, streaming, under a size limit.

1С, СЭД and ГИС exports often come as workbooks. The sheet is read in openpyxl's read-only
mode, row by row, so a big workbook is never held as cell objects. The first non-empty row
is the header; fully empty rows (formatting left below the data, spacer rows) are skipped,
and every error names the sheet's own row numbers.

Date cells arrive as ``datetime`` already. A column mixing date cells and text cells (a date
typed as text, common when exports are edited by hand) keeps its date cells as ISO text, so
that the whole column goes through the same timestamp rules as a CSV file (day-first
detection included).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from leanproc._names import did_you_mean
from leanproc.errors import LogError
from leanproc.eventlog._input import COLUMNS
from leanproc.eventlog._sources import Raw
from leanproc.limits import limit

XLSX_CELLS = limit("xlsx_cells")


def _sheet(workbook: Any, sheet: str | int | None, where: str) -> Any:
    names = list(workbook.sheetnames)
    if sheet is None:
        return workbook[names[0]]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return workbook[names[sheet]]
        raise LogError(f"sheet={sheet} is out of range: the workbook has {len(names)} "
                       f"sheet(s) ({', '.join(map(repr, names))}). Fix: pass an index from 0 "
                       f"to {len(names) - 1} or a sheet name.", source=where)
    if sheet in names:
        return workbook[sheet]
    raise LogError(f"the workbook has no sheet {sheet!r}"
                   f"{did_you_mean(str(sheet), names, n=1, owner='the workbook')}; sheets: "
                   f"{', '.join(map(repr, names))}. Fix: pass one of them as sheet=.",
                   source=where)


def _header(row: tuple[Any, ...]) -> list[str]:
    """Header cells as names; trailing empty cells (formatting) are not columns."""
    cells = list(row)
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()
    return ["" if c is None else str(c).strip() for c in cells]


def _column(values: list[Any]) -> pd.Series:
    """One column's cells as a Series: dates stay dates unless text cells share the column."""
    dated = any(isinstance(v, dt.datetime | dt.date) for v in values)
    texts = any(isinstance(v, str) for v in values)
    if dated and texts:
        values = [v.isoformat(sep=" ") if isinstance(v, dt.datetime)
                  else v.isoformat() if isinstance(v, dt.date) else v for v in values]
    elif dated:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
    if texts:  # blank text cells are gaps, like empty fields of a CSV file
        values = [None if isinstance(v, str) and v.strip() == "" else v for v in values]
    return pd.Series(values, dtype=object).infer_objects()


def read_xlsx(path: Path, sheet: str | int | None) -> Raw:
    """The sheet as a raw table; rows are named by their number in the sheet."""
    import openpyxl

    where = str(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise LogError(f"cannot read the Excel file: {type(exc).__name__}: {exc}. Fix: check "
                       "that it is a complete .xlsx workbook (old .xls files: save them as "
                       ".xlsx first).", source=where) from exc
    try:
        rows = _sheet(workbook, sheet, where).iter_rows(values_only=True)
        names: list[str] | None = None
        cells: list[list[Any]] = []
        numbers: list[int] = []
        for number, row in enumerate(rows, start=1):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue
            if names is None:
                names = _header(row)
                COLUMNS.check(len(names), LogError, source=where)
                width = max(len(names), 1)
                continue
            XLSX_CELLS.check((len(cells) + 1) * width, LogError, source=where)
            values = list(row[: len(names)])
            cells.append(values + [None] * (len(names) - len(values)))
            numbers.append(number)
    finally:
        workbook.close()
    if names is None:
        return Raw(pd.DataFrame(), "xlsx", where, "row ", 1)
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank:
        raise LogError(f"the header row leaves column(s) {blank} unnamed. Fix: name every "
                       "column in the header row.", source=where)
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise LogError(f"the header names column(s) {twice} twice. Fix: rename one of them.",
                       source=where)
    frame = pd.DataFrame({name: _column([r[j] for r in cells]) for j, name in enumerate(names)})
    if not cells:
        frame = pd.DataFrame(columns=names)
    return Raw(frame, "xlsx", where, "row ", 1,
               labels=pd.Index(numbers, dtype=object))
