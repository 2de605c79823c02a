"""Figure functions on small hand-made data: the expected artists, in the chosen language."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from leanproc import log as schema  # noqa: E402
from leanproc.report import figures as F  # noqa: E402


def _texts(fig: Figure) -> list[str]:
    """Every piece of text on the figure: titles, labels, tick labels, annotations, legends."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _bars(ax: Axes) -> list[Rectangle]:
    return [p for c in ax.containers for p in c]


def _tiny_log() -> pd.DataFrame:
    t0 = pd.Timestamp("2024-03-04 09:00", tz="Europe/Moscow")
    h = pd.Timedelta(hours=1)
    rows = [  # case, activity, start offset, end offset (hours)
        ("1", "Register", 0, 1), ("1", "Approve", 3, 4),
        ("2", "Register", 2, 3), ("2", "Approve", 5, 7), ("2", "Issue", 8, 9),
        ("3", "Register", 1, 2),
    ]
    return pd.DataFrame({
        schema.CASE: [r[0] for r in rows],
        schema.ACTIVITY: [r[1] for r in rows],
        schema.START: [t0 + r[2] * h for r in rows],
        schema.END: [t0 + r[3] * h for r in rows],
    })


# ---------------------------------------------------------------- lead time distribution
def test_lead_time_distribution_two_panels_with_target_line() -> None:
    before = pd.Series([60.0, 70.0, 72.0, 80.0, 90.0])
    after = pd.Series([20.0, 22.0, 24.0, 30.0])
    fig = F.lead_time_distribution(before, after, target="24h", bins=5)
    hist_ax, ecdf_ax = fig.axes
    # one filled polygon per scenario in the histogram, one step line each in the ECDF
    assert len(hist_ax.patches) == 2
    ecdf_lines = [ln for ln in ecdf_ax.get_lines() if ln.get_linestyle() == "-"]
    assert len(ecdf_lines) == 2
    # the target is a vertical dashed line at 24 h on both panels
    for ax in fig.axes:
        dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert len(dashed) == 1 and np.allclose(dashed[0].get_xdata(), 24.0)
    # the ECDF ends at 1 for each scenario
    assert all(ln.get_ydata()[-1] == pytest.approx(1.0) for ln in ecdf_lines)
    assert "Lead time, h" in _texts(fig)


def test_lead_time_distribution_russian_days_and_log_input() -> None:
    fig = F.lead_time_distribution(_tiny_log(), kind="ecdf", unit="d", lang="ru")
    texts = _texts(fig)
    assert "ВПП, дн." in texts
    assert any(t.startswith("Было") for t in texts)
    (line,) = [ln for ln in fig.axes[0].get_lines()]
    # case 2 runs from its first start (2 h) to its last completion (9 h): 7 h, in days
    assert line.get_xdata().max() == pytest.approx(7 / 24)


def test_lead_time_distribution_into_callers_axes() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    assert F.lead_time_distribution([1.0, 2.0, 3.0], kind="hist", ax=ax) is fig
    with pytest.raises(ValueError, match="pair of Axes"):
        F.lead_time_distribution([1.0, 2.0], ax=ax)


def test_a_results_histogram_is_the_reports_drawing() -> None:
    # one drawing serves both: a result's notebook view draws exactly what the report draws
    # for the same lead times, name and colour (compared as PNG bytes at a fixed dpi)
    from leanproc.report._mpl import figure_png
    from leanproc.report.labels import label
    from leanproc.simulation.display import lead_time_histogram

    hours = pd.Series(np.random.default_rng(5).gamma(2.0, 8.0, 200))
    for lang in ("en", "ru"):
        view = lead_time_histogram(hours, lang=lang, bins=12)
        report = F.lead_time_distribution(hours, kind="hist", names=[label("simulation", lang)],
                                          lang=lang, bins=12)
        assert figure_png(view, dpi=40) == figure_png(report, dpi=40)


# ---------------------------------------------------------------- waterfall
def test_waterfall_72_to_24_in_four_steps() -> None:
    steps = {"Single form": 10, "Order by e-document": 19, "HR routes": 14, "Accounting": 5}
    fig = F.waterfall(steps, 72, end=24)
    ax = fig.axes[0]
    bars = _bars(ax)
    assert len(bars) == 6  # start, four steps, result: the steps reach 24 h exactly
    assert bars[0].get_height() == pytest.approx(72)
    assert bars[-1].get_height() == pytest.approx(24)
    # each step floats: its bottom is the level after the saving
    assert [b.get_y() for b in bars[1:5]] == pytest.approx([62, 43, 29, 24])
    texts = _texts(fig)
    assert "−19 h" in texts and "24 h" in texts and "Start" in texts


def test_waterfall_gap_becomes_other_and_levels_in_russian() -> None:
    fig = F.waterfall([("A", 60.0), ("B", 50.0)], 72, end=40, levels=True, lang="ru")
    names = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert names == ["Исходно", "A", "B", "Прочее", "Итого"]
    bars = _bars(fig.axes[0])
    assert bars[3].get_height() == pytest.approx(10)  # 50 -> 40 is the unexplained rest


def test_waterfall_increase_drawn_up_in_red() -> None:
    fig = F.waterfall({"cut": 10, "new check": -4}, 50)
    bars = _bars(fig.axes[0])
    assert bars[2].get_y() == pytest.approx(40) and bars[2].get_height() == pytest.approx(4)
    assert matplotlib.colors.to_hex(bars[2].get_facecolor()) == "#c0392b"
    assert bars[-1].get_height() == pytest.approx(44)


# ---------------------------------------------------------------- before / target / after
def test_before_target_after_bars_scaled_to_before() -> None:
    table = pd.DataFrame(
        {"before": [72.0, 9.0, 0.0], "target": [24.0, np.nan, 1.0],
         "after": [24.0, 7.0, 2.0], "unit": ["h", "", ""]},
        index=["Lead time", "Participants", "Routes"],
    )
    fig = F.before_target_after_bars(table, lang="ru")
    ax = fig.axes[0]
    bars = _bars(ax)
    # Routes has before = 0 (no scale) and is left out; Participants has no target
    assert len(bars) == 2 + 1 + 2
    heights = sorted(round(b.get_height(), 3) for b in bars)
    assert heights == sorted([100.0, 100.0, round(24 / 72 * 100, 3), round(24 / 72 * 100, 3),
                              round(7 / 9 * 100, 3)])
    texts = _texts(fig)
    for word in ("Было", "Цель", "Стало", "72 ч"):
        assert word in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Lead time", "Participants"]


# ---------------------------------------------------------------- cost
def test_cost_bars_stacked_sorted_with_totals() -> None:
    table = pd.DataFrame({"clerk": [100.0, 300.0, 0.0], "head": [50.0, 0.0, 900.0]},
                         index=["Register", "Check", "Approve"])
    fig = F.cost_bars(table, currency="RUB")
    ax = fig.axes[0]
    assert len(_bars(ax)) == 6  # three activities x two pools
    # the most expensive activity is drawn at the top (barh draws the first row lowest)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Register", "Check", "Approve"]
    texts = _texts(fig)
    assert {"900 RUB", "300 RUB", "150 RUB"} <= set(texts)
    assert "Cost by activity" in texts


def test_cost_bars_top_n_sums_the_rest_into_other() -> None:
    series = pd.Series({f"a{i}": float(i) for i in range(1, 6)})
    fig = F.cost_bars(series, top=2, by="pool", lang="ru")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Прочее", "a4", "a5"]
    assert "6 ₽" in _texts(fig)  # 1 + 2 + 3
    assert "Стоимость по участникам" in _texts(fig)


# ---------------------------------------------------------------- utilisation
def test_utilisation_bars_with_full_load_line_and_bottleneck_red() -> None:
    fig = F.utilisation_bars({"clerk": 0.5, "head": 0.95})
    ax = fig.axes[0]
    bars = _bars(ax)
    assert [b.get_height() for b in bars] == pytest.approx([50, 95])
    assert matplotlib.colors.to_hex(bars[1].get_facecolor()) == "#c0392b"
    full = [ln for ln in ax.get_lines() if np.allclose(ln.get_ydata(), 100)]
    assert len(full) == 1
    assert {"50 %", "95 %"} <= set(_texts(fig))


def test_utilisation_bars_grouped_by_scenario_in_russian() -> None:
    fig = F.utilisation_bars({"Было": {"a": 0.4, "b": 0.2}, "Стало": {"a": 0.3, "b": 0.1}},
                             lang="ru")
    assert len(_bars(fig.axes[0])) == 4
    assert "Загрузка ресурсов" in _texts(fig)


# ---------------------------------------------------------------- dotted chart
def test_dotted_chart_one_dot_per_event_coloured_by_activity() -> None:
    fig = F.dotted_chart(_tiny_log(), relative=True)
    ax = fig.axes[0]
    collections = ax.collections
    assert len(collections) == 3  # Register, Approve, Issue
    assert sum(len(c.get_offsets()) for c in collections) == 6
    # case 1 starts first, so it is row 0; its Approve completes 4 h after its start
    approve = next(c for c, t in zip(collections, ax.get_legend().get_texts(), strict=True)
                   if t.get_text() == "Approve")
    offsets = {tuple(np.round(o, 6)) for o in approve.get_offsets()}
    assert (4.0, 0.0) in offsets
    assert "Hours since case start" in _texts(fig)


def test_dotted_chart_max_cases_and_missing_column() -> None:
    fig = F.dotted_chart(_tiny_log(), max_cases=2, lang="ru")
    assert sum(len(c.get_offsets()) for c in fig.axes[0].collections) == 3  # cases 1 and 3
    assert "Случай" in _texts(fig)
    from leanproc.errors import LogError

    with pytest.raises(LogError, match="org:role"):
        F.dotted_chart(_tiny_log(), colour_by="org:role")


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="en, ru"):
        F.waterfall({"a": 1}, 2, lang="de")
