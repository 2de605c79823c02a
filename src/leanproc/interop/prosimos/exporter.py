"""`to_prosimos`: a leanproc scenario as Prosimos simulation parameters (JSON), where it maps.

Each pool becomes one Prosimos resource profile holding one resource with ``amount`` = the
pool's count, its hourly rate (``cost_per_hour``, or the rate a salary gives) and its calendar's
weekly hours; each task lists the resources of its pools with their duration laws. Branch
probabilities, timer and catch-event durations, the inter-arrival law and the arrival calendar
carry over. The laws use the current Prosimos convention (distributions.py).

Prosimos has no counterpart for: waits before an activity, loops and multi-instance activities,
subprocesses and call activities, gateway conditions, boundary-event probabilities, costs per
execution or per case, holidays and date exceptions of a calendar, and fixed arrival times
(those raise a `ScenarioError`). Everything else that cannot be carried exactly is listed in one
`ProsimosWarning`. A task without a resource (a pure delay in leanproc) gets an unlimited
round-the-clock resource, since Prosimos needs one for every task. Prosimos reads calendar clock
times in the zone of its start time: start it in the scenario's zone.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

from leanproc.bpmn.model import Kind, ProcessModel
from leanproc.errors import ScenarioError
from leanproc.inputs import as_bound
from leanproc.interop.prosimos.calendars import Week, periods_from_week, week_from_calendar
from leanproc.interop.prosimos.distributions import (
    LawError,
    to_prosimos_arrivals,
    to_prosimos_distribution,
)
from leanproc.interop.prosimos.importer import ProsimosWarning
from leanproc.scenario.plans import BoundScenario
from leanproc.scenario.spec import Scenario

__all__ = ["to_prosimos"]

UNLIMITED = 1000
"""Units of the stand-in resource of tasks that hold none in leanproc."""
_ALWAYS: Week = tuple(((0, 86_400),) for _ in range(7))


def to_prosimos(
    scenario: BoundScenario | Scenario | Mapping[str, Any] | str | os.PathLike[str],
    model: ProcessModel | str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Prosimos simulation parameters (a JSON-ready dict) for `scenario`.

    `scenario` is bound first if it is not (reading `model`, or the scenario's ``model:``).
    Raises `ScenarioError` for what cannot be exported at all; warns (`ProsimosWarning`) once
    with every feature left out or approximated.
    """
    return _Writer(as_bound(scenario, model, caller="to_prosimos")).write()


class _Writer:
    def __init__(self, bound: BoundScenario) -> None:
        self.b = bound
        self.notes: list[str] = []
        self.calendars: dict[str, Week] = {}

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def write(self) -> dict[str, Any]:
        b = self.b
        if b.arrivals.times is not None:
            raise ScenarioError("arrivals.times: Prosimos takes fixed arrival times as a run "
                                "option, not in its parameters; export a scenario with "
                                "arrivals.interarrival")
        if b.arrivals.rate is not None:
            raise ScenarioError("arrivals.rate: Prosimos has no arrival rate that changes with "
                                "the weekday, hour or month; export a scenario with "
                                "arrivals.interarrival")
        resources, pool_ids = self._resources()
        out = {
            "resource_profiles": resources,
            "arrival_time_distribution": self._arrival_law(),
            "arrival_time_calendar": periods_from_week(self._week(b.arrivals.calendar,
                                                                  "arrivals")),
            "gateway_branching_probabilities": self._gateways(),
            "task_resource_distribution": self._tasks(pool_ids, resources),
            "event_distribution": self._events(),
        }
        out["resource_calendars"] = [{"id": cid, "name": cid, "time_periods":
                                      periods_from_week(w)} for cid, w in self.calendars.items()]
        self._unmapped()
        if self.notes:
            lines = "\n".join(f"  - {n}" for n in self.notes)
            warnings.warn(f"Prosimos export of {b.scenario.name or 'the scenario'}:\n{lines}",
                          ProsimosWarning, stacklevel=3)
        return out

    # ---- calendars and resources ---------------------------------------------------------------
    def _week(self, calendar: Any, what: str) -> Week:
        if calendar is None:
            return _ALWAYS
        if calendar.country or getattr(calendar, "_exceptions", None):
            self.note(f"{what}: calendar {calendar.name} has holidays or date exceptions; "
                      f"Prosimos calendars are weekly, so only its weekly hours are exported")
        return week_from_calendar(calendar)

    def _calendar_id(self, pool: str, calendar: Any, named: Any) -> str:
        """The id of the pool's calendar: its name in the scenario where it has one."""
        week = self._week(calendar, f"resources.{pool}")
        for cid, w in self.calendars.items():
            if w == week:
                return cid
        if week == _ALWAYS:
            cid = "24x7"
        elif isinstance(named, str) and named not in self.calendars:
            cid = named
        else:
            cid = f"{pool} calendar"
        self.calendars[cid] = week
        return cid

    def _resources(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        from leanproc.cost.rates import pool_rates

        b = self.b
        rates = pool_rates(b)
        profiles: list[dict[str, Any]] = []
        ids: dict[str, str] = {}
        for name, plan in b.pools.items():
            if plan.count < 1:
                continue
            rate = rates[name]
            if plan.spec.cost_per_hour is None and rate.paid_per_hour > 0:
                self.note(f"resources.{name}: cost_per_hour {rate.paid_per_hour:.2f} from "
                          f"{rate.basis}")
            if rate.per_use:
                self.note(f"resources.{name}.cost_per_use: Prosimos has no cost per use; "
                          f"left out")
            cal, named = plan.calendar, plan.spec.calendar
            if cal is None:
                cal, named = b.calendar, b.scenario.calendar
            ids[name] = name
            profiles.append({"id": name, "name": name, "resource_list": [{
                "id": name, "name": name, "cost_per_hour": rate.paid_per_hour,
                "amount": plan.count, "calendar": self._calendar_id(name, cal, named),
                "assigned_tasks": []}]})
        return profiles, ids

    # ---- tasks ---------------------------------------------------------------------------------
    def _law(self, dist: Any, where: str) -> dict[str, Any]:
        try:
            spec, note = to_prosimos_distribution(dist)
        except LawError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
        if note:
            self.note(f"{where}: {note}")
        return spec

    def _tasks(self, pool_ids: dict[str, str],
               profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
        b = self.b
        by_id = {p["id"]: p["resource_list"][0] for p in profiles}
        out = []
        for nid, plan in b.activities.items():
            node = b.model.nodes[nid]
            if node.kind != Kind.TASK:
                self.note(f"activities.{nid}: {node.label} is a {node.tag}; Prosimos simulates "
                          f"plain tasks only, so it is left out")
                continue
            pools = [p for p in plan.pools if p in pool_ids]
            entries = []
            if not pools:
                rid = self._unlimited(profiles, by_id)
                by_id[rid]["assigned_tasks"].append(nid)
                entries.append({"resource_id": rid, **self._law(
                    plan.duration, f"activities.{nid}.duration")})
                self.note(f"activities.{nid}: {node.label} holds no resource; Prosimos needs "
                          f"one, so it uses '{rid}' ({UNLIMITED} units, round the clock)")
            for pool in pools:
                dist = plan.duration_by_pool.get(pool) or plan.duration
                by_id[pool_ids[pool]]["assigned_tasks"].append(nid)
                entries.append({"resource_id": pool_ids[pool],
                                **self._law(dist, f"activities.{nid}.duration")})
            out.append({"task_id": nid, "resources": entries})
            if plan.wait is not None:
                self.note(f"activities.{nid}.wait: Prosimos has no wait before a task; left out")
            if plan.loop_probability or plan.instances not in (None, 1):
                self.note(f"activities.{nid}: loops and multi-instance are not in Prosimos; "
                          f"exported as one execution")
            if plan.cost_per_execution:
                self.note(f"activities.{nid}.cost_per_execution: not in Prosimos; left out")
        return out

    def _unlimited(self, profiles: list[dict[str, Any]], by_id: dict[str, Any]) -> str:
        rid = "unlimited (no resource in leanproc)"
        if rid not in by_id:
            self.calendars.setdefault("24x7", _ALWAYS)
            cid = next(c for c, w in self.calendars.items() if w == _ALWAYS)
            res = {"id": rid, "name": rid, "cost_per_hour": 0.0, "amount": UNLIMITED,
                   "calendar": cid, "assigned_tasks": []}
            profiles.append({"id": rid, "name": rid, "resource_list": [res]})
            by_id[rid] = res
        return rid

    # ---- flow ----------------------------------------------------------------------------------
    def _gateways(self) -> list[dict[str, Any]]:
        out = []
        for gid, plan in self.b.gateways.items():
            if plan.conditions:
                self.note(f"gateways.{gid}: conditions are not exported (Prosimos branch rules "
                          f"differ); give probabilities to export this gateway")
                continue
            if plan.probabilities:
                out.append({"gateway_id": gid, "probabilities": [
                    {"path_id": f, "value": p} for f, p in plan.probabilities.items()]})
        return out

    def _events(self) -> list[dict[str, Any]]:
        out = []
        for eid, plan in self.b.events.items():
            dist = plan.duration if plan.duration is not None else plan.after
            if plan.probability is not None:
                self.note(f"events.{eid}.probability: Prosimos has no boundary events; left out")
                continue
            if dist is None:
                continue
            if dist.working:
                self.note(f"events.{eid}: a working-time duration becomes clock time in "
                          f"Prosimos")
            out.append({"event_id": eid, **self._law(dist, f"events.{eid}")})
        return out

    def _arrival_law(self) -> dict[str, Any]:
        dist = self.b.arrivals.interarrival
        try:
            spec, note = to_prosimos_arrivals(dist)
        except LawError as exc:
            raise ScenarioError(f"arrivals.interarrival: {exc}") from None
        if note:
            self.note(f"arrivals.interarrival: {note}")
        if self.b.arrivals.calendar is not None:
            self.note("arrivals: leanproc counts inter-arrival gaps in the arrival calendar's "
                      "working time; Prosimos counts clock time and moves an arrival that "
                      "falls outside the calendar to its next opening")
        return spec

    def _unmapped(self) -> None:
        b = self.b
        if b.fixed_cost_per_case:
            self.note("fixed_costs.per_case: not in Prosimos; left out")
        if b.case_attributes:
            self.note("case_attributes: not exported")
        if b.case_speed is not None:
            self.note("case_speed: Prosimos draws every duration independently; the per-case "
                      "factors are left out (lead times spread less there)")
