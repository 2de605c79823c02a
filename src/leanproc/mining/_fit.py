"""Fitting a duration distribution to observed times and writing it in the scenario's YAML forms.

Candidates: fixed, exponential, gamma, lognormal, normal, uniform and triangular, each fitted by
maximum likelihood with scipy (location at zero for the positive families). The criterion is
the Kolmogorov-Smirnov statistic D (largest gap between the fitted and the observed CDF): it
is scale-free and comparable across families with different numbers of parameters, which AIC is
not when a family's support depends on its parameters (uniform, triangular). The family with the
smallest D wins if D stays under the 5 % critical value 1.36 / sqrt(n); otherwise no family
describes the data (typical of real logs with thousands of observations, atoms at zero or
several modes) and the times are kept as an empirical distribution.

The long-tailed families (exponential, gamma, lognormal) are capped at the largest observed time
(``max:``, where the engine clips; the normal's tail is thin): the data say nothing about the
range beyond it, and a family fitted to a handful of values otherwise draws from a tail its
shape alone decides — a lognormal fitted to ten credit checks of a few minutes drew a nine-day
check about once in a thousand cases.
A family is admissible only if the mean of what it draws, cap included, matches the observed
mean within sampling error. With hundreds of observations the cap moves nothing (the fitted tail
beyond the largest of n values holds about 1/n of the mass).

The empirical form keeps at most `max_values` values: the means of equal-count groups of the
sorted observations, so the mean of the written distribution equals the observed mean (up to
rounding) and the shape is kept quantile by quantile.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Fit", "fit_times"]

_CRITICAL = 1.36  # KS critical value at 5 % is 1.36 / sqrt(n)
_UNBOUNDED = ("exponential", "gamma", "lognormal")  # capped at the largest observed time


@dataclass
class Fit:
    """One fitted distribution: its family, parameters (seconds), KS statistic and YAML form."""

    family: str
    params: dict[str, float]
    ks: float
    n: int
    mean: float
    sd: float
    spec: Any  # the scenario form, e.g. {"gamma": {"mean": 12.5, "sd": 4.1}, "unit": "min"}

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        return f"{self.family}({shown})"


def _unit(mean: float, working: bool) -> tuple[str, float]:
    if working:
        return "wh", 3600.0
    if mean < 120:
        return "s", 1.0
    if mean < 2 * 3600:
        return "min", 60.0
    return "h", 3600.0


def _num(x: float) -> float:
    return float(f"{x:.6g}")


def fit_times(x: np.ndarray, *, working: bool = False, max_values: int = 200) -> Fit:
    """Fit observed non-negative times `x` (seconds); `working` writes the form in ``wh``."""
    from scipy import stats

    x = np.asarray(x, dtype=float)
    x = np.clip(x[np.isfinite(x)], 0.0, None)
    n = len(x)
    if n == 0:
        raise ValueError("no observations to fit")
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    unit, scale = _unit(mean, working)
    if n == 1 or x.max() - x.min() <= max(1.0, 0.01 * mean):
        spec = {"fixed": _num(mean / scale), "unit": unit}
        return Fit("fixed", {"value": mean}, 0.0, n, mean, 0.0, spec)
    if n < 8:  # too few to tell families apart: keep what was seen
        return _empirical(x, unit, scale, max_values)

    eps = max(mean * 1e-6, 1e-9)
    pos = np.maximum(x, eps)
    z = x / mean  # fit in units of the mean: better conditioned
    zpos = pos / mean
    candidates: list[tuple[str, Any, dict[str, float], Any]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        candidates.append(("exponential", stats.expon(scale=1.0), {"mean": mean},
                           {"exponential": {"mean": _num(mean / scale)}, "unit": unit}))
        try:
            a, _, s = stats.gamma.fit(zpos, floc=0)
            g_mean, g_sd = a * s * mean, math.sqrt(a) * s * mean
            candidates.append(("gamma", stats.gamma(a, scale=s),
                               {"shape": a, "scale": s * mean},
                               {"gamma": {"mean": _num(g_mean / scale), "sd": _num(g_sd / scale)},
                                "unit": unit}))
        except (ValueError, RuntimeError, FloatingPointError):
            pass
        sigma, _, sc = stats.lognorm.fit(zpos, floc=0)
        mu = math.log(sc)
        l_mean = math.exp(mu + sigma**2 / 2)
        l_sd = l_mean * math.sqrt(math.expm1(sigma**2))
        if math.isfinite(l_sd):
            candidates.append(("lognormal", stats.lognorm(sigma, scale=sc),
                               {"mu": mu + math.log(mean), "sigma": sigma},
                               {"lognormal": {"mean": _num(l_mean * mean / scale),
                                              "sd": _num(l_sd * mean / scale)}, "unit": unit}))
        m, s = float(z.mean()), float(z.std())
        if s > 0:
            candidates.append(("normal", stats.norm(m, s), {"mean": m * mean, "sd": s * mean},
                               {"normal": {"mean": _num(m * mean / scale),
                                           "sd": _num(s * mean / scale)}, "unit": unit}))
        lo, hi = float(z.min()), float(z.max())
        candidates.append(("uniform", stats.uniform(lo, hi - lo),
                           {"low": lo * mean, "high": hi * mean},
                           {"uniform": [_num(lo * mean / scale), _num(hi * mean / scale)],
                            "unit": unit}))
        mode = _mode(z)
        if lo < hi:
            c = min(max((mode - lo) / (hi - lo), 0.0), 1.0)
            candidates.append(("triangular", stats.triang(c, loc=lo, scale=hi - lo),
                               {"left": lo * mean, "mode": mode * mean, "right": hi * mean},
                               {"triangular": [_num(lo * mean / scale), _num(mode * mean / scale),
                                               _num(hi * mean / scale)], "unit": unit}))
    # A family whose fitted mean strays from the observed one by more than sampling error
    # allows is not admissible, however small its D: a lognormal fitted to eight scattered
    # values can have a mean a hundred times theirs, and the mean drives every KPI.
    tolerance = max(0.1, 2.0 * sd / mean / math.sqrt(n)) if mean > 0 else 0.0
    cap = float(z.max())
    for family, _, _, spec in candidates:
        if family in _UNBOUNDED:
            spec["max"] = _num(cap * mean / scale)
    best = None
    for family, dist, params, spec in candidates:
        fitted = (_capped_mean(family, dist, cap) if family in _UNBOUNDED
                  else float(dist.mean()))
        if not math.isfinite(fitted) or abs(fitted - 1.0) > tolerance:
            continue
        d = float(stats.kstest(z, dist.cdf).statistic)
        if math.isfinite(d) and (best is None or d < best[0]):
            best = (d, family, params, spec)
    if best is None:
        return _empirical(x, unit, scale, max_values)
    # the one-parameter exponential wins when it describes the data about as well
    d_exp = float(stats.kstest(z, stats.expon(scale=1.0).cdf).statistic)
    if best[1] != "exponential" and d_exp <= 1.1 * best[0] + 0.002:
        best = (d_exp, *candidates[0][0:1], candidates[0][2], candidates[0][3])
    d, family, params, spec = best
    if d > _CRITICAL / math.sqrt(n):
        return _empirical(x, unit, scale, max_values)
    fitted_mean = None
    if family in _UNBOUNDED:
        dist = next(c[1] for c in candidates if c[0] == family)
        fitted_mean = _capped_mean(family, dist, cap) * mean
    elif family == "uniform":
        fitted_mean = (params["low"] + params["high"]) / 2
    elif family == "triangular":
        fitted_mean = (params["left"] + params["mode"] + params["right"]) / 3
    return Fit(family, params, d, n, float(fitted_mean or mean), sd, spec)


def _capped_mean(family: str, dist: Any, cap: float) -> float:
    """E[min(X, cap)] of a fitted exponential, gamma or lognormal (a frozen scipy law): the
    mean of what the engine draws with ``max: cap`` (a draw above the cap becomes the cap).

    In closed form, E[X; X <= c] + c P(X > c): calibrating a large model fits thousands of
    laws, and numerical integration of each survival function cost more than the replay."""
    from scipy import special

    scale = float(dist.kwds.get("scale", 1.0))
    if cap <= 0:
        return 0.0
    if family == "exponential":
        return scale * -math.expm1(-cap / scale)
    if family == "gamma":
        a, x = float(dist.args[0]), cap / scale
        return a * scale * float(special.gammainc(a + 1.0, x)) + cap * float(
            special.gammaincc(a, x))
    sigma, mu = float(dist.args[0]), math.log(scale)  # lognormal
    z = (math.log(cap) - mu) / sigma
    return (math.exp(mu + sigma**2 / 2) * float(special.ndtr(z - sigma))
            + cap * float(special.ndtr(-z)))


def _mode(z: np.ndarray) -> float:
    """The mode of a sample, from a histogram with Freedman-Diaconis bins (at most 1,000)."""
    bins = 10
    if len(z) > 30:  # Freedman-Diaconis width, in at most 1,000 bins: a few values far out
        q25, q75 = np.percentile(z, [25, 75])  # would otherwise ask for billions of them
        width = 2.0 * (q75 - q25) / len(z) ** (1 / 3)
        if width > 0:
            bins = int(min(max(math.ceil((z.max() - z.min()) / width), 1), 1000))
    counts, edges = np.histogram(z, bins=bins)
    i = int(np.argmax(counts))
    return float((edges[i] + edges[i + 1]) / 2)


def _empirical(x: np.ndarray, unit: str, scale: float, max_values: int) -> Fit:
    from scipy import stats

    s = np.sort(x)
    # groups of (nearly) equal size: at most one observation more in some of them
    k = len(s) // math.ceil(len(s) / max_values)
    values = np.array([g.mean() for g in np.array_split(s, k)])
    written = [_num(v / scale) for v in values]
    vals = np.asarray(written) * scale
    d = float(stats.ks_2samp(s, vals, method="asymp").statistic)
    spec = {"empirical": {"values": written}, "unit": unit}
    return Fit("empirical", {"values": float(len(written))}, d, len(s), float(vals.mean()),
               float(s.std(ddof=1)) if len(s) > 1 else 0.0, spec)
