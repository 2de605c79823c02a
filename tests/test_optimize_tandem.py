"""The optimiser against queueing theory (tandem M/M/c lines, Erlang C), and its guarantees:
the same answer exhaustively and heuristically, on any executor, within its budget.

The target levels are chosen so that the analytic optimum is not within a hair of the bound
(helpers.tandem.analytic_optimum gives the margins): 335 s for two stations, where the
optimum's mean lead time is 286 s (14.6 % inside) and every cheaper candidate's is at least
15.7 % above; 455 s for three, 406 s (10.7 % inside) and at least 11.6 % above. 20 seeds of
these and more levels run in benchmarks/optimize_tandem.py.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import matplotlib
import pandas as pd
import pytest

from helpers import tandem
from leanproc import optimize
from leanproc.errors import LeanprocError, ScenarioError

matplotlib.use("Agg")

IA, SERVICES, RATES = 60.0, [90.0, 150.0, 40.0], [100.0, 150.0, 300.0]


def counts(n: int, top: int = 5) -> dict[str, range]:
    return {f"resources.p{i + 1}.count": range(1, top + 1) for i in range(n)}


@pytest.fixture(scope="module")
def two():
    sc = tandem.scenario(IA, SERVICES[:2], RATES[:2], 400)
    return sc, tandem.model(2)


@pytest.fixture(scope="module")
def exhaustive_two(two):
    sc, model = two
    return optimize(sc, model, decisions=counts(2), targets={"lead_time.mean": "<= 335s"},
                    objective="staff_cost.per_year", executor="local", seed=7)


def test_three_stations_heuristic_finds_the_erlang_c_optimum():
    grid = [range(1, 6)] * 3
    expected, _, _ = tandem.analytic_optimum(IA, SERVICES, RATES, grid, 455.0)
    assert expected == (3, 4, 1)
    sc = tandem.scenario(IA, SERVICES, RATES, 1000)
    r = optimize(sc, tandem.model(3), decisions=counts(3), targets={"lead_time.mean": "<= 455s"},
                 objective="staff_cost.per_year", executor="local", seed=3)
    assert r.method == "heuristic"  # 125 candidates: above the exhaustive limit
    assert tuple(r.best.values()) == expected
    assert len(r.candidates) < 125  # the walk did not need the whole lattice


def test_exhaustive_finds_the_optimum_and_cuts_overloaded_pools_without_a_run(exhaustive_two):
    r = exhaustive_two
    expected, _, _ = tandem.analytic_optimum(IA, SERVICES[:2], RATES[:2], [range(1, 6)] * 2,
                                             335.0)
    assert r.method == "exhaustive" and tuple(r.best.values()) == expected == (3, 4)
    table = r.table()
    # offered load lam / (c mu): station 1 needs c >= 2 (1.5), station 2 c >= 3 (2.5); no
    # count lies within 10 % of the limit, so the pilot's estimate cannot tip either way
    over = (table["resources.p1.count"] < 2) | (table["resources.p2.count"] < 3)
    assert (table.loc[over, "cut"].str.contains("offered load")).all()
    assert (table.loc[over, "replications"] == 0).all()
    assert (table.loc[~over, "cut"] == "").all()
    assert (table.loc[over, "verdict"] == "infeasible").all()


def test_heuristic_and_exhaustive_agree(two, exhaustive_two):
    sc, model = two
    r = optimize(sc, model, decisions=counts(2), targets={"lead_time.mean": "<= 335s"},
                 objective="staff_cost.per_year", executor="local", seed=7, exhaustive_limit=0)
    assert r.method == "heuristic"
    assert r.best == exhaustive_two.best
    # common random numbers: a candidate both searches ran has the same replications
    a, b = r.table().set_index(list(r.decisions)), exhaustive_two.table().set_index(
        list(r.decisions))
    both = a.index.intersection(b.index)
    n = pd.concat([a.loc[both, "replications"], b.loc[both, "replications"]], axis=1).min(axis=1)
    shared = both[(n == 5).to_numpy()]
    assert len(shared) and (a.loc[shared, "replications"] == 5).all()
    pd.testing.assert_series_equal(a.loc[shared, "lead_time.mean"],
                                   b.loc[shared, "lead_time.mean"])


def test_same_table_on_any_executor(two):
    sc, model = two
    kw = dict(decisions=counts(2, 4), targets={"lead_time.mean": "<= 335s"},
              objective="lead_time.p90", seed=11, budget=25)
    calls: list[dict] = []
    local = optimize(sc, model, executor="local", progress=calls.append, **kw)
    with ThreadPoolExecutor(max_workers=2) as pool:
        threads = optimize(sc, model, executor=pool, **kw)
    assert len(calls) > 1 and calls[-1] == {"phase": "done", "runs": local.runs, "budget": 25,
                                            "candidates": len(local.candidates)}
    pd.testing.assert_frame_equal(local.table(), threads.table())
    assert local.best == threads.best and local.runs == threads.runs <= 25


def test_budget_hit_returns_the_best_so_far_with_a_note(two):
    sc, model = two
    r = optimize(sc, model, decisions=counts(2), targets={"lead_time.mean": "<= 335s"},
                 objective="staff_cost.per_year", executor="local", seed=7, budget=12)
    assert r.runs <= 12
    assert any("budget of 12 simulation runs" in n for n in r.notes)
    assert "budget of 12" in str(r)


def test_views_and_front(exhaustive_two):
    r = exhaustive_two
    assert "Best: {'resources.p1.count': 3, 'resources.p2.count': 4}" in str(r)
    assert "meets every target with confidence >= 95%" in str(r)
    html = r._repr_html_()
    assert "<table>" in html and "resources.p1.count" in html
    assert "Оптимизация" in r.display(lang="ru").html
    front, table = r.front, r.table()
    simulated = table[table["replications"] > 0]
    assert len(front)
    for _, p in front.iterrows():  # nothing simulated beats a front point on both axes
        better = ((simulated["staff_cost.per_year"] <= p["staff_cost.per_year"])
                  & (simulated["lead_time.mean"] <= p["lead_time.mean"])
                  & ((simulated["staff_cost.per_year"] < p["staff_cost.per_year"])
                     | (simulated["lead_time.mean"] < p["lead_time.mean"])))
        assert not better.any()
    fig = r.plot()
    assert len(fig.axes) == 1 and fig.axes[0].get_xlabel() == "lead_time.mean, h"


def test_constraints_and_errors(two):
    sc, model = two
    expected, _, _ = tandem.analytic_optimum(IA, SERVICES[:2], RATES[:2], [range(1, 6), [5]],
                                             335.0)
    r = optimize(sc, model, decisions=counts(2), targets={"lead_time.mean": "<= 335s"},
                 objective="staff_cost.per_year", executor="local", seed=7,
                 constraints="resources.p2.count >= 5")
    assert tuple(r.best.values()) == expected == (3, 5)
    assert (r.table()["resources.p2.count"] == 5).all()
    with pytest.raises(ScenarioError, match=r"objective='lead_tme\.mean': unknown KPI"):
        optimize(sc, model, decisions=counts(2), targets={}, objective="lead_tme.mean")


def test_targets_default_to_the_scenarios_own(two, exhaustive_two):
    sc, model = two
    own = {**sc, "targets": {"lead_time.mean": "<= 335s"}}
    r = optimize(own, model, decisions=counts(2), objective="staff_cost.per_year",
                 executor="local", seed=7)
    assert r.best == exhaustive_two.best
    assert r.table().equals(exhaustive_two.table())
    with pytest.raises(ScenarioError, match="give targets="):
        optimize(sc, model, decisions=counts(2), objective="staff_cost.per_year")


def test_per_activity_targets_are_refused_before_any_run(two):
    sc, model = two
    with pytest.raises(ScenarioError, match="per-activity targets"):
        optimize(sc, model, decisions=counts(2), objective="staff_cost.per_year",
                 targets={"activity.S1.waiting.mean": "<= 60s"})


def test_until_ends_every_run_as_simulate_does(two):
    sc, model = two
    kw = {"decisions": {"resources.p1.count": [3], "resources.p2.count": [3]},
          "targets": {"lead_time.mean": "<= 1h"}, "objective": "throughput.per_day",
          "executor": "local", "seed": 7}
    whole = optimize(sc, model, **kw)
    cut = optimize(sc, model, until="2h", **kw)  # 400 arrivals a minute apart take 6.7 h
    # throughput over the first 2 h is the arrival rate (1,440 a day); counted to the last
    # completion of all 400 it is lower only by the drain at the end
    assert cut.table()["throughput.per_day"].iloc[0] == pytest.approx(1440, rel=0.15)
    assert cut.table()["throughput.per_day"].iloc[0] != whole.table()["throughput.per_day"].iloc[0]
    with pytest.raises(LeanprocError, match="until: cannot read 'soon'"):
        optimize(sc, model, until="soon", **kw)


def test_every_claim_and_note_has_a_russian_form(exhaustive_two, two):
    from leanproc._labels import note_text

    sc, model = two
    capped = optimize(sc, model, decisions=counts(2), targets={"lead_time.mean": "<= 335s"},
                      objective="staff_cost.per_year", executor="local", seed=7, budget=12)
    lines = [*exhaustive_two.statements, *exhaustive_two.notes, *capped.statements,
             *capped.notes]
    assert any("budget" in line for line in lines)
    for line in lines:
        assert note_text(line, "ru") != line, line
