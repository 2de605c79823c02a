"""`to_excel` of a comparison, a ladder, a cost report, a KPI report, a run and replications:
written, opened again with openpyxl, and checked against the object's own tables."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from helpers.cli_scenarios import small_pair
from leanproc._workbook import FORMATS
from leanproc.comparison import compare
from leanproc.comparison.ladder import ladder_from_file
from leanproc.cost import process_cost
from leanproc.simulation.run import simulate

TAXI = Path(__file__).resolve().parents[1] / "examples" / "taxi-permit"
TIME_HEADS = {"lead_time", "processing", "waiting", "value_adding",
              "lead_time_working", "processing_working", "waiting_working",
              "value_adding_working"}
COUNTS = {"activities", "approvals", "paper_documents", "participants", "handoffs",
          "client_actions"}


def _expected(key: str, value: float) -> tuple[float, str]:
    """What the sheet should hold for a KPI value in its internal unit, and the format:
    worked out here from the KPI names, not from the writer's rules."""
    head = key.split(".", 1)[0]
    if head in TIME_HEADS:
        return value / 3600.0, FORMATS["hours"]
    if head in ("pce", "pce_working") or key.startswith(("sla_share", "utilisation")):
        return value, FORMATS["percent"]
    if head == "cost":
        return value, FORMATS["money"]
    if head == "labour_hours":
        return value, FORMATS["hours"]
    if key in COUNTS:
        return value, FORMATS["integer"]
    return value, FORMATS["number"]


def _rows(ws) -> list[dict[str, object]]:
    head = [c.value for c in ws[1]]
    out = []
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:
            break  # the blank row before the footer
        out.append({h: c for h, c in zip(head, row, strict=False)})
    return out


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return small_pair(tmp_path_factory.mktemp("xl"))


@pytest.fixture(scope="module")
def comparison():
    return compare(TAXI / "as-is.scenario.yaml", TAXI / "to-be.scenario.yaml",
                   TAXI / "targets.yaml", replications=3, volume_per_year=5000)


def test_before_target_after_sheet_holds_the_comparisons_numbers(comparison, tmp_path):
    path = comparison.to_excel(tmp_path / "c.xlsx", lang="ru")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Было-Цель-Стало", "Параметры"]
    ws = book["Было-Цель-Стало"]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert head[:7] == ["Показатель", "Было", "Цель", "Стало", "Изменение", "Изменение, %",
                        "Итог"]
    table = comparison.table()
    rows = {r["Код показателя"].value: r for r in _rows(ws)}
    assert list(rows) == list(table["kpi"])
    for r in table.to_dict("records"):
        cells = rows[r["kpi"]]
        key = r["kpi"]
        for column, value in (("Было", comparison.side(key, "before").mean),
                              ("Стало", comparison.side(key, "after").mean),
                              ("Изменение", comparison.change(key).mean)):
            want, number_format = _expected(r["kpi"], value)
            cell = cells[column]
            assert cell.data_type == "n", (r["kpi"], column, cell.value)
            assert cell.value == pytest.approx(want, rel=1e-12, abs=1e-12)
            assert cell.number_format == number_format
        assert cells["Изменение, %"].number_format == FORMATS["percent"]
    # the targets: the bound as a number with its operator, the verdict in words
    report = {o.target.measured: o for o in comparison.target_report()}
    lead = rows["lead_time_working.mean"]
    assert lead["Цель"].value == pytest.approx(report["lead_time_working.mean"].target.bound
                                               / 3600.0)
    assert lead["Цель"].number_format == '"≤ "' + FORMATS["hours"]
    assert lead["Итог"].value == {"met": "достигнута", "not met": "не достигнута",
                                  "uncertain": "не доказана"}[
        report["lead_time_working.mean"].verdict]
    assert rows["approvals"]["Цель"].value == 0
    assert rows["approvals"]["Цель"].number_format == '"= "' + FORMATS["integer"]
    assert rows["lead_time.mean"]["Цель"].value is None  # no target on this row


def test_the_savings_line_follows_the_table(comparison, tmp_path):
    ws = openpyxl.load_workbook(comparison.to_excel(tmp_path / "c.xlsx", lang="en"))[
        "Before-Target-After"]
    labels = {row[0].value: row for row in ws.iter_rows(min_row=2) if row[0].value}
    saving = comparison.saving_per_case()
    line = labels["Saving per case, ₽"]
    assert [c.value for c in line[1:4]] == pytest.approx([saving.mean, saving.low, saving.high])
    assert line[1].number_format == FORMATS["money"]
    fte = comparison.fte_freed()
    assert labels["FTE freed"][1].value == pytest.approx(fte.mean)


def test_parameters_say_what_the_numbers_are(comparison, tmp_path):
    ws = openpyxl.load_workbook(comparison.to_excel(
        tmp_path / "c.xlsx", lang="ru", parameters={"scenario_file": "as-is.yaml"}))["Параметры"]
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2)}
    assert values["Файл сценария"] == "as-is.yaml"
    assert values["Число прогонов"] == 3
    assert values["Значения"] == "среднее по 3 прогонам"
    assert values["Зерно генератора"] == comparison.seeds[0]
    assert values["Календарь"].startswith("ru-5x8")
    assert values["Версия leanproc"] and values["Дата выгрузки"]


def test_ladder_sheet_holds_each_measures_saving(tmp_path):
    lad = ladder_from_file(TAXI / "improvements.yaml", replications=2)
    book = openpyxl.load_workbook(lad.to_excel(tmp_path / "l.xlsx", lang="ru"))
    assert book.sheetnames == ["Лестница улучшений", "Было-Цель-Стало", "Параметры"]
    ws = book["Лестница улучшений"]
    head = [c.value for c in ws[1]]
    assert head[:2] == ["№", "Мероприятие"] and "Заявленное снижение ВПП, ч" in head
    kpi = lad.lead_time_kpi
    water = lad.waterfall([kpi, "cost.per_case"]).to_dict("records")
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert body[0][1] == "Исходно" and body[0][2] == pytest.approx(lad.level(0) / 3600.0)
    for r, row in zip(water, body[1:], strict=False):
        assert row[:2] == (r["step"], r["improvement"])
        assert row[2:6] == pytest.approx((r[f"{kpi}.after"], r[f"{kpi}.saving"],
                                          r[f"{kpi}.saving_low"], r[f"{kpi}.saving_high"]))
        claimed = r["claimed_lead_time_saved_h"]
        assert row[-1] == (None if math.isnan(claimed) else pytest.approx(claimed))
    total = body[len(water) + 1]
    assert total[1] == "Итого"
    assert total[3] == pytest.approx(lad.total_saving().mean / 3600.0)
    share = ws.cell(row=3, column=7)
    assert share.number_format == FORMATS["percent"] and share.data_type == "n"


def test_cost_workbook_has_the_fsa_sheets_in_money(pair, tmp_path):
    report = process_cost(simulate(pair[0], seed=1))
    book = openpyxl.load_workbook(report.to_excel(tmp_path / "cost.xlsx", lang="ru"))
    assert book.sheetnames == ["ФСА", "ФСА по операциям", "ФСА по ролям", "Итоги", "Параметры"]
    fsa = book["ФСА"]
    assert [c.value for c in fsa[1]][:3] == ["Действие", "Ресурс", "Тип ресурса"]
    last = fsa.max_row
    assert fsa.cell(last, 1).value == "Итого стоимость процесса"
    total = fsa.cell(last, 9)
    assert total.data_type == "n" and total.number_format == FORMATS["money"]
    assert total.value == pytest.approx(round(report.total, 2), abs=0.005)
    roles = _rows(book["ФСА по ролям"])
    by_pool = report.by_pool()
    assert [r["Роль (участник)"].value for r in roles] == list(by_pool["pool"])
    assert roles[0]["Ставка, ₽/ч"].value == pytest.approx(by_pool["rate_per_hour"].iloc[0])
    assert roles[0]["Часы, ч"].number_format == FORMATS["hours"]
    activities = _rows(book["ФСА по операциям"])
    shares = [r["Доля в стоимости процесса, %"] for r in activities]
    assert all(c.number_format == FORMATS["percent"] for c in shares)
    assert sum(c.value for c in shares) == pytest.approx(1.0)


def test_a_run_and_replications_write_their_kpis(pair, tmp_path):
    run = simulate(pair[0], seed=2)
    book = openpyxl.load_workbook(run.to_excel(tmp_path / "run.xlsx", lang="en"))
    assert book.sheetnames[0] == "KPIs" and book.sheetnames[-1] == "Parameters"
    rows = {r["KPI key"].value: r for r in _rows(book["KPIs"])}
    values = run.kpi.as_dict(activities=False)
    for key in ("lead_time.mean", "pce", "cases"):
        want, number_format = _expected(key, values[key])
        assert rows[key]["Value"].value == pytest.approx(want)
        if key != "cases":
            assert rows[key]["Value"].number_format == number_format
    assert rows["cases"]["Value"].number_format == FORMATS["integer"]
    params = {r[0].value: r[1].value for r in book["Parameters"].iter_rows(min_row=2)}
    assert params["Values are"] == "one run" and params["Random seed"] == 2

    reps = simulate(pair[0], seed=2, replications=2)
    book = openpyxl.load_workbook(reps.to_excel(tmp_path / "reps.xlsx", lang="ru"))
    ws = book["Показатели"]
    assert [c.value for c in ws[1]][:4] == ["Показатель", "Среднее", "95 % ДИ, нижн.",
                                            "95 % ДИ, верхн."]
    rows = {r["Код показателя"].value: r for r in _rows(ws)}
    summary = reps.summary()
    mean = rows["lead_time.mean"]["Среднее"]
    assert mean.value == pytest.approx(summary.loc["lead_time.mean", "mean"] / 3600.0)
    assert mean.number_format == FORMATS["hours"]
    assert not any(k.startswith("activity.") or k.endswith(".ci_low") for k in rows)
    params = {r[0].value: r[1].value for r in book["Параметры"].iter_rows(min_row=2)}
    assert params["Значения"] == "среднее по 2 прогонам" and params["Число прогонов"] == 2


def test_a_kpi_report_writes_per_activity_and_utilisation(pair, tmp_path):
    report = simulate(pair[0], seed=3).kpi
    book = openpyxl.load_workbook(report.to_excel(tmp_path / "k.xlsx", lang="ru"))
    assert book.sheetnames == ["Показатели", "По операциям", "Загрузка ресурсов", "Параметры"]
    acts = _rows(book["По операциям"])
    first = report.per_activity.iloc[0]
    assert acts[0]["Операция"].value == first["activity"]
    assert acts[0]["Выполнений"].value == first["count"]
    waiting = acts[0]["Время ожидания, среднее, ч"]
    assert waiting.value == pytest.approx(first["waiting_mean"] / 3600.0)
    util = _rows(book["Загрузка ресурсов"])[0]["Загрузка, %"]
    role = report.utilisation_detail.iloc[0]
    assert util.value == pytest.approx(role["utilisation"]) and not math.isnan(util.value)
    assert util.number_format == FORMATS["percent"]
