"""Per-activity processing and value-adding time in working hours, worked out by hand.

Calendar 5x8 (Mon–Fri 09:00–18:00 with no holidays in the week of 4 March 2024, Europe/Moscow
time written as UTC+3 offsets): a task from Monday 17:00 to Tuesday 10:00 works 1 h on Monday
and 1 h on Tuesday — 2 working hours although 17 clock hours pass.
"""

from __future__ import annotations

import pandas as pd
import pytest

from leanproc import kpis

HOUR = 3600.0


def _log(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "case:concept:name": [r[0] for r in rows],
        "concept:name": [r[1] for r in rows],
        "start_timestamp": pd.to_datetime([r[2] for r in rows]).tz_localize("Europe/Moscow"),
        "time:timestamp": pd.to_datetime([r[3] for r in rows]).tz_localize("Europe/Moscow"),
    })


LOG = _log([
    ("1", "Review", "2024-03-04 17:00", "2024-03-05 10:00"),   # 1 h + 1 h working
    ("1", "Sign", "2024-03-05 11:00", "2024-03-05 12:00"),     # 1 h
    ("2", "Review", "2024-03-06 10:00", "2024-03-06 11:30"),   # 1.5 h
])


@pytest.fixture(scope="module")
def report():
    return kpis(LOG, "5x8@Europe/Moscow", value_activities=["Review"])


def test_per_activity_processing_in_working_hours(report) -> None:
    table = report.per_activity.set_index("activity")
    assert table.loc["Review", "processing_working_total"] == pytest.approx(3.5 * HOUR)
    assert table.loc["Review", "processing_working_mean"] == pytest.approx(1.75 * HOUR)
    assert table.loc["Sign", "processing_working_mean"] == pytest.approx(1.0 * HOUR)
    # the clock form of the same instances: 17 h and 1.5 h
    assert table.loc["Review", "processing_mean"] == pytest.approx((17 + 1.5) / 2 * HOUR)


def test_value_adding_time_in_working_hours(report) -> None:
    flat = report.as_dict()
    # value-adding = Review only: case 1 works 2 h on it, case 2 1.5 h
    assert flat["value_adding_working.mean"] == pytest.approx(1.75 * HOUR)
    assert flat["value_adding.mean"] == pytest.approx((17 + 1.5) / 2 * HOUR)
    # PCE in working time: value-adding working time over working lead time per case, pooled
    lead_working = flat["lead_time_working.mean"]
    assert 0 < flat["pce_working"] <= 1
    assert lead_working == pytest.approx(((2 + 1 + 1) + 1.5) / 2 * HOUR)
