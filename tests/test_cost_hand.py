"""The process calculator against a hand computation, to the kopeck.

Two pools with known rates, deterministic durations, three cases; one case's work runs over
the lunch break and overnight, so only working-time pricing gives every case the same cost.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest

from helpers.bpmn_text import chain
from leanproc.bpmn.reader import read_bpmn
from leanproc.cost import kopecks, process_cost, rate_of
from leanproc.simulation.run import simulate

SPECIALIST, HEAD = "Специалист", "Начальник отдела"

SCENARIO = {
    "start": "2024-03-04T09:00",
    "timezone": "Asia/Tomsk",
    "calendar": "ru-5x8",
    # the third case arrives at 16:30: its work runs into the next morning
    "arrivals": {"times": ["2024-03-04T09:00", "2024-03-04T12:00", "2024-03-04T16:30"]},
    "resources": {
        SPECIALIST: {"count": 1, "cost_per_hour": 600, "practical_capacity": 1},
        HEAD: {"count": 1, "monthly_salary": 120000, "overhead": 0.35},  # taxes, capacity: defaults
    },
    "activities": {
        "Принять заявление": {"resource": SPECIALIST, "duration": "30min",
                              "cost_per_execution": 12.5},
        "Согласовать решение": {"resource": HEAD, "duration": "45min"},
        "Выдать результат": {"resource": SPECIALIST, "duration": "2h"},
    },
    "fixed_costs": {"per_case": 100},
}

# by hand: 120000 x 12 x 1.302 x 1.35 / 1979 h (RU 2024) / 0.8 practical capacity
HEAD_RATE = (Decimal(120000) * 12 * Decimal("1.302") * Decimal("1.35") / Decimal(1979)
             / Decimal("0.8"))
CASE_COST = (Decimal("0.5") * 600 + Decimal("12.5") + Decimal("0.75") * HEAD_RATE
             + 2 * Decimal(600) + 100)
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def result():
    model = read_bpmn(chain(["Принять заявление", "Согласовать решение", "Выдать результат"]))
    return simulate(SCENARIO, model, seed=7)


def test_salary_rate_matches_the_production_calendar() -> None:
    spec = type("Spec", (), {"monthly_salary": 120000, "overhead": 0.35})()
    rate = rate_of(HEAD, spec)
    assert rate.hours_fund == 1979
    assert kopecks(rate.paid_per_hour) == (HEAD_RATE * Decimal("0.8")).quantize(CENT)  # 1278.97
    assert kopecks(rate.per_hour) == HEAD_RATE.quantize(CENT)  # 1598.72


def test_cost_per_case_to_the_kopeck(result) -> None:
    report = process_cost(result.log, result.bound)
    assert report.cases == 3
    expected = CASE_COST.quantize(CENT)  # 2811.54
    assert expected == Decimal("2811.54")
    for case_cost in report.per_case:  # overnight work is not paid at clock time
        assert kopecks(case_cost) == expected
    assert kopecks(report.mean) == expected
    assert kopecks(report.total) == (3 * CASE_COST).quantize(CENT)
    assert report.labour_hours == pytest.approx(3.25, abs=1e-9)


def test_the_third_case_really_ran_overnight(result) -> None:
    last = result.log[result.log["case:concept:name"] == "3"]
    span = last["time:timestamp"].max() - last["start_timestamp"].min()
    assert span.total_seconds() > 12 * 3600  # clock time, versus 3.25 working hours


def test_fsa_table_reconciles(result) -> None:
    report = process_cost(result.log, result.bound, volume_per_year=1000)
    table = report.fsa_table(lang="ru")
    cost = "Стоимость, руб."
    assert table.iloc[-1]["Действие"] == "Итого стоимость процесса"
    assert table.iloc[-1][cost] == (3 * CASE_COST).quantize(CENT)
    head = table[(table["Ресурс"] == HEAD)].iloc[0]
    assert head["Тип ресурса"] == "временной"
    assert head["Стоимость единицы ресурса, руб."] == HEAD_RATE.quantize(CENT)
    assert head["Количество на одно выполнение"] == 0.75
    assert head["Количество выполнений"] == 3
    assert head[cost] == (3 * Decimal("0.75") * HEAD_RATE).quantize(CENT)
    paper = table[table["Ресурс"] == "Материалы и услуги"].iloc[0]
    assert (paper["Тип ресурса"], paper[cost]) == ("штучный", Decimal("37.50"))
    fixed = table[table["Ресурс"] == "Постоянные затраты на одно обращение"].iloc[0]
    assert fixed[cost] == Decimal("300.00")
    # the rows add up to the total within the display rounding of each row
    rows = table.iloc[:-1][cost]
    assert abs(sum(rows) - table.iloc[-1][cost]) <= CENT * len(rows)
    # yearly figures at the given volume
    assert kopecks(report.per_year) == (1000 * CASE_COST).quantize(CENT)
    assert report.labour_hours_per_year == pytest.approx(3250)
    assert report.fte == pytest.approx(3250 / 1979)


def test_by_pool_and_unused_capacity(result) -> None:
    report = process_cost(result.log, result.bound)
    pools = report.by_pool().set_index("pool")
    assert pools.loc[SPECIALIST, "hours"] == pytest.approx(7.5)
    assert kopecks(pools.loc[SPECIALIST, "time_cost"]) == Decimal("4500.00")
    cap = report.capacity.set_index("pool")
    # paid capacity splits exactly into used and unused (time-driven ABC)
    for pool in (SPECIALIST, HEAD):
        row = cap.loc[pool]
        assert row["paid_cost"] == pytest.approx(row["used_cost"] + row["unused_cost"])
    # case 3: specialist 16:30-17:00, head 17:00-17:45, specialist 17:45-18:00 and 09:00-10:45
    # next morning; 4 March 09:00 -> 5 March 10:45 is 8 + 1.75 = 9.75 working hours
    assert cap.loc[SPECIALIST, "paid_hours"] == pytest.approx(9.75)
    assert cap.loc[HEAD, "practical_hours"] == pytest.approx(9.75 * 0.8)
    assert cap.loc[SPECIALIST, "unused_hours"] == pytest.approx(9.75 - 7.5)


def test_targets_on_one_run_use_the_per_case_interval(result) -> None:
    from leanproc.targets import evaluate

    report = evaluate(result, {"cost.per_case": "<= 2811.54 руб", "approvals": 1,
                               "lead_time.mean": "<= 1wd"})
    assert report["cost.per_case"].verdict == "met"  # every case costs exactly this
    assert report["approvals"].verdict == "met"  # "Согласовать решение"
    assert report["lead_time.mean"].n == 1


def test_a_log_without_the_needed_columns_is_refused(result) -> None:
    from leanproc.errors import LogError

    with pytest.raises(LogError, match="lacks the column"):
        process_cost(result.log.drop(columns=["time:timestamp"]), result.bound)
    with pytest.raises(LogError, match="needs a scenario"):
        process_cost(result.log)
    # a real log's roles that the scenario does not price are named in the notes
    log = result.log.copy()
    log["org:role"] = log["org:role"].astype(str).replace({SPECIALIST: "Архив"})
    report = process_cost(log, result.bound)
    assert any("Архив" in note for note in report.notes)
    assert kopecks(report.mean) == (Decimal("0.75") * HEAD_RATE + Decimal("12.5") + 100
                                    ).quantize(CENT)


def test_cost_window_starts_at_a_case_s_earliest_instant(result) -> None:
    """The calculator's window opens where the KPIs' first case starts: at the earliest
    instant of any case, even when a log's case:arrival is later than an event."""
    from leanproc.kpi import kpis

    log = result.log.copy()
    first = log["case:concept:name"] == "1"
    early = log.loc[first, "start_timestamp"].min() - pd.Timedelta(hours=1)
    log.loc[first, "case:arrival"] = early + pd.Timedelta(hours=3)  # recorded late
    log.loc[first & (log["concept:name"] == "Принять заявление"), "enable_timestamp"] = early
    report = process_cost(log, result.bound)
    assert report.window[0] == early
    starts = kpis(log).per_case["start"]
    assert starts.min() == early


def test_cost_interval_is_cut_at_zero(result) -> None:
    """One very costly case among cheap ones: the t interval of the mean cost reaches below
    zero, and a cost cannot be negative, so it is cut there (as every non-negative KPI)."""
    report = process_cost(result.log, result.bound)
    skewed = replace(report, per_case=pd.Series([1.0, 1.0, 1.0, 1000.0]))
    d = skewed.distribution()
    assert d["mean"] - (d["ci_high"] - d["mean"]) < 0  # the uncut interval reaches below 0
    assert d["ci_low"] == 0.0
    refund = replace(report, per_case=pd.Series([1.0, 1.0, -5.0, 1000.0]))
    assert refund.distribution()["ci_low"] < 0  # a negative recorded cost keeps it plain
