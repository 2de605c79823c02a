"""Prosimos duration distributions to leanproc distribution forms and back.

Prosimos JSON writes a distribution as ``{"distribution_name": ..., "distribution_params":
[{"value": x}, ...]}``, all times in seconds. Two parameter conventions are in circulation, and
the number of parameters tells them apart:

* current (Prosimos 2.x, read by pix-framework's ``DurationDistribution.from_dict``)::

      fix      [value]                      uniform  [min, max]
      norm     [mean, sd, min, max]         expon    [mean, min, max]   (min + Exp(mean - min))
      lognorm  [mean, variance, min, max]   gamma    [mean, variance, min, max]

* legacy (Prosimos 1.x, Simod before pix-framework): scipy.stats arguments, shape parameters
  first, then ``loc, scale, min, max`` — ``expon [loc, scale, min, max]``, ``lognorm [s, loc,
  scale, min, max]``, ``triang [c, loc, scale, min, max]``, ``exponnorm [K, loc, scale, min,
  max]`` and any other scipy law; ``fix [value, 0, 1]``; ``default [min, max]`` (uniform).

Both conventions *truncate*: a draw outside [min, max] or below 0 is drawn again. leanproc
truncates the normal too but *clips* the other laws (a draw beyond a bound becomes the bound).
So a law is written in its natural leanproc form (``{exponential: {mean: ...}}``) when that is
exact, or when the mass outside [min, max] is at most `TAIL_TOLERANCE` (clipping then moves the
mean by less than about 0.1 %); otherwise — a shifted law (``loc`` > 0, the current ``expon``
with min > 0), bounds that cut deep into the law, or a law leanproc lacks (``exponnorm``) — it
becomes a fine-grained ``empirical`` histogram of the exact truncated law, and the import says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from leanproc.scenario.distributions import (
    Discrete,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Histogram,
    LogNormal,
    Normal,
    Uniform,
)

__all__ = [
    "TAIL_TOLERANCE",
    "Law",
    "histogram_arrivals",
    "law_from_prosimos",
    "law_to_spec",
    "to_prosimos_distribution",
]

TAIL_TOLERANCE = 1e-3
"""Largest probability outside [min, max] for which clipping stands in for truncation."""

# the scipy law behind each current-convention name, and how many parameters each convention has
_CURRENT_COUNTS = {"fix": (1,), "uniform": (2,), "norm": (4,), "expon": (3,), "lognorm": (4,),
                   "gamma": (4,)}
_ALIASES = {"normal": "norm", "exponential": "expon", "lognormal": "lognorm", "log_normal":
            "lognorm", "triangular": "triang", "fixed": "fix"}
_EXAMPLE = ('{"distribution_name": "expon", "distribution_params": [{"value": 600}, '
            '{"value": 0}, {"value": 3600}]}')


class LawError(ValueError):
    """A distribution entry that cannot be read; the message names the fix."""


@dataclass(frozen=True)
class Law:
    """A Prosimos distribution as scipy sees it: ``family(*shapes, loc, scale)`` truncated to
    [lo, hi] (lo >= 0). `family` ``fix`` is the constant `loc`."""

    family: str
    shapes: tuple[float, ...]
    loc: float
    scale: float
    lo: float = 0.0
    hi: float = math.inf

    def frozen(self) -> Any:
        """The scipy.stats frozen law (not for ``fix``)."""
        import scipy.stats as st

        return getattr(st, self.family)(*self.shapes, loc=self.loc, scale=self.scale)

    def _cdf(self, x: float) -> float:
        """The untruncated CDF; closed forms for the common laws (importing scipy.stats costs
        more than a second, so it is left to the rare laws that need it)."""
        z = (x - self.loc) / self.scale
        if self.family == "expon":
            return -math.expm1(-z) if z > 0 else 0.0
        if self.family == "norm":
            return 0.5 * math.erfc(-z / math.sqrt(2))
        if self.family == "lognorm":
            return 0.5 * math.erfc(-math.log(z) / (self.shapes[0] * math.sqrt(2))) if z > 0 else 0.0
        if self.family == "gamma":
            from scipy.special import gammainc

            return float(gammainc(self.shapes[0], z)) if z > 0 else 0.0
        return float(self.frozen().cdf(x))

    def outside(self) -> float:
        """Probability the untruncated law puts outside [lo, hi]."""
        if self.family in ("expon", "norm", "lognorm", "gamma"):
            below = self._cdf(self.lo) if self.lo > -math.inf else 0.0
            above = 1.0 - self._cdf(self.hi) if self.hi < math.inf else 0.0
            return below + above
        law = self.frozen()
        below = float(law.cdf(self.lo)) if self.lo > -math.inf else 0.0
        above = float(law.sf(self.hi)) if self.hi < math.inf else 0.0
        return below + above

    def mean(self) -> float:
        """The mean of the truncated law (what Prosimos draws on average)."""
        if self.family == "fix":
            return self.loc
        law = self.frozen()
        return float(law.expect(lambda x: x, lb=self.lo, ub=self.hi, conditional=True))


def _values(params: Any) -> list[float]:
    if not isinstance(params, list):
        raise LawError(f"distribution_params must be a list such as [{{\"value\": 600}}], got "
                       f"{params!r}")
    out = []
    for i, p in enumerate(params):
        raw = p.get("value") if isinstance(p, Mapping) else p
        try:
            x = float(raw)  # type: ignore[arg-type]  # None and text raise, handled below
        except (TypeError, ValueError):
            raise LawError(f"distribution_params[{i}] is not a number: {p!r}") from None
        if math.isnan(x):
            raise LawError(f"distribution_params[{i}] is NaN")
        out.append(x)
    return out


def _bounds(lo: float, hi: float) -> tuple[float, float]:
    lo = max(lo, 0.0)  # both conventions also redraw negative durations
    if hi < lo:
        raise LawError(f"max ({hi:g}) is below min ({lo:g})")
    return lo, hi


def law_from_prosimos(entry: Mapping[str, Any]) -> Law:
    """The `Law` of one Prosimos distribution entry (either convention); `LawError` if bad."""
    raw_name = entry.get("distribution_name")
    if not isinstance(raw_name, str) or not raw_name:
        raise LawError(f"distribution_name is missing; write e.g. {_EXAMPLE}")
    name = _ALIASES.get(raw_name.strip().lower(), raw_name.strip().lower())
    v = _values(entry.get("distribution_params", []))
    n = len(v)
    if name == "fix":
        if n < 1:
            raise LawError("fix needs its value: [{\"value\": 600}]")
        if v[0] < 0:
            raise LawError(f"fix: a duration cannot be negative, got {v[0]:g}")
        return Law("fix", (), v[0], 0.0, v[0], v[0])
    if name == "default" and n == 2:  # legacy: uniform between two values
        lo, hi = _bounds(min(v), max(v))
        return Law("uniform", (), lo, hi - lo, lo, hi)
    if n in _CURRENT_COUNTS.get(name, ()):
        return _current(name, v)
    return _legacy(name, v, raw_name)


def _current(name: str, v: list[float]) -> Law:
    if name == "uniform":
        lo, hi = _bounds(v[0], v[1])
        return Law("uniform", (), v[0], v[1] - v[0], lo, hi)
    if name == "norm":
        mean, sd, lo, hi = v
        if sd < 0:
            raise LawError(f"norm: the sd must be >= 0, got {sd:g}")
        return Law("norm", (), mean, sd, *_bounds(lo, hi))
    if name == "expon":
        mean, lo, hi = v
        scale = mean - lo  # pix-framework draws min + Exp(mean - min) ...
        if scale < 0:
            scale = mean  # ... and falls back to Exp(mean) when mean < min
        if scale <= 0:
            return Law("fix", (), max(lo, 0.0), 0.0, max(lo, 0.0), max(lo, 0.0))
        return Law("expon", (), lo, scale, *_bounds(lo, hi))
    mean, var, lo, hi = v  # lognorm, gamma: by mean and variance
    if mean <= 0 or var < 0:
        raise LawError(f"{name}: need mean > 0 and variance >= 0, got mean {mean:g}, "
                       f"variance {var:g}")
    lo, hi = _bounds(lo, hi)
    if var == 0:
        return Law("fix", (), mean, 0.0, mean, mean)
    if name == "lognorm":
        sigma2 = math.log1p(var / mean**2)
        return Law("lognorm", (math.sqrt(sigma2),), 0.0, mean * math.exp(-sigma2 / 2), lo, hi)
    return Law("gamma", (mean**2 / var,), 0.0, var / mean, lo, hi)


def _legacy(name: str, v: list[float], raw_name: str) -> Law:
    import scipy.stats as st

    law = getattr(st, name, None)
    if not isinstance(law, st.rv_continuous):
        raise LawError(f"unknown distribution {raw_name!r}: use fix, uniform, norm, expon, "
                       f"lognorm, gamma (or a scipy.stats continuous law in the legacy "
                       f"[shapes..., loc, scale, min, max] form)")
    n_shapes = len(law.shapes.split(",")) if law.shapes else 0
    if len(v) != n_shapes + 4:
        current = _CURRENT_COUNTS.get(name)
        hint = (f"{current[0]} parameters in the current convention or " if current else "")
        raise LawError(f"{raw_name} takes {hint}{n_shapes + 4} in the legacy one "
                       f"([{'shape, ' * n_shapes}loc, scale, min, max]); got {len(v)}")
    *shapes, loc, scale, lo, hi = v
    if scale <= 0:
        raise LawError(f"{raw_name}: scale must be > 0, got {scale:g}")
    return Law(name, tuple(shapes), loc, scale, *_bounds(lo, hi))


# ---- Law -> leanproc form ----------------------------------------------------------------------

def _with_bounds(body: dict[str, Any], law: Law, support_lo: float = 0.0) -> dict[str, Any]:
    """The form with ``unit: s`` and the bounds that cut into the law's support."""
    spec: dict[str, Any] = {**body, "unit": "s"}
    if law.lo > support_lo:
        spec["min"] = law.lo
    if law.hi < math.inf:
        spec["max"] = law.hi
    return spec


def law_to_spec(law: Law) -> tuple[dict[str, Any], bool]:
    """(the leanproc distribution form of `law`, whether it is exact or within tolerance).

    Not exact means a histogram of the truncated law stands in for it (see the module notes).
    """
    if law.family == "fix":
        return {"fixed": law.loc, "unit": "s"}, True
    if law.family == "norm":
        if law.scale == 0:
            return {"fixed": min(max(law.loc, law.lo), law.hi), "unit": "s"}, True
        body = {"normal": {"mean": law.loc, "sd": law.scale}}
        return _with_bounds(body, law, -math.inf), True  # leanproc truncates the normal too
    if law.family == "uniform":
        a, b = max(law.loc, law.lo), min(law.loc + law.scale, law.hi)
        if a > b:
            raise LawError(f"uniform [{law.loc:g}, {law.loc + law.scale:g}] lies outside "
                           f"[min, max] = [{law.lo:g}, {law.hi:g}]")
        return {"uniform": [a, b], "unit": "s"}, True
    if law.family == "triang" and law.lo <= law.loc and law.hi >= law.loc + law.scale:
        c = law.shapes[0]
        return {"triangular": [law.loc, law.loc + c * law.scale, law.loc + law.scale],
                "unit": "s"}, True
    natural = _natural(law)
    if natural is not None and law.outside() <= TAIL_TOLERANCE:
        return natural, True
    return histogram_spec(law), False


def _natural(law: Law) -> dict[str, Any] | None:
    """The leanproc form of an unshifted exponential, lognormal or gamma law (bounds clip)."""
    if law.loc != 0:
        return None
    if law.family == "expon":
        return _with_bounds({"exponential": {"mean": law.scale}}, law)
    if law.family == "lognorm":
        s = law.shapes[0]
        mean = law.scale * math.exp(s * s / 2)
        sd = mean * math.sqrt(math.expm1(s * s))
        return _with_bounds({"lognormal": {"mean": mean, "sd": sd}}, law)
    if law.family == "gamma":
        k = law.shapes[0]
        return _with_bounds({"gamma": {"shape": k, "scale": law.scale}}, law)
    return None


# probability levels of the histogram edges: fine in the body, halving towards the upper tail
_LEVELS = np.concatenate([np.linspace(0.0, 0.95, 96), 1.0 - 0.05 * 0.5 ** np.arange(1, 15)])


def histogram_spec(law: Law) -> dict[str, Any]:
    """An ``empirical`` histogram of the truncated law: edges at its quantiles, about 110 bins.

    Bins are uniform inside, so the CDF is matched at every edge and interpolated linearly in
    between; an unbounded upper tail is cut at the 1 - 3e-6 quantile.
    """
    frozen = law.frozen()
    f_lo = float(frozen.cdf(law.lo))
    f_hi = float(frozen.cdf(law.hi)) if law.hi < math.inf else 1.0
    mass = f_hi - f_lo
    if not mass > 0:
        raise LawError(f"{law.family} puts no probability in [min, max] = [{law.lo:g}, "
                       f"{law.hi:g}]")
    levels = _LEVELS if law.hi == math.inf else np.append(_LEVELS, 1.0)
    edges = np.asarray(frozen.ppf(f_lo + levels * mass), dtype=float)
    edges[0] = max(edges[0], law.lo)
    if law.hi < math.inf:
        edges[-1] = law.hi
    weights = np.diff(levels)
    keep_e, keep_w = [float(edges[0])], []
    for x, w in zip(edges[1:], weights, strict=True):
        if x > keep_e[-1]:
            keep_e.append(float(x))
            keep_w.append(float(w))
        elif keep_w:
            keep_w[-1] += float(w)  # a zero-width bin: its mass joins the previous one
    if not keep_w:
        return {"fixed": keep_e[0], "unit": "s"}
    return {"empirical": {"bins": keep_e, "weights": keep_w}, "unit": "s"}


def histogram_arrivals(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Prosimos ``histogram_sampling`` (a CDF over bin midpoints) as a leanproc ``discrete``.

    Prosimos draws u ~ U(0, 1) and returns the midpoint of the first bin whose CDF is >= u, so
    each midpoint has the probability of its CDF step.
    """
    data = entry.get("histogram_data")
    if not isinstance(data, Mapping):
        raise LawError("histogram_sampling needs histogram_data with cdf and bin_midpoints")
    cdf, mids = data.get("cdf"), data.get("bin_midpoints")
    if not isinstance(cdf, list) or not isinstance(mids, list) or len(cdf) != len(mids) or not cdf:
        raise LawError("histogram_data: cdf and bin_midpoints must be lists of the same length")
    c = np.asarray(cdf, dtype=float)
    if np.any(np.diff(c) < 0) or c[0] < 0 or abs(c[-1] - 1) > 1e-6:
        raise LawError("histogram_data.cdf must rise from >= 0 to 1")
    p = np.diff(np.concatenate([[0.0], c]))
    table: dict[float, float] = {}
    for x, w in zip(mids, p, strict=True):
        if w > 0:
            if float(x) < 0:
                raise LawError(f"histogram_data.bin_midpoints: negative time {x!r}")
            table[float(x)] = table.get(float(x), 0.0) + float(w)
    total = sum(table.values())
    return {"discrete": {f"{x:.17g}": w / total for x, w in table.items()}, "unit": "s"}


# ---- leanproc -> Prosimos (current convention) ---------------------------------------------------

def _params(*values: float) -> list[dict[str, float]]:
    return [{"value": float(x)} for x in values]


def _upper(dist: Distribution, frozen: Any) -> float:
    """A finite max: the bound if set, else a quantile beyond which nothing is ever drawn."""
    return dist.hi if dist.hi < math.inf else float(frozen.ppf(1 - 1e-12))


def to_prosimos_distribution(dist: Distribution | None) -> tuple[dict[str, Any], str | None]:
    """(the Prosimos ``distribution_name`` / ``distribution_params``, a note when inexact).

    Uses the current convention, which is what Prosimos 2.x reads. Laws Prosimos lacks
    (triangular, empirical, histogram, discrete) become a normal with the same mean and
    standard deviation, truncated to the same range.
    """
    import scipy.stats as st

    def out(name: str, *values: float) -> dict[str, Any]:
        return {"distribution_name": name, "distribution_params": _params(*values)}

    if dist is None:
        return out("fix", 0.0), None
    lo = max(dist.lo, 0.0)
    if isinstance(dist, Fixed):
        return out("fix", dist.mean()), None
    if isinstance(dist, Normal):
        if dist.sd == 0:
            return out("fix", dist.mean()), None
        upper = _upper(dist, st.norm(dist.mu, dist.sd))
        return out("norm", dist.mu, dist.sd, lo, upper), None
    if isinstance(dist, Uniform):
        a, b = max(dist.low, lo), min(dist.high, dist.hi)
        note = None if (a, b) == (dist.low, dist.high) else (
            "a uniform clipped by min / max: Prosimos redraws instead of clipping")
        return out("uniform", a, b), note
    frozen: Any = None
    if isinstance(dist, Exponential):
        frozen = st.expon(scale=dist.mean_value)
        spec = out("expon", dist.mean_value, 0.0, _upper(dist, frozen))
        clipped_lo = dist.lo > 0
    elif isinstance(dist, LogNormal):
        frozen = st.lognorm(dist.sigma, scale=math.exp(dist.mu))
        mean, var = float(frozen.mean()), float(frozen.var())
        spec = out("lognorm", mean, var, lo, _upper(dist, frozen))
        clipped_lo = False
    elif isinstance(dist, Gamma):
        frozen = st.gamma(dist.shape, scale=dist.scale)
        spec = out("gamma", dist.shape * dist.scale, dist.shape * dist.scale**2, lo,
                   _upper(dist, frozen))
        clipped_lo = False
    if frozen is not None:
        cut = (float(frozen.cdf(lo)) if lo > 0 else 0.0) + (
            float(frozen.sf(dist.hi)) if dist.hi < math.inf else 0.0)
        if clipped_lo:
            return spec, ("an exponential with a min: Prosimos' expon [mean, min, max] shifts "
                          "the law by min instead of clipping; exported without the min")
        if cut > TAIL_TOLERANCE:
            return spec, (f"{cut:.1%} of the law lies beyond min / max: leanproc clips there, "
                          f"Prosimos redraws")
        return spec, None
    if isinstance(dist, Discrete) and dist.labels:
        raise LawError("a discrete distribution over labels is not a duration")
    if isinstance(dist, Distribution):
        x = dist.sample(np.random.default_rng(20240101), 200_000)
        mean, sd = float(x.mean()), float(x.std())
        if sd == 0:
            return out("fix", mean), None
        kind = type(dist).__name__.lower()
        if isinstance(dist, Empirical | Histogram):
            kind = "empirical"
        return out("norm", mean, sd, float(x.min()), float(x.max())), (
            f"Prosimos has no {kind} law: approximated by a normal with the same mean "
            f"({mean:.6g} s) and sd ({sd:.6g} s), truncated to [{x.min():.6g}, {x.max():.6g}] s")
    raise LawError(f"cannot export {dist!r}")


def to_prosimos_arrivals(dist: Distribution | None) -> tuple[dict[str, Any], str | None]:
    """Inter-arrival times: ``histogram_sampling`` keeps discrete and empirical laws exact."""
    if isinstance(dist, Discrete) and not dist.labels:
        values = np.clip(np.asarray(dist.values, float), max(dist.lo, 0.0), dist.hi)
        probs = np.asarray(dist.probabilities, float)
        probs = probs / probs.sum()
        return _histogram_entry(values, probs), None
    if isinstance(dist, Empirical):
        values, counts = np.unique(np.clip(np.asarray(dist.values, float), max(dist.lo, 0.0),
                                           dist.hi), return_counts=True)
        return _histogram_entry(values, counts / counts.sum()), None
    return to_prosimos_distribution(dist)


def _histogram_entry(values: np.ndarray, probs: np.ndarray) -> dict[str, Any]:
    order = np.argsort(values)
    cdf = np.cumsum(probs[order])
    cdf[-1] = 1.0
    return {"distribution_name": "histogram_sampling", "distribution_params": [],
            "histogram_data": {"cdf": [float(c) for c in cdf],
                               "bin_midpoints": [float(v) for v in values[order]]}}
