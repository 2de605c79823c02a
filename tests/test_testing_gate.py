"""Gate files, the `leanproc gate` exit status, JUnit XML and `assert_targets` messages."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from helpers.cli_scenarios import CI_GATE, small_pair
from leanproc.cli import main
from leanproc.errors import ScenarioError
from leanproc.simulation.run import simulate
from leanproc.testing import TargetsNotMet, assert_targets, load_gates, run_gates
from leanproc.testing.gate import targets_for


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return small_pair(tmp_path_factory.mktemp("gate"), cases=40)


def _gate_file(folder: Path, text: str) -> Path:
    path = folder / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the file format
def test_short_form_long_form_and_defaults(tmp_path):
    short = load_gates(_gate_file(tmp_path, "scenario: s/to-be.yaml\nreplications: 4\n"
                                            "targets: {approvals: 0}\n"))
    assert len(short) == 1 and short[0].scenario == tmp_path / "s" / "to-be.yaml"
    assert short[0].replications == 4 and short[0].targets == {"approvals": 0}
    assert short[0].baseline is None and short[0].seed == 20240301

    several = load_gates(_gate_file(tmp_path, "scenarios: [a.yaml, b.yaml]\n"
                                              "targets: t.yaml\n"))
    assert [g.scenario.name for g in several] == ["a.yaml", "b.yaml"]
    assert several[0].targets == tmp_path / "t.yaml"  # a targets file beside the gate file

    long = load_gates(_gate_file(tmp_path, "seed: 7\ngates:\n"
                                           "  - {scenario: a.yaml, replications: 2}\n"
                                           "  - {scenario: b.yaml, baseline: a.yaml, "
                                           "until: 42d, volume_per_year: 900}\n"))
    assert [g.seed for g in long] == [7, 7] and long[0].replications == 2
    assert long[1].baseline == tmp_path / "a.yaml" and long[1].until == "42d"
    assert long[1].volume_per_year == 900.0


def test_every_problem_of_a_gate_file_is_listed(tmp_path):
    with pytest.raises(ScenarioError) as err:
        load_gates(_gate_file(tmp_path, "colour: red\ngates:\n  - {targets: {approvals: 0}}\n"
                                        "  - {scenario: a.yaml, replications: two}\n"))
    problems = err.value.problems
    assert len(problems) == 3
    assert "colour" in problems[0] and "gates[0]: `scenario:`" in problems[1]
    assert "gates[1]: replications" in problems[2]


def test_a_file_without_a_scenario_says_how_to_name_one(tmp_path):
    with pytest.raises(ScenarioError, match="name the scenario"):
        load_gates(_gate_file(tmp_path, "targets: {approvals: 0}\n"))


def test_targets_for_reads_a_gate_file_or_passes_a_targets_file(tmp_path):
    gate = _gate_file(tmp_path, "scenario: to-be.yaml\ntargets: {approvals: 0}\n")
    assert targets_for(gate, tmp_path / "to-be.yaml") == {"approvals": 0}
    plain = tmp_path / "plain.yaml"
    plain.write_text("targets: {approvals: 0}\n", encoding="utf-8")
    assert targets_for(plain) == plain


# ------------------------------------------------------------------ running gates
def test_gate_passes_and_fails_by_the_ci_bound(pair, tmp_path):
    # TO-BE: about 1 h of working lead time; the bound 8 h is met, 30 min is not
    text = (f"scenario: {pair[1]}\nreplications: 3\ntargets:\n"
            f"  lead_time_working.mean: '<= 8h'\n  approvals: 0\n")
    good = run_gates(_gate_file(tmp_path, text))
    assert good.passed and good.failing_kpis == []
    bad = run_gates(_gate_file(tmp_path, text.replace("<= 8h", "<= 30min")))
    assert not bad.passed
    assert bad.failing_kpis == ["Выдача разрешения на деятельность такси (TO-BE): "
                                "lead_time_working.mean"]
    assert "FAIL" in str(bad) and "✗ lead_time_working.mean" in str(bad)


def test_gate_defaults_to_the_scenarios_own_targets_and_uses_a_baseline(pair, tmp_path):
    report = run_gates(_gate_file(tmp_path, f"scenario: {pair[1]}\nbaseline: {pair[0]}\n"
                                            f"replications: 2\n"))
    (outcome,) = report.outcomes
    assert {o.target.kpi for o in outcome.report} == {"lead_time_working.mean", "approvals"}
    assert outcome.comparison is not None and outcome.comparison.paired
    assert outcome.comparison.side("approvals", "before").mean == 1


def test_cli_gate_exit_status_names_the_kpi_and_writes_junit(pair, tmp_path, capsys):
    text = f"scenario: {pair[1]}\nreplications: 2\ntargets: {{approvals: 0, activities: 3}}\n"
    junit = tmp_path / "out" / "gate.xml"
    assert main(["gate", str(_gate_file(tmp_path, text)), "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "gate FAILED, targets not met: Выдача разрешения на деятельность такси (TO-BE): " \
           "activities" in out
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["activities == 3"]
    assert "activities = 4" in failed[0].find("failure").text

    fixed = _gate_file(tmp_path, text.replace("activities: 3", "activities: 4"))
    assert main(["gate", str(fixed)]) == 0
    assert "gate passed" in capsys.readouterr().out


# ------------------------------------------------------------------ assert_targets
def test_assert_targets_message_names_the_failing_kpi_first(pair):
    result = simulate(pair[1], seed=1, replications=2)
    report = assert_targets(result)  # the scenario's own targets, met
    assert report.passed
    with pytest.raises(TargetsNotMet) as err:
        assert_targets(result, {"lead_time_working.mean": "<= 10min", "approvals": 0})
    lines = str(err.value).splitlines()
    assert lines[0] == ("1 of 2 targets not met for Выдача разрешения на деятельность такси "
                        "(TO-BE): lead_time_working.mean")
    assert lines[1].startswith("  ✗ lead_time_working.mean = ") and "not met" in lines[1]
    assert lines[2] == "  ✓ approvals = 0; target == 0: met"
    assert isinstance(err.value, AssertionError)  # pytest shows it as a plain failure


def test_assert_targets_without_any_targets_is_a_usage_error():
    with pytest.raises(ValueError, match="no targets"):
        assert_targets({"lead_time.mean": 1.0})


# ------------------------------------------------------------------ the ci-gate example
def test_example_gate_file_loads():
    (gate,) = load_gates(CI_GATE / "targets.yaml")
    assert gate.scenario == CI_GATE / "scenarios" / "to-be.yaml"
    assert gate.baseline == CI_GATE / "scenarios" / "as-is.yaml"
    assert set(gate.targets) == {"lead_time_working.mean", "approvals", "paper_documents",
                                 "cost.per_case"}

