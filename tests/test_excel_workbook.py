"""The generic workbook writer: sheet names Excel accepts, typed cells, formats, frozen headers."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from leanproc._workbook import (
    FORMATS,
    Cell,
    Column,
    Table,
    parameters_table,
    sheet_name,
    write_workbook,
)
from leanproc.errors import LeanprocError


@pytest.mark.parametrize("title", ["Было / Цель / Стало", "a[b]c:d*e?f\\g", "x" * 40,
                                   "'quoted'", "", "ФСА по операциям и ролям за весь период"])
def test_sheet_names_are_what_excel_accepts(title):
    name = sheet_name(title)
    assert 1 <= len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert not name.startswith("'") and not name.endswith("'")


def test_sheet_names_are_unique_without_case():
    first = sheet_name("x" * 40)
    second = sheet_name("X" * 40, [first])
    assert second.casefold() != first.casefold() and len(second) <= 31


def _sheet(tmp_path, table):
    path = write_workbook(tmp_path / "t.xlsx", [table])
    return openpyxl.load_workbook(path)[sheet_name(table.title)]


def test_every_kind_is_a_number_with_its_format(tmp_path):
    columns = [Column("name"), Column("n", "integer"), Column("h", "hours"),
               Column("share", "percent"), Column("₽", "money"), Column("x", "number")]
    rows = [["a", np.int64(3), 1.5, 0.25, Decimal("1234.56"), np.float64(0.125)]]
    ws = _sheet(tmp_path, Table("T", columns, rows))
    assert [c.value for c in ws[1]] == ["name", "n", "h", "share", "₽", "x"]
    cells = ws[2]
    assert cells[0].data_type == "s"
    for cell, kind, value in zip(cells[1:], ("integer", "hours", "percent", "money", "number"),
                                 (3, 1.5, 0.25, 1234.56, 0.125), strict=True):
        assert cell.data_type == "n" and cell.value == value
        assert cell.number_format == FORMATS[kind]
    assert ws.freeze_panes == "A2"
    assert ws[1][0].font.b


def test_missing_values_are_empty_cells_not_text(tmp_path):
    rows = [[math.nan, None, pd.NaT, math.inf, pd.NA]]
    ws = _sheet(tmp_path, Table("T", [Column("a", "hours"), Column("b", "money"),
                                      Column("c", "date"), Column("d", "number"),
                                      Column("e", "integer")], rows))
    assert all(c.value is None for c in ws[2])


def test_a_cell_overrides_its_column_and_may_carry_an_operator(tmp_path):
    rows = [["lead time", Cell(2.0, "hours", "≤ ")], ["share", Cell(0.9, "percent", "≥ ")]]
    ws = _sheet(tmp_path, Table("T", [Column("kpi"), Column("target")], rows))
    assert ws["B2"].value == 2.0 and ws["B2"].number_format == '"≤ "' + FORMATS["hours"]
    assert ws["B3"].value == 0.9 and ws["B3"].number_format == '"≥ "' + FORMATS["percent"]


def test_columns_are_as_wide_as_their_content(tmp_path):
    rows = [["a much longer piece of text in the first column", 1.0]]
    ws = _sheet(tmp_path, Table("T", [Column("a"), Column("b", "hours")], rows))
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width
    assert ws.column_dimensions["A"].width >= len(rows[0][0])


def test_footer_rows_come_after_a_blank_row(tmp_path):
    table = Table("T", [Column("a"), Column("b", "money")], [["x", 1.0]],
                  footer=[["saving", Cell(5.0, "money")]])
    ws = _sheet(tmp_path, table)
    assert ws["A3"].value is None and ws["A4"].value == "saving"
    assert ws["B4"].value == 5.0 and ws["B4"].number_format == FORMATS["money"]


def test_parameters_sheet_keeps_the_first_value_and_adds_date_and_version(tmp_path):
    table = parameters_table([("random_seed", 7), ("random_seed", 8), ("calendar", None)],
                             lang="ru")
    ws = _sheet(tmp_path, table)
    values = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    assert values["Зерно генератора"].value == 7
    assert values["Зерно генератора"].number_format == FORMATS["integer"]
    assert "Календарь" not in values
    assert isinstance(values["Дата выгрузки"].value, dt.datetime)
    assert values["Версия leanproc"].value


def test_a_name_without_xlsx_or_a_missing_folder_is_refused(tmp_path):
    table = Table("T", [Column("a")], [["x"]])
    with pytest.raises(LeanprocError, match=r"\.xlsx"):
        write_workbook(tmp_path / "t.xls", [table])
    with pytest.raises(LeanprocError, match="does not exist"):
        write_workbook(tmp_path / "no" / "t.xlsx", [table])
    assert list(tmp_path.iterdir()) == []  # nothing, not even a temporary file, is left
