"""The worked seed examples: Tomsk workplace onboarding and the taxi permit (variant A).

The savings come from the simulated mechanics (waits removed or shortened, steps removed,
rework made rarer), never from the `claimed` figures, which the tests only compare against.

Tomsk onboarding (clock hours; 8 paired replications of 200 hires). Its in-tray waits are
heavy-tailed (a folder is mostly signed the same hour, sometimes left for days), so one
seed's figures scatter: seeds 1-5 and the default seed give AS-IS 68.2-75.1 h, TO-BE
20.3-22.8 h, step savings 9.8-11.6, 18.0-20.7, 12.6-15.8 and 4.7-5.8 h, the share ready
within one working day 9.9-10.5 % before and 92.7-94.6 % after. Tolerances cover that
scatter: AS-IS within 8 % of the card's 72 h, each step within 2.5 h of the card's rounded
saving (1.5 h for the 5 h step), the share before within 3 points of 10 %, after between
90 % (the target) and 96 %.

Taxi permit: the card gives savings rounded to 5 minutes and its before / after figures are
themselves rounded, so a simulated saving must lie within 30 min of the claim and before /
after within about 4 % of the card (8 replications of 40 applications; CI half-widths of the
step savings 0.1 - 1.6 h).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from leanproc.bpmn.reader import read_bpmn
from leanproc.comparison import compare, ladder_from_file
from leanproc.cost.rollout import load_rollout

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOUR = 3600.0
REPS = 8


@pytest.fixture(scope="module")
def tomsk():
    return ladder_from_file(EXAMPLES / "tomsk-onboarding" / "improvements.yaml",
                            replications=REPS)


@pytest.fixture(scope="module")
def taxi():
    return ladder_from_file(EXAMPLES / "taxi-permit" / "improvements.yaml",
                            replications=REPS)


def test_tomsk_before_and_after(tomsk) -> None:
    before, after = tomsk.level(0) / HOUR, tomsk.level(4) / HOUR
    print(f"\nTomsk onboarding, clock lead time: {before:.1f} h -> {after:.1f} h")
    print(tomsk)
    assert tomsk.lead_time_kpi == "lead_time.mean"  # clock hours, as on the card
    assert before == pytest.approx(72, rel=0.08)
    assert 19 <= after <= 24
    report = tomsk.comparison.target_report()
    print(report)
    assert report["lead_time.mean"].verdict == "met"  # the CI's upper bound is under 24 h
    assert report["sla_share(1wd)"].verdict == "met"
    assert report.passed


def test_tomsk_first_day_readiness(tomsk) -> None:
    """The card's "share of workplaces ready on the first working day": 10 % -> 90 %, read as
    `sla_share(1wd)` (ready within one working day of the decision)."""
    kpi = "sla_share(1wd)"
    before, after = tomsk.values[0][kpi].mean(), tomsk.values[-1][kpi].mean()
    print(f"\nready within one working day: {before:.1%} -> {after:.1%}")
    assert before == pytest.approx(0.10, abs=0.03)
    # the card's 90 % is also the target, met by the CI's lower bound, so the mean sits a
    # little above it
    assert 0.90 <= after <= 0.96
    # each improvement helps (or is neutral to) the share: no step makes it worse
    shares = [v[kpi].mean() for v in tomsk.values]
    assert all(b >= a - 0.01 for a, b in itertools.pairwise(shares))


def test_tomsk_hr_document_routes_are_structure(tomsk) -> None:
    """"HR document routes in the СЭД: 0 -> 1" is a fact of the diagrams: the TO-BE has one
    automated step of the e-document system (a serviceTask "Маршрут СЭД: ..."), the AS-IS none.
    """
    def routes(model) -> list[str]:
        return [a.name for a in model.activities
                if a.tag == "serviceTask" and (a.name or "").startswith("Маршрут СЭД")]

    folder = EXAMPLES / "tomsk-onboarding"
    assert routes(read_bpmn(folder / "as-is.bpmn")) == []
    assert routes(read_bpmn(folder / "to-be.bpmn")) == ["Маршрут СЭД: заявка на рабочее место"]
    # the ladder switches to the TO-BE diagram at the routes step and keeps it
    models = [r[0].bound.model for r in tomsk.results]
    assert [len(routes(m)) for m in models] == [0, 0, 0, 1, 1]
    # the general department leaves the process with its registration and mail steps
    assert [m.structure().participants for m in models] == [7, 7, 7, 6, 6]
    paper = [v["paper_documents"].iloc[0] for v in tomsk.values]
    assert paper[0] == 8 and paper[-1] == 0


@pytest.mark.parametrize("step, claimed_h, tolerance_h", [(1, 10, 2.5), (2, 19, 2.5),
                                                          (3, 14, 2.5), (4, 5, 1.5)])
def test_tomsk_each_improvement_saves_what_the_card_says(tomsk, step, claimed_h,
                                                         tolerance_h) -> None:
    saving = tomsk.saving(step)
    assert saving.mean / HOUR == pytest.approx(claimed_h, abs=tolerance_h)
    assert saving.low > 0  # each step's saving is real, not noise
    # the waterfall's saving is the mean paired difference of the neighbouring levels'
    # replications, recomputed here from the per-replication values
    kpi = tomsk.lead_time_kpi
    paired = (tomsk.values[step - 1][kpi].to_numpy() - tomsk.values[step][kpi].to_numpy())
    table = tomsk.waterfall()
    assert table[f"{kpi}.saving"].iloc[step - 1] == pytest.approx(paired.mean() / HOUR)
    # the claim shown beside it is the card's, as written in improvements.yaml
    spec = yaml.safe_load((EXAMPLES / "tomsk-onboarding" / "improvements.yaml")
                          .read_text(encoding="utf-8"))
    written = spec["improvements"][step - 1]["claimed"]["lead_time_saved"]
    assert f"{table['claimed_lead_time_saved_h'].iloc[step - 1]:g}h" == written


def test_tomsk_shares_add_up(tomsk) -> None:
    table = tomsk.waterfall()
    kpi = tomsk.lead_time_kpi
    assert table[f"{kpi}.share"].sum() == pytest.approx(1.0)
    assert table[f"{kpi}.saving"].sum() == pytest.approx(tomsk.total_saving().mean / HOUR)


def test_taxi_permit_card(taxi) -> None:
    c = taxi.comparison
    before = c.side("lead_time_working.mean", "before").mean / 60
    after = c.side("lead_time_working.mean", "after").mean / 60
    print(f"\nTaxi permit, working lead time: {before:.0f} min -> {after:.0f} min")
    print(c.table(["lead_time_working.mean", "approvals", "paper_documents", "cost.per_case",
                   "labour_hours.per_case"]).iloc[:, :7].to_string())
    assert before == pytest.approx(3200, rel=0.04)
    assert after == pytest.approx(120, abs=20)
    assert (c.side("approvals", "before").mean, c.side("approvals", "after").mean) == (4, 0)
    assert (c.side("paper_documents", "before").mean,
            c.side("paper_documents", "after").mean) == (27, 0)
    assert c.target_report().passed


@pytest.mark.parametrize("step, claimed_min", [(1, 1445), (2, 1140), (3, 0), (4, 495), (5, 0)])
def test_taxi_steps(taxi, step, claimed_min) -> None:
    assert taxi.saving(step).mean / 60 == pytest.approx(claimed_min, abs=30)


def test_taxi_delegation_halves_the_approvals(taxi) -> None:
    assert [v["approvals"].iloc[0] for v in taxi.values] == [4, 2, 0, 0, 0, 0]


@pytest.mark.parametrize("name", ["tomsk-onboarding", "taxi-permit"])
def test_to_be_scenario_is_the_last_ladder_step(name, request) -> None:
    """The TO-BE files reproduce the ladder's last step exactly (same seed, same draws)."""
    lad = request.getfixturevalue("tomsk" if name == "tomsk-onboarding" else "taxi")
    folder = EXAMPLES / name
    c = compare(folder / "as-is.scenario.yaml", folder / "to-be.scenario.yaml",
                replications=2, kpis=["lead_time_working.mean"])
    for r in range(2):
        assert c.after_values["lead_time_working.mean"].iloc[r] == pytest.approx(
            lad.values[-1]["lead_time_working.mean"].iloc[r], rel=1e-12)
        assert c.after_values["cost.per_case"].iloc[r] == pytest.approx(
            lad.values[-1]["cost.per_case"].iloc[r], rel=1e-12)


def test_taxi_rollout_reproduces_the_seed_orders_of_magnitude(taxi) -> None:
    folder = EXAMPLES / "taxi-permit"
    volume = yaml.safe_load((folder / "rollout.yaml").read_text(encoding="utf-8"))[
        "volume_per_year"]
    saving = taxi.comparison.saving_per_case().scaled(volume)
    r = load_rollout(folder / "rollout.yaml", saving_per_office=saving)
    print(f"\n{r}")
    one, region, country = (r.effect(lv.name)[0] for lv in r.levels)
    # the effect is the simulated saving per office-year times offices times adoption
    # (rollout.yaml: 1 office; 57 offices, half adopting; 85 x 57 offices, half adopting)
    per_office = taxi.comparison.saving_per_case().mean * volume
    assert one == pytest.approx(per_office)
    assert region == pytest.approx(per_office * 57 * 0.5)
    assert country == pytest.approx(per_office * 85 * 57 * 0.5)
    # and the orders of magnitude the seed practice reports
    assert one == pytest.approx(0.5e6, rel=0.2)       # seed: 0.5 M RUB
    assert region == pytest.approx(14.3e6, rel=0.2)   # seed: 14.3 M RUB
    assert country == pytest.approx(1.2e9, rel=0.2)   # seed: 1.2 bn RUB


WITH_IMPROVEMENTS = sorted(p.parent.name for p in EXAMPLES.glob("*/improvements.yaml"))


def test_examples_with_improvements_are_found() -> None:
    assert {"taxi-permit", "tomsk-onboarding"} <= set(WITH_IMPROVEMENTS)


@pytest.mark.parametrize("name", WITH_IMPROVEMENTS)
def test_ladder_and_comparison_agree_on_every_structure_count(name) -> None:
    """The ladder's last step (AS-IS edited step by step) and the comparison's TO-BE (the
    redrawn TO-BE files) describe one process: every lean structure count must agree."""
    from leanproc.targets.spec import STRUCTURAL

    folder = EXAMPLES / name
    lad = ladder_from_file(folder / "improvements.yaml", replications=1)
    c = compare(folder / "as-is.scenario.yaml", folder / "to-be.scenario.yaml", replications=1)
    last, to_be = lad.values[-1].iloc[0], c.after_values.iloc[0]
    counts = [k for k in STRUCTURAL if k in to_be.index]
    assert {"activities", "handoffs", "approvals", "client_actions", "paper_documents",
            "participants"} <= set(counts)
    differ = {k: (last[k], to_be[k]) for k in counts if last[k] != to_be[k]}
    assert not differ, f"{name}: ladder's last step vs TO-BE: {differ}"
