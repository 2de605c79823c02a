"""Reading BPMN 2.0 XML into a `ProcessModel`: one pass over the element tree.

The reader walks the tree once, top-down, dispatching on each element's tag through dictionary
look-ups (no XPath, no copies), and gathers drafts in a `ReadState`; the frozen model objects
are built at the end, when everything that depends on the whole file is known:

* ``incoming`` / ``outgoing`` come from the sequence flows' ``sourceRef`` / ``targetRef`` (real
  files often disagree with their own ``<incoming>`` lists; the flows are the truth). Their order
  is the *canonical flow order*: a process's own flows in document order, then each embedded
  subprocess's flows in the order of the subprocesses (recursively). `Process.flows` uses the same
  order, so a model written and read again is equal whatever the original file's interleaving.
* A node's lane is the innermost lane that lists it; a node no lane lists inherits the lane of
  its enclosing subprocess.
* Boundary events are attached to their activity (`Activity.boundary_events`), subprocesses list
  their direct children, call activities are resolved to a process in the same file.

Duplicate ids do not stop reading: the first element keeps the id, the model's
`duplicate_ids` lists it and `model.check()` reports it as an error, so the model can still be
inspected. An element without an id gets a generated one (``<tag>_<n>``), noted in
`ProcessModel.notes`. Cosmetic defects that cannot change how the process runs (a drawing
coordinate "None" or "NaN", an empty loopMaximum, an eventDefinitionRef to nothing) are ignored
and noted there too, naming the element. Malformed values that change behaviour (a loopMaximum
that is not a number, an undeclared prefix in a reference) are collected and raised together as
one `BPMNError`. References the schema types as QNames may be written ``prefix:id``. See
`namespaces` for which namespaces count as BPMN.

This module walks the document, its processes, collaborations and containers of flow elements;
the element readers live beside it: `_read_nodes` (activities, events, gateways, sequence
flows), `_read_artifacts` (lanes, data, associations, annotations, definitions-level elements),
`_read_di` (diagram interchange), and `_read_assembly` builds the model.
"""

from __future__ import annotations

import os

from lxml import etree

from leanproc.bpmn._read_artifacts import (
    DATA_TAGS,
    ROOT_ELEMENT_TAGS,
    read_annotation,
    read_association,
    read_data,
    read_io_specification,
    read_lane_set,
    read_root_element,
)
from leanproc.bpmn._read_assembly import assemble
from leanproc.bpmn._read_di import BPMNDI, read_diagram
from leanproc.bpmn._read_nodes import (
    EVENT_DEFINITION_TAGS,
    EVENT_TAGS,
    GATEWAY_TAGS,
    SUBPROCESS_TAGS,
    TASK_TAGS,
    read_activity,
    read_event,
    read_flow,
    read_gateway,
)
from leanproc.bpmn._read_state import ProcessDraft, ReadState
from leanproc.bpmn._read_values import as_opt_bool, name_of
from leanproc.bpmn.model import MessageFlow, Participant, ProcessModel
from leanproc.bpmn.xmlsafe import DEFAULT_MAX_BYTES, load_source, parse_xml
from leanproc.errors import BPMNError

__all__ = ["read_bpmn"]

_BPMN_DIAGRAM = BPMNDI + "BPMNDiagram"


def read_bpmn(
    source: str | os.PathLike[str] | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ProcessModel:
    """Read a BPMN 2.0 file into an immutable `ProcessModel`.

    `source` is a path, XML text (a ``str`` starting with ``<``) or bytes. Documents larger than
    `max_bytes` are refused before they are read. Anything that is not a safe, well-formed BPMN
    2.0 document raises `BPMNError` naming the source and the problem.

    >>> model = read_bpmn("process.bpmn")            # doctest: +SKIP
    >>> model.node("Register application").lane_id   # doctest: +SKIP
    """
    data, label = load_source(source, max_bytes)
    root = parse_xml(data, label)
    st = ReadState(root, label)
    _read_definitions(st, root)
    if st.problems:
        raise BPMNError(st.problems, source=label)
    return assemble(st)


def _read_definitions(st: ReadState, root: etree._Element) -> None:
    local = st.local
    for child in root:  # event definitions can be referenced before they appear
        tag = local(child)
        if tag in EVENT_DEFINITION_TAGS:
            eid = child.get("id")
            if eid:
                st.global_event_definitions[eid] = child
    for child in root:
        tag = local(child)
        if tag == "process":
            _read_process(st, child)
        elif tag == "collaboration":
            _read_collaboration(st, child)
        elif tag in ROOT_ELEMENT_TAGS:
            read_root_element(st, child, tag)
        elif tag == "dataStore":
            read_data(st, child, tag, None, None)
        elif tag == "association":
            read_association(st, child)
        elif tag == "textAnnotation":
            read_annotation(st, child, None)
        elif tag is None and child.tag == _BPMN_DIAGRAM:
            read_diagram(st, child)


def _read_process(st: ReadState, el: etree._Element) -> None:
    pid, new = st.claim_id(el, "process")
    if new:
        st.processes[pid] = ProcessDraft(pid, name_of(el), as_opt_bool(el.get("isExecutable")))
    elif pid not in st.processes:  # the id belongs to another kind of element
        return
    _read_container(st, el, pid, None)


def _read_collaboration(st: ReadState, el: etree._Element) -> None:
    cid, _ = st.claim_id(el, "collaboration")
    if st.collaboration_id is None:
        st.collaboration_id = cid
    for child in el:
        tag = st.local(child)
        if tag == "participant":
            pid, new = st.claim_id(child, tag)
            if new:
                st.participants[pid] = Participant(
                    pid, name_of(child), st.ref(child, child.get("processRef")),
                    st.properties_of(child),
                )
        elif tag == "messageFlow":
            fid, new = st.claim_id(child, tag)
            if new:
                st.message_flows[fid] = MessageFlow(
                    fid, st.ref(child, child.get("sourceRef")) or "",
                    st.ref(child, child.get("targetRef")) or "",
                    name_of(child), st.ref(child, child.get("messageRef")),
                )
        elif tag == "association":
            read_association(st, child)
        elif tag == "textAnnotation":
            read_annotation(st, child, None)


def _read_container(
    st: ReadState, el: etree._Element, pid: str, parent_id: str | None
) -> None:
    """The flow elements of a process (`parent_id` None) or of an embedded subprocess."""
    key = ("s", parent_id) if parent_id else ("p", pid)
    flows = st.container_flows.setdefault(key, [])
    children = st.container_children.setdefault(key, [])
    local = st.local
    for child in el:
        tag = local(child)
        if tag is None:
            continue
        if tag in TASK_TAGS or tag == "callActivity":
            nid = read_activity(st, child, tag, pid, parent_id)
            if nid:
                children.append(nid)
        elif tag in SUBPROCESS_TAGS:
            nid = read_activity(st, child, tag, pid, parent_id)
            if nid:
                children.append(nid)
                _read_container(st, child, pid, nid)
        elif tag in EVENT_TAGS:
            nid = read_event(st, child, tag, pid, parent_id)
            if nid:
                children.append(nid)
        elif tag in GATEWAY_TAGS:
            nid = read_gateway(st, child, tag, pid, parent_id)
            if nid:
                children.append(nid)
        elif tag == "sequenceFlow":
            fid = read_flow(st, child, pid, parent_id)
            if fid:
                flows.append(fid)
        elif tag == "laneSet":
            read_lane_set(st, child, pid, None, 0)
        elif tag in DATA_TAGS:
            read_data(st, child, tag, pid, parent_id)
        elif tag == "ioSpecification" and parent_id is None:
            read_io_specification(st, child, pid, None)
        elif tag == "association":
            read_association(st, child)
        elif tag == "textAnnotation":
            read_annotation(st, child, pid)
