"""write_bpmn / read_bpmn round trips, and robustness of the reader against malformed input.

Property tests (hypothesis, derandomised so runs are reproducible):
* a generated well-formed model, written and read back, equals the generated model;
* random bytes, byte-mutated, tree-mutated and truncated BPMN files never raise anything but
  `BPMNError` — and whatever does read can be checked, counted, written and read back equal.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from leanproc.bpmn import (
    Activity,
    Bounds,
    DataItem,
    Diagram,
    Edge,
    Event,
    EventDefinition,
    Gateway,
    Kind,
    Lane,
    LoopCharacteristics,
    MessageFlow,
    Participant,
    Process,
    ProcessModel,
    SequenceFlow,
    Shape,
    TextAnnotation,
    read_bpmn,
    write_bpmn,
)
from leanproc.errors import BPMNError

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"
SEEDS = [FIXTURES / "all-elements.bpmn", FIXTURES / "cyrillic-windows-1251.bpmn",
         Path(__file__).parents[1] / "src" / "leanproc" / "examples" / "hello.bpmn"]
SEED_BYTES = [p.read_bytes() for p in SEEDS]

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ---- strategies ----------------------------------------------------------------------------
# XML 1.0 cannot hold control characters, surrogates or non-characters; the reader strips the
# text content of expressions and documentation, so generated text is stripped too.
_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
names = st.one_of(st.none(), st.text(_chars, min_size=1, max_size=12))
texts = st.text(_chars, min_size=1, max_size=16).map(str.strip).filter(bool)
opt_texts = st.one_of(st.none(), texts)
props = st.dictionaries(st.text(_chars, min_size=1, max_size=8), st.text(_chars, max_size=8),
                        max_size=3).map(MappingProxyType)
coords = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3))
bounds = st.builds(Bounds, coords, coords, coords, coords)

TASK_TAGS = ["task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask",
             "receiveTask", "businessRuleTask"]
SUB_TAGS = {"subProcess": "embedded", "transaction": "transaction", "adHocSubProcess": "adhoc"}
EVENT_KINDS = {"startEvent": Kind.START_EVENT, "endEvent": Kind.END_EVENT,
               "intermediateCatchEvent": Kind.INTERMEDIATE_CATCH,
               "intermediateThrowEvent": Kind.INTERMEDIATE_THROW}
GATEWAY_KINDS = {"exclusiveGateway": Kind.EXCLUSIVE_GATEWAY,
                 "parallelGateway": Kind.PARALLEL_GATEWAY,
                 "inclusiveGateway": Kind.INCLUSIVE_GATEWAY,
                 "eventBasedGateway": Kind.EVENT_BASED_GATEWAY,
                 "complexGateway": Kind.COMPLEX_GATEWAY}


@st.composite
def event_definitions(draw: Any, ids: Any) -> EventDefinition:
    kind = draw(st.sampled_from(["timer", "message", "signal", "error", "escalation",
                                 "compensate", "conditional", "link", "terminate", "cancel"]))
    def_id = draw(st.one_of(st.none(), st.just(ids())))
    if kind == "timer":
        which = draw(st.sampled_from(["time_duration", "time_date", "time_cycle"]))
        return EventDefinition("timer", def_id, **{which: draw(texts)})
    if kind in ("message", "signal", "error", "escalation", "compensate"):
        # a reference is an id (the schema's QName, written without a prefix)
        return EventDefinition(kind, def_id, ref=draw(st.one_of(st.none(), st.just(ids()))))
    if kind == "conditional":
        return EventDefinition(kind, def_id, condition=draw(opt_texts))
    if kind == "link":
        return EventDefinition(kind, def_id, name=draw(names))
    return EventDefinition(kind, def_id)


loops = st.one_of(
    st.none(),
    st.builds(LoopCharacteristics, st.just("standard"), condition=opt_texts,
              maximum=st.one_of(st.none(), st.integers(0, 10**6)), test_before=st.booleans()),
    st.builds(LoopCharacteristics, st.just("multi_instance"), sequential=st.booleans(),
              cardinality=opt_texts, completion_condition=opt_texts),
)


@st.composite
def models(draw: Any) -> ProcessModel:
    """A consistent model: the derived fields (incoming/outgoing, lanes, children, boundary
    events, process contents) follow the reader's documented rules."""
    counter = iter(range(10**6))

    def ids() -> str:
        return f"id_{next(counter)}"

    nodes: dict[str, dict[str, Any]] = {}  # pre-order, like a document
    flows: dict[str, SequenceFlow] = {}
    processes: dict[str, Process] = {}
    lanes: dict[str, Lane] = {}
    data: dict[str, DataItem] = {}
    participants: dict[str, Participant] = {}

    def make_node(pid: str, parent: str | None) -> str:
        nid = ids()
        group = draw(st.sampled_from(["task", "sub", "call", "event", "gateway"] if parent is None
                                     else ["task", "call", "event", "gateway"]))
        base: dict[str, Any] = {"id": nid, "name": draw(names), "process_id": pid,
                                "parent_id": parent, "documentation": draw(opt_texts),
                                "properties": draw(props)}
        if group in ("task", "sub", "call"):
            if group == "task":
                tag, kind, sub = draw(st.sampled_from(TASK_TAGS)), Kind.TASK, None
            elif group == "sub":
                tag = draw(st.sampled_from([*SUB_TAGS, "event"]))
                sub = "event" if tag == "event" else SUB_TAGS[tag]
                tag = "subProcess" if tag == "event" else tag
                kind = Kind.SUBPROCESS
            else:
                tag, kind, sub = "callActivity", Kind.CALL_ACTIVITY, None
            base.update(cls=Activity, tag=tag, kind=kind, subprocess=sub, loop=draw(loops),
                        is_for_compensation=draw(st.booleans()))
            if group == "call":
                base["called_element"] = draw(opt_texts)
        elif group == "event":
            tag = draw(st.sampled_from(list(EVENT_KINDS)))
            base.update(cls=Event, tag=tag, kind=EVENT_KINDS[tag],
                        definitions=tuple(draw(st.lists(event_definitions(ids), max_size=2))),
                        parallel_multiple=draw(st.booleans()))
            if tag == "startEvent":
                base["cancel_activity"] = draw(st.booleans())
        else:
            tag = draw(st.sampled_from(list(GATEWAY_KINDS)))
            base.update(cls=Gateway, tag=tag, kind=GATEWAY_KINDS[tag],
                        direction=draw(st.sampled_from(["Unspecified", "Converging",
                                                        "Diverging", "Mixed"])))
            if tag == "eventBasedGateway":
                base["instantiate"] = draw(st.booleans())
                base["event_gateway_type"] = draw(st.sampled_from([None, "Exclusive",
                                                                   "Parallel"]))
        nodes[nid] = base
        return nid

    def fill(pid: str, parent: str | None, size: int) -> tuple[list[str], list[str]]:
        children: list[str] = []
        for _ in range(size):
            nid = make_node(pid, parent)
            children.append(nid)
            if nodes[nid]["kind"] is Kind.SUBPROCESS:
                inner, inner_flows = fill(pid, nid, draw(st.integers(0, 3)))
                nodes[nid]["children"] = tuple(inner)
                nodes[nid]["_flows"] = inner_flows
        activities = [c for c in children if nodes[c]["kind"].is_activity]
        for host in draw(st.lists(st.sampled_from(activities), max_size=2)) if activities else ():
            bid = ids()
            nodes[bid] = {"cls": Event, "id": bid, "name": draw(names), "tag": "boundaryEvent",
                          "kind": Kind.BOUNDARY_EVENT, "process_id": pid, "parent_id": parent,
                          "attached_to": host, "cancel_activity": draw(st.booleans()),
                          "definitions": tuple(draw(st.lists(event_definitions(ids),
                                                             max_size=1)))}
            children.append(bid)
        own_flows = []
        if children:
            for _ in range(draw(st.integers(0, 5))):
                fid = ids()
                src, dst = draw(st.sampled_from(children)), draw(st.sampled_from(children))
                flows[fid] = SequenceFlow(fid, src, dst, pid, draw(names), draw(opt_texts),
                                          parent)
                own_flows.append(fid)
        for _ in range(draw(st.integers(0, 1))):
            did = ids()
            data[did] = DataItem(did, draw(names), "dataObject", pid, parent,
                                 is_collection=draw(st.booleans()), properties=draw(props))
        return children, own_flows

    for _ in range(draw(st.integers(1, 2))):
        pid = ids()
        top, own = fill(pid, None, draw(st.integers(0, 6)))

        def order(container_flows: list[str], members: list[str]) -> list[str]:
            out = list(container_flows)
            for m in members:
                if nodes[m]["kind"] is Kind.SUBPROCESS:
                    out += order(nodes[m]["_flows"], list(nodes[m]["children"]))
            return out

        flow_order = order(own, top)
        lane_ids: list[str] = []
        assignment: dict[str, str] = {}
        n_lanes = draw(st.integers(0, 2))
        for _ in range(n_lanes):
            lane_ids.append(ids())
        for nid in top:
            if lane_ids and draw(st.booleans()):
                assignment[nid] = draw(st.sampled_from(lane_ids))
        for lid in lane_ids:
            members = tuple(n for n in top if assignment.get(n) == lid)
            lanes[lid] = Lane(lid, draw(names), pid, None, members, (), draw(props))
        for fid in flow_order:
            f = flows[fid]
            nodes[f.source].setdefault("outgoing", []).append(fid)
            nodes[f.target].setdefault("incoming", []).append(fid)
        processes[pid] = Process(pid, draw(names), draw(st.sampled_from([None, True, False])),
                                 tuple(top), tuple(flow_order), tuple(lane_ids))
        for nid in list(nodes):
            kw = nodes[nid]
            if kw["process_id"] == pid and "lane_id" not in kw:
                parent = kw["parent_id"]
                kw["lane_id"] = assignment.get(nid) if parent is None else nodes[parent]["lane_id"]
        if draw(st.booleans()):
            part = ids()
            participants[part] = Participant(part, draw(names), pid, draw(props))

    built = {}
    for nid, kw in nodes.items():
        kw = dict(kw)
        cls = kw.pop("cls")
        kw.pop("_flows", None)
        kw["incoming"] = tuple(kw.get("incoming", ()))
        kw["outgoing"] = tuple(kw.get("outgoing", ()))
        if cls is Activity:
            kw["boundary_events"] = tuple(b for b, v in nodes.items()
                                          if v.get("attached_to") == nid)
        if cls is Gateway or cls is Activity:
            outs = kw["outgoing"]
            kw["default_flow"] = draw(st.sampled_from([None, *outs]))
        built[nid] = cls(**kw)

    message_flows = {}
    node_ids = list(built)
    if node_ids:
        for _ in range(draw(st.integers(0, 2))):
            mid = ids()
            message_flows[mid] = MessageFlow(mid, draw(st.sampled_from(node_ids)),
                                             draw(st.sampled_from(node_ids)), draw(names),
                                             draw(opt_texts))
    annotations = {}
    for _ in range(draw(st.integers(0, 1))):
        aid = ids()
        annotations[aid] = TextAnnotation(aid, draw(opt_texts), draw(st.sampled_from(
            [None, *processes])) if not participants and not message_flows
            else draw(st.sampled_from(list(processes))))
    diagrams = ()
    if node_ids and draw(st.booleans()):
        shapes = tuple(Shape(ids(), n, draw(bounds), draw(st.sampled_from([None, True, False])),
                             None, draw(st.one_of(st.none(), bounds)))
                       for n in draw(st.lists(st.sampled_from(node_ids), max_size=3)))
        edges = tuple(Edge(ids(), f, tuple(draw(st.lists(st.tuples(coords, coords),
                                                          max_size=3))), None)
                      for f in list(flows)[:2])
        diagrams = (Diagram(ids(), draw(names), next(iter(processes)), shapes, edges),)
    return ProcessModel(
        nodes=built, flows=flows, processes=processes, participants=participants, lanes=lanes,
        message_flows=message_flows, data=data, annotations=annotations, diagrams=diagrams,
        id=draw(st.one_of(st.none(), st.just(ids()))), name=draw(names),
        target_namespace=draw(opt_texts), exporter=draw(opt_texts),
        exporter_version=draw(opt_texts),
        collaboration_id=ids() if participants or message_flows else None,
    )


# ---- properties ----------------------------------------------------------------------------
@SETTINGS
@given(models())
def test_generated_models_round_trip(model):
    assert read_bpmn(write_bpmn(model)) == model


def _tolerant_pipeline(data: bytes) -> None:
    """Read; anything but BPMNError fails the test. What reads must survive the rest."""
    try:
        model = read_bpmn(data)
    except BPMNError:
        return
    model.check()
    model.structure()
    try:
        out = write_bpmn(model)
    except BPMNError:
        return
    again = read_bpmn(out)
    assert again == model


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_only_raise_bpmn_error(data):
    _tolerant_pipeline(data)


@SETTINGS
@given(st.sampled_from(SEED_BYTES), st.data())
def test_truncated_files_only_raise_bpmn_error(seed, data):
    cut = data.draw(st.integers(0, len(seed)))
    _tolerant_pipeline(seed[:cut])


@SETTINGS
@given(st.sampled_from(SEED_BYTES), st.lists(st.tuples(
    st.sampled_from(["delete", "insert", "replace", "duplicate"]), st.floats(0, 1),
    st.integers(1, 40), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4))
def test_byte_mutations_only_raise_bpmn_error(seed, mutations):
    data = bytearray(seed)
    for op, where, length, payload in mutations:
        at = int(where * len(data))
        if op == "delete":
            del data[at:at + length]
        elif op == "insert":
            data[at:at] = payload
        elif op == "replace":
            data[at:at + len(payload)] = payload
        else:
            data[at:at] = data[at:at + length]
    _tolerant_pipeline(bytes(data))


_ATTRS = ["id", "sourceRef", "targetRef", "attachedToRef", "default", "name", "x", "width",
          "isInterrupting", "cancelActivity", "loopMaximum", "calledElement", "processRef",
          "triggeredByEvent", "dataObjectRef", "bpmnElement"]


@SETTINGS
@given(st.sampled_from(SEEDS), st.lists(st.tuples(
    st.sampled_from(["drop", "attr", "move", "copy", "rename"]), st.integers(0, 10**6),
    st.integers(0, 10**6), st.sampled_from(_ATTRS), st.text(_chars, max_size=6)),
    min_size=1, max_size=5))
def test_tree_mutations_only_raise_bpmn_error(seed, mutations):
    root = etree.fromstring(seed.read_bytes())
    for op, i, j, attr, value in mutations:
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        el, other = elements[i % len(elements)], elements[j % len(elements)]
        if el is root:
            continue
        if op == "drop":
            el.getparent().remove(el)
        elif op == "attr":
            el.set(attr, value)
        elif op == "move" and other is not el and el not in other.iterancestors():
            other.append(el)
        elif op == "copy" and el not in other.iterancestors():
            other.append(etree.fromstring(etree.tostring(el)))
        elif op == "rename":
            el.tag = other.tag
    _tolerant_pipeline(etree.tostring(root))


# ---- examples --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [*SEEDS, FIXTURES / "cyrillic-utf-16.bpmn"],
                         ids=lambda p: p.name)
def test_fixture_round_trip(path, tmp_path):
    model = read_bpmn(path)
    out = tmp_path / "out.bpmn"
    data = write_bpmn(model, out)
    assert out.read_bytes() == data
    assert read_bpmn(out) == model


def test_output_uses_standard_namespaces_and_leanproc_properties():
    model = read_bpmn(FIXTURES / "all-elements.bpmn")
    root = etree.fromstring(write_bpmn(model))
    assert root.tag == "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
    assert root.nsmap["bpmn"] == "http://www.omg.org/spec/BPMN/20100524/MODEL"
    assert root.nsmap["bpmndi"] == "http://www.omg.org/spec/BPMN/20100524/DI"
    props = root.findall(".//{https://leanproc.org/schema/bpmn/1.0}property")
    assert {(p.get("name"), p.get("value")) for p in props} >= {("leanproc:value", "waste"),
                                                                 ("cost_center", "CC-7")}


def test_unwritable_text_is_a_bpmn_error():
    model = read_bpmn(FIXTURES / "all-elements.bpmn")
    node = model.nodes["T_Plain"]
    broken = ProcessModel(**{**{f: getattr(model, f) for f in model.__dataclass_fields__},
                             "nodes": {**model.nodes, "T_Plain": Activity(
                                 **{f: getattr(node, f) for f in node.__dataclass_fields__
                                    if f != "name"}, name="bad\x01name")}})
    with pytest.raises(BPMNError, match="cannot write"):
        write_bpmn(broken)


def test_node_outside_every_process_is_refused():
    model = read_bpmn(FIXTURES / "all-elements.bpmn")
    stray = Activity("Stray", "stray", "task", Kind.TASK, "P_Main")
    broken = ProcessModel(**{**{f: getattr(model, f) for f in model.__dataclass_fields__},
                             "nodes": {**model.nodes, "Stray": stray}})
    with pytest.raises(BPMNError, match="Stray"):
        write_bpmn(broken)
