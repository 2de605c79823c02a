"""The older Prosimos parameter layout (Prosimos 1.x, and the JSON its tool made from QBP / BIMP
simulation data) turned into the current one, which `from_prosimos` reads.

The older layout keys sections by id where the current one lists entries:

* ``resource_calendars``: ``{resource id: [periods]}`` (now ``[{id, name, time_periods}]``);
* ``task_resource_distribution``: ``{task id: {resource id: law}}`` (now ``[{task_id,
  resources: [{resource_id, law...}]}]``);
* ``gateway_branching_probabilities``: ``{gateway id: {flow id: p}}`` (now ``[{gateway_id,
  probabilities: [{path_id, value}]}]``);
* ``resource_profiles``: absent, or ``{pool id: {name, resource_list}}`` (now a list).

Without ``resource_profiles``, each calendar key is one resource with that calendar; the QBP tool
numbered a pool's members ``<pool>_1``, ``<pool>_2``..., so members with one prefix form one
profile (and, being interchangeable, one leanproc pool). The older layout has no costs: they are
0 (noted).

Laws are plain numbers (``"distribution_params": [600, 120]``). The QBP tool wrote BIMP's
parameters (``mean``, ``arg1``, ``arg2``, in seconds) with a ``0, 1`` tail; those forms are read
as BIMP meant them: ``expon [mean, 1]``, ``norm [mean, sd]``, ``lognorm`` / ``gamma [mean,
variance, 0, 1]``, ``uniform [min, max, 0, 1]``, ``triang [mode, min, max, 0, 1]``, ``fix
[value, 0, 1]``. Any other list is what Prosimos 1.x sampled: scipy.stats arguments ``[shapes...,
loc, scale]``, with no bounds.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["is_older_layout", "to_current_layout"]

_KEYED = ("resource_calendars", "task_resource_distribution", "gateway_branching_probabilities",
          "resource_profiles")
_MEMBER = re.compile(r"^(?P<pool>.+)_\d+$")


def is_older_layout(data: Mapping[str, Any]) -> bool:
    """True when a section is keyed by id (a mapping) where the current layout has a list."""
    return any(isinstance(data.get(key), Mapping) for key in _KEYED)


def _numbers(params: Any) -> list[float] | None:
    if not isinstance(params, list):
        return None
    try:
        return [float(p) for p in params]
    except (TypeError, ValueError):
        return None  # already {"value": x} entries, or bad: the current reader says which


def _law(entry: Any) -> Any:
    """One older law as a current entry (the current reader checks and converts it)."""
    if not isinstance(entry, Mapping):
        return entry
    name = str(entry.get("distribution_name", "")).strip().lower()
    v = _numbers(entry.get("distribution_params"))
    if v is None or not v:
        return dict(entry)

    def law(family: str, *params: float) -> dict[str, Any]:
        return {"distribution_name": family, "distribution_params": [{"value": p} for p in params]}

    inf, qbp_tail = math.inf, v[-2:] == [0.0, 1.0]
    if name == "fix":
        return law("fix", v[0])
    if name == "expon" and len(v) == 2 and v[1] == 1.0:
        return law("expon", v[0], 0.0, inf)  # current: mean, min, max
    if name == "norm" and len(v) == 2:
        return law("norm", v[0], v[1], 0.0, inf)
    if name in ("lognorm", "gamma") and len(v) == 4 and qbp_tail:
        return law(name, v[0], v[1], 0.0, inf)  # current: mean, variance, min, max
    if name == "uniform" and len(v) == 4 and qbp_tail:
        return law("uniform", v[0], v[1])
    if name == "triang" and len(v) == 5 and qbp_tail:
        mode, lo, hi = v[0], v[1], v[2]
        width = hi - lo
        c = (mode - lo) / width if width > 0 else 0.5
        return law("triang", c, lo, width if width > 0 else 1e-9, 0.0, inf)
    return law(name, *v, 0.0, inf)  # scipy [shapes..., loc, scale], unbounded


def _shared_calendars(calendars: Mapping[str, Any]) -> dict[str, str]:
    """Calendar key -> the first key with the same periods: the older layout gives every
    resource its own copy, and members of one pool must share one calendar to form a pool."""
    first: dict[str, str] = {}
    out = {}
    for cid, periods in calendars.items():
        out[cid] = first.setdefault(json.dumps(periods, sort_keys=True), cid)
    return out


def _profiles(data: Mapping[str, Any], calendars: Mapping[str, Any],
              notes: list[str]) -> list[dict[str, Any]]:
    old = data.get("resource_profiles")
    shared = _shared_calendars(calendars)
    if isinstance(old, Mapping):
        out = []
        for pid, prof in old.items():
            members = prof.get("resource_list", []) if isinstance(prof, Mapping) else []
            resources = []
            for r in members:
                if isinstance(r, Mapping):
                    cal = str(r.get("calendar", r.get("timetable", r.get("id"))))
                    r = {**r, "calendar": shared.get(cal, cal)}
                resources.append(r)
            name = prof.get("name") if isinstance(prof, Mapping) else None
            out.append({"id": str(pid), "name": str(name or pid), "resource_list": resources})
        return out
    if isinstance(old, list):
        return old
    named: list[str] = list(calendars)
    tasks = data.get("task_resource_distribution")
    if isinstance(tasks, Mapping):
        for by_resource in tasks.values():
            if isinstance(by_resource, Mapping):
                named += [str(r) for r in by_resource if str(r) not in named]
    groups: dict[str, list[str]] = {}
    for rid in named:
        m = _MEMBER.match(rid)
        groups.setdefault(m["pool"] if m else rid, []).append(rid)
    notes.append("older Prosimos layout without resource_profiles: one resource per calendar "
                 "entry, members <pool>_<n> grouped by pool, cost_per_hour 0 (set the pools' "
                 "costs in the scenario)")
    return [{"id": pool, "name": pool,
             "resource_list": [{"id": rid, "name": rid, "amount": 1, "cost_per_hour": 0,
                                "calendar": shared.get(rid, rid)} for rid in members]}
            for pool, members in groups.items()]


def to_current_layout(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(the parameters in the current layout, notes on what was assumed)."""
    notes: list[str] = []
    out = dict(data)
    calendars = data.get("resource_calendars")
    if isinstance(calendars, Mapping):
        calendars_by_id: Mapping[str, Any] = {str(k): v for k, v in calendars.items()}
        kept = set(_shared_calendars(calendars_by_id).values())
        out["resource_calendars"] = [{"id": cid, "name": cid, "time_periods": periods}
                                     for cid, periods in calendars_by_id.items() if cid in kept]
    else:
        calendars_by_id = {}
    out["resource_profiles"] = _profiles(data, calendars_by_id, notes)
    tasks = data.get("task_resource_distribution")
    if isinstance(tasks, Mapping):
        out["task_resource_distribution"] = [
            {"task_id": str(tid),
             "resources": [{"resource_id": str(rid), **_law(law)}
                           for rid, law in by_resource.items()]
             if isinstance(by_resource, Mapping) else by_resource}
            for tid, by_resource in tasks.items()]
    gateways = data.get("gateway_branching_probabilities")
    if isinstance(gateways, Mapping):
        out["gateway_branching_probabilities"] = [
            {"gateway_id": str(gid),
             "probabilities": [{"path_id": str(f), "value": p} for f, p in flows.items()]
             if isinstance(flows, Mapping) else flows}
            for gid, flows in gateways.items()]
    arrival = data.get("arrival_time_distribution")
    if isinstance(arrival, Mapping) and _numbers(arrival.get("distribution_params")):
        out["arrival_time_distribution"] = _law(arrival)
    notes.append("read in the older Prosimos layout (sections keyed by id, laws as plain "
                 "numbers): see leanproc.interop.prosimos.older_layout for how each law is read")
    return out, notes
