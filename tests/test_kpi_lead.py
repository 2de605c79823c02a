"""Lead, processing (union of intervals), waiting, PCE and per-activity figures by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leanproc.kpi import KPIReport, kpis
from leanproc.kpi.intervals import union_length_by_group

TZ = "Europe/Moscow"
H = 3600.0
COLUMNS = [
    "case:concept:name",
    "concept:name",
    "enable_timestamp",
    "start_timestamp",
    "time:timestamp",
    "org:role",
    "org:resource",
]


def t(text: str | None) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ) if text else pd.NaT


def make_log(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (case, activity, enable, start, end, role, resource) with 'YYYY-MM-DD HH:MM'."""
    frame = pd.DataFrame(rows, columns=COLUMNS[: len(rows[0])])
    for column in ("enable_timestamp", "start_timestamp", "time:timestamp"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.tz_localize(TZ)
    return frame


# Case c1 runs B in parallel with A (overlap 09:30-10:00), then C after an idle hour.
# c2 is one activity that starts as soon as it is enabled.
PARALLEL = make_log(
    [
        ("c1", "A", "2024-03-04 08:00", "2024-03-04 09:00", "2024-03-04 10:00", "clerk", "r1"),
        ("c1", "B", "2024-03-04 08:00", "2024-03-04 09:30", "2024-03-04 11:00", "clerk", "r2"),
        ("c1", "C", "2024-03-04 11:00", "2024-03-04 12:00", "2024-03-04 13:00", "boss", "r3"),
        ("c2", "A", "2024-03-04 10:00", "2024-03-04 10:00", "2024-03-04 12:00", "clerk", "r1"),
    ]
)


def test_parallel_branches_count_once_in_processing_time() -> None:
    report = kpis(PARALLEL)
    per_case = report.per_case.set_index("case:concept:name")
    # c1: start = first enable 08:00, end = 13:00 -> 5 h. Touch = [9,11] U [12,13] = 3 h
    # (a sum would give 1 + 1.5 + 1 = 3.5 h). Waiting = 2 h.
    assert per_case.loc["c1", "lead"] == 5 * H
    assert per_case.loc["c1", "processing"] == 3 * H
    assert per_case.loc["c1", "waiting"] == 2 * H
    assert per_case.loc["c2", "lead"] == 2 * H
    assert per_case.loc["c2", "processing"] == 2 * H
    assert per_case.loc["c2", "waiting"] == 0.0
    assert per_case.loc["c1", "start"] == t("2024-03-04 08:00")
    assert per_case.loc["c1", "end"] == t("2024-03-04 13:00")
    assert report.lead_time.mean == 3.5 * H
    assert report.lead_time.median == 3.5 * H
    assert report.lead_time.max == 5 * H
    # numpy's linear p90 of {2, 5} h: 2 + 0.9 * 3 = 4.7 h
    assert report.lead_time.p90 == pytest.approx(4.7 * H)
    assert report.processing.mean == 2.5 * H
    assert report.waiting.mean == 1.0 * H
    assert report.lead_time.n == 2


def test_two_cases_give_no_interval_of_the_mean_lead_time() -> None:
    """One log's interval is by batch means over its cases (kpi.stats): two cases are far too
    few. (The t interval over them treated the cases as independent and reached -15.6 h.)"""
    report = kpis(PARALLEL)
    assert report.lead_time.mean == 3.5 * H
    assert math.isnan(report.lead_time.ci_low) and math.isnan(report.lead_time.ci_high)
    assert report.lead_time.ci_batches == 0


def test_rows_without_start_are_zero_length() -> None:
    log = PARALLEL.copy()
    log.loc[log["concept:name"] == "C", "start_timestamp"] = pd.NaT
    per_case = kpis(log).per_case.set_index("case:concept:name")
    assert per_case.loc["c1", "processing"] == 2 * H  # only [9, 11] remains
    assert per_case.loc["c1", "waiting"] == 3 * H


def test_case_start_follows_the_log_rule() -> None:
    # arrival beats enable beats start beats completion, case by case
    log = make_log(
        [
            ("arr", "A", "2024-03-04 09:00", "2024-03-04 10:00", "2024-03-04 11:00"),
            ("ena", "A", "2024-03-04 09:00", "2024-03-04 10:00", "2024-03-04 11:00"),
            ("sta", "A", None, "2024-03-04 10:00", "2024-03-04 11:00"),
            ("end", "A", None, None, "2024-03-04 11:00"),
            ("end", "B", None, None, "2024-03-04 11:30"),
        ]
    )
    log["case:arrival"] = pd.Series([t("2024-03-04 08:00")] + [pd.NaT] * 4).dt.tz_convert(TZ)
    lead = kpis(log).per_case.set_index("case:concept:name")["lead"]
    assert lead.to_dict() == {"arr": 3 * H, "ena": 2 * H, "sta": 1 * H, "end": 0.5 * H}


def test_pce_with_value_adding_activities() -> None:
    report = kpis(PARALLEL, value_activities=["A"])
    # value-adding touch: c1 A = 1 h, c2 A = 2 h; total lead 7 h
    assert report.pce == pytest.approx(3 / 7)
    assert report.pce_basis == "value-adding activities"
    assert report.value_adding is not None and report.value_adding.mean == 1.5 * H
    per_case = report.per_case.set_index("case:concept:name")
    assert per_case.loc["c1", "value_adding"] == 1 * H


def test_pce_defaults_to_all_processing_and_says_so() -> None:
    report = kpis(PARALLEL)
    assert report.pce == pytest.approx(5 / 7)  # touch 3 h + 2 h over lead 5 h + 2 h
    assert report.pce_basis == "all processing time"
    assert any("value_activities" in note for note in report.notes)
    assert "value_adding.mean" not in report.as_dict()


def test_unknown_value_activity_is_noted() -> None:
    report = kpis(PARALLEL, value_activities=["A", "Zz"])
    assert any("Zz" in note for note in report.notes)


def test_per_activity_waiting_processing_and_share() -> None:
    act = kpis(PARALLEL).per_activity.set_index("activity")
    assert list(act.index) == ["A", "B", "C"]  # first appearance in the log
    assert act.loc["A", "count"] == 2
    # A waits 1 h in c1 and 0 h in c2; runs 1 h and 2 h
    assert act.loc["A", "waiting_mean"] == 0.5 * H
    assert act.loc["A", "waiting_median"] == 0.5 * H
    assert act.loc["A", "processing_mean"] == 1.5 * H
    assert act.loc["A", "processing_total"] == 3 * H
    assert act.loc["A", "case_share"] == 1.0
    assert act.loc["B", "waiting_mean"] == 1.5 * H
    assert act.loc["B", "case_share"] == 0.5
    assert act.loc["C", "waiting_mean"] == 1 * H


def test_waiting_is_nan_without_enable_times() -> None:
    log = PARALLEL.drop(columns=["enable_timestamp"])
    act = kpis(log).per_activity.set_index("activity")
    assert act["waiting_mean"].isna().all()
    assert act.loc["A", "processing_mean"] == 1.5 * H


def test_flat_names_table_and_text() -> None:
    report = kpis(PARALLEL, sla="4h")
    assert isinstance(report, KPIReport)
    flat = report.as_dict()
    for key in (
        "lead_time.mean",
        "lead_time.p90",
        "processing.mean",
        "waiting.mean",
        "pce",
        "throughput.per_day",
        "wip.mean",
        "arrival_rate.per_day",
        "utilisation.clerk",
        "sla_share(4h)",
        "unfinished_share",
        "cases",
        "activity.A.waiting.mean",
    ):
        assert key in flat, key
    assert "lead_time_working.mean" not in flat  # no calendar
    assert flat["lead_time.mean"] == 3.5 * H
    assert flat["cases"] == 2
    table = report.to_frame().set_index("kpi")
    assert table.loc["lead_time.mean", "value"] == pytest.approx(3.5)
    assert table.loc["lead_time.mean", "unit"] == "h"
    assert table.loc["sla_share(4h)", "value"] == pytest.approx(50.0)
    assert table.loc["sla_share(4h)", "unit"] == "%"
    assert table.loc["throughput.per_day", "unit"] == "cases/day"
    assert "activity.A.count" not in table.index  # the display table leaves activities out
    text = str(report)
    assert "lead time" in text and "3.50 h" in text
    html = report._repr_html_()
    # the KPI in words with its value in hours (3.5 h), never the 12600 seconds
    assert "<td>Lead time, mean</td><td class=\"num\" style=\"text-align:right\">3.5</td>" \
        "<td>h</td>" in html
    assert "12600" not in html and "12 600" not in html


def _brute_union(group, start, end, n):
    out = np.zeros(n, dtype=np.int64)
    for g in range(n):
        cells: set[int] = set()
        for gg, s, e in zip(group, start, end, strict=True):
            if gg == g:
                cells.update(range(s, e))
        out[g] = len(cells)
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 15)),
        min_size=0,
        max_size=30,
    )
)
def test_union_matches_brute_force(rows: list[tuple[int, int, int]]) -> None:
    group = np.array([r[0] for r in rows], dtype=np.int64)
    start = np.array([r[1] for r in rows], dtype=np.int64)
    end = start + np.array([r[2] for r in rows], dtype=np.int64)
    got = union_length_by_group(group, start, end, 4)
    assert got.tolist() == _brute_union(group, start, end, 4).tolist()
