"""`leanproc monitor`: the summary it prints, the files it writes and its exit status.

The computation (`leanproc.mining.monitor.monitor`) is replaced by a stand-in returning a
hand-built report, so these tests check the command itself: its argument checks, what it
passes on, what it prints and its exit status.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.monitor_reports import validation_of, weekly_report
from leanproc.cli import main

LOG = Path(__file__).parent / "fixtures" / "logs" / "permits.csv"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stand in for the computation; `calls["report"]` is what it returns, `calls["args"]`
    what it was given."""
    seen: dict[str, Any] = {"report": weekly_report()}

    def monitor(log: Any, **kwargs: Any) -> Any:
        seen["log"], seen["args"] = log, kwargs
        return seen["report"]

    module = sys.modules.get("leanproc.mining.monitor")
    if module is None:
        module = types.ModuleType("leanproc.mining.monitor")
        monkeypatch.setitem(sys.modules, "leanproc.mining.monitor", module)
    monkeypatch.setattr(module, "monitor", monitor, raising=False)
    return seen


def test_prints_the_change_and_before_after_and_exits_0(calls, capsys) -> None:
    status = main(["monitor", str(LOG), "--change", "2025-03-24", "--calendar", "ru-5x8"])
    out = capsys.readouterr().out
    assert status == 0
    assert isinstance(calls["log"], pd.DataFrame) and len(calls["log"])
    assert calls["args"] == {"kpi": "lead_time", "freq": "W",
                             "change": pd.Timestamp("2025-03-24"), "calendar": "ru-5x8",
                             "projection": None, "targets": None}
    assert "Change point: 2025-03-24 (given); 486 cases before, 490 after" in out
    assert "Lead time, mean: 72.2 h [70.1 … 74.3] → 24.4 h [23.2 … 25.6] (-66.2 %)" in out
    # 24 weeks of 40, 41, 42 cases in turn: 8 × 123
    assert "24 periods (week), 984 cases; Lead time: first 70 h, last 23 h" in out


@pytest.mark.parametrize(("options", "zone"), [
    (["--calendar", "ru-5x8@Asia/Tomsk"], "Asia/Tomsk"),  # the calendar's zone
    (["--calendar", "ru-5x8@Asia/Tomsk", "--timezone", "Europe/Moscow"], "Europe/Moscow"),
    ([], "UTC"),
])
def test_zone_less_times_are_read_in_the_given_or_the_calendars_zone(
        calls, options: list[str], zone: str) -> None:
    assert main(["monitor", str(LOG), *options]) == 0
    assert str(calls["log"]["time:timestamp"].dt.tz) == zone


def test_in_russian_with_decimal_commas(calls, capsys) -> None:
    assert main(["monitor", str(LOG), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "ВПП, среднее: 72,2 ч [70,1 … 74,3] → 24,4 ч [23,2 … 25,6] (-66,2 %)" in out
    assert "Точка изменения: 24.03.2025 (задана)" in out


def test_no_change_detected_is_said(calls, capsys) -> None:
    calls["report"] = weekly_report(change=False)
    assert main(["monitor", str(LOG)]) == 0
    assert "No change detected" in capsys.readouterr().out


def test_a_target_missed_after_the_change_exits_1(calls, capsys) -> None:
    calls["report"] = weekly_report(validation=validation_of(False))
    assert main(["monitor", str(LOG), "--targets", "t.yaml"]) == 1
    out = capsys.readouterr().out
    assert "a target is not met in the after-period" in out and "target <= 20h" in out
    assert calls["args"]["targets"] == "t.yaml"


def test_targets_met_exits_0(calls, capsys) -> None:
    calls["report"] = weekly_report(validation=validation_of(True))
    assert main(["monitor", str(LOG), "--targets", "t.yaml"]) == 0
    assert "targets met in the after-period" in capsys.readouterr().out


def test_writes_the_html_report_and_the_workbook(calls, tmp_path, capsys) -> None:
    page, book = tmp_path / "out" / "m.html", tmp_path / "m.xlsx"
    assert main(["monitor", str(LOG), "--html", str(page), "--xlsx", str(book),
                 "--lang", "ru"]) == 0
    assert "Точка изменения" in page.read_text(encoding="utf-8")
    params = {r[0]: r[1] for r in load_workbook(book)["Параметры"].iter_rows(
        min_row=2, values_only=True)}
    assert params["Файл журнала событий"] == str(LOG)


@pytest.mark.parametrize("argv, words", [
    (["--kpi", "speed"], "--kpi speed: unknown KPI"),
    (["--freq", "fortnightly"], "--freq fortnightly: not a period"),
    (["--change", "yesterday-ish"], "--change yesterday-ish: not a date"),
    (["--xlsx", "out.csv"], "--xlsx out.csv: unknown format"),
    (["--html", "."], "--html .: is a folder"),
])
def test_bad_input_is_one_error_line_and_exit_2(calls, capsys, argv, words) -> None:
    assert main(["monitor", str(LOG), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("leanproc: error: ") and words in err
    assert len(err.strip().splitlines()) == 1
    assert "args" not in calls  # refused before anything was computed


def test_a_missing_log_is_exit_2(calls, tmp_path, capsys) -> None:
    assert main(["monitor", str(tmp_path / "none.csv")]) == 2
    assert capsys.readouterr().err.startswith("leanproc: error: ")


def test_the_projection_is_simulated_and_passed_on(calls, capsys) -> None:
    from importlib.resources import files

    scenario = files("leanproc") / "examples" / "hello-to-be.yaml"
    assert main(["monitor", str(LOG), "--projection", str(scenario), "-n", "2",
                 "--no-progress"]) == 0
    projection = calls["args"]["projection"]
    assert len(projection.results) == 2  # the replications asked for
