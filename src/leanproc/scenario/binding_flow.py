"""Binding gateways and events: branch probabilities and conditions, timers, boundary chances.

A gateway branch names an outgoing flow by its id or name, or the flow's target by id or name.
An exclusive split's probabilities sum to 1 (within 1e-6); an inclusive or complex split's are
independent chances. Conditions refer to case attributes and are checked against their values.
Timers take the scenario's duration, else the BPMN timeDuration when it is ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leanproc.bpmn.model import Event, Gateway, Kind, Node
from leanproc.scenario.binding_names import BindingContext, closest, fold, kind_words
from leanproc.scenario.distributions import Discrete, Fixed
from leanproc.scenario.durations import SpecError, read_duration
from leanproc.scenario.plans import Condition, EventPlan, FrozenMap, GatewayPlan

__all__ = ["FlowBinding"]

SPLITS = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY)


class FlowBinding(BindingContext):
    """The gateway and event steps of the binder."""

    # ---- gateways -----------------------------------------------------------------------------
    def _gateways(self) -> dict[str, GatewayPlan]:
        model = self.model
        plans: dict[str, GatewayPlan] = {}
        given: set[str] = set()  # gateways the scenario mentions, usable or not
        for _key, where, spec, node in self._entries("gateways", self.s.gateways,
                                                     lambda n: n.kind.is_gateway, "a gateway"):
            given.add(node.id)
            if node.kind not in SPLITS:
                what = ("takes all its outgoing flows" if node.kind == Kind.PARALLEL_GATEWAY
                        else "races its events: give the events' 'after' under events:")
                self.problem(where, f"{node.label} is a {node.tag}, which {what}; remove it "
                                    f"from gateways:")
                continue
            if len(node.outgoing) < 2:
                self.problem(where, f"{node.label} has {len(node.outgoing)} outgoing flow(s): "
                                    f"nothing to choose; remove it from gateways:")
                continue
            plans[node.id] = self._gateway(node, where, spec)
        for node in model.gateways:
            if node.kind in SPLITS and len(node.outgoing) > 1 and node.id not in given:
                if node.id in self.reachable:
                    branches = self._branch_list(node)
                    self.problem(f"gateways.{self._key_of(node)}",
                                 f"{node.label} splits into {len(node.outgoing)} flows "
                                 f"({branches}) but the scenario gives neither probabilities nor "
                                 f"conditions: add e.g. {{{self._example(node)}}}")
                else:
                    plans[node.id] = GatewayPlan(node.id, FrozenMap(), FrozenMap(),
                                                 getattr(node, "default_flow", None))
        return plans

    def _branch_text(self, flow_id: str) -> str:
        flow = self.model.flows[flow_id]
        target = self.model.nodes.get(flow.target)
        to = target.label if target is not None else flow.target
        return f"{flow.name!r} ({flow.id} -> {to})" if flow.name else f"{flow.id} -> {to}"

    def _branch_list(self, node: Node) -> str:
        return "; ".join(self._branch_text(f) for f in node.outgoing if f in self.model.flows)

    def _example(self, node: Node) -> str:
        keys = []
        for f in node.outgoing:
            flow = self.model.flows.get(f)
            if flow is None:
                continue
            target = self.model.nodes.get(flow.target)
            keys.append(flow.name or (target.name if target and target.name else flow.id))
        share = round(1 / max(len(keys), 1), 2)
        shares = [share] * (len(keys) - 1) + [round(1 - share * (len(keys) - 1), 2)]
        return ", ".join(f"{k}: {p:g}" for k, p in zip(keys, shares, strict=True))

    def _branch(self, node: Node, branch: str, where: str) -> str | None:
        """The outgoing flow of `node` that `branch` names."""
        flows = [self.model.flows[f] for f in node.outgoing if f in self.model.flows]
        tests: list[Callable[[Any], bool]] = [
            lambda f: f.id == branch,
            lambda f: f.name is not None and fold(f.name) == fold(branch),
            lambda f: f.target == branch,
            lambda f: (t := self.model.nodes.get(f.target)) is not None and t.name is not None
            and fold(t.name) == fold(branch),
        ]
        for test in tests:
            hits = [f for f in flows if test(f)]
            if len(hits) == 1:
                return hits[0].id
            if len(hits) > 1:
                self.problem(where, f"branch {branch!r} matches several flows ("
                                    f"{', '.join(f.id for f in hits)}): use the flow id")
                return None
        words = [w for f in flows for w in (f.id, f.name, f.target,
                                            getattr(self.model.nodes.get(f.target), "name", None))
                 if w]
        self.problem(where, f"{node.label} has no outgoing flow named {branch!r} (a branch is "
                            f"a flow's name or id, or its target's name or id)"
                            f"{closest(branch, words)}; its flows: {self._branch_list(node)}")
        return None

    def _gateway(self, node: Gateway, where: str, spec: Any) -> GatewayPlan:
        probabilities: dict[str, float] = {}
        conditions: dict[str, Condition] = {}
        default_flow = node.default_flow
        taken: dict[str, str] = {}
        items = spec.conditions.items() if spec.conditions else spec.probabilities.items()
        for branch, value in items:
            place = f"{where}.conditions.{branch}" if spec.conditions else f"{where}.{branch}"
            flow = self._branch(node, branch, place)
            if flow is None:
                continue
            if flow in taken:
                self.problem(place, f"names the same flow {flow} as {taken[flow]!r}")
                continue
            taken[flow] = branch
            if spec.conditions:
                self._check_condition(value, place)
                conditions[flow] = value
            else:
                probabilities[flow] = value
        if spec.conditions:
            defaults = [f for f, c in conditions.items() if c.op == "default"]
            if len(defaults) > 1:
                self.problem(f"{where}.conditions", f"{len(defaults)} branches are 'default'; "
                                                    f"keep one")
            elif defaults:
                default_flow = defaults[0]
                conditions = {**{f: c for f, c in conditions.items() if c.op != "default"},
                              default_flow: conditions[default_flow]}  # default last
        elif node.kind == Kind.EXCLUSIVE_GATEWAY and len(taken) == len(spec.probabilities):
            total = sum(probabilities.values())
            if abs(total - 1) > 1e-6:
                missing = [self._branch_text(f) for f in node.outgoing if f not in probabilities]
                gap = f"; flows without a probability: {'; '.join(missing)}" if missing else ""
                self.problem(where, f"the probabilities of exclusive gateway {node.label} sum to "
                                    f"{total:.6g}, not 1{gap}")
        return GatewayPlan(node.id, FrozenMap(probabilities), FrozenMap(conditions), default_flow)

    def _check_condition(self, cond: Condition, where: str) -> None:
        if cond.op == "default":
            return
        name = cond.attribute or ""
        dist = self.attributes.get(name)
        if dist is None:
            defined = ", ".join(self.attributes) or "none"
            self.problem(where, f"the condition '{cond}' uses the case attribute {name!r}, which "
                                f"case_attributes: does not define (defined: {defined})"
                                f"{closest(name, self.attributes)}")
            return
        labels: tuple[str, ...] = ()
        if isinstance(dist, Discrete) and dist.labels:
            labels = tuple(map(str, dist.values))
        if labels and isinstance(cond.value, float):
            self.problem(where, f"'{cond}' compares {name!r} with a number, but its values are "
                                f"labels ({', '.join(labels)})")
        elif labels and cond.value not in labels:
            self.problem(where, f"'{cond}': {cond.value!r} is not one of the values of {name!r} "
                                f"({', '.join(labels)}){closest(str(cond.value), labels)}")
        elif not labels and isinstance(cond.value, str):
            self.problem(where, f"'{cond}' compares {name!r}, a number, with the text "
                                f"{cond.value!r}")

    # ---- events -------------------------------------------------------------------------------
    def _events(self) -> dict[str, EventPlan]:
        model = self.model
        plans: dict[str, EventPlan] = {}
        for _key, where, spec, node in self._entries("events", self.s.events,
                                                     lambda n: n.kind.is_event, "an event"):
            assert isinstance(node, Event)
            timer = any(d.type == "timer" for d in node.definitions)
            boundary = node.kind == Kind.BOUNDARY_EVENT
            esp_start = self._starts_event_subprocess(node)
            catch = node.kind == Kind.INTERMEDIATE_CATCH or boundary or esp_start
            if not catch:
                self.problem(where, f"{node.label} is {kind_words(node)}: scenario data "
                                    f"applies to timer, catch and boundary events (and "
                                    f"event-subprocess starts)")
                continue
            if spec.duration is not None and not timer:
                self.problem(f"{where}.duration", f"{node.label} is a {node.trigger} event, not a "
                                                  f"timer: give 'after' (when it happens) instead")
            if spec.after is not None and timer:
                self.problem(f"{where}.after", f"{node.label} is a timer: give its 'duration'")
            if spec.probability is not None and (timer or not (boundary or esp_start)):
                self.problem(f"{where}.probability", f"a firing probability applies to non-timer "
                                                     f"boundary events; {node.label} is "
                                                     f"{kind_words(node)}, trigger "
                                                     f"{node.trigger}")
            duration = self._convert(spec.duration, self.calendar, f"{where}.duration", "timers")
            after = self._convert(spec.after, self.calendar, f"{where}.after", "events")
            plans[node.id] = EventPlan(node.id, duration, spec.probability, after)
        for node in model.events:
            if node.kind not in (Kind.INTERMEDIATE_CATCH, Kind.BOUNDARY_EVENT) and not (
                    self._starts_event_subprocess(node)):
                continue
            assert isinstance(node, Event)
            plan = plans.get(node.id)
            if node.trigger == "timer":
                if plan is None or plan.duration is None:
                    self._bpmn_timer(node, plan, plans)
                continue
            fires_by_chance = (node.kind == Kind.BOUNDARY_EVENT
                               and node.trigger not in ("none", "compensate"))
            if fires_by_chance and (plan is None or plan.probability is None) and (
                    node.id in self.reachable):
                key = self._key_of(node)
                self.problem(f"events.{key}",
                             f"boundary {node.trigger} event {node.label} has no firing "
                             f"probability: add e.g. events: {{{key}: {{probability: 0.1, "
                             f"after: {{uniform: [1h, 2d]}}}}}}")
        return plans

    def _starts_event_subprocess(self, node: Node) -> bool:
        """A start event of an event subprocess: it waits for its trigger like a catch event."""
        parent = self.model.nodes.get(node.parent_id) if node.parent_id else None
        return node.kind == Kind.START_EVENT and getattr(parent, "subprocess", None) == "event"

    def _bpmn_timer(self, node: Event, plan: EventPlan | None,
                    plans: dict[str, EventPlan]) -> None:
        """A timer the scenario gives no duration for: the BPMN timeDuration, if ISO 8601."""
        timer = next(d for d in node.definitions if d.type == "timer")
        text = timer.time_duration
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
        if timer.time_date and not text:
            return  # an absolute date: the engine reads it from the model
        if node.id in self.reachable:
            key = self._key_of(node)
            found = (f"its timeDuration {text!r} is not an ISO 8601 duration" if text
                     else "the BPMN gives no timeDuration")
            self.problem(f"events.{key}", f"timer {node.label} has no duration: {found}; add "
                                          f"e.g. events: {{{key}: {{duration: 3d}}}}")
