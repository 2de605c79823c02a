"""Interleaved parallel blocks (`gateways: {<split>: {interleave: true}}`): within one case the
block's activities work one at a time, so with fixed durations and free resources a case takes
the sum of its branches where the plain block takes the longest."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.bpmn_text import flow_model
from leanproc.bpmn import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.scenario.writing import scenario_yaml
from leanproc.simulation.run import simulate

START = "2024-01-01T00:00+00:00"
BLOCK = [("S", "startEvent", None), ("F", "parallelGateway", "split"),
         ("A", "task", "A"), ("B", "task", "B"), ("J", "parallelGateway", "join"),
         ("E", "endEvent", None)]
BLOCK_FLOWS = [("S", "F"), ("F", "A"), ("F", "B"), ("A", "J"), ("B", "J"), ("J", "E")]


def _scenario(gateways: dict, cases: int = 5, every: str = "1d", **activities: str) -> dict:
    # one unit per task and a day between arrivals: no case ever queues for a resource
    return {"start": START, "arrivals": {"interarrival": every, "cases": cases},
            "resources": {name: {"count": 1} for name in activities},
            "activities": {name: {"duration": d, "resource": name}
                           for name, d in activities.items()},
            "gateways": gateways}


def _lead_hours(result) -> pd.Series:
    cases = result.cases
    return cases.set_index("case:concept:name")["lead_time"] / 3600


def test_an_interleaved_block_takes_the_sum_of_its_branches_a_plain_one_the_longest():
    model = read_bpmn(flow_model(BLOCK, BLOCK_FLOWS))
    plain = simulate(_scenario({}, A="1h", B="3h"), model, seed=1)
    woven = simulate(_scenario({"split": {"interleave": True}}, A="1h", B="3h"), model, seed=1)
    assert _lead_hours(plain).tolist() == pytest.approx([3.0] * 5)
    assert _lead_hours(woven).tolist() == pytest.approx([4.0] * 5)
    # the two tasks of a case never overlap
    log = woven.log.sort_values(["case:concept:name", "start_timestamp"])
    for _, rows in log.groupby("case:concept:name"):
        assert rows["start_timestamp"].iloc[1] >= rows["time:timestamp"].iloc[0]


def test_the_branches_of_an_interleaved_block_come_in_any_order():
    model = read_bpmn(flow_model(BLOCK, BLOCK_FLOWS))
    result = simulate(_scenario({"split": {"interleave": True}}, cases=20, A="1h", B="3h"),
                      model, seed=1)
    log = result.log.sort_values(["case:concept:name", "start_timestamp"])
    firsts = log.groupby("case:concept:name")["concept:name"].first()
    # each case draws which waiting branch goes first: both orders among 20 cases (a fixed
    # order would give 20 times the same; by chance that happens with probability 2 / 2**20)
    assert set(firsts) == {"A", "B"}
    again = simulate(_scenario({"split": {"interleave": True}}, cases=20, A="1h", B="3h"),
                     model, seed=1)
    assert again.log.to_csv() == result.log.to_csv()


def test_the_hands_are_taken_before_the_wait_so_a_branch_s_wait_is_not_overlapped():
    # waits are calibrated from the previous completion in the case: A's 2 h wait follows B's
    # work (or B follows A's wait and work), either order 2 + 1 + 3 = 6 h
    model = read_bpmn(flow_model(BLOCK, BLOCK_FLOWS))
    spec = _scenario({"split": {"interleave": True}}, A="1h", B="3h")
    spec["activities"]["A"]["wait"] = "2h"
    assert _lead_hours(simulate(spec, model, seed=1)).tolist() == pytest.approx([6.0] * 5)


def test_a_loop_around_the_block_interleaves_each_pass():
    nodes = [("S", "startEvent", None), ("M", "exclusiveGateway", None), *BLOCK[1:5],
             ("Q", "exclusiveGateway", "again?"), ("E", "endEvent", None)]
    flows = [("S", "M"), ("M", "F"), ("F", "A"), ("F", "B"), ("A", "J"), ("B", "J"),
             ("J", "Q"), ("Q", "M", "yes"), ("Q", "E", "no")]
    model = read_bpmn(flow_model(nodes, flows))
    spec = _scenario({"split": {"interleave": True}, "again?": {"yes": 0.5, "no": 0.5}},
                     cases=30, every="30d", A="1h", B="3h")  # cases never meet
    result = simulate(spec, model, seed=3)
    passes = result.log[result.log["concept:name"] == "A"].groupby("case:concept:name").size()
    assert passes.max() > 1  # the loop was taken (else the test shows nothing)
    # each pass: 1 + 3 h one after the other
    lead = _lead_hours(result)
    assert lead.to_dict() == pytest.approx((passes * 4.0).to_dict())


def test_an_interleaved_outer_block_works_its_inner_block_one_task_at_a_time_too():
    nodes = [("S", "startEvent", None), ("F", "parallelGateway", "outer"),
             ("A", "task", "A"), ("G", "parallelGateway", "inner"), ("B", "task", "B"),
             ("C", "task", "C"), ("H", "parallelGateway", None),
             ("J", "parallelGateway", None), ("E", "endEvent", None)]
    flows = [("S", "F"), ("F", "A"), ("F", "G"), ("G", "B"), ("G", "C"), ("B", "H"),
             ("C", "H"), ("A", "J"), ("H", "J"), ("J", "E")]
    model = read_bpmn(flow_model(nodes, flows))
    durations = {"A": "1h", "B": "2h", "C": "4h"}
    both = simulate(_scenario({"outer": {"interleave": True}, "inner": {"interleave": True}},
                              **durations), model, seed=1)
    outer = simulate(_scenario({"outer": {"interleave": True}}, **durations), model, seed=1)
    inner = simulate(_scenario({"inner": {"interleave": True}}, **durations), model, seed=1)
    assert _lead_hours(both).tolist() == pytest.approx([7.0] * 5)  # 1 + 2 + 4
    assert _lead_hours(outer).tolist() == pytest.approx([7.0] * 5)
    assert _lead_hours(inner).tolist() == pytest.approx([6.0] * 5)  # max(1, 2 + 4)


def test_an_inclusive_block_and_a_subprocess_branch_are_interleaved():
    sub = ('<startEvent id="s2"/><task id="X" name="X"/><endEvent id="e2"/>'
           '<sequenceFlow id="g1" sourceRef="s2" targetRef="X"/>'
           '<sequenceFlow id="g2" sourceRef="X" targetRef="e2"/>')
    nodes = [("S", "startEvent", None), ("F", "inclusiveGateway", "split"),
             ("A", "subProcess", "Sub"), ("B", "task", "B"),
             ("J", "inclusiveGateway", "join"), ("E", "endEvent", None)]
    model = read_bpmn(flow_model(nodes, BLOCK_FLOWS, extra={"A": sub}))
    spec = _scenario({"split": {"A": 1.0, "B": 1.0, "interleave": True}}, X="2h", B="1h")
    # the subprocess holds the hands while its task works: 2 + 1 h
    assert _lead_hours(simulate(spec, model, seed=1)).tolist() == pytest.approx([3.0] * 5)


# ---- the scenario entry ----------------------------------------------------------------------
def _problems(spec: dict, nodes=BLOCK, flows=BLOCK_FLOWS) -> str:
    with pytest.raises(ScenarioError) as caught:
        simulate(spec, read_bpmn(flow_model(nodes, flows)), seed=1)
    return str(caught.value)


def test_interleave_on_an_exclusive_gateway_is_refused_naming_it():
    nodes = [(i, "exclusiveGateway" if i in "FJ" else t, n) for i, t, n in BLOCK]
    text = _problems(_scenario({"split": {"A": 0.5, "B": 0.5, "interleave": True}},
                               A="1h", B="1h"), nodes)
    assert "gateways.split.interleave" in text and "parallel and inclusive" in text


def test_a_split_without_a_matching_join_cannot_be_interleaved():
    nodes = [*BLOCK[:4], ("E", "endEvent", None), ("E2", "endEvent", None)]
    flows = [("S", "F"), ("F", "A"), ("F", "B"), ("A", "E"), ("B", "E2")]
    text = _problems(_scenario({"split": {"interleave": True}}, A="1h", B="1h"), nodes, flows)
    assert "no matching" in text and "remove interleave" in text


def test_interleave_must_be_true_or_false_and_an_inclusive_split_still_needs_its_chances():
    assert "true or false" in _problems(_scenario({"split": {"interleave": "yes"}},
                                                  A="1h", B="1h"))
    nodes = [(i, "inclusiveGateway" if i in "FJ" else t, n) for i, t, n in BLOCK]
    text = _problems(_scenario({"split": {"interleave": True}}, A="1h", B="1h"), nodes)
    assert "neither probabilities nor conditions" in text


def test_interleave_survives_writing_the_scenario():
    import yaml

    from leanproc.inputs import as_scenario

    scenario = as_scenario(_scenario({"split": {"interleave": True}}, A="1h", B="3h"),
                           caller="test")
    text = scenario_yaml(scenario)
    assert "interleave: true" in text
    again = as_scenario(yaml.safe_load(text), caller="test")
    assert again.gateways["split"].interleave is True
    assert again.gateways == scenario.gateways


def test_a_boundary_event_frees_the_hands_and_its_path_stays_in_the_block():
    # A (5 h) is cut off by its timer after 1 h; the escalation (2 h) it leads to is part of
    # the block, so B (3 h) runs before or after it, never beside: 1 + 2 + 3 = 6 h
    nodes = [*BLOCK[:5], ("E", "endEvent", None), ("T", "boundaryEvent:A", "late"),
             ("X", "task", "Escalate"), ("M", "exclusiveGateway", None)]
    flows = [("S", "F"), ("F", "A"), ("F", "B"), ("A", "M"), ("T", "X"), ("X", "M"),
             ("M", "J"), ("B", "J"), ("J", "E")]
    timer = '<timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>'
    model = read_bpmn(flow_model(nodes, flows, extra={"T": timer}))
    spec = _scenario({"split": {"interleave": True}}, A="5h", B="3h", Escalate="2h")
    result = simulate(spec, model, seed=1)
    assert _lead_hours(result).tolist() == pytest.approx([6.0] * 5)
    assert (result.log["concept:name"] == "Escalate").sum() == 5


def test_a_block_inside_a_subprocess_is_interleaved_within_the_subprocess_run():
    inner = ('<startEvent id="s2"/><parallelGateway id="F" name="split"/>'
             '<task id="A" name="A"/><task id="B" name="B"/><parallelGateway id="J"/>'
             '<endEvent id="e2"/>'
             + "".join(f'<sequenceFlow id="g{i}" sourceRef="{a}" targetRef="{b}"/>'
                       for i, (a, b) in enumerate([("s2", "F"), ("F", "A"), ("F", "B"),
                                                   ("A", "J"), ("B", "J"), ("J", "e2")])))
    model = read_bpmn(flow_model([("S", "startEvent", None), ("Sub", "subProcess", "Sub"),
                                  ("E", "endEvent", None)], [("S", "Sub"), ("Sub", "E")],
                                 extra={"Sub": inner}))
    result = simulate(_scenario({"split": {"interleave": True}}, A="1h", B="3h"), model, seed=1)
    assert _lead_hours(result).tolist() == pytest.approx([4.0] * 5)
