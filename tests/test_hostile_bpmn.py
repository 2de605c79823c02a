"""Hostile and broken BPMN inputs, each read in a child process with a time and memory bound.

Every document is generated here (no stored files). The child sets ``RLIMIT_AS`` before it
reads and the parent gives it a timeout; the bounds are far above what a correct reader needs
(tens of milliseconds, tens of megabytes), so a busy machine does not fail them, while a
regression to quadratic work or unbounded memory runs into them. The child prints what it
found as JSON: the reading notes and check findings, or the error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from leanproc.bpmn.namespaces import LEANPROC

SRC = Path(__file__).resolve().parents[1] / "src"
MEMORY_BYTES = 1 << 30  # 1 GiB of address space: the reads below need well under 100 MB
TIMEOUT_S = 60.0

_CHILD = r"""
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from leanproc.bpmn import read_bpmn
from leanproc.errors import BPMNError
try:
    model = read_bpmn(sys.argv[1])
except BPMNError as exc:
    print(json.dumps({"error": str(exc)}))
else:
    print(json.dumps({
        "notes": list(model.notes),
        "findings": [[f.severity, f.code, f.element_id, f.message] for f in model.check()],
        "message_flows": {k: [m.source, m.target] for k, m in model.message_flows.items()},
        "properties": {k: dict(n.properties) for k, n in model.nodes.items() if n.properties},
    }))
"""

HEAD = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="http://t">')


def read_bounded(tmp_path: Path, document: str, env: dict[str, str] | None = None
                 ) -> dict[str, Any]:
    """Read `document` in a child process under the memory bound and the timeout."""
    path = tmp_path / "model.bpmn"
    path.write_text(document, encoding="utf-8")
    child_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(MEMORY_BYTES)],
        capture_output=True, text=True, timeout=TIMEOUT_S, env=child_env, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def process(body: str, extra: str = "") -> str:
    return f'{HEAD}<process id="P">{body}</process>{extra}</definitions>'


def flows(*pairs: str) -> str:
    out = []
    for pair in pairs:
        src, dst = pair.split(">")
        out.append(f'<sequenceFlow id="F_{src}_{dst}" sourceRef="{src}" targetRef="{dst}"/>')
    return "".join(out)


LINEAR = '<startEvent id="S"/><task id="T" name="Work"/><endEvent id="E"/>' + flows("S>T", "T>E")


def errors(result: dict[str, Any]) -> list[list[str]]:
    return [f for f in result["findings"] if f[0] == "error"]


# ---- CPU: attributes ---------------------------------------------------------------------------

def test_an_attribute_flood_is_read_in_linear_time(tmp_path):
    # 200 000 attributes: linear reading takes well under a second; the former quadratic
    # look-up of every value by name took minutes, far past the timeout
    attrs = " ".join(f'x{i}="v"' for i in range(200_000))
    doc = process(f'<startEvent id="S"/><task id="T" {attrs}/><endEvent id="E"/>'
                  + flows("S>T", "T>E"))
    result = read_bounded(tmp_path, doc, {"LEANPROC_LIMIT_XML_ATTRIBUTES": "1000000"})
    assert errors(result) == []


def test_an_attribute_flood_over_the_limit_is_refused_naming_it(tmp_path):
    attrs = " ".join(f'x{i}="v"' for i in range(5_000))
    result = read_bounded(tmp_path, process(f'<task id="T" {attrs}/>'))
    assert "attributes on one XML element" in result["error"]
    assert "5,001" in result["error"] and "LEANPROC_LIMIT_XML_ATTRIBUTES" in result["error"]
    assert "<task>" in result["error"]


def test_leanproc_attributes_among_many_others_are_still_read(tmp_path):
    attrs = " ".join(f'x{i}="v"' for i in range(900))
    head = HEAD.replace(' id="D"', f' xmlns:leanproc="{LEANPROC}" id="D"')
    doc = (f'{head}<process id="P"><task id="T" {attrs} leanproc:value="waste" '
           'leanproc:approval="true"/></process></definitions>')
    result = read_bounded(tmp_path, doc)
    assert result["properties"] == {"T": {"leanproc:value": "waste",
                                          "leanproc:approval": "true"}}


# ---- cosmetic defects are notes ------------------------------------------------------------

@pytest.mark.parametrize("bad", ['height="None"', 'height=""', 'height="NaN"', 'height="inf"'])
def test_a_broken_diagram_value_is_noted_and_the_model_reads(tmp_path, bad):
    di = ('<bpmndi:BPMNDiagram id="Di"><bpmndi:BPMNPlane id="Pl" bpmnElement="P">'
          f'<bpmndi:BPMNShape id="Sh_T" bpmnElement="T"><dc:Bounds x="1" y="2" width="3" {bad}/>'
          "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>")
    result = read_bounded(tmp_path, process(LINEAR, di))
    assert errors(result) == []
    (note,) = result["notes"]
    assert "'Sh_T'" in note and "height" in note


def test_an_empty_loop_maximum_is_noted(tmp_path):
    body = LINEAR.replace('<task id="T" name="Work"/>',
                          '<task id="T"><standardLoopCharacteristics loopMaximum=""/></task>')
    result = read_bounded(tmp_path, process(body))
    (note,) = result["notes"]
    assert "'T'" in note and "loopMaximum" in note


def test_a_dangling_event_definition_ref_is_noted(tmp_path):
    body = LINEAR.replace('<startEvent id="S"/>',
                          '<startEvent id="S"><eventDefinitionRef>Gone</eventDefinitionRef>'
                          "</startEvent>")
    result = read_bounded(tmp_path, process(body))
    assert errors(result) == []
    (note,) = result["notes"]
    assert "'S'" in note and "'Gone'" in note


# ---- QName references ------------------------------------------------------------------------

COLLABORATION = (
    '<collaboration id="C"><participant id="Pa" processRef="bpmn2:P"/>'
    '<participant id="Pb"/>'
    '<messageFlow id="MF" sourceRef="bpmn2:T" targetRef="{target}"/></collaboration>'
)


def test_qualified_message_flow_ends_resolve(tmp_path):
    doc = (f'{HEAD}{COLLABORATION.format(target="bpmn2:Pb")}<process id="P">{LINEAR}'
           "</process></definitions>")
    result = read_bounded(tmp_path, doc)
    assert result["message_flows"] == {"MF": ["T", "Pb"]}
    assert errors(result) == []


def test_an_undeclared_prefix_is_an_error_naming_it(tmp_path):
    doc = (f'{HEAD}{COLLABORATION.format(target="nowhere:Pb")}<process id="P">{LINEAR}'
           "</process></definitions>")
    result = read_bounded(tmp_path, doc)
    assert "'nowhere'" in result["error"] and "'nowhere:Pb'" in result["error"]


# ---- links and deadlocks -----------------------------------------------------------------------

def test_links_named_alike_but_defined_differently_pair(tmp_path):
    body = ('<startEvent id="S"/><intermediateThrowEvent id="LT" name="To B">'
            '<linkEventDefinition name="LinkEventDefinition_1"/></intermediateThrowEvent>'
            '<intermediateCatchEvent id="LC" name="To B"><linkEventDefinition '
            'name="LinkEventDefinition_2"/></intermediateCatchEvent>'
            '<intermediateThrowEvent id="LT2" name="To C"><linkEventDefinition name="x"/>'
            '</intermediateThrowEvent><task id="B"/><endEvent id="E"/>'
            '<exclusiveGateway id="X" default="F_X_LT2"/>'
            + flows("S>X", "X>LT", "X>LT2", "LC>B", "B>E"))
    result = read_bounded(tmp_path, process(body))
    codes = [(f[1], f[2]) for f in errors(result)]
    # LT pairs by event name (and B after it is reachable); LT2 has no catch: one error
    assert codes == [("link-unpaired", "LT2")]
    assert "LC named 'To B'" in errors(result)[0][3]


def test_a_certain_deadlock_is_an_error(tmp_path):
    body = ('<startEvent id="S"/><exclusiveGateway id="X" default="F_X_B"/><task id="A"/>'
            '<task id="B"/><parallelGateway id="J"/><endEvent id="E"/>'
            + flows("S>X", "X>A", "X>B", "A>J", "B>J", "J>E"))
    result = read_bounded(tmp_path, process(body))
    assert [(f[1], f[2]) for f in errors(result)] == [("parallel-join-deadlock", "J")]
