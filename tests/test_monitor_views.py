"""Views of a post-monitoring report: notebook view, chart, workbook and HTML report page.

The reports are built by hand (tests/helpers/monitor_reports.py) with chosen figures, so each
test checks that a view shows those figures, in hours and in the language's number format.
"""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.dates import date2num
from openpyxl import load_workbook

from helpers.monitor_reports import AFTER_H, BEFORE_H, CHANGE, HOUR, validation_of, weekly_report
from leanproc._view import HTMLView
from leanproc.report import html as report_html


# ---------------------------------------------------------------- notebook view and repr
def test_display_shows_hours_and_the_change_in_english() -> None:
    view = weekly_report().display()
    assert isinstance(view, HTMLView)
    text = view.html
    assert "Post-monitoring: Lead time per week" in text
    assert "Change point: 2025-03-24 (given); 486 cases before, 490 after" in text
    # before / after of the mean in hours with the 95 % intervals, and the change in %
    assert ">72.2<" in text and "70.1 … 74.3" in text
    assert ">24.4<" in text and "23.2 … 25.6" in text
    assert f">{(24.4 / 72.2 - 1) * 100:.1f}<" in text  # -66.2
    # a period row: its start, its mean in hours (74.5) and median (74.5 - 6)
    assert "<td>2025-01-13</td>" in text and ">74.5<" in text and ">68.5<" in text


def test_display_in_russian_uses_decimal_commas_and_russian_dates() -> None:
    text = weekly_report().display(lang="ru").html
    assert "Постмониторинг: ВПП по периодам (неделя)" in text
    assert "Точка изменения: 24.03.2025 (задана)" in text
    assert ">72,2<" in text and "70,1 … 74,3" in text and ">-66,2<" in text
    assert "<td>13.01.2025</td>" in text and ">74,5<" in text
    assert "72.2" not in text


def test_the_periods_a_rule_flags_are_marked_in_the_table() -> None:
    report = weekly_report()
    flagged = set(report.chart.signals["period"])
    assert flagged, "the hand-built report flags the weeks below the lower limit"
    text = report.display().html
    assert text.count("beyond_limits") == len(flagged)


def test_no_change_says_so_and_has_no_comparison_table() -> None:
    report = weekly_report(change=False)
    text = report.display().html
    assert "No change detected" in text and "Before / after" not in text
    assert "Изменение не обнаружено" in report.display(lang="ru").html


def test_repr_is_short_and_the_notebook_shows_english() -> None:
    report = weekly_report()
    assert repr(report) == ("<MonitorReport lead_time per W: 24 periods, "
                            "change at 2025-03-24 00:00:00>")
    assert report._repr_html_() == report.display("en").html


def test_verdicts_against_the_projection_are_shown() -> None:
    text = weekly_report(validation=validation_of(True)).display(lang="ru").html
    assert "Сравнение с прогнозом и целями" in text
    assert "подтверждено" in text and ">26<" in text and "&lt;= 30h" in text


def test_display_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang must be one of"):
        weekly_report().display(lang="de")


# ----------------------------------------------------------------------------- the chart
def _line(fig, label_start: str):
    ax = fig.axes[0]
    found = [a for a in [*ax.lines, *ax.collections]
             if str(a.get_label()).startswith(label_start)]
    assert found, f"no artist labelled {label_start!r}"
    return found[0]


def test_plot_draws_the_kpi_in_hours_with_limits_and_change() -> None:
    report = weekly_report()
    fig = report.plot()
    line = _line(fig, "Lead time, mean")
    np.testing.assert_allclose(line.get_ydata(), BEFORE_H + AFTER_H)
    centre = _line(fig, "Centre line")
    assert centre.get_segments()[0][0][1] == pytest.approx(report.chart.centre / HOUR)
    limits = _line(fig, "Natural process limits")
    heights = sorted(seg[0][1] for seg in limits.get_segments())
    assert heights == pytest.approx([report.chart.lower / HOUR, report.chart.upper / HOUR])
    change = _line(fig, "Change point: 2025-03-24")
    assert change.get_xdata()[0] == pytest.approx(date2num(CHANGE.to_pydatetime()))
    # each side's median as a segment on its own side of the change
    before = _line(fig, "Before: median: 66").get_segments()[0]
    after = _line(fig, "After: median: 18.5").get_segments()[0]
    at = date2num(CHANGE.to_pydatetime())
    assert before[1][0] == pytest.approx(at) and after[0][0] == pytest.approx(at)
    assert before[0][1] == pytest.approx(66.0) and after[0][1] == pytest.approx(18.5)
    assert fig.axes[0].get_ylabel() == "Lead time, h"


def test_plot_marks_the_flagged_periods() -> None:
    report = weekly_report()
    flagged = _line(report.plot(), "Flagged period")
    expected = sorted(date2num(p.to_pydatetime()) for p in report.chart.signals["period"])
    assert sorted(flagged.get_offsets()[:, 0]) == pytest.approx(expected)
    assert mcolors.to_hex(flagged.get_edgecolor()[0]) == "#c0392b"


def test_plot_draws_the_projection_over_the_after_period() -> None:
    report = weekly_report(projection=True)
    assert report.projection is not None
    fig = report.plot()
    hours = report.projection.to_numpy() / HOUR
    median = _line(fig, "Projection: median").get_segments()[0]
    assert median[0][1] == pytest.approx(np.median(hours))
    assert median[0][0] == pytest.approx(date2num(CHANGE.to_pydatetime()))
    band = _line(fig, "Projection: 10–90 %").get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(np.quantile(hours, 0.1))
    assert band.max() == pytest.approx(np.quantile(hours, 0.9))
    assert not any(str(a.get_label()).startswith("Projection")
                   for a in weekly_report().plot().axes[0].get_children())


def test_plot_in_russian_has_russian_words_and_decimal_commas() -> None:
    fig = weekly_report().plot(lang="ru")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "ВПП, ч"
    labels = [str(a.get_label()) for a in ax.get_children()]
    assert "Стало: медиана: 18,5" in labels and "Точка изменения: 24.03.2025" in labels
    fig.canvas.draw()
    months = [t.get_text() for t in ax.get_xticklabels()]
    assert "мар" in months and "Mar" not in months


def test_plot_draws_on_a_given_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert weekly_report().plot(ax=ax) is fig and ax.get_ylabel() == "Lead time, h"


# -------------------------------------------------------------------------- the workbook
def test_workbook_reads_back_hours_percent_and_signals(tmp_path) -> None:
    report = weekly_report(validation=validation_of(False))
    path = report.to_excel(tmp_path / "monitor.xlsx", lang="ru")
    book = load_workbook(path)
    assert book.sheetnames == ["Периоды", "Было - Стало", "Сигналы",
                               "Сравнение с прогнозом и целями", "Параметры"]
    periods = book["Периоды"]
    assert [c.value for c in periods[1]] == ["Период", "Случаев", "Среднее, ч", "Медиана, ч",
                                             "Сигнал"]
    assert [periods.cell(row=i, column=3).value for i in range(2, 26)] == \
        pytest.approx(BEFORE_H + AFTER_H)
    assert periods["D3"].value == pytest.approx(68.5)
    assert periods["A2"].value.date().isoformat() == "2025-01-06"
    compared = book["Было - Стало"]
    assert compared["A2"].value == "ВПП, среднее, ч"
    assert compared["B2"].value == pytest.approx(72.2)
    assert compared["G2"].value == pytest.approx(25.6)
    assert compared["H2"].value == pytest.approx(24.4 / 72.2 - 1)
    assert compared["H2"].number_format == "0.0%"
    signals = book["Сигналы"]
    assert signals.max_row - 1 == len(report.chart.signals)
    assert signals["B2"].value == "beyond_limits"
    params = {r[0]: r[1] for r in book["Параметры"].iter_rows(min_row=2, values_only=True)}
    assert params["Показатель"] == "ВПП" and params["Длина периода"] == "неделя"
    assert params["Цели достигнуты после изменения"] == "нет"
    assert params["Календарь"] == "ru-5x8"


def test_workbook_without_change_has_an_empty_comparison(tmp_path) -> None:
    path = weekly_report(change=False).to_excel(tmp_path / "m.xlsx")
    book = load_workbook(path)
    assert book["Before - after"].max_row == 1
    params = {r[0]: r[1] for r in book["Parameters"].iter_rows(min_row=2, values_only=True)}
    assert params["Change point"] == "No change detected"


# ----------------------------------------------------------------------- the HTML report
def test_report_html_takes_a_monitor_report(tmp_path) -> None:
    out = tmp_path / "monitor.html"
    page = report_html(weekly_report(validation=validation_of(True), projection=True),
                       lang="ru", path=out)
    assert out.read_text(encoding="utf-8") == page
    assert page.count("<img src=\"data:image/png;base64,") == 1
    assert "Точка изменения: 24.03.2025" in page and "70,1 … 74,3" in page
    assert "цели после изменения достигнуты" in page
    assert "<td>13.01.2025</td>" in page and "Базовый период 06.01.2025 .. 24.02.2025" in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained


def test_report_section_says_when_a_target_is_missed() -> None:
    page = report_html(weekly_report(validation=validation_of(False)))
    assert "a target is not met in the after-period" in page and "card not-met" in page
