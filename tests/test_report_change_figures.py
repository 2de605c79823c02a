"""The comparison's figures of change: the lead-time waterfall by activity, the Gantt chart of
sample cases, and their place in the HTML report (with captions in English and Russian).

Hand-made tables and logs check the arithmetic; the Tomsk onboarding example (25 hires a side)
checks the report."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

import leanproc
from leanproc import log as schema
from leanproc.calendar import Calendar
from leanproc.report import html
from leanproc.report.decomposition import change_by_activity, change_waterfall
from leanproc.report.gantt import case_gantt, sample_cases

H = 3600.0
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tomsk-onboarding"


def _table(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["activity", "count", "waiting_mean", "processing_mean"])


# ------------------------------------------------------------------- the change by activity
BEFORE = _table([  # 10 cases: per case A waits 2 h and works 1 h, B twice per case waits 3 h
    ("Приём заявления", 10, 2 * H, 1 * H),
    ("Согласование", 20, 3 * H, 0.5 * H),
])
AFTER = _table([  # A halves its time, B is gone, C is new
    ("Приём заявления", 10, 1 * H, 0.5 * H),
    ("Проверка в СМЭВ", 10, 0.25 * H, 0.25 * H),
])


def test_savings_per_activity_and_case() -> None:
    table = change_by_activity(BEFORE, AFTER, 20 * H, 4 * H, cases_before=10, cases_after=10,
                               other="Прочее").set_index("activity")
    # A: waiting 2 -> 1, processing 1 -> 0.5 per case
    assert table.loc["Приём заявления", "waiting"] == pytest.approx(1 * H)
    assert table.loc["Приём заявления", "processing"] == pytest.approx(0.5 * H)
    # B: two instances of 3 h waiting and 0.5 h work per case, all saved
    assert table.loc["Согласование", "waiting"] == pytest.approx(6 * H)
    assert table.loc["Согласование", "processing"] == pytest.approx(1 * H)
    # C is new: time added, a negative saving
    assert table.loc["Проверка в СМЭВ", "total"] == pytest.approx(-0.5 * H)
    # the explained change is 8 h; the other 8 h of the 16 h difference are "Прочее"
    assert table.loc["Прочее", "total"] == pytest.approx(8 * H)
    assert list(table.index)[:2] == ["Согласование", "Приём заявления"]  # largest first


def test_the_bars_add_up_exactly_to_the_difference() -> None:
    table = change_by_activity(BEFORE, AFTER, 20 * H, 4 * H, cases_before=10, cases_after=8,
                               top=1)
    assert table["total"].sum() == pytest.approx(16 * H, rel=1e-12)
    # folded activities keep their waiting and processing in Other
    assert len(table) == 2 and table["activity"].iloc[-1] == "Other"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), st.integers(0, 50),
                          st.floats(0, 1e6), st.floats(0, 1e6)), min_size=1, max_size=10),
       st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), st.integers(0, 50),
                          st.floats(0, 1e6), st.floats(0, 1e6)), min_size=1, max_size=10),
       st.floats(0, 1e7), st.floats(0, 1e7), st.integers(1, 6))
def test_totals_always_sum_to_the_difference(before, after, lead_b, lead_a, top) -> None:
    table = change_by_activity(_table(before), _table(after), lead_b, lead_a, cases_before=7,
                               cases_after=9, top=top)
    assert math.isclose(table["total"].sum(), lead_b - lead_a, rel_tol=1e-9,
                        abs_tol=1e-6 * max(1.0, lead_b, lead_a))


def test_waterfall_bars_reach_the_to_be_value_and_name_every_activity() -> None:
    table = change_by_activity(BEFORE, AFTER, 20 * H, 4 * H, cases_before=10, cases_after=10)
    table[["waiting", "processing", "total"]] /= H
    fig = change_waterfall(table, 20.0, lang="ru")
    ax = fig.axes[0]
    savings = [p for p in ax.patches if (p.get_gid() or "").startswith("saving:")]
    # two bars per activity row, one for Other
    assert len(savings) == 2 * (len(table) - 1) + 1
    assert sum(p.get_width() for p in savings) == pytest.approx(4.0 - 20.0)
    ends = [p for p in ax.patches if not p.get_gid()]
    assert [p.get_width() for p in ends] == pytest.approx([20.0, 4.0])  # AS-IS, TO-BE
    ticks = [" ".join(t.get_text().split()) for t in ax.get_yticklabels()]
    assert ticks == ["Было (AS-IS)", *table["activity"], "Стало (TO-BE)"]
    assert ax.get_xlabel() == "ВПП, ч"
    red = [p for p in savings if p.get_width() > 0]
    assert red and all(p.get_facecolor()[0] > 0.7 for p in red)  # added time is drawn red


# ------------------------------------------------------------------- the Gantt chart
def _log(case_hours: dict[str, list[tuple[str, str, float, float]]]) -> pd.DataFrame:
    t0 = pd.Timestamp("2024-03-07 09:00", tz="Asia/Tomsk")  # a Thursday
    rows = [(case, act, role, t0 + pd.Timedelta(hours=s), t0 + pd.Timedelta(hours=e))
            for case, items in case_hours.items() for act, role, s, e in items]
    return pd.DataFrame(rows, columns=[schema.CASE, schema.ACTIVITY, schema.ROLE,
                                       schema.START, schema.END])


AS_IS = _log({str(k): [("Регистрация", "Секретарь", k, k + 0.5),
                       ("Согласование", "Заместитель министра", k + 70, k + 71)]
              for k in range(1, 9)})
TO_BE = _log({str(k): [("Регистрация", "Секретарь", k, k + 0.5),
                       ("Выдача", "Специалист отдела", k + 1, k + 1.5)]
              for k in range(1, 10)})


def test_sample_cases_are_consecutive_and_on_both_sides() -> None:
    cases = sample_cases([AS_IS, TO_BE], 3)
    assert cases == ["3", "4", "5"]  # from the start of the second quarter of 8 cases
    assert sample_cases([AS_IS, TO_BE], 20) == [str(k) for k in range(1, 9)]  # 9 is TO-BE only


def test_gantt_one_row_per_case_per_side_on_one_axis() -> None:
    calendar = Calendar.parse("ru-5x8@Asia/Tomsk")
    fig = case_gantt([AS_IS, TO_BE], cases=["2", "3", "4"], calendar=calendar, lang="ru")
    top, bottom = fig.axes[:2]
    for ax in (top, bottom):
        assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "3", "4"]
        lines = [ln for ln in ax.get_lines() if (ln.get_gid() or "").startswith("case:")]
        assert sorted(ln.get_gid() for ln in lines) == ["case:2", "case:3", "case:4"]
        bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.55)]
        assert len(bars) == 6  # two activities of each of the three cases
    assert top.get_xlim() == bottom.get_xlim()  # one time axis
    assert [top.get_title(loc="left"), bottom.get_title(loc="left")] == [
        "Было (AS-IS)", "Стало (TO-BE)"]
    # the AS-IS cases run over the weekend of 9-10 March: it is shaded as non-working
    from matplotlib.dates import date2num

    sunday = date2num(pd.Timestamp("2024-03-10 12:00").to_datetime64())
    shades = [p for p in top.patches if p.get_height() != pytest.approx(0.55)]
    assert any(p.get_x() <= sunday <= p.get_x() + p.get_width() for p in shades)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Секретарь", "Заместитель министра", "Специалист отдела",
            "Нерабочее время"} <= set(legend)


def test_gantt_without_calendar_has_no_shading() -> None:
    fig = case_gantt([AS_IS], cases=["1"])
    (ax,) = fig.axes
    assert len(ax.patches) == 2  # the two bars of case 1, nothing else
    assert "Non-working time" not in [t.get_text() for t in fig.legends[0].get_texts()]


# ------------------------------------------------------------------- in the HTML report
def _run(name: str, cases: int = 25):
    spec = yaml.safe_load((EXAMPLE / f"{name}.scenario.yaml").read_text(encoding="utf-8"))
    spec["model"] = str(EXAMPLE / spec["model"])
    spec["arrivals"]["cases"] = cases
    return leanproc.simulate(spec, seed=11)


@pytest.fixture(scope="module")
def runs():
    return _run("as-is"), _run("to-be")


def _captions(page: str) -> list[str]:
    import re

    return re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.S)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("so the bars add up exactly", "AS-IS above, TO-BE below", "one run")),
    ("ru", ("полосы в сумме точно дают разницу", "«Было» сверху, «Стало» снизу",
            "один прогон")),
])
def test_comparison_report_has_the_waterfall_and_the_gantt(runs, lang, words) -> None:
    page = html(*runs, lang=lang, dpi=30)
    captions = _captions(page)
    change, gantt = words[0], words[1]
    assert any(change in c and words[2] in c for c in captions)
    gantt_caption = next(c for c in captions if gantt in c)
    cases = sample_cases([r.log for r in runs], 6)
    assert ", ".join(cases) in gantt_caption  # the caption names the cases drawn
    assert "ru-5x8" in gantt_caption  # and the calendar whose non-working time is shaded


def test_a_given_ladder_replaces_the_waterfall_by_activity(runs) -> None:
    page = html(*runs, ladder={"Single request form": 10, "HR routes": 14}, dpi=30)
    assert not any("add up exactly" in c for c in _captions(page))
    assert any("AS-IS above" in c for c in _captions(page))


# ------------------------------------------------------------------- from the command line
TAXI = Path(__file__).resolve().parents[1] / "examples" / "taxi-permit"


def test_report_command_computes_the_ladder_of_an_improvements_file(tmp_path, monkeypatch,
                                                                     capsys) -> None:
    import leanproc.report
    from leanproc.cli import main

    calls = []
    monkeypatch.setattr(leanproc.report, "html",
                        lambda subject, **options: calls.append(options) or "<!DOCTYPE html>")
    out = tmp_path / "report.html"
    assert main(["report", str(TAXI / "as-is.scenario.yaml"), str(TAXI / "to-be.scenario.yaml"),
                 "--improvements", str(TAXI / "improvements.yaml"), "-n", "2",
                 "--html", str(out)]) == 0
    (options,) = calls
    ladder = options["ladder"]
    assert len(ladder.improvements) == 5 and len(ladder.values[0]) == 2


def test_improvements_without_a_report_is_a_usage_error(capsys) -> None:
    from leanproc.cli import main

    code = main(["compare", str(TAXI / "as-is.scenario.yaml"),
                 str(TAXI / "to-be.scenario.yaml"), "--improvements",
                 str(TAXI / "improvements.yaml")])
    assert code != 0
    assert "--html" in capsys.readouterr().err
