"""Each distribution's samples against theory (fixed seeds, tolerances from standard errors).

With n draws, the sample mean's standard error is sd / sqrt(n) and the sample sd's is about
sqrt((m4 - sd^4) / n) / (2 sd), m4 being the fourth central moment (estimated from the draws).
Asserting within 5 standard errors would wrongly fail with probability below 1e-6 for a random
seed; the seeds are fixed, so the tests are also exactly repeatable.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

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
    Rounded,
    Triangular,
    Uniform,
    read_distribution,
)

N = 200_000
MIN, H = 60.0, 3600.0


def draws(dist: Distribution, seed: int = 20240301, n: int = N) -> np.ndarray:
    x = dist.sample(np.random.default_rng(seed), n)
    assert x.dtype == np.float64 and x.shape == (n,)
    return x


def assert_moments(x: np.ndarray, mean: float, sd: float, k: float = 5.0) -> None:
    n = x.size
    se_mean = x.std() / math.sqrt(n)
    assert abs(x.mean() - mean) <= k * se_mean + 1e-9, (x.mean(), mean, se_mean)
    if sd > 0:
        m4 = np.mean((x - x.mean()) ** 4)
        se_sd = math.sqrt(max(m4 - x.var() ** 2, 0.0) / n) / (2 * x.std())
        assert abs(x.std() - sd) <= k * se_sd, (x.std(), sd, se_sd)


def test_fixed() -> None:
    x = draws(Fixed(value=90 * MIN))
    assert np.all(x == 5400)
    assert Fixed(value=90 * MIN, hi=3600).mean() == 3600


def test_uniform() -> None:
    a, b = 4 * H, 48 * H
    assert_moments(draws(Uniform(low=a, high=b)), (a + b) / 2, (b - a) / math.sqrt(12))


def test_triangular() -> None:
    a, c, b = 5 * MIN, 10 * MIN, 20 * MIN
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    x = draws(Triangular(left=a, mode=c, right=b))
    assert_moments(x, (a + b + c) / 3, sd)
    assert x.min() >= a and x.max() <= b


def test_normal_far_from_zero_is_the_plain_normal() -> None:
    assert_moments(draws(Normal(mu=H, sd=10 * MIN)), H, 10 * MIN)


def test_normal_is_truncated_at_zero_not_clipped() -> None:
    mu, sd = 10 * MIN, 10 * MIN  # 16% of the untruncated mass lies below 0
    d = Normal(mu=mu, sd=sd)
    x = draws(d)
    assert x.min() > 0 and np.count_nonzero(x == 0) == 0  # no mass piled on the bound
    # moments of N(mu, sd) truncated below at 0: alpha = -mu/sd, lambda = phi(alpha)/(1-Phi(alpha))
    alpha = -mu / sd
    phi = math.exp(-alpha * alpha / 2) / math.sqrt(2 * math.pi)
    lam = phi / (0.5 * math.erfc(alpha / math.sqrt(2)))
    mean = mu + sd * lam
    var = sd * sd * (1 + alpha * lam - lam * lam)
    assert d.mean() == pytest.approx(mean, rel=1e-9)
    assert_moments(x, mean, math.sqrt(var))


def test_normal_truncated_at_min_and_max() -> None:
    d = Normal(mu=H, sd=30 * MIN, lo=45 * MIN, hi=75 * MIN)  # symmetric window of +-0.5 sd
    x = draws(d)
    assert x.min() >= 45 * MIN and x.max() <= 75 * MIN
    assert np.count_nonzero(x == 45 * MIN) == 0
    assert d.mean() == pytest.approx(H)
    # a standard normal truncated to [-c, c] has variance 1 - 2 c phi(c) / (2 Phi(c) - 1)
    c = 0.5
    phi = math.exp(-c * c / 2) / math.sqrt(2 * math.pi)
    var = 1 - 2 * c * phi / math.erf(c / math.sqrt(2))
    assert_moments(x, H, 30 * MIN * math.sqrt(var))


def test_lognormal_mean_sd_are_of_the_variable() -> None:
    d = LogNormal.from_mean_sd(15 * MIN, 5 * MIN)
    assert d.mean() == pytest.approx(15 * MIN)
    assert_moments(draws(d), 15 * MIN, 5 * MIN)


def test_lognormal_mu_sigma_in_a_unit() -> None:
    d = read_distribution({"lognormal": {"mu": 2.7, "sigma": 0.3, "unit": "min"}})
    mean = math.exp(2.7 + 0.045) * MIN
    sd = mean * math.sqrt(math.exp(0.09) - 1)
    assert d.mean() == pytest.approx(mean)
    assert_moments(draws(d), mean, sd)


def test_gamma_both_forms() -> None:
    assert_moments(draws(Gamma.from_mean_sd(H, 20 * MIN)), H, 20 * MIN)
    k, theta = 2.0, 30 * MIN
    assert_moments(draws(Gamma(shape=k, scale=theta)), k * theta, math.sqrt(k) * theta)


def test_exponential_mean_and_rate() -> None:
    assert_moments(draws(Exponential(mean_value=2 * H)), 2 * H, 2 * H)
    d = read_distribution({"exponential": {"rate": "3/h"}})
    assert d.mean() == pytest.approx(20 * MIN)
    assert_moments(draws(d), 20 * MIN, 20 * MIN)


def test_empirical_values_resample() -> None:
    values = (10 * MIN, 12 * MIN, 30 * MIN, 12 * MIN)
    x = draws(Empirical(values=values))
    assert set(np.unique(x)) == set(values)
    assert_moments(x, float(np.mean(values)), float(np.std(values)))


def test_histogram() -> None:
    edges, weights = (0.0, H, 3 * H), (3.0, 1.0)
    d = Histogram(edges=edges, weights=weights)
    p = np.array(weights) / sum(weights)
    mids = np.array([0.5 * H, 2 * H])
    widths = np.array([H, 2 * H])
    mean = float(p @ mids)
    var = float(p @ (widths**2 / 12 + mids**2)) - mean**2
    x = draws(d)
    assert d.mean() == pytest.approx(mean)
    assert_moments(x, mean, math.sqrt(var))
    # the share of draws in the first bin is 3/4 (binomial standard error sqrt(p(1-p)/n))
    share = np.mean(x < H)
    assert abs(share - 0.75) < 5 * math.sqrt(0.75 * 0.25 / N)


def test_discrete_numbers_and_labels() -> None:
    d = Discrete(values=(H, 4 * H), probabilities=(0.7, 0.3))
    mean = 0.7 * H + 0.3 * 4 * H
    sd = math.sqrt(0.7 * H**2 + 0.3 * 16 * H**2 - mean**2)
    assert_moments(draws(d), mean, sd)
    labels = Discrete(values=("urgent", "normal"), probabilities=(0.2, 0.8), labels=True)
    x = labels.sample(np.random.default_rng(1), N)
    assert x.dtype == object and set(x) == {"urgent", "normal"}
    assert abs(np.mean(x == "urgent") - 0.2) < 5 * math.sqrt(0.2 * 0.8 / N)
    assert math.isnan(labels.mean())


def test_clipping_keeps_samples_in_bounds_and_mean_matches() -> None:
    m, b = 2 * H, 3 * H
    d = Exponential(mean_value=m, hi=b)
    x = draws(d)
    assert x.max() == b
    exact = m * (1 - math.exp(-b / m))  # E[min(X, b)] for an exponential
    assert d.mean() == pytest.approx(exact, rel=1e-9)
    assert_moments(x, exact, float(x.std()))  # sd: no closed form checked here


@pytest.mark.parametrize(
    "dist",
    [
        Triangular(left=5 * MIN, mode=10 * MIN, right=20 * MIN, hi=15 * MIN),
        Triangular(left=5 * MIN, mode=10 * MIN, right=20 * MIN, lo=8 * MIN, hi=15 * MIN),
        LogNormal.from_mean_sd(15 * MIN, 10 * MIN, lo=10 * MIN),
        LogNormal.from_mean_sd(15 * MIN, 10 * MIN, hi=20 * MIN),
        Gamma(shape=2.0, scale=30 * MIN, lo=20 * MIN, hi=2 * H),
        Uniform(low=0.0, high=H, lo=15 * MIN),
        Empirical(values=(1.0, 2.0, 10.0), hi=5.0),
        Histogram(edges=(0.0, H, 3 * H), weights=(1.0, 1.0), lo=30 * MIN, hi=2 * H),
        Discrete(values=(MIN, H), probabilities=(0.5, 0.5), hi=30 * MIN),
    ],
    ids=lambda d: type(d).__name__,
)
def test_mean_is_that_of_the_clipped_samples(dist: Distribution) -> None:
    x = draws(dist)
    assert x.min() >= dist.lo and x.max() <= dist.hi
    assert abs(x.mean() - dist.mean()) <= 5 * x.std() / math.sqrt(x.size)


def test_same_seed_same_samples_and_batches_continue_the_stream() -> None:
    d = LogNormal.from_mean_sd(15 * MIN, 5 * MIN)
    a = d.sample(np.random.default_rng(7), 1000)
    b = d.sample(np.random.default_rng(7), 1000)
    assert np.array_equal(a, b)
    rng = np.random.default_rng(7)
    assert not np.array_equal(d.sample(rng, 1000), d.sample(rng, 1000))


def test_durations_are_never_negative() -> None:
    for d in (Normal(mu=0.0, sd=H), Uniform(low=0.0, high=1.0), Fixed(value=0.0)):
        assert d.lo == 0
        assert draws(d, n=10_000).min() >= 0


def test_counts_are_rounded_and_non_negative() -> None:
    d = Rounded(base=Normal(mu=1.0, sd=2.0, is_time=False), is_time=False, lo=0.0)
    x = draws(d, n=10_000)
    assert np.all(x == np.rint(x)) and x.min() >= 0


@pytest.mark.parametrize(
    ("dist", "law"),
    [
        (Triangular(left=5 * MIN, mode=10 * MIN, right=20 * MIN, lo=8 * MIN, hi=15 * MIN),
         ("triang", {"c": 1 / 3, "loc": 5 * MIN, "scale": 15 * MIN})),
        (Triangular(left=0.0, mode=0.0, right=H, hi=30 * MIN),
         ("triang", {"c": 0.0, "loc": 0.0, "scale": H})),
        (LogNormal.from_mean_sd(15 * MIN, 10 * MIN, lo=10 * MIN, hi=H), None),
        (Gamma(shape=2.0, scale=30 * MIN, lo=20 * MIN, hi=2 * H),
         ("gamma", {"a": 2.0, "scale": 30 * MIN})),
        (Gamma(shape=0.5, scale=H, lo=10 * MIN), ("gamma", {"a": 0.5, "scale": H})),
        (Exponential(mean_value=H, lo=30 * MIN, hi=3 * H), ("expon", {"scale": H})),
    ],
    ids=["triangular", "triangular-mode-at-min", "lognormal", "gamma", "gamma-shape-below-1",
         "exponential"],
)
def test_clipped_means_agree_with_numerical_integration(dist: Distribution, law: tuple | None,
                                                        ) -> None:
    """Closed-form partial expectations against E[clip(X, a, b)] = a + integral of S over
    [a, b], integrated numerically with scipy's survival functions."""
    from scipy import stats
    from scipy.integrate import quad

    if law is None:  # the lognormal: scipy's s = sigma, scale = exp(mu)
        frozen = stats.lognorm(s=dist.sigma, scale=math.exp(dist.mu))
    else:
        frozen = getattr(stats, law[0])(**law[1])
    a, b = dist.lo, dist.hi
    if math.isinf(b):
        b = frozen.ppf(1 - 1e-15)
    expected = a + quad(frozen.sf, a, b, limit=500, epsabs=1e-9, epsrel=1e-12)[0]
    assert dist.mean() == pytest.approx(expected, rel=1e-8)
