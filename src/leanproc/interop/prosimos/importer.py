"""`from_prosimos`: Prosimos / Simod simulation parameters (JSON) into a leanproc `Scenario`.

What maps, and how (see also distributions.py and calendars.py):

* **Resources.** Prosimos resources are individuals (a resource with ``amount: 3`` is three of
  them), each with its calendar, hourly cost and per-task duration laws, listed in resource
  profiles; one resource may appear in several profiles. Resources that belong to the same
  profiles and share calendar, cost and every task's law are interchangeable, so they become
  one leanproc pool whose ``count`` is the sum of their amounts. The pool is named after the
  resource when it holds one resource id, else after the profile whose list it is exactly, else
  after its first resource ("Clerk_1 and 2 more"); its ``description`` lists the Prosimos ids.
  A task lists the pools of the resources allowed to do it (alternatives) and, if their laws
  differ, a duration ``by_resource``.
* **Calendars.** ``resource_calendars`` become named calendars (weekly hours in `timezone`);
  a round-the-clock calendar becomes no calendar (24x7). ``arrival_time_calendar`` becomes
  ``arrivals.calendar``; without one, Prosimos opens arrivals whenever a resource of the first
  tasks works, and so does the import (the union of those calendars).
* **Durations, arrivals, events.** ``task_resource_distribution``, ``arrival_time_distribution``
  (also ``histogram_sampling``) and ``event_distribution`` (a timer's ``duration``, another
  catch event's ``after``), converted as distributions.py says.
* **Branching.** ``gateway_branching_probabilities`` by flow id; a missing ``value`` shares the
  rest of the probability equally, as Prosimos does.

Semantics that differ slightly: Prosimos gives a task the earliest-free of its resources,
leanproc the pool with the least load at enablement (then first come, first served); Prosimos
draws clock-time gaps between arrivals and moves an arrival that falls outside the arrival
calendar to its next opening, leanproc counts the gap in the calendar's working time (the two
agree while gaps are short against the open hours); when an inclusive gateway draws no branch,
Prosimos picks one at random by the probabilities, leanproc the likeliest (or the default flow).

The older layout (sections keyed by id, laws as plain numbers; Prosimos 1.x and its QBP
converter) is read too: older_layout.py turns it into the current one first.

Not supported (an error naming the section, or with ``unsupported="warn"`` a `ProsimosWarning`
and the section left out): batch processing, prioritisation rules, case / event / global
attributes and branch rules (conditions), multitasking, fuzzy calendars.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from leanproc.bpmn.model import Kind, ProcessModel
from leanproc.errors import ScenarioError
from leanproc.inputs import as_model
from leanproc.interop.prosimos.calendars import (
    Week,
    is_round_the_clock,
    spec_from_week,
    union,
    week_from_periods,
)
from leanproc.interop.prosimos.distributions import (
    LawError,
    histogram_arrivals,
    law_from_prosimos,
    law_to_spec,
)
from leanproc.interop.prosimos.older_layout import is_older_layout, to_current_layout
from leanproc.scenario.spec import Scenario

__all__ = ["ProsimosWarning", "from_prosimos"]


class ProsimosWarning(UserWarning):
    """A Prosimos feature carried across only approximately, or left out on request."""


UNSUPPORTED = {
    "batch_processing": "batch processing of tasks",
    "prioritisation_rules": "case prioritisation rules",
    "case_attributes": "case attributes",
    "event_attributes": "event attributes",
    "global_attributes": "global attributes",
    "branch_rules": "branch rules (gateway conditions on attributes)",
    "multitask": "multitasking of resources",
}
KNOWN = {"resource_profiles", "resource_calendars", "task_resource_distribution",
         "arrival_time_distribution", "arrival_time_calendar", "gateway_branching_probabilities",
         "event_distribution", "gateway_execution_limit", "model_type", "granule_size",
         *UNSUPPORTED}

DEFAULT_START = "2024-01-01T00:00:00"  # a Monday
"""When the simulation starts if `start` is not given (Prosimos takes it as a run option)."""


def _load(source: Any) -> tuple[dict[str, Any], str | None]:
    if isinstance(source, Mapping):
        return dict(source), None
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return json.loads(path.read_text(encoding="utf-8-sig")), str(path)
        except OSError as exc:
            raise ScenarioError(f"cannot read the Prosimos parameters: {exc.strerror or exc}",
                                source=str(path)) from None
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"line {exc.lineno}, column {exc.colno}: not valid JSON: "
                                f"{exc.msg}", source=str(path)) from None
    raise ScenarioError(f"source= must be the Prosimos parameters as a JSON file path or a "
                        f"dict, not {type(source).__name__}", source="from_prosimos")


def _model(model: ProcessModel | str | os.PathLike[str]) -> tuple[ProcessModel, str | None]:
    if isinstance(model, ProcessModel):
        # a model read from a file: the scenario names that file, so it binds on its own
        source = Path(model.source) if model.source else None
        return model, (str(source.resolve()) if source and source.is_file() else None)
    if not isinstance(model, str | os.PathLike):
        return as_model(model, caller="from_prosimos"), None  # BPMN bytes, or an error
    return as_model(model, caller="from_prosimos"), str(Path(model).resolve())


def from_prosimos(
    source: Mapping[str, Any] | str | os.PathLike[str],
    model: ProcessModel | str | os.PathLike[str],
    *,
    cases: int | None = 1000,
    horizon: str | None = None,
    start: str | None = None,
    timezone: str = "UTC",
    name: str | None = None,
    unsupported: Literal["error", "warn"] = "error",
) -> Scenario:
    """A leanproc `Scenario` from Prosimos / Simod simulation parameters.

    `source` is the JSON file (or its parsed dict); `model` the BPMN it belongs to (a
    `ProcessModel` or a path, which then becomes the scenario's ``model:``). Prosimos takes the
    number of cases and the start as run options; here they are `cases` (and / or `horizon`,
    e.g. ``"30d"``) and `start` (default Monday 2024-01-01 00:00), in `timezone`, the zone of
    the calendars' clock times. Every problem is listed in one `ScenarioError`; features
    leanproc does not simulate raise too unless ``unsupported="warn"``, which leaves them out
    with a `ProsimosWarning`. Approximations (e.g. a shifted law written as a histogram) are
    reported in one `ProsimosWarning`.
    """
    if unsupported not in ("error", "warn"):
        raise ValueError("unsupported must be 'error' or 'warn'")
    data, label = _load(source)
    layout_notes: list[str] = []
    if is_older_layout(data):
        data, layout_notes = to_current_layout(data)
    process, model_path = _model(model)
    reader = _Reader(data, process, timezone, unsupported)
    reader.notes += layout_notes
    body = reader.read()
    if reader.problems:
        raise ScenarioError(reader.problems, source=label)
    arrivals = {**body.pop("arrivals"), "cases": cases}
    if horizon is not None:
        arrivals["horizon"] = horizon
    stem = Path(label).stem if label else "parameters"
    scenario_data = {
        "name": name or f"Prosimos {stem}",
        "description": f"Imported from Prosimos simulation parameters ({label or 'a dict'})",
        **({"model": model_path} if model_path else {}),
        "start": start or DEFAULT_START,
        "timezone": timezone,
        "arrivals": arrivals,
        **body,
    }
    scenario = Scenario.load(scenario_data)
    if reader.notes:
        lines = "\n".join(f"  - {n}" for n in reader.notes)
        warnings.warn(f"Prosimos import{f' of {label}' if label else ''}:\n{lines}",
                      ProsimosWarning, stacklevel=2)
    return scenario


class _Resource:
    __slots__ = ("amount", "calendar", "cost", "id", "name", "profiles", "tasks")

    def __init__(self, rid: str, name: str, amount: int, calendar: str, cost: float) -> None:
        self.id, self.name, self.amount = rid, name, amount
        self.calendar, self.cost = calendar, cost
        self.profiles: list[str] = []
        self.tasks: dict[str, str] = {}  # task id -> its law as canonical JSON


class _Reader:
    """Reads one parameter file against one model, collecting problems and notes."""

    def __init__(self, data: dict[str, Any], model: ProcessModel, tz: str,
                 unsupported: str) -> None:
        self.data = data
        self.model = model
        self.tz = tz
        self.unsupported = unsupported
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.approximated: list[str] = []
        self.weeks: dict[str, Week] = {}
        self._used_calendars: set[str] = set()
        self.profile_members: dict[str, tuple[str, list[str]]] = {}
        self.fuzzy = str(data.get("model_type", "CRISP")).upper() == "FUZZY"

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def read(self) -> dict[str, Any]:
        self._sections()
        self.weeks = self._calendars()
        resources = self._resources()
        durations = self._task_laws(resources)
        pools, pool_of = self._pools(resources)
        activities = self._activities(resources, pool_of, durations)
        out = {
            "calendars": {cid: spec_from_week(w, self.tz) for cid, w in self.weeks.items()
                          if cid in self._used_calendars and not is_round_the_clock(w)},
            "resources": pools,
            "activities": activities,
            "gateways": self._gateways(),
            "events": self._events(),
            "arrivals": self._arrivals(resources),
        }
        if self.approximated:
            self.notes.append(
                "no exact leanproc form (a shifted law, bounds cutting deep into it, or a law "
                "leanproc lacks): written as an empirical histogram of the exact truncated law "
                "for " + "; ".join(self.approximated))
        return out

    # ---- sections ------------------------------------------------------------------------------
    def _sections(self) -> None:
        d = self.data
        for key in ("resource_profiles", "task_resource_distribution",
                    "arrival_time_distribution"):
            if key not in d:
                self.problem(key, "missing: Prosimos parameters need resource_profiles, "
                                  "resource_calendars, task_resource_distribution and "
                                  "arrival_time_distribution")
        if self.fuzzy:
            self.problem("model_type", "FUZZY (probabilistic availability calendars) is not "
                                       "supported: export crisp calendars from Simod "
                                       "(model_type CRISP)")
        elif "resource_calendars" not in d:
            self.problem("resource_calendars", "missing: give each resource's weekly calendar")
        for key, what in UNSUPPORTED.items():
            value = d.get(key)
            if not value:  # absent or empty: nothing is lost
                continue
            if self.unsupported == "error":
                self.problem(key, f"{what} is not supported by leanproc; remove the section, or "
                                  f"import with unsupported='warn' to leave it out")
            else:
                self.notes.append(f"{key}: {what} is not supported by leanproc; left out")
        if "gateway_execution_limit" in d:
            self.notes.append("gateway_execution_limit: ignored; leanproc stops a case after "
                              "max_steps node visits instead (simulate(max_steps=...))")
        unknown = sorted(k for k in d if k not in KNOWN)
        if unknown:
            self.notes.append(f"unknown sections ignored: {', '.join(unknown)}")

    def _calendars(self) -> dict[str, Week]:
        weeks: dict[str, Week] = {}
        entries = self.data.get("resource_calendars") or []
        if self.fuzzy:
            return weeks
        if not isinstance(entries, list):
            self.problem("resource_calendars", "expected a list of {id, time_periods}")
            return weeks
        for i, c in enumerate(entries):
            where = f"resource_calendars[{i}]"
            if not isinstance(c, Mapping) or "id" not in c:
                self.problem(where, "expected {id, name, time_periods}")
                continue
            try:
                week = week_from_periods(c.get("time_periods"), f"{where}.time_periods")
            except ValueError as exc:
                self.problems.append(str(exc))
                continue
            if not any(week):
                self.problem(where, f"calendar {c['id']!r} has no working time: its resources "
                                    f"could never work; give it time periods")
                continue
            weeks[str(c["id"])] = week
        return weeks

    # ---- resources -----------------------------------------------------------------------------
    def _resources(self) -> dict[str, _Resource]:
        resources: dict[str, _Resource] = {}
        profiles = self.data.get("resource_profiles") or []
        if not isinstance(profiles, list):
            self.problem("resource_profiles", "expected a list of {id, name, resource_list}")
            return resources
        for i, prof in enumerate(profiles):
            where = f"resource_profiles[{i}]"
            if not isinstance(prof, Mapping) or not isinstance(prof.get("resource_list"), list):
                self.problem(where, "expected {id, name, resource_list: [...]}")
                continue
            pid = str(prof.get("id", i))
            members: list[str] = []
            for j, r in enumerate(prof["resource_list"]):
                res = self._resource(r, f"{where}.resource_list[{j}]", resources)
                if res is not None:
                    if pid not in res.profiles:
                        res.profiles.append(pid)
                    members.append(res.id)
            self.profile_members[pid] = (str(prof.get("name") or pid), members)
        return resources

    def _resource(self, r: Any, where: str, known: dict[str, _Resource]) -> _Resource | None:
        if not isinstance(r, Mapping) or "id" not in r:
            self.problem(where, "expected {id, name, amount, cost_per_hour, calendar}")
            return None
        rid = str(r["id"])
        try:
            amount = int(r.get("amount", 1))
            cost = float(r.get("cost_per_hour", 0) or 0)
        except (TypeError, ValueError):
            self.problem(where, f"resource {rid!r}: amount and cost_per_hour must be numbers")
            return None
        if amount < 0 or cost < 0:
            self.problem(where, f"resource {rid!r}: amount and cost_per_hour must be >= 0")
            return None
        cal = str(r.get("calendar", ""))
        if cal not in self.weeks and "resource_calendars" in self.data and not self.fuzzy:
            ids = ", ".join(self.weeks) or "none"
            self.problem(where, f"resource {rid!r} names calendar {cal!r}, which "
                                f"resource_calendars does not define (defined: {ids})")
            return None
        res = _Resource(rid, str(r.get("name") or rid), amount, cal, cost)
        old = known.get(rid)
        if old is not None:
            if (old.amount, old.calendar, old.cost) != (amount, cal, cost):
                self.problem(where, f"resource {rid!r} is defined again with another amount, "
                                    f"calendar or cost; give it the same data in every profile")
            return old
        known[rid] = res
        return res

    def _task_laws(self, resources: dict[str, _Resource]) -> dict[tuple[str, str], Any]:
        """(task id, resource id) -> leanproc distribution form; fills each resource's tasks."""
        out: dict[tuple[str, str], Any] = {}
        entries = self.data.get("task_resource_distribution") or []
        if not isinstance(entries, list):
            self.problem("task_resource_distribution", "expected a list of {task_id, resources}")
            return out
        for i, t in enumerate(entries):
            where = f"task_resource_distribution[{i}]"
            if not isinstance(t, Mapping) or not isinstance(t.get("resources"), list):
                self.problem(where, "expected {task_id, resources: [...]}")
                continue
            tid = str(t.get("task_id"))
            node = self.model.nodes.get(tid)
            if node is None or not node.kind.is_activity:
                what = "is not in the model" if node is None else f"is a {node.tag}, not a task"
                self.problem(where, f"task {tid!r} {what}: the parameters belong to another "
                                    f"BPMN file, or the task id changed")
                continue
            for j, r in enumerate(t["resources"]):
                place = f"{where}.resources[{j}]"
                rid = str(r.get("resource_id")) if isinstance(r, Mapping) else None
                if rid not in resources:
                    self.problem(place, f"resource {rid!r} is not in resource_profiles")
                    continue
                spec = self._law(r, place, f"task {node.label} by {rid}")
                if spec is not None:
                    out[(tid, rid)] = spec
                    resources[rid].tasks[tid] = json.dumps(spec, sort_keys=True)
        return out

    def _law(self, entry: Any, where: str, what: str) -> dict[str, Any] | None:
        if not isinstance(entry, Mapping):
            self.problem(where, "expected {distribution_name, distribution_params}")
            return None
        try:
            if entry.get("distribution_name") == "histogram_sampling":
                return histogram_arrivals(entry)
            spec, exact = law_to_spec(law_from_prosimos(entry))
        except LawError as exc:
            self.problem(where, str(exc))
            return None
        if not exact:
            self.approximated.append(f"{what} ({entry.get('distribution_name')})")
        return spec

    # ---- pools ---------------------------------------------------------------------------------
    def _pools(self, resources: dict[str, _Resource]) -> tuple[dict[str, Any], dict[str, str]]:
        groups: dict[tuple[Any, ...], list[_Resource]] = {}
        for res in resources.values():
            key = (tuple(sorted(res.profiles)), res.calendar, res.cost,
                   tuple(sorted(res.tasks.items())))
            groups.setdefault(key, []).append(res)
        pools: dict[str, Any] = {}
        pool_of: dict[str, str] = {}
        for members in groups.values():
            name = self._pool_name(members, pools)
            first = members[0]
            week = self.weeks.get(first.calendar)
            if week is not None:
                self._used_calendars.add(first.calendar)
            ids = ", ".join(f"{m.id} (x{m.amount})" if m.amount != 1 else m.id for m in members)
            pools[name] = {
                "count": sum(m.amount for m in members),
                "calendar": None if week is None or is_round_the_clock(week) else first.calendar,
                "cost_per_hour": first.cost,
                "description": f"Prosimos resources {ids}",
            }
            for m in members:
                pool_of[m.id] = name
        return pools, pool_of

    def _pool_name(self, members: list[_Resource], taken: Mapping[str, Any]) -> str:
        ids = [m.id for m in members]
        if len(members) == 1:
            base = members[0].name
        else:
            exact = [name for name, group in self.profile_members.values()
                     if sorted(group) == sorted(ids)]
            base = exact[0] if len(exact) == 1 else (
                f"{members[0].name} and {len(members) - 1} more")
        name, k = base, 2
        while name in taken:
            name, k = f"{base} ({k})", k + 1
        return name

    # ---- activities ----------------------------------------------------------------------------
    def _activities(self, resources: dict[str, _Resource], pool_of: dict[str, str],
                    laws: dict[tuple[str, str], Any]) -> dict[str, Any]:
        by_task: dict[str, dict[str, Any]] = {}
        for (tid, rid), spec in laws.items():
            by_task.setdefault(tid, {}).setdefault(pool_of[rid], spec)
        out: dict[str, Any] = {}
        for tid, per_pool in by_task.items():
            pools = list(per_pool)
            specs = list(per_pool.values())
            if all(s == specs[0] for s in specs):
                duration: Any = specs[0]
            else:
                duration = {"by_resource": per_pool}
            out[tid] = {"resource": pools, "duration": duration}
        missing = [n for n in self.model.activities
                   if n.kind == Kind.TASK and n.id not in out and not n.is_for_compensation]
        for node in missing:
            self.problem("task_resource_distribution", f"task {node.label} has no entry: give "
                                                       f"the resources that do it and their "
                                                       f"duration laws")
        return out

    # ---- gateways and events -------------------------------------------------------------------
    def _gateways(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        entries = self.data.get("gateway_branching_probabilities") or []
        for i, g in enumerate(entries if isinstance(entries, list) else []):
            where = f"gateway_branching_probabilities[{i}]"
            if not isinstance(g, Mapping) or not isinstance(g.get("probabilities"), list):
                self.problem(where, "expected {gateway_id, probabilities: [{path_id, value}]}")
                continue
            gid = str(g.get("gateway_id"))
            node = self.model.nodes.get(gid)
            if node is None or not node.kind.is_gateway:
                what = "is not in the model" if node is None else f"is a {node.tag}"
                self.problem(where, f"gateway {gid!r} {what}")
                continue
            if (node.kind not in (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY,
                                  Kind.COMPLEX_GATEWAY) or len(node.outgoing) < 2):
                self.notes.append(f"{where}: {node.label} does not choose between flows "
                                  f"(a {node.tag} with {len(node.outgoing)} outgoing); its "
                                  f"probabilities are ignored")
                continue
            probs = self._probabilities(g["probabilities"], where)
            if probs is None:
                continue
            if node.kind == Kind.EXCLUSIVE_GATEWAY:
                total = sum(probs.values())
                if total <= 0:
                    self.problem(where, "the probabilities sum to 0")
                    continue
                if abs(total - 1) > 1e-6:
                    self.notes.append(f"{where}: probabilities of {node.label} sum to "
                                      f"{total:.6g}; scaled to 1")
                    probs = {k: v / total for k, v in probs.items()}
            out[gid] = probs
        return out

    def _probabilities(self, items: list[Any], where: str) -> dict[str, float] | None:
        given: dict[str, float | None] = {}
        for j, p in enumerate(items):
            if not isinstance(p, Mapping) or "path_id" not in p:
                self.problem(f"{where}.probabilities[{j}]", "expected {path_id, value}")
                return None
            if "condition_id" in p:
                if self.unsupported == "error":
                    self.problem(f"{where}.probabilities[{j}]",
                                 "conditions (condition_id) are not supported by leanproc; "
                                 "remove them or import with unsupported='warn' to use the "
                                 "probabilities alone")
                    return None
                self.notes.append(f"{where}.probabilities[{j}]: condition ignored")
            try:
                given[str(p["path_id"])] = float(p["value"]) if "value" in p else None
            except (TypeError, ValueError):
                self.problem(f"{where}.probabilities[{j}]", f"value {p.get('value')!r} is not "
                                                            f"a number")
                return None
        missing = [k for k, v in given.items() if v is None]
        if missing:  # Prosimos shares what is left equally among flows without a value
            rest = max(0.0, 1.0 - sum(v for v in given.values() if v is not None))
            self.notes.append(f"{where}: flows {', '.join(missing)} have no value; each gets "
                              f"{rest / len(missing):.6g}, as in Prosimos")
            given.update({k: rest / len(missing) for k in missing})
        return {k: float(v) for k, v in given.items() if v is not None}

    def _events(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        entries = self.data.get("event_distribution") or []
        for i, e in enumerate(entries if isinstance(entries, list) else []):
            where = f"event_distribution[{i}]"
            eid = str(e.get("event_id")) if isinstance(e, Mapping) else None
            node = self.model.nodes.get(eid) if eid else None
            if node is None or not node.kind.is_event:
                self.problem(where, f"event {eid!r} is not an event of the model")
                continue
            if node.kind not in (Kind.INTERMEDIATE_CATCH, Kind.BOUNDARY_EVENT):
                self.notes.append(f"{where}: {node.label} is a {node.tag}; Prosimos times "
                                  f"intermediate catch events only, so its law is ignored")
                continue
            spec = self._law(e, where, f"event {node.label}")
            if spec is None:
                continue
            timer = any(d.type == "timer" for d in getattr(node, "definitions", ()))
            out[str(eid)] = {"duration": spec} if timer else {"after": spec}
        return out

    # ---- arrivals ------------------------------------------------------------------------------
    def _arrivals(self, resources: dict[str, _Resource]) -> dict[str, Any]:
        entry = self.data.get("arrival_time_distribution")
        spec = self._law(entry, "arrival_time_distribution", "the inter-arrival time") if (
            entry is not None) else None
        week: Week | None = None
        if "arrival_time_calendar" in self.data:
            try:
                week = week_from_periods(self.data["arrival_time_calendar"],
                                         "arrival_time_calendar")
            except ValueError as exc:
                self.problems.append(str(exc))
        else:
            weeks = [self.weeks[resources[rid].calendar]
                     for rid in self._first_task_resources(resources)
                     if resources[rid].calendar in self.weeks]
            if weeks:
                week = union(weeks)
                self.notes.append("no arrival_time_calendar: arrivals open whenever a resource "
                                  "of the first tasks works, as in Prosimos")
        calendar: Any = None
        if week is not None and not is_round_the_clock(week):
            if not any(week):
                self.problem("arrival_time_calendar", "has no open time: no case could arrive")
            calendar = spec_from_week(week, self.tz)
        return {"interarrival": spec, "calendar": calendar}

    def _first_task_resources(self, resources: dict[str, _Resource]) -> list[str]:
        """Resources of the tasks a case reaches first (through gateways and events)."""
        model = self.model
        stack = [n.id for n in model.events if n.kind == Kind.START_EVENT and n.parent_id is None]
        seen: set[str] = set()
        tasks: list[str] = []
        while stack:
            nid = stack.pop()
            if nid in seen:
                continue
            seen.add(nid)
            node = model.nodes[nid]
            if node.kind.is_activity:
                tasks.append(nid)
                continue
            stack += [model.flows[f].target for f in node.outgoing if f in model.flows]
        return [r.id for r in resources.values() if any(t in r.tasks for t in tasks)]
