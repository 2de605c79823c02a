"""One case-start rule (the earliest instant) for KPIs, report figures and calibrated arrivals."""

from __future__ import annotations

import pandas as pd
import pytest

from leanproc import kpis
from leanproc.log import ACTIVITY, CASE, ENABLE, END, START
from leanproc.report.data import case_starts, lead_times_from_log


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="Europe/Moscow")


def test_report_lead_times_equal_the_kpi_lead_times() -> None:
    # case b's enablement was recorded after its first start (a late system entry): taking
    # the enablement first would start the case an hour after work on it began
    log = pd.DataFrame({
        CASE: ["a", "a", "b", "b"],
        ACTIVITY: ["x", "y", "x", "y"],
        ENABLE: [_t("2026-03-02 09:00"), _t("2026-03-02 10:00"),
                 _t("2026-03-02 12:00"), _t("2026-03-02 13:00")],
        START: [_t("2026-03-02 09:30"), _t("2026-03-02 10:30"),
                _t("2026-03-02 11:00"), _t("2026-03-02 13:30")],
        END: [_t("2026-03-02 10:00"), _t("2026-03-02 12:00"),
              _t("2026-03-02 11:30"), _t("2026-03-02 14:00")],
    })
    assert case_starts(log)["b"] == _t("2026-03-02 11:00")
    hours = lead_times_from_log(log)
    assert hours.to_dict() == {"a": 3.0, "b": 3.0}
    assert kpis(log).as_dict()["lead_time.mean"] == pytest.approx(hours.mean() * 3600)


def test_calibration_fits_arrivals_to_the_same_case_starts() -> None:
    from leanproc.kpi.inputs import case_start_series
    from leanproc.mining._calibrate_log import case_starts as calibration_starts
    from leanproc.mining._calibrate_log import prepare_events

    # case c: only its second row carries an enablement, later than the first row's start
    log = pd.DataFrame({
        CASE: ["c", "c"], ACTIVITY: ["x", "y"],
        ENABLE: [pd.NaT, _t("2026-03-02 12:00")],
        START: [_t("2026-03-02 09:00"), _t("2026-03-02 12:30")],
        END: [_t("2026-03-02 10:00"), _t("2026-03-02 13:00")],
    })
    frame = prepare_events(log, None).frame
    assert calibration_starts(frame)["c"] == _t("2026-03-02 09:00")
    assert calibration_starts(frame)["c"] == case_start_series(log)["c"]
