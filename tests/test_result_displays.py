"""The notebook views of Comparison, Ladder, CostReport and KPIReport, and their tables.

The scenario has fixed durations, so the expected figures are worked out by hand: the three
activities take 30 min + 5 h + 20 min = 5 h 50 min of one clerk's working time per case
(5.83 h; the TO-BE check takes 3 h: 3.83 h). An hour of work costs 600 RUB / 0.8 (the default
practical capacity, `leanproc.cost.rates`) = 750 RUB: 4 375 RUB per case.
"""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest

from helpers.bpmn_text import chain
from leanproc._display import fmt_number
from leanproc.bpmn.reader import read_bpmn
from leanproc.comparison import compare
from leanproc.comparison.ladder import ladder
from leanproc.cost import process_cost
from leanproc.simulation import simulate

STEPS = ["Принять заявление", "Проверить документы", "Выдать результат"]
AS_IS = {
    "start": "2024-03-04T09:00",
    "timezone": "Asia/Tomsk",
    "calendar": "ru-5x8",
    "arrivals": {"interarrival": {"exponential": {"mean": "3h"}}, "cases": 20},
    "resources": {"Специалист": {"count": 1, "cost_per_hour": 600}},
    "activities": {
        "Принять заявление": {"resource": "Специалист", "duration": "30min"},
        "Проверить документы": {"resource": "Специалист", "duration": "5h"},
        "Выдать результат": {"resource": "Специалист", "duration": "20min"},
    },
}
FASTER_CHECK = {"activities": {"Проверить документы": {"duration": "3h"}}}
FASTER_ISSUE = {"activities": {"Выдать результат": {"duration": "10min"}}}
KPI = "processing_working.mean"
BEFORE_H, AFTER_H = 35 / 6, 23 / 6  # 5 h 50 min, 3 h 50 min
RATE = 600 / 0.8


def _patched(patch: dict) -> dict:
    out = copy.deepcopy(AS_IS)
    for name, change in patch["activities"].items():
        out["activities"][name].update(change)
    return out


@pytest.fixture(scope="module")
def model():
    return read_bpmn(chain(STEPS))


@pytest.fixture(scope="module")
def comparison(model):
    return compare(AS_IS, _patched(FASTER_CHECK), {KPI: "<= 4h", "approvals": "== 1"},
                   models=(model, model), replications=2, volume_per_year=100)


def _cells(html: str) -> list[list[str]]:
    """The table rows of a view as lists of cell texts (tags stripped)."""
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", html)]


def _row(html: str, first: str) -> list[str]:
    return next(r for r in _cells(html) if r and r[0] == first)


def test_comparison_table_holds_numbers_in_hours(comparison) -> None:
    table = comparison.table().set_index("kpi")
    assert table.loc[KPI, "unit"] == "h"
    assert table.loc[KPI, "before"] == pytest.approx(BEFORE_H)
    assert table.loc[KPI, "after"] == pytest.approx(AFTER_H)
    assert table.loc[KPI, "change_pct"] == pytest.approx(-1200 / 35)  # -2 h of 5 h 50 min
    assert table.loc["cost.per_case", "unit"] == "₽"
    assert table.loc["cost.per_case", "before"] == pytest.approx(BEFORE_H * RATE)
    for column in ("before", "before_low", "after", "change", "change_pct", "target_value"):
        assert pd.api.types.is_float_dtype(table[column]), column
    assert set(table["verdict"]) == {"met", "not met", ""}


def _ru(value: float) -> str:
    """A number as the Russian views write it («1 234,5»)."""
    return fmt_number(value, "ru")


def test_comparison_view_shows_hours_units_and_verdicts(comparison) -> None:
    ru = comparison.display(lang="ru")._repr_html_()
    row = _row(ru, "Время обработки (рабочее время), среднее")
    # unit, before, target, after, change, CI (a point: all replications equal), %, verdict
    assert row[1:] == ["ч", _ru(BEFORE_H), "≤ 4 ч", _ru(AFTER_H), "-2", "",
                       "-34,3", "✓ достигнута"]
    assert _row(ru, "Согласования")[-1] == "✗ не достигнута"
    assert "среднее по 2 парным прогонам" in ru
    assert str(35 * 600) not in ru  # 21 000 s of processing never shows as seconds
    en = comparison._repr_html_()
    assert _row(en, "Processing time (working), mean")[-1] == "✓ met"
    assert "mean over 2 paired replications" in en
    assert repr(comparison).startswith("<Comparison AS-IS -> TO-BE: 2 paired")
    with pytest.raises(ValueError, match="lang must be one of"):
        comparison.display(lang="de")


def test_cost_view_shows_roubles_and_hours_by_activity_and_role(model) -> None:
    run = simulate(AS_IS, model=model, seed=1)
    cost = process_cost(run, volume_per_year=100)
    ru = cost.display(lang="ru")._repr_html_()
    assert f"Стоимость одного обращения: <b>{_ru(BEFORE_H * RATE)} ₽" in ru
    row = _row(ru, "Проверить документы")  # executions, hours, cost, per case, share
    cases = cost.cases
    assert row[1:] == [_ru(cases), _ru(5.0 * cases),
                       _ru(5 * RATE * cases), _ru(5 * RATE),
                       _ru(100 * 5 / BEFORE_H)]
    assert _row(ru, "Специалист")[4] == _ru(RATE)
    assert "Стоимость по ролям" in ru and "Ставка, ₽/ч" in ru
    assert "Cost per case: <b>" in cost._repr_html_()
    assert repr(cost).startswith(f"<CostReport: {cases} cases")


def test_kpi_view_says_what_it_measured(model) -> None:
    report = simulate(AS_IS, model=model, seed=1).kpis()
    html = report.display(lang="ru")._repr_html_()
    assert _row(html, "Время обработки (рабочее время), среднее")[1:3] == [
        _ru(BEFORE_H), "ч"]
    assert "один прогон" in html and "по календарю ru-5x8" in html
    assert str(35 * 600) not in html
    en = report._repr_html_()
    assert "one event log" in en and "Per activity" in en
    assert repr(report).startswith(f"<KPIReport: {report.cases}")


def test_ladder_table_and_view(model) -> None:
    steps = ladder(AS_IS, [{"name": "Быстрая проверка", "patch": FASTER_CHECK,
                            "claimed": {"lead_time_saved": "2h"}},
                           {"name": "Быстрая выдача", "patch": FASTER_ISSUE}],
                   model=model, replications=2, lead_time_kpi=KPI)
    table = steps.table()
    assert list(table["unit"]) == ["h"] * 3
    assert table["level"].tolist() == pytest.approx([BEFORE_H, AFTER_H, AFTER_H - 1 / 6])
    assert table["saving"].iloc[1:].tolist() == pytest.approx([2.0, 1 / 6])
    assert table["share_pct"].iloc[1:].tolist() == pytest.approx([1200 / 13, 100 / 13])
    assert table["claimed_saving"].iloc[1] == pytest.approx(2.0)
    assert all(pd.api.types.is_float_dtype(table[c])
               for c in ("level", "saving", "saving_low", "share_pct", "claimed_saving"))
    ru = steps.display(lang="ru")._repr_html_()
    assert _row(ru, "1")[1:] == ["Быстрая проверка", _ru(AFTER_H), "2", "",
                                 _ru(1200 / 13), "2"]
    assert _row(ru, "")[1] == "Всего от «Было» к «Стало»"
    assert "Лестница улучшений" in ru and "Сокращение, ч" in ru
    assert repr(steps).startswith("<Ladder of 2 improvements")


def test_models_and_runs_choose_their_language_the_same_way(model) -> None:
    run = simulate(AS_IS, model=model, seed=1)
    assert run._repr_html_() == run.display()._repr_html_()
    assert "Имитация" in run.display(lang="ru")._repr_html_()
    assert "Показатель" in model.display(lang="ru")._repr_html_()
    assert model._repr_html_() == model.display(lang="en")._repr_html_()
