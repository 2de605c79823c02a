"""Throughput, arrival rate, WIP with Little's law, warm-up, horizon, unfinished, SLA, usage."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from leanproc.kpi import kpis

TZ = "Asia/Tomsk"
H = 3600.0
DAY = 86400.0
T0 = pd.Timestamp("2024-03-04 00:00", tz=TZ)


def at(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def log_of(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (case, activity, start_h, end_h, role, resource); hours after T0 (None = NaT)."""
    return pd.DataFrame(
        {
            "case:concept:name": [r[0] for r in rows],
            "concept:name": [r[1] for r in rows],
            "start_timestamp": pd.DatetimeIndex(
                [at(r[2]) if r[2] is not None else pd.NaT for r in rows]
            ).tz_convert(TZ),
            "time:timestamp": pd.DatetimeIndex(
                [at(r[3]) if r[3] is not None else pd.NaT for r in rows]
            ).tz_convert(TZ),
            "org:role": [r[4] for r in rows],
            "org:resource": [r[5] for r in rows],
        }
    )


# Three cases within [0 h, 24 h]: leads 4 h, 10 h, 6 h.
THREE = log_of(
    [
        ("a", "X", 0, 2, "clerk", "r1"),
        ("a", "Y", 3, 4, "clerk", "r2"),
        ("b", "X", 2, 12, "clerk", "r1"),
        ("c", "X", 18, 20, "clerk", "r2"),
        ("c", "Y", 20, 24, "boss", "b1"),
    ]
)


def test_throughput_wip_and_arrival_rate_by_hand() -> None:
    report = kpis(THREE)
    # window = first start 0 h .. last completion 24 h = 1 day
    assert report.window == (at(0), at(24))
    assert report.throughput_per_day == 3.0
    assert report.arrival_rate_per_day == 3.0
    assert report.wip_mean == pytest.approx((4 + 10 + 6) / 24)
    assert report.as_dict()["window.days"] == 1.0


def test_littles_law_on_a_random_log() -> None:
    rng = np.random.default_rng(20240304)
    n = 500
    arrivals = np.cumsum(rng.exponential(2.0, n))  # hours
    rows = []
    for i, a in enumerate(arrivals):
        s1 = a + rng.exponential(1.0)
        e1 = s1 + rng.exponential(3.0)
        s2 = s1 + rng.exponential(0.5)  # a parallel branch overlapping the first
        e2 = s2 + rng.exponential(2.0)
        rows += [(f"c{i}", "P", s1, e1, "clerk", f"r{i % 3}"), (f"c{i}", "Q", s2, e2, "aud", "q")]
    log = log_of(rows)
    report = kpis(log)
    span_days = (report.window[1] - report.window[0]).total_seconds() / DAY
    lam = report.arrival_rate_per_day
    assert lam * span_days == n  # every case arrives inside the default window
    # L = lambda W with W the mean lead time in days: exact when all cases lie in the window
    assert report.wip_mean == pytest.approx(lam * report.lead_time.mean / DAY, rel=1e-12)
    assert report.throughput_per_day == pytest.approx(lam)


def test_warmup_drops_early_cases_and_shortens_the_window() -> None:
    report = kpis(THREE, warmup="1h")
    # a arrives at 0 h (< 1 h): out of the case statistics; b and c remain
    assert report.cases == 2
    assert set(report.per_case["case:concept:name"]) == {"b", "c"}
    assert report.lead_time.mean == 8 * H
    assert report.window == (at(1), at(24))
    # departures in [1 h, 24 h]: a at 4 h, b at 12 h, c at 24 h -> 3 over 23 h
    assert report.throughput_per_day == pytest.approx(3 / (23 / 24))
    assert report.arrival_rate_per_day == pytest.approx(2 / (23 / 24))
    # WIP integrates every case over the window: a 3 h + b 10 h + c 6 h
    assert report.wip_mean == pytest.approx(19 / 23)
    assert kpis(THREE, warmup=timedelta(hours=1)).cases == 2


def test_explicit_window_limits_rates_and_the_cohort() -> None:
    report = kpis(THREE, window=(at(0), at(12)))
    # horizon defaults to the last instant (24 h); cohort = cases starting in [0, 12] h
    assert report.cases == 2
    assert report.throughput_per_day == pytest.approx(2 / 0.5)  # a at 4 h, b at 12 h
    assert report.wip_mean == pytest.approx((4 + 10) / 12)


def test_cases_table_gives_unfinished_and_silent_cases() -> None:
    log = log_of(
        [
            ("a", "X", 1, 3, "clerk", "r1"),
            ("b", "X", 2, 5, "clerk", "r1"),
            ("c", "X", 6, None, "clerk", "r1"),  # still running at the horizon
        ]
    )
    cases = pd.DataFrame(
        {
            "case:concept:name": ["a", "b", "c", "d"],
            "arrival": [at(0), at(1), at(5), at(7)],
            "end": pd.DatetimeIndex([at(3), at(5), pd.NaT, pd.NaT]).tz_convert(TZ),
        }
    )
    report = kpis(log, cases=cases, horizon=at(8))
    assert report.cases == 4
    assert report.cases_finished == 2
    assert report.unfinished_share == 0.5
    assert report.lead_time.mean == pytest.approx(3.5 * H)  # a 3 h, b 4 h from arrivals
    per_case = report.per_case.set_index("case:concept:name")
    assert pd.isna(per_case.loc["c", "end"]) and not per_case.loc["c", "finished"]
    assert per_case.loc["c", "processing"] == 2 * H  # clipped at the horizon
    assert per_case.loc["d", "processing"] == 0.0  # arrived, nothing started yet
    # WIP over [0, 8] h: a 3 + b 4 + c 3 + d 1 = 11 case-hours
    assert report.wip_mean == pytest.approx(11 / 8)
    # utilisation of the one clerk: 2 + 3 + 2 busy hours over 8 h
    assert report.utilisation["clerk"] == pytest.approx(7 / 8)


def test_horizon_without_cases_table() -> None:
    # b completes after the horizon: unfinished, its time after 10 h ignored
    report = kpis(THREE, horizon=at(10))
    assert report.cases == 2  # c arrives at 18 h, after the horizon
    assert report.unfinished_share == 0.5
    assert report.lead_time.mean == 4 * H
    per_case = report.per_case.set_index("case:concept:name")
    assert per_case.loc["b", "processing"] == 8 * H
    act = report.per_activity.set_index("activity")
    assert act.loc["X", "count"] == 1  # b's X has not completed by the horizon


def test_unfinished_share_unknown_without_cases_or_horizon() -> None:
    report = kpis(THREE)
    assert np.isnan(report.unfinished_share)
    assert any("unfinished share unknown" in n for n in report.notes)


def test_sla_share_for_several_deadlines() -> None:
    report = kpis(THREE, sla=["4h", "6 h", timedelta(hours=10), "PT3H"])
    # leads 4 h, 10 h, 6 h; a lead equal to the deadline meets it
    assert report.sla_share == {
        "4h": pytest.approx(1 / 3),
        "6h": pytest.approx(2 / 3),
        "10h": 1.0,
        "3h": 0.0,
    }
    assert report.as_dict()["sla_share(6h)"] == pytest.approx(2 / 3)


def test_utilisation_with_default_and_given_capacity() -> None:
    report = kpis(THREE)
    # clerk rows busy 2 + 1 + 10 + 2 = 15 h; two distinct resources over 24 h
    assert report.utilisation["clerk"] == pytest.approx(15 / 48)
    assert report.utilisation["boss"] == pytest.approx(4 / 24)
    report = kpis(THREE, capacity={"clerk": 3, "audit": 2})
    assert report.utilisation["clerk"] == pytest.approx(15 / 72)
    assert report.utilisation["audit"] == 0.0  # a pool that never worked
    detail = report.utilisation_detail.set_index("role")
    assert detail.loc["clerk", "capacity"] == 3
    assert detail.loc["clerk", "busy"] == 15 * H
    assert detail.loc["clerk", "calendar"] == "24x7"


def test_utilisation_clips_busy_time_to_the_window() -> None:
    report = kpis(THREE, window=(at(3), at(13)))
    # clerk: a/Y [3,4] 1 h + b/X [3,12] 9 h = 10 h over 2 x 10 h
    assert report.utilisation["clerk"] == pytest.approx(0.5)


def test_categorical_columns_as_the_simulator_writes_them() -> None:
    log = THREE.copy()
    for column in ("case:concept:name", "concept:name", "org:role", "org:resource"):
        # unused categories and a different category order must not matter
        values = log[column].astype(str)
        categories = ["zz-unused", *sorted(set(values), reverse=True)]
        log[column] = pd.Categorical(values, categories=categories)
    cases = pd.DataFrame(
        {
            "case:concept:name": ["a", "b", "c"],
            "arrival": [at(0), at(2), at(18)],
            "end": [at(4), at(12), at(24)],
        }
    )
    plain, categorical = kpis(THREE, cases=cases), kpis(log, cases=cases)
    assert categorical.as_dict() == pytest.approx(plain.as_dict(), nan_ok=True)
    assert list(categorical.per_activity["activity"]) == ["X", "Y"]
