"""The binder checks the data the model itself carries (repetition markers of subprocesses,
timer instants) for the elements a token can reach, and the compiler no longer repeats it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from helpers.bpmn_text import flow_model
from leanproc.bpmn.model import ProcessModel
from leanproc.bpmn.reader import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.scenario import Scenario
from leanproc.simulation.run import simulate

START = "2024-03-04T09:00+03:00"
TIMER_AT = ("<timerEventDefinition><timeDate>{}</timeDate></timerEventDefinition>")


def base(**changes: Any) -> dict[str, Any]:
    """A scenario of three cases an hour apart; keys given replace its own (None drops one)."""
    data = {"start": START, "arrivals": {"interarrival": "1h", "cases": 3},
            "defaults": {"duration": "10min"}, **changes}
    return {k: v for k, v in data.items() if v is not None}


def subprocess_model(marker: str, *, reachable: bool) -> ProcessModel:
    """start -> Check -> end, and a subprocess "Inner" (one task inside) carrying `marker`,
    on the path when `reachable`, else in a cycle with a task "Orphan" that no token enters."""
    inner = ('<startEvent id="IS"/><task id="IT" name="Inner task"/><endEvent id="IE"/>'
             '<sequenceFlow id="IF1" sourceRef="IS" targetRef="IT"/>'
             '<sequenceFlow id="IF2" sourceRef="IT" targetRef="IE"/>')
    nodes = [("S", "startEvent", None), ("C", "task", "Check"), ("Sub", "subProcess", "Inner"),
             ("E", "endEvent", None)]
    if reachable:
        flows = [("S", "C"), ("C", "Sub"), ("Sub", "E")]
    else:
        nodes.append(("O", "task", "Orphan"))
        flows = [("S", "C"), ("C", "E"), ("O", "Sub"), ("Sub", "O")]
    return read_bpmn(flow_model(nodes, flows, extra={"Sub": marker + inner}))


MI_NO_COUNT = ("<multiInstanceLoopCharacteristics><loopCardinality>${n}</loopCardinality>"
               "</multiInstanceLoopCharacteristics>")
LOOP = "<standardLoopCharacteristics/>"


def problems(data: dict[str, Any], model: ProcessModel) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        Scenario.load(data).bind(model)
    return info.value.problems


def test_reachable_multi_instance_subprocess_needs_a_count() -> None:
    found = problems(base(), subprocess_model(MI_NO_COUNT, reachable=True))
    assert len(found) == 1, found
    assert found[0].startswith("activities.Inner: ")
    assert "multi-instance" in found[0] and "activities.Inner.instances" in found[0]


def test_reachable_looping_subprocess_needs_a_chance_to_repeat() -> None:
    found = problems(base(), subprocess_model(LOOP, reachable=True))
    assert len(found) == 1, found
    assert found[0].startswith("activities.Inner: ") and "standard loop" in found[0]


def test_subprocess_markers_bind_once_given() -> None:
    model = subprocess_model(MI_NO_COUNT, reachable=True)
    bound = Scenario.load(base(activities={"Inner": {"instances": 2}})).bind(model)
    assert bound.activities["Sub"].instances == 2
    model = subprocess_model(LOOP, reachable=True)
    bound = Scenario.load(base(activities={"Inner": {"loop": {"probability": 0.5}}})).bind(model)
    assert bound.activities["Sub"].loop_probability == 0.5


@pytest.mark.parametrize("marker", [MI_NO_COUNT, LOOP])
def test_unreachable_subprocess_markers_need_nothing_and_it_simulates(marker: str) -> None:
    model = subprocess_model(marker, reachable=False)
    result = simulate(base(defaults=None, activities={"Check": {"duration": "10min"}}), model,
                      seed=1)
    # every case runs Check and nothing of the unreachable subprocess
    assert set(result.log["concept:name"]) == {"Check"}
    assert len(result.log) == 3


def timer_model(date: str) -> ProcessModel:
    return read_bpmn(flow_model(
        [("S", "startEvent", None), ("T", "intermediateCatchEvent", "Until noon"),
         ("A", "task", "Act"), ("E", "endEvent", None)],
        [("S", "T"), ("T", "A"), ("A", "E")],
        extra={"T": TIMER_AT.format(date)},
    ))


def test_timer_date_that_is_not_an_instant_is_reported() -> None:
    found = problems(base(), timer_model("${deadline}"))
    assert len(found) == 1, found
    assert found[0].startswith("events.Until noon: ")
    assert "timeDate '${deadline}' is not an instant" in found[0]


def test_timer_date_is_read_in_the_scenario_zone_and_waited_for() -> None:
    bound = Scenario.load(base()).bind(timer_model("2024-03-04T12:00"))
    at = bound.events["T"].at
    assert at == pd.Timestamp("2024-03-04T12:00+03:00")  # naive: the start's offset
    result = simulate(bound, seed=1)
    # arrivals at 09:00, 10:00, 11:00 all wait until 12:00, then work 10 minutes
    starts = pd.to_datetime(result.log["start_timestamp"])
    assert (starts == at).all()
