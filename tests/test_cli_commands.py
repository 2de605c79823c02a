"""The leanproc command, command by command, in process (`main(argv)`), on small scenarios."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.cli_scenarios import EXAMPLES, small_pair
from leanproc.cli import main

REPO = Path(__file__).resolve().parents[1]
TAXI = REPO / "examples" / "taxi-permit"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return small_pair(tmp_path_factory.mktemp("cli"))


def test_check_model_passes_a_clean_model(capsys):
    assert main(["check-model", str(EXAMPLES / "hello.bpmn")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Approvals\s+1$", out, re.M) and "no errors" in out


def test_check_model_exits_1_on_structural_errors(tmp_path, capsys):
    # a task no flow reaches and that leads nowhere: an error of the structural checks
    text = (EXAMPLES / "hello.bpmn").read_text(encoding="utf-8")
    text = text.replace('<bpmn:dataObject id="DataObject_Application"/>',
                        '<bpmn:dataObject id="DataObject_Application"/>'
                        '<bpmn:task id="Task_Orphan" name="Orphan"/>'
                        '<bpmn:sequenceFlow id="Flow_Bad" sourceRef="Task_Orphan" '
                        'targetRef="Task_Missing"/>')
    bad = tmp_path / "bad.bpmn"
    bad.write_text(text, encoding="utf-8")
    status = main(["check-model", str(bad)])
    captured = capsys.readouterr()
    # an unresolvable reference is a read error (2); an orphan is a check error (1)
    assert status in (1, 2)
    assert "Task_Missing" in captured.out + captured.err


def test_simulate_prints_kpis_and_writes_the_log(pair, tmp_path, capsys):
    out = tmp_path / "log.csv"
    assert main(["simulate", str(pair[0]), "--out", str(out), "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert "60 cases" in text and "lead time" in text
    log = pd.read_csv(out)
    assert log["case:concept:name"].nunique() == 60
    assert {"concept:name", "time:timestamp", "start_timestamp"} <= set(log.columns)


def test_simulate_replications_table_and_stream(pair, capsys):
    assert main(["simulate", str(pair[0]), "-n", "2", "--stream", "--lang", "ru"]) == 0
    text = capsys.readouterr().out
    assert "прогонов 2" in text and "ВПП (календарное время), среднее" in text
    assert "ВПП (рабочее время), среднее" in text and "95% ДИ" in text


def test_simulate_same_seed_same_numbers(pair, capsys):
    main(["simulate", str(pair[0]), "--seed", "11"])
    first = capsys.readouterr().out
    main(["simulate", str(pair[0]), "--seed", "11"])
    assert capsys.readouterr().out == first


def test_cost_prints_the_fsa_table(pair, capsys):
    assert main(["cost", str(pair[0]), "--volume", "1000", "--lang", "ru"]) == 0
    text = capsys.readouterr().out
    assert "Итого стоимость процесса" in text and "Стоимость в год, руб." in text
    assert re.search("объём\\s+1\u202f000 обращений в год", text)


def test_compare_prints_before_target_after(pair, capsys):
    assert main(["compare", str(pair[0]), str(pair[1]), "-n", "2", "--lang", "ru"]) == 0
    text = capsys.readouterr().out
    header = next(line for line in text.splitlines() if line.startswith("Показатель"))
    assert header.split()[:5] == ["Показатель", "Было", "Цель", "Стало", "Изменение"]
    # the TO-BE scenario's targets: ВПП in working time <= 8 h and no approval
    assert re.search(r"Согласования\s+1\s+== 0\s+0\s+-100,0 %\s+✓ достигнута", text)
    assert "экономия на одно обращение" in text


def test_compare_reads_targets_from_a_gate_file(pair, tmp_path, capsys):
    gate = tmp_path / "gate.yaml"
    gate.write_text(f"scenario: {pair[1]}\ntargets: {{activities: '== 3'}}\n",
                    encoding="utf-8")
    assert main(["compare", str(pair[0]), str(pair[1]), "-n", "2", "--targets",
                 str(gate)]) == 0
    text = capsys.readouterr().out
    assert re.search(r"Activities\s+6\s+== 3\s+4\s+-33.3 %\s+✗ not met", text)


def test_ladder_prints_the_waterfall(capsys):
    assert main(["ladder", str(TAXI / "improvements.yaml"), "-n", "2"]) == 0
    text = capsys.readouterr().out
    assert "Improvement ladder (means over 2 paired replications), lead_time_working.mean" \
        in text
    rows = [line for line in text.splitlines() if re.match(r"\s*\d\s", line)]
    assert len(rows) == 5  # five improvements in the file
    assert "Подписание делегировано" in rows[0] and "24.08" in rows[0]  # claimed 1445 min


def test_report_hands_the_run_and_options_to_the_html_report(pair, tmp_path, monkeypatch,
                                                              capsys):
    # the page itself is the report module's (tested there); here: what the CLI passes it
    import leanproc.report

    calls = []

    def fake_html(subject, **options):
        calls.append((subject, options))
        return "<!DOCTYPE html>"

    monkeypatch.setattr(leanproc.report, "html", fake_html)
    out = tmp_path / "r" / "report.html"
    assert main(["report", str(pair[0]), "--html", str(out), "--lang", "ru",
                 "--title", "Такси"]) == 0
    (subject, options), = calls
    assert subject.cases is not None and len(subject.log)  # the simulated run
    assert options["lang"] == "ru" and options["title"] == "Такси"
    assert options["path"] == str(out) and out.parent.is_dir()
    assert options["costs"].cases == 60  # the process calculator's report of the run
    assert f"отчёт: {out}" in capsys.readouterr().out


def test_demo_prints_the_table_and_writes_report_and_logs(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "-n", "2"]) == 0
    text = capsys.readouterr().out
    header = next(line for line in text.splitlines() if line.startswith("KPI"))
    assert header.split() == ["KPI", "Before", "Target", "After", "Change", "Verdict"]
    assert re.search(r"Approvals\s+1\s+== 0\s+0\s+-100.0 %\s+✓ met", text)
    assert (out / "report.html").stat().st_size > 10_000
    for side in ("as-is", "to-be"):
        assert pd.read_csv(out / f"{side}-log.csv")["case:concept:name"].nunique() == 400


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "leanproc", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("leanproc ")
