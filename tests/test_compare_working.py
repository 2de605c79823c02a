"""Comparisons with a calendar show the working-time KPIs first, the clock ones after them,
labelled; targets on the working forms read with units; without a calendar nothing changes."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from helpers.bpmn_text import chain
from leanproc.bpmn.reader import read_bpmn
from leanproc.cli.compare import comparison_table
from leanproc.comparison import compare

STEPS = ["Принять заявление", "Проверить документы", "Выдать результат"]
AS_IS = {
    "start": "2024-03-04T09:00",
    "timezone": "Asia/Tomsk",
    "calendar": "ru-5x8",
    "arrivals": {"interarrival": {"exponential": {"mean": "3h"}}, "cases": 30},
    "resources": {"Специалист": {"count": 1, "cost_per_hour": 600}},
    "activities": {
        "Принять заявление": {"resource": "Специалист", "duration": "30min"},
        # a long check: started late in the day it runs on the next morning
        "Проверить документы": {"resource": "Специалист", "duration": "5h",
                                "value": "value_adding"},
        "Выдать результат": {"resource": "Специалист", "duration": "20min"},
    },
}
TARGETS = {"processing_working.mean": "<= 6h", "pce_working": ">= 10%"}
WORKING_FIRST = ["lead_time_working.mean", "lead_time.mean", "lead_time.p90",
                 "processing_working.mean", "processing.mean", "waiting_working.mean",
                 "waiting.mean", "pce_working", "pce"]


def _to_be(spec: dict) -> dict:
    out = copy.deepcopy(spec)
    out["activities"]["Проверить документы"]["duration"] = "3h"
    return out


def _without_calendar(spec: dict) -> dict:
    out = copy.deepcopy(spec)
    del out["calendar"]
    return out


@pytest.fixture(scope="module")
def model():
    return read_bpmn(chain(STEPS))


@pytest.fixture(scope="module")
def with_calendar(model):
    return compare(AS_IS, _to_be(AS_IS), TARGETS, models=(model, model), replications=3)


@pytest.fixture(scope="module")
def clock_only(model):
    plain = _without_calendar(AS_IS)
    return compare(plain, _to_be(plain), {"processing.mean": "<= 6h"}, models=(model, model),
                   replications=3)


def test_working_rows_come_first_with_the_clock_row_after_each(with_calendar) -> None:
    kpis = list(with_calendar.table()["kpi"])
    assert [k for k in kpis if k in WORKING_FIRST] == WORKING_FIRST
    labels = list(comparison_table(with_calendar)["KPI"])
    assert labels[:5] == ["Lead time (working), mean", "Lead time (clock), mean",
                          "Lead time (clock), p90", "Processing time (working), mean",
                          "Processing time (clock), mean"]
    ru = list(comparison_table(with_calendar, "ru")["Показатель"])
    assert ru[3] == "Время обработки (рабочее время), среднее"
    assert ru[4] == "Время обработки (календарное время), среднее"
    assert "Эффективность цикла (PCE, рабочее время)" in ru


def test_targets_on_working_forms_show_units(with_calendar) -> None:
    table = with_calendar.table().set_index("kpi")
    row = table.loc["processing_working.mean"]
    # numbers in hours and per cent, the unit in its own column, the target as written
    assert (row["target"], row["target_value"], row["unit"]) == ("<= 6 h", 6.0, "h")
    assert row["before"] == pytest.approx((30 + 300 + 20) / 60)  # hours, not seconds
    assert (table.loc["pce_working", "target"], table.loc["pce_working", "unit"]) == (
        ">= 10 %", "%")
    assert 0 < table.loc["pce_working", "after"] <= 100
    numeric = [c for c in table.columns if c not in ("label", "unit", "target", "verdict")]
    assert all(pd.api.types.is_float_dtype(table[c]) for c in numeric), table.dtypes
    # working processing of the 5-hour check is at most its clock span
    before = with_calendar.side("processing_working.mean", "before").mean
    assert before <= with_calendar.side("processing.mean", "before").mean + 1e-6
    assert before == pytest.approx((30 + 300 + 20) * 60, rel=1e-9)  # durations are fixed


def test_without_a_calendar_nothing_changes(clock_only) -> None:
    kpis = list(clock_only.table()["kpi"])
    assert not [k for k in kpis if "working" in k]
    assert kpis[:5] == ["lead_time.mean", "lead_time.p90", "processing.mean", "waiting.mean",
                        "pce"]
    labels = list(comparison_table(clock_only)["KPI"])
    assert labels[:3] == ["Lead time, mean", "Lead time, p90", "Processing time, mean"]
    assert not any("(clock)" in x for x in labels)


def test_the_table_carries_the_labels_of_its_language(with_calendar) -> None:
    ru = with_calendar.table(lang="ru").set_index("kpi")
    assert ru.loc["processing_working.mean", "label"] == (
        "Время обработки (рабочее время), среднее")
    en = with_calendar.table().set_index("kpi")
    assert en.loc["pce", "label"] == "Process cycle efficiency (clock)"
