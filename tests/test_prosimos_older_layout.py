"""Import of the older Prosimos layout: sections keyed by id, laws as plain numbers (Prosimos 1.x
and the JSON its tool made from QBP / BIMP simulation data)."""

from __future__ import annotations

import json
import math
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from helpers.bpmn_text import flow_model
from leanproc.interop import ProsimosWarning, from_prosimos
from leanproc.scenario.distributions import Exponential, Fixed, Gamma, LogNormal, Normal, Uniform

CORPUS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "bpmn" / "other"
          / "AutomatedProcessImprovement+Prosimos" / "testing_scripts" / "assets")
WEEKDAYS = [{"from": "MONDAY", "to": "FRIDAY", "beginTime": "09:00:00.000",
             "endTime": "17:00:00.000"}]
ALWAYS = [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00.000",
           "endTime": "23:59:59.999"}]


def _model(folder: Path) -> Path:
    path = folder / "small.bpmn"
    path.write_text(flow_model(
        [("start", "startEvent", "Received"), ("register", "task", "Register"),
         ("complete", "exclusiveGateway", "Complete?"), ("check", "task", "Check"),
         ("request", "task", "Request documents"), ("merge", "exclusiveGateway", None),
         ("approve", "task", "Approve"), ("end", "endEvent", "Sent")],
        [("start", "register"), ("register", "complete"), ("complete", "check", "yes"),
         ("complete", "request", "no"), ("check", "merge"), ("request", "merge"),
         ("merge", "approve"), ("approve", "end")]), encoding="utf-8")
    return path


def _law(name: str, *params: float) -> dict[str, Any]:
    return {"distribution_name": name, "distribution_params": list(params)}


def _clerks(law: dict[str, Any]) -> dict[str, Any]:
    return {"clerk_1": law, "clerk_2": law}


OLDER = {
    "arrival_time_distribution": _law("expon", 1800.0, 1),
    "arrival_time_calendar": WEEKDAYS,
    "gateway_branching_probabilities": {"complete": {"F2": "0.7", "F3": "0.3"}},
    "task_resource_distribution": {
        "register": _clerks(_law("norm", 600.0, 120.0)),
        "check": _clerks(_law("uniform", 240.0, 540.0, 0, 1)),
        "request": _clerks(_law("gamma", 1200.0, 360000.0, 0, 1)),
        "approve": {"head_1": _law("fix", 300.0, 0, 1)},
    },
    "resource_calendars": {"clerk_1": WEEKDAYS, "clerk_2": WEEKDAYS, "head_1": ALWAYS},
}


def _import(params: Any, model: Path, **kw: Any) -> tuple[Any, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProsimosWarning)
        scenario = from_prosimos(params, model, **kw)
    return scenario, "\n".join(str(w.message) for w in caught)


def test_a_small_file_in_the_older_layout(tmp_path: Path) -> None:
    params = tmp_path / "older.json"
    params.write_text(json.dumps(OLDER), encoding="utf-8")
    scenario, notes = _import(params, _model(tmp_path), cases=20)
    # the two numbered clerks share tasks, laws and hours: one pool of two
    assert scenario.resources["clerk"].count == 2
    assert scenario.resources["clerk"].cost_per_hour == 0 and "cost_per_hour 0" in notes
    acts = scenario.activities
    assert acts["register"].duration == Normal(mu=600.0, sd=120.0)
    assert acts["check"].duration == Uniform(low=240.0, high=540.0)
    request = acts["request"].duration
    assert isinstance(request, Gamma)
    assert request.mean() == pytest.approx(1200.0)  # BIMP's gamma: mean and variance
    assert request.shape * request.scale**2 == pytest.approx(360000.0)
    assert acts["approve"].duration == Fixed(value=300.0)
    assert acts["approve"].resource == ["head_1"]
    assert scenario.gateways["complete"].probabilities == {"F2": 0.7, "F3": 0.3}
    assert scenario.arrivals is not None
    assert scenario.arrivals.interarrival == Exponential(mean_value=1800.0)
    assert "older Prosimos layout" in notes
    scenario.bind()


def test_laws_other_than_the_qbp_forms_are_scipy_arguments(tmp_path: Path) -> None:
    data = json.loads(json.dumps(OLDER))
    # scipy.stats.lognorm(s=0.5, loc=0, scale=600), as Prosimos 1.x sampled it
    data["task_resource_distribution"]["check"] = _clerks(_law("lognorm", 0.5, 0.0, 600.0))
    scenario, _ = _import(data, _model(tmp_path), cases=20)
    check = scenario.activities["check"].duration
    assert isinstance(check, LogNormal)
    assert check.mean() == pytest.approx(600.0 * math.exp(0.5**2 / 2), rel=1e-9)


def test_a_bad_law_in_the_older_layout_is_named(tmp_path: Path) -> None:
    from leanproc.errors import ScenarioError

    data = json.loads(json.dumps(OLDER))
    data["task_resource_distribution"]["check"] = {"clerk_1": _law("nosuchlaw", 1.0, 2.0)}
    with pytest.raises(ScenarioError, match=r"task_resource_distribution\[1\].*nosuchlaw"):
        _import(data, _model(tmp_path), cases=20)


# ---- the corpus: PurchasingExample's QBP data written in the older layout -----------------------

_QBP = {"qbp": "http://www.qbp-simulator.com/Schema201212"}
_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def _qbp_law(node: ET.Element) -> dict[str, Any]:
    """BIMP's (type, mean, arg1, arg2) as the older layout's converter wrote them."""
    mean, a1, a2 = (float(node.attrib[k]) for k in ("mean", "arg1", "arg2"))
    forms = {"EXPONENTIAL": ("expon", [a1, 1]), "NORMAL": ("norm", [mean, a1]),
             "FIXED": ("fix", [mean, 0, 1]), "LOGNORMAL": ("lognorm", [mean, a1, 0, 1]),
             "UNIFORM": ("uniform", [a1, a2, 0, 1]), "GAMMA": ("gamma", [mean, a1, 0, 1]),
             "TRIANGULAR": ("triang", [mean, a1, a2, 0, 1])}
    name, params = forms[node.attrib["type"].upper()]
    return _law(name, *params)


def _older_layout_from_qbp(bpmn: Path) -> dict[str, Any]:
    root = ET.parse(bpmn).getroot()
    info = root.find(".//qbp:processSimulationInfo", _QBP)
    assert info is not None

    def periods(timetable: ET.Element) -> list[dict[str, str]]:
        return [{"from": r.attrib["fromWeekDay"], "to": r.attrib["toWeekDay"],
                 "beginTime": r.attrib["fromTime"].split("+")[0],
                 "endTime": r.attrib["toTime"].split("+")[0]}
                for r in timetable.iterfind("qbp:rules/qbp:rule", _QBP)]

    tables = {t.attrib["id"]: periods(t) for t in info.iterfind("qbp:timetables/qbp:timetable",
                                                                 _QBP)}
    members: dict[str, list[str]] = {}
    calendars: dict[str, Any] = {}
    for res in info.iterfind("qbp:resources/qbp:resource", _QBP):
        ids = [f"{res.attrib['id']}_{i}" for i in range(1, int(res.attrib["totalAmount"]) + 1)]
        members[res.attrib["id"]] = ids
        calendars.update(dict.fromkeys(ids, tables[res.attrib["timetableId"]]))
    tasks: dict[str, Any] = {}
    for el in info.iterfind("qbp:elements/qbp:element", _QBP):
        pool = el.findtext("qbp:resourceIds/qbp:resourceId", namespaces=_QBP)
        law = _qbp_law(el.find("qbp:durationDistribution", _QBP))  # type: ignore[arg-type]
        tasks[el.attrib["elementId"]] = dict.fromkeys(members[str(pool)], law)
    source_of = {f.attrib["id"]: f.attrib["sourceRef"] for f in root.iter(f"{_BPMN}sequenceFlow")}
    gateways: dict[str, dict[str, str]] = {}
    for flow in info.iterfind("qbp:sequenceFlows/qbp:sequenceFlow", _QBP):
        flow_id = flow.attrib["elementId"]
        gateways.setdefault(source_of[flow_id], {})[flow_id] = flow.attrib["executionProbability"]
    default = next(t for t in info.iterfind("qbp:timetables/qbp:timetable", _QBP)
                   if t.attrib.get("default") == "true")
    return {"arrival_time_distribution": _qbp_law(info.find("qbp:arrivalRateDistribution",
                                                            _QBP)),  # type: ignore[arg-type]
            "arrival_time_calendar": tables[default.attrib["id"]],
            "gateway_branching_probabilities": gateways,
            "task_resource_distribution": tasks, "resource_calendars": calendars}


@pytest.mark.corpus
def test_purchasing_example_in_the_older_layout() -> None:
    bpmn = CORPUS / "PurchasingExampleQBP.bpmn"
    if not bpmn.is_file():
        pytest.skip("the shared corpus is not present")
    params = _older_layout_from_qbp(bpmn)
    scenario, notes = _import(params, bpmn, cases=50)
    counts = {spec.description: spec.count for spec in scenario.resources.values()}
    # every QBP role used by a task is one pool with all its members (Role 1 has 14)
    assert any(d and d.startswith("Prosimos resources qbp_22560896") and n == 14
               for d, n in counts.items())
    assert scenario.arrivals is not None
    assert scenario.arrivals.interarrival.mean() == pytest.approx(14829.6)
    assert len(scenario.gateways) == len(params["gateway_branching_probabilities"])
    assert "older Prosimos layout" in notes
    scenario.bind()
