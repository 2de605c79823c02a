"""Excel workbooks from plain tables: one sheet per table, real numbers with number formats.

A process office keeps its calculator, its ФСА and its Было / Цель / Стало tables in Excel, so
every result object of leanproc can write one (``.to_excel(path, lang="ru")``). This module is
the one writer they all use. It sits at the bottom of the package, next to `_display`: it
imports nothing from leanproc but the labels, the errors and `atomic_write`, so the KPI, cost,
simulation and comparison layers can each hand it their tables without importing the report
layer. openpyxl is imported only when a workbook is written.

A `Table` is a sheet: a title, typed `Column` s and rows of plain values. The column's kind
decides the number format; one cell may carry its own kind (`Cell`) when the rows of a column
hold different quantities (a KPI table: hours in one row, percent in the next). Numbers stay
numbers: Excel shows them with the reader's locale separators (``1 234,56 ₽`` in Russian),
sums them and charts them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from leanproc._labels import label
from leanproc.atomic import atomic_write
from leanproc.errors import LeanprocError

__all__ = ["FORMATS", "Cell", "Column", "Table", "basis_text", "parameters_table", "sheet_name",
           "write_workbook"]

# Excel number format codes: "," groups thousands and "." marks decimals in the code itself;
# Excel shows the reader's own separators ("1 234,56 ₽" under a Russian locale).
FORMATS: dict[str, str] = {
    "text": "General",
    "number": "#,##0.00##",
    "hours": "#,##0.00",
    "percent": "0.0%",   # the value is a fraction: 0.25 shows as 25,0 %
    "money": '#,##0.00 "₽"',
    "integer": "#,##0",
    "date": "yyyy-mm-dd hh:mm",
}

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_SHEET_NAME = 31  # Excel's limit
_MAX_WIDTH = 60  # characters; longer text wraps instead of widening the column
_HEADER_WIDTH = 28  # a header longer than this wraps onto more lines


@dataclass(frozen=True)
class Column:
    """A column: its header (unit included, e.g. ``ВПП, ч``) and the kind of its values."""

    title: str
    kind: str = "text"

    def __post_init__(self) -> None:
        _check_kind(self.kind)


@dataclass(frozen=True)
class Cell:
    """One value with its own kind, for a column whose rows hold different quantities.

    `prefix` is text Excel shows before the number without making it text (a target's
    ``≤``)."""

    value: Any
    kind: str
    prefix: str = ""

    def __post_init__(self) -> None:
        _check_kind(self.kind)


@dataclass(frozen=True)
class Table:
    """One sheet: `rows` under a frozen header row, and optional `footer` rows below a blank
    line (a savings line, a total written in words)."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    footer: Sequence[Sequence[Any]] = field(default_factory=tuple)


def _check_kind(kind: str) -> None:
    if kind not in FORMATS:
        raise ValueError(f"unknown cell kind {kind!r}; one of {', '.join(FORMATS)}")


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """`title` as an Excel sheet name: forbidden characters (``[]:*?/\\``) become ``-``,
    at most 31 characters, no leading or trailing apostrophe, unique among `taken`
    (compared without case, as Excel does)."""
    name = _FORBIDDEN.sub("-", str(title)).strip().strip("'") or "Sheet"
    name = name[:_MAX_SHEET_NAME].rstrip()
    used = {t.casefold() for t in taken}
    candidate, k = name, 2
    while candidate.casefold() in used:
        suffix = f" ({k})"
        candidate = name[:_MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        k += 1
    return candidate


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: an empty cell."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)  # only the missing markers differ from themselves
    except TypeError:  # pandas' NA: its comparisons are NA, whose truth is ambiguous
        return True


def _plain(value: Any, kind: str) -> Any:
    """The value openpyxl stores: a Python number, text, a naive datetime, or None (empty)."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        value = float(value)
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime(warn=False)  # Excel keeps no nanoseconds anyway
    elif hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # infinities are left empty, not written as text
    if isinstance(value, int | float):
        if kind == "text":
            return value
        if kind == "integer" and float(value).is_integer():
            return int(value)
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: the wall-clock time is kept
            value = value.replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    return str(value)


def _shown_width(value: Any, kind: str) -> int:
    """Roughly how many characters Excel needs to show the value in its format."""
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        if kind == "percent":
            return len(f"{value * 100:,.1f} %")
        if kind == "integer":
            return len(f"{value:,.0f}")
        text = f"{value:,.2f}"
        return len(text) + (2 if kind == "money" else 0) + (2 if kind == "number" else 0)
    if isinstance(value, dt.datetime | dt.date):
        return 16
    return max(len(line) for line in str(value).splitlines()) if str(value) else 0


def _resolve(value: Any, column: Column) -> tuple[Any, str, str]:
    """(value to store, its kind, its number format)."""
    if isinstance(value, Cell):
        number_format = FORMATS[value.kind]
        if value.prefix:
            quoted = value.prefix.replace('"', "")
            base = "0" if number_format == "General" else number_format
            number_format = f'"{quoted}"{base}'
        return _plain(value.value, value.kind), value.kind, number_format
    return _plain(value, column.kind), column.kind, FORMATS[column.kind]


def write_workbook(path: str | os.PathLike[str], tables: Sequence[Table]) -> Path:
    """Write `tables` to the .xlsx file `path`, one sheet each, and return the path.

    Every sheet gets a bold, frozen header row and columns as wide as their content. The file
    is written atomically (`leanproc.atomic.atomic_write`): a failure leaves the old file.
    """
    if not tables:
        raise ValueError("write_workbook: no tables to write")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise LeanprocError(f"{target}: an Excel workbook is written as .xlsx; end the file "
                            f"name in .xlsx")
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover - openpyxl is a dependency of leanproc
        raise LeanprocError("writing Excel needs openpyxl: pip install 'openpyxl>=3.1'") from None

    book = Workbook()
    book.remove(book.active)
    taken: list[str] = []
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for table in tables:
        name = sheet_name(table.title, taken)
        taken.append(name)
        sheet = book.create_sheet(name)
        widths = [min(len(c.title), _HEADER_WIDTH) for c in table.columns]
        for j, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=j, value=column.title)
            cell.font, cell.alignment = bold, wrap
        body = [*table.rows, *([[]] if table.footer else []), *table.footer]
        for i, row in enumerate(body, start=2):
            for j, raw in enumerate(row, start=1):
                column = table.columns[j - 1] if j <= len(table.columns) else Column("")
                value, kind, number_format = _resolve(raw, column)
                if value is None:
                    continue
                cell = sheet.cell(row=i, column=j, value=value)
                if not isinstance(value, str):
                    cell.number_format = number_format
                if j <= len(widths):
                    shown = _shown_width(value, kind) + len(getattr(raw, "prefix", ""))
                    widths[j - 1] = max(widths[j - 1], shown)
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = min(width + 2, _MAX_WIDTH)
        sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    with atomic_write(target, "wb") as handle:
        book.save(handle)
    return target


def basis_text(replications: int, lang: str = "en") -> str:
    """What the values of a workbook are: means over N replications, or one run."""
    if replications > 1:
        return label("basis_mean", lang).format(n=replications)
    return label("basis_one", lang)


def parameters_table(items: Sequence[tuple[str, Any]], lang: str = "en") -> Table:
    """The "Parameters" sheet: what the numbers of a workbook are (scenario, seed, number of
    replications, calendar, ...), then the date the workbook was written and the leanproc
    version. `items` are (label key of `leanproc._labels`, value); empty values are left out,
    and of two values for one key the first is kept; a date gets the date format, a whole
    number the integer format."""
    from leanproc import __version__

    written = dt.datetime.now().replace(microsecond=0)
    rows, seen = [], set()
    for key, value in [*items, ("written_on", written), ("leanproc_version", __version__)]:
        if value is None or value == "" or key in seen:
            continue  # the first value given for a key wins: a caller's own overrides a default
        seen.add(key)
        kind = ("date" if isinstance(value, dt.date) else
                "integer" if isinstance(value, int) and not isinstance(value, bool) else "text")
        rows.append([label(key, lang), Cell(value, kind)])
    return Table(label("parameters", lang),
                 [Column(label("parameter", lang)), Column(label("value", lang))], rows)
