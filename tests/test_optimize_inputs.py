"""The optimiser's inputs and the staff cost: hand-computed figures and the errors people see."""

from __future__ import annotations

import pytest

from helpers import tandem
from leanproc.cost import staff_cost
from leanproc.errors import ScenarioError
from leanproc.optimization.constraints import parse_constraints
from leanproc.optimization.decisions import parse_decisions
from leanproc.optimization.stats import mean_bounds, paired_upper
from leanproc.targets import evaluate
from leanproc.targets.spec import parse_targets

PATHS = ["resources.clerk.count", "resources.lawyer.count", "resources.lawyer.calendar"]


def staffed(**resources):
    sc = tandem.scenario(600, [60, 60], [100, 100], 50)
    sc["resources"] = resources
    sc["activities"]["S1"]["resource"] = "clerk"
    sc["activities"]["S2"]["resource"] = "lawyer"
    return sc


def test_staff_cost_by_hand():
    # 2024: the RU production calendar has 1,979 working hours (the official norm); the plain
    # 5x8 week has 262 weekdays x 8 h = 2,096 hours; a salaried employee costs 12 loaded
    # salaries a year whatever the hours fund
    sc = staffed(clerk={"count": 2, "monthly_salary": 60000},
                 lawyer={"count": 3, "cost_per_hour": 500, "calendar": "5x8"})
    cost = staff_cost(sc, tandem.model(2))
    assert cost.table.loc["clerk", "per_year"] == pytest.approx(2 * 60000 * 12 * 1.302)
    assert cost.table.loc["lawyer", "per_year"] == pytest.approx(3 * 2096 * 500)
    assert cost.total == pytest.approx(2 * 60000 * 12 * 1.302 + 3 * 2096 * 500)
    assert cost.as_dict()["staff_cost.lawyer.per_year"] == pytest.approx(3 * 2096 * 500)


def test_staff_cost_pool_without_calendar_is_paid_a_ru_5x8_year():
    sc = staffed(clerk={"count": 1, "cost_per_hour": 100}, lawyer={"count": 1})
    cost = staff_cost(sc, tandem.model(2))
    assert cost.table.loc["clerk", "paid_hours"] == 1979.0
    assert cost.total == pytest.approx(197900.0)  # the lawyer has no cost data: 0


def test_staff_cost_is_a_target_kpi():
    from leanproc.simulation.run import simulate

    sc = staffed(clerk={"count": 2, "cost_per_hour": 100}, lawyer={"count": 1,
                                                                   "cost_per_hour": 100})
    result = simulate(sc, tandem.model(2), seed=1)
    report = evaluate(result, {"staff_cost.per_year": "<= 600000 RUB"})
    assert report["staff_cost.per_year"].value == pytest.approx(3 * 1979 * 100)
    assert report.passed
    assert not evaluate(result, {"staff_cost.per_year": "<= 500000"}).passed


def test_unknown_decision_path_names_the_close_and_known_paths():
    base = staffed(clerk={"count": 1}, lawyer={"count": 1})
    with pytest.raises(ScenarioError) as err:
        parse_decisions(base, {"resources.clerk.cuont": [1, 2], "resourses.x.count": [1]})
    text = str(err.value)
    assert "'resources.clerk.cuont'" in text and "did you mean 'resources.clerk.count'" in text
    assert "'resourses.x.count'" in text
    assert "Pools' counts and calendars here: resources.clerk.count" in text


def test_decisions_kinds_and_new_keys_under_an_existing_mapping():
    base = staffed(clerk={"count": 1}, lawyer={"count": 1})
    decs = parse_decisions(base, {"resources.clerk.count": range(3, 0, -1),
                                  "resources.lawyer.calendar": ["ru-5x8", "5x8"]})
    assert decs[0].integer and decs[0].values == (1, 2, 3) and decs[0].pool == "clerk"
    assert not decs[1].integer and decs[1].pool is None  # not in the base, parent exists
    with pytest.raises(ScenarioError, match="at least 1 unit"):
        parse_decisions(base, {"resources.clerk.count": [0, 1]})


def test_constraint_expressions_are_evaluated_without_python_eval():
    [rule] = parse_constraints("resources.clerk.count + resources.lawyer.count <= 4 and "
                               "not resources.lawyer.calendar == '5x8'", PATHS)
    assert rule({PATHS[0]: 2, PATHS[1]: 2, PATHS[2]: "ru-5x8"})
    assert not rule({PATHS[0]: 3, PATHS[1]: 2, PATHS[2]: "ru-5x8"})
    assert not rule({PATHS[0]: 1, PATHS[1]: 1, PATHS[2]: "5x8"})
    [chain] = parse_constraints("1 <= resources.clerk.count * 2 < 5", PATHS)
    assert chain({PATHS[0]: 2}) and not chain({PATHS[0]: 3})


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('true')", "not allowed"),
    ("resources.clerk.count.__class__ == 1", "is not a decision"),
    ("resources.clerk.cuont <= 3", "did you mean 'resources.clerk.count'"),
    ("resources.clerk.count ** 2 <= 9", "not allowed"),
    ("resources.clerk.count <=", "not an expression"),
])
def test_constraint_expressions_refuse_anything_else(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_constraints(text, PATHS)


def test_one_sided_bounds():
    # n = 4, mean 2, s = sqrt(10/3); t(0.95, 3) = 2.3534
    mean, low, high = mean_bounds([0.0, 1.0, 3.0, 4.0], 0.05)
    half = 2.3534 * (10 / 3) ** 0.5 / 2
    assert (mean, low, high) == pytest.approx((2.0, 2 - half, 2 + half), abs=1e-3)
    assert mean_bounds([7.0], 0.05, exact=True) == (7.0, 7.0, 7.0)
    # paired: a constant shift is exact however noisy each side is
    a, b = [10.0, 50.0, 30.0], [12.0, 52.0, 32.0]
    assert paired_upper(a, b, 0.05) == (pytest.approx(-2.0), pytest.approx(-2.0))


def test_staff_cost_per_year_is_a_known_target():
    [t] = parse_targets({"staff_cost.per_year": "<= 2 000 000 руб"})
    assert t.unit == "money" and t.bound == 2_000_000


def test_waiting_trend_separates_a_growing_queue_from_a_stable_one():
    from types import SimpleNamespace

    import pandas as pd

    from leanproc.optimization.evaluator import GROWTH_LIMIT
    from leanproc.optimization.runs import growth

    arrival = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(range(300), unit="min")
    # overloaded from empty: the n-th case waits n minutes more than the first
    growing = pd.DataFrame({"arrival": arrival, "end": arrival + pd.to_timedelta(
        [5 + k for k in range(300)], unit="min")})
    stable = pd.DataFrame({"arrival": arrival, "end": arrival + pd.Timedelta("5min")})
    # thirds of a linear ramp: means 5 + 149.5 and 5 + 249.5 minutes
    assert growth(SimpleNamespace(cases=growing)) == pytest.approx(254.5 / 154.5)
    assert growth(SimpleNamespace(cases=growing)) > GROWTH_LIMIT
    assert growth(SimpleNamespace(cases=stable)) == pytest.approx(1.0)


def test_leanproc_optimize_stays_callable_once_the_package_is_imported():
    import leanproc
    import leanproc.optimization.api  # importing the subpackage sets leanproc.optimize to it
    from leanproc import optimize

    assert optimize is leanproc.optimize and callable(optimize)
    with pytest.raises(ScenarioError, match="decisions= must be a non-empty mapping"):
        optimize({"arrivals": {}}, decisions={}, targets={}, objective="lead_time.mean")
