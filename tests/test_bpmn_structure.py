"""Lean structure counts on fixtures with known answers."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from leanproc.bpmn import read_bpmn
from leanproc.bpmn.structure import DEFAULT_RULES, TagRules, structure_of, tags_of

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"


def test_bundled_example_counts():
    s = read_bpmn(files("leanproc") / "examples" / "hello.bpmn").structure()
    assert s.as_dict() == {
        "activities": 6, "subprocesses": 0, "participants": 2, "pools": 1, "lanes": 2,
        "handoffs": 1,
        "pool_handoffs": 0, "approvals": 1, "client_actions": 1, "paper_documents": 1,
        "gateways": 1, "events": 3, "value_adding": 0, "business_value": 0, "waste": 1,
        "unclassified": 5,
    }
    assert s.approval_ids == ("Task_Approve",)       # "Согласовать с начальником отдела"
    assert s.client_action_ids == ("Task_Submit",)   # in the lane "Заявитель"
    assert s.handoff_ids == ("Flow_2",)              # applicant -> specialist


@pytest.fixture(scope="module")
def model():
    return read_bpmn(FIXTURES / "all-elements.bpmn")


def test_all_elements_counts(model):
    s = model.structure()
    tasks = [n for n in model.nodes.values() if n.kind.value in ("task", "callActivity")]
    assert s.activities == len(tasks) == 15
    assert s.subprocesses == 4 and s.gateways == 6 and s.events == 24
    assert s.pools == 2 and s.lanes == 4 and s.pool_handoffs == 1
    # the leaf lanes Desk, Phone and Back office (Front office only groups Desk and Phone)
    # and the black-box pool Customer
    assert s.participants == 4


_NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'


def _lanes(*names: str | None, prefix: str = "L", node: str = "T") -> str:
    """A laneSet with one lane per name (None: unnamed); the first lane holds `node`."""
    lanes = []
    for i, name in enumerate(names):
        attr = f' name="{name}"' if name is not None else ""
        ref = f"<flowNodeRef>{node}</flowNodeRef>" if i == 0 else ""
        lanes.append(f'<lane id="{prefix}{i}"{attr}>{ref}</lane>')
    return f"<laneSet>{''.join(lanes)}</laneSet>"


def test_participants_are_leaf_lanes_plus_pools_without_lanes():
    # one map of three swimlanes, a black-box applicant, a lane-less pool of another agency
    xml = (f'<definitions {_NS}><collaboration id="C">'
           '<participant id="P1" name="Администрация" processRef="Main"/>'
           '<participant id="P2" name="Заявитель"/>'
           '<participant id="P3" name="МФЦ" processRef="Other"/></collaboration>'
           f'<process id="Main">{_lanes("Специалист", "Начальник отдела", "Бухгалтерия")}'
           '<task id="T"/></process>'
           '<process id="Other"><task id="U"/></process></definitions>')
    s = read_bpmn(xml).structure()
    assert (s.participants, s.pools, s.lanes) == (5, 3, 3)


def test_participants_count_a_role_once_by_name():
    # "Бухгалтерия" is a lane in two pools and "Заявитель" both a lane and a black-box pool;
    # names compare without case and spacing; unnamed lanes count one each
    xml = (f'<definitions {_NS}><collaboration id="C">'
           '<participant id="P1" name="A" processRef="PA"/>'
           '<participant id="P2" name="B" processRef="PB"/>'
           '<participant id="P3" name=" заявитель "/></collaboration>'
           f'<process id="PA">{_lanes("Бухгалтерия", "Заявитель", None, node="T")}'
           '<task id="T"/></process>'
           f'<process id="PB">{_lanes("БУХГАЛТЕРИЯ", None, prefix="M", node="U")}'
           '<task id="U"/></process></definitions>')
    s = read_bpmn(xml).structure()
    assert (s.participants, s.pools, s.lanes) == (4, 3, 5)


def test_participants_of_a_model_without_pools():
    bare = read_bpmn(f'<definitions {_NS}><process id="P"><task id="T"/></process>'
                     '</definitions>').structure()
    assert (bare.participants, bare.pools, bare.lanes) == (1, 0, 0)
    laned = read_bpmn(f'<definitions {_NS}><process id="P">{_lanes("Клерк", "Юрист")}'
                      '<task id="T"/></process></definitions>').structure()
    assert (laned.participants, laned.pools, laned.lanes) == (2, 0, 2)
    empty = read_bpmn(f'<definitions {_NS}><process id="P"/></definitions>').structure()
    assert empty.participants == 0


def test_approval_from_names_and_properties(model):
    s = model.structure()
    # T_User "Согласовать заявку" by name; T_Service carries leanproc:approval=false
    assert s.approval_ids == ("T_User",)


def test_client_action_from_lane_property(model):
    assert model.structure().client_action_ids == ("T_Manual",)  # lane Phone: client=true


def test_value_classes_from_properties(model):
    s = model.structure()
    assert (s.value_adding, s.business_value, s.waste) == (0, 1, 1)
    assert s.unclassified == s.activities - 2


def test_paper_documents_count_objects_once_and_skip_electronic_and_stores(model):
    # DO_Form is drawn twice (two references) -> once; DO_Scan "Scan (PDF)" is electronic;
    # the data store is a system, not a document; DO_Inner sits in a subprocess.
    assert model.structure().paper_document_ids == ("DO_Inner", "DO_Form")


def test_handoffs_cross_lanes(model):
    # F_1: Front -> Desk, F_X_yes: Desk -> Back, F_X_no: Desk -> Phone, F_5: Phone -> Back
    assert model.structure().handoff_ids == ("F_1", "F_X_yes", "F_X_no", "F_5")


@pytest.mark.parametrize(("name", "approval"), [
    ("Утверждение приказа", True), ("Визирование договора", True), ("Подписать решение", True),
    ("Manager approves budget", True), ("Final sign-off", True), ("Endorse request", True),
    ("Register application", False), ("Проверить документы", False),
])
def test_approval_stems(name, approval):
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P">'
           f'<task id="T" name="{name}"/></process></definitions>')
    m = read_bpmn(xml)
    assert tags_of(m, m.nodes["T"]).approval is approval


@pytest.mark.parametrize("lane", ["Заявитель", "Клиент банка", "Гражданин", "Customer",
                                  "Applicant"])
def test_client_stems_on_lanes(lane):
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P">'
           f'<laneSet><lane id="L" name="{lane}"><flowNodeRef>T</flowNodeRef></lane></laneSet>'
           '<task id="T" name="Fill in the form"/></process></definitions>')
    assert read_bpmn(xml).structure().client_actions == 1


def test_client_from_pool_name():
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
           '<collaboration id="C"><participant id="Pool" name="Заявитель" processRef="P"/>'
           '</collaboration><process id="P"><task id="T"/></process></definitions>')
    assert read_bpmn(xml).structure().client_action_ids == ("T",)


def test_overrides_and_custom_rules(model):
    s = structure_of(model, overrides={"T_User": {"approval": False, "value": "value"},
                                       "T_Plain": {"approval": True}})
    assert s.approval_ids == ("T_Plain",)
    assert s.value_adding == 1 and s.business_value == 0
    rules = TagRules(approval_stems=("archive",))
    assert structure_of(model, rules).approval_ids == ("T_Plain",)
    assert DEFAULT_RULES.approval_stems[0] == "согласов"


def test_structure_is_frozen(model):
    s = model.structure()
    with pytest.raises(AttributeError):
        s.activities = 0  # type: ignore[misc]
