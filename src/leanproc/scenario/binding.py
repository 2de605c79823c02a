"""Binding a scenario to its process model: names to ids, and every check that needs the model.

`bind(scenario, model)` returns the `BoundScenario` the engine runs, or raises one
`ScenarioError` listing every problem with its place and a fix.

Names. A scenario key names a BPMN element by id or by name (white space and case folded); a
name carried by several elements of the section's kind is ambiguous (use the id). Gateway
branches name an outgoing flow by its id or name, or the flow's target node by id or name.

Resource pools of an activity, first rule that applies:
  1. the activity's own ``resource:`` (``resource: null`` or ``[]``: no resource);
  2. ``defaults.resource``;
  3. a pool under ``resources:`` whose name equals the activity's lane name, or an enclosing
     lane's (case and spacing ignored);
  4. none: the activity is a pure delay that holds no resource.

Durations: the activity's ``duration:`` (per pool with ``by_resource``), else
``defaults.duration``. A reachable task (or call activity whose process is not in the file)
with neither is an error; an unreachable one gets no duration.

Calendars: a name is looked up under ``calendars:`` first, then read as a preset (``ru-5x8``,
``5x8@Asia/Tomsk``). Working-time units need a calendar: the pool's (else the default) for work,
the default for waits and events, the arrival calendar for inter-arrival times; ``wd`` is
converted with that calendar's working-day length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from leanproc.bpmn.model import Activity, Kind, Node, ProcessModel
from leanproc.errors import ScenarioError
from leanproc.scenario.binding_flow import FlowContext, bind_events, bind_gateways
from leanproc.scenario.binding_names import (
    NameResolver,
    Problems,
    closest,
    fold,
    node_list,
    reachable_nodes,
)
from leanproc.scenario.binding_time import (
    CalendarBook,
    in_working_time,
    localise,
    start_of,
    zone_of,
)
from leanproc.scenario.distributions import Distribution
from leanproc.scenario.plans import (
    ActivityPlan,
    ArrivalPlan,
    BoundScenario,
    FrozenMap,
    PoolPlan,
)
from leanproc.scenario.spec import LAST_YEAR, ActivitySpec, ByResource, Scenario

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["bind", "reachable_nodes"]


def bind(scenario: Scenario, model: ProcessModel | None = None) -> BoundScenario:
    """`scenario` resolved against `model` (read from ``scenario.model_path`` when None)."""
    if model is None:
        model = _read_model(scenario)
    return _Binder(scenario, model).bind()


def _read_model(scenario: Scenario) -> ProcessModel:
    path = scenario.model_path
    if path is None:
        raise ScenarioError("model: no process model: pass one to bind(model) or set "
                            "'model: path/to/process.bpmn' in the scenario",
                            source=scenario.source)
    if path.is_dir():
        raise ScenarioError(f"model: {str(path)!r} is a folder, not a BPMN file: name the .bpmn "
                            f"file inside it", source=scenario.source)
    if not path.is_file():
        raise ScenarioError(f"model: the file {str(path)!r} does not exist (a relative path is "
                            f"read from the scenario file's folder)", source=scenario.source)
    from leanproc.bpmn.reader import read_bpmn

    return read_bpmn(path)


class _Binder:
    """Binds one scenario to one model, collecting every problem before raising.

    The constructor reads what the other steps depend on, in order: the zone, the start, the
    calendars, the pools and the case attributes. `bind` then binds activities, gateways,
    events and arrivals, and raises one `ScenarioError` if anything was reported.
    """

    def __init__(self, scenario: Scenario, model: ProcessModel) -> None:
        self.s = scenario
        self.model = model
        self.problems = Problems()
        self.names = NameResolver(model, self.problems)
        self.reachable = frozenset(reachable_nodes(model))
        self.tz = zone_of(scenario)
        self.start = start_of(scenario, self.tz, self.problems)
        self.calendars = CalendarBook(scenario.calendars, self.tz, self.problems)
        self.calendar: Calendar | None = self.calendars.resolve(scenario.calendar, "calendar")
        self.pools = self._pools()
        self.attributes = self._attributes()

    def bind(self) -> BoundScenario:
        s = self.s
        activities = self._activities()
        flow = FlowContext(gateways=s.gateways, events=s.events, model=self.model,
                           names=self.names, problems=self.problems, reachable=self.reachable,
                           calendar=self.calendar, tz=self.tz,
                           attributes=self.attributes)
        gateways = bind_gateways(flow)
        events = bind_events(flow)
        arrivals = self._arrivals()
        if self.problems:
            raise ScenarioError(self.problems.found, source=s.source or self.model.source)
        assert self.start is not None  # a missing start was reported above
        return BoundScenario(
            model=self.model,
            scenario=s,
            start=self.start,
            tz=self.tz,
            calendar=self.calendar,
            arrivals=arrivals,
            pools=FrozenMap(self.pools),
            activities=FrozenMap(activities),
            gateways=FrozenMap(gateways),
            events=FrozenMap(events),
            case_attributes=FrozenMap(self.attributes),
            fixed_cost_per_case=s.fixed_costs.per_case,
            targets=FrozenMap(s.targets),
            warmup=s.warmup.seconds if s.warmup is not None else 0.0,
            calendars=FrozenMap(self.calendars.readable()),
            case_speed=s.case_speed if s.case_speed is not None and s.case_speed.active
            else None,
            interleaved=FrozenMap(flow.interleaved),
        )

    def problem(self, where: str, message: str) -> None:
        self.problems.add(where, message)

    def _localise(self, ts: pd.Timestamp, where: str) -> pd.Timestamp | None:
        return localise(ts, self.tz, where, self.problems)

    def _convert(self, dist: Distribution | None, calendar: Calendar | None, where: str,
                 what: str) -> Distribution | None:
        return in_working_time(dist, calendar, where, what, self.problems)

    # ---- pools --------------------------------------------------------------------------------
    def _pools(self) -> dict[str, PoolPlan]:
        pools = {}
        for name, spec in self.s.resources.items():
            cal = None
            if spec.calendar is not None:
                cal = self.calendars.resolve(spec.calendar, f"resources.{name}.calendar")
            pools[name] = PoolPlan(name=name, count=spec.count or 0, calendar=cal, spec=spec)
        return pools

    def _work_calendar(self, pool: str | None) -> Calendar | None:
        """The calendar work on `pool` runs on: the pool's, else the default."""
        cal = self.pools[pool].calendar if pool else None
        return cal if cal is not None else self.calendar

    def _pool_name(self, name: str, where: str) -> str | None:
        if name in self.s.resources:
            return name
        folded = {fold(k): k for k in self.s.resources}
        if fold(name) in folded:
            return folded[fold(name)]
        defined = ", ".join(self.s.resources) or "none"
        self.problem(where, f"resource pool {name!r} is not defined under resources: (defined: "
                            f"{defined}){closest(name, self.s.resources)}")
        return None

    # ---- case attributes ----------------------------------------------------------------------
    def _attributes(self) -> dict[str, Distribution]:
        out = {}
        for name, dist in self.s.case_attributes.items():
            if dist.working:
                self.problem(f"case_attributes.{name}", "a case attribute cannot be in working "
                                                        "time: use clock units (min, h, d)")
            out[name] = dist
        return out

    # ---- activities ---------------------------------------------------------------------------
    def _activities(self) -> dict[str, ActivityPlan]:
        s, model = self.s, self.model
        mentioned: dict[str, tuple[str, ActivitySpec]] = {}
        for key, _where, given, node in self.names.entries("activities", s.activities,
                                                           lambda n: n.kind.is_activity,
                                                           "an activity"):
            mentioned[node.id] = (key, given)

        default_pools = self._default_pools()
        needs: dict[str, list[Node]] = {}  # pool -> reachable activities that need it
        stalled: dict[str, list[Node]] = {}  # pool of count 0 -> activities with no other pool
        plans: dict[str, ActivityPlan] = {}
        for node in model.activities:
            opaque = node.kind == Kind.TASK or (
                node.kind == Kind.CALL_ACTIVITY
                and not (node.called_process_id and node.called_process_id in model.processes))
            if node.id not in mentioned and not opaque:
                # a subprocess the scenario does not mention gets no plan, but a repetition
                # marker on it still needs its count or its chance to repeat
                if node.loop is not None:
                    self._repetition(node, f"activities.{self.names.key_of(node)}", None)
                continue
            key, spec = mentioned.get(node.id) or (self.names.key_of(node), None)
            plan = self._activity(node, key, spec, default_pools, opaque)
            plans[node.id] = plan
            if node.id in self.reachable:
                stuck = all((s.resources[p].count or 0) == 0 for p in plan.pools)
                for p in plan.pools:
                    needs.setdefault(p, []).append(node)
                    if stuck and s.resources[p].count == 0:
                        stalled.setdefault(p, []).append(node)
        for pool, nodes in needs.items():
            if s.resources[pool].count is None:
                self.problem(f"resources.{pool}.count", f"missing: {node_list(nodes)} need this "
                                                        f"pool; give the number of units, e.g. "
                                                        f"count: 2")
        for pool, nodes in stalled.items():
            self.problem(f"resources.{pool}.count", f"is 0, but {node_list(nodes)} need this pool "
                                                    f"and have no other: give it at least 1")
        return plans

    def _default_pools(self) -> tuple[str, ...] | None:
        names = self.s.defaults.resource
        if not names:
            return None
        out = [self._pool_name(n, "defaults.resource") for n in names]
        return tuple(n for n in out if n is not None)

    def _lane_pool(self, node: Node) -> str | None:
        folded = {fold(k): k for k in self.s.resources}
        lane_id = node.lane_id
        while lane_id is not None:
            lane = self.model.lanes.get(lane_id)
            if lane is None:
                return None
            if lane.name and fold(lane.name) in folded:
                return folded[fold(lane.name)]
            lane_id = lane.parent_lane_id
        return None

    def _activity(self, node: Activity, key: str, spec: ActivitySpec | None,
                  default_pools: tuple[str, ...] | None, opaque: bool) -> ActivityPlan:
        where = f"activities.{key}"
        reachable = node.id in self.reachable
        s = self.s
        # pools
        if spec is not None and "resource" in spec.model_fields_set:
            names = [self._pool_name(n, f"{where}.resource") for n in spec.resource or []]
            pools = tuple(n for n in names if n is not None)
        elif not opaque:
            pools = ()  # a subprocess's time is its content's; it holds a pool only if told
        elif default_pools is not None:
            pools = default_pools
        else:
            lane_pool = self._lane_pool(node)
            pools = (lane_pool,) if lane_pool else ()
        # durations
        raw = spec.duration if spec is not None else None
        by_pool: dict[str, Distribution] = {}
        duration: Distribution | None
        if isinstance(raw, ByResource):
            duration = s.defaults.duration
            for name, dist in raw.by_pool.items():
                place = f"{where}.duration.by_resource.{name}"
                pool = self._pool_name(name, place)
                if pool is None:
                    continue
                if pool not in pools:
                    self.problem(place, f"pool {pool!r} is not among this activity's resources "
                                        f"({', '.join(pools) or 'none'}): add it to resource:")
                    continue
                converted = self._convert(dist, self._work_calendar(pool), place,
                                          "this activity's work")
                if converted is not None:  # always: `dist` is a distribution
                    by_pool[pool] = converted
            missing = [p for p in pools if p not in by_pool]
            if reachable and duration is None and (missing or not pools):
                self.problem(f"{where}.duration.by_resource",
                             f"no duration for pool(s) {', '.join(missing) or '(none)'} and no "
                             f"defaults.duration: add them")
        else:
            duration = raw if raw is not None or not opaque else s.defaults.duration
            if duration is None and reachable and opaque:
                self.problem(where, f"{node.label} has no duration and there is no default: "
                                    f"add {where}.duration (e.g. {{triangular: [5min, 10min, "
                                    f"20min]}}) or defaults: {{duration: ...}}")
        place = f"{where}.duration" if raw is not None else "defaults.duration"
        duration = self._convert(duration, self._work_calendar(pools[0] if pools else None),
                                 place, "this activity's work")
        wait = spec.wait if spec is not None else None
        wait = self._convert(wait, self.calendar, f"{where}.wait", "waits")
        instances, loop_p, loop_max = self._repetition(node, where, spec)
        return ActivityPlan(
            node_id=node.id,
            pools=pools,
            duration=duration,
            duration_by_pool=FrozenMap(by_pool),
            wait=wait,
            value=spec.value if spec is not None else None,
            approval=spec.approval if spec is not None else False,
            client=spec.client if spec is not None else False,
            paper_documents=spec.paper_documents if spec is not None else 0,
            cost_per_execution=spec.cost_per_execution if spec is not None else 0.0,
            instances=instances,
            loop_probability=loop_p,
            loop_max=loop_max,
        )

    def _repetition(self, node: Activity, where: str, spec: ActivitySpec | None,
                    ) -> tuple[Distribution | int | None, float | None, int | None]:
        """(instances, loop probability, loop maximum): the multi-instance count and the
        standard loop's repeat chance, each checked against the BPMN marker."""
        reachable = node.id in self.reachable
        instances: Distribution | int | None = spec.instances if spec is not None else None
        loop = node.loop
        if loop is not None and loop.type == "multi_instance":
            if instances is None:
                card = (loop.cardinality or "").strip()
                instances = int(card) if card.isdigit() else None
            if instances is None and reachable:
                self.problem(where, f"{node.label} is multi-instance and its count is not a "
                                    f"number in the BPMN: add {where}.instances (e.g. 3 or "
                                    f"{{discrete: {{2: 0.5, 3: 0.5}}}})")
        elif spec is not None and spec.instances is not None:
            self.problem(f"{where}.instances", f"{node.label} is not multi-instance in the BPMN: "
                                               f"add the marker in the model or drop instances")
        loop_p = loop_max = None
        if loop is not None and loop.type == "standard":
            if spec is not None and spec.loop is not None:
                loop_p, loop_max = spec.loop.probability, spec.loop.max or loop.maximum
            elif reachable:
                self.problem(where, f"{node.label} is a standard loop: add {where}.loop with the "
                                    f"chance to repeat, e.g. {{probability: 0.2, max: 5}}")
        elif spec is not None and spec.loop is not None:
            self.problem(f"{where}.loop", f"{node.label} has no loop marker in the BPMN: add it "
                                          f"in the model, or draw the loop with a gateway")
        return instances, loop_p, loop_max

    # ---- arrivals -----------------------------------------------------------------------------
    def _arrivals(self) -> ArrivalPlan:
        a = self.s.arrivals
        empty = ArrivalPlan(None, None, None, None, None)
        if a is None:
            self.problem("arrivals", "missing: say how cases arrive, e.g. arrivals: "
                                     "{interarrival: {exponential: {mean: 2h}}, cases: 500}")
            return empty
        given = [k for k in ("interarrival", "rate", "times") if getattr(a, k) is not None]
        if not given:
            self.problem("arrivals", "give interarrival (a distribution), rate (e.g. {base: "
                                     "6/hour}) or times (a list of instants)")
        elif len(given) > 1:
            self.problem("arrivals", f"give one of interarrival, rate or times, not "
                                     f"{' and '.join(given)}")
        elif a.times is None and a.cases is None and a.horizon is None:
            self.problem("arrivals", "unbounded: arrivals never stop; add cases: 500 and / or "
                                     "horizon: 30d")
        if "calendar" in a.model_fields_set:
            cal = self.calendars.resolve(a.calendar, "arrivals.calendar")
        else:
            cal = self.calendar
        interarrival = self._convert(a.interarrival, cal, "arrivals.interarrival", "arrivals")
        times = None
        if a.times is not None:
            local = [self._localise(t, f"arrivals.times[{i}]") for i, t in enumerate(a.times)]
            times = tuple(sorted(t for t in local if t is not None))
            if self.s.start is not None and self.start is not None:
                early = [i for i, t in enumerate(local) if t is not None and t < self.start]
                if early:
                    self.problem(f"arrivals.times[{early[0]}]",
                                 f"{len(early)} arrival(s) before start ({self.start}): move "
                                 f"start earlier or drop them")
        horizon_end = None
        if a.horizon is not None and self.start is not None:
            # compared in seconds: the end itself may not fit in a timestamp
            last = pd.Timestamp(year=LAST_YEAR + 1, month=1, day=1, tz=self.start.tz)
            if a.horizon.seconds >= (last - self.start).total_seconds():
                self.problem("arrivals.horizon", f"ends after {LAST_YEAR}, the last year "
                                                 f"working calendars cover: shorten it")
            else:
                horizon_end = self.start + pd.Timedelta(seconds=a.horizon.seconds)
        return ArrivalPlan(interarrival, times, a.cases, horizon_end, cal, a.rate)
