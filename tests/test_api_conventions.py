"""The API conventions of the README: every public function takes a path or an object for its
model, log and scenario with the same result; a wrong type is a LeanprocError that names the
argument; without a seed, two calls give the same numbers (the one DEFAULT_SEED).

The log is simulated once from the bundled example and written to a Parquet file; the object
side reads that same file with `read_log`, so path and object carry identical data and any
difference comes from the argument handling.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest

import leanproc
from leanproc.errors import BPMNError, LeanprocError, LogError, ScenarioError
from leanproc.mining import Calibration

HELLO = Path(str(files("leanproc") / "examples" / "hello.yaml"))
BPMN = HELLO.with_name("hello.bpmn")


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    truth = leanproc.simulate(HELLO, seed=7)
    path = tmp_path_factory.mktemp("log") / "hello.parquet"
    leanproc.write_log(truth.log, path)
    return path


@pytest.fixture(scope="module")
def log_frame(log_file: Path) -> pd.DataFrame:
    return leanproc.read_log(log_file)


@pytest.fixture(scope="module")
def model() -> leanproc.ProcessModel:
    return leanproc.read_bpmn(BPMN)


# ---- a path and an object give the same result -----------------------------------------------

def test_calibrate_takes_paths_or_objects(model, log_file, log_frame):
    from_paths = leanproc.calibrate(str(BPMN), log_file)
    from_objects = leanproc.calibrate(model, log_frame)
    assert from_paths.scenario.model_dump() == from_objects.scenario.model_dump()
    from_paths.scenario.bind(model)  # a Calibration's scenario is a plain Scenario


def test_conformance_takes_paths_or_objects(model, log_file, log_frame):
    a = leanproc.conformance(BPMN, str(log_file))
    b = leanproc.conformance(model, log_frame)
    assert (a.fitness, a.fitting_share, a.cases) == (b.fitness, b.fitting_share, b.cases)


def test_discover_takes_a_path_or_a_frame(log_file, log_frame):
    a = leanproc.discover(log_file, layout=False)
    b = leanproc.discover(log_frame, layout=False)
    assert sorted(n.name or "" for n in a.activities) == sorted(n.name or "" for n in b.activities)
    assert len(a.flows) == len(b.flows)


def test_validate_as_is_takes_paths_or_objects(model, log_file, log_frame):
    a = leanproc.validate_as_is(BPMN, log_file, replications=2)
    b = leanproc.validate_as_is(model, log_frame, replications=2)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_validate_takes_the_actual_log_as_a_path(log_file, log_frame):
    projection = leanproc.simulate(HELLO, replications=2)
    a = leanproc.validate(projection, log_file)
    b = leanproc.validate(projection, log_frame)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_process_cost_takes_paths_or_objects(log_file, log_frame):
    a = leanproc.process_cost(log_file, HELLO, volume_per_year=1000)
    b = leanproc.process_cost(log_frame, leanproc.Scenario.load(HELLO), volume_per_year=1000)
    pd.testing.assert_series_equal(a.per_case, b.per_case)
    assert a.per_case.sum() > 0


@pytest.mark.filterwarnings("ignore::leanproc.interop.ProsimosWarning")
def test_to_prosimos_takes_paths_or_objects(model):
    scenario = leanproc.Scenario.load(HELLO)
    assert leanproc.to_prosimos(str(HELLO), BPMN) == leanproc.to_prosimos(scenario, model)
    assert leanproc.to_prosimos(scenario.bind(model)) == leanproc.to_prosimos(HELLO)


def test_kpis_takes_a_path_or_a_frame(log_file, log_frame):
    a = leanproc.kpis(log_file, "ru-5x8@Europe/Moscow")
    b = leanproc.kpis(str(log_file), "ru-5x8@Europe/Moscow")
    c = leanproc.kpis(log_frame, "ru-5x8@Europe/Moscow")
    for other in (b, c):  # Series: NaN figures (no SLA given) compare equal to NaN
        pd.testing.assert_series_equal(pd.Series(a.as_dict()), pd.Series(other.as_dict()))
    assert a.as_dict()["cases_finished"] > 0


def test_simulate_takes_a_path_or_an_object(model):
    a = leanproc.simulate(HELLO)
    b = leanproc.simulate(leanproc.Scenario.load(HELLO), model)
    pd.testing.assert_frame_equal(a.log, b.log)


# ---- a wrong type names the argument ----------------------------------------------------------

WRONG = 42


@pytest.mark.parametrize(("call", "error", "named"), [
    (lambda m, log: leanproc.calibrate(WRONG, log), BPMNError, "model="),
    (lambda m, log: leanproc.calibrate(m, WRONG), LogError, "log="),
    (lambda m, log: leanproc.conformance(WRONG, log), BPMNError, "model="),
    (lambda m, log: leanproc.conformance(m, WRONG), LogError, "log="),
    (lambda m, log: leanproc.discover(WRONG), LogError, "log="),
    (lambda m, log: leanproc.validate_as_is(WRONG, log), BPMNError, "model="),
    (lambda m, log: leanproc.validate_as_is(m, WRONG), LogError, "log="),
    (lambda m, log: leanproc.process_cost(WRONG, HELLO), LogError, "log="),
    (lambda m, log: leanproc.process_cost(log, WRONG), ScenarioError, "scenario="),
    (lambda m, log: leanproc.to_prosimos(WRONG), ScenarioError, "scenario="),
    (lambda m, log: leanproc.to_prosimos(HELLO, WRONG), BPMNError, "model="),
    (lambda m, log: leanproc.from_prosimos(WRONG, m), ScenarioError, "source="),
    (lambda m, log: leanproc.from_prosimos({}, WRONG), BPMNError, "model="),
    (lambda m, log: leanproc.compare(WRONG, HELLO), ScenarioError, "as_is="),
    (lambda m, log: leanproc.compare(HELLO, WRONG), ScenarioError, "to_be="),
    (lambda m, log: leanproc.ladder(WRONG, []), ScenarioError, "as_is="),
    (lambda m, log: leanproc.ladder(HELLO, [], model=WRONG), BPMNError, "model="),
    (lambda m, log: leanproc.simulate(WRONG), ScenarioError, "scenario="),
    (lambda m, log: leanproc.simulate(HELLO, WRONG), BPMNError, "model="),
    (lambda m, log: leanproc.sweep(WRONG, {}), ScenarioError, "scenario="),
    (lambda m, log: leanproc.sweep(HELLO, {}, WRONG), BPMNError, "model="),
    (lambda m, log: leanproc.kpis(WRONG), LogError, "log="),
], ids=["calibrate-model", "calibrate-log", "conformance-model", "conformance-log",
        "discover-log", "validate_as_is-model", "validate_as_is-log", "process_cost-log",
        "process_cost-scenario", "to_prosimos-scenario", "to_prosimos-model",
        "from_prosimos-source", "from_prosimos-model", "compare-as_is", "compare-to_be",
        "ladder-as_is", "ladder-model", "simulate-scenario", "simulate-model",
        "sweep-scenario", "sweep-model", "kpis-log"])
def test_a_wrong_type_is_a_leanproc_error_naming_the_argument(call, error, named, model,
                                                              log_frame):
    with pytest.raises(error) as info:
        call(model, log_frame)
    assert named in str(info.value)
    assert "int" in str(info.value)  # and what was given instead


def test_a_frame_without_the_schema_columns_names_the_argument(model):
    with pytest.raises(LogError, match=r"log= lacks the column\(s\)"):
        leanproc.calibrate(model, pd.DataFrame({"x": [1]}))


def test_a_simulation_result_for_a_log_points_at_its_log(model):
    result = leanproc.simulate(HELLO)
    with pytest.raises(LeanprocError, match=r"pass its \.log"):
        leanproc.conformance(model, result)


# ---- without a seed, the same numbers ----------------------------------------------------------

def test_simulate_without_a_seed_repeats_and_uses_the_default_seed():
    a, b = leanproc.simulate(HELLO), leanproc.simulate(HELLO)
    pd.testing.assert_frame_equal(a.log, b.log)
    assert a.seed == leanproc.DEFAULT_SEED


def test_compare_without_a_seed_repeats():
    a = leanproc.compare(HELLO, HELLO, replications=2)
    b = leanproc.compare(HELLO, HELLO, replications=2)
    pd.testing.assert_frame_equal(a.after_values, b.after_values)
    assert a.seeds == (leanproc.DEFAULT_SEED, leanproc.DEFAULT_SEED)


def test_ladder_without_a_seed_repeats():
    steps = [{"name": "one more clerk",
              "patch": {"resources": {"Специалист отдела лицензирования": {"count": 3}}}}]
    a = leanproc.ladder(HELLO, steps, replications=2)
    b = leanproc.ladder(HELLO, steps, replications=2)
    for x, y in zip(a.values, b.values, strict=True):
        pd.testing.assert_frame_equal(x, y)


def test_sweep_without_a_seed_repeats():
    grid = {"resources.Специалист отдела лицензирования.count": [2, 3]}
    pd.testing.assert_frame_equal(leanproc.sweep(HELLO, grid, BPMN, executor="local"),
                                  leanproc.sweep(HELLO, grid, BPMN, executor="local"))


def test_validate_as_is_without_a_seed_repeats(model, log_frame):
    a = leanproc.validate_as_is(model, log_frame, replications=2)
    b = leanproc.validate_as_is(model, log_frame, replications=2)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_gate_seed_defaults_to_the_one_default_seed():
    from leanproc.testing.gate import Gate

    assert Gate.__dataclass_fields__["seed"].default == leanproc.DEFAULT_SEED


# ---- the renamed functions ----------------------------------------------------------------------

def test_calibrate_returns_the_scenario_with_its_fit_report(model, log_frame):
    fitted = leanproc.calibrate(model, log_frame)
    assert isinstance(fitted, Calibration)
    assert isinstance(fitted.scenario, leanproc.Scenario)
    assert set(fitted.fits["what"]) >= {"duration", "interarrival"}


def test_validate_as_is_reports_the_calibration_it_used(model, log_frame):
    report = leanproc.validate_as_is(model, log_frame, replications=2)
    assert isinstance(report.calibration, Calibration)
    assert "lead_time.mean" in set(report.table["kpi"])


@pytest.mark.parametrize("old", ["calibration", "validity"])
def test_the_old_near_identical_names_are_gone(old):
    import leanproc.mining

    assert not hasattr(leanproc, old)
    assert not hasattr(leanproc.mining, old)
