"""`monitor` on logs with a known change, generated without leanproc's simulator.

Tolerances: cases are split by their *end*, and the old process's cases (median 72 h) keep
ending for days after the change (one in twenty takes over 193 h = 8 days) while new ones
(24 h) end from about a day after it; so the best split lies after the true instant, later
the fewer cases a day there are to pin it: up to 7 days at 3 cases a day (measured in
benchmarks/monitor_change_points.py), and the test allows 1 day before and 8 after. The medians
are of n lognormal cases (sigma 0.6), with a relative standard error of about
1.25 * 0.6 / sqrt(n): see `_median_tolerance`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import leanproc
from helpers.change_logs import change_instant, change_log
from helpers.cli_scenarios import small_pair
from leanproc.errors import LogError
from leanproc.mining import MonitorReport, monitor

DAY = pd.Timedelta(days=1)


def _median_tolerance(n: int) -> float:
    """Four standard errors of the median of n lognormal cases (sigma 0.6), plus 5 % for the
    cases of the other process that a split by end time mixes in."""
    return 0.05 + 4 * 1.2533 * 0.6 / n ** 0.5


@pytest.mark.parametrize("cases_per_day", [3.0, 10.0, 30.0])
def test_a_step_change_is_found_near_its_date_with_both_medians(cases_per_day: float) -> None:
    report = monitor(change_log(cases_per_day=cases_per_day, seed=1))
    assert isinstance(report, MonitorReport)
    assert report.change is not None and report.change.p_value is not None
    assert report.change.p_value < 0.01
    error = report.change.at - change_instant(60.0)
    assert -DAY <= error <= 8 * DAY
    medians = report.comparison.set_index("kpi").loc["lead_time.median"]
    change = report.change
    assert medians["before"] / 3600 == pytest.approx(72.0, rel=_median_tolerance(
        change.cases_before))
    assert medians["after"] / 3600 == pytest.approx(24.0, rel=_median_tolerance(
        change.cases_after))
    assert medians["before_low"] <= medians["before"] <= medians["before_high"]
    assert medians["relative_change"] == pytest.approx(24 / 72 - 1, abs=0.1)


def test_a_ramp_up_is_found_inside_the_ramp() -> None:
    report = monitor(change_log(ramp_days=21.0, seed=2))
    assert report.change is not None
    assert change_instant(60.0) <= report.change.at <= change_instant(60.0 + 21.0) + 5 * DAY


@pytest.mark.parametrize(("seed", "rho"), [(3, 0.0), (4, 0.0), (5, 0.0), (6, 0.9)])
def test_no_change_no_detection(seed: int, rho: float) -> None:
    # rho 0.9: slow and fast spells as in a queue, which a shift test must not call a change
    report = monitor(change_log(after_h=72.0, rho=rho, seed=seed))
    assert report.change is None and report.change_point is None
    assert report.before == {} and report.comparison.empty
    assert any("no change point" in note for note in report.notes)


def test_a_given_change_splits_there_and_the_sides_are_kpis_of_their_cases() -> None:
    log = change_log(seed=6)
    report = leanproc.monitor(log, change="2025-03-07")
    assert report.change is not None and report.change.method == "given"
    assert report.change.at == pd.Timestamp("2025-03-07", tz="Europe/Moscow")
    assert report.change.cases_before + report.change.cases_after == report.before["cases"] \
        + report.after["cases"]
    assert report.before["lead_time.median"] > 2 * report.after["lead_time.median"]


def test_the_chart_baseline_is_before_the_change_and_flags_the_new_level() -> None:
    report = monitor(change_log(seed=7), change="2025-03-07")
    _first, last = report.chart.baseline
    assert last < pd.Timestamp("2025-03-07", tz="Europe/Moscow")
    # the baseline is the old process: its centre is near the old mean, 72 h * exp(0.18)
    assert report.chart.centre / 3600 == pytest.approx(72.0 * 1.197, rel=0.1)
    after = report.chart.signals[report.chart.signals["period"] > pd.Timestamp(
        "2025-03-20", tz="Europe/Moscow")]
    assert {"beyond_limits", "run_of_8"} <= set(after["rule"])


def test_a_share_within_the_sla_is_charted_per_month() -> None:
    report = monitor(change_log(seed=8), kpi="sla_share(48h)", freq="MS", change="2025-03-07")
    assert list(report.periods["period"].dt.day.unique()) == [1]
    row = report.comparison.set_index("kpi").loc["sla_share(48h)"]
    # P(lognormal(log 72, 0.6) <= 48) = 0.25; P(lognormal(log 24, 0.6) <= 48) = 0.88
    assert row["before"] == pytest.approx(0.25, abs=0.08)
    assert row["after"] == pytest.approx(0.88, abs=0.08)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"kpi": "vpp"}, "not a KPI monitor knows"),
    ({"freq": "fortnight"}, "is not a period"),
    ({"freq": "2W"}, "without a multiple"),
    ({"change": "2030-01-01"}, "outside the log"),
    ({"change": "2025-01-09"}, "each side needs"),
    ({"kpi": "lead_time_working"}, "needs a calendar"),
    ({"kpi": "cost"}, "'cost' column"),
])
def test_bad_input_names_the_place_and_the_fix(kwargs: dict[str, str], words: str) -> None:
    with pytest.raises(LogError, match=words) as info:
        monitor(change_log(days=90, seed=9), **kwargs)
    assert info.value.source == "monitor"


def test_targets_validate_the_after_period() -> None:
    report = monitor(change_log(seed=10), change="2025-03-07",
                     targets={"lead_time.median": "<= 36h"})
    assert report.validation is not None
    table = report.validation.table.set_index("kpi")
    assert table.loc["lead_time.median", "actual"] / 3600 == pytest.approx(24.0, rel=0.15)
    assert report.targets_met is None or isinstance(report.targets_met, bool)


def test_a_to_be_scenario_is_simulated_and_validated_against_the_after_period(
        tmp_path: Path) -> None:
    _, to_be = small_pair(tmp_path, cases=40)
    report = monitor(change_log(seed=11), change="2025-03-07", projection=to_be, seed=5)
    assert report.validation is not None
    assert {"lead_time.mean", "lead_time.median"} <= set(report.validation.table["kpi"])
    assert report.projection is not None
    # the projected per-case lead times are those of the simulated TO-BE log
    simulated = leanproc.simulate(to_be, seed=5)
    hours = sorted(report.projection / 3600)  # the series is in seconds, lead_times in hours
    assert hours == pytest.approx(sorted(simulated.lead_times))
