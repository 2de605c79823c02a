"""`Scenario.to_yaml`: an editable file that loads back to an equal scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import leanproc
from leanproc.cli import main
from leanproc.eventlog import write_log
from leanproc.scenario import Scenario

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
BUNDLED = REPO / "src" / "leanproc" / "examples"
SCENARIOS = sorted(p for folder in (EXAMPLES, BUNDLED) for p in folder.rglob("*.yaml")
                   if "arrivals:" in p.read_text(encoding="utf-8"))


def _fields(scenario: Scenario) -> dict[str, Any]:
    """Every field, with ``model:`` as the file it names (the text is relative to the file)."""
    out = {k: getattr(scenario, k) for k in Scenario.model_fields}
    out["model"] = scenario.model_path.resolve() if scenario.model_path else None
    return out


def _set_keys(spec: Any) -> Any:
    """Which keys were written, all the way down: `resource: null` differs from no key."""
    if hasattr(spec, "model_fields_set"):
        return {k: _set_keys(getattr(spec, k)) for k in sorted(spec.model_fields_set)}
    if isinstance(spec, dict):
        return {k: _set_keys(v) for k, v in spec.items()}
    return None


def test_every_example_scenario_is_found() -> None:
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(REPO)))
def test_example_scenarios_round_trip(path: Path, tmp_path: Path) -> None:
    original = Scenario.load(path)
    out = tmp_path / "sub" / "copy.yaml"
    out.parent.mkdir()
    text = original.to_yaml(out)
    assert out.read_text(encoding="utf-8") == text
    back = Scenario.load(out)
    assert _fields(back) == _fields(original)
    assert _set_keys(back) == _set_keys(original)
    # written again, the text is the same: the order of keys is stable
    assert back.to_yaml(out) == text


def test_the_file_explains_itself() -> None:
    text = Scenario.load(EXAMPLES / "taxi-permit" / "as-is.scenario.yaml").to_yaml()
    assert "# How cases arrive" in text and "# Resource pools" in text
    assert "exponential: {mean: 4wh}" in text  # durations as a person writes them
    lines = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert lines == ["name", "model", "start", "timezone", "calendar", "arrivals", "resources",
                     "activities", "targets"]


def test_clock_durations_are_written_in_human_units() -> None:
    text = Scenario.load({"arrivals": {"interarrival": "1h", "horizon": "5400s"},
                          "warmup": "PT48H"}).to_yaml()
    assert "horizon: 90min" in text and "warmup: 2d" in text


@pytest.fixture(scope="module")
def calibrated() -> tuple[Any, Any]:
    truth = leanproc.simulate(str(BUNDLED / "hello.yaml"), seed=1)
    model = truth.bound.model
    return leanproc.calibrate(model, truth.log).scenario, model


def test_a_calibrated_scenario_round_trips(calibrated: tuple[Any, Any], tmp_path: Path) -> None:
    scenario, model = calibrated
    out = tmp_path / "calibrated.yaml"
    scenario.to_yaml(out)
    back = Scenario.load(out)
    assert _fields(back) == _fields(scenario)
    assert _set_keys(back) == _set_keys(scenario)
    # the fitted laws are in the scenario format, as a person would edit them
    text = out.read_text(encoding="utf-8")
    assert "unit: min" in text and "# Per activity" in text
    back.bind(model)


def test_cli_calibrate_writes_an_editable_scenario(tmp_path: Path, capsys: Any) -> None:
    truth = leanproc.simulate(str(BUNDLED / "hello.yaml"), seed=1)
    log = tmp_path / "log.csv"
    write_log(truth.log, log)
    out = tmp_path / "s" / "scenario.yaml"
    out.parent.mkdir()
    assert main(["calibrate", str(BUNDLED / "hello.bpmn"), str(log), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Calibrated scenario" in printed and "note:" in printed
    written = Scenario.load(out)
    assert written.model_path is not None
    assert written.model_path.resolve() == (BUNDLED / "hello.bpmn").resolve()
    written.bind()  # loads and binds from the file alone


@pytest.mark.parametrize(
    ("argv_tail", "fragment"),
    [(["missing.csv", "--out", "s.yaml"], "no such file"),
     (["LOG", "--out", "s.yaml"], "the log is empty"),
     (["LOG", "--out", "s.json"], "give a .yaml file"),
     (["LOG", "--out", "nofolder/s.yaml"], "does not exist")],
)
def test_cli_calibrate_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: Any,
                                                       argv_tail: list[str],
                                                       fragment: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case;activity\n", encoding="utf-8")
    argv = [str(log) if a == "LOG" else str(tmp_path / a) if a.endswith(("csv", "yaml", "json"))
            else a for a in argv_tail]
    assert main(["calibrate", str(BUNDLED / "hello.bpmn"), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("leanproc: error:") and fragment in err[0]
