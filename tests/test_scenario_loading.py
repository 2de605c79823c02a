"""Loading scenarios from YAML / JSON files, text and mappings; times and zones; conditions."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yaml

from leanproc.bpmn.reader import read_bpmn
from leanproc.errors import ScenarioError
from leanproc.scenario import Scenario
from leanproc.scenario.plans import Condition, parse_condition

FIXTURES = Path(__file__).parent / "fixtures" / "scenario"
SKETCH = FIXTURES / "taxi-permit.yaml"
H = 3600.0


def sketch_dict() -> dict:
    return yaml.safe_load(SKETCH.read_text(encoding="utf-8"))


def test_the_design_sketch_binds_against_its_model() -> None:
    """DESIGN.md's scenario sketch, adapted to a small taxi-permit model."""
    s = Scenario.load(SKETCH)
    assert s.model_path == FIXTURES / "taxi-permit.bpmn"  # relative to the scenario file
    b = s.bind()  # reads the model from model_path
    assert b.start == pd.Timestamp("2024-03-01T09:00+07:00")
    assert b.tz.utcoffset(None) == timedelta(hours=7)
    assert b.calendar is not None and b.calendar.country == "RU"
    assert b.arrivals.calendar is b.calendar  # arrivals follow the default calendar
    assert b.arrivals.interarrival.mean() == 2 * H and b.arrivals.cases == 500
    acts = b.activities
    assert acts["Task_register"].pools == ("secretary",)
    assert acts["Task_register"].value == "waste" and acts["Task_register"].paper_documents == 3
    approve = acts["Task_approve"]
    assert approve.pools == ("head of department",) and approve.approval
    assert approve.duration.mean() == pytest.approx(15 * 60)
    assert approve.wait.mean() == pytest.approx(26 * H)
    assert acts["Task_check"].pools == ("specialist",)  # by lane "Specialist"
    assert acts["Task_check"].duration.mean() == 600  # defaults.duration
    assert acts["Task_request"].pools == ("secretary",)  # by lane "Secretary"
    assert dict(b.gateways["Gateway_docs"].probabilities) == {"Flow_yes": 0.85, "Flow_no": 0.15}
    assert b.events["Timer_wait"].duration.mean() == 3 * 86400  # BPMN P3D
    withdraw = b.events["Boundary_withdraw"]
    assert withdraw.probability == 0.05 and withdraw.after.working  # 1wd on ru-5x8
    head = b.pools["head of department"]
    assert head.count == 1 and head.spec.monthly_salary == 120000
    assert head.spec.payroll_taxes == 0.302 and head.spec.overhead == 0.35
    assert b.fixed_cost_per_case == 120 and b.warmup == 2 * 86400
    assert dict(b.targets) == {"lead_time.mean": "<= 120min", "approvals": "== 0"}


def test_load_from_dict_yaml_text_json_text_and_json_file(tmp_path: Path) -> None:
    reference = Scenario.load(SKETCH)
    data = sketch_dict()
    data["gateways"] = {"Documents complete?": {"yes": 0.85, "no": 0.15}}  # YAML 1.1 -> bools
    from_dict = Scenario.load(data)
    from_yaml_text = Scenario.load(SKETCH.read_text(encoding="utf-8"))
    from_json_text = Scenario.load(json.dumps(data))
    json_file = tmp_path / "sketch.json"
    json_file.write_text(json.dumps(data), encoding="utf-8")
    from_json_file = Scenario.load(json_file)
    for s in (from_dict, from_yaml_text, from_json_text, from_json_file):
        assert s.model_dump() == reference.model_dump()
    model = read_bpmn(FIXTURES / "taxi-permit.bpmn")
    assert from_json_text.bind(model).activities.keys() == reference.bind().activities.keys()


def test_yes_and_no_stay_text() -> None:
    s = Scenario.load("gateways: {G: {yes: 0.5, no: 0.5}}\ntargets: {x: on}\n")
    assert list(s.gateways["G"].probabilities) == ["yes", "no"]
    assert s.targets == {"x": "on"}
    with pytest.raises(ScenarioError, match="start: cannot read '18:00'"):  # not 1080
        Scenario.load("start: 18:00\n")


def test_python_booleans_as_branch_keys_read_as_yes_no() -> None:
    s = Scenario.load({"gateways": {"G": {True: 0.85, False: 0.15}}})
    assert list(s.gateways["G"].probabilities) == ["yes", "no"]


def test_relative_model_path_resolves_against_the_scenario_folder(tmp_path: Path) -> None:
    folder = tmp_path / "project" / "scenarios"
    (tmp_path / "project" / "models").mkdir(parents=True)
    folder.mkdir()
    shutil.copy(FIXTURES / "taxi-permit.bpmn", tmp_path / "project" / "models" / "as-is.bpmn")
    text = SKETCH.read_text(encoding="utf-8").replace("model: taxi-permit.bpmn",
                                                     "model: ../models/as-is.bpmn")
    (folder / "as-is.yml").write_text(text, encoding="utf-8")
    s = Scenario.load(str(folder / "as-is.yml"))
    assert s.model_path == folder / ".." / "models" / "as-is.bpmn"
    assert "Task_approve" in s.bind().activities
    assert s.source == str(folder / "as-is.yml")


def test_model_missing() -> None:
    data = sketch_dict()
    data["model"] = "nowhere.bpmn"
    with pytest.raises(ScenarioError, match=r"model: the file .*nowhere\.bpmn' does not exist"):
        Scenario.load(data).bind()
    del data["model"]
    with pytest.raises(ScenarioError, match="model: no process model"):
        Scenario.load(data).bind()


def test_file_errors_name_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "dup.yaml"
    bad.write_text("activities:\n  Approve: {duration: 1h}\n  Approve: {duration: 2h}\n",
                   encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        Scenario.load(bad)
    assert str(info.value).startswith(f"{bad}: line 3")
    assert "duplicate key 'Approve' (first at line 2)" in str(info.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("activities: {Approve: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.yaml: line \d+, column \d+: not valid YAML"):
        Scenario.load(broken)
    with pytest.raises(ScenarioError, match="cannot read the scenario file"):
        Scenario.load(tmp_path / "absent.yaml")
    with pytest.raises(ScenarioError, match="a scenario is a mapping"):
        Scenario.load("- just\n- a list\n")
    with pytest.raises(ScenarioError, match="neither a scenario file that exists nor"):
        Scenario.load(str(tmp_path / "scenario.yml2"))
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"start": }', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad\.json: line 1, column 11: not valid JSON"):
        Scenario.load(bad_json)


def test_load_errors_never_leak_pydantic() -> None:
    with pytest.raises(ScenarioError) as info:
        Scenario.load({"resources": {"a": {"count": "two"}}, "tempo": 3})
    assert [p.split(": ")[0] for p in info.value.problems] == ["resources.a.count", "tempo"]
    assert "unknown key; allowed here: name, description, model" in info.value.problems[1]


def _bound(**extra: object):
    data = sketch_dict()
    data.update(extra)
    return Scenario.load(data, base_dir=FIXTURES).bind()


def test_naive_start_with_timezone() -> None:
    b = _bound(start="2024-03-01T09:00", timezone="Asia/Tomsk")
    assert b.tz == ZoneInfo("Asia/Tomsk")
    assert b.start == pd.Timestamp("2024-03-01T09:00", tz="Asia/Tomsk")
    assert b.calendar.tz == ZoneInfo("Asia/Tomsk")


def test_aware_start_is_converted_to_the_timezone() -> None:
    b = _bound(start="2024-03-01T09:00+03:00", timezone="Asia/Tomsk")
    assert str(b.start) == "2024-03-01 13:00:00+07:00"


def test_naive_start_without_timezone_is_utc() -> None:
    b = _bound(start="2024-03-01 09:00")
    assert b.tz == UTC and b.start.tzinfo is not None


def test_fixed_arrival_times_and_horizon() -> None:
    b = _bound(start=None, timezone="Europe/Moscow", arrivals={
        "times": ["2024-03-04T12:00", "2024-03-04T10:00", "2024-03-04T11:00+03:00"],
        "horizon": "2d", "calendar": None})
    assert [str(t) for t in b.arrivals.times] == ["2024-03-04 10:00:00+03:00",
                                                 "2024-03-04 11:00:00+03:00",
                                                 "2024-03-04 12:00:00+03:00"]
    assert b.start == b.arrivals.times[0]  # start defaults to the first arrival
    assert b.arrivals.horizon_end == b.start + pd.Timedelta(days=2)
    assert b.arrivals.calendar is None  # explicit null: arrivals around the clock


def test_arrival_before_start_is_an_error() -> None:
    with pytest.raises(ScenarioError, match=r"arrivals\.times\[0\]: 1 arrival\(s\) before start"):
        _bound(arrivals={"times": ["2024-02-01T10:00+07:00"]})


def test_arrivals_on_a_named_calendar() -> None:
    b = _bound(calendars={"desk": {"preset": "5x8", "hours": {"sat": ["10:00-14:00"]}}},
               arrivals={"interarrival": {"exponential": {"mean": "1wh"}}, "horizon": "30d",
                         "calendar": "desk"})
    assert b.arrivals.calendar is b.calendars["desk"]
    assert b.arrivals.interarrival.working


@pytest.mark.parametrize(
    ("text", "attrs", "expected"),
    [
        ("amount > 3000", {"amount": 3500.0}, True),
        ("amount > 3000", {"amount": 3000.0}, False),
        ("amount<=3000", {"amount": 3000.0}, True),
        ("kind == urgent", {"kind": "urgent"}, True),
        ("kind = urgent", {"kind": "normal"}, False),
        ("kind != 'very urgent'", {"kind": "normal"}, True),
        ("amount >= 1e3", {"amount": 1000}, True),
        ("amount > 3000", {}, False),
        ("amount > 3000", {"amount": "n/a"}, False),
        ("default", {}, True),
        ("otherwise", {}, True),
    ],
)
def test_conditions(text: str, attrs: dict, expected: bool) -> None:
    assert parse_condition(text).holds(attrs) is expected


def test_condition_forms() -> None:
    assert parse_condition("kind == 'two words'") == Condition("kind", "==", "two words")
    assert parse_condition("amount > 3 000".replace(" 0", "0")) == Condition("amount", ">", 3000.0)
    assert str(parse_condition("amount > 3000")) == "amount > 3000"
    with pytest.raises(ValueError, match="cannot read the condition"):
        parse_condition("amount >> 3")
    with pytest.raises(ValueError, match="orders text"):
        parse_condition("kind > urgent")
