"""Errors a user can fix: one line on stderr, no traceback, exit status 2."""

from __future__ import annotations

import pytest

from helpers.cli_scenarios import EXAMPLES
from leanproc.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse exits on bad arguments
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("argv, words", [
    (["check-model", "no-such-model.bpmn"], "no-such-model.bpmn"),
    (["simulate", "no-such-scenario.yaml"], "no-such-scenario.yaml"),
    (["gate", "no-such-gate.yaml"], "no-such-gate.yaml"),
    (["ladder", "no-such-improvements.yaml"], "no-such-improvements.yaml"),
    (["simulate", str(EXAMPLES / "hello.yaml"), "--replications", "0"], "at least 1"),
    (["simulate", str(EXAMPLES / "hello.yaml"), "--lang", "de"], "invalid choice"),
    (["simulate", str(EXAMPLES / "hello.yaml"), "--stream", "--out", "x.csv"], "--stream"),
    (["frobnicate"], "invalid choice"),
    (["report", str(EXAMPLES / "hello.yaml")], "--html"),
])
def test_user_errors_exit_2_with_one_line(argv, words, capsys):
    status, _, err = _run(argv, capsys)
    assert status == 2
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("leanproc") and words in err


def test_a_scenario_with_several_problems_lists_them_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"model: {EXAMPLES / 'hello.bpmn'}\narrivals: {{cases: 5, interarrival: 1h}}\n"
                   "activities:\n  No such task: {duration: 5min}\n"
                   "  Another ghost: {duration: 5min}\n", encoding="utf-8")
    status, _, err = _run(["simulate", str(bad)], capsys)
    assert status == 2 and "Traceback" not in err
    assert err.startswith("leanproc: error:") and "No such task" in err and "Another ghost" in err


def test_gate_file_problems_are_listed_together(tmp_path, capsys):
    gate = tmp_path / "gate.yaml"
    gate.write_text("replications: 0\nscenario: x.yaml\nthreshold: 3\n", encoding="utf-8")
    status, _, err = _run(["gate", str(gate)], capsys)
    assert status == 2
    assert "threshold" in err and "replications must be a whole number >= 1" in err
