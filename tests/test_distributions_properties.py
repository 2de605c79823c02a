"""Properties every distribution keeps whatever its parameters (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leanproc.scenario.distributions import (
    Distribution,
    Exponential,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    parse_distribution,
)

positive = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)
spread = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
bound = st.one_of(st.none(), st.floats(min_value=0.0, max_value=2e6, allow_nan=False))


@st.composite
def distributions(draw: st.DrawFn) -> Distribution:
    lo, hi = draw(bound), draw(bound)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    kw = {"lo": -math.inf if lo is None else lo, "hi": math.inf if hi is None else hi}
    kind = draw(st.sampled_from(["uniform", "triangular", "normal", "lognormal", "gamma",
                                 "exponential"]))
    a, b = sorted((draw(spread), draw(spread)))
    if kind == "uniform":
        return Uniform(low=a, high=b, **kw)
    if kind == "triangular":
        return Triangular(left=a, mode=draw(st.floats(min_value=a, max_value=b)), right=b, **kw)
    if kind == "normal":
        mu, sd = draw(spread), draw(positive)
        too_high = lo is not None and (lo - mu) / sd > 30
        too_low = hi is not None and (hi - mu) / sd < -30
        if too_high or too_low:
            mu = kw["lo"] if lo is not None else 0.0  # keep some probability in [lo, hi]
        return Normal(mu=mu, sd=sd, **kw)
    if kind == "lognormal":
        return LogNormal.from_mean_sd(draw(positive), draw(spread), **kw)
    if kind == "gamma":
        return Gamma.from_mean_sd(draw(positive), draw(positive), **kw)
    return Exponential(mean_value=draw(positive), **kw)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(distributions(), st.integers(min_value=0, max_value=2**32 - 1))
def test_samples_are_finite_non_negative_and_within_bounds(dist: Distribution, seed: int) -> None:
    x = dist.sample(np.random.default_rng(seed), 500)
    assert x.dtype == np.float64 and x.shape == (500,)
    assert np.all(np.isfinite(x))
    assert x.min() >= max(dist.lo, 0.0) and x.max() <= dist.hi
    m = dist.mean()
    assert math.isfinite(m) and max(dist.lo, 0.0) - 1e-6 <= m <= dist.hi + 1e-6


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.floats(min_value=0, max_value=1e5, allow_nan=False),
       st.sampled_from([("s", 1), ("min", 60), ("h", 3600), ("d", 86400), ("wh", 3600),
                        ("wd", 28800)]))
def test_a_number_with_a_unit_is_that_many_units(amount: float, unit: tuple[str, int]) -> None:
    name, seconds = unit
    inline = parse_distribution(f"{amount!r}{name}", where="x")
    sibling = parse_distribution({"fixed": amount, "unit": name}, where="x")
    assert inline.mean() == sibling.mean() == amount * seconds or math.isclose(
        inline.mean(), amount * seconds, rel_tol=1e-12)
    assert inline.working == (name in ("wh", "wd"))
