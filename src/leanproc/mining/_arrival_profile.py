"""Calibration's arrival model: a stationary rate or a rate profile, chosen by held-out likelihood.

The log's span is cut into clock hours (local time). Each candidate is a Poisson process whose
rate is constant within an hour: ``base x factors`` over the hour's open time (the arrival
calendar's, when arrivals follow one; else the whole hour). The candidates:

* ``stationary``: one rate (what the fitted inter-arrival distribution stands for);
* ``weekday x hour``: a factor per weekday and one per hour of the day (the weekly shape);
* ``monthly level``: a factor per calendar month of the log (a trend: the level of each month);
* ``weekday x hour + monthly level``: both.

Factors are fitted by maximum likelihood with a weak pull toward 1 (each factor's estimate is
``(arrivals + 1) / (expected + 1)``, one pseudo-arrival: a level never seen in the training part
gets 1, a level with no arrivals a small rate rather than zero, so a held-out arrival there does
not score minus infinity).

Scoring is K-fold cross-validation over interleaved blocks: weeks (week k goes to fold k mod 5),
or days when the log covers fewer than 5 weeks. A time split (first 80 % / last 20 %) cannot
score a monthly level, since the held-out months are absent from the training part; interleaved
weeks keep every month and every weekday in each training part. Each model is fitted without a
fold and scored on it (log-likelihood of the fold's arrivals: the sum of log rate at the arrivals
minus the integrated rate, rates per hour). The choice is the simplest model within one standard
error of the best total (the one-standard-error rule: a richer model must beat the simpler by
more than the spread between folds, which penalises parameters that only fit noise). A log shorter
than 5 days is not scored: it stays stationary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FOLDS", "MODELS", "ProfileChoice", "choose_arrival_model"]

FOLDS = 5
_PSEUDO = 1.0  # pseudo-arrivals pulling each factor toward 1
_SWEEPS = 100  # at most; the sweeps stop when no factor moves by 1e-4 (relative)
# a richer model must beat a simpler one by this many nats per extra parameter (a likelihood ratio
# of e^0.5 = 1.65 each) on top of one standard error between folds: a factor per month of a long
# log with few cases (roadtraffic: 150 months, 100 cases) otherwise wins by the noise of a fold
_MARGIN = 0.5
MODELS: dict[str, tuple[str, ...]] = {
    "stationary": (),
    "weekday x hour": ("weekday", "hour"),
    "monthly level": ("period",),
    "weekday x hour + monthly level": ("weekday", "hour", "period"),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ProfileChoice:
    """The chosen model, its ``arrivals.rate`` entry (None: stationary), the held-out
    log-likelihood per arrival of every model (empty: not scored), the free parameters of
    each, the blocks of the cross-validation and a sentence for the calibration notes."""

    model: str
    rate: dict[str, Any] | None
    scores: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, int] = field(default_factory=dict)
    blocks: str = ""
    note: str = ""


@dataclass(frozen=True)
class _Bins:
    """The log's span in clock hours: open hours, arrivals and the level of each factor."""

    start: pd.DatetimeIndex
    exposure: np.ndarray  # open hours in each hour (0 .. 1)
    count: np.ndarray
    levels: dict[str, np.ndarray]
    sizes: dict[str, int]
    months: list[str]  # label of each period level (YYYY-MM)
    outside: float = 0.0  # arrivals in closed time


def _bins(times: pd.Series, cal: Any) -> _Bins:
    first = times.iloc[0].floor("h", ambiguous=False, nonexistent="shift_backward")
    last = times.iloc[-1]
    edges = pd.date_range(first, last + pd.Timedelta(hours=1), freq="h")
    start = edges[:-1]
    if cal is None:
        exposure = np.ones(len(start))
    else:
        exposure = np.asarray(cal.working_seconds(start, edges[1:]), dtype=float) / 3600.0
    slot = np.searchsorted(edges.asi8, pd.DatetimeIndex(times).asi8, side="right") - 1
    count = np.bincount(np.clip(slot, 0, len(start) - 1), minlength=len(start)).astype(float)
    # an arrival in closed time is outside the process the models describe (the arrivals
    # while the calendar is open): it is not scored, and `outside` scales the base instead
    outside = float(count[exposure <= 0].sum())
    count[exposure <= 0] = 0.0
    month_key = start.year * 12 + start.month - 1
    m0 = int(month_key.min())
    months = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in range(m0, int(month_key.max()) + 1)]
    levels = {"weekday": np.asarray(start.day_of_week), "hour": np.asarray(start.hour),
              "period": np.asarray(month_key - m0)}
    sizes = {"weekday": 7, "hour": 24, "period": len(months)}
    return _Bins(start, exposure, count, levels, sizes, months, outside)


def _fit(b: _Bins, names: tuple[str, ...], rows: np.ndarray
         ) -> tuple[float, dict[str, np.ndarray]]:
    """Base rate (per open hour) and factors fitted on the hours in `rows`."""
    expo, cnt = b.exposure[rows], b.count[rows]
    lv = {n: b.levels[n][rows] for n in names}
    f = {n: np.ones(b.sizes[n]) for n in names}
    base = cnt.sum() / max(expo.sum(), 1e-12)
    for _ in range(_SWEEPS if names else 0):
        before = {n: v.copy() for n, v in f.items()}
        for n in names:
            others = np.ones(len(expo))
            for m in names:
                if m != n:
                    others = others * f[m][lv[m]]
            expected = np.bincount(lv[n], base * expo * others, minlength=b.sizes[n])
            observed = np.bincount(lv[n], cnt, minlength=b.sizes[n])
            f[n] = (observed + _PSEUDO) / (expected + _PSEUDO)
        shape = _shape(lv, f, len(expo))
        base = cnt.sum() / max(float((expo * shape).sum()), 1e-12)
        if all(np.allclose(f[n], before[n], rtol=1e-4, atol=0) for n in names):
            break
    return base, f


def _shape(levels: dict[str, np.ndarray], f: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.ones(n)
    for name, lv in levels.items():
        out = out * f[name][lv]
    return out


def _loglik(b: _Bins, names: tuple[str, ...], base: float, f: dict[str, np.ndarray],
            rows: np.ndarray) -> float:
    """Poisson-process log-likelihood of the arrivals in `rows` (rates per open hour)."""
    rows = rows & (b.exposure > 0)
    rate = base * _shape({n: b.levels[n][rows] for n in names}, f, int(rows.sum()))
    cnt = b.count[rows]
    with np.errstate(divide="ignore"):
        log_rate = np.where(cnt > 0, np.log(rate), 0.0)
    return float((cnt * log_rate).sum() - (rate * b.exposure[rows]).sum())


def _parameters(b: _Bins, names: tuple[str, ...]) -> int:
    open_rows = b.exposure > 0
    return 1 + sum(len(np.unique(b.levels[n][open_rows])) - 1 for n in names)


def choose_arrival_model(times: pd.Series, cal: Any) -> ProfileChoice:
    """The arrival model for the sorted, tz-aware case starts `times` (read on their own clock)
    on the arrival calendar `cal` (None: round the clock)."""
    b = _bins(times, cal)
    days = (b.start[-1] - b.start[0]).total_seconds() / 86400.0
    if days >= 7 * FOLDS:
        monday = (b.start[0] - pd.Timedelta(days=int(b.start[0].day_of_week))).normalize()
        block, blocks = ((b.start - monday).days // 7).to_numpy(), "weeks"
    elif days >= FOLDS:
        block, blocks = ((b.start - b.start[0].normalize()).days).to_numpy(), "days"
    else:
        return ProfileChoice(model="stationary", rate=None,
                             note=f"arrivals: stationary (the log covers {days:.1f} days, too "
                                  f"short to compare rate profiles; {FOLDS} days at least)")
    b, fold = _cells(b, block % FOLDS)
    per_fold = {m: np.zeros(FOLDS) for m in MODELS}
    for k in range(FOLDS):
        held = fold == k
        for m, names in MODELS.items():
            base, f = _fit(b, names, ~held)
            per_fold[m][k] = _loglik(b, names, base, f, held)
    held_arrivals = max(float(b.count.sum()), 1.0)
    scores = {m: float(s.sum()) / held_arrivals for m, s in per_fold.items()}
    params = {m: _parameters(b, names) for m, names in MODELS.items()}
    chosen = _simplest_close_to_best(per_fold, params)
    shown = "; ".join(f"{m} {scores[m]:.3f} ({params[m]} parameter{'s' * (params[m] > 1)})"
                      for m in MODELS)
    note = (f"arrivals: {chosen} chosen by {FOLDS}-fold cross-validation over {blocks} "
            f"(held-out log-likelihood per arrival, rates per hour: {shown}; the simplest model "
            f"within one standard error, plus {_MARGIN} per extra parameter, of the best)")
    rate = None
    if MODELS[chosen]:
        names = MODELS[chosen]
        base, f = _fit(b, names, np.ones(len(b.start), dtype=bool))
        rate = _rate_entry(b, names, base, f)
    return ProfileChoice(model=chosen, rate=rate, scores=scores, parameters=params,
                         blocks=blocks, note=note)


def _simplest_close_to_best(per_fold: dict[str, np.ndarray], params: dict[str, int]) -> str:
    """The one-standard-error rule with a parsimony margin per extra parameter."""
    best = max(per_fold, key=lambda m: per_fold[m].sum())
    for m in sorted(per_fold, key=lambda m: params[m]):
        diff = per_fold[best] - per_fold[m]
        spread = math.sqrt(FOLDS * float(np.var(diff, ddof=1)))
        if diff.sum() <= spread + _MARGIN * (params[best] - params[m]):
            return m
    return best


def _cells(b: _Bins, fold: np.ndarray) -> tuple[_Bins, np.ndarray]:
    """The hours summed per (fold, weekday, hour, month): the rate is constant in such a cell,
    so the fit and the likelihood are the same on far fewer rows."""
    key = fold.astype(np.int64)
    for n in ("weekday", "hour", "period"):
        key = key * b.sizes[n] + b.levels[n]
    uniq, inverse = np.unique(key, return_inverse=True)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(key))[::-1]  # a representative hour of each cell
    cells = _Bins(start=b.start[first],
                  exposure=np.bincount(inverse, b.exposure, minlength=len(uniq)),
                  count=np.bincount(inverse, b.count, minlength=len(uniq)),
                  levels={n: lv[first] for n, lv in b.levels.items()},
                  sizes=b.sizes, months=b.months, outside=b.outside)
    return cells, fold[first]


def _short(x: float) -> float:
    return float(f"{x:.2g}")


def _rate_entry(b: _Bins, names: tuple[str, ...], base: float, f: dict[str, np.ndarray]
                ) -> dict[str, Any]:
    """The ``arrivals.rate`` mapping: each factor table scaled to an open-time weighted mean of
    1 (the base is then the mean rate, raised by the share of arrivals in closed time so the
    scenario has the log's number of cases), two significant digits, levels never open left out
    (they default to 1 and the calendar keeps them closed)."""
    open_rows = b.exposure > 0
    inside = float(b.count.sum())
    base *= (inside + b.outside) / max(inside, 1.0)  # as many cases as the log, all inside
    entry: dict[str, Any] = {}
    tables: dict[str, dict[str, float]] = {}
    for n in names:
        lv = b.levels[n]
        weight = np.bincount(lv, b.exposure, minlength=b.sizes[n])
        mean = float((weight * f[n]).sum() / weight.sum())
        base *= mean
        seen = sorted(set(lv[open_rows].tolist()))
        scaled = {i: _short(float(f[n][i]) / mean) for i in seen}
        if n == "weekday":
            tables["weekday"] = {_WEEKDAYS[i]: v for i, v in scaled.items()}
        elif n == "period":
            tables["periods"] = {b.months[i]: v for i, v in scaled.items()}
        else:
            tables["hour"] = _hour_ranges(scaled)
    # the base per day when below one an hour: 2.1/day reads better than 0.0888/hour
    entry["base"] = f"{base:.4g}/hour" if base >= 1 else f"{base * 24:.4g}/day"
    entry.update(tables)
    return entry


def _hour_ranges(factors: dict[int, float]) -> dict[str, float]:
    """{9: 1.2, 10: 1.2, 11: 0.8} -> {"09-11": 1.2, "11": 0.8}: runs of equal factors."""
    out: dict[str, float] = {}
    hours = sorted(factors)
    i = 0
    while i < len(hours):
        j = i
        while (j + 1 < len(hours) and hours[j + 1] == hours[j] + 1
               and factors[hours[j + 1]] == factors[hours[i]]):
            j += 1
        a, z = hours[i], hours[j] + 1
        out[f"{a:02d}" if z == a + 1 else f"{a:02d}-{z:02d}"] = factors[hours[i]]
        i = j + 1
    return out
