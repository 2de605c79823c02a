"""``calibrate(model, log)``: a simulation scenario fitted to a real event log.

The result is an ordinary `Scenario` that binds to `model` and simulates; `calibration()`
returns it with the fit report. What is estimated, and how:

Enablement (``enablement=``). ``model`` (the default when the log has start times): each trace
variant is replayed on the model (`_replay`) and the activity that handed an event its token
enabled it, so in a parallel block an event is not "enabled" by the other branch's row. This is
when the simulator would enable it; a later ``enable_timestamp`` in the log is waiting the model
does not explain, and is measured as such. ``previous`` (the default for completion-only logs):
the previous completion in the case. Without start times the long waits of concurrent branches
cannot be told apart: measured from the model's enabler, two branches that waited for the same
thing both carry the whole wait, and the simulator, drawing them independently, overstates the
lead time (receipt log: +37 %); measured from the previous completion, a case's times add up to
its lead time exactly, and concurrency can only shorten it (receipt: -4 %).

Arrivals. Case starts (the log schema's rule: ``case:arrival``, else the first enablement,
start or completion). If they follow working hours — the given `calendar`, else hours inferred
from the starts themselves — that is, if at least 90 % of them fall inside hours that cover at
most 75 % of the week, the inter-arrival times are measured in that calendar's working time and
the scenario's arrivals use it: nights and weekends are not counted as time between arrivals,
and simulated cases arrive only while it is open. The number of cases is the log's, the horizon
the log's span (first to last start), the first arrival the log's first.

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

Branches. Per exclusive (and inclusive, complex) split, the share of replayed visits that took
each outgoing flow; a split the log never reaches gets equal shares (noted).

Pools and calendars. See `_pools` (roles, or activities grouped by shared resources) and
`_workhours` (weekly hours where work is seen, closed dates); a given `calendar` replaces the
inferred ones.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leanproc.bpmn.model import Activity, Event, Kind, ProcessModel
from leanproc.errors import LogError
from leanproc.log import ACTIVITY, ARRIVAL, CASE, ENABLE, END, RESOURCE, ROLE, START
from leanproc.mining._fit import Fit, fit_times
from leanproc.mining._pools import group_pools
from leanproc.mining._replay import Replayer, fold
from leanproc.mining._workhours import WorkHours, infer_hours
from leanproc.scenario.spec import Scenario

__all__ = ["Calibration", "calibrate", "calibration"]

_SPLITS = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY)
_ARRIVAL_INSIDE = 0.9  # share of case starts inside the hours for arrivals to follow them
_ARRIVAL_WEEK = 0.75  # ... and the hours may cover at most this share of the week
_POOL_SHARE = 0.01  # a pool serving fewer of an activity's rows than this is left out
_POOL_HOURS_MIN = 500  # instants needed to infer a pool's own hours (else the default hours)


@dataclass
class Calibration:
    """A calibrated scenario and how it was fitted.

    `fits`: one row per fitted distribution (``element``: activity name or ``arrivals``;
    ``what``: duration / wait / interarrival; ``family``, ``parameters``, ``ks``, ``n``,
    ``mean_h`` of the fitted distribution and ``observed_mean_h``). `branches`: gateway, flow,
    target, count, probability. `pools`: pool, count, resources, activities, calendar.
    `arrivals`: the arrival analysis (calendar, share inside it, span, mean gap). `replay`:
    variants, cases, share of cases that fit the model.
    """

    scenario: Scenario
    fits: pd.DataFrame
    branches: pd.DataFrame
    pools: pd.DataFrame
    arrivals: dict[str, Any]
    replay: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        a = self.arrivals
        lines = [
            f"Calibrated scenario: {a['cases']} cases from {a['first']} to {a['last']}; "
            f"arrivals {a['calendar']} (inside {a['inside_share']:.0%}), mean gap "
            f"{a['mean_gap_h']:.3g} h ({'working' if a['working'] else 'clock'} time)",
            f"replay: {self.replay['fitting_share']:.1%} of {self.replay['cases']} cases fit the "
            f"model ({self.replay['variants']} variants)",
        ]
        for row in self.fits.itertuples(index=False):
            lines.append(f"  {row.element[:40]:<40} {row.what:<12} {row.family:<12} "
                         f"KS {row.ks:.3f}  n {row.n:>5}  mean {row.mean_h:.3g} h "
                         f"(observed {row.observed_mean_h:.3g} h)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def calibrate(model: ProcessModel, log: pd.DataFrame, *, calendar: Any = None,
              timezone: str | None = None, **options: Any) -> Scenario:
    """A `Scenario` for `model` fitted to `log` (see the module docstring; options as for
    `calibration`)."""
    return calibration(model, log, calendar=calendar, timezone=timezone, **options).scenario


def calibration(model: ProcessModel, log: pd.DataFrame, *, calendar: Any = None,
                timezone: str | None = None, arrivals: str = "fit", waits: str = "auto",
                enablement: str = "auto", name: str | None = None) -> Calibration:
    """Fit a scenario for `model` to `log` and report the fit.

    Args:
        model: the process model the scenario is for (tasks matched to log activities by name,
            spaces and case folded).
        log: an event log in the one schema (`read_log`, or a simulated log).
        calendar: working hours to use everywhere (a preset such as ``"5x8"``, a mapping or a
            `Calendar`) instead of inferring them; arrivals follow it if they fall inside it.
        timezone: the zone in which hours are read (default: the log's).
        arrivals: ``"fit"`` (a fitted inter-arrival distribution) or ``"replay"`` (the log's
            own arrival instants).
        waits: ``"auto"``, ``"extraneous"``, ``"all"`` or ``"none"`` (module docstring).
        enablement: ``"auto"``, ``"model"`` or ``"previous"`` (module docstring).
        name: the scenario's name.

    Raises:
        LogError: an empty log, or one without the schema's required columns.
    """
    if arrivals not in ("fit", "replay"):
        raise ValueError(f"arrivals={arrivals!r}: use 'fit' or 'replay'")
    if waits not in ("auto", "extraneous", "all", "none"):
        raise ValueError(f"waits={waits!r}: use 'auto', 'extraneous', 'all' or 'none'")
    if enablement not in ("auto", "model", "previous"):
        raise ValueError(f"enablement={enablement!r}: use 'auto', 'model' or 'previous'")
    return _Calibrator(model, log, calendar, timezone, arrivals, waits, name,
                       enablement).run()


# ---------------------------------------------------------------------------------------------

def _zone_name(tz: Any) -> str:
    """An IANA name for a log's zone: fixed whole-hour offsets become ``Etc/GMT-7`` and the
    like (scenarios and calendars take IANA names only); other fixed offsets fall back to UTC."""
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    if tz is None:
        return "UTC"
    offset = pd.Timestamp("2000-01-01", tz=tz).utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0.0
    if hours == 0:
        return "UTC"
    if hours.is_integer():
        return f"Etc/GMT{-int(hours):+d}"
    return "UTC"


def _working(cal: Any, a: pd.Series, b: pd.Series) -> np.ndarray:
    """Seconds from a to b: working seconds on `cal`, clock seconds when it is None."""
    a_idx, b_idx = pd.DatetimeIndex(a), pd.DatetimeIndex(b)
    if cal is None:
        return np.asarray((b_idx - a_idx).total_seconds(), dtype=float)
    return np.asarray(cal.working_seconds(a_idx, b_idx), dtype=float)


class _Calibrator:
    def __init__(self, model: ProcessModel, log: pd.DataFrame, calendar: Any,
                 timezone: str | None, arrivals: str, waits: str, name: str | None,
                 enablement: str = "auto") -> None:
        self.model = model
        self.enablement = enablement
        self.calendar_arg = calendar
        self.arrival_mode = arrivals
        self.wait_mode = waits
        self.name = name
        self.notes: list[str] = []
        self.df = self._prepare(log, timezone)

    # ---- input ---------------------------------------------------------------------------
    def _prepare(self, log: pd.DataFrame, timezone: str | None) -> pd.DataFrame:
        if not isinstance(log, pd.DataFrame):
            raise LogError(f"calibrate needs an event log DataFrame (read_log), got "
                           f"{type(log).__name__}", source="calibrate")
        missing = [c for c in (CASE, ACTIVITY, END) if c not in log.columns]
        if missing:
            raise LogError(f"the log lacks the column(s) {missing}: read it with read_log(...) "
                           f"or rename the columns to the log schema", source="calibrate")
        df = log[log[END].notna()]
        if df.empty:
            raise LogError("the log has no completed events to calibrate from",
                           source="calibrate")
        end = pd.to_datetime(df[END])
        if end.dt.tz is None:
            raise LogError(f"{END} is not timezone-aware: read the log with read_log(..., "
                           f"timezone=...)", source="calibrate")
        self.tz = timezone or _zone_name(end.dt.tz)
        out = pd.DataFrame({
            "case": df[CASE].astype(str).to_numpy(),
            "activity": df[ACTIVITY].astype(str).to_numpy(),
        })
        out["end"] = pd.DatetimeIndex(end).tz_convert(self.tz).as_unit("ns")
        for col, key in ((START, "start"), (ENABLE, "enable"), (ARRIVAL, "arrival")):
            if col in df.columns and df[col].notna().any():
                out[key] = pd.DatetimeIndex(pd.to_datetime(df[col])).tz_convert(
                    self.tz).as_unit("ns")
            else:
                out[key] = pd.Series(pd.NaT, index=out.index, dtype=out["end"].dtype)
        for col, key in ((RESOURCE, "resource"), (ROLE, "role")):
            out[key] = df[col].astype(object).where(df[col].notna(), None).to_numpy() \
                if col in df.columns else None
        out["key"] = out["activity"].map(fold)
        out = out.sort_values(["case", "end", "start"], kind="stable").reset_index(drop=True)
        self.has_start = bool(out["start"].notna().any())
        self.has_resource = RESOURCE in df.columns and bool(out["resource"].notna().any())
        self.has_role = ROLE in df.columns
        mode = self.enablement
        self.enablement_mode = mode if mode != "auto" else (
            "model" if self.has_start else "previous")
        return out

    # ---- the whole fit -------------------------------------------------------------------
    def run(self) -> Calibration:
        df = self.df
        self._match_names()
        self._case_starts()
        replay = self._replay()
        self._calendars()
        self._pools()
        fits: list[dict[str, Any]] = []
        activities = self._activities(fits)
        gateways, branches = self._gateways()
        arrivals, arrival_info = self._arrivals(fits)
        events = self._events()
        spec: dict[str, Any] = {
            "name": self.name or "calibrated from the log",
            "description": f"calibrated from {df['case'].nunique()} cases, "
                           f"{self.case_start.min():%Y-%m-%d} .. {self.case_start.max():%Y-%m-%d}",
            "start": str(self.case_start.min()),
            "timezone": self.tz,
            "arrivals": arrivals,
            "resources": self.resources_spec,
            "activities": activities,
            "gateways": gateways,
        }
        if self.default_spec is not None:
            spec["calendar"] = "work" if self.named_calendars else self.default_spec
        if self.named_calendars:
            spec["calendars"] = self.named_calendars
        if events:
            spec["events"] = events
        scenario = Scenario.load(spec)
        scenario.bind(self.model)  # a calibrated scenario that does not bind is a bug: fail here
        return Calibration(
            scenario=scenario,
            fits=pd.DataFrame(fits, columns=["element", "what", "family", "parameters", "ks",
                                             "n", "mean_h", "observed_mean_h"]),
            branches=branches,
            pools=self.pool_table,
            arrivals=arrival_info,
            replay=replay,
            notes=self.notes,
        )

    # ---- names ---------------------------------------------------------------------------
    def _match_names(self) -> None:
        model = self.model
        self.tasks: dict[str, list[Activity]] = {}
        for node in model.activities:
            if node.kind in (Kind.TASK, Kind.CALL_ACTIVITY) and node.name:
                self.tasks.setdefault(fold(node.name), []).append(node)
        keys = set(self.df["key"])
        only_log = sorted({a for a, k in zip(self.df["activity"], self.df["key"], strict=True)
                           if k not in self.tasks})
        only_model = sorted({n.name or n.id for k, nodes in self.tasks.items() if k not in keys
                             for n in nodes})
        if only_log:
            self.notes.append(f"log activities not in the model (not simulated): "
                              f"{', '.join(only_log[:8])}" + (" ..." if len(only_log) > 8 else ""))
        if only_model:
            self.notes.append(f"model activities never seen in the log (duration 0, no "
                              f"resource): {', '.join(only_model[:8])}"
                              + (" ..." if len(only_model) > 8 else ""))

    def _case_starts(self) -> None:
        df = self.df
        by_case = df.groupby("case", sort=False)
        cs = (by_case["arrival"].min().fillna(by_case["enable"].min())
              .fillna(by_case["start"].min()).fillna(by_case["end"].min()))
        self.case_start = cs
        df["case_start"] = df["case"].map(cs)

    # ---- replay ----------------------------------------------------------------------------
    def _replay(self) -> dict[str, Any]:
        df = self.df
        replayer = Replayer(self.model)
        self.notes += replayer.notes
        traces = df.groupby("case", sort=False)["key"].agg(tuple)
        cache: dict[tuple[str, ...], Any] = {}
        enabled_by = np.full(len(df), -1, dtype=np.int64)
        offsets = df.groupby("case", sort=False).indices
        self.chosen: Counter[tuple[str, str]] = Counter()
        fitting = given_up = 0
        for case, trace in traces.items():
            res = cache.get(trace)
            if res is None:
                res = cache[trace] = replayer.replay(trace)
            rows = offsets[case]
            eb = np.asarray(res.enabled_by, dtype=np.int64)
            enabled_by[rows] = np.where(eb >= 0, rows[np.maximum(eb, 0)], -1)
            if res.ok:
                for k, c in res.chosen.items():
                    self.chosen[k] += c
            fitting += res.fits
            given_up += not res.ok
        derived = df["case_start"].copy()
        if self.enablement_mode == "previous":
            enabled_by = np.arange(len(df)) - 1
            first = np.r_[True, df["case"].to_numpy()[1:] != df["case"].to_numpy()[:-1]]
            enabled_by[first] = -1
        has = enabled_by >= 0
        derived[has] = df["end"].to_numpy()[enabled_by[has]]
        # The simulator enables an activity when the token arrives, i.e. at the completion
        # that the replay names; a later enable_timestamp in the log is waiting the model
        # does not explain, so it is measured (as wait) rather than taken as given.
        df["enable"] = derived
        # an enablement can never follow the start or the completion it precedes
        df["enable"] = df["enable"].where(df["enable"] <= df["end"], df["end"])
        if given_up:
            self.notes.append(f"{given_up} case(s) could not be replayed on the model within "
                              f"the search budget: their choices are not counted")
        n = len(traces)
        return {"cases": n, "variants": len(cache), "fitting_share": fitting / n if n else 0.0}

    # ---- calendars and pools ---------------------------------------------------------------
    def _calendars(self) -> None:
        df = self.df
        self.named_calendars: dict[str, Any] = {}
        if self.calendar_arg is not None:
            from leanproc.calendar import Calendar

            self.default_cal = Calendar.parse(self.calendar_arg, tz=self.tz)
            self.default_spec = self.calendar_arg
            self.default_hours: WorkHours | None = None
            return
        instants = pd.concat([df["end"], df["start"].dropna()])
        self.default_hours = infer_hours(instants, self.tz)
        self.default_spec = self.default_hours.spec()
        self.default_cal = self.default_hours.calendar()
        if self.default_spec is not None:
            self.named_calendars["work"] = self.default_spec

    def _pools(self) -> None:
        df = self.df
        grouping = group_pools(df["activity"], df["resource"] if self.has_resource else None,
                               df["role"] if self.has_role else None)
        df["pool"] = grouping.pool_of_row.to_numpy()
        self.pool_cal: dict[str, Any] = {}
        self.resources_spec: dict[str, Any] = {}
        rows = []
        for pool, members in grouping.resources.items():
            cal_name: str | None = None
            cal = self.default_cal
            sub = df[df["pool"] == pool]
            instants = pd.concat([sub["end"], sub["start"].dropna()])
            if self.calendar_arg is None and len(instants) >= _POOL_HOURS_MIN:
                hours = infer_hours(instants, self.tz)
                spec = hours.spec()
                if spec == self.default_spec:
                    cal_name = "work" if spec is not None else None
                elif spec is None:
                    cal, cal_name = None, "24x7"
                else:
                    cal_name = f"{pool} hours"
                    self.named_calendars[cal_name] = spec
                    cal = hours.calendar()
            elif self.calendar_arg is None and self.default_spec is not None:
                cal_name = "work"  # too little seen of this pool to tell its own hours
            self.pool_cal[pool] = cal
            entry: dict[str, Any] = {"count": max(1, len(members))}
            if cal_name is not None:
                entry["calendar"] = cal_name
            acts = grouping.activities.get(pool, [])
            entry["description"] = (f"{len(members)} resource(s) doing: "
                                    + "; ".join(acts[:6]) + (" ..." if len(acts) > 6 else ""))
            self.resources_spec[pool] = entry
            rows.append({"pool": pool, "count": entry["count"], "resources": ", ".join(members),
                         "activities": "; ".join(acts),
                         "calendar": (cal_name or ("default" if cal is not None else "24x7"))})
        self.pool_table = pd.DataFrame(rows, columns=["pool", "count", "resources", "activities",
                                                      "calendar"])
        if grouping.basis == "org:resource" and grouping.shared:
            self.notes.append(f"{len(grouping.shared)} resource(s) work in more than one pool "
                              f"and count in each: capacity may be overstated")
        if grouping.basis == "none":
            self.notes.append("no resources in the log: activities are delays that hold no "
                              "resource")

    # ---- activities ------------------------------------------------------------------------
    def _key(self, node: Any) -> str:
        return node.name if node.name and len(self.model.find(node.name)) == 1 else node.id

    def _work_and_wait(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row: working seconds of work (pool calendar) and of wait before it (default
        calendar), following the module docstring."""
        df = self.df
        prev_free = self._previous_completion()
        ready = df["enable"].where(prev_free.isna() | (prev_free < df["enable"]), prev_free)
        if self.has_start:
            start = df["start"].fillna(ready.where(ready <= df["end"], df["end"]))
        else:
            start = ready.where(ready <= df["end"], df["end"])
        ready = ready.where(ready <= start, start)
        mode = self.wait_mode
        if mode == "auto":
            mode = "extraneous" if self.has_start else "all"
        self.effective_waits = mode
        work = np.zeros(len(df))
        pools = df["pool"].to_numpy()
        for pool in [*self.pool_cal, None]:
            mask = (pools == pool) if pool is not None else pd.isna(df["pool"]).to_numpy()
            if not mask.any():
                continue
            cal = self.pool_cal[pool] if pool is not None else self.default_cal
            work[mask] = _working(cal, start[mask], df["end"][mask])
        if mode == "none":
            wait = np.zeros(len(df))
        elif mode == "extraneous" and self.has_start:
            # the wait is the working time from enablement to start less the part of it during
            # which every unit of the pool was busy (that part the simulated pool recreates);
            # cutting the wait at the *last* full instant instead would count a night held by
            # a task that runs over it as contention for everything before
            wait = (_working(self.default_cal, df["enable"], start)
                    - self._pool_full_time(df["enable"], start))
        else:
            begin = ready if mode == "extraneous" else df["enable"]
            wait = _working(self.default_cal, begin, start)
        return np.maximum(work, 0.0), np.maximum(np.nan_to_num(wait), 0.0)

    def _pool_full_time(self, begin: pd.Series, end: pd.Series) -> np.ndarray:
        """Per row, the working time (default calendar) inside [begin, end] during which every
        unit of the row's pool was busy; 0 without a pool."""
        df = self.df
        out = np.zeros(len(df))
        pools = df["pool"].to_numpy()
        s_ns = pd.DatetimeIndex(df["start"].fillna(df["end"])).as_unit("ns").asi8
        e_ns = pd.DatetimeIndex(df["end"]).as_unit("ns").asi8
        origin = pd.DatetimeIndex(df["end"]).min() - pd.Timedelta(days=400)

        def working_since_origin(ns: np.ndarray) -> np.ndarray:
            t = pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC")
                          .tz_convert(self.tz))
            return _working(self.default_cal, pd.Series([origin] * len(t)), t)

        for pool, spec in self.resources_spec.items():
            idx = np.flatnonzero(pools == pool)
            if not len(idx):
                continue
            times = np.r_[s_ns[idx], e_ns[idx]]
            steps = np.r_[np.ones(len(idx), dtype=np.int64), -np.ones(len(idx), dtype=np.int64)]
            order = np.lexsort((steps, times))  # at equal instants, ends before starts
            times, busy = times[order], np.cumsum(steps[order])
            full = np.flatnonzero(busy[:-1] >= spec["count"])
            if not len(full):
                continue
            seg_a = working_since_origin(times[full])
            seg_b = working_since_origin(times[full + 1])
            length = np.maximum(seg_b - seg_a, 0.0)
            cum = np.r_[0.0, np.cumsum(length)]

            def full_before(x: np.ndarray, seg_a=seg_a, length=length, cum=cum) -> np.ndarray:
                k = np.searchsorted(seg_a, x, side="right") - 1
                kk = np.maximum(k, 0)
                inside = np.clip(x - seg_a[kk], 0.0, length[kk])
                return np.where(k >= 0, cum[kk] + inside, 0.0)

            a = working_since_origin(pd.DatetimeIndex(begin.iloc[idx]).as_unit("ns").asi8)
            b = working_since_origin(pd.DatetimeIndex(end.iloc[idx]).as_unit("ns").asi8)
            out[idx] = np.maximum(full_before(b) - full_before(a), 0.0)
        return out

    def _previous_completion(self) -> pd.Series:
        """Each row's resource's latest completion before the row's start (or, with no start,
        before its completion); NaT without a resource or before its first event."""
        df = self.df
        out = pd.Series(pd.NaT, index=df.index, dtype=df["end"].dtype)
        if not self.has_resource:
            return out
        before = df["start"].fillna(df["end"]) if self.has_start else df["end"]
        side = "right" if self.has_start else "left"
        end_ns = pd.DatetimeIndex(df["end"]).as_unit("ns").asi8
        before_ns = pd.DatetimeIndex(before).as_unit("ns").asi8
        for _, idx in df.groupby("resource", sort=False).indices.items():
            ends = np.sort(end_ns[idx])
            when = before_ns[idx]
            pos = np.searchsorted(ends, when, side=side) - 1
            vals = np.where(pos >= 0, ends[np.maximum(pos, 0)], np.iinfo(np.int64).min)
            out.iloc[idx] = pd.DatetimeIndex(vals.view("datetime64[ns]"), tz="UTC").tz_convert(
                self.tz)
        return out

    def _activities(self, fits: list[dict[str, Any]]) -> dict[str, Any]:
        df = self.df
        work, wait = self._work_and_wait()
        out: dict[str, Any] = {}
        waits_written = 0
        for key, nodes in self.tasks.items():
            mask = (df["key"] == key).to_numpy()
            for node in nodes:
                entry: dict[str, Any] = {}
                if not mask.any():
                    entry = {"duration": "0s", "resource": None}
                    out[self._key(node)] = entry
                    continue
                label = node.name or node.id
                fit = fit_times(work[mask])
                entry["duration"] = fit.spec
                fits.append(_row(label, "duration", fit, work[mask]))
                pools = df["pool"][mask].dropna().value_counts(normalize=True)
                chosen = [str(p) for p, share in pools.items() if share >= _POOL_SHARE]
                entry["resource"] = chosen or None
                w = wait[mask]
                if self.effective_waits != "none" and w.mean() >= 1.0:
                    wfit = fit_times(w, working=self.default_cal is not None)
                    entry["wait"] = wfit.spec
                    fits.append(_row(label, "wait", wfit, w))
                    waits_written += 1
                loop = getattr(node, "loop", None)
                if loop is not None and loop.type == "standard":
                    entry["loop"] = self._loop(key)
                out[self._key(node)] = entry
        if waits_written:
            self.notes.append(f"waits: {self.effective_waits} waiting before work written as "
                              f"wait: for {waits_written} activit(ies)")
        return out

    def _loop(self, key: str) -> dict[str, Any]:
        """Chance to repeat a standard-loop activity: repeats per execution, runs counted."""
        df = self.df
        same = (df["key"] == key).to_numpy()
        starts_run = same & ~np.r_[False, same[:-1] & (df["case"].to_numpy()[1:]
                                                       == df["case"].to_numpy()[:-1])]
        count, runs = int(same.sum()), int(starts_run.sum())
        p = (count - runs) / count if count else 0.0
        return {"probability": round(min(p, 0.99), 6)}

    # ---- gateways --------------------------------------------------------------------------
    def _gateways(self) -> tuple[dict[str, Any], pd.DataFrame]:
        from leanproc.scenario.binding_names import reachable_nodes

        model = self.model
        reachable = reachable_nodes(model)
        out: dict[str, Any] = {}
        rows = []
        for node in model.gateways:
            if node.kind not in _SPLITS or len(node.outgoing) < 2 or node.id not in reachable:
                continue
            flows = [f for f in node.outgoing if f in model.flows]
            counts = {f: self.chosen.get((node.id, f), 0) for f in flows}
            total = sum(counts.values())
            if total == 0:
                probs = {f: 1.0 / len(flows) for f in flows}
                self.notes.append(f"gateway {node.label}: never reached in the replay, equal "
                                  f"shares assumed")
            else:
                probs = {f: c / total for f, c in counts.items()}
            probs = _rounded(probs)
            out[node.id] = probs
            for f in flows:
                target = model.nodes.get(model.flows[f].target)
                rows.append({"gateway": node.label, "flow": f,
                             "target": target.label if target else "", "count": counts[f],
                             "probability": probs[f]})
        return out, pd.DataFrame(rows, columns=["gateway", "flow", "target", "count",
                                                "probability"])

    def _events(self) -> dict[str, Any]:
        from leanproc.scenario.binding_names import reachable_nodes

        reachable = reachable_nodes(self.model)
        out: dict[str, Any] = {}
        for node in self.model.events:
            if node.id not in reachable or not isinstance(node, Event):
                continue
            if node.kind == Kind.BOUNDARY_EVENT and node.trigger not in ("none", "compensate",
                                                                         "timer"):
                out[node.id] = {"probability": 0.0}
                self.notes.append(f"boundary event {node.label}: firing chance not estimated "
                                  f"(set to 0)")
            elif node.trigger == "timer" and node.kind in (Kind.INTERMEDIATE_CATCH,
                                                           Kind.BOUNDARY_EVENT):
                timer = next((d for d in node.definitions if d.type == "timer"), None)
                if timer is not None and not (timer.time_duration or timer.time_date):
                    out[node.id] = {"duration": "0s"}
                    self.notes.append(f"timer {node.label}: no duration in the model, set to 0")
        return out

    # ---- arrivals --------------------------------------------------------------------------
    def _arrivals(self, fits: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
        cs = self.case_start.sort_values()
        times = pd.Series(pd.DatetimeIndex(cs.to_numpy()).tz_convert(self.tz))
        n = len(times)
        first, last = times.iloc[0], times.iloc[-1]
        span = (last - first).total_seconds()
        if self.calendar_arg is not None:
            cal, label = self.default_cal, str(getattr(self.default_cal, "name", "calendar"))
            week = (cal.working_seconds(first, first + pd.Timedelta(days=7))[()]
                    / (7 * 86400.0)) if cal is not None else 1.0
            spec = self.default_spec
        else:
            hours = infer_hours(times, self.tz, dense_week=50)
            if self.default_hours is not None:  # the office's closed days close arrivals too
                hours.closed = sorted(set(hours.closed) | {
                    d for d in self.default_hours.closed if first.date() <= d <= last.date()})
            cal, spec, week = hours.calendar(), hours.spec(), hours.week_share
            label = hours.describe()
        inside = 1.0
        if cal is not None:
            a = pd.DatetimeIndex(times)
            inside = float(np.mean(cal.working_seconds(a, a + pd.Timedelta(seconds=1)) > 0))
        use = cal is not None and inside >= _ARRIVAL_INSIDE and week <= _ARRIVAL_WEEK
        info: dict[str, Any] = {"cases": n, "first": first, "last": last, "span_s": span,
                                "calendar": label if use else "24x7 (clock time)",
                                "inside_share": inside, "week_share": week, "working": use}
        out: dict[str, Any] = {}
        if use:
            if self.calendar_arg is not None:
                out["calendar"] = spec if not self.named_calendars else "work"
            elif spec == self.default_spec:
                out["calendar"] = "work"
            else:
                self.named_calendars["arrivals"] = spec
                out["calendar"] = "arrivals"
        else:
            out["calendar"] = None
        if self.arrival_mode == "replay" or n < 2:
            out["times"] = [str(t) for t in times]
            info["mean_gap_h"] = span / max(n - 1, 1) / 3600
            return out, info
        gaps = _working(cal if use else None, times.iloc[:-1].reset_index(drop=True),
                        times.iloc[1:].reset_index(drop=True))
        fit = fit_times(gaps)
        fits.append(_row("arrivals", "interarrival", fit, gaps))
        out.update({"interarrival": fit.spec, "cases": n, "horizon": f"{math.ceil(span) + 1}s"})
        info["mean_gap_h"] = float(np.mean(gaps)) / 3600
        return out, info


def _row(element: str, what: str, fit: Fit, observed: np.ndarray) -> dict[str, Any]:
    return {"element": element, "what": what, "family": fit.family,
            "parameters": fit.describe(), "ks": fit.ks, "n": fit.n,
            "mean_h": fit.mean / 3600, "observed_mean_h": float(np.mean(observed)) / 3600}


def _rounded(probs: dict[str, float]) -> dict[str, float]:
    """Probabilities rounded to 6 decimals that still sum to exactly 1."""
    out = {k: round(v, 6) for k, v in probs.items()}
    biggest = max(out, key=lambda k: out[k])
    out[biggest] = round(1.0 - sum(v for k, v in out.items() if k != biggest), 6)
    return out
