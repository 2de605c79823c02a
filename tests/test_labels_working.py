"""Every KPI name of a run with a calendar reads as words in English and Russian; the working
and clock forms of a measure say which they are when a table shows both."""

from __future__ import annotations

import pytest

from helpers.bpmn_text import chain
from leanproc._labels import kpi_label, kpi_labels, working_form
from leanproc.bpmn.reader import read_bpmn
from leanproc.simulation.run import simulate

SCENARIO = {
    "start": "2024-03-04T09:00",
    "timezone": "Asia/Tomsk",
    "calendar": "ru-5x8",
    "arrivals": {"interarrival": {"exponential": {"mean": "2h"}}, "cases": 20},
    "resources": {"Специалист": {"count": 1, "cost_per_hour": 600}},
    "activities": {
        "Принять": {"resource": "Специалист", "duration": "30min", "value": "value_adding"},
        "Выдать": {"resource": "Специалист", "duration": "3h"},
    },
}


@pytest.fixture(scope="module")
def names() -> list[str]:
    run = simulate(SCENARIO, read_bpmn(chain(["Принять", "Выдать"])), seed=2)
    return list(run.kpis(sla=["1wd"]).as_dict(activities=True))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_kpi_name_has_a_label(names, lang) -> None:
    assert any("_working" in n for n in names)  # the run does have the working forms
    unlabelled = [n for n in names if kpi_label(n, lang) == n]
    assert unlabelled == []


@pytest.mark.parametrize(("lang", "working", "clock"), [
    ("en", "(working)", "(clock)"), ("ru", "рабочее время", "календарное время")])
def test_working_and_clock_forms_are_marked_beside_each_other(names, lang, working,
                                                               clock) -> None:
    labels = dict(zip(names, kpi_labels(names, lang), strict=True))
    for name in names:
        twin = working_form(name)
        if twin is not None and twin in labels:
            assert clock in labels[name] and working not in labels[name], name
            assert working in labels[twin], twin


def test_without_working_forms_labels_stay_plain() -> None:
    keys = ["lead_time.mean", "processing.mean", "pce", "activity.A.processing.mean"]
    assert kpi_labels(keys) == ["Lead time, mean", "Processing time, mean",
                                "Process cycle efficiency", "A: Processing time, mean"]


def test_working_form_names_the_twin() -> None:
    assert working_form("processing.mean") == "processing_working.mean"
    assert working_form("pce") == "pce_working"
    assert working_form("activity.A.b.processing.total") == "activity.A.b.processing_working.total"
    assert working_form("cost.per_case") is None
    assert working_form("lead_time_working.mean") is None
