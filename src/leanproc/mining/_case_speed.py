"""Calibration's case speed: how much one case's times are alike across its activities.

The scenario's ``case_speed`` (`leanproc.scenario.case_speed`) gives each simulated case a
factor, lognormal with mean 1, on all its work times (and one on its waits). It is fitted here
as a random effect. Model: ``log t[i, j] = a[activity] + u[i] + e[i, j]`` for the times ``t`` of
case ``i``, with ``u`` the case's effect (variance ``s2``) and ``e`` the rest (variance
``vw``). Per case, ``m[i]``, the mean of its residuals ``log t - mean log t of the activity``,
has variance ``s2 + vw / n[i]``; ``vw`` is the pooled variance of residuals around their
case's mean, so ``s2 = var(m) - mean(vw / n)`` (the case means' spread less the share of it
that the noise of averaging ``n[i]`` times explains), cut at 0. Only times of at least a
second count (a zero has no logarithm, and sub-second times are timestamp artefacts), and only
cases with two or more of them (one time says nothing about how alike a case's times are).

No factor is written (sigma 0) unless the evidence is clear: at least `MIN_CASES` such cases,
the one-way analysis-of-variance F test of "no case effect" below `MAX_P`, and sigma at least
`MIN_SIGMA` (below it the factor moves lead-time quantiles by a few per cent, less than the
replications' own noise).

The activities' distributions are then fitted to the *de-speeded* times (each time divided by
its case's estimated factor), since the simulator multiplies them by a fresh factor again.
Dividing by the raw case means would take the averaging noise out too and leave the simulated
times narrower than the log's; the estimate is therefore shrunk towards 0 by
``k = 1 - sqrt(1 - s2 / (s2 + vw / n))``, the shrinkage under which the de-speeded
residuals keep the variance ``vw`` (so factor times de-speeded time has the log's spread).
Each activity's de-speeded times are finally rescaled so that their geometric mean is the
observed one times ``exp(s2 / 2)``: the factor's logarithm has mean ``-s2 / 2`` (its mean is
1), so the simulated times keep the log's geometric mean (the median of a lognormal) and, by
the shrinkage above, the spread of their logarithm. Rescaling to the arithmetic mean instead
would not do: in times whose logarithm spreads by 3 (receipt's), the arithmetic mean is a few
slow cases, whose times de-speeding shortens most, and matching it moved every activity's
median up by half.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from leanproc.mining._calibrate_times import WorkAndWait

__all__ = ["CaseEffect", "CaseSpeedFit", "case_effect", "fit_case_speed"]

FLOOR_S = 1.0  # times shorter than a second carry no information on a logarithmic scale
MIN_CASES = 20
MAX_P = 0.001
MIN_SIGMA = 0.1


@dataclass(frozen=True)
class CaseEffect:
    """The case effect in one kind of time (``duration`` or ``wait``)."""

    what: str
    sigma: float  # what the scenario gets: 0 unless `accepted`
    estimate: float  # the moment estimate of sigma, accepted or not
    cases: int  # cases with two or more times of a second or more
    p_value: float
    accepted: bool
    factor: np.ndarray  # per row, the case's estimated factor (1: none)

    def note(self) -> str:
        evidence = (f"from {self.cases} cases with two or more {self.what} times, F test of no "
                    f"case effect p = {self.p_value:.2g}")
        if self.accepted:
            return (f"case speed: {self.what} times of one case are alike (sigma "
                    f"{self.sigma:.3g} of the log of the time between cases, {evidence}): "
                    f"case_speed.{self.what} {self.sigma:.3g}, and the activities' {self.what}s "
                    f"fitted to the times divided by each case's estimated factor")
        return (f"case speed: no {self.what} factor (sigma estimate {self.estimate:.3g}, "
                f"{evidence}; a factor needs at least {MIN_CASES} cases, p < {MAX_P:g} and "
                f"sigma >= {MIN_SIGMA:g})")


def case_effect(cases: np.ndarray, activities: np.ndarray, times: np.ndarray, *,
                what: str) -> CaseEffect:
    """The random case effect in `times` (seconds), one value per row of `cases` and
    `activities` (module docstring)."""
    from scipy import stats

    times = np.asarray(times, dtype=float)
    factor = np.ones(len(times))
    none = CaseEffect(what, 0.0, 0.0, 0, 1.0, False, factor)
    ok = np.isfinite(times) & (times >= FLOOR_S)
    if not ok.any():
        return none
    rows = pd.DataFrame({"case": np.asarray(cases)[ok], "activity": np.asarray(activities)[ok],
                         "log": np.log(times[ok])})
    resid = rows["log"] - rows.groupby("activity", sort=False)["log"].transform("mean")
    n = resid.groupby(rows["case"], sort=False).transform("size").to_numpy()
    several = n >= 2
    by_case = resid[several].groupby(rows["case"][several], sort=False)
    m, n_i = by_case.mean(), by_case.size()
    k = len(m)
    df_within = int(n_i.sum()) - k
    if k < 2 or df_within < 1:
        return replace(none, cases=k)
    deviation = resid[several] - by_case.transform("mean")
    vw = float((deviation**2).sum()) / df_within
    if vw <= 0:  # every case's times identical up to its level: no noise to compare with
        return replace(none, cases=k)
    s2 = float(m.var(ddof=1)) - float((vw / n_i).mean())
    estimate = float(np.sqrt(max(s2, 0.0)))
    grand = float(resid[several].mean())
    between = float((n_i * (m - grand) ** 2).sum()) / (k - 1)
    p = float(stats.f.sf(between / vw, k - 1, df_within))
    accepted = k >= MIN_CASES and p < MAX_P and estimate >= MIN_SIGMA
    if not accepted:
        return CaseEffect(what, 0.0, estimate, k, p, False, factor)
    # every case with a measurable time gets its shrunk estimate, one time or several
    all_cases = resid.groupby(rows["case"], sort=False)
    noise = vw / all_cases.size()
    shrink = 1.0 - np.sqrt(noise / (s2 + noise))
    effect = shrink * (all_cases.mean() - grand)
    factor[ok] = np.exp(rows["case"].map(effect).to_numpy(dtype=float))
    return CaseEffect(what, estimate, estimate, k, p, True, factor)


def despeeded(times: np.ndarray, activities: np.ndarray, effect: CaseEffect) -> np.ndarray:
    """`times` with their case's factor divided out, each activity's geometric mean set to
    the observed one times ``exp(sigma**2 / 2)`` (module docstring)."""
    times = np.asarray(times, dtype=float)
    out = times / effect.factor
    ok = np.isfinite(times) & (times >= FLOOR_S)
    keys = pd.Series(np.asarray(activities))[ok]
    gap = (pd.Series(np.log(times[ok])).groupby(keys.to_numpy()).transform("mean")
           - pd.Series(np.log(out[ok])).groupby(keys.to_numpy()).transform("mean"))
    out[ok] *= np.exp(gap.to_numpy() + 0.5 * effect.sigma**2)
    return out


@dataclass(frozen=True)
class CaseSpeedFit:
    """The scenario's ``case_speed`` (None: no factor), the de-speeded times to fit the
    activities to, and the notes."""

    spec: dict[str, Any] | None
    times: WorkAndWait
    notes: tuple[str, ...]


def fit_case_speed(cases: np.ndarray, activities: np.ndarray,
                   times: WorkAndWait) -> CaseSpeedFit:
    """Case effects in the work times and (unless waits are not measured) the waits."""
    work = case_effect(cases, activities, times.work, what="duration")
    effects = [work]
    if times.waits != "none":
        effects.append(case_effect(cases, activities, times.wait, what="wait"))
    spec = {e.what: round(e.sigma, 4) for e in effects if e.accepted}
    new_work = despeeded(times.work, activities, work) if work.accepted else times.work
    new_wait = times.wait
    if len(effects) > 1 and effects[1].accepted:
        new_wait = despeeded(times.wait, activities, effects[1])
    return CaseSpeedFit(spec=spec or None,
                        times=replace(times, work=new_work, wait=new_wait),
                        notes=tuple(e.note() for e in effects))
