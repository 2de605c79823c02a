"""Structural KPIs: the model's lean counts with the scenario's tags overriding names."""

from __future__ import annotations

from helpers.bpmn_text import chain
from leanproc.bpmn.reader import read_bpmn
from leanproc.scenario import Scenario
from leanproc.targets import structure_counts

MODEL = read_bpmn(chain(["Принять заявление", "Согласовать решение", "Передать на согласование",
                         "Выдать результат"]))


def _counts(activities: dict) -> dict:
    scenario = {"start": "2024-03-04T09:00+07:00",
                "arrivals": {"times": ["2024-03-04T09:00+07:00"]},
                "defaults": {"duration": "10min"}, "activities": activities}
    return structure_counts(Scenario.load(scenario).bind(MODEL))


def test_names_decide_without_tags() -> None:
    counts = _counts({})
    assert counts["activities"] == 4
    assert counts["approvals"] == 2  # both names contain "согласов"
    assert counts["paper_documents"] == 0


def test_scenario_tags_override_names() -> None:
    counts = _counts({
        "Передать на согласование": {"approval": False},       # a hand-over, not a stage
        "Выдать результат": {"approval": True, "client": True},
        "Принять заявление": {"paper_documents": 5, "value": "waste"},
        "Согласовать решение": {"paper_documents": 2},
    })
    assert counts["approvals"] == 2          # Согласовать решение + Выдать результат
    assert counts["client_actions"] == 1
    assert counts["paper_documents"] == 7    # the scenario's register replaces the model's
    assert counts["steps.waste"] == 1
