"""``case_speed``: the per-case factor in the scenario, the engine's draw and calibrate's fit.

The engine tests use pure delays (no resource) on a round-the-clock calendar, so each logged
duration is exactly the drawn one and the factor can be read off as a ratio. The fit tests use
synthetic logs whose case effect is known; their tolerances come from the estimator's standard
error (stated at each assert), and the seeds are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from leanproc.bpmn.builder import ModelBuilder
from leanproc.errors import ScenarioError
from leanproc.log import ACTIVITY, CASE, ENABLE, END, START
from leanproc.mining import calibrate
from leanproc.mining._calibrate_times import WorkAndWait
from leanproc.mining._case_speed import MAX_P, case_effect, fit_case_speed
from leanproc.scenario import Scenario
from leanproc.simulation.run import simulate

TASKS = ("a", "b", "c", "d")


def _model():
    b = ModelBuilder("line")
    nodes = [b.start("in"), *(b.task(t) for t in TASKS), b.end("out")]
    b.sequence(*nodes)
    return b.build()


def _scenario(case_speed: dict | None = None, cases: int = 200) -> dict:
    spec: dict = {
        "start": "2024-01-09T09:00+03:00", "timezone": "Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "30min"}}, "cases": cases},
        "activities": {t: {"duration": {"gamma": {"mean": f"{10 * (i + 1)}min",
                                                  "sd": f"{5 * (i + 1)}min"}},
                           "wait": {"exponential": {"mean": "1h"}}, "resource": None}
                       for i, t in enumerate(TASKS)},
    }
    if case_speed is not None:
        spec["case_speed"] = case_speed
    return spec


def _times(log: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "case": log[CASE].to_numpy(), "activity": log[ACTIVITY].to_numpy(),
        "work": (log[END] - log[START]).dt.total_seconds().to_numpy(),
        "wait": (log[START] - log[ENABLE]).dt.total_seconds().to_numpy(),
    })
    return out.sort_values(["case", "activity"]).reset_index(drop=True)


# ---- the schema ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "words"), [
    ({"duration": -0.1}, "case_speed.duration: sigma must be between 0"),
    ({"wait": 3.5}, "case_speed.wait: sigma must be between 0"),
    ({"duration": "fast"}, "case_speed.duration: expected the factor's spread sigma"),
    ({"duration": True}, "case_speed.duration: expected the factor's spread sigma"),
    ({"duration": float("nan")}, "case_speed.duration: sigma must be between 0"),
    ({"durations": 0.5}, "case_speed.durations: unknown key (did you mean 'duration'?)"),
    (0.5, "case_speed: expected the spreads of the factors, e.g. {duration: 0.6}"),
])
def test_bad_case_speed_is_refused_with_its_place(value, words) -> None:
    with pytest.raises(ScenarioError) as err:
        Scenario.load({"case_speed": value})
    assert words in str(err.value)


def test_case_speed_survives_the_yaml_round_trip() -> None:
    scenario = Scenario.load(_scenario({"duration": 0.65, "wait": 0.3}))
    text = scenario.to_yaml()
    assert "case_speed: {duration: 0.65, wait: 0.3}" in text
    again = Scenario.load(text)
    assert again == scenario
    assert again.case_speed is not None and again.case_speed.wait == 0.3


# ---- the engine's draw -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs():
    model = _model()
    plain = simulate(_scenario(), model, seed=5)
    work = simulate(_scenario({"duration": 0.8}), model, seed=5)
    wait = simulate(_scenario({"wait": 0.8}), model, seed=5)
    return _times(plain.log), _times(work.log), _times(wait.log), plain, work


def test_the_factor_scales_every_duration_of_a_case_alike(runs) -> None:
    plain, work, _, plain_run, work_run = runs
    # the same seed gives the same arrivals and the same underlying draws: the factor's own
    # stream shifts nothing else
    assert plain_run.cases["arrival"].equals(work_run.cases["arrival"])
    # (timestamps are written to the microsecond: equal up to that)
    assert np.allclose(plain["wait"], work["wait"], rtol=0, atol=1e-5)
    ratio = work["work"] / plain["work"]
    per_case = ratio.groupby(work["case"])
    # one factor per case (up to float rounding of the timestamps) ...
    assert float((per_case.max() / per_case.min()).max()) < 1 + 1e-6
    # ... drawn lognormal with sigma 0.8 and mean 1: over 200 cases the sd of log(factor) is
    # within 4 standard errors (sigma / sqrt(2 n) = 0.04) of 0.8, and its mean within 4 SE
    # (0.8 / sqrt(200) = 0.057) of -sigma**2 / 2
    logs = np.log(per_case.first().to_numpy())
    assert logs.std(ddof=1) == pytest.approx(0.8, abs=4 * 0.8 / math.sqrt(2 * len(logs)))
    assert logs.mean() == pytest.approx(-0.32, abs=4 * 0.8 / math.sqrt(len(logs)))


def test_the_wait_factor_leaves_durations_alone(runs) -> None:
    plain, _, wait, _, _ = runs
    assert np.allclose(plain["work"], wait["work"], rtol=0, atol=1e-5)
    ratio = (wait["wait"] / plain["wait"]).groupby(wait["case"])
    assert float((ratio.max() / ratio.min()).max()) < 1 + 1e-6
    assert float(ratio.first().std()) > 0.3  # the waits do vary with a factor of sigma 0.8


def test_sigma_zero_is_no_factor(runs) -> None:
    plain, *_ = runs
    zero = _times(simulate(_scenario({"duration": 0, "wait": 0}), _model(), seed=5).log)
    assert np.allclose(plain["work"], zero["work"], rtol=0, atol=1e-5)


# ---- the fit ---------------------------------------------------------------------------------

def _synthetic(sigma_case: float, *, cases: int = 400, sigma_noise: float = 0.8,
               seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log t = activity level + case effect + noise, five activities per case."""
    rng = np.random.default_rng(seed)
    levels = np.log([60.0, 600.0, 1800.0, 300.0, 7200.0])
    case = np.repeat(np.arange(cases), len(levels))
    activity = np.tile(np.arange(len(levels)), cases)
    u = rng.normal(0.0, sigma_case, cases)[case]
    t = np.exp(levels[activity] + u + rng.normal(0.0, sigma_noise, len(case)))
    return case, activity, t


def test_the_fit_recovers_a_known_sigma() -> None:
    case, activity, t = _synthetic(0.5)
    effect = case_effect(case, activity, t, what="duration")
    assert effect.accepted and effect.p_value < MAX_P
    # the moment estimate s2 = var(case means) - vw / 5 has variance about
    # 2 (s2 + vw / 5)**2 / (cases - 1); with s2 = 0.25, vw = 0.64 that is a standard error of
    # 0.027 in s2, 0.027 in sigma (d sigma = d s2 / (2 sigma)): 4 SE is 0.11
    se = math.sqrt(2 * (0.25 + 0.64 / 5) ** 2 / 399) / (2 * 0.5)
    assert effect.sigma == pytest.approx(0.5, abs=4 * se)


def test_no_factor_on_independent_times() -> None:
    case, activity, t = _synthetic(0.0)
    effect = case_effect(case, activity, t, what="duration")
    assert not effect.accepted and effect.sigma == 0.0
    assert np.all(effect.factor == 1.0)


def test_despeeded_times_keep_the_activities_spread_and_centre() -> None:
    case, activity, t = _synthetic(0.5)
    fit = fit_case_speed(case, activity.astype(str),
                         WorkAndWait(work=t, wait=np.zeros_like(t), waits="extraneous"))
    assert fit.spec is not None and set(fit.spec) == {"duration"}
    sigma = fit.spec["duration"]
    rng = np.random.default_rng(8)
    again = fit.times.work * np.exp(rng.normal(-sigma**2 / 2, sigma, 400))[case]
    for a in range(5):
        seen, made = np.log(t[activity == a]), np.log(again[activity == a])
        # 400 values with log-sd about 0.94: the standard error of a mean is 0.047, of an sd
        # about 0.94 / sqrt(800) = 0.033 (plus the estimate's own error); 4 SE each
        assert made.mean() == pytest.approx(seen.mean(), abs=4 * 0.047 + 0.05)
        assert made.std() == pytest.approx(seen.std(), abs=4 * 0.033 + 0.05)


def test_calibrate_fits_the_factor_of_a_simulated_log() -> None:
    model = _model()
    truth = 0.6
    log = simulate(_scenario({"duration": truth}, cases=300), model, seed=21).log
    fitted = calibrate(model, log)
    speed = fitted.scenario.case_speed
    assert speed is not None and speed.wait == 0.0  # the waits were drawn independently
    # four activities per case, within-case log-sd about 0.5 (gamma CV 0.5) and exponential
    # waits measured apart: the standard error of sigma is about 0.03 for 300 cases; 4 SE
    assert speed.duration == pytest.approx(truth, abs=0.12)
    assert any("case_speed.duration" in note for note in fitted.notes)
    # the activities keep their means: the factor has mean 1, and the de-speeded times are
    # centred on the observed geometric means; 4 SE of a mean of 300 draws with CV 0.5 and
    # the factor's spread (CV about 0.8 together) is 18 %
    fits = fitted.fits[fitted.fits["what"] == "duration"].set_index("element")
    for i, name in enumerate(TASKS):
        assert fits.loc[name, "mean_h"] * 60 == pytest.approx(10 * (i + 1), rel=0.18)


def test_prosimos_export_says_the_factor_is_left_out() -> None:
    from leanproc.interop import to_prosimos

    with pytest.warns(Warning, match="case_speed: Prosimos draws every duration independently"):
        to_prosimos(_scenario({"duration": 0.5}), _model())
