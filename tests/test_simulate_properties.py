"""Properties of the engine on random acyclic models and random scenarios (hypothesis)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.bpmn_text import flow_model
from leanproc.bpmn import read_bpmn
from leanproc.simulation.run import simulate

# A block is ("task",) | ("seq", [blocks]) | (gateway tag, [blocks]) with gateway tags
# exclusiveGateway, parallelGateway, inclusiveGateway: a well-structured model, split and join
# of the same kind, so every case must finish.
blocks = st.recursive(
    st.just(("task",)),
    lambda inner: st.one_of(
        st.tuples(st.just("seq"), st.lists(inner, min_size=2, max_size=3)),
        st.tuples(
            st.sampled_from(["exclusiveGateway", "parallelGateway", "inclusiveGateway"]),
            st.lists(inner, min_size=2, max_size=3),
        ),
    ),
    max_leaves=8,
)


class _Builder:
    """Builds the BPMN of a block tree; a loop's exit flow is named so its split can be set."""

    def __init__(self) -> None:
        self.nodes: list[tuple[str, str, str | None]] = []
        self.flows: list[tuple[str, ...]] = []
        self.gateways: dict[str, dict[str, float]] = {}
        self.ids = itertools.count(1)

    def build(self, block, probabilities) -> tuple[str, str]:
        """Add a block; return its (entry, exit) node ids."""
        kind = block[0]
        if kind == "task":
            n = next(self.ids)
            self.nodes.append((f"T{n}", "task", f"Task {n}"))
            return f"T{n}", f"T{n}"
        parts = [self.build(b, probabilities) for b in block[1]]
        if kind == "seq":
            for (_, a_exit), (b_entry, _) in itertools.pairwise(parts):
                self.flows.append((a_exit, b_entry))
            return parts[0][0], parts[-1][1]
        n = next(self.ids)
        if kind == "loop":  # rework: merge -> body -> "again?" split back to the merge
            merge, again, out = f"G{n}m", f"G{n}a", f"G{n}x"
            self.nodes += [(merge, "exclusiveGateway", None),
                           (again, "exclusiveGateway", f"Again {n}"),
                           (out, "exclusiveGateway", None)]
            (entry, exit_), = parts
            p_back = probabilities(st.floats(0.0, 0.6))
            self.flows += [(merge, entry), (exit_, again), (again, merge, f"back{n}"),
                           (again, out, f"on{n}")]
            self.gateways[f"Again {n}"] = {f"back{n}": p_back, f"on{n}": 1.0 - p_back}
            return merge, out
        split, join = f"G{n}s", f"G{n}j"
        self.nodes += [(split, kind, f"Split {n}"), (join, kind, None)]
        weights = probabilities(
            st.lists(st.floats(0.05, 1.0), min_size=len(parts), max_size=len(parts))
        )
        total = sum(weights)
        branch_p = {}
        for k, (entry, exit_) in enumerate(parts):
            label = f"b{n}_{k}"
            self.flows.append((split, entry, label))
            self.flows.append((exit_, join))
            branch_p[label] = (
                weights[k] / total if kind == "exclusiveGateway" else min(1.0, weights[k])
            )
        if kind == "exclusiveGateway":  # exact sum 1 after rounding
            last = list(branch_p)[-1]
            branch_p[last] = 1.0 - sum(v for k, v in branch_p.items() if k != last)
        if kind != "parallelGateway":
            self.gateways[f"Split {n}"] = branch_p
        return split, join


@st.composite
def models_and_scenarios(draw):
    b = _Builder()
    entry, exit_ = b.build(draw(blocks), draw)
    b.nodes = [("S", "startEvent", None), *b.nodes, ("E", "endEvent", None)]
    b.flows = [("S", entry), *b.flows, (exit_, "E")]
    n_pools = draw(st.integers(1, 3))
    pools = {f"pool{k}": {"count": draw(st.integers(1, 3))} for k in range(n_pools)}
    tasks = [name for _, tag, name in b.nodes if tag == "task"]
    activities = {
        t: {
            "resource": f"pool{draw(st.integers(0, n_pools - 1))}",
            "duration": draw(
                st.sampled_from(
                    [
                        {"exponential": {"mean": "20min"}},
                        {"triangular": ["5min", "10min", "40min"]},
                        "15min",
                        {"uniform": ["0min", "30min"]},
                    ]
                )
            ),
        }
        for t in tasks
    }
    scenario = {
        "start": "2024-01-01T00:00+00:00",
        "calendar": draw(st.sampled_from([None, "ru-5x8@Europe/Moscow"])),
        "arrivals": {
            "interarrival": {"exponential": {"mean": "20min"}},
            "cases": draw(st.integers(5, 60)),
        },
        "resources": pools,
        "activities": activities,
        "gateways": b.gateways,
    }
    return flow_model(b.nodes, b.flows), scenario, pools


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(models_and_scenarios(), st.integers(0, 2**31 - 1))
def test_random_models_keep_the_engine_invariants(case, seed):
    text, scenario, pools = case
    model = read_bpmn(text)
    result = simulate(scenario, model, seed=seed)
    log, cases = result.log, result.cases

    # every started case finishes (the run drains)
    assert len(cases) == scenario["arrivals"]["cases"]
    assert cases["end"].notna().all()

    # each row is time-ordered, and inside its case's life
    assert (log["enable_timestamp"] <= log["start_timestamp"]).all()
    assert (log["start_timestamp"] <= log["time:timestamp"]).all()
    life = cases.set_index("case:concept:name")
    case_ids = log["case:concept:name"].astype(str)
    assert (log["enable_timestamp"].to_numpy() >= life.loc[case_ids, "arrival"].to_numpy()).all()
    assert (log["time:timestamp"].to_numpy() <= life.loc[case_ids, "end"].to_numpy()).all()

    # no pool ever serves more than its capacity
    for role, rows in log.groupby("org:role", observed=True):
        events = pd.concat(
            [
                pd.DataFrame({"t": rows["start_timestamp"], "d": 1}),
                pd.DataFrame({"t": rows["time:timestamp"], "d": -1}),
            ]
        ).sort_values(["t", "d"], kind="stable")
        assert events["d"].cumsum().max() <= pools[role]["count"]

    # the same seed gives the same log
    again = simulate(scenario, model, seed=seed).log
    pd.testing.assert_frame_equal(log, again)


@settings(
    max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(models_and_scenarios())
def test_a_horizon_counts_unfinished_cases(case):
    text, scenario, _ = case
    model = read_bpmn(text)
    result = simulate(scenario, model, seed=1, until="2h")
    horizon = pd.Timestamp("2024-01-01T02:00+00:00")
    cases = result.cases
    assert (cases["arrival"] <= horizon).all()
    finished = cases["end"].notna()
    assert (cases.loc[finished, "end"] <= horizon).all()
    assert np.isnan(cases.loc[~finished, "lead_time"]).all()
