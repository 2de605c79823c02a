"""Import of Prosimos simulation parameters: pools, calendars, laws, branching, errors."""

from __future__ import annotations

import copy
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

from leanproc.errors import ScenarioError
from leanproc.interop import ProsimosWarning, from_prosimos
from leanproc.interop.prosimos.distributions import law_from_prosimos, law_to_spec
from leanproc.scenario.distributions import (
    Exponential,
    Gamma,
    Histogram,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    read_distribution,
)

FIX = Path(__file__).parent / "fixtures" / "prosimos"
SMALL_BPMN = FIX / "small.bpmn"
SMALL = json.loads((FIX / "small.json").read_text())


def _import(data=SMALL, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProsimosWarning)
        return from_prosimos(data, SMALL_BPMN, **kw)


def prosimos_sample(entry: dict, n: int, seed: int = 7) -> np.ndarray:
    """Draws by Prosimos' definition (pix-framework's DurationDistribution, current convention):
    the raw law, then every draw below 0 or outside [min, max] redrawn."""
    name = entry["distribution_name"]
    v = [p["value"] for p in entry["distribution_params"]]
    rng = np.random.default_rng(seed)

    def raw(size: int) -> np.ndarray:
        if name == "expon":
            mean, lo = v[0], v[1]
            return st.expon.rvs(loc=lo, scale=mean - lo, size=size, random_state=rng)
        if name == "norm":
            return st.norm.rvs(loc=v[0], scale=v[1], size=size, random_state=rng)
        if name == "uniform":
            return st.uniform.rvs(loc=v[0], scale=v[1] - v[0], size=size, random_state=rng)
        mean, var = v[0], v[1]
        if name == "lognorm":
            phi = math.sqrt(var + mean**2)
            return st.lognorm.rvs(math.sqrt(math.log(phi**2 / mean**2)), loc=0,
                                  scale=math.exp(math.log(mean**2 / phi)), size=size,
                                  random_state=rng)
        assert name == "gamma"
        return st.gamma.rvs(mean**2 / var, loc=0, scale=var / mean, size=size, random_state=rng)

    lo = v[-2] if name in ("expon", "norm", "lognorm", "gamma") else -math.inf
    hi = v[-1] if name in ("expon", "norm", "lognorm", "gamma") else math.inf
    out: list[np.ndarray] = []
    while sum(len(x) for x in out) < n:
        x = raw(n)
        out.append(x[(x >= 0) & (x >= lo) & (x <= hi)])
    return np.concatenate(out)[:n]


def test_pools_group_interchangeable_resources_per_profile():
    bound = _import().bind()
    assert set(bound.pools) == {"Clerks", "Senior officer"}
    clerks, senior = bound.pools["Clerks"], bound.pools["Senior officer"]
    assert clerks.count == 3  # clerk_a (amount 2) and clerk_b (amount 1) are alike
    assert clerks.spec.cost_per_hour == 20 and senior.spec.cost_per_hour == 50
    assert "clerk_a (x2)" in clerks.spec.description
    assert senior.count == 1
    assert bound.activities["check"].pools == ("Clerks", "Senior officer")
    assert bound.activities["approve"].pools == ("Senior officer",)


def test_resources_that_differ_become_separate_pools():
    data = copy.deepcopy(SMALL)
    data["resource_profiles"][0]["resource_list"][1]["cost_per_hour"] = 25  # clerk_b costs more
    pools = _import(data).bind().pools
    assert pools["Clerk A"].count == 2 and pools["Clerk B"].count == 1
    assert pools["Clerk B"].spec.cost_per_hour == 25


def test_calendars_become_weekly_hours_and_24x7_none():
    bound = _import().bind()
    office = bound.pools["Clerks"].calendar
    assert bound.pools["Senior officer"].calendar is None  # 00:00-23:59:59.999 every day
    assert office.is_working(pd.Timestamp("2024-01-01T10:00Z"))  # Monday
    assert not office.is_working(pd.Timestamp("2024-01-01T13:30Z"))  # lunch
    assert office.is_working(pd.Timestamp("2024-01-05T17:59Z"))  # Friday
    assert not office.is_working(pd.Timestamp("2024-01-06T10:00Z"))  # Saturday
    assert office.working_hours((pd.Timestamp("2024-01-01").date(),
                                 pd.Timestamp("2024-01-07").date())) == 40
    arrivals = bound.arrivals.calendar
    assert arrivals.is_working(pd.Timestamp("2024-01-01T19:30Z"))
    assert not arrivals.is_working(pd.Timestamp("2024-01-01T20:30Z"))


def test_default_arrival_calendar_is_the_first_tasks_resources():
    data = copy.deepcopy(SMALL)
    del data["arrival_time_calendar"]
    bound = _import(data).bind()
    cal = bound.arrivals.calendar  # Register is done by the clerks only: their office hours
    assert cal.is_working(pd.Timestamp("2024-01-02T09:30Z"))
    assert not cal.is_working(pd.Timestamp("2024-01-02T08:30Z"))


@pytest.mark.parametrize("task, pool, kind", [
    ("check", "Clerks", LogNormal), ("check", "Senior officer", Normal),
    ("request", None, Uniform), ("approve", None, Gamma), ("register", None, Histogram),
])
def test_laws_keep_prosimos_means(task, pool, kind):
    """The imported law's mean equals the mean of draws made by Prosimos' definition."""
    bound = _import().bind()
    plan = bound.activities[task]
    dist = plan.duration_by_pool[pool] if pool else plan.duration
    assert isinstance(dist, kind)
    entry = next(e for t in SMALL["task_resource_distribution"] if t["task_id"] == task
                 for e in t["resources"]
                 if pool is None or (pool == "Clerks") == e["resource_id"].startswith("clerk"))
    x = prosimos_sample(entry, 400_000)
    # 5 standard errors of the reference mean, plus 0.2 % for the histogram's bins
    tol = 5 * x.std() / math.sqrt(x.size) + 0.002 * x.mean()
    assert dist.mean() == pytest.approx(x.mean(), abs=tol)
    assert dist.sample(np.random.default_rng(3), 200_000).mean() == pytest.approx(
        x.mean(), abs=tol + 5 * x.std() / math.sqrt(200_000))


def test_parameter_conversion_by_formula():
    law = law_from_prosimos({"distribution_name": "lognorm",
                             "distribution_params": [{"value": 1200}, {"value": 360000},
                                                     {"value": 0}, {"value": 1e9}]})
    dist = read_distribution(law_to_spec(law)[0])
    assert dist.mean() == pytest.approx(1200, rel=1e-9)
    assert math.sqrt(math.expm1(dist.sigma**2)) * 1200 == pytest.approx(600, rel=1e-9)
    gamma = read_distribution(law_to_spec(law_from_prosimos(
        {"distribution_name": "gamma", "distribution_params": [{"value": 1200}, {"value": 360000},
                                                               {"value": 0}, {"value": 1e9}]}))[0])
    assert (gamma.shape, gamma.scale) == pytest.approx((4.0, 300.0))
    expon = read_distribution(law_to_spec(law_from_prosimos(
        {"distribution_name": "expon", "distribution_params": [{"value": 600}, {"value": 0},
                                                               {"value": 1e6}]}))[0])
    assert isinstance(expon, Exponential) and expon.mean_value == 600


def test_legacy_scipy_convention():
    def spec(name, *values):
        law = law_from_prosimos({"distribution_name": name,
                                 "distribution_params": [{"value": v} for v in values]})
        form, exact = law_to_spec(law)
        return read_distribution(form), exact, law

    expon, exact, _ = spec("expon", 0, 600, 0, 1e6)  # loc, scale, min, max
    assert isinstance(expon, Exponential) and expon.mean_value == 600 and exact
    tri, exact, _ = spec("triang", 0.25, 100, 400, 0, 1e6)  # c, loc, scale
    assert isinstance(tri, Triangular) and (tri.left, tri.mode, tri.right) == (100, 200, 500)
    uni, _, _ = spec("uniform", 100, 400, 0, 1e6)
    assert (uni.low, uni.high) == (100, 500)
    lognorm, exact, _ = spec("lognorm", 0.5, 0, 600, 0, 1e9)  # s, loc, scale
    assert isinstance(lognorm, LogNormal) and lognorm.sigma == pytest.approx(0.5)
    assert lognorm.mean() == pytest.approx(600 * math.exp(0.125))
    # exponnorm has no leanproc law: a histogram with the truncated law's mean
    emg, exact, law = spec("exponnorm", 4.58, 1031.5, 68.2, 783.0, 8370.0)
    assert isinstance(emg, Histogram) and not exact
    assert emg.mean() == pytest.approx(law.mean(), rel=2e-3)


def test_branching_and_events():
    bound = _import().bind()
    assert dict(bound.gateways["complete"].probabilities) == {"f_ok": 0.7, "f_more": 0.3}
    assert bound.events["wait_docs"].duration.mean() == 3600


def test_missing_probability_shared_like_prosimos():
    data = copy.deepcopy(SMALL)
    del data["gateway_branching_probabilities"][0]["probabilities"][1]["value"]
    with pytest.warns(ProsimosWarning, match="no value"):
        scenario = from_prosimos(data, SMALL_BPMN)
    assert scenario.bind().gateways["complete"].probabilities["f_more"] == pytest.approx(0.3)


def test_histogram_sampling_arrivals():
    data = copy.deepcopy(SMALL)
    data["arrival_time_distribution"] = {
        "distribution_name": "histogram_sampling", "distribution_params": [],
        "histogram_data": {"cdf": [0.25, 0.25, 1.0], "bin_midpoints": [60, 180, 300]}}
    ia = _import(data).bind().arrivals.interarrival
    assert dict(zip(ia.values, ia.probabilities, strict=True)) == {60: 0.25, 300: 0.75}


def test_unsupported_sections_are_named_all_at_once():
    data = copy.deepcopy(SMALL)
    data["batch_processing"] = [{"task_id": "register", "type": "Sequential", "size_distrib": []}]
    data["prioritisation_rules"] = [{"priority_level": 1, "rules": []}]
    with pytest.raises(ScenarioError) as err:
        from_prosimos(data, SMALL_BPMN)
    text = str(err.value)
    assert "batch_processing: batch processing of tasks is not supported" in text
    assert "prioritisation_rules" in text and "unsupported='warn'" in text
    with pytest.warns(ProsimosWarning, match="batch_processing.*left out"):
        scenario = from_prosimos(data, SMALL_BPMN, unsupported="warn")
    assert scenario.bind().pools["Clerks"].count == 3


def test_bad_references_are_located():
    data = copy.deepcopy(SMALL)
    data["resource_profiles"][1]["resource_list"][0]["calendar"] = "nights"
    data["task_resource_distribution"][0]["task_id"] = "registr"
    data["gateway_branching_probabilities"][0]["gateway_id"] = "nope"
    with pytest.raises(ScenarioError) as err:
        from_prosimos(data, SMALL_BPMN)
    problems = err.value.problems
    assert any("resource 'senior' names calendar 'nights'" in p for p in problems)
    assert any("task 'registr' is not in the model" in p for p in problems)
    assert any("gateway 'nope' is not in the model" in p for p in problems)
    assert any("task 'Register application' (register) has no entry" in p for p in problems)


def test_bad_law_and_fuzzy_calendars():
    data = copy.deepcopy(SMALL)
    data["task_resource_distribution"][3]["resources"][0]["distribution_params"] = [{"value": 1}]
    data["model_type"] = "FUZZY"
    with pytest.raises(ScenarioError) as err:
        from_prosimos(data, SMALL_BPMN)
    text = str(err.value)
    assert "FUZZY" in text
    assert "task_resource_distribution[3].resources[0]: gamma takes" in text
