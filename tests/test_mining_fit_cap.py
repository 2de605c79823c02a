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
