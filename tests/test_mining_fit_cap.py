"""Fitted long-tailed families stop at the largest observed time, and their drawn mean counts it."""

from __future__ import annotations

import numpy as np
import pytest

from leanproc.mining._fit import fit_times
from leanproc.scenario import parse_distribution


def _drawn(spec: dict, n: int = 200_000) -> np.ndarray:  # type: ignore[type-arg]
    return parse_distribution(spec, where="test").sample(np.random.default_rng(1), n)


def test_a_small_heavy_sample_never_draws_past_its_largest_value() -> None:
    x = np.random.default_rng(3).lognormal(6.2, 1.6, 10)  # ten checks, a few minutes each
    fit = fit_times(x)
    assert fit.family in ("lognormal", "gamma", "exponential")
    draws = _drawn(fit.spec)
    assert draws.max() <= x.max() * (1 + 1e-5)  # the written cap is rounded to 6 digits
    # the reported mean is the mean of what is drawn, cap included (sampling error of 2e5 draws)
    assert fit.mean == pytest.approx(draws.mean(), rel=0.02)


def test_a_large_sample_keeps_its_mean() -> None:
    x = np.random.default_rng(4).gamma(2.0, 300.0, 2_000)
    fit = fit_times(x)
    draws = _drawn(fit.spec)
    assert draws.max() == pytest.approx(x.max(), rel=1e-5)  # capped where the data end
    assert draws.mean() == pytest.approx(x.mean(), rel=0.03)


@pytest.mark.parametrize(("family", "law"), [
    ("exponential", ("expon", (), 3.0)),
    ("gamma", ("gamma", (0.7,), 1.4)),
    ("gamma", ("gamma", (5.0,), 0.2)),
    ("lognormal", ("lognorm", (1.6,), 0.3)),
    ("lognormal", ("lognorm", (0.4,), 1.1)),
])
def test_the_capped_mean_in_closed_form_equals_the_integral(family, law) -> None:
    from scipy import integrate, stats

    from leanproc.mining._fit import _capped_mean

    name, args, scale = law
    dist = getattr(stats, name)(*args, scale=scale)
    for cap in (0.5, 1.0, 4.0, 50.0):
        integral = integrate.quad(dist.sf, 0.0, cap, limit=200)[0]  # E[min(X, cap)]
        assert _capped_mean(family, dist, cap) == pytest.approx(integral, rel=1e-7)
