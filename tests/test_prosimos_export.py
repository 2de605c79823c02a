"""Export of leanproc scenarios to Prosimos parameters, and the export -> import round trip."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from leanproc.bpmn.reader import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.interop import ProsimosWarning, from_prosimos, to_prosimos
from leanproc.scenario.spec import Scenario

FIX = Path(__file__).parent / "fixtures" / "prosimos"
MODEL = read_bpmn(FIX / "small.bpmn")

SCENARIO = {
    "start": "2024-01-01T00:00:00+00:00",
    "calendars": {"office": {"hours": {"mon-fri": ["09:00-13:00", "14:00-18:00"]}}},
    "arrivals": {"interarrival": {"exponential": {"mean": "30min"}}, "cases": 100},
    "resources": {
        "clerk": {"count": 3, "calendar": "office", "cost_per_hour": 20},
        "senior": {"count": 1, "cost_per_hour": 50},
    },
    "activities": {
        "Register application": {"resource": "clerk", "duration": {"uniform": ["5min", "15min"]}},
        "Check application": {"resource": ["clerk", "senior"], "duration": {"by_resource": {
            "clerk": {"lognormal": {"mean": "20min", "sd": "10min"}},
            "senior": {"normal": {"mean": "15min", "sd": "5min"}, "min": "5min",
                       "max": "25min"}}}},
        "Request documents": {"resource": "clerk", "duration": "10min"},
        "Approve": {"resource": "senior", "duration": {"gamma": {"mean": "20min", "sd": "10min"}}},
    },
    "gateways": {"Complete?": {"yes": 0.8, "no": 0.2}},
    "events": {"Wait for documents": {"duration": "1h"}},
}


def _export(data=SCENARIO):
    return to_prosimos(Scenario.load(data).bind(MODEL))


def test_export_shape():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProsimosWarning)  # exact: nothing to warn about
        out = _export()
    json.dumps(out)  # JSON-ready
    profiles = {p["id"]: p["resource_list"][0] for p in out["resource_profiles"]}
    assert profiles["clerk"]["amount"] == 3 and profiles["clerk"]["calendar"] == "office"
    assert profiles["senior"]["calendar"] == "24x7" and profiles["senior"]["cost_per_hour"] == 50
    cals = {c["id"]: c["time_periods"] for c in out["resource_calendars"]}
    assert cals["office"] == [
        {"from": "MONDAY", "to": "FRIDAY", "beginTime": "09:00:00", "endTime": "13:00:00"},
        {"from": "MONDAY", "to": "FRIDAY", "beginTime": "14:00:00", "endTime": "18:00:00"}]
    assert cals["24x7"] == [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00",
                             "endTime": "23:59:59.999"}]
    tasks = {t["task_id"]: {r["resource_id"]: r for r in t["resources"]}
             for t in out["task_resource_distribution"]}
    gamma = tasks["approve"]["senior"]
    assert gamma["distribution_name"] == "gamma"
    assert [p["value"] for p in gamma["distribution_params"][:2]] == pytest.approx([1200, 360000])
    norm = tasks["check"]["senior"]["distribution_params"]
    assert [p["value"] for p in norm] == pytest.approx([900, 300, 300, 1500])
    assert out["gateway_branching_probabilities"] == [{"gateway_id": "complete", "probabilities": [
        {"path_id": "f_ok", "value": 0.8}, {"path_id": "f_more", "value": 0.2}]}]
    assert out["event_distribution"] == [{"event_id": "wait_docs", "distribution_name": "fix",
                                          "distribution_params": [{"value": 3600.0}]}]


def test_round_trip_keeps_pools_calendars_laws_and_branching():
    original = Scenario.load(SCENARIO).bind(MODEL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProsimosWarning)
        back = from_prosimos(to_prosimos(original), MODEL, cases=100).bind(MODEL)
    assert {n: p.count for n, p in back.pools.items()} == {"clerk": 3, "senior": 1}
    assert back.pools["clerk"].calendar.working_hours(2024) == pytest.approx(
        original.pools["clerk"].calendar.working_hours(2024))
    assert back.pools["senior"].calendar is None
    assert back.pools["senior"].spec.cost_per_hour == 50
    for nid, plan in original.activities.items():
        other = back.activities[nid]
        assert other.pools == plan.pools
        for pool in plan.pools:
            a = plan.duration_by_pool.get(pool) or plan.duration
            b = other.duration_by_pool.get(pool) or other.duration
            assert type(b) is type(a)
            assert b.mean() == pytest.approx(a.mean(), rel=1e-6)
    assert dict(back.gateways["complete"].probabilities) == pytest.approx({"f_ok": 0.8,
                                                                          "f_more": 0.2})
    assert back.events["wait_docs"].duration.mean() == 3600
    assert back.arrivals.interarrival.mean() == pytest.approx(1800)
    assert back.arrivals.calendar is None


def test_what_does_not_map_is_reported():
    data = json.loads(json.dumps(SCENARIO))
    data["activities"]["Approve"]["wait"] = "1h"
    data["activities"]["Request documents"] = {"resource": [], "duration": {
        "triangular": ["5min", "10min", "20min"]}}
    data["fixed_costs"] = {"per_case": 100}
    with pytest.warns(ProsimosWarning) as caught:
        out = _export(data)
    text = str(caught[0].message)
    assert "activities.approve.wait: Prosimos has no wait" in text
    assert "holds no resource" in text and "no triangular law" in text
    assert "fixed_costs.per_case" in text
    stand_in = [p for p in out["resource_profiles"] if p["id"].startswith("unlimited")]
    assert stand_in and stand_in[0]["resource_list"][0]["assigned_tasks"] == ["request"]


def test_fixed_arrival_times_cannot_be_exported():
    data = json.loads(json.dumps(SCENARIO))
    data["arrivals"] = {"times": ["2024-01-01T09:00+00:00", "2024-01-01T10:00+00:00"]}
    with pytest.raises(ScenarioError, match=r"arrivals\.times"):
        _export(data)
