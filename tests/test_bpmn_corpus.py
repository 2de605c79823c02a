"""The shared corpus of real BPMN files: MIWG reference models and files from other tools.

Expectations are computed here by an independent, deliberately plain method — the standard
library's ElementTree and a count of elements by tag — never copied from the reader's output.
Skipped when ../shared/corpus is absent.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from leanproc.bpmn import read_bpmn, write_bpmn
from leanproc.errors import BPMNError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bpmn"
MANIFEST = CORPUS / "MANIFEST.tsv"
M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpus/bpmn is absent"),
]

FLOW_NODE_TAGS = {
    "task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask", "subProcess", "transaction", "adHocSubProcess", "callActivity",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
    "eventBasedGateway", "complexGateway",
}


def _rows() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


ROWS = _rows()
MIWG = [r for r in ROWS if r["source"].startswith("miwg")]


def _is_bpmn20(path: Path) -> tuple[bool, str]:
    """Independent verdict: well-formed XML whose root is BPMN 2.0 <definitions> (the
    namespace-less form is accepted too, as documented in leanproc.bpmn.namespaces)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return False, f"not well-formed: {exc}"
    if root.tag in (M + "definitions", "definitions"):
        return True, "BPMN 2.0 definitions"
    return False, f"root is {root.tag}"


@pytest.mark.parametrize("row", ROWS, ids=[r["local"] for r in ROWS])
def test_corpus_file_reads_iff_it_is_bpmn20(row):
    path = CORPUS / row["local"]
    ok, why = _is_bpmn20(path)
    if ok:
        model = read_bpmn(path)
        assert model.source == str(path)
        model.check()  # never raises, whatever the file holds
        model.structure()
    else:
        with pytest.raises(BPMNError) as info:
            read_bpmn(path)
        assert str(path) in str(info.value), why


def test_share_read_is_complete():
    """Every well-formed BPMN 2.0 file of the corpus reads; the rest fail cleanly."""
    readable = failed = 0
    for row in ROWS:
        path = CORPUS / row["local"]
        ok, _ = _is_bpmn20(path)
        if not ok:
            continue
        try:
            read_bpmn(path)
            readable += 1
        except BPMNError:
            failed += 1
    assert readable >= 300 and failed == 0


def test_miwg_reference_set_is_present():
    assert len(MIWG) == 21


@pytest.mark.parametrize("row", MIWG, ids=[r["local"] for r in MIWG])
def test_miwg_counts_match_the_file(row):
    path = CORPUS / row["local"]
    root = ET.parse(path).getroot()
    by_tag: Counter[str] = Counter()
    lane_refs: dict[str, int] = {}
    definitions_in_events = 0
    for el in root.iter():
        tag = el.tag
        if tag.startswith(M):
            local = tag[len(M):]
            by_tag[local] += 1
            if local == "lane":
                lane_refs[el.get("id")] = sum(1 for c in el if c.tag == M + "flowNodeRef")
            if local in ("startEvent", "endEvent", "intermediateCatchEvent",
                         "intermediateThrowEvent", "boundaryEvent"):
                definitions_in_events += sum(
                    1 for c in el if c.tag.startswith(M) and c.tag.endswith("EventDefinition"))
        elif tag.startswith(BPMNDI):
            by_tag["di:" + tag[len(BPMNDI):]] += 1

    model = read_bpmn(path)
    expected_nodes = {t: by_tag[t] for t in FLOW_NODE_TAGS if by_tag[t]}
    assert dict(Counter(n.tag for n in model.nodes.values())) == expected_nodes
    assert len(model.flows) == by_tag["sequenceFlow"]
    assert len(model.message_flows) == by_tag["messageFlow"]
    assert len(model.participants) == by_tag["participant"]
    assert len(model.processes) == by_tag["process"]
    assert len(model.lanes) == by_tag["lane"]
    assert {lid: len(lane.members) for lid, lane in model.lanes.items()} == lane_refs
    for tag in ("dataObject", "dataObjectReference", "dataStoreReference", "dataStore"):
        assert sum(1 for d in model.data.values() if d.tag == tag) == by_tag[tag], tag
    assert len(model.annotations) == by_tag["textAnnotation"]
    assert len(model.associations) == by_tag["association"]
    assert len(model.data_associations) == (by_tag["dataInputAssociation"]
                                            + by_tag["dataOutputAssociation"])
    assert sum(len(e.definitions) for e in model.events) == definitions_in_events
    assert len(model.diagrams) == by_tag["di:BPMNDiagram"]
    assert sum(len(d.shapes) for d in model.diagrams) == by_tag["di:BPMNShape"]
    assert sum(len(d.edges) for d in model.diagrams) == by_tag["di:BPMNEdge"]
    # every sequence flow appears once as an outgoing and once as an incoming of a node
    outs = Counter(f for n in model.nodes.values() for f in n.outgoing)
    ins = Counter(f for n in model.nodes.values() for f in n.incoming)
    assert outs == ins == Counter(list(model.flows))
    # boundary events are attached to their hosts
    attached = Counter(e.attached_to for e in model.events if e.attached_to)
    assert attached == Counter({a.id: len(a.boundary_events)
                                for a in model.activities if a.boundary_events})
    assert model.duplicate_ids == ()


@pytest.mark.parametrize("row", ROWS, ids=[r["local"] for r in ROWS])
def test_corpus_round_trip(row):
    path = CORPUS / row["local"]
    if not _is_bpmn20(path)[0]:
        pytest.skip("not BPMN 2.0")
    model = read_bpmn(path)
    assert read_bpmn(write_bpmn(model)) == model
