"""Touch time in working time: work that pauses over a night or a weekend counts its hours only."""

from __future__ import annotations

import pandas as pd
import pytest

from leanproc.kpi import kpis

TZ = "Europe/Moscow"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def test_processing_working_excludes_off_shift_time():
    log = pd.DataFrame({
        "case:concept:name": ["1", "1", "2"],
        "concept:name": ["Check", "Sign", "Check"],
        # case 1: Friday 17:00 -> Monday 10:00 is 2 working hours (1 h Friday, 1 h Monday),
        # then a parallel overlapping step Monday 09:30 -> 11:00 adds 1 more working hour
        "start_timestamp": [ts("2024-03-01 17:00"), ts("2024-03-04 09:30"),
                            ts("2024-03-05 10:00")],
        "time:timestamp": [ts("2024-03-04 10:00"), ts("2024-03-04 11:00"),
                           ts("2024-03-05 12:00")],
        "enable_timestamp": [ts("2024-03-01 16:00"), ts("2024-03-04 09:30"),
                             ts("2024-03-05 09:00")],
    })
    report = kpis(log, "ru-5x8@Europe/Moscow")
    per_case = report.per_case.set_index("case:concept:name")
    assert per_case.loc["1", "processing_working"] == pytest.approx(3 * 3600)
    assert per_case.loc["1", "lead_working"] == pytest.approx(4 * 3600)  # Fri 16:00 -> Mon 11:00
    assert per_case.loc["1", "waiting_working"] == pytest.approx(1 * 3600)
    # across the 13:00-14:00 lunch break: 10:00 -> 12:00 is 2 h, no lunch inside
    assert per_case.loc["2", "processing_working"] == pytest.approx(2 * 3600)
    flat = report.as_dict()
    assert flat["processing_working.mean"] == pytest.approx(2.5 * 3600)
    # the clock-time union still counts the weekend
    assert per_case.loc["1", "processing"] > 60 * 3600


def test_no_calendar_no_working_processing():
    log = pd.DataFrame({
        "case:concept:name": ["1"], "concept:name": ["A"],
        "start_timestamp": [ts("2024-03-01 10:00")], "time:timestamp": [ts("2024-03-01 11:00")],
    })
    report = kpis(log)
    assert report.processing_working is None
    assert "processing_working.mean" not in report.as_dict()
