"""Hostile and broken inputs at the command line: one ``leanproc: error:`` line, exit 2.

Inputs that could take unbounded memory or time run in a child process with an address-space
limit and a timeout (helpers/hostile.py), so a regression fails by hitting the bound. The other
failure paths run in this process, where a traceback would fail the test as an exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.hostile import (
    EXAMPLES,
    alias_bomb,
    assert_one_error_line,
    example_scenario,
    run_cli,
)
from leanproc.cli import main

FEW = {"cases: 400": "cases: 20"}  # a fast run where the run itself is not the point


# ---------------------------------------------------------------- bounded child processes
@pytest.mark.parametrize("name, make, words", [
    ("bomb.yaml", lambda d: (d / "bomb.yaml").write_text(alias_bomb()),
     ["line ", "LEANPROC_LIMIT_YAML_NODES"]),
    ("deep.yaml", lambda d: (d / "deep.yaml").write_text("a: " + "[" * 100_000 + "]" * 100_000),
     ["line 1", "LEANPROC_LIMIT_SCENARIO_DEPTH"]),
    ("deep.json", lambda d: (d / "deep.json").write_text(
        '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"), ["nesting depth"]),
    ("loop.yaml", lambda d: (d / "loop.yaml").write_text("a: &a [1, *a]\n"),
     ["line 1", "contains it"]),
])
def test_hostile_yaml_is_refused_within_bounds(tmp_path: Path, name, make, words) -> None:
    make(tmp_path)
    assert_one_error_line(run_cli(["simulate", name], tmp_path), name, *words)


@pytest.mark.parametrize("replace, argv, words", [
    ({"{count: 2,": "{count: 1000000000,"}, [],
     ["resources.Специалист отдела лицензирования.count", "1,000,000,000",
      "LEANPROC_LIMIT_RESOURCE_UNITS"]),
    ({"cases: 400": "cases: 1000000000"}, [],
     ["arrivals.cases", "LEANPROC_LIMIT_CASES_WITHOUT_HORIZON", "horizon:", "until"]),
    ({"start: 2024-03-04T09:00": "start: 9999-12-31T09:00"}, [], ["start:", "9999"]),
    ({"    duration: 20min": "    duration: 1e300h"}, [],
     ["activities.Уведомить об отказе.duration", "500 years"]),
    ({}, ["--until", "1000000000d"], ["until", "500 years"]),
])
def test_huge_numbers_are_refused_before_running(tmp_path: Path, replace, argv, words) -> None:
    example_scenario(tmp_path, replace=replace)
    assert_one_error_line(run_cli(["simulate", "scenario.yaml", *argv], tmp_path), *words)


def test_a_huge_yearly_volume_is_refused_before_simulating(tmp_path: Path) -> None:
    example_scenario(tmp_path)
    result = run_cli(["cost", "scenario.yaml", "--volume", "1e308"], tmp_path)
    assert_one_error_line(result, "volume_per_year", "LEANPROC_LIMIT_CASES_PER_YEAR")
    assert result.stdout == ""  # refused before the simulation printed its table


def test_a_cp1251_scenario_runs_with_one_note(tmp_path: Path) -> None:
    example_scenario(tmp_path, replace=FEW, encoding="cp1251")
    result = run_cli(["simulate", "scenario.yaml"], tmp_path)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notes) == 1 and notes[0].startswith("leanproc: note: scenario.yaml: not UTF-8, "
                                                   "read as Windows-1251"), result.stderr
    assert "20 cases" in result.stdout  # the Cyrillic names bound to the model: it ran


# ---------------------------------------------------------------- in this process
def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse exits on bad arguments
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def _one_line(status: int, err: str, *words: str) -> None:
    assert status == 2, err
    assert err.startswith("leanproc: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in err, (word, err)


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a command starts simulating: its refusal must come first."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the command simulated before checking its arguments")

    monkeypatch.setattr("leanproc.simulation.run.simulate", refuse)
    monkeypatch.setattr("leanproc.cli.demo.run_comparison", refuse)
    monkeypatch.setattr("leanproc.cli.compare.run_comparison", refuse)


@pytest.mark.parametrize("argv, words", [
    (["--seed", "-1"], ["--seed", "negative"]),
    (["--until", "0d"], ["until", "not after the start"]),
    (["--until", "1900-01-01T00:00"], ["until", "not after the start"]),
    (["--until", "3000-01-01"], ["until", "before 2260"]),
    (["--until", "soon"], ["until", "cannot read 'soon'"]),
])
def test_bad_run_arguments(tmp_path: Path, capsys, argv, words) -> None:
    scenario = example_scenario(tmp_path, replace=FEW)
    _one_line(*_run(["simulate", str(scenario), *argv], capsys)[::2], *words)


@pytest.mark.parametrize("argv, words", [
    (["simulate", "{s}", "--out", "{d}/log.unknown"], ["unknown format", ".xes.gz"]),
    (["simulate", "{s}", "--out", "{d}"], ["is a folder"]),
    (["simulate", "{s}", "--out", "{s}/log.csv"], ["is a file, not a folder"]),
    (["demo", "--out", "{s}"], ["is a file"]),
    (["compare", "{s}", "{s}", "--html", "{d}"], ["--html", "is a folder"]),
    (["compare", "{s}", "{s}", "--volume", "1e12"], ["LEANPROC_LIMIT_CASES_PER_YEAR"]),
    (["gate", "{s}", "--junit", "{d}"], ["--junit", "is a folder"]),
])
def test_outputs_are_checked_before_any_simulation(tmp_path: Path, capsys, no_simulation,
                                                   argv, words) -> None:
    scenario = example_scenario(tmp_path, replace=FEW)
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a.format(s=scenario, d=folder) for a in argv]
    _one_line(*_run(argv, capsys)[::2], *words)


def test_folders_given_as_input_files(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for argv in (["simulate", str(folder)], ["check-model", str(folder)],
                 ["gate", str(folder)], ["ladder", str(folder)]):
        _one_line(*_run(argv, capsys)[::2], str(folder), "is a")
    scenario = example_scenario(tmp_path, replace={f"model: {EXAMPLES / 'hello.bpmn'}":
                                                    f"model: {folder}"})
    _one_line(*_run(["simulate", str(scenario)], capsys)[::2], "model:", "is a folder")
    _one_line(*_run(["validate", str(scenario), str(folder), "-n", "2"], capsys)[::2],
              str(folder), "is a folder")


def test_a_file_that_is_not_text_in_any_encoding(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: \x98\x98\n")  # 0x98 is neither UTF-8 nor Windows-1251
    _one_line(*_run(["simulate", str(bad)], capsys)[::2], "line 1", "save the file as UTF-8")


def test_the_junit_report_is_written_whole(tmp_path: Path, capsys) -> None:
    scenario = example_scenario(tmp_path, replace=FEW)
    gate = tmp_path / "gate.yaml"
    gate.write_text(f"scenario: {scenario}\nreplications: 2\n"
                    f"targets: {{lead_time.mean: '<= 100d'}}\n", encoding="utf-8")
    junit = tmp_path / "reports" / "junit.xml"
    junit.parent.mkdir()
    status, _, err = _run(["gate", str(gate), "--junit", str(junit)], capsys)
    assert status == 0, err
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in junit.parent.iterdir()) == ["junit.xml"]  # no temp file left
