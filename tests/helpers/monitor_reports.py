"""Hand-built `MonitorReport` s for the tests of its views (chart, workbook, HTML, command).

The figures are chosen, not computed: twelve weekly lead times near 72 h, then twelve near
24 h, a change on 2025-03-24 and an XmR chart on the first eight weeks. A view must show
these numbers as given (in hours, in the language's number format).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from leanproc.mining.monitor_report import ChangePoint, ControlChart, MonitorReport

HOUR = 3600.0
START = pd.Timestamp("2025-01-06")  # a Monday
CHANGE = pd.Timestamp("2025-03-24")
# weekly mean lead times in hours: 12 weeks near 72 h, 12 near 24 h
BEFORE_H = [70.0, 74.5, 71.0, 73.5, 69.0, 75.0, 72.0, 70.5, 73.0, 71.5, 74.0, 72.5]
AFTER_H = [30.0, 26.0, 25.0, 23.5, 24.0, 22.5, 25.5, 23.0, 24.5, 22.0, 24.0, 23.0]


def weekly_report(*, change: bool = True, projection: bool = False,
                  validation: Any = None, lead_h: list[float] | None = None,
                  ) -> MonitorReport:
    """A weekly lead-time report; `projection` adds projected cases near 26 h."""
    hours = lead_h or BEFORE_H + AFTER_H
    periods = pd.DataFrame({
        "period": pd.date_range(START, periods=len(hours), freq="W-MON"),
        "cases": [40 + i % 3 for i in range(len(hours))],
        "value": [h * HOUR for h in hours],
        "median": [(h - 6.0) * HOUR for h in hours],
    })
    base = np.array(hours[:8])
    centre = float(base.mean())
    mr = float(np.abs(np.diff(base)).mean())
    values = periods.set_index("period")["value"]
    flagged = [p for p, h in zip(periods["period"], hours, strict=True)
               if h < centre - 2.66 * mr]
    signals = pd.DataFrame({"period": flagged, "rule": ["beyond_limits"] * len(flagged),
                            "description": ["below the lower natural process limit"]
                            * len(flagged)})
    chart = ControlChart(values=values, centre=centre * HOUR,
                         lower=max(0.0, centre - 2.66 * mr) * HOUR,
                         upper=(centre + 2.66 * mr) * HOUR, moving_range_mean=mr * HOUR,
                         baseline=(periods["period"].iloc[0], periods["period"].iloc[7]),
                         signals=signals)
    point = ChangePoint(at=CHANGE, method="given", p_value=None, confidence=None,
                        cases_before=486, cases_after=490) if change else None
    before = {"lead_time.mean": 72.2 * HOUR, "lead_time.median": 66.0 * HOUR} if change else {}
    after = {"lead_time.mean": 24.4 * HOUR, "lead_time.median": 18.5 * HOUR} if change else {}
    comparison = pd.DataFrame([
        {"kpi": "lead_time.mean", "before": 72.2 * HOUR, "before_low": 70.1 * HOUR,
         "before_high": 74.3 * HOUR, "after": 24.4 * HOUR, "after_low": 23.2 * HOUR,
         "after_high": 25.6 * HOUR, "relative_change": 24.4 / 72.2 - 1},
        {"kpi": "lead_time.median", "before": 66.0 * HOUR, "before_low": 63.0 * HOUR,
         "before_high": 69.0 * HOUR, "after": 18.5 * HOUR, "after_low": 17.5 * HOUR,
         "after_high": 19.5 * HOUR, "relative_change": 18.5 / 66.0 - 1},
    ]) if change else pd.DataFrame(columns=["kpi", "before", "before_low", "before_high",
                                            "after", "after_low", "after_high",
                                            "relative_change"])
    projected = None
    if projection:
        rng = np.random.default_rng(7)
        projected = pd.Series(rng.gamma(9.0, 26.0 / 9.0, size=400) * HOUR)
    return MonitorReport(kpi="lead_time", freq="W", periods=periods, chart=chart,
                         change=point, before=before, after=after, comparison=comparison,
                         validation=validation, projection=projected,
                         calendar="ru-5x8" if change else None,
                         notes=("periods with fewer than 5 cases are left out",))


def validation_of(met: bool) -> Any:
    """A stand-in for the `ValidationReport` of the after-period: its table and whether the
    targets hold (the attribute `MonitorReport.targets_met` reads)."""
    table = pd.DataFrame([{"kpi": "lead_time.mean", "projected": 26.0 * HOUR,
                           "actual": 24.4 * HOUR, "target": "<= 30h" if met else "<= 20h",
                           "target_met": met, "verdict": "confirmed"}])
    return SimpleNamespace(table=table, targets_met=met)
