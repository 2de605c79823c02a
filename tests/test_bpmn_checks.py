"""Structural checks on small models with known answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from leanproc.bpmn import read_bpmn
from leanproc.bpmn.checks import Finding

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"


def bpmn(body: str) -> str:
    """A one-process document around `body` (flow elements of process P)."""
    return ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
            f'targetNamespace="http://t"><process id="P">{body}</process></definitions>')


def flows(*pairs: str) -> str:
    """'A>B' pairs as sequence flows F_A_B."""
    out = []
    for pair in pairs:
        src, dst = pair.split(">")
        out.append(f'<sequenceFlow id="F_{src}_{dst}" sourceRef="{src}" targetRef="{dst}"/>')
    return "".join(out)


def codes(xml: str) -> list[tuple[str, str, str | None]]:
    return [(f.severity, f.code, f.element_id) for f in read_bpmn(xml).check()]


CLEAN = bpmn(
    '<startEvent id="S"/><task id="A" name="Register"/>'
    '<exclusiveGateway id="X" default="F_X_C"/><task id="B"/><task id="C"/>'
    '<exclusiveGateway id="M"/><endEvent id="E"/>'
    + flows("S>A", "A>X", "X>B", "X>C", "B>M", "C>M", "M>E")
)


def test_clean_model_has_no_findings():
    assert codes(CLEAN) == []


def test_bundled_and_miwg_like_fixture_are_clean():
    from importlib.resources import files

    assert read_bpmn(files("leanproc") / "examples" / "hello.bpmn").check() == []


def test_flow_to_missing_element():
    xml = bpmn('<startEvent id="S"/><endEvent id="E"/>' + flows("S>E", "S>Ghost")
               + '<sequenceFlow id="F_none" sourceRef="S"/>')
    found = codes(xml)
    assert ("error", "missing-target", "F_S_Ghost") in found
    assert ("error", "missing-target", "F_none") in found


def test_message_flow_to_missing_element():
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
           '<collaboration id="C"><participant id="Pool" processRef="P"/>'
           '<messageFlow id="MF" sourceRef="Pool" targetRef="Nowhere"/></collaboration>'
           '<process id="P"><startEvent id="S"/><endEvent id="E"/>'
           + flows("S>E") + "</process></definitions>")
    assert codes(xml) == [("error", "missing-target", "MF")]


def test_unreachable_element_is_named():
    xml = bpmn('<startEvent id="S"/><task id="A"/><task id="Lost" name="Archive"/>'
               '<endEvent id="E"/>' + flows("S>A", "A>E", "Lost>E"))
    findings = read_bpmn(xml).check()
    assert [(f.code, f.element_id) for f in findings] == [("unreachable", "Lost")]
    assert str(findings[0]).startswith("error [unreachable] 'Archive' (Lost): ")


def test_loop_without_exit_cannot_reach_an_end():
    xml = bpmn('<startEvent id="S"/><task id="A"/><task id="B"/><endEvent id="E"/>'
               + flows("S>A", "A>B", "B>A"))
    found = codes(xml)
    assert ("error", "no-end", "A") in found and ("error", "no-end", "B") in found
    assert ("error", "no-end", "S") in found
    assert ("error", "unreachable", "E") in found


def test_loop_with_exit_is_fine():
    xml = bpmn('<startEvent id="S"/><task id="A"/><exclusiveGateway id="X" default="F_X_E"/>'
               '<endEvent id="E"/>' + flows("S>A", "A>X", "X>A", "X>E"))
    assert codes(xml) == []


def test_gateway_with_one_in_one_out():
    xml = bpmn('<startEvent id="S"/><parallelGateway id="G"/><endEvent id="E"/>'
               + flows("S>G", "G>E"))
    assert codes(xml) == [("warning", "pointless-gateway", "G")]


@pytest.mark.parametrize(("gateway", "conditions", "expected"), [
    ('<exclusiveGateway id="X"/>', {}, [("warning", "unconditioned-split", "X")]),
    ('<inclusiveGateway id="X"/>', {}, [("warning", "unconditioned-split", "X")]),
    ('<exclusiveGateway id="X" default="F_X_B"/>', {}, []),
    ('<exclusiveGateway id="X"/>', {"F_X_A": "${a}", "F_X_B": "${b}"}, []),
    ('<exclusiveGateway id="X"/>', {"F_X_A": "${a}"}, [("warning", "unconditioned-split", "X")]),
])
def test_exclusive_split_without_default_or_conditions(gateway, conditions, expected):
    parts = []
    for pair in ("S>X", "X>A", "X>B", "A>E", "B>E"):
        src, dst = pair.split(">")
        fid = f"F_{src}_{dst}"
        cond = conditions.get(fid)
        inner = f"<conditionExpression>{cond}</conditionExpression>" if cond else ""
        parts.append(f'<sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}">{inner}'
                     "</sequenceFlow>")
    xml = bpmn(f'<startEvent id="S"/>{gateway}<task id="A"/><task id="B"/><endEvent id="E"/>'
               + "".join(parts))
    assert codes(xml) == expected


def test_parallel_join_fed_by_exclusive_split_is_a_certain_deadlock():
    xml = bpmn('<startEvent id="S"/><exclusiveGateway id="X" name="Route" default="F_X_B"/>'
               '<task id="A"/><task id="B"/><parallelGateway id="J"/><endEvent id="E"/>'
               + flows("S>X", "X>A", "X>B", "A>J", "B>J", "J>E"))
    findings = read_bpmn(xml).check()
    assert [(f.severity, f.code, f.element_id) for f in findings] == [
        ("error", "parallel-join-deadlock", "J")]
    assert "'Route' (X)" in findings[0].message


def test_deadlock_inside_a_loop_is_still_certain():
    # the token that reached the join waits there: nothing can send a second one round
    xml = bpmn('<startEvent id="S"/><exclusiveGateway id="M"/><task id="W"/>'
               '<exclusiveGateway id="X" default="F_X_B"/><task id="A"/><task id="B"/>'
               '<task id="C"/><parallelGateway id="J"/><endEvent id="E"/>'
               + flows("S>M", "M>W", "W>X", "X>A", "X>B", "X>C", "C>M", "A>J", "B>J", "J>E"))
    assert ("error", "parallel-join-deadlock", "J") in codes(xml)


def test_event_based_split_joined_by_parallel_join_is_a_deadlock():
    xml = bpmn('<startEvent id="S"/><eventBasedGateway id="X"/>'
               '<intermediateCatchEvent id="T1"><timerEventDefinition><timeDuration>PT1H'
               '</timeDuration></timerEventDefinition></intermediateCatchEvent>'
               '<intermediateCatchEvent id="T2"><timerEventDefinition><timeDuration>PT2H'
               '</timeDuration></timerEventDefinition></intermediateCatchEvent>'
               '<parallelGateway id="J"/><endEvent id="E"/>'
               + flows("S>X", "X>T1", "X>T2", "T1>J", "T2>J", "J>E"))
    assert ("error", "parallel-join-deadlock", "J") in codes(xml)


@pytest.mark.parametrize("upstream", [
    # a parallel split before the exclusive one: two tokens may reach it
    ('<parallelGateway id="G"/><task id="Q"/>', ("S>G", "G>Q", "G>X", "Q>X")),
    # an uncontrolled split (a task with two outgoing flows) does the same
    ('<task id="G"/><task id="Q"/>', ("S>G", "G>Q", "G>X", "Q>X")),
])
def test_parallel_join_of_xor_is_only_a_warning_when_tokens_can_multiply(upstream):
    nodes, pairs = upstream
    xml = bpmn(f'<startEvent id="S"/>{nodes}<exclusiveGateway id="X" default="F_X_B"/>'
               '<task id="A"/><task id="B"/><parallelGateway id="J"/><endEvent id="E"/>'
               + flows(*pairs, "X>A", "X>B", "A>J", "B>J", "J>E"))
    found = codes(xml)
    assert ("warning", "parallel-join-of-xor", "J") in found
    assert not [c for c in found if c[1] == "parallel-join-deadlock"]


def test_parallel_split_join_and_loops_are_not_deadlocks():
    # AND-split/AND-join, with a rework loop on one branch (XOR merge + XOR split)
    xml = bpmn('<startEvent id="S"/><parallelGateway id="G"/><task id="A"/>'
               '<exclusiveGateway id="M"/><task id="B"/>'
               '<exclusiveGateway id="X" default="F_X_J"/><parallelGateway id="J"/>'
               '<endEvent id="E"/>'
               + flows("S>G", "G>A", "G>M", "M>B", "B>X", "X>M", "X>J", "A>J", "J>E"))
    assert [c for c in codes(xml) if c[0] == "error"] == []


def test_parallel_split_and_join_is_fine():
    xml = bpmn('<startEvent id="S"/><parallelGateway id="X"/><task id="A"/><task id="B"/>'
               '<parallelGateway id="J"/><endEvent id="E"/>'
               + flows("S>X", "X>A", "X>B", "A>J", "B>J", "J>E"))
    assert codes(xml) == []


def test_no_start_event():
    assert codes(bpmn('<task id="A"/><endEvent id="E"/>' + flows("A>E"))) == [
        ("error", "no-start", "P")]


def test_no_start_and_no_end_event_is_an_implicit_start():
    # BPMN 2.0 allows it: the nodes without incoming flows start the process
    assert codes(bpmn('<task id="A"/><task id="B"/>' + flows("A>B"))) == [
        ("warning", "implicit-start", "P")]


def test_duplicate_ids_are_errors():
    xml = bpmn('<startEvent id="S"/><task id="A" name="one"/><task id="A" name="two"/>'
               '<endEvent id="E"/>' + flows("S>A", "A>E"))
    findings = read_bpmn(xml).check()
    assert [(f.code, f.element_id, f.element_name) for f in findings] == [
        ("duplicate-id", "A", "one")]


def test_boundary_paths_event_subprocesses_and_compensation_are_reachable():
    xml = bpmn(
        '<startEvent id="S"/><task id="A"/><endEvent id="E"/>'
        '<boundaryEvent id="BT" attachedToRef="A"><timerEventDefinition/></boundaryEvent>'
        '<task id="Late"/><endEvent id="E2"/>'
        '<boundaryEvent id="BC" attachedToRef="A"><compensateEventDefinition/></boundaryEvent>'
        '<task id="Undo" isForCompensation="true"/>'
        '<subProcess id="ES" triggeredByEvent="true"><startEvent id="ES_S">'
        '<messageEventDefinition/></startEvent><task id="ES_T"/><endEvent id="ES_E"/>'
        + flows("ES_S>ES_T", "ES_T>ES_E") + "</subProcess>"
        + flows("S>A", "A>E", "BT>Late", "Late>E2")
    )
    assert codes(xml) == []


def test_unreachable_inside_subprocess_is_found_in_its_scope():
    xml = bpmn('<startEvent id="S"/><subProcess id="Sub"><startEvent id="i1"/><task id="i2"/>'
               '<task id="orphan"/><endEvent id="i3"/>' + flows("i1>i2", "i2>i3", "orphan>i3")
               + '</subProcess><endEvent id="E"/>' + flows("S>Sub", "Sub>E"))
    assert codes(xml) == [("error", "unreachable", "orphan")]


LINK_TAIL = ('<task id="A"/><endEvent id="E"/>')


def _links(throw: str, catches: str) -> str:
    """S -> throw LT; catch event(s) -> A -> E; `catches` lists the catch events."""
    return bpmn('<startEvent id="S"/>' + throw + catches + LINK_TAIL
                + flows("S>LT", "A>E")
                + "".join(f'<sequenceFlow id="F_{c}_A" sourceRef="{c}" targetRef="A"/>'
                          for c in ("LC", "LC2") if f'id="{c}"' in catches))


def _link(tag: str, eid: str, name: str | None = None, link: str | None = None) -> str:
    name_attr = f' name="{name}"' if name else ""
    link_attr = f' name="{link}"' if link else ""
    return f'<{tag} id="{eid}"{name_attr}><linkEventDefinition{link_attr}/></{tag}>'


@pytest.mark.parametrize("throw, catch", [
    # rule 1: the link definition names agree, the event names do not
    (("LT", "Go on", "L1"), ("LC", "Continue", "L1")),
    # rule 2: the definitions are named differently, the events alike
    (("LT", "To review", "LinkEventDefinition_1"), ("LC", "To review", "LinkEventDefinition_2")),
    # rule 3: nothing agrees, but there is one throw and one catch on the level
    (("LT", None, "a"), ("LC", None, "b")),
])
def test_link_events_pair_by_definition_then_event_name_then_alone(throw, catch):
    xml = _links(_link("intermediateThrowEvent", *throw),
                 _link("intermediateCatchEvent", *catch))
    assert codes(xml) == []


def test_unpaired_link_names_the_candidates():
    xml = _links(_link("intermediateThrowEvent", "LT", None, "a"),
                 _link("intermediateCatchEvent", "LC", "One", "b")
                 + _link("intermediateCatchEvent", "LC2", "Two", "c"))
    findings = [f for f in read_bpmn(xml).check() if f.code == "link-unpaired"]
    assert [(f.severity, f.element_id) for f in findings] == [("error", "LT")]
    assert "LC named 'One' link 'b'" in findings[0].message
    assert "LC2 named 'Two' link 'c'" in findings[0].message


def test_ambiguous_link_is_an_error_naming_both_catches():
    xml = _links(_link("intermediateThrowEvent", "LT", None, "x"),
                 _link("intermediateCatchEvent", "LC", None, "x")
                 + _link("intermediateCatchEvent", "LC2", None, "x"))
    (finding,) = [f for f in read_bpmn(xml).check() if f.code == "link-unpaired"]
    assert "ambiguous" in finding.message and "LC " in finding.message and "LC2" in finding.message


def test_link_events_connect_paths():
    xml = bpmn('<startEvent id="S"/><intermediateThrowEvent id="LT"><linkEventDefinition '
               'name="go"/></intermediateThrowEvent><intermediateCatchEvent id="LC">'
               '<linkEventDefinition name="go"/></intermediateCatchEvent><endEvent id="E"/>'
               + flows("S>LT", "LC>E"))
    assert codes(xml) == []


def test_bad_default_and_bad_attachment():
    xml = bpmn('<startEvent id="S"/><exclusiveGateway id="X" default="F_nope"/>'
               '<endEvent id="E"/><boundaryEvent id="B" attachedToRef="E"/>'
               + flows("S>X", "X>E"))
    found = codes(xml)
    assert ("error", "bad-default", "X") in found
    assert ("error", "bad-attachment", "B") in found


def test_implicit_end_warns_when_end_events_exist():
    xml = bpmn('<startEvent id="S"/><exclusiveGateway id="X" default="F_X_E"/><task id="A"/>'
               '<endEvent id="E"/>' + flows("S>X", "X>A", "X>E"))
    assert codes(xml) == [("warning", "implicit-end", "A")]


def test_errors_come_before_warnings():
    model = read_bpmn(FIXTURES / "all-elements.bpmn")
    severities = [f.severity for f in model.check()]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert all(isinstance(f, Finding) for f in model.check())


def test_check_model_exits_1_on_a_certain_deadlock(tmp_path, capsys):
    from leanproc.cli import main

    path = tmp_path / "deadlock.bpmn"
    path.write_text(bpmn('<startEvent id="S"/><exclusiveGateway id="X" default="F_X_B"/>'
                         '<task id="A"/><task id="B"/><parallelGateway id="J"/>'
                         '<endEvent id="E"/>'
                         + flows("S>X", "X>A", "X>B", "A>J", "B>J", "J>E")), encoding="utf-8")
    assert main(["check-model", str(path)]) == 1
    assert "parallel-join-deadlock" in capsys.readouterr().out
