"""Binding gateways and events: branch probabilities and conditions, timers, boundary chances.

A gateway branch names an outgoing flow by its id or name, or the flow's target by id or name.
An exclusive split's probabilities sum to 1 (within 1e-6); an inclusive or complex split's are
independent chances. Conditions refer to case attributes and are checked against their values.
Timers take the scenario's duration, else the BPMN timeDuration when it is ISO 8601.
`interleave: true` on a parallel or inclusive split must name a split that opens a block
(scenario/interleave.py); a parallel split takes no other data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING

import pandas as pd

from leanproc.bpmn.model import Event, Gateway, Kind, Node, ProcessModel, SequenceFlow
from leanproc.scenario.binding_names import NameResolver, Problems, closest, fold, kind_words
from leanproc.scenario.binding_time import in_working_time
from leanproc.scenario.distributions import Discrete, Distribution, Fixed
from leanproc.scenario.durations import SpecError, read_duration
from leanproc.scenario.interleave import InterleavedBlock, find_block
from leanproc.scenario.plans import Condition, EventPlan, FrozenMap, GatewayPlan
from leanproc.scenario.spec import EventSpec, GatewaySpec

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["FlowContext", "bind_events", "bind_gateways"]

SPLITS = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY)


@dataclass(frozen=True)
class FlowContext:
    """What binding gateways and events reads: the scenario's sections, the model, what the
    binder found before (the reachable elements, the default calendar, the case attributes),
    and where to report problems."""

    gateways: Mapping[str, GatewaySpec]
    events: Mapping[str, EventSpec]
    model: ProcessModel
    names: NameResolver
    problems: Problems
    reachable: frozenset[str]
    calendar: Calendar | None  # the default calendar: timers and event delays run on it
    tz: tzinfo  # the scenario's zone: a BPMN timeDate without an offset is local time there
    attributes: Mapping[str, Distribution]  # the case attributes conditions may test
    # filled by bind_gateways: the blocks whose splits the scenario interleaves, by split id
    interleaved: dict[str, InterleavedBlock] = field(default_factory=dict)


# ---- gateways -----------------------------------------------------------------------------
def bind_gateways(ctx: FlowContext) -> dict[str, GatewayPlan]:
    """A plan for every split gateway: the scenario's, or an empty one when unreachable."""
    model = ctx.model
    plans: dict[str, GatewayPlan] = {}
    given: set[str] = set()  # gateways the scenario mentions, usable or not
    for _key, where, spec, node in ctx.names.entries("gateways", ctx.gateways,
                                                     lambda n: n.kind.is_gateway, "a gateway"):
        given.add(node.id)
        if spec.interleave:
            _interleave(ctx, node, where)
        chooses = bool(spec.probabilities or spec.conditions)
        if node.kind == Kind.PARALLEL_GATEWAY and spec.interleave and not chooses:
            continue  # a parallel split takes all its flows: interleave is all it can say
        if (node.kind in SPLITS and spec.interleave and not chooses
                and node.id in ctx.reachable and len(node.outgoing) > 1):
            ctx.problems.add(where, f"{node.label} chooses among its flows "
                                    f"({_branch_list(ctx, node)}) but the scenario gives "
                                    f"neither probabilities nor conditions next to "
                                    f"interleave: add e.g. {{{_example(ctx, node)}, "
                                    f"interleave: true}}")
            continue
        if node.kind not in SPLITS:
            what = ("takes all its outgoing flows (only interleave: true applies to it)"
                    if node.kind == Kind.PARALLEL_GATEWAY
                    else "races its events: give the events' 'after' under events:")
            ctx.problems.add(where, f"{node.label} is a {node.tag}, which {what}; remove it "
                                    f"from gateways:")
            continue
        if len(node.outgoing) < 2:
            ctx.problems.add(where, f"{node.label} has {len(node.outgoing)} outgoing flow(s): "
                                    f"nothing to choose; remove it from gateways:")
            continue
        assert isinstance(node, Gateway)  # names.entries accepted only gateways
        plans[node.id] = _gateway(ctx, node, where, spec)
    for node in model.gateways:
        if node.kind in SPLITS and len(node.outgoing) > 1 and node.id not in given:
            if node.id in ctx.reachable:
                branches = _branch_list(ctx, node)
                ctx.problems.add(f"gateways.{ctx.names.key_of(node)}",
                                 f"{node.label} splits into {len(node.outgoing)} flows "
                                 f"({branches}) but the scenario gives neither probabilities nor "
                                 f"conditions: add e.g. {{{_example(ctx, node)}}}")
            else:
                plans[node.id] = GatewayPlan(node.id, FrozenMap(), FrozenMap(),
                                             getattr(node, "default_flow", None))
    return plans


def _interleave(ctx: FlowContext, node: Node, where: str) -> None:
    found = find_block(ctx.model, node.id)
    if isinstance(found, str):
        ctx.problems.add(f"{where}.interleave", f"{found}; remove interleave: true")
    else:
        ctx.interleaved[node.id] = found


def _branch_text(ctx: FlowContext, flow_id: str) -> str:
    flow = ctx.model.flows[flow_id]
    target = ctx.model.nodes.get(flow.target)
    to = target.label if target is not None else flow.target
    return f"{flow.name!r} ({flow.id} -> {to})" if flow.name else f"{flow.id} -> {to}"


def _branch_list(ctx: FlowContext, node: Node) -> str:
    return "; ".join(_branch_text(ctx, f) for f in node.outgoing if f in ctx.model.flows)


def _example(ctx: FlowContext, node: Node) -> str:
    keys = []
    for f in node.outgoing:
        flow = ctx.model.flows.get(f)
        if flow is None:
            continue
        target = ctx.model.nodes.get(flow.target)
        keys.append(flow.name or (target.name if target and target.name else flow.id))
    share = round(1 / max(len(keys), 1), 2)
    shares = [share] * (len(keys) - 1) + [round(1 - share * (len(keys) - 1), 2)]
    return ", ".join(f"{k}: {p:g}" for k, p in zip(keys, shares, strict=True))


def _branch(ctx: FlowContext, node: Node, branch: str, where: str) -> str | None:
    """The outgoing flow of `node` that `branch` names."""
    flows = [ctx.model.flows[f] for f in node.outgoing if f in ctx.model.flows]
    tests: list[Callable[[SequenceFlow], bool]] = [
        lambda f: f.id == branch,
        lambda f: f.name is not None and fold(f.name) == fold(branch),
        lambda f: f.target == branch,
        lambda f: (t := ctx.model.nodes.get(f.target)) is not None and t.name is not None
        and fold(t.name) == fold(branch),
    ]
    for test in tests:
        hits = [f for f in flows if test(f)]
        if len(hits) == 1:
            return hits[0].id
        if len(hits) > 1:
            ctx.problems.add(where, f"branch {branch!r} matches several flows ("
                                    f"{', '.join(f.id for f in hits)}): use the flow id")
            return None
    words = [w for f in flows for w in (f.id, f.name, f.target,
                                        getattr(ctx.model.nodes.get(f.target), "name", None))
             if w]
    ctx.problems.add(where, f"{node.label} has no outgoing flow named {branch!r} (a branch is "
                            f"a flow's name or id, or its target's name or id)"
                            f"{closest(branch, words)}; its flows: {_branch_list(ctx, node)}")
    return None


def _gateway(ctx: FlowContext, node: Gateway, where: str, spec: GatewaySpec) -> GatewayPlan:
    probabilities: dict[str, float] = {}
    conditions: dict[str, Condition] = {}
    default_flow = node.default_flow
    taken: dict[str, str] = {}
    items: list[tuple[str, Condition | float]] = (
        [*spec.conditions.items()] if spec.conditions else [*spec.probabilities.items()])
    for branch, value in items:
        place = f"{where}.conditions.{branch}" if spec.conditions else f"{where}.{branch}"
        flow = _branch(ctx, node, branch, place)
        if flow is None:
            continue
        if flow in taken:
            ctx.problems.add(place, f"names the same flow {flow} as {taken[flow]!r}")
            continue
        taken[flow] = branch
        if isinstance(value, Condition):
            _check_condition(ctx, value, place)
            conditions[flow] = value
        else:
            probabilities[flow] = value
    if spec.conditions:
        defaults = [f for f, c in conditions.items() if c.op == "default"]
        if len(defaults) > 1:
            ctx.problems.add(f"{where}.conditions", f"{len(defaults)} branches are 'default'; "
                                                    f"keep one")
        elif defaults:
            default_flow = defaults[0]
            conditions = {**{f: c for f, c in conditions.items() if c.op != "default"},
                          default_flow: conditions[default_flow]}  # default last
    elif node.kind == Kind.EXCLUSIVE_GATEWAY and len(taken) == len(spec.probabilities):
        total = sum(probabilities.values())
        if abs(total - 1) > 1e-6:
            missing = [_branch_text(ctx, f) for f in node.outgoing if f not in probabilities]
            gap = f"; flows without a probability: {'; '.join(missing)}" if missing else ""
            ctx.problems.add(where, f"the probabilities of exclusive gateway {node.label} sum to "
                                    f"{total:.6g}, not 1{gap}")
    return GatewayPlan(node.id, FrozenMap(probabilities), FrozenMap(conditions), default_flow)


def _check_condition(ctx: FlowContext, cond: Condition, where: str) -> None:
    if cond.op == "default":
        return
    name = cond.attribute or ""
    dist = ctx.attributes.get(name)
    if dist is None:
        defined = ", ".join(ctx.attributes) or "none"
        ctx.problems.add(where, f"the condition '{cond}' uses the case attribute {name!r}, which "
                                f"case_attributes: does not define (defined: {defined})"
                                f"{closest(name, ctx.attributes)}")
        return
    labels: tuple[str, ...] = ()
    if isinstance(dist, Discrete) and dist.labels:
        labels = tuple(map(str, dist.values))
    if labels and isinstance(cond.value, float):
        ctx.problems.add(where, f"'{cond}' compares {name!r} with a number, but its values are "
                                f"labels ({', '.join(labels)})")
    elif labels and cond.value not in labels:
        ctx.problems.add(where, f"'{cond}': {cond.value!r} is not one of the values of {name!r} "
                                f"({', '.join(labels)}){closest(str(cond.value), labels)}")
    elif not labels and isinstance(cond.value, str):
        ctx.problems.add(where, f"'{cond}' compares {name!r}, a number, with the text "
                                f"{cond.value!r}")

# ---- events -------------------------------------------------------------------------------
def bind_events(ctx: FlowContext) -> dict[str, EventPlan]:
    """A plan for every event the scenario or a BPMN timer gives data for."""
    model = ctx.model
    plans: dict[str, EventPlan] = {}
    for _key, where, spec, node in ctx.names.entries("events", ctx.events,
                                                     lambda n: n.kind.is_event, "an event"):
        assert isinstance(node, Event)
        timer = any(d.type == "timer" for d in node.definitions)
        boundary = node.kind == Kind.BOUNDARY_EVENT
        esp_start = _starts_event_subprocess(ctx, node)
        catch = node.kind == Kind.INTERMEDIATE_CATCH or boundary or esp_start
        if not catch:
            ctx.problems.add(where, f"{node.label} is {kind_words(node)}: scenario data "
                                    f"applies to timer, catch and boundary events (and "
                                    f"event-subprocess starts)")
            continue
        if spec.duration is not None and not timer:
            ctx.problems.add(f"{where}.duration", f"{node.label} is a {node.trigger} event, not a "
                                                  f"timer: give 'after' (when it happens) instead")
        if spec.after is not None and timer:
            ctx.problems.add(f"{where}.after", f"{node.label} is a timer: give its 'duration'")
        if spec.probability is not None and (timer or not (boundary or esp_start)):
            ctx.problems.add(f"{where}.probability", f"a firing probability applies to non-timer "
                                                     f"boundary events; {node.label} is "
                                                     f"{kind_words(node)}, trigger "
                                                     f"{node.trigger}")
        duration = in_working_time(spec.duration, ctx.calendar, f"{where}.duration", "timers",
                                     ctx.problems)
        after = in_working_time(spec.after, ctx.calendar, f"{where}.after", "events", ctx.problems)
        plans[node.id] = EventPlan(node.id, duration, spec.probability, after)
    for node in model.events:
        if node.kind not in (Kind.INTERMEDIATE_CATCH, Kind.BOUNDARY_EVENT) and not (
                _starts_event_subprocess(ctx, node)):
            continue
        assert isinstance(node, Event)
        plan = plans.get(node.id)
        if node.trigger == "timer":
            if plan is None or plan.duration is None:
                _bpmn_timer(ctx, node, plan, plans)
            continue
        fires_by_chance = (node.kind == Kind.BOUNDARY_EVENT
                           and node.trigger not in ("none", "compensate"))
        if fires_by_chance and (plan is None or plan.probability is None) and (
                node.id in ctx.reachable):
            key = ctx.names.key_of(node)
            ctx.problems.add(f"events.{key}",
                             f"boundary {node.trigger} event {node.label} has no firing "
                             f"probability: add e.g. events: {{{key}: {{probability: 0.1, "
                             f"after: {{uniform: [1h, 2d]}}}}}}")
    return plans


def _starts_event_subprocess(ctx: FlowContext, node: Node) -> bool:
    """A start event of an event subprocess: it waits for its trigger like a catch event."""
    parent = ctx.model.nodes.get(node.parent_id) if node.parent_id else None
    return node.kind == Kind.START_EVENT and getattr(parent, "subprocess", None) == "event"


def _bpmn_timer(ctx: FlowContext, node: Event, plan: EventPlan | None,
                plans: dict[str, EventPlan]) -> None:
    """A timer the scenario gives no duration for: the BPMN timeDuration, if ISO 8601, else its
    timeDate, if an instant (a naive one is in the scenario's zone)."""
    timer = next(d for d in node.definitions if d.type == "timer")
    text = timer.time_duration
    date = timer.time_date
    if text:
        try:
            seconds = read_duration(text.strip()).seconds
        except SpecError:
            pass
        else:
            plans[node.id] = EventPlan(node.id, Fixed(value=seconds, source=text),
                                       plan.probability if plan else None,
                                       plan.after if plan else None)
            return
    if date and not text:
        try:
            at = pd.Timestamp(date)
        except (ValueError, TypeError):
            pass  # an expression, not an instant: reported below when reachable
        else:
            at = at if at.tzinfo else at.tz_localize(ctx.tz)
            plans[node.id] = EventPlan(node.id, None, plan.probability if plan else None,
                                       plan.after if plan else None, at=at)
            return
    if node.id in ctx.reachable:
        key = ctx.names.key_of(node)
        if text:
            found = f"its timeDuration {text!r} is not an ISO 8601 duration"
        elif date:
            found = f"its timeDate {date!r} is not an instant"
        else:
            found = "the BPMN gives no timeDuration"
        ctx.problems.add(f"events.{key}", f"timer {node.label} has no duration: {found}; add "
                                          f"e.g. events: {{{key}: {{duration: 3d}}}}")
