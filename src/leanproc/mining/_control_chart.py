"""The XmR (individuals and moving range) chart of a KPI per period, with three run rules.

Natural process limits: ``centre ± 2.66 × mean moving range`` over the baseline periods
(2.66 = 3 / d2, d2 = 1.128 for moving ranges of two points: three sigma of an individual
value estimated from the short-term variation, which a step change does not inflate the way
the overall standard deviation is inflated).

Run rules flagged, and why these three: each is a classic Western Electric / Nelson rule
whose false-alarm rate on a stable process is small (under 1 % per point each) and which
answers a question the office asks:

* ``beyond_limits``: a point outside the limits — one period unlike the baseline;
* ``run_of_8``: 8 successive points on one side of the centre — a sustained shift (what a
  working change looks like after the baseline);
* ``trend_of_6``: 6 successive points each higher (or each lower) than the one before — a
  drift (a ramp-up, or a gain wearing off).

The two-of-three and four-of-five zone rules are left out: with weekly points from real
logs of a few hundred cases they mostly add false alarms.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leanproc.mining.monitor_report import ControlChart

__all__ = ["RUN", "TREND", "xmr_chart"]

#: Points on one side of the centre that make a run, and successive rises (falls) a trend.
RUN = 8
TREND = 6
_SCALE = 2.66


def _signal(period: pd.Timestamp, rule: str, description: str) -> dict[str, object]:
    return {"period": period, "rule": rule, "description": description}


def _signals(values: pd.Series, centre: float, lower: float, upper: float) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    x = values.to_numpy(dtype=float)
    periods = list(values.index)
    side = np.sign(x - centre)
    for i, v in enumerate(x):
        if v > upper or v < lower:
            where = "above the upper" if v > upper else "below the lower"
            rows.append(_signal(periods[i], "beyond_limits", f"the value is {where} limit"))
        if i >= RUN - 1 and side[i] != 0 and np.all(side[i - RUN + 1:i + 1] == side[i]):
            where = "above" if side[i] > 0 else "below"
            rows.append(_signal(periods[i], "run_of_8",
                                f"{RUN} successive points {where} the centre line"))
        if i >= TREND - 1:
            steps = np.diff(x[i - TREND + 1:i + 1])
            if np.all(steps > 0) or np.all(steps < 0):
                way = "rising" if steps[0] > 0 else "falling"
                rows.append(_signal(periods[i], "trend_of_6",
                                    f"{TREND} successive points steadily {way}"))
    return pd.DataFrame(rows, columns=["period", "rule", "description"])


def xmr_chart(values: pd.Series, baseline: pd.Series) -> ControlChart:
    """The chart of `values` (KPI per period, NaN for empty periods, which are left out),
    limits from the periods where the boolean `baseline` is true (at least two of them)."""
    charted = values.dropna()
    base = charted[baseline.reindex(charted.index, fill_value=False).to_numpy(dtype=bool)]
    if len(base) < 2:
        raise ValueError("xmr_chart: the baseline needs at least two periods with cases")
    centre = float(base.mean())
    mr = float(np.abs(np.diff(base.to_numpy(dtype=float))).mean())
    # every monitored KPI is non-negative: a negative lower limit would only mislead
    lower = max(centre - _SCALE * mr, 0.0)
    upper = centre + _SCALE * mr
    signals = _signals(charted, centre, lower, upper)
    first, last = pd.Timestamp(base.index[0]), pd.Timestamp(base.index[-1])
    return ControlChart(charted, centre, lower, upper, mr if math.isfinite(mr) else 0.0,
                        (first, last), signals)
