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

import difflib
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from leanproc.bpmn.model import Activity, Event, Gateway, Kind, Node, ProcessModel
from leanproc.errors import CalendarError, ScenarioError
from leanproc.simulate.distributions import Discrete, Distribution, Fixed
from leanproc.simulate.durations import SpecError, read_duration
from leanproc.simulate.plans import (
    ActivityPlan,
    ArrivalPlan,
    BoundScenario,
    Condition,
    EventPlan,
    FrozenMap,
    GatewayPlan,
    PoolPlan,
)
from leanproc.simulate.scenario_spec import ActivitySpec, ByResource, Scenario

__all__ = ["bind", "reachable_nodes"]

_SPLITS = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY)
_NO_CALENDAR = object()  # a reference that failed to resolve (already reported)


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
    if not path.is_file():
        raise ScenarioError(f"model: the file {str(path)!r} does not exist (a relative path is "
                            f"read from the scenario file's folder)", source=scenario.source)
    from leanproc.bpmn.reader import read_bpmn

    return read_bpmn(path)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _closest(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` or nothing: close spellings, or names that start with `word`."""
    pool = {_fold(c): c for c in candidates if c}
    folded = _fold(word)
    close = difflib.get_close_matches(folded, list(pool), n=2, cutoff=0.6)
    if not close and len(folded) >= 3:
        close = [c for c in pool if c.startswith(folded)][:2]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(pool[c]) for c in close) + "?)"


def _labels(nodes: list[Node]) -> str:
    return ", ".join(n.label for n in nodes[:3]) + (f" and {len(nodes) - 3} more"
                                                    if len(nodes) > 3 else "")


def _kind_words(node: Node) -> str:
    if node.kind.is_gateway:
        return f"a gateway ({node.tag})"
    if node.kind.is_event:
        return f"an event ({node.tag})"
    return f"an activity ({node.tag})"


def reachable_nodes(model: ProcessModel) -> set[str]:
    """Ids of flow nodes a token can reach from the start of any process.

    Entries of a process or subprocess are its start events and the nodes with no incoming
    flow (implicit starts, event subprocesses, link catch events), except boundary events and
    compensation handlers; boundary events are reachable with their activity.
    """
    nodes = model.nodes

    def entries(ids: Iterable[str]) -> list[str]:
        out = []
        for i in ids:
            n = nodes.get(i)
            if n is None or n.kind == Kind.BOUNDARY_EVENT:
                continue
            if isinstance(n, Activity) and n.is_for_compensation:
                continue
            if n.kind == Kind.START_EVENT or not n.incoming:
                out.append(i)
        return out

    stack: list[str] = []
    for process in model.processes.values():
        stack += entries(process.nodes)
    seen: set[str] = set()
    while stack:
        i = stack.pop()
        if i in seen or i not in nodes:
            continue
        seen.add(i)
        node = nodes[i]
        for f in node.outgoing:
            flow = model.flows.get(f)
            if flow is not None:
                stack.append(flow.target)
        if isinstance(node, Activity):
            stack += node.boundary_events
            stack += entries(node.children)
    return seen


class _Binder:
    def __init__(self, scenario: Scenario, model: ProcessModel) -> None:
        self.s = scenario
        self.model = model
        self.problems: list[str] = []
        self.reachable = reachable_nodes(model)
        self._calendars: dict[str, Any] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # ---- the whole binding --------------------------------------------------------------------
    def bind(self) -> BoundScenario:
        s = self.s
        self.tz = self._zone()
        self.start = self._start()
        self.named = self._named_calendars()
        self.calendar = self._calendar(s.calendar, "calendar") if s.calendar is not None else None
        if self.calendar is _NO_CALENDAR:
            self.calendar = None
        self.pools = self._pools()
        self.attributes = self._attributes()
        activities = self._activities()
        gateways = self._gateways()
        events = self._events()
        arrivals = self._arrivals()
        if self.problems:
            raise ScenarioError(self.problems, source=s.source or self.model.source)
        assert self.start is not None
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
            calendars=FrozenMap({k: v for k, v in self.named.items() if v is not _NO_CALENDAR}),
        )

    # ---- time ---------------------------------------------------------------------------------
    def _zone(self) -> tzinfo:
        if self.s.timezone:
            return ZoneInfo(self.s.timezone)
        start = self.s.start
        if start is not None and start.tzinfo is not None:
            offset = start.utcoffset()
            if isinstance(start.tzinfo, ZoneInfo):
                return start.tzinfo
            return timezone(offset if offset is not None else timedelta(0))
        return UTC

    def _localise(self, ts: pd.Timestamp, where: str) -> pd.Timestamp | None:
        try:
            if ts.tzinfo is None:
                return ts.tz_localize(self.tz, ambiguous="raise", nonexistent="raise")
            return ts.tz_convert(self.tz)
        except (ValueError, TypeError) as exc:  # a wall-clock time that DST skips or repeats
            self.problem(where, f"{ts} does not exist once in {self.tz}: {exc}; add the offset")
            return None

    def _start(self) -> pd.Timestamp | None:
        s = self.s
        if s.start is not None:
            return self._localise(s.start, "start")
        times = s.arrivals.times if s.arrivals is not None else None
        if times:
            local = [self._localise(t, f"arrivals.times[{i}]") for i, t in enumerate(times)]
            return min((t for t in local if t is not None), default=None)
        self.problem("start", "missing: give the instant the simulation starts, e.g. "
                              "start: 2024-03-01T09:00+07:00")
        return None

    # ---- calendars ----------------------------------------------------------------------------
    def _named_calendars(self) -> dict[str, Any]:
        from leanproc.calendar import Calendar

        named: dict[str, Any] = {}
        for name, spec in self.s.calendars.items():
            try:
                named[name] = Calendar.parse(spec, tz=self.tz)
            except CalendarError as exc:
                for p in exc.problems:
                    self.problem(f"calendars.{name}", p)
                named[name] = _NO_CALENDAR
        return named

    def _calendar(self, ref: Any, where: str) -> Any:
        """The Calendar (or None: 24x7) a reference names; _NO_CALENDAR after a problem."""
        from leanproc.calendar import Calendar

        if ref is None:
            return None
        if isinstance(ref, str):
            if ref in self.named:
                return self.named[ref]
            folded = {_fold(k): k for k in self.named}
            if _fold(ref) in folded:
                return self.named[folded[_fold(ref)]]
            if ref in self._calendars:
                return self._calendars[ref]
        try:
            cal = Calendar.parse(ref, tz=self.tz)
        except CalendarError as exc:
            if isinstance(ref, str):
                from leanproc.calendar import PRESETS

                names = [*self.named, *PRESETS]
                self.problem(where, f"unknown calendar {ref!r}{_closest(ref, names)}; use a name "
                                    f"from calendars: ({', '.join(self.named) or 'none defined'})"
                                    f" or a preset ({', '.join(PRESETS)}, optionally '@Zone')")
            else:
                for p in exc.problems:
                    self.problem(where, p)
            cal = _NO_CALENDAR
        if isinstance(ref, str):
            self._calendars[ref] = cal
        return cal

    def _convert(self, dist: Distribution | None, calendar: Any, where: str,
                 what: str) -> Distribution | None:
        """`dist` with working days at `calendar`'s day length; a problem if it needs a
        calendar and there is none."""
        if dist is None or not dist.working:
            return dist
        if calendar is None:
            self.problem(where, f"uses working time (wd, wh) but no calendar governs {what}: "
                                f"set 'calendar: ru-5x8' (or another) at the top of the scenario"
                                f" or use clock units (min, h, d)")
            return dist
        if calendar is _NO_CALENDAR:
            return dist
        return dist.for_day_length(calendar.day_length)

    # ---- names --------------------------------------------------------------------------------
    def _resolve(self, key: str, where: str, accept: Callable[[Node], bool], kind: str,
                 hint: Callable[[Node], str]) -> Node | None:
        """The node `key` names (id, else folded name) among those `accept` takes."""
        model = self.model
        node = model.nodes.get(key)
        if node is not None:
            if accept(node):
                return node
            self.problem(where, f"{node.label} is {_kind_words(node)}, not {kind}{hint(node)}")
            return None
        found = model.find(key)
        good = [n for n in found if accept(n)]
        if len(good) == 1:
            return good[0]
        if len(good) > 1:
            ids = ", ".join(f"{n.id} ({n.tag})" for n in good)
            self.problem(where, f"the name {key!r} is ambiguous: {ids} carry it; write the id "
                                f"instead")
            return None
        if found:
            n = found[0]
            self.problem(where, f"{n.label} is {_kind_words(n)}, not {kind}{hint(n)}")
            return None
        names = [n.name for n in model.nodes.values() if accept(n) and n.name]
        names += [n.id for n in model.nodes.values() if accept(n)]
        noun = kind.split(" ", 1)[-1]
        self.problem(where, f"no {noun} with the id or name {key!r} in the model"
                            f"{_closest(key, names)}")
        return None

    def _section_hint(self, node: Node) -> str:
        if node.kind.is_gateway:
            return "; gateways go under gateways:"
        if node.kind.is_event:
            return "; events go under events:"
        return "; activities go under activities:"

    def _pool_name(self, name: str, where: str) -> str | None:
        if name in self.s.resources:
            return name
        folded = {_fold(k): k for k in self.s.resources}
        if _fold(name) in folded:
            return folded[_fold(name)]
        defined = ", ".join(self.s.resources) or "none"
        self.problem(where, f"resource pool {name!r} is not defined under resources: (defined: "
                            f"{defined}){_closest(name, self.s.resources)}")
        return None

    # ---- pools --------------------------------------------------------------------------------
    def _pools(self) -> dict[str, PoolPlan]:
        pools = {}
        for name, spec in self.s.resources.items():
            cal = None
            if spec.calendar is not None:
                cal = self._calendar(spec.calendar, f"resources.{name}.calendar")
            pools[name] = PoolPlan(name=name, count=spec.count or 0,
                                   calendar=None if cal is _NO_CALENDAR else cal, spec=spec)
        self._pool_calendars = {n: p.calendar for n, p in pools.items()}
        return pools

    def _work_calendar(self, pool: str | None) -> Any:
        cal = self._pool_calendars.get(pool) if pool else None
        return cal if cal is not None else self.calendar

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
        for key, spec in s.activities.items():
            where = f"activities.{key}"
            node = self._resolve(key, where, lambda n: n.kind.is_activity, "an activity",
                                 self._section_hint)
            if node is None:
                continue
            if node.id in mentioned:
                other = mentioned[node.id][0]
                self.problem(where, f"{node.label} is already given as activities.{other}; "
                                    f"merge the two entries")
                continue
            mentioned[node.id] = (key, spec)

        default_pools = self._default_pools()
        needs: dict[str, list[Node]] = {}  # pool -> reachable activities that need it
        stalled: dict[str, list[Node]] = {}  # pool of count 0 -> activities with no other pool
        plans: dict[str, ActivityPlan] = {}
        for node in model.activities:
            opaque = node.kind == Kind.TASK or (
                node.kind == Kind.CALL_ACTIVITY
                and not (node.called_process_id and node.called_process_id in model.processes))
            if node.id not in mentioned and not opaque:
                continue
            key, spec = mentioned.get(node.id, (self._key_of(node), None))
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
                self.problem(f"resources.{pool}.count", f"missing: {_labels(nodes)} need this "
                                                        f"pool; give the number of units, e.g. "
                                                        f"count: 2")
        for pool, nodes in stalled.items():
            self.problem(f"resources.{pool}.count", f"is 0, but {_labels(nodes)} need this pool "
                                                    f"and have no other: give it at least 1")
        return plans

    def _key_of(self, node: Node) -> str:
        """How a message names an element the scenario does not mention: its name if unique."""
        if node.name and len(self.model.find(node.name)) == 1:
            return node.name
        return node.id

    def _default_pools(self) -> tuple[str, ...] | None:
        names = self.s.defaults.resource
        if not names:
            return None
        out = [self._pool_name(n, "defaults.resource") for n in names]
        return tuple(n for n in out if n is not None)

    def _lane_pool(self, node: Node) -> str | None:
        folded = {_fold(k): k for k in self.s.resources}
        lane_id = node.lane_id
        while lane_id is not None:
            lane = self.model.lanes.get(lane_id)
            if lane is None:
                return None
            if lane.name and _fold(lane.name) in folded:
                return folded[_fold(lane.name)]
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
                by_pool[pool] = self._convert(dist, self._work_calendar(pool), place,
                                              "this activity's work")  # type: ignore[assignment]
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
        # multi-instance and loops
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

    # ---- gateways -----------------------------------------------------------------------------
    def _gateways(self) -> dict[str, GatewayPlan]:
        model = self.model
        plans: dict[str, GatewayPlan] = {}
        given: dict[str, str] = {}
        for key, spec in self.s.gateways.items():
            where = f"gateways.{key}"
            node = self._resolve(key, where, lambda n: n.kind.is_gateway, "a gateway",
                                 self._section_hint)
            if node is None:
                continue
            if node.id in given:
                self.problem(where, f"{node.label} is already given as gateways.{given[node.id]}"
                                    f"; merge the two entries")
                continue
            given[node.id] = key
            if node.kind not in _SPLITS:
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
            if node.kind in _SPLITS and len(node.outgoing) > 1 and node.id not in given:
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
            lambda f: f.name is not None and _fold(f.name) == _fold(branch),
            lambda f: f.target == branch,
            lambda f: (t := self.model.nodes.get(f.target)) is not None and t.name is not None
            and _fold(t.name) == _fold(branch),
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
                            f"{_closest(branch, words)}; its flows: {self._branch_list(node)}")
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
                                f"{_closest(name, self.attributes)}")
            return
        labels: tuple[str, ...] = ()
        if isinstance(dist, Discrete) and dist.labels:
            labels = tuple(map(str, dist.values))
        if labels and isinstance(cond.value, float):
            self.problem(where, f"'{cond}' compares {name!r} with a number, but its values are "
                                f"labels ({', '.join(labels)})")
        elif labels and cond.value not in labels:
            self.problem(where, f"'{cond}': {cond.value!r} is not one of the values of {name!r} "
                                f"({', '.join(labels)}){_closest(str(cond.value), labels)}")
        elif not labels and isinstance(cond.value, str):
            self.problem(where, f"'{cond}' compares {name!r}, a number, with the text "
                                f"{cond.value!r}")

    # ---- events -------------------------------------------------------------------------------
    def _events(self) -> dict[str, EventPlan]:
        model = self.model
        plans: dict[str, EventPlan] = {}
        given: dict[str, str] = {}
        for key, spec in self.s.events.items():
            where = f"events.{key}"
            node = self._resolve(key, where, lambda n: n.kind.is_event, "an event",
                                 self._section_hint)
            if node is None:
                continue
            if node.id in given:
                self.problem(where, f"{node.label} is already given as events.{given[node.id]}; "
                                    f"merge the two entries")
                continue
            given[node.id] = key
            assert isinstance(node, Event)
            timer = any(d.type == "timer" for d in node.definitions)
            boundary = node.kind == Kind.BOUNDARY_EVENT
            esp_start = (node.kind == Kind.START_EVENT and node.parent_id is not None
                         and getattr(model.nodes.get(node.parent_id), "subprocess", None)
                         == "event")
            catch = node.kind == Kind.INTERMEDIATE_CATCH or boundary or esp_start
            if not catch:
                self.problem(where, f"{node.label} is {_kind_words(node)}: scenario data "
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
                                                     f"{_kind_words(node)}, trigger "
                                                     f"{node.trigger}")
            duration = self._convert(spec.duration, self.calendar, f"{where}.duration", "timers")
            after = self._convert(spec.after, self.calendar, f"{where}.after", "events")
            plans[node.id] = EventPlan(node.id, duration, spec.probability, after)
        for node in model.events:
            if node.id in plans or node.kind == Kind.START_EVENT:
                continue
            timers = [d for d in node.definitions if d.type == "timer"]
            if not timers or node.kind not in (Kind.INTERMEDIATE_CATCH, Kind.BOUNDARY_EVENT):
                continue
            text = timers[0].time_duration
            if text:
                try:
                    seconds = read_duration(text.strip()).seconds
                    plans[node.id] = EventPlan(node.id, Fixed(value=seconds, source=text), None,
                                               None)
                    continue
                except SpecError:
                    pass
            if timers[0].time_date and not text:
                continue  # an absolute date: the engine reads it from the model
            if node.id in self.reachable:
                found = f"its timeDuration {text!r} is not an ISO 8601 duration" if text else (
                    "the BPMN gives no timeDuration")
                self.problem(f"events.{self._key_of(node)}",
                             f"timer {node.label} has no duration: {found}; add e.g. "
                             f"events: {{{node.name or node.id}: {{duration: 3d}}}}")
        return plans

    # ---- arrivals -----------------------------------------------------------------------------
    def _arrivals(self) -> ArrivalPlan:
        a = self.s.arrivals
        empty = ArrivalPlan(None, None, None, None, None)
        if a is None:
            self.problem("arrivals", "missing: say how cases arrive, e.g. arrivals: "
                                     "{interarrival: {exponential: {mean: 2h}}, cases: 500}")
            return empty
        if a.interarrival is None and a.times is None:
            self.problem("arrivals", "give interarrival (a distribution) or times (a list of "
                                     "instants)")
        elif a.interarrival is not None and a.times is not None:
            self.problem("arrivals", "give interarrival or times, not both")
        elif a.interarrival is not None and a.cases is None and a.horizon is None:
            self.problem("arrivals", "unbounded: arrivals never stop; add cases: 500 and / or "
                                     "horizon: 30d")
        if "calendar" in a.model_fields_set:
            cal = self._calendar(a.calendar, "arrivals.calendar")
            cal = None if cal is _NO_CALENDAR else cal
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
            horizon_end = self.start + pd.Timedelta(seconds=a.horizon.seconds)
        return ArrivalPlan(interarrival, times, a.cases, horizon_end, cal)
