"""``calibrate(model, log)``: a simulation scenario fitted to a real event log.

``calibrate(model, log).scenario`` is an ordinary `Scenario` that binds to `model` and
simulates; the `Calibration` around it says how each part was fitted. What is estimated, and
how:

Enablement (``enablement=``), see `_enablement`. Every trace variant is replayed on the model
(`_replay`): the activity that handed an event its token is the *model's* enabler, so in a
parallel block an event is not "enabled" by the other branch's row. The *log's* enabler is the
latest completion in the case at or before the event's start (without start times: the previous
completion). ``auto`` (the default) with start times: the model's enabler, except in the
parallel (and inclusive) blocks whose branches the log never runs at the same time (no two
events of different branches of a case overlap): there the log performs the branches one after
the other, and measured from the split each branch would be charged its siblings' work as its
own wait (PurchasingExample's mined model: "Release Supplier's Invoice" 86 h instead of 14 h),
so those tasks are measured from the log's enabler. Such blocks are listed in
`Calibration.parallel_blocks` and the notes, with the hours per case by which running them side
by side would shorten a case; with ``interleave="auto"`` (the default) the scenario marks their
splits ``interleave: true`` (when at least `_interleave.MIN_CASES` cases run two branches or
more and the split has a matching join), and the simulation works each case's tasks of the block
one at a time, as the log does (`_interleave`). ``auto`` without start times, and ``previous``:
the log's enabler everywhere. Without start times the long waits of concurrent branches cannot
be told apart: measured from the model's enabler, two branches that waited for the same thing
both carry the whole wait, and the simulator, drawing them independently, overstates the lead
time (receipt log: +37 %); measured from the previous completion, a case's times add up to its
lead time exactly, and concurrency can only shorten it (receipt: -4 %). ``model``: the model's
enabler everywhere. A later ``enable_timestamp`` in the log is waiting the model does not
explain, and is measured as such.

Arrivals. Case starts (the log schema's rule: ``case:arrival``, else the first enablement,
start or completion). If they follow working hours — the given `calendar`, else hours inferred
from the starts themselves — that is, if at least 90 % of them fall inside hours that cover at
most 75 % of the week, the inter-arrival times are measured in that calendar's working time and
the scenario's arrivals use it: nights and weekends are not counted as time between arrivals,
and simulated cases arrive only while it is open. The number of cases is the log's, the horizon
the log's span (first to last start), the first arrival the log's first. The rate is stationary
(a fitted inter-arrival distribution) unless a rate profile — a weekly shape (weekday x hour
factors) and / or a level per calendar month — predicts held-out weeks of the log better by more
than the spread between weeks (5-fold cross-validation; _arrival_profile.py); the notes give the
choice and the held-out log-likelihood of each model.

Durations. Working time of the resource, on its pool's calendar (the engine adds durations on
that calendar): start to completion when the log has start times. A log with completion times
only does not say when work began; the start is then estimated as the later of the enablement
and the resource's previous completion (the moment it was last seen free), the usual
estimate when only completions are known. Each activity's times are fitted by `_fit`
(scipy, KS criterion, empirical when no family fits).

Waiting. Between enablement and start an item waits for its resource (contention) or for
something outside the model: a customer, a document, a batch (extraneous delay). The simulator
recreates contention from the pools, so only the rest becomes the activity's ``wait:`` (in
working time of the default calendar): the working time from enablement to start less the part
of it during which every unit of the pool was busy. (Cutting at the last instant the pool was
full would count a night held by a task that runs over it as contention for the whole wait
before it.) (The person's own previous completion is not the measure: in
a pool another unit could have taken the item, and a unit that did other work during a
customer's delay would hide that delay.) With completion times only, that split cannot be
observed, and the whole wait before the estimated start is written as ``wait:``
(``waits="all"``): otherwise the long waits of such logs (days for a document) would be lost,
since the simulated pools, shared by everyone, do not queue like named people do. `waits`
overrides: ``extraneous``, ``all``, ``none``.

Case speed. Fast cases stay fast: one case's times are alike across its activities. The case
effect is fitted as a random effect in the logarithm of the work times, and of the waits
(`_case_speed`); when the evidence is clear it becomes the scenario's ``case_speed`` (a factor
with mean 1 per case) and the activities' distributions are fitted to the times with each
case's factor divided out, so each activity's simulated times keep the log's spread and mean.
The notes give the sigma fitted, or why none was.

Branches. Per exclusive (and inclusive, complex) split, the share of replayed visits that took
each outgoing flow; a split the log never reaches gets equal shares (noted).

Fitness. The replay's share of the log's events placed on the model is checked first
(`_fitness`): below ``min_fitness`` (default 0.5) calibration refuses with a `CalibrationError`
naming the share, the activities found on one side only and the fix; below 0.9 the
`Calibration` carries `warnings`, shown before everything else.

Pools and calendars. See `_pools` (roles, or activities grouped by shared resources) and
`_workhours` (weekly hours where work is seen, closed dates); a given `calendar` replaces the
inferred ones. The default hours come from every start and completion, in the log's zone
(`timezone` to choose another). A weekday or an hour is closed only on evidence (`_workhours`:
a weekday whose dates should have held at least 7 instants at the log's median rate, an edge of
the day beyond the stretch that should have held 3); a weekday the log cannot tell follows the
usual week, Monday to Friday, on the hours of the other weekdays, so a log shorter than a week
gives the same hours every working weekday (noted). A pool with fewer than 500 instants takes
the default hours; a larger one its own, where a weekday it cannot tell follows the default
week, and the default's clock shift on dates (below) applies to it too. Arrivals' hours are
inferred the same way with the default hours deciding what the starts cannot tell, so every
working weekday of the default stays open to arrivals: an arrival outside the hours waits for
the next working period, never for a weekday the log merely did not cover. A log whose hours
move by one hour on the week of a daylight-saving change while its zone is UTC or a fixed
offset gets a note that suggests ``timezone=`` (or reading the log in its clock's zone); the
zone is never guessed, and the shift is kept meanwhile as dated exceptions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leanproc.bpmn.model import Activity, Event, Kind, ProcessModel
from leanproc.inputs import as_log, as_model
from leanproc.mining._calibrate_hours import (
    DefaultHours,
    PoolFit,
    default_hours,
    fit_arrivals,
    fit_pools,
    fit_row,
)
from leanproc.mining._calibrate_log import (
    case_starts,
    enablement_of,
    match_tasks,
    prepare_events,
    replay_log,
)
from leanproc.mining._calibrate_times import WorkAndWait, work_and_wait
from leanproc.mining._case_speed import fit_case_speed
from leanproc.mining._enablement import BLOCK_COLUMNS
from leanproc.mining._fit import fit_times
from leanproc.mining._fitness import MIN_FITNESS, check_fitness
from leanproc.scenario.spec import Scenario

__all__ = ["Calibration", "calibrate"]

_SPLITS = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY)
_POOL_SHARE = 0.01  # a pool serving fewer of an activity's rows than this is left out
_FIT_COLUMNS = ["element", "what", "family", "parameters", "ks", "n", "mean_h",
                "observed_mean_h"]


@dataclass
class Calibration:
    """A calibrated scenario and how it was fitted.

    `fits`: one row per fitted distribution (``element``: activity name or ``arrivals``;
    ``what``: duration / wait / interarrival; ``family``, ``parameters``, ``ks``, ``n``,
    ``mean_h`` of the fitted distribution and ``observed_mean_h``). `branches`: gateway, flow,
    target, count, probability. `pools`: pool, count, resources, activities, calendar.
    `arrivals`: the arrival analysis (calendar, share inside it, span, mean gap; ``model`` used,
    ``best_model`` by cross-validation, ``heldout_loglik`` per model). `replay`: variants,
    cases, ``fitting_share`` (cases replayed without deviation), ``event_share`` (events the
    replay placed on the model). `warnings`: what makes the scenario doubtful (a model that
    replays less than 90 % of the events), shown first. `parallel_blocks` (with start times):
    per parallel or inclusive split, ``gateway``, ``kind``, ``branches`` (each branch's
    tasks), ``cases`` (with a task of the block), ``cases_with_branches`` (with tasks of two
    branches or more), ``overlapping_cases`` (where two branches ran at the same time),
    ``enablement`` (``previous`` where none did, else ``model``) and ``parallel_saving_h``
    (hours per case by which running the branches side by side shortens a case, as the log
    times them).
    """

    scenario: Scenario
    fits: pd.DataFrame
    branches: pd.DataFrame
    pools: pd.DataFrame
    arrivals: dict[str, Any]
    replay: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    parallel_blocks: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=BLOCK_COLUMNS))
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        a = self.arrivals
        lines = [f"WARNING: {w}" for w in self.warnings]
        lines += [
            f"Calibrated scenario: {a['cases']} cases from {a['first']} to {a['last']}; "
            f"arrivals {a['calendar']} (inside {a['inside_share']:.0%}), mean gap "
            f"{a['mean_gap_h']:.3g} h ({'working' if a['working'] else 'clock'} time)",
            f"replay: {self.replay['fitting_share']:.1%} of {self.replay['cases']} cases fit the "
            f"model ({self.replay['variants']} variants), "
            f"{self.replay.get('event_share', 0.0):.1%} of the events replayed",
        ]
        for row in self.fits.to_dict("records"):
            lines.append(f"  {str(row['element'])[:40]:<40} {row['what']!s:<12} "
                         f"{row['family']!s:<12} KS {row['ks']:.3f}  n {row['n']:>5}  "
                         f"mean {row['mean_h']:.3g} h (observed {row['observed_mean_h']:.3g} h)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # Jupyter: the warnings stand out above the summary
        from html import escape

        warn = "".join(f'<p style="color:#b00020"><b>Warning:</b> {escape(w)}</p>'
                       for w in self.warnings)
        body = "\n".join(line for line in str(self).splitlines()
                         if not line.startswith("WARNING: "))
        return f"{warn}<pre>{escape(body)}</pre>"


def calibrate(model: Any, log: Any, *, calendar: Any = None, timezone: str | None = None,
              arrivals: str = "fit", waits: str = "auto", enablement: str = "auto",
              interleave: str = "auto", name: str | None = None,
              min_fitness: float = MIN_FITNESS) -> Calibration:
    """Fit a scenario for `model` to `log`; the result's ``.scenario`` is the `Scenario`.

    Args:
        model: the process model the scenario is for (a BPMN path or a `ProcessModel`; tasks
            are matched to log activities by name, spaces and case folded).
        log: an event log in the one schema (a DataFrame from `read_log`, a simulated log, or
            a log file path read with `read_log`'s defaults, zone-less times in `timezone`).
        calendar: working hours to use everywhere (a preset such as ``"5x8"``, a mapping or a
            `Calendar`) instead of inferring them; arrivals follow it if they fall inside it.
        timezone: the zone in which hours are read (default: the log's).
        arrivals: ``"fit"`` (a fitted inter-arrival distribution or a rate profile, whichever
            predicts held-out weeks better: module docstring), ``"stationary"`` (always the
            inter-arrival distribution) or ``"replay"`` (the log's own arrival instants).
        waits: ``"auto"``, ``"extraneous"``, ``"all"`` or ``"none"`` (module docstring).
        enablement: ``"auto"``, ``"model"`` or ``"previous"`` (module docstring).
        interleave: ``"auto"``: a parallel block the log never runs two branches of at the
            same time gets ``interleave: true`` on its split (module docstring);
            ``"never"``: every block stays parallel.
        name: the scenario's name.
        min_fitness: the least share of the log's events the model must replay (module
            docstring, "Fitness"); 0 calibrates whatever the fit.

    Raises:
        CalibrationError: the model replays less than `min_fitness` of the log's events.
        LogError: an empty log, or one without the schema's required columns.
        BPMNError: a `model` that is neither a model nor a readable BPMN file.
    """
    if arrivals not in ("fit", "stationary", "replay"):
        raise ValueError(f"arrivals={arrivals!r}: use 'fit', 'stationary' or 'replay'")
    if waits not in ("auto", "extraneous", "all", "none"):
        raise ValueError(f"waits={waits!r}: use 'auto', 'extraneous', 'all' or 'none'")
    if enablement not in ("auto", "model", "previous"):
        raise ValueError(f"enablement={enablement!r}: use 'auto', 'model' or 'previous'")
    if interleave not in ("auto", "never"):
        raise ValueError(f"interleave={interleave!r}: use 'auto' or 'never'")
    if not 0.0 <= min_fitness <= 1.0:
        raise ValueError(f"min_fitness={min_fitness!r}: give a share in [0, 1]")
    model = as_model(model, caller="calibrate")
    # a log path's zone-less times are wall-clock time of `timezone` (the zone hours are read in)
    events = prepare_events(as_log(log, caller="calibrate", timezone=timezone), timezone)
    tasks = match_tasks(model, events.frame)
    starts = case_starts(events.frame)
    replay = replay_log(model, events.frame)
    warnings = check_fitness(replay.summary, events.frame, set(tasks.tasks),
                             {k: nodes[0].name or nodes[0].id for k, nodes in tasks.tasks.items()},
                             min_fitness=min_fitness)
    enabled = enablement_of(model, events.frame, starts, replay.enabled_by, mode=enablement,
                            has_start=events.has_start, interleave=interleave)
    default = default_hours(events.frame, events.tz, calendar)
    pools = fit_pools(events.frame, tz=events.tz, has_resource=events.has_resource,
                      has_role=events.has_role, default=default)
    frame = events.frame.assign(enable=enabled.enable, pool=pools.pool_of_row)
    times = work_and_wait(frame, tz=events.tz, has_start=events.has_start,
                          has_resource=events.has_resource, waits=waits,
                          default_cal=default.cal, pool_cal=pools.calendar_of,
                          pool_size={p: e["count"] for p, e in pools.resources.items()})
    # the activities are fitted to times with each case's own speed taken out (_case_speed)
    speed = fit_case_speed(frame["case"].to_numpy(), frame["key"].to_numpy(), times)
    activities = _fit_activities(model, frame, tasks.tasks, speed.times,
                                 waits_in_working_time=default.cal is not None)
    gateways = _fit_gateways(model, replay.chosen)
    for split in enabled.interleaved:  # a parallel split has no entry, an inclusive one has
        gateways.spec[split] = {**gateways.spec.get(split, {}), "interleave": True}
    arrival = fit_arrivals(starts, tz=events.tz, default=default, mode=arrivals)
    event_spec, event_notes = _event_entries(model)
    scenario = _scenario(model, name=name, cases=frame["case"].nunique(), starts=starts,
                         tz=events.tz, default=default, pools=pools, arrivals=arrival.spec,
                         calendars={**_default_named(default), **pools.calendars,
                                    **arrival.calendars},
                         activities=activities.spec, gateways=gateways.spec, events=event_spec,
                         case_speed=speed.spec)
    return Calibration(
        scenario=scenario,
        fits=pd.DataFrame([*activities.fits, *arrival.fits], columns=_FIT_COLUMNS),
        branches=gateways.table,
        pools=pools.table,
        arrivals=arrival.info,
        replay=replay.summary,
        notes=[*tasks.notes, *replay.notes, *enabled.notes, *default.notes, *pools.notes,
               *activities.notes, *speed.notes, *gateways.notes, *arrival.notes, *event_notes],
        parallel_blocks=enabled.blocks,
        warnings=list(warnings),
    )


def _default_named(default: DefaultHours) -> dict[str, Any]:
    """Inferred default hours are the named calendar ``work`` (pools and arrivals refer to it
    by name); a given calendar is written inline."""
    if default.given or default.spec is None:
        return {}
    return {"work": default.spec}


def _scenario(model: ProcessModel, *, name: str | None, cases: int, starts: pd.Series, tz: str,
              default: DefaultHours, pools: PoolFit, arrivals: dict[str, Any],
              calendars: dict[str, Any], activities: dict[str, Any], gateways: dict[str, Any],
              events: dict[str, Any], case_speed: dict[str, float] | None) -> Scenario:
    """The calibrated scenario, checked to bind to `model`."""
    spec: dict[str, Any] = {
        "name": name or "calibrated from the log",
        "description": f"calibrated from {cases} cases, "
                       f"{starts.min():%Y-%m-%d} .. {starts.max():%Y-%m-%d}",
        "start": str(starts.min()),
        "timezone": tz,
        "arrivals": arrivals,
        "resources": pools.resources,
        "activities": activities,
        "gateways": gateways,
    }
    if default.spec is not None:
        spec["calendar"] = "work" if calendars else default.spec
    if calendars:
        spec["calendars"] = calendars
    if events:
        spec["events"] = events
    if case_speed:
        spec["case_speed"] = case_speed
    scenario = Scenario.load(spec)
    scenario.bind(model)  # a calibrated scenario that does not bind is a bug: fail here
    return scenario


# ---- activities ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _ActivityFit:
    spec: dict[str, Any]
    fits: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]


def _element_key(model: ProcessModel, node: Any) -> str:
    """How the scenario names an element: its name when unique in the model, else its id."""
    return node.name if node.name and len(model.find(node.name)) == 1 else node.id


def _fit_activities(model: ProcessModel, frame: pd.DataFrame, tasks: dict[str, list[Activity]],
                    times: WorkAndWait, *, waits_in_working_time: bool) -> _ActivityFit:
    """Per task: fitted duration, pools, fitted wait (when it averages a second or more) and,
    for a standard loop, the chance to repeat."""
    work, wait = times.work, times.wait
    out: dict[str, Any] = {}
    fits: list[dict[str, Any]] = []
    waits_written = 0
    for key, nodes in tasks.items():
        mask = (frame["key"] == key).to_numpy()
        for node in nodes:
            if not mask.any():
                out[_element_key(model, node)] = {"duration": "0s", "resource": None}
                continue
            label = node.name or node.id
            fit = fit_times(work[mask])
            entry: dict[str, Any] = {"duration": fit.spec}
            fits.append(fit_row(label, "duration", fit, work[mask]))
            pools = frame["pool"][mask].dropna().value_counts(normalize=True)
            chosen = [str(p) for p, share in pools.items() if share >= _POOL_SHARE]
            entry["resource"] = chosen or None
            w = wait[mask]
            if times.waits != "none" and w.mean() >= 1.0:
                wfit = fit_times(w, working=waits_in_working_time)
                entry["wait"] = wfit.spec
                fits.append(fit_row(label, "wait", wfit, w))
                waits_written += 1
            loop = getattr(node, "loop", None)
            if loop is not None and loop.type == "standard":
                entry["loop"] = _loop(frame, key)
            out[_element_key(model, node)] = entry
    notes = ((f"waits: {times.waits} waiting before work written as wait: for "
              f"{waits_written} activit(ies)",) if waits_written else ())
    return _ActivityFit(spec=out, fits=tuple(fits), notes=notes)


def _loop(frame: pd.DataFrame, key: str) -> dict[str, Any]:
    """Chance to repeat a standard-loop activity: repeats per execution, runs counted."""
    same = (frame["key"] == key).to_numpy()
    cases = frame["case"].to_numpy()
    starts_run = same & ~np.r_[False, same[:-1] & (cases[1:] == cases[:-1])]
    count, runs = int(same.sum()), int(starts_run.sum())
    p = (count - runs) / count if count else 0.0
    return {"probability": round(min(p, 0.99), 6)}


# ---- gateways and events ---------------------------------------------------------------------

@dataclass(frozen=True)
class _GatewayFit:
    spec: dict[str, Any]
    table: pd.DataFrame
    notes: tuple[str, ...]


def _fit_gateways(model: ProcessModel, chosen: Counter[tuple[str, str]]) -> _GatewayFit:
    """Per reachable split, the share of replayed visits that took each outgoing flow."""
    from leanproc.scenario.binding_names import reachable_nodes

    reachable = reachable_nodes(model)
    out: dict[str, Any] = {}
    rows = []
    notes = []
    for node in model.gateways:
        if node.kind not in _SPLITS or len(node.outgoing) < 2 or node.id not in reachable:
            continue
        flows = [f for f in node.outgoing if f in model.flows]
        counts = {f: chosen.get((node.id, f), 0) for f in flows}
        total = sum(counts.values())
        if total == 0:
            probs = {f: 1.0 / len(flows) for f in flows}
            notes.append(f"gateway {node.label}: never reached in the replay, equal shares "
                         f"assumed")
        else:
            probs = {f: c / total for f, c in counts.items()}
        probs = _rounded(probs)
        out[node.id] = probs
        for f in flows:
            target = model.nodes.get(model.flows[f].target)
            rows.append({"gateway": node.label, "flow": f,
                         "target": target.label if target else "", "count": counts[f],
                         "probability": probs[f]})
    table = pd.DataFrame(rows, columns=["gateway", "flow", "target", "count", "probability"])
    return _GatewayFit(spec=out, table=table, notes=tuple(notes))


def _event_entries(model: ProcessModel) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Entries the log cannot estimate but the scenario needs: boundary events that interrupt
    (never fire) and timers without a duration (zero)."""
    from leanproc.scenario.binding_names import reachable_nodes

    reachable = reachable_nodes(model)
    out: dict[str, Any] = {}
    notes = []
    for node in model.events:
        if node.id not in reachable or not isinstance(node, Event):
            continue
        if node.kind == Kind.BOUNDARY_EVENT and node.trigger not in ("none", "compensate",
                                                                     "timer"):
            out[node.id] = {"probability": 0.0}
            notes.append(f"boundary event {node.label}: firing chance not estimated (set to 0)")
        elif node.trigger == "timer" and node.kind in (Kind.INTERMEDIATE_CATCH,
                                                       Kind.BOUNDARY_EVENT):
            timer = next((d for d in node.definitions if d.type == "timer"), None)
            if timer is not None and not (timer.time_duration or timer.time_date):
                out[node.id] = {"duration": "0s"}
                notes.append(f"timer {node.label}: no duration in the model, set to 0")
    return out, tuple(notes)


def _rounded(probs: dict[str, float]) -> dict[str, float]:
    """Probabilities rounded to 6 decimals that still sum to exactly 1."""
    out = {k: round(v, 6) for k, v in probs.items()}
    biggest = max(out, key=lambda k: out[k])
    out[biggest] = round(1.0 - sum(v for k, v in out.items() if k != biggest), 6)
    return out
