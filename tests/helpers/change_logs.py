"""Event logs with a known change, made with plain numpy / pandas (not leanproc's simulator,
so that checking `monitor` on them is not circular).

Cases arrive as a Poisson stream; each case's lead time is lognormal (sigma 0.6: skewed, the
mean 20 % above the median) with a median that depends on the case's *start*: `before_h` for
cases starting before `change`, `after_h` after it, or, with `ramp_days`, moving
log-linearly from one to the other over that many days; with `rho`, the log lead times of
successive cases are correlated (AR(1)), as in a queue. Two activities per case:
registration at the start and the decision at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2025-01-06", tz="Europe/Moscow")
SIGMA = 0.6


def change_log(*, cases_per_day: float = 10.0, days: int = 120, change_day: float = 60.0,
               before_h: float = 72.0, after_h: float = 24.0, ramp_days: float = 0.0,
               rho: float = 0.0, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = rng.poisson(cases_per_day * days)
    start_days = np.sort(rng.uniform(0.0, days, n))
    progress = np.clip((start_days - change_day) / ramp_days, 0.0, 1.0) if ramp_days else (
        (start_days >= change_day).astype(float))
    log_median = np.log(before_h) + progress * (np.log(after_h) - np.log(before_h))
    lead_h = np.exp(log_median + SIGMA * _noise(rng, n, rho))
    starts = START + pd.to_timedelta(start_days, unit="D")
    ends = starts + pd.to_timedelta(lead_h, unit="h")
    registered = starts + pd.Timedelta(minutes=10)
    ids = [f"c{i:06d}" for i in range(n)]
    first = pd.DataFrame({"case:concept:name": ids, "concept:name": "Регистрация",
                          "start_timestamp": starts, "time:timestamp": registered})
    second = pd.DataFrame({"case:concept:name": ids, "concept:name": "Решение",
                           "start_timestamp": ends - pd.Timedelta(minutes=30),
                           "time:timestamp": ends})
    return pd.concat([first, second], ignore_index=True)


def _noise(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    """Standard normal noise, AR(1) with lag-1 correlation `rho` in start order: cases that
    start close together share a queue and are slow or fast together."""
    z = rng.standard_normal(n)
    if rho == 0.0:
        return z
    out = np.empty(n)
    out[0] = z[0]
    scale = np.sqrt(1.0 - rho * rho)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + scale * z[i]
    return out


def change_instant(change_day: float) -> pd.Timestamp:
    return START + pd.Timedelta(days=change_day)
