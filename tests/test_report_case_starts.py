"""The report's lead times count from the case start the KPIs use (its earliest instant)."""

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
