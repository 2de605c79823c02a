"""Reading BPMN 2.0: every element kind, lanes, properties, encodings, inputs, namespaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from leanproc.bpmn import Activity, Event, Gateway, Kind, read_bpmn
from leanproc.errors import BPMNError

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"
ALL = FIXTURES / "all-elements.bpmn"
NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'


@pytest.fixture(scope="module")
def model():
    return read_bpmn(ALL)


def test_every_task_kind_is_a_task(model):
    tags = {n.tag for n in model.of_kind(Kind.TASK)}
    assert tags == {"task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask",
                    "receiveTask", "businessRuleTask"}


def test_vendor_elements_are_not_model_elements(model):
    assert "Vendor_Task" not in model.nodes
    assert "Vendor_Task" not in model.nodes["T_User"].properties.values()


def test_subprocess_kinds_and_children(model):
    sub = model.nodes["Sub_Embedded"]
    assert isinstance(sub, Activity)
    assert (sub.subprocess, sub.children) == ("embedded", ("S_Start", "S_Task", "S_End"))
    assert model.nodes["Sub_Event"].subprocess == "event"
    assert model.nodes["Tx"].subprocess == "transaction"
    assert model.nodes["AdHoc"].subprocess == "adhoc"
    assert model.nodes["S_Task"].parent_id == "Sub_Embedded"
    assert model.nodes["S_Task"].process_id == "P_Main"
    # the event subprocess's start is non-interrupting
    assert model.nodes["E_Start"].cancel_activity is False
    assert model.processes["P_Main"].flows[-3:] == ("EF_1", "EF_2", "TF_1")


def test_call_activities_resolve_in_file(model):
    assert model.nodes["Call_Sub"].called_process_id == "P_Sub"
    ext = model.nodes["Call_Ext"]
    assert (ext.called_element, ext.called_process_id) == ("Elsewhere", None)


def test_gateways(model):
    gw = model.nodes["GW_X"]
    assert isinstance(gw, Gateway)
    assert (gw.direction, gw.default_flow, gw.outgoing) == ("Diverging", "F_X_no",
                                                              ("F_X_yes", "F_X_no"))
    assert model.nodes["GW_Split"].direction == "Unspecified"
    assert model.nodes["GW_Event"].event_gateway_type == "Exclusive"
    kinds = {g.kind for g in model.gateways}
    assert kinds == {Kind.EXCLUSIVE_GATEWAY, Kind.PARALLEL_GATEWAY, Kind.INCLUSIVE_GATEWAY,
                     Kind.EVENT_BASED_GATEWAY, Kind.COMPLEX_GATEWAY}


def test_conditions_are_stripped_text(model):
    assert model.flows["F_X_yes"].condition == "${ok == true}"
    assert model.flows["F_X_yes"].name == "yes"
    assert model.flows["F_X_no"].condition is None


@pytest.mark.parametrize(("node_id", "trigger", "field", "value"), [
    ("Start_Msg", "message", "ref", "Msg_Order"),
    ("Start_Timer", "timer", "time_cycle", "R/2024-01-01T09:00:00/P7D"),
    ("B_Timer", "timer", "time_duration", "P2D"),
    ("C_Timer", "timer", "time_date", "2024-03-01T09:00:00+07:00"),
    ("B_Error", "error", "ref", "Err_Fail"),
    ("Th_Signal", "signal", "ref", "Sig_Go"),
    ("Th_Esc", "escalation", "ref", "Esc_Late"),
    ("Th_Link", "link", "name", "ToB"),
    ("C_Link", "link", "name", "ToB"),
    ("C_Cond", "conditional", "condition", "${ready}"),
    ("End_Main", "terminate", None, None),
    ("Tx_Cancel", "cancel", None, None),
    ("B_Comp", "compensate", None, None),
    ("End_Msg", "message", "ref", "Msg_Order"),
])
def test_event_definitions(model, node_id, trigger, field, value):
    event = model.nodes[node_id]
    assert isinstance(event, Event)
    assert event.trigger == trigger
    if field:
        assert getattr(event.definitions[0], field) == value


def test_boundary_events_attached(model):
    assert model.nodes["T_Service"].boundary_events == ("B_Timer", "B_Error", "B_Comp")
    assert model.nodes["B_Timer"].cancel_activity is False
    assert model.nodes["B_Error"].cancel_activity is True
    assert model.nodes["Tx"].boundary_events == ("B_Cancel",)
    assert model.nodes["T_Undo"].is_for_compensation is True


def test_loops(model):
    mi = model.nodes["T_User"].loop
    assert (mi.type, mi.sequential, mi.cardinality) == ("multi_instance", False, "3")
    seq = model.nodes["T_Script"].loop
    assert (seq.sequential, seq.completion_condition) == (True, "${done}")
    std = model.nodes["T_Service"].loop
    assert (std.type, std.condition, std.maximum, std.test_before) == (
        "standard", "${retry}", 5, True)


def test_incoming_outgoing_come_from_flows_not_from_lists(model):
    # Start_Msg lists a bogus <incoming>; the flows say it has none
    assert model.nodes["Start_Msg"].incoming == ()
    assert model.nodes["End_Main"].incoming == ("F_4", "F_5")
    assert model.nodes["T_User"].outgoing == ("F_2",)


def test_nested_lanes_innermost_wins_and_subprocess_children_inherit(model):
    lanes = model.lanes
    assert lanes["Lane_Desk"].parent_lane_id == "Lane_Front"
    assert lanes["Lane_Front"].child_lanes == ("Lane_Desk", "Lane_Phone")
    assert model.nodes["T_User"].lane_id == "Lane_Desk"  # listed by Front and by Desk
    assert model.nodes["Start_Msg"].lane_id == "Lane_Front"
    assert model.nodes["S_Task"].lane_id == "Lane_Back"  # inside Sub_Embedded
    assert model.nodes["T_Plain"].lane_id is None
    assert model.processes["P_Main"].lanes == ("Lane_Front", "Lane_Desk", "Lane_Phone",
                                               "Lane_Back")


def test_lanes_are_listed_in_document_order_nested_after_their_parent(model):
    # the writer draws lanes in this order, so a parent must come before its nested lanes
    assert list(model.lanes)[:4] == ["Lane_Front", "Lane_Desk", "Lane_Phone", "Lane_Back"]
    assert model.lanes["Lane_Front"].members  # filled once its nested lanes were read


def test_pools_message_flows_root_elements(model):
    assert model.participants["Pool_Main"].process_id == "P_Main"
    assert model.participants["Pool_Customer"].process_id is None
    assert model.pool_of("T_User").id == "Pool_Main"
    mf = model.message_flows["MF_1"]
    assert (mf.source, mf.target, mf.message_ref) == ("Pool_Customer", "Start_Msg", "Msg_Order")
    assert model.root_elements["Err_Fail"].code == "E42"
    assert model.root_elements["Esc_Late"].code == "ESC1"
    assert model.collaboration_id == "Collab"


def test_properties_from_every_vendor(model):
    assert dict(model.nodes["T_User"].properties) == {"leanproc:value": "business",
                                                      "cost_center": "CC-7"}
    assert dict(model.nodes["T_Service"].properties) == {"leanproc:approval": "false"}
    assert dict(model.nodes["T_Manual"].properties) == {"leanproc:value": "waste"}
    assert dict(model.lanes["Lane_Phone"].properties) == {"leanproc:client": "true"}
    assert dict(model.participants["Pool_Main"].properties) == {"leanproc:client": "false"}


def test_data_and_artifacts(model):
    data = model.data
    assert data["DOR_Form"].ref == "DO_Form"
    assert data["DSR_DB"].ref == "Store_DB"
    assert data["Store_DB"].process_id is None
    assert data["DO_Inner"].parent_id == "Sub_Embedded"
    assert data["Out_Decision"].is_collection is True
    assert data["In_Request"].tag == "dataInput"
    assocs = {(a.id, a.owner, a.direction, a.sources, a.target)
              for a in model.data_associations}
    assert assocs == {("DIA_1", "T_User", "in", ("DOR_Form",), "T_User_in"),
                      ("DOA_1", "T_User", "out", (), "DSR_DB")}
    assert model.annotations["Note_1"].text == "Takes two days"
    assert model.annotations["Note_Collab"].process_id is None
    assert model.associations["Assoc_Comp"].direction == "One"
    assert model.nodes["T_User"].documentation == "Approve the request."


def test_diagram_interchange(model):
    (diagram,) = model.diagrams
    assert diagram.plane_element == "Collab"
    shapes = {s.element: s for s in diagram.shapes}
    assert shapes["T_User"].bounds.x == 100.5
    assert shapes["T_User"].label.width == 90
    assert shapes["Sub_Embedded"].is_expanded is True
    assert shapes["Pool_Main"].is_horizontal is True
    (edge,) = diagram.edges
    assert edge.waypoints == ((48.0, 120.0), (100.5, 120.0))
    assert edge.label is not None


def test_definitions_attributes(model):
    assert (model.id, model.name, model.exporter, model.exporter_version) == (
        "Defs", "All elements", "hand", "1.0")
    assert model.target_namespace == "http://leanproc.test/all"
    assert model.source == str(ALL)


def test_lookup_by_name_and_graph(model):
    assert model.node("Согласовать заявку").id == "T_User"
    assert model["Check registry"].id == "T_Service"
    g = model.graph
    assert g.has_edge("GW_X", "T_Service", key="F_X_yes")


@pytest.mark.parametrize("name", ["cyrillic-windows-1251.bpmn", "cyrillic-koi8-r.bpmn",
                                  "cyrillic-utf-16.bpmn", "cyrillic-utf-8.bpmn"])
def test_encodings_keep_cyrillic(name):
    m = read_bpmn(FIXTURES / name)
    assert m.processes["P"].name == "Выдача справки"
    assert m.nodes["T2"].name.startswith("Утвердить справку")
    assert "ёж, Щука, Ъ" in m.nodes["T2"].name
    assert m.nodes["T2"].documentation == "Проверка документов"
    assert m.lanes["L1"].name == "Гражданин (заявитель)"
    assert m.flows["F2"].name == "передача"


def test_source_kinds_are_equivalent():
    path_model = read_bpmn(ALL)
    data = ALL.read_bytes()
    assert read_bpmn(data) == path_model
    assert read_bpmn(str(ALL)) == path_model
    assert read_bpmn(data.decode("utf-8")) == path_model  # XML text
    assert read_bpmn("\ufeff  \n" + data.decode("utf-8")) == path_model
    assert read_bpmn(data).source == "<bytes>"


def test_text_with_encoding_declaration_of_another_charset():
    text = (FIXTURES / "cyrillic-windows-1251.bpmn").read_bytes().decode("cp1251")
    assert read_bpmn(text).nodes["T1"].name == "Подать заявление 'о выдаче'"


def test_missing_file_names_it(tmp_path):
    with pytest.raises(BPMNError, match="file not found") as info:
        read_bpmn(tmp_path / "nope.bpmn")
    assert "nope.bpmn" in str(info.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(BPMNError, match="directory"):
        read_bpmn(tmp_path)


@pytest.mark.parametrize(("xml", "found"), [
    ('<definitions xmlns="http://not-bpmn"/>', "namespace 'http://not-bpmn'"),
    (f'<process {NS} id="P"/>', "<process>"),
    ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100501/MODEL"/>', "beta"),
    ("<html><body/></html>", "<html> without a namespace"),
])
def test_non_bpmn_roots_are_refused(xml, found):
    with pytest.raises(BPMNError, match="root element") as info:
        read_bpmn(xml)
    assert found in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   ", b"not xml at all", b"<definitions",
                                  b"\x00\x01\x02", b"{\"json\": true}"])
def test_non_xml_is_refused(data):
    with pytest.raises(BPMNError):
        read_bpmn(data)


def test_broken_xml_message_has_line():
    with pytest.raises(BPMNError, match=r"not well-formed XML: .*line 2"):
        read_bpmn(f'<definitions {NS}>\n<process id="P"></task></definitions>')


def test_namespace_less_definitions_read_as_bpmn_with_note():
    m = read_bpmn('<definitions id="D"><process id="P"><task id="T" name="A"/>'
                  '<startEvent id="S"/><sequenceFlow id="F" sourceRef="S" targetRef="T"/>'
                  "</process></definitions>")
    assert m.nodes["T"].kind is Kind.TASK
    assert m.nodes["T"].incoming == ("F",)
    assert any("no namespace" in note for note in m.notes)


def test_https_variant_of_namespace_is_tolerated():
    m = read_bpmn('<definitions xmlns="https://www.omg.org/spec/BPMN/20100524/MODEL/">'
                  '<process id="P"><task id="T"/></process></definitions>')
    assert "T" in m.nodes and m.notes


def test_duplicate_ids_are_kept_for_checks_not_raised():
    m = read_bpmn(f'<definitions {NS}><process id="P"><task id="X" name="first"/>'
                  '<task id="X" name="second"/><sequenceFlow id="X" sourceRef="X" targetRef="X"/>'
                  "</process></definitions>")
    assert m.nodes["X"].name == "first"
    assert m.duplicate_ids == ("X",)
    assert "X" not in m.flows  # the flow's id was already taken


def test_elements_without_id_get_one():
    m = read_bpmn(f'<definitions {NS}><process id="P"><task name="anon"/></process></definitions>')
    (node,) = m.nodes.values()
    assert node.name == "anon" and node.id
    assert m.notes


def test_bad_coordinates_are_noted_each_and_drawn_as_zero():
    xml = (f'<definitions {NS} xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
           'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC">'
           '<process id="P"><task id="T"/></process><bpmndi:BPMNDiagram><bpmndi:BPMNPlane>'
           '<bpmndi:BPMNShape bpmnElement="T"><dc:Bounds x="a" y="1" width="b" height="1"/>'
           "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>")
    model = read_bpmn(xml)
    (shape,) = model.diagrams[0].shapes
    assert (shape.bounds.x, shape.bounds.y, shape.bounds.width) == (0.0, 1.0, 0.0)
    coordinate_notes = [n for n in model.notes if "not a number" in n]
    assert len(coordinate_notes) == 2
    assert "x='a'" in coordinate_notes[0] and "width='b'" in coordinate_notes[1]
    assert all("'T'" in n for n in coordinate_notes)


def test_a_non_number_loop_maximum_is_still_an_error():
    xml = (f'<definitions {NS}><process id="P"><task id="T"><standardLoopCharacteristics '
           'loopMaximum="many"/></task></process></definitions>')
    with pytest.raises(BPMNError, match="loopMaximum 'many'"):
        read_bpmn(xml)


def test_model_is_immutable(model):
    with pytest.raises(AttributeError):
        model.nodes["T_User"].name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.nodes["new"] = model.nodes["T_User"]  # type: ignore[index]


def test_bundled_example_reads():
    from importlib.resources import files

    m = read_bpmn(files("leanproc") / "examples" / "hello.bpmn")
    assert len(m.participants) == 1 and len(m.lanes) == 2
    assert m.check() == []
    assert "Выдача разрешения" in m.summary()


def _start_event(definitions: str, before: str = "") -> str:
    return (f'<definitions {NS}>{before}<process id="P"><startEvent id="S">{definitions}'
            "</startEvent></process></definitions>")


def test_event_definition_refs_as_child_elements_first_one_counts():
    m = read_bpmn(_start_event("<messageEventDefinition><messageRef> M1 </messageRef>"
                               "<signalRef>S1</signalRef></messageEventDefinition>"))
    assert m.nodes["S"].definitions[0].ref == "M1"
    m = read_bpmn(_start_event('<messageEventDefinition messageRef="M0">'
                               "<messageRef>M1</messageRef></messageEventDefinition>"))
    assert m.nodes["S"].definitions[0].ref == "M0"  # the attribute is the standard place


def test_event_definition_referenced_from_definitions_level():
    shared = ('<timerEventDefinition id="TD"><timeDuration>PT1H</timeDuration>'
              "</timerEventDefinition>")
    m = read_bpmn(_start_event("<eventDefinitionRef>TD</eventDefinitionRef>", before=shared))
    (definition,) = m.nodes["S"].definitions
    assert (definition.type, definition.id, definition.time_duration) == ("timer", "TD", "PT1H")
    dangling = read_bpmn(_start_event("<eventDefinitionRef>TX</eventDefinitionRef>",
                                      before=shared))
    assert dangling.nodes["S"].definitions == ()
    assert any("'S'" in n and "'TX'" in n for n in dangling.notes)


def test_missing_bounds_attribute_is_named():
    xml = (f'<definitions {NS} xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
           'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC">'
           '<process id="P"><task id="T"/></process><bpmndi:BPMNDiagram><bpmndi:BPMNPlane>'
           '<bpmndi:BPMNShape bpmnElement="T"><dc:Bounds x="1" y="2" width="3"/>'
           "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>")
    model = read_bpmn(xml)
    assert model.diagrams[0].shapes[0].bounds.height == 0.0
    assert "diagram element 'T': the missing height is not a number; drawn as 0" in \
        "\n".join(model.notes)


# ---- QName references ----------------------------------------------------------------------
QNS = f'{NS} xmlns:tns="http://t" xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL"'


def test_qualified_references_resolve_to_ids():
    xml = (f'<definitions {QNS}><message id="M"/><timerEventDefinition id="TD">'
           "<timeDuration>PT1H</timeDuration></timerEventDefinition>"
           '<collaboration id="C"><participant id="Pa" processRef="tns:P"/>'
           '<participant id="Pb" processRef="tns:Q"/>'
           '<messageFlow id="MF" sourceRef="bpmn2:T" targetRef="tns:Pb" messageRef="tns:M"/>'
           '</collaboration><process id="P"><startEvent id="S"><eventDefinitionRef>tns:TD'
           '</eventDefinitionRef></startEvent><task id="T"/><callActivity id="CA" '
           'calledElement="tns:Q"/><boundaryEvent id="B" attachedToRef="bpmn2:T">'
           '<messageEventDefinition messageRef="tns:M"/></boundaryEvent></process>'
           '<process id="Q"/></definitions>')
    m = read_bpmn(xml)
    mf = m.message_flows["MF"]
    assert (mf.source, mf.target, mf.message_ref) == ("T", "Pb", "M")
    assert m.participants["Pa"].process_id == "P"
    assert m.nodes["S"].definitions[0].id == "TD"
    assert m.nodes["B"].attached_to == "T" and m.nodes["T"].boundary_events == ("B",)
    assert m.nodes["B"].definitions[0].ref == "M"
    assert m.nodes["CA"].called_element == "tns:Q"  # kept as written
    assert m.nodes["CA"].called_process_id == "Q"
    assert not [f for f in m.check() if f.code.startswith("missing")]


def test_an_undeclared_prefix_in_a_reference_is_an_error_naming_it():
    xml = (f'<definitions {NS}><collaboration id="C"><participant id="Pa" processRef="P"/>'
           '<messageFlow id="MF" sourceRef="Pa" targetRef="zz:T"/></collaboration>'
           '<process id="P"><task id="T"/></process></definitions>')
    with pytest.raises(BPMNError, match="the prefix 'zz'"):
        read_bpmn(xml)


def test_an_empty_loop_maximum_is_noted_not_refused():
    m = read_bpmn(f'<definitions {NS}><process id="P"><task id="T"><standardLoopCharacteristics '
                  'loopMaximum=" "/></task></process></definitions>')
    assert m.nodes["T"].loop.maximum is None
    assert any("'T'" in n and "loopMaximum" in n for n in m.notes)
