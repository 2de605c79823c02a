"""Binding scenarios to a model: name resolution, plans, and every kind of mistake."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

from leanproc.bpmn.model import ProcessModel
from leanproc.bpmn.reader import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.scenario import BoundScenario, Scenario
from leanproc.scenario.distributions import Discrete, Fixed, Rounded
from leanproc.scenario.plans import FrozenMap

FIXTURES = Path(__file__).parent / "fixtures" / "scenario"
H = 3600.0


@pytest.fixture(scope="module")
def model() -> ProcessModel:
    return read_bpmn(FIXTURES / "features.bpmn")


GOOD: dict[str, Any] = {
    "start": "2024-03-04T09:00+03:00",
    "arrivals": {"interarrival": {"exponential": {"mean": "1h"}}, "cases": 100},
    "case_attributes": {
        "amount": {"uniform": [1000, 5000]},
        "kind": {"discrete": {"urgent": 0.2, "normal": 0.8}},
    },
    "resources": {"clerk": {"count": 2}, "Back  Office": {"count": 1}, "manager": {"count": 1}},
    "defaults": {"duration": "10min"},
    "activities": {
        "T_mi2": {"instances": {"discrete": {2: 0.5, 3: 0.5}}},
        "  rework ": {"loop": {"probability": 0.3}},
    },
    "gateways": {
        "Route": {"quick": 0.5, "Archive": 0.9},
        "Approved?": {
            "conditions": {"yes": "amount <= 3000", "Escalate": "default", "no": "kind == urgent"}
        },
    },
    "events": {
        "Until decision": {"duration": "1d"},
        "Reply": {"after": {"exponential": {"mean": "1d"}}},
    },
}


def scenario(**changes: Any) -> dict[str, Any]:
    """GOOD with top-level keys replaced (None deletes a key)."""
    data = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def bind(data: dict[str, Any], model: ProcessModel) -> BoundScenario:
    return Scenario.load(data).bind(model)


def problems(data: dict[str, Any], model: ProcessModel) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        bind(data, model)
    return info.value.problems


def one_problem(data: dict[str, Any], model: ProcessModel, place: str) -> str:
    found = problems(data, model)
    assert len(found) == 1, found
    assert found[0].startswith(place + ": "), found[0]
    return found[0]


# ---- a good scenario ---------------------------------------------------------------------------


def test_good_scenario_binds(model: ProcessModel) -> None:
    b = bind(GOOD, model)
    assert str(b.start) == "2024-03-04 09:00:00+03:00"
    # every task and the opaque call activity; the subprocess only if mentioned
    assert set(b.activities) == {
        "T_check1",
        "T_check2",
        "T_archive",
        "T_mi",
        "T_mi2",
        "T_loop",
        "T_inner",
        "Call",
        "T_notify",
        "T_escalate",
        "T_o1",
        "T_o2",
    }
    assert b.activities["T_check1"].duration == Fixed(value=600.0, source="10min")
    assert b.activities["T_mi"].instances == 3  # the BPMN's loopCardinality
    assert isinstance(b.activities["T_mi2"].instances, Rounded)
    loop = b.activities["T_loop"]
    assert (loop.loop_probability, loop.loop_max) == (0.3, 4)  # max from loopMaximum
    assert set(b.gateways) == {"G_or", "G_x"}
    assert dict(b.gateways["G_or"].probabilities) == {"F_quick": 0.5, "F_arch": 0.9}
    gx = b.gateways["G_x"]
    assert list(gx.conditions) == ["F_yes", "F_no", "F_esc"]  # default last
    assert gx.default_flow == "F_esc"
    assert gx.conditions["F_yes"].holds({"amount": 2000.0})
    assert b.events["Timer_cool"].duration.mean() == 2 * H  # BPMN timeDuration PT2H
    assert b.events["Catch_noreply"].duration.mean() == 48 * H
    assert b.events["B_late"].duration.mean() == 24 * H
    assert b.events["Timer_decide"].duration.mean() == 24 * H  # the scenario's
    assert b.events["Catch_reply"].after.mean() == 24 * H
    assert isinstance(b.case_attributes["kind"], Discrete)
    assert b.arrivals.cases == 100 and b.arrivals.horizon_end is None
    assert b.calendar is None and b.arrivals.calendar is None


def test_pool_resolution_order(model: ProcessModel) -> None:
    b = bind(GOOD, model)
    acts = b.activities
    assert acts["T_check1"].pools == ("clerk",)  # lane "Clerk"
    assert acts["T_loop"].pools == ("Back  Office",)  # lane "Senior clerk" inside "Back office"
    assert acts["T_mi"].pools == ("manager",)
    assert acts["T_inner"].pools == ()  # no lane: a pure delay
    data = scenario(defaults={"duration": "10min", "resource": "manager"})
    data["activities"]["Archive"] = {"resource": ["clerk", "manager"]}
    data["activities"]["Escalate"] = {"resource": None}
    acts = bind(data, model).activities
    assert acts["T_check1"].pools == ("manager",)  # defaults.resource beats the lane
    assert acts["T_archive"].pools == ("clerk", "manager")  # alternatives
    assert acts["T_escalate"].pools == ()  # resource: null -> none


def test_names_ids_and_branches_resolve(model: ProcessModel) -> None:
    data = scenario()
    data["activities"] = {
        "T_mi2": {"instances": 2},
        "T_loop": {"loop": {"probability": 0.1}},
        "inner WORK": {"duration": "1h"},
        "T_check2": {"duration": "2h"},
    }
    data["gateways"] = {
        "G_or": {"F_quick": 0.2, "T_archive": 0.7},  # flow id; target id
        "G_x": {"yes": 0.5, "Notify rejection": 0.25, "F_esc": 0.25},  # flow name; target name
    }
    b = bind(data, model)
    assert b.activities["T_inner"].duration.mean() == H
    assert b.activities["T_check2"].duration.mean() == 2 * H
    assert dict(b.gateways["G_or"].probabilities) == {"F_quick": 0.2, "F_arch": 0.7}
    assert dict(b.gateways["G_x"].probabilities) == {"F_yes": 0.5, "F_no": 0.25, "F_esc": 0.25}


def test_subprocess_only_when_mentioned_and_no_default_duration(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Inner"] = {"wait": "1h"}
    b = bind(data, model)
    assert b.activities["Sub"].duration is None and b.activities["Sub"].wait.mean() == H


def test_by_resource_durations(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {
        "resource": ["clerk", "manager"],
        "duration": {"by_resource": {"clerk": "20min", "Manager": "5min"}},
    }
    plan = bind(data, model).activities["T_archive"]
    assert {k: d.mean() for k, d in plan.duration_by_pool.items()} == {
        "clerk": 1200,
        "manager": 300,
    }


def test_lean_tags_and_costs(model: ProcessModel) -> None:
    data = scenario(
        fixed_costs={"per_case": 120},
        targets={"lead_time.mean": "<= 2h", "approvals": 0},
        warmup="2d",
    )
    data["activities"]["Archive"] = {
        "value": "NVA",
        "approval": True,
        "client": "yes",
        "paper_documents": 3,
        "cost_per_execution": 15.5,
    }
    data["activities"]["Escalate"] = {"value": "value-adding"}
    data["activities"]["Notify rejection"] = {"value": "necessary"}
    b = bind(data, model)
    a = b.activities["T_archive"]
    assert (a.value, a.approval, a.client, a.paper_documents, a.cost_per_execution) == (
        "waste",
        True,
        True,
        3,
        15.5,
    )
    assert b.activities["T_escalate"].value == "value_adding"
    assert b.activities["T_notify"].value == "business"
    assert b.activities["T_check1"].value is None
    assert b.fixed_cost_per_case == 120 and b.warmup == 2 * 86400
    assert dict(b.targets) == {"lead_time.mean": "<= 2h", "approvals": "== 0"}


def test_plans_are_read_only_and_pickle(model: ProcessModel) -> None:
    b = bind(GOOD, model)
    with pytest.raises(TypeError):
        b.activities["x"] = None  # type: ignore[index]
    plans = pickle.loads(pickle.dumps((b.activities, b.gateways, b.events, b.case_attributes)))
    assert plans[0] == b.activities and isinstance(plans[0], FrozenMap)
    assert plans[1]["G_x"].conditions["F_no"].holds({"kind": "urgent"})


# ---- one test per kind of mistake ---------------------------------------------------------------


def test_unknown_element_suggests_close_names(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archve"] = {"duration": "1h"}
    msg = one_problem(data, model, "activities.Archve")
    assert "no activity with the id or name 'Archve'" in msg and "did you mean 'Archive'" in msg


def test_ambiguous_name_lists_the_ids(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["check"] = {"duration": "1h"}
    msg = one_problem(data, model, "activities.check")
    assert "ambiguous" in msg and "T_check1" in msg and "T_check2" in msg and "id" in msg


def test_activity_key_naming_a_gateway(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Route"] = {"duration": "1h"}
    msg = one_problem(data, model, "activities.Route")
    assert "is a gateway (inclusiveGateway), not an activity" in msg and "gateways:" in msg


def test_exclusive_probabilities_must_sum_to_one(model: ProcessModel) -> None:
    data = scenario(gateways={**GOOD["gateways"], "Approved?": {"yes": 0.5, "no": 0.3}})
    msg = one_problem(data, model, "gateways.Approved?")
    assert "sum to 0.8, not 1" in msg and "F_esc" in msg  # the unlabelled gap is named


def test_exclusive_sum_within_tolerance(model: ProcessModel) -> None:
    data = scenario(
        gateways={**GOOD["gateways"], "Approved?": {"yes": 0.1, "no": 0.2, "F_esc": 0.7000000001}}
    )
    assert bind(data, model).gateways["G_x"].probabilities["F_esc"] == pytest.approx(0.7)


def test_probability_outside_unit_interval(model: ProcessModel) -> None:
    data = scenario(gateways={**GOOD["gateways"], "Route": {"quick": 1.5, "Archive": 0.5}})
    with pytest.raises(ScenarioError) as info:
        Scenario.load(data)
    assert info.value.problems == [
        "gateways.Route.quick: a probability must be a number in [0, 1], got 1.5"
    ]


def test_split_without_probabilities_or_conditions(model: ProcessModel) -> None:
    data = scenario(gateways={"Approved?": GOOD["gateways"]["Approved?"]})
    msg = one_problem(data, model, "gateways.Route")
    assert "neither probabilities nor conditions" in msg and "quick" in msg


def test_unknown_branch_lists_the_flows(model: ProcessModel) -> None:
    data = scenario(gateways={**GOOD["gateways"], "Route": {"fast": 0.5, "Archive": 0.5}})
    msg = one_problem(data, model, "gateways.Route.fast")
    assert "no outgoing flow named 'fast'" in msg and "'quick' (F_quick" in msg


def test_reachable_task_without_duration(model: ProcessModel) -> None:
    data = scenario(defaults=None)
    found = problems(data, model)
    places = {p.split(": ")[0] for p in found}
    assert "activities.Archive" in places and "activities.External" in places
    assert not any("Orphan" in p for p in found)  # unreachable tasks need no duration
    assert all("no duration and there is no default" in p for p in found)


def test_timer_without_duration(model: ProcessModel) -> None:
    data = scenario(events={"Reply": GOOD["events"]["Reply"]})
    msg = one_problem(data, model, "events.Until decision")
    assert "'${delay}' is not an ISO 8601 duration" in msg and "duration: 3d" in msg


def test_resource_not_defined(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {"resource": "archivist"}
    msg = one_problem(data, model, "activities.Archive.resource")
    assert "'archivist' is not defined under resources:" in msg and "clerk" in msg


def test_pool_of_count_zero_that_a_task_needs(model: ProcessModel) -> None:
    data = scenario(resources={**GOOD["resources"], "clerk": {"count": 0}})
    msg = one_problem(data, model, "resources.clerk.count")
    assert msg.startswith(
        "resources.clerk.count: is 0, but 'Check' (T_check1), 'Check' "
        "(T_check2), 'Archive' (T_archive) need this pool"
    )
    assert "give it at least 1" in msg
    data["activities"]["Archive"] = {"resource": ["clerk", "manager"]}  # an alternative
    data["activities"]["T_check1"] = {"resource": "manager"}
    data["activities"]["T_check2"] = {"resource": "manager"}
    assert bind(data, model).pools["clerk"].count == 0


def test_pool_without_count(model: ProcessModel) -> None:
    data = scenario(resources={**GOOD["resources"], "manager": {"cost_per_hour": 500}})
    msg = one_problem(data, model, "resources.manager.count")
    assert "missing" in msg and "Sign copies" in msg


def test_unused_pool_of_count_zero_is_fine(model: ProcessModel) -> None:
    data = scenario(resources={**GOOD["resources"], "courier": {"count": 0}})
    assert bind(data, model).pools["courier"].count == 0


def test_negative_times(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {"duration": "-5min"}
    with pytest.raises(ScenarioError, match=r"^activities\.Archive\.duration: negative duration"):
        Scenario.load(data)


@pytest.mark.parametrize(
    ("arrivals", "fragment"),
    [
        ({"cases": 10}, "give interarrival (a distribution), rate"),
        ({"interarrival": "1h"}, "unbounded"),
        ({"rate": {"base": "2/hour"}}, "unbounded"),
        ({"interarrival": "1h", "cases": 3, "times": ["2024-03-04T10:00+03:00"]},
         "not interarrival and times"),
        ({"interarrival": "1h", "rate": {"base": "2/hour"}, "cases": 3},
         "not interarrival and rate"),
    ],
)
def test_arrival_mistakes(model: ProcessModel, arrivals: dict, fragment: str) -> None:
    msg = one_problem(scenario(arrivals=arrivals), model, "arrivals")
    assert fragment in msg


def test_missing_arrivals(model: ProcessModel) -> None:
    assert "missing" in one_problem(scenario(arrivals=None), model, "arrivals")


def test_unknown_calendar_names(model: ProcessModel) -> None:
    msg = one_problem(scenario(calendar="ru-5x9"), model, "calendar")
    assert "unknown calendar 'ru-5x9'" in msg and "did you mean 'ru-5x8'" in msg
    data = scenario(
        calendars={"front-office": {"preset": "5x8"}},
        resources={**GOOD["resources"], "clerk": {"count": 1, "calendar": "front"}},
    )
    msg = one_problem(data, model, "resources.clerk.calendar")
    assert "'front-office'" in msg


def test_bad_named_calendar(model: ProcessModel) -> None:
    data = scenario(calendars={"odd": {"hours": {"mon": ["9-18"]}}})
    assert "clock time" in one_problem(data, model, "calendars.odd")


def test_condition_on_an_undefined_attribute(model: ProcessModel) -> None:
    data = scenario(
        gateways={
            **GOOD["gateways"],
            "Approved?": {"conditions": {"yes": "amout > 3000", "no": "default"}},
        }
    )
    msg = one_problem(data, model, "gateways.Approved?.conditions.yes")
    assert "'amout'" in msg and "did you mean 'amount'" in msg


def test_condition_value_not_among_the_labels(model: ProcessModel) -> None:
    data = scenario(
        gateways={
            **GOOD["gateways"],
            "Approved?": {"conditions": {"yes": "kind == urgnet", "no": "default"}},
        }
    )
    assert "did you mean 'urgent'" in one_problem(data, model, "gateways.Approved?.conditions.yes")


def test_instances_and_loops_must_match_the_markers(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {"instances": 2, "loop": {"probability": 0.5}}
    found = problems(data, model)
    assert [p.split(": ")[0] for p in found] == [
        "activities.Archive.instances",
        "activities.Archive.loop",
    ]
    data = scenario(activities={})
    found = problems(data, model)
    assert [p.split(": ")[0] for p in found] == ["activities.Notify parties", "activities.Rework"]
    assert "multi-instance" in found[0] and "standard loop" in found[1]


def test_endless_loop_is_refused(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["  rework "] = {"loop": {"probability": 1}}
    with pytest.raises(ScenarioError, match="repeats forever"):
        Scenario.load(data)


def test_event_data_must_fit_the_event(model: ProcessModel) -> None:
    data = scenario(
        events={
            **GOOD["events"],
            "Reply": {"duration": "1h", "probability": 0.5},
            "Done": {"after": "1h"},
        }
    )
    found = problems(data, model)
    assert [p.split(": ")[0] for p in found] == [
        "events.Reply.duration",
        "events.Reply.probability",
        "events.Done",
    ]


def test_working_time_needs_a_calendar(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {"duration": "1wd"}
    msg = one_problem(data, model, "activities.Archive.duration")
    assert "no calendar" in msg and "calendar: ru-5x8" in msg
    data["calendar"] = "5x8"
    assert bind(data, model).activities["T_archive"].duration.working


def test_working_days_follow_the_calendar_day_length(model: ProcessModel) -> None:
    nine = {"hours": {"mon-fri": ["09:00-18:00"]}}  # a 9-hour working day
    data = scenario(
        calendar="5x8",
        calendars={"long": nine},
        resources={**GOOD["resources"], "clerk": {"count": 1, "calendar": "long"}},
    )
    data["activities"]["Archive"] = {"duration": "1wd", "wait": "1wd"}
    plan = bind(data, model).activities["T_archive"]
    assert plan.duration.mean() == 9 * H  # the clerk's calendar
    assert plan.wait.mean() == 8 * H  # waits run on the default calendar


def test_missing_start(model: ProcessModel) -> None:
    assert "missing" in one_problem(scenario(start=None), model, "start")


def test_all_problems_are_listed_at_once(model: ProcessModel) -> None:
    data = scenario(
        calendar="ru-5x9", gateways={**GOOD["gateways"], "Approved?": {"yes": 0.5, "no": 0.3}}
    )
    data["activities"]["Archve"] = {"duration": "1h"}
    data["activities"]["Archive"] = {"resource": "archivist"}
    with pytest.raises(ScenarioError) as info:
        bind(data, model)
    assert len(info.value.problems) == 4
    text = str(info.value)
    assert "4 problems:" in text
    lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert [line.split(": ")[0] for line in lines] == [
        "  - calendar",
        "  - activities.Archve",
        "  - activities.Archive.resource",
        "  - gateways.Approved?",
    ]


def test_load_problems_are_listed_at_once() -> None:
    data = scenario(warmup="1wd", arrivals={"interarrival": "1h", "cases": 0})
    data["activities"]["Archive"] = {"duraton": "1h", "value": "useful", "paper_documents": -1}
    data["resources"]["clerk"] = {"count": 1.5}
    data["resources"]["manager"] = {"count": 1, "cost_per_hour": 500, "monthly_salary": 9e4}
    with pytest.raises(ScenarioError) as info:
        Scenario.load(data)
    places = sorted(p.split(": ")[0] for p in info.value.problems)
    assert places == [
        "activities.Archive.duraton",
        "activities.Archive.paper_documents",
        "activities.Archive.value",
        "arrivals.cases",
        "resources.clerk.count",
        "resources.manager",
        "warmup",
    ]
    assert any("did you mean 'duration'" in p for p in info.value.problems)


def test_duplicate_entries_for_one_element(model: ProcessModel) -> None:
    data = scenario()
    data["activities"]["Archive"] = {"duration": "1h"}
    data["activities"]["T_archive"] = {"duration": "2h"}
    assert "merge" in one_problem(data, model, "activities.T_archive")


def test_boundary_event_without_firing_probability() -> None:
    taxi = read_bpmn(FIXTURES / "taxi-permit.bpmn")
    data = Scenario.load(FIXTURES / "taxi-permit.yaml").model_dump()
    del data["events"]
    msg = one_problem(data, taxi, "events.Applicant withdraws")
    assert "boundary message event" in msg and "probability: 0.1" in msg


def test_timer_entry_without_duration_keeps_the_bpmn_duration(model: ProcessModel) -> None:
    data = scenario(events={**GOOD["events"], "Cool down": {}})
    assert bind(data, model).events["Timer_cool"].duration.mean() == 2 * H
