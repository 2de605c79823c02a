"""Working-time KPIs: lead time in working hours, per-working-day rates, wd/wh deadlines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.kpi import kpis

H = 3600.0
TZ = "Asia/Tomsk"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def log_of(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Rows of (case, activity, enable, start, end) in Tomsk local time."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "case:concept:name",
            "concept:name",
            "enable_timestamp",
            "start_timestamp",
            "time:timestamp",
        ],
    )
    for column in ("enable_timestamp", "start_timestamp", "time:timestamp"):
        frame[column] = pd.to_datetime(frame[column]).dt.tz_localize(TZ)
    return frame


class HalfTime:
    """A stand-in calendar in which every clock second counts as half a working second."""

    tz = "UTC"
    day_length = 12 * H
    name = "half"

    def working_seconds(self, a: pd.DatetimeIndex, b: pd.DatetimeIndex) -> np.ndarray:
        return (b - a).total_seconds().to_numpy() / 2


def test_working_time_plumbing_with_a_stand_in_calendar() -> None:
    log = log_of(
        [
            ("a", "X", "2024-03-04 00:00", "2024-03-04 01:00", "2024-03-04 10:00"),
            ("b", "X", "2024-03-04 02:00", "2024-03-04 03:00", "2024-03-05 02:00"),
        ]
    )
    report = kpis(log, HalfTime(), sla=["1wd", "5wh"])
    per_case = report.per_case.set_index("case:concept:name")
    assert per_case["lead_working"].to_dict() == {"a": 5 * H, "b": 12 * H}
    assert report.lead_time_working is not None
    assert report.lead_time_working.mean == 8.5 * H
    assert report.sla_share == {"1wd": 1.0, "5wh": 0.5}
    # window 26 h of clock = 13 working hours = 13/12 working days
    assert report.throughput_per_working_day == pytest.approx(2 / (13 / 12))
    assert report.utilisation_detail["calendar"].tolist() == []  # no org:role column
    assert report.calendar == "half"
    assert str(report.per_case["start"].dt.tz) == "UTC"  # shown in the calendar's zone


def test_working_deadline_without_calendar_is_an_error() -> None:
    log = log_of([("a", "X", "2024-03-04 00:00", "2024-03-04 01:00", "2024-03-04 10:00")])
    with pytest.raises(LogError, match="working time and need a calendar"):
        kpis(log, sla="3wd")


# --- the production calendar (Mon-Fri 09:00-18:00, lunch 13-14, RU holidays) -----------------


@pytest.fixture(scope="module")
def ru() -> object:
    calendar = pytest.importorskip("leanproc.calendar")
    return calendar.Calendar.parse("ru-5x8@Asia/Tomsk")


def test_lead_time_in_working_hours_under_ru_5x8(ru: object) -> None:
    log = log_of(
        [
            # Friday 17:30 -> Monday 10:00: 0.5 h on Friday + 1 h on Monday
            ("fri", "A", "2024-03-15 17:30", "2024-03-18 09:00", "2024-03-18 10:00"),
            # 12 June 2024 (Wednesday) is Russia Day: only Thursday 09:00-10:00 counts
            ("hol", "A", "2024-06-12 10:00", "2024-06-13 09:00", "2024-06-13 10:00"),
            # Monday 12:00 -> 15:00 across the 13-14 lunch break
            ("lunch", "A", "2024-03-18 12:00", "2024-03-18 12:00", "2024-03-18 15:00"),
        ]
    )
    report = kpis(log, ru, sla=["1wd", "1.5wh", "24h"])
    per_case = report.per_case.set_index("case:concept:name")
    assert per_case.loc["fri", "lead"] == 64.5 * H
    assert per_case.loc["fri", "lead_working"] == pytest.approx(1.5 * H, abs=1e-6)
    assert per_case.loc["hol", "lead"] == 24 * H
    assert per_case.loc["hol", "lead_working"] == pytest.approx(1 * H, abs=1e-6)
    assert per_case.loc["lunch", "lead_working"] == pytest.approx(2 * H, abs=1e-6)
    assert report.lead_time_working is not None
    assert report.lead_time_working.mean == pytest.approx(1.5 * H)
    assert report.sla_share["1wd"] == 1.0
    assert report.sla_share["1.5wh"] == pytest.approx(2 / 3)  # lunch case takes 2 wh
    assert report.sla_share["24h"] == pytest.approx(2 / 3)  # fri takes 64.5 clock hours
    assert report.as_dict()["lead_time_working.mean"] == pytest.approx(1.5 * H)
    assert report.calendar == "ru-5x8@Asia/Tomsk"


def test_calendar_given_as_text(ru: object) -> None:
    log = log_of([("fri", "A", "2024-03-15 17:30", "2024-03-18 09:00", "2024-03-18 10:00")])
    report = kpis(log, "ru-5x8@Asia/Tomsk")
    assert report.lead_time_working is not None
    assert report.lead_time_working.mean == pytest.approx(1.5 * H, abs=1e-6)


def test_per_working_day_rates_and_role_calendars(ru: object) -> None:
    # six cases of 2 h each, Monday 18 March 09:00 .. Wednesday 20 March 18:00:
    # 3 working days of 8 h; one clerk busy 12 h in all
    rows = []
    for i, day in enumerate(["18", "18", "19", "19", "20", "20"]):
        hour = 9 if i % 2 == 0 else 16
        start = f"2024-03-{day} {hour:02d}:00"
        end = f"2024-03-{day} {hour + 2:02d}:00"
        rows.append((f"c{i}", "A", start, start, end))
    log = log_of(rows)
    log["org:role"] = "clerk"
    log["org:resource"] = "r1"
    report = kpis(log, ru, window=(ts("2024-03-18 09:00"), ts("2024-03-20 18:00")))
    assert report.throughput_per_working_day == pytest.approx(2.0)
    assert report.arrival_rate_per_working_day == pytest.approx(2.0)
    assert report.throughput_per_day == pytest.approx(6 / (57 / 24))
    assert report.utilisation["clerk"] == pytest.approx(12 / 24)
    clock = pytest.importorskip("leanproc.calendar").Calendar.parse("24x7@Asia/Tomsk")
    report = kpis(
        log, ru, window=(ts("2024-03-18 09:00"), ts("2024-03-20 18:00")), calendars={"clerk": clock}
    )
    assert report.utilisation["clerk"] == pytest.approx(12 / 57)
