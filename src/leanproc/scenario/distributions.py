"""Probability distributions of durations, counts and case attributes, sampled in numpy batches.

A `Distribution` draws float64 arrays (`sample`) from a `numpy.random.Generator`, so the engine
can take a thousand durations per call from one stream. Times are in seconds; `working` says they
are working seconds, to be added with a calendar. Every distribution accepts `lo` / `hi`
(``min:`` / ``max:`` in a scenario): the normal distribution is *truncated* there (samples are
redrawn from the truncated law, so no probability mass piles up on the bound); the others are
*clipped* (a sample beyond a bound becomes the bound), which keeps their shape elsewhere intact.
A duration's `lo` defaults to 0: no duration is ever negative.

`mean()` is the mean of what `sample` returns (clipped or truncated), in closed form;
`Rounded` (counts) is the one exception and documents it.

The YAML forms (``{triangular: [5min, 10min, 20min]}``…) are read by `parse_distribution`, which
lives in distribution_forms.py and is importable from here too. A parsed distribution remembers
what the user wrote (`source`), so it can be re-read when a calendar's working day is not
8 hours (`for_day_length`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from leanproc.scenario.durations import WORKING_DAY, SpecError

if TYPE_CHECKING:
    from leanproc.scenario.distribution_forms import (
        parse_distribution,
        read_count,
        read_distribution,
    )

__all__ = [
    "Discrete",
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "Histogram",
    "LogNormal",
    "Normal",
    "Rounded",
    "Triangular",
    "Uniform",
    "parse_distribution",
    "read_count",
    "read_distribution",
]

Dimension = Literal["time", "number", "auto"]


@dataclass(frozen=True, kw_only=True)
class Distribution:
    """Base of all distributions: bounds, time/working flags and the batch sampler.

    Subclasses implement `_draw` (unbounded samples), `support` and `_raw_mean`, and either
    `_sf` / `_cdf` (for the mean of a clipped law) or their own `mean`.
    """

    lo: float = -math.inf
    hi: float = math.inf
    is_time: bool = True
    working: bool = False
    uses_working_days: bool = False
    day_length: float = WORKING_DAY
    source: Any = field(default=None, compare=False, repr=False)

    name: ClassVar[str] = "distribution"

    def __post_init__(self) -> None:
        if self.is_time and self.lo < 0:
            object.__setattr__(self, "lo", 0.0)  # durations are never negative
        if self.lo > self.hi:
            raise SpecError(f"min ({self.lo:g}) is above max ({self.hi:g})")

    # ---- sampling ----------------------------------------------------------------------------
    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` float64 draws, within [lo, hi]."""
        x = np.asarray(self._draw(rng, size), dtype=np.float64)
        if self.lo > -math.inf or self.hi < math.inf:
            np.clip(x, self.lo, self.hi, out=x)
        return x

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        raise NotImplementedError

    # ---- moments -----------------------------------------------------------------------------
    def support(self) -> tuple[float, float]:
        raise NotImplementedError

    def _raw_mean(self) -> float:
        raise NotImplementedError

    def _cdf(self, x: float) -> float:  # P(X <= x)
        raise NotImplementedError

    def _partial(self, x: float) -> float:  # E[X; X <= x], the partial expectation
        raise NotImplementedError

    def mean(self) -> float:
        """E[clip(X, lo, hi)], the mean of what `sample` returns.

        With a, b the bounds inside the support: a P(X <= a) + E[X; a < X <= b] + b P(X > b).
        """
        sa, sb = self.support()
        if self.lo <= sa and self.hi >= sb:
            return self._raw_mean()
        if self.hi <= sa:
            return self.hi
        if self.lo >= sb:
            return self.lo
        a, b = max(self.lo, sa), min(self.hi, sb)
        below = a * self._cdf(a) if a > sa else 0.0
        if math.isinf(b):
            return below + self._raw_mean() - self._partial(a)
        return below + self._partial(b) - self._partial(a) + b * (1.0 - self._cdf(b))

    # ---- calendars ---------------------------------------------------------------------------
    def for_day_length(self, day_length: float) -> Distribution:
        """This distribution with ``wd`` read as `day_length` working seconds.

        Idempotent, and a no-op unless the scenario wrote working days: the distribution is
        re-read from its source.
        """
        if not self.uses_working_days or day_length == self.day_length or self.source is None:
            return self
        from leanproc.scenario.distribution_forms import read_distribution

        dim: Dimension = "time" if self.is_time else "number"
        return read_distribution(self.source, dimension=dim, day_length=day_length)

    def describe(self) -> str:
        """A short text for messages and reports."""
        return f"{self.name}{_source_text(self.source)}"


def _phi(z: float) -> float:
    """The standard normal CDF."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _source_text(source: Any) -> str:
    return f" {source!r}" if source is not None else ""


def _clipped_uniform_mean(a: float, b: float, lo: float, hi: float) -> float:
    """E[clip(U, lo, hi)] for U uniform on [a, b]."""
    if b <= lo:
        return lo
    if a >= hi:
        return hi
    if a == b:
        return min(max(a, lo), hi)
    a2, b2 = max(a, lo), min(b, hi)
    total = (a2 + b2) / 2 * (b2 - a2)  # the unclipped middle part
    if a2 > a:
        total += lo * (a2 - a)  # mass below lo sits on lo
    if b2 < b:
        total += hi * (b - b2)
    return total / (b - a)


@dataclass(frozen=True, kw_only=True)
class Fixed(Distribution):
    """Always `value` (clipped)."""

    value: float
    name: ClassVar[str] = "fixed"

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value, dtype=np.float64)

    def mean(self) -> float:
        return min(max(self.value, self.lo), self.hi)


@dataclass(frozen=True, kw_only=True)
class Uniform(Distribution):
    """Uniform on [low, high]."""

    low: float
    high: float
    name: ClassVar[str] = "uniform"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.low > self.high:
            raise SpecError(f"uniform: the first bound ({self.low:g}) is above the second "
                            f"({self.high:g}); write [low, high]")

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    def mean(self) -> float:
        return _clipped_uniform_mean(self.low, self.high, self.lo, self.hi)


@dataclass(frozen=True, kw_only=True)
class Triangular(Distribution):
    """Triangular with minimum `left`, mode `mode` and maximum `right`."""

    left: float
    mode: float
    right: float
    name: ClassVar[str] = "triangular"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.left <= self.mode <= self.right:
            raise SpecError(f"triangular: need min <= mode <= max, got [{self.left:g}, "
                            f"{self.mode:g}, {self.right:g}]")

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.left == self.right:
            return np.full(size, self.left, dtype=np.float64)
        return rng.triangular(self.left, self.mode, self.right, size)

    def support(self) -> tuple[float, float]:
        return self.left, self.right

    def _raw_mean(self) -> float:
        return (self.left + self.mode + self.right) / 3

    def _cdf(self, x: float) -> float:
        a, c, b = self.left, self.mode, self.right
        if x <= a:
            return 0.0
        if x >= b:
            return 1.0
        if x <= c:
            return (x - a) ** 2 / ((b - a) * (c - a))
        return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))

    def _partial(self, x: float) -> float:
        # integrals of x f(x): f rises linearly on [left, mode] and falls on [mode, right]
        a, c, b = self.left, self.mode, self.right
        x = min(max(x, a), b)
        total = 0.0
        if c > a:
            t = min(x, c)
            total += 2 / ((b - a) * (c - a)) * (t**3 / 3 - a * t**2 / 2 + a**3 / 6)
        if x > c and b > c:
            total += 2 / ((b - a) * (b - c)) * (b * (x**2 - c**2) / 2 - (x**3 - c**3) / 3)
        return total

    def mean(self) -> float:
        if self.left == self.right:
            return min(max(self.left, self.lo), self.hi)
        return super().mean()


@dataclass(frozen=True, kw_only=True)
class Normal(Distribution):
    """Normal(mu, sd) truncated to [lo, hi] (for durations lo >= 0): redrawn, never clipped."""

    mu: float
    sd: float
    name: ClassVar[str] = "normal"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.sd >= 0:
            raise SpecError(f"normal: sd must be >= 0, got {self.sd:g}")
        if self.sd > 0:
            lo, hi = self._bounds()
            if lo > 37 or hi < -37:  # beyond float64's normal tail: no probability left
                raise SpecError("normal: [min, max] lies more than 37 sd from the mean; "
                                "the truncated distribution is empty")

    def _bounds(self) -> tuple[float, float]:
        return (self.lo - self.mu) / self.sd, (self.hi - self.mu) / self.sd

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.sd == 0 or self.lo == self.hi:
            return np.full(size, self.mean(), dtype=np.float64)
        a, b = self._bounds()
        if a == -math.inf and b == math.inf:
            return rng.normal(self.mu, self.sd, size)
        from scipy.special import ndtr, ndtri

        # Inverse CDF on the truncated range. Above the mean the CDF is close to 1 and loses
        # digits, so sample the mirror image there, where the CDF is small and exact.
        flip = a > 0
        lo, hi = (-b, -a) if flip else (a, b)
        p_lo, p_hi = float(ndtr(lo)), float(ndtr(hi))
        u = p_lo + (p_hi - p_lo) * rng.random(size)
        np.maximum(u, np.finfo(np.float64).tiny, out=u)  # ndtri(0) would be -inf
        z = ndtri(u)
        x = self.mu + self.sd * (-z if flip else z)
        return np.clip(x, self.lo, self.hi)  # float rounding only

    def mean(self) -> float:
        if self.sd == 0:
            return min(max(self.mu, self.lo), self.hi)
        if self.lo == self.hi:
            return self.lo
        a, b = self._bounds()
        if a == -math.inf and b == math.inf:
            return self.mu
        from scipy.stats import truncnorm

        with np.errstate(all="ignore"):
            m = float(truncnorm.mean(a, b, loc=self.mu, scale=self.sd))
        if not math.isfinite(m):  # a window far narrower than sd: the density is flat on it
            m = (self.lo + self.hi) / 2
        return min(max(m, self.lo), self.hi)


@dataclass(frozen=True, kw_only=True)
class LogNormal(Distribution):
    """exp(N(mu, sigma)) in the distribution's own unit (seconds for times)."""

    mu: float
    sigma: float
    name: ClassVar[str] = "lognormal"

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float, **kw: Any) -> LogNormal:
        """The lognormal whose own mean and sd (not of the logarithm) are given."""
        if not mean > 0:
            raise SpecError(f"lognormal: mean must be > 0, got {mean:g}")
        if not sd >= 0:
            raise SpecError(f"lognormal: sd must be >= 0, got {sd:g}")
        sigma2 = math.log1p((sd / mean) ** 2)
        return cls(mu=math.log(mean) - sigma2 / 2, sigma=math.sqrt(sigma2), **kw)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.sigma >= 0:
            raise SpecError(f"lognormal: sigma must be >= 0, got {self.sigma:g}")

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, size)

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf

    def _raw_mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    def mean(self) -> float:
        if self.sigma == 0:  # a point mass: no integral needed (nor accurate)
            return min(max(math.exp(self.mu), self.lo), self.hi)
        return super().mean()

    def _cdf(self, x: float) -> float:
        if x <= 0:
            return 0.0
        return _phi((math.log(x) - self.mu) / self.sigma)

    def _partial(self, x: float) -> float:
        if x <= 0:
            return 0.0
        return self._raw_mean() * _phi((math.log(x) - self.mu - self.sigma**2) / self.sigma)


@dataclass(frozen=True, kw_only=True)
class Gamma(Distribution):
    """Gamma with `shape` k and `scale` theta (mean k*theta, sd sqrt(k)*theta)."""

    shape: float
    scale: float
    name: ClassVar[str] = "gamma"

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float, **kw: Any) -> Gamma:
        if not mean > 0 or not sd > 0:
            raise SpecError(f"gamma: mean and sd must be > 0, got mean {mean:g}, sd {sd:g}")
        return cls(shape=(mean / sd) ** 2, scale=sd**2 / mean, **kw)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (self.shape > 0 and self.scale > 0):
            raise SpecError(f"gamma: shape and scale must be > 0, got shape {self.shape:g}, "
                            f"scale {self.scale:g}")

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.shape, self.scale, size)

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf

    def _raw_mean(self) -> float:
        return self.shape * self.scale

    def _cdf(self, x: float) -> float:
        from scipy.special import gammainc

        return float(gammainc(self.shape, max(x, 0.0) / self.scale))

    def _partial(self, x: float) -> float:
        from scipy.special import gammainc

        return self.shape * self.scale * float(gammainc(self.shape + 1, max(x, 0.0) / self.scale))


@dataclass(frozen=True, kw_only=True)
class Exponential(Distribution):
    """Exponential with mean `mean_value` (rate 1 / mean)."""

    mean_value: float
    name: ClassVar[str] = "exponential"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.mean_value > 0 or math.isinf(self.mean_value):
            raise SpecError(f"exponential: the mean must be > 0, got {self.mean_value:g}")

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_value, size)

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf

    def _raw_mean(self) -> float:
        return self.mean_value

    def _cdf(self, x: float) -> float:
        return -math.expm1(-max(x, 0.0) / self.mean_value)

    def _partial(self, x: float) -> float:
        t = max(x, 0.0) / self.mean_value
        return self.mean_value * (-math.expm1(-t) - t * math.exp(-t))


@dataclass(frozen=True, kw_only=True)
class Empirical(Distribution):
    """Resamples the observed `values` with equal weight."""

    values: tuple[float, ...]
    name: ClassVar[str] = "empirical"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.values:
            raise SpecError("empirical: values is empty; give at least one observation")
        object.__setattr__(self, "_array", np.asarray(self.values, dtype=np.float64))

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        arr: np.ndarray = self._array  # type: ignore[attr-defined]
        return arr[rng.integers(0, arr.size, size)]

    def mean(self) -> float:
        arr: np.ndarray = self._array  # type: ignore[attr-defined]
        return float(np.clip(arr, self.lo, self.hi).mean())


@dataclass(frozen=True, kw_only=True)
class Histogram(Distribution):
    """Picks a bin with probability proportional to its weight, then a uniform point in it."""

    edges: tuple[float, ...]
    weights: tuple[float, ...]
    name: ClassVar[str] = "empirical histogram"

    def __post_init__(self) -> None:
        super().__post_init__()
        e, w = np.asarray(self.edges, float), np.asarray(self.weights, float)
        if e.size < 2 or np.any(np.diff(e) <= 0):
            raise SpecError("empirical: bins must be at least two strictly increasing edges")
        if w.size != e.size - 1:
            raise SpecError(f"empirical: {e.size} bin edges need {e.size - 1} weights, "
                            f"got {w.size}")
        if np.any(w < 0) or not w.sum() > 0:
            raise SpecError("empirical: weights must be >= 0 and not all 0")
        object.__setattr__(self, "_p", w / w.sum())
        object.__setattr__(self, "_e", e)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        e: np.ndarray = self._e  # type: ignore[attr-defined]
        idx = rng.choice(e.size - 1, size=size, p=self._p)  # type: ignore[attr-defined]
        drawn: np.ndarray = e[idx] + rng.random(size) * (e[idx + 1] - e[idx])
        return drawn

    def mean(self) -> float:
        e: np.ndarray = self._e  # type: ignore[attr-defined]
        p: np.ndarray = self._p  # type: ignore[attr-defined]
        return float(sum(pi * _clipped_uniform_mean(e[i], e[i + 1], self.lo, self.hi)
                         for i, pi in enumerate(p)))


@dataclass(frozen=True, kw_only=True)
class Discrete(Distribution):
    """Picks one of `values` with `probabilities` (summing to 1 within 1e-6).

    Values are numbers (seconds for times, counts, amounts: `sample` returns float64) or labels
    (``urgent``, ``normal``: `sample` returns an object array of str and `mean` is NaN).
    """

    values: tuple[Any, ...]
    probabilities: tuple[float, ...]
    labels: bool = False
    name: ClassVar[str] = "discrete"

    def __post_init__(self) -> None:
        if self.labels:
            object.__setattr__(self, "is_time", False)
        super().__post_init__()
        p = np.asarray(self.probabilities, dtype=np.float64)
        if not self.values or len(self.values) != p.size:
            raise SpecError("discrete: give at least one value with its probability")
        if np.any(p < 0) or np.any(p > 1):
            raise SpecError("discrete: probabilities must lie in [0, 1]")
        if abs(p.sum() - 1) > 1e-6:
            raise SpecError(f"discrete: probabilities sum to {p.sum():.6g}, not 1")
        object.__setattr__(self, "_p", p / p.sum())
        dtype = object if self.labels else np.float64
        object.__setattr__(self, "_v", np.asarray(self.values, dtype=dtype))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        v: np.ndarray = self._v  # type: ignore[attr-defined]
        x = v[rng.choice(v.size, size=size, p=self._p)]  # type: ignore[attr-defined]
        if not self.labels and (self.lo > -math.inf or self.hi < math.inf):
            np.clip(x, self.lo, self.hi, out=x)
        return x

    def mean(self) -> float:
        if self.labels:
            return math.nan
        v = np.clip(self._v, self.lo, self.hi)  # type: ignore[attr-defined]
        return float(np.dot(v, self._p))  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class Rounded(Distribution):
    """Counts: `base` rounded to the nearest whole number, never below 0 (multi-instance counts).

    `mean()` is that of the unrounded base (exact for a `Discrete` or `Fixed` over whole
    numbers, within 0.5 otherwise).
    """

    base: Distribution
    name: ClassVar[str] = "count"

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        x: np.ndarray = np.rint(self.base.sample(rng, size))
        np.maximum(x, 0.0, out=x)  # in place: counts are never negative
        return x

    def mean(self) -> float:
        return max(self.base.mean(), 0.0)


_FORMS = ("parse_distribution", "read_count", "read_distribution")


def __getattr__(name: str) -> Any:
    """The YAML readers, importable from here; loaded on first use (they import this module)."""
    if name in _FORMS:
        from leanproc.scenario import distribution_forms

        return getattr(distribution_forms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
