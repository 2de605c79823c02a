"""Readers of flow nodes (activities, events, gateways) and sequence flows.

Each reader claims the element's id, records a draft in the `ReadState` and returns the id, or
None when the id was already taken (the duplicate is skipped; see `reader`).
"""

from __future__ import annotations

from lxml import etree

from leanproc.bpmn._read_artifacts import read_data_association, read_io_specification
from leanproc.bpmn._read_state import (
    ActivityDraft,
    EventDraft,
    GatewayDraft,
    NodeDraft,
    ReadState,
)
from leanproc.bpmn._read_values import (
    as_bool,
    collect_properties,
    leanproc_attributes,
    name_of,
    text_of,
)
from leanproc.bpmn.model import EventDefinition, Kind, LoopCharacteristics, SequenceFlow

TASK_TAGS = frozenset({
    "task", "userTask", "serviceTask", "manualTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask",
})
SUBPROCESS_TAGS = {"subProcess": "embedded", "transaction": "transaction",
                   "adHocSubProcess": "adhoc"}
EVENT_TAGS = {
    "startEvent": Kind.START_EVENT,
    "endEvent": Kind.END_EVENT,
    "intermediateCatchEvent": Kind.INTERMEDIATE_CATCH,
    "intermediateThrowEvent": Kind.INTERMEDIATE_THROW,
    "boundaryEvent": Kind.BOUNDARY_EVENT,
}
GATEWAY_TAGS = {
    "exclusiveGateway": Kind.EXCLUSIVE_GATEWAY,
    "parallelGateway": Kind.PARALLEL_GATEWAY,
    "inclusiveGateway": Kind.INCLUSIVE_GATEWAY,
    "eventBasedGateway": Kind.EVENT_BASED_GATEWAY,
    "complexGateway": Kind.COMPLEX_GATEWAY,
}
EVENT_DEFINITION_TAGS = {
    "timerEventDefinition": "timer",
    "messageEventDefinition": "message",
    "signalEventDefinition": "signal",
    "errorEventDefinition": "error",
    "escalationEventDefinition": "escalation",
    "compensateEventDefinition": "compensate",
    "conditionalEventDefinition": "conditional",
    "linkEventDefinition": "link",
    "terminateEventDefinition": "terminate",
    "cancelEventDefinition": "cancel",
}
EVENT_DEFINITION_REF_ATTRS = ("messageRef", "signalRef", "errorRef", "escalationRef",
                              "activityRef")
# Children of an event definition that hold text, by the EventDefinition field they fill.
_EVENT_DEFINITION_TEXTS = {"timeDuration": "time_duration", "timeDate": "time_date",
                           "timeCycle": "time_cycle", "condition": "condition"}


def _claim_node(st: ReadState, el: etree._Element, tag: str) -> str | None:
    nid, new = st.claim_id(el, tag)
    return nid if new else None


def _common_child(st: ReadState, draft: NodeDraft, child: etree._Element, tag: str) -> bool:
    """Handle the children every flow node may have; True when `child` was one of them."""
    if tag == "documentation":
        text = text_of(child)
        if text:
            prev = draft.documentation
            draft.documentation = f"{prev}\n{text}" if prev else text
        return True
    if tag == "extensionElements":
        collect_properties(child, draft.props)
        return True
    if tag in ("dataInputAssociation", "dataOutputAssociation"):
        read_data_association(st, child, draft.id, "in" if tag[4] == "I" else "out")
        return True
    return False


def read_activity(
    st: ReadState, el: etree._Element, tag: str, pid: str, parent_id: str | None
) -> str | None:
    """A task, subprocess or call activity (not the contents of a subprocess)."""
    nid = _claim_node(st, el, tag)
    if nid is None:
        return None
    if tag in TASK_TAGS:
        kind = Kind.TASK
    elif tag == "callActivity":
        kind = Kind.CALL_ACTIVITY
    else:
        kind = Kind.SUBPROCESS
    draft = ActivityDraft(nid, name_of(el), tag, kind, pid, parent_id)
    st.nodes[nid] = draft
    draft.default_flow = el.get("default") or None
    draft.is_for_compensation = as_bool(el.get("isForCompensation"), False)
    if kind is Kind.SUBPROCESS:
        draft.subprocess = (
            "event" if tag == "subProcess" and as_bool(el.get("triggeredByEvent"), False)
            else SUBPROCESS_TAGS[tag]
        )
    elif kind is Kind.CALL_ACTIVITY:
        # kept as written (tools write process keys and expressions there too); the process
        # it names is looked up by the resolved QName, when the prefix is declared
        draft.called_element = el.get("calledElement") or None
        called = draft.called_element or ""
        prefix = called.split(":", 1)[0] if ":" in called else None
        draft.called_ref = st.ref(el, called) if prefix is None or prefix in el.nsmap \
            else called
    local = st.local
    for child in el:
        ctag = local(child)
        if ctag is None or _common_child(st, draft, child, ctag):
            continue
        if ctag == "standardLoopCharacteristics":
            draft.loop = _read_standard_loop(st, child, nid)
        elif ctag == "multiInstanceLoopCharacteristics":
            draft.loop = _read_multi_instance(st, child)
        elif ctag == "ioSpecification":
            read_io_specification(st, child, pid, nid)
    leanproc_attributes(el, draft.props)
    return nid


def _read_standard_loop(
    st: ReadState, el: etree._Element, owner: str
) -> LoopCharacteristics:
    condition = None
    for child in el:
        if st.local(child) == "loopCondition":
            condition = text_of(child)
    maximum_text = el.get("loopMaximum")
    maximum = None
    if maximum_text is not None and not maximum_text.strip():
        # an empty optional attribute says nothing: the same as leaving it out
        st.tolerate(el, f"activity {owner!r}: the empty loopMaximum=\"\" was ignored (no "
                        "maximum)")
    elif maximum_text is not None:
        try:
            maximum = int(maximum_text.strip())
        except ValueError:
            st.problem(el, f"activity {owner!r}: loopMaximum {maximum_text!r} is not a whole "
                           "number")
    return LoopCharacteristics(
        "standard", condition=condition, maximum=maximum,
        test_before=as_bool(el.get("testBefore"), False),
    )


def _read_multi_instance(st: ReadState, el: etree._Element) -> LoopCharacteristics:
    cardinality = completion = None
    for child in el:
        ctag = st.local(child)
        if ctag == "loopCardinality":
            cardinality = text_of(child)
        elif ctag == "completionCondition":
            completion = text_of(child)
    return LoopCharacteristics(
        "multi_instance", sequential=as_bool(el.get("isSequential"), False),
        cardinality=cardinality, completion_condition=completion,
    )


def read_event(
    st: ReadState, el: etree._Element, tag: str, pid: str, parent_id: str | None
) -> str | None:
    nid = _claim_node(st, el, tag)
    if nid is None:
        return None
    draft = EventDraft(nid, name_of(el), tag, EVENT_TAGS[tag], pid, parent_id)
    st.nodes[nid] = draft
    if tag == "boundaryEvent":
        draft.attached_to = st.ref(el, el.get("attachedToRef"))
        draft.cancel_activity = as_bool(el.get("cancelActivity"), True)
    elif tag == "startEvent":
        draft.cancel_activity = as_bool(el.get("isInterrupting"), True)
    draft.parallel_multiple = as_bool(el.get("parallelMultiple"), False)
    definitions: list[EventDefinition] = []
    local = st.local
    for child in el:
        ctag = local(child)
        if ctag is None or _common_child(st, draft, child, ctag):
            continue
        if ctag in EVENT_DEFINITION_TAGS:
            definitions.append(_read_event_definition(st, child, ctag))
        elif ctag == "eventDefinitionRef":
            ref = st.ref(child, text_of(child))
            target = st.global_event_definitions.get(ref or "")
            if target is not None:
                definitions.append(_read_event_definition(st, target, local(target) or ""))
            else:
                # the event's kind and flows are read; a trigger defined nowhere cannot be
                # simulated anyway, and the event behaves as one without a definition
                st.tolerate(child, f"event {nid!r}: the eventDefinitionRef {ref!r} names no "
                                   "event definition of the file; ignored")
    draft.definitions = tuple(definitions)
    leanproc_attributes(el, draft.props)
    return nid


def _read_event_definition(st: ReadState, el: etree._Element, tag: str) -> EventDefinition:
    ref: str | None = None
    has_ref = False  # the first reference found counts, even an empty child element
    for attr in EVENT_DEFINITION_REF_ATTRS:
        value = el.get(attr)
        if value:
            ref, has_ref = st.ref(el, value), True
            break
    texts: dict[str, str | None] = {}
    for child in el:
        ctag = st.local(child)
        if ctag is None:
            continue
        field_name = _EVENT_DEFINITION_TEXTS.get(ctag)
        if field_name is not None:
            texts[field_name] = text_of(child)
        elif ctag in EVENT_DEFINITION_REF_ATTRS and not has_ref:
            # some exporters write refs as child elements
            ref, has_ref = st.ref(child, text_of(child)), True
    return EventDefinition(
        EVENT_DEFINITION_TAGS[tag], el.get("id") or None, ref,
        name_of(el) if tag == "linkEventDefinition" else None,
        texts.get("time_duration"), texts.get("time_date"), texts.get("time_cycle"),
        texts.get("condition"),
    )


def read_gateway(
    st: ReadState, el: etree._Element, tag: str, pid: str, parent_id: str | None
) -> str | None:
    nid = _claim_node(st, el, tag)
    if nid is None:
        return None
    draft = GatewayDraft(nid, name_of(el), tag, GATEWAY_TAGS[tag], pid, parent_id)
    st.nodes[nid] = draft
    draft.direction = el.get("gatewayDirection") or "Unspecified"
    draft.default_flow = el.get("default") or None
    if tag == "eventBasedGateway":
        draft.instantiate = as_bool(el.get("instantiate"), False)
        draft.event_gateway_type = el.get("eventGatewayType") or None
    local = st.local
    for child in el:
        ctag = local(child)
        if ctag is not None:
            _common_child(st, draft, child, ctag)
    leanproc_attributes(el, draft.props)
    return nid


def read_flow(st: ReadState, el: etree._Element, pid: str, parent_id: str | None) -> str | None:
    fid, new = st.claim_id(el, "sequenceFlow")
    if not new:
        return None
    condition = None
    for child in el:
        if st.local(child) == "conditionExpression":
            condition = text_of(child)
    st.flows[fid] = SequenceFlow(
        fid, el.get("sourceRef") or "", el.get("targetRef") or "", pid, name_of(el),
        condition, parent_id,
    )
    return fid
