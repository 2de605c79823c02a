"""A name that is not found gets one kind of help everywhere: a close spelling, or the exact
look-alike letter that differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.bpmn_text import chain
from leanproc._names import did_you_mean, homoglyph_difference
from leanproc.bpmn.reader import read_bpmn
from leanproc.comparison.ladder import _improvement
from leanproc.errors import BPMNError, ScenarioError
from leanproc.scenario import Scenario
from leanproc.targets import parse_targets

LATIN_E = "Провeрка"  # the fifth letter is Latin e (U+0065)


def test_a_latin_letter_in_a_cyrillic_name_is_named_with_its_code_point() -> None:
    assert LATIN_E != "Проверка"
    text = homoglyph_difference(LATIN_E, "Проверка")
    assert text == ("position 5: Latin 'e' (U+0065) where the model has Cyrillic 'е' (U+0435)")


def test_look_alikes_in_both_directions_and_in_capitals() -> None:
    assert "Cyrillic 'С' (U+0421) where the model has Latin 'C'" in (
        homoglyph_difference("Сheck", "Check") or "")
    assert homoglyph_difference("Проверка", "Проверка") is None  # the same string
    assert homoglyph_difference("Проверки", "Проверка") is None  # a real difference


def test_a_misspelling_gets_the_close_names() -> None:
    assert did_you_mean("Aprove", ["Approve", "Reject"]) == " (did you mean 'Approve'?)"
    assert did_you_mean("zzz", ["Approve"]) == ""


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    path = tmp_path / "m.bpmn"
    path.write_text(chain(["Проверка", "Выдача"]), encoding="utf-8")
    return path


def test_scenario_activity_key_with_a_latin_letter(model_path: Path) -> None:
    scenario = Scenario.load({"model": str(model_path),
                              "arrivals": {"interarrival": "1h", "cases": 5},
                              "defaults": {"duration": "10min"},
                              "activities": {LATIN_E: {"duration": "5min"}}})
    with pytest.raises(ScenarioError) as err:
        scenario.bind()
    assert "position 5: Latin 'e' (U+0065)" in str(err.value)


def test_scenario_keys_suggest_the_schema_key() -> None:
    with pytest.raises(ScenarioError, match=r"did you mean 'arrivals'"):
        Scenario.load({"arivals": {"interarrival": "1h"}})


def test_removed_element_in_an_improvement(model_path: Path) -> None:
    model = read_bpmn(model_path)
    with pytest.raises(BPMNError, match=r"U\+0065"):
        model.node(LATIN_E)
    with pytest.raises(BPMNError, match=r"did you mean 'Выдача'"):
        model.node("Выдча")


def test_improvement_keys_suggest_the_allowed_one() -> None:
    with pytest.raises(ScenarioError, match=r"unknown key 'pach' \(did you mean 'patch'\?\)"):
        _improvement({"name": "faster", "pach": {}}, 0)


def test_target_kpi_names_suggest_and_explain_look_alikes() -> None:
    with pytest.raises(ScenarioError, match=r"did you mean 'lead_time.mean'"):
        parse_targets({"lead_time.maen": "<= 2h"})
    with pytest.raises(ScenarioError, match=r"Cyrillic 'е' \(U\+0435\) where the KPI name has "
                                            r"Latin 'e'"):
        parse_targets({"lead_time.mеan": "<= 2h"})  # Cyrillic е in "mean"


def test_an_improvements_file_with_a_misspelt_key(tmp_path: Path) -> None:
    from leanproc.comparison.ladder import load_improvements

    path = tmp_path / "improvements.yaml"
    path.write_text("as_is: a.yaml\nimprovments:\n  - {name: faster}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"unknown key 'improvments' \(did you mean "
                                            r"'improvements'\?\)"):
        load_improvements(path)
