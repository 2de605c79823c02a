"""Readers of everything around the flow: lanes, data, associations, annotations and the
definitions-level elements (messages, signals, errors, escalations) that events refer to."""

from __future__ import annotations

from types import MappingProxyType

from lxml import etree

from leanproc.bpmn._read_state import ReadState
from leanproc.bpmn._read_values import (
    as_bool,
    collect_properties,
    leanproc_attributes,
    name_of,
    text_of,
)
from leanproc.bpmn.model import (
    Association,
    DataAssociation,
    DataItem,
    Lane,
    RootElement,
    TextAnnotation,
)

# Definitions-level elements kept as `RootElement`, with the attribute that holds their code.
ROOT_ELEMENT_TAGS = {"message": None, "signal": None, "error": "errorCode",
                     "escalation": "escalationCode"}
DATA_TAGS = frozenset({"dataObject", "dataObjectReference", "dataStoreReference"})
_DATA_REF_ATTR = {"dataObjectReference": "dataObjectRef", "dataStoreReference": "dataStoreRef"}


def read_root_element(st: ReadState, el: etree._Element, tag: str) -> None:
    eid, new = st.claim_id(el, tag)
    if new:
        code_attr = ROOT_ELEMENT_TAGS[tag]
        st.root_elements[eid] = RootElement(
            eid, tag, name_of(el), el.get(code_attr) if code_attr else None
        )


def read_lane_set(
    st: ReadState, el: etree._Element, pid: str, parent_lane: str | None, depth: int
) -> list[str]:
    """Read the lanes of a laneSet / childLaneSet; returns the ids of its direct lanes."""
    ids: list[str] = []
    for child in el:
        if st.local(child) != "lane":
            continue
        lid, new = st.claim_id(child, "lane")
        if not new:
            continue
        ids.append(lid)
        name = name_of(child)
        # holds the lane's place in document order (before its nested lanes) until it is read
        st.lanes[lid] = Lane(lid, name, pid, parent_lane)
        st.lane_depth[lid] = depth
        process = st.processes.get(pid)
        if process is not None:
            process.lanes.append(lid)
        members: list[str] = []
        child_lanes: list[str] = []
        props: dict[str, str] = {}
        for sub in child:
            stag = st.local(sub)
            if stag == "flowNodeRef":
                ref = text_of(sub)
                if ref:
                    members.append(ref)
            elif stag == "childLaneSet":
                child_lanes.extend(read_lane_set(st, sub, pid, lid, depth + 1))
            elif stag == "extensionElements":
                collect_properties(sub, props)
        leanproc_attributes(child, props)
        st.lanes[lid] = Lane(lid, name, pid, parent_lane, tuple(members), tuple(child_lanes),
                             MappingProxyType(props))
    return ids


def read_data(
    st: ReadState, el: etree._Element, tag: str, pid: str | None, parent_id: str | None
) -> None:
    """A data object, data store (reference), data input or data output."""
    did, new = st.claim_id(el, tag)
    if not new:
        return
    ref_attr = _DATA_REF_ATTR.get(tag)
    st.data[did] = DataItem(
        did, name_of(el), tag, pid, parent_id,
        st.ref(el, el.get(ref_attr)) if ref_attr else None,
        as_bool(el.get("isCollection"), False), st.properties_of(el),
    )


def read_io_specification(
    st: ReadState, el: etree._Element, pid: str, owner: str | None
) -> None:
    for child in el:
        tag = st.local(child)
        if tag in ("dataInput", "dataOutput"):
            read_data(st, child, tag, pid, owner)


def read_data_association(
    st: ReadState, el: etree._Element, owner: str, direction: str
) -> None:
    sources: list[str] = []
    target = None
    for child in el:
        tag = st.local(child)
        if tag == "sourceRef":
            ref = text_of(child)
            if ref:
                sources.append(ref)
        elif tag == "targetRef":
            target = text_of(child)
    st.data_associations.append(
        DataAssociation(el.get("id") or None, owner, direction, tuple(sources), target)
    )


def read_association(st: ReadState, el: etree._Element) -> None:
    aid, new = st.claim_id(el, "association")
    if new:
        st.associations[aid] = Association(
            aid, st.ref(el, el.get("sourceRef")) or "", st.ref(el, el.get("targetRef")) or "",
            el.get("associationDirection") or "None",
        )


def read_annotation(st: ReadState, el: etree._Element, pid: str | None) -> None:
    aid, new = st.claim_id(el, "textAnnotation")
    if not new:
        return
    text = None
    for child in el:
        if st.local(child) == "text":
            text = text_of(child)
    st.annotations[aid] = TextAnnotation(aid, text, pid)
