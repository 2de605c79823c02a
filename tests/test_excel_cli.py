"""``--xlsx`` on compare, cost, ladder and simulate: the workbook is written; a path that cannot
be written is refused in one line, exit 2, before anything is simulated."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import leanproc.simulation.run
from helpers.cli_scenarios import small_pair
from leanproc.cli import main

TAXI = Path(__file__).resolve().parents[1] / "examples" / "taxi-permit"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return small_pair(tmp_path_factory.mktemp("xlcli"))


def _params(book, sheet: str) -> dict[str, object]:
    return {r[0].value: r[1].value for r in book[sheet].iter_rows(min_row=2)}


def test_compare_writes_the_workbook_into_a_new_folder(pair, tmp_path, capsys):
    out = tmp_path / "new" / "c.xlsx"
    assert main(["compare", str(pair[0]), str(pair[1]), "-n", "2", "--lang", "ru",
                 "--xlsx", str(out)]) == 0
    assert f"книга Excel: {out}" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Было-Цель-Стало", "Параметры"]
    params = _params(book, "Параметры")
    assert params["Было (AS-IS): Файл сценария"] == str(pair[0])
    assert params["Стало (TO-BE): Файл сценария"] == str(pair[1])
    assert params["Число прогонов"] == 2


@pytest.mark.parametrize("command, sheets", [
    (["simulate"], ["KPIs", "Per activity", "Resource utilisation", "Parameters"]),
    (["simulate", "-n", "2"], ["KPIs", "Parameters"]),
    (["cost"], ["ABC (ФСА)", "ABC by activity", "ABC by role", "Summary", "Parameters"]),
])
def test_simulate_and_cost_write_their_workbooks(pair, tmp_path, capsys, command, sheets):
    out = tmp_path / "w.xlsx"
    assert main([*command, str(pair[0]), "--xlsx", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == sheets
    assert _params(book, "Parameters")["Scenario file"] == str(pair[0])


def test_ladder_writes_its_workbook(tmp_path, capsys):
    out = tmp_path / "l.xlsx"
    improvements = TAXI / "improvements.yaml"
    assert main(["ladder", str(improvements), "-n", "2", "--xlsx", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Improvement ladder", "Before-Target-After", "Parameters"]
    assert _params(book, "Parameters")["Improvements file"] == str(improvements)


@pytest.mark.parametrize("command", ["compare", "cost", "ladder", "simulate"])
@pytest.mark.parametrize("bad", ["folder", "suffix", "parent_is_a_file"])
def test_a_bad_xlsx_path_is_one_error_line_before_simulating(pair, tmp_path, capsys,
                                                             monkeypatch, command, bad):
    def no_simulation(*args, **kwargs):
        raise AssertionError("simulated although the output path is wrong")

    monkeypatch.setattr(leanproc.simulation.run, "simulate", no_simulation)
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    path = {"folder": tmp_path, "suffix": tmp_path / "out.csv",
            "parent_is_a_file": tmp_path / "a_file" / "out.xlsx"}[bad]
    inputs = {"compare": [str(pair[0]), str(pair[1])], "cost": [str(pair[0])],
              "simulate": [str(pair[0])], "ladder": [str(TAXI / "improvements.yaml")]}[command]
    try:
        status = main([command, *inputs, "--xlsx", str(path)])
    except SystemExit as exc:
        status = int(exc.code or 0)
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("leanproc: error:") and err.count("\n") == 1, err
    assert "--xlsx" in err and "simulated although" not in err
