"""Calibration's working hours: the default calendar, the pools with their own hours, and the
arrivals (which follow working hours only when the case starts do).

The rules are in the docstring of `leanproc.mining.calibrate` (Arrivals, Pools and calendars).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leanproc.mining._arrival_profile import choose_arrival_model
from leanproc.mining._calibrate_times import working
from leanproc.mining._fit import Fit, fit_times
from leanproc.mining._pools import group_pools
from leanproc.mining._workhours import WorkHours, infer_hours

__all__ = ["ArrivalFit", "DefaultHours", "PoolFit", "default_hours", "fit_arrivals", "fit_pools",
           "fit_row"]

_ARRIVAL_INSIDE = 0.9  # share of case starts inside the hours for arrivals to follow them
_ARRIVAL_WEEK = 0.75  # ... and the hours may cover at most this share of the week
# Instants needed to infer a pool's own hours (else the default hours, pooled over every pool):
# about 100 per weekday of a five-day week, twice the 50 a weekday needs for its own span.
_POOL_HOURS_MIN = 500


@dataclass(frozen=True)
class DefaultHours:
    """The scenario's default calendar: the one given, or the hours inferred from the log.

    `spec` is its scenario form (None: 24x7), `cal` the `Calendar` (None: 24x7), `hours` the
    inferred hours (None when given), `given` whether the caller gave it, `notes` what the
    log could not tell (weekdays taken as the usual week, a daylight-saving shift).
    """

    spec: Any
    cal: Any
    hours: WorkHours | None
    given: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PoolFit:
    """Pools of resources: the pool of each row, each pool's calendar and scenario entry, the
    calendars the pools add (by name), the report table and notes."""

    pool_of_row: np.ndarray
    calendar_of: dict[str, Any]
    resources: dict[str, dict[str, Any]]
    calendars: dict[str, Any]
    table: pd.DataFrame
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ArrivalFit:
    """The scenario's ``arrivals`` entry, the arrival analysis, its fit row (if fitted) and a
    calendar it adds (``arrivals`` hours that differ from the default)."""

    spec: dict[str, Any]
    info: dict[str, Any]
    fits: tuple[dict[str, Any], ...]
    calendars: dict[str, Any]
    notes: tuple[str, ...] = ()


def default_hours(frame: pd.DataFrame, tz: str, calendar: Any) -> DefaultHours:
    """`calendar` when given, else the hours inferred from every start and completion."""
    if calendar is not None:
        from leanproc.calendar import Calendar

        return DefaultHours(spec=calendar, cal=Calendar.parse(calendar, tz=tz), hours=None,
                            given=True)
    hours = infer_hours(pd.concat([frame["end"], frame["start"].dropna()]), tz)
    return DefaultHours(spec=hours.spec(), cal=hours.calendar(), hours=hours, given=False,
                        notes=tuple(hours.notes))


def fit_pools(frame: pd.DataFrame, *, tz: str, has_resource: bool, has_role: bool,
              default: DefaultHours) -> PoolFit:
    """Group resources into pools; a pool seen often enough gets its own inferred hours."""
    grouping = group_pools(frame["activity"], frame["resource"] if has_resource else None,
                           frame["role"] if has_role else None)
    pool_of_row = grouping.pool_of_row.to_numpy()
    calendar_of: dict[str, Any] = {}
    resources: dict[str, dict[str, Any]] = {}
    calendars: dict[str, Any] = {}
    rows = []
    for pool, members in grouping.resources.items():
        cal_name: str | None = None
        cal = default.cal
        sub = frame[pool_of_row == pool]
        instants = pd.concat([sub["end"], sub["start"].dropna()])
        if not default.given and len(instants) >= _POOL_HOURS_MIN:
            # What the pool's own instants cannot tell (a weekday, a clock shift) is the
            # office's: the default hours are the pooled evidence of every pool.
            hours = infer_hours(instants, tz, fallback=default.hours)
            spec = hours.spec()
            if spec == default.spec:
                cal_name = "work" if spec is not None else None
            elif spec is None:
                cal, cal_name = None, "24x7"
            else:
                cal_name = f"{pool} hours"
                calendars[cal_name] = spec
                cal = hours.calendar()
        elif not default.given and default.spec is not None:
            cal_name = "work"  # too little seen of this pool to tell its own hours
        calendar_of[pool] = cal
        entry: dict[str, Any] = {"count": max(1, len(members))}
        if cal_name is not None:
            entry["calendar"] = cal_name
        acts = grouping.activities.get(pool, [])
        entry["description"] = (f"{len(members)} resource(s) doing: "
                                + "; ".join(acts[:6]) + (" ..." if len(acts) > 6 else ""))
        resources[pool] = entry
        rows.append({"pool": pool, "count": entry["count"], "resources": ", ".join(members),
                     "activities": "; ".join(acts),
                     "calendar": (cal_name or ("default" if cal is not None else "24x7"))})
    notes = []
    if grouping.basis == "org:resource" and grouping.shared:
        notes.append(f"{len(grouping.shared)} resource(s) work in more than one pool and count "
                     f"in each: capacity may be overstated")
    if grouping.basis == "none":
        notes.append("no resources in the log: activities are delays that hold no resource")
    table = pd.DataFrame(rows, columns=["pool", "count", "resources", "activities", "calendar"])
    return PoolFit(pool_of_row=pool_of_row, calendar_of=calendar_of, resources=resources,
                   calendars=calendars, table=table, notes=tuple(notes))


def fit_arrivals(starts: pd.Series, *, tz: str, default: DefaultHours, mode: str) -> ArrivalFit:
    """Arrivals from the case starts, in working time when the starts follow working hours:
    `mode` ``fit``, the model chosen by held-out likelihood (_arrival_profile.py): fitted gaps
    (stationary) or a rate profile; ``stationary``, fitted gaps; ``replay``, the instants.

    Arrivals on inferred hours equal to the default refer to the default by its name ``work``;
    other inferred hours become the named calendar ``arrivals``. A given calendar is written as
    given (the scenario then has no named calendars).
    """
    times = pd.Series(pd.DatetimeIndex(starts.sort_values().to_numpy()).tz_convert(tz))
    n = len(times)
    first, last = times.iloc[0], times.iloc[-1]
    span = (last - first).total_seconds()
    if default.given:
        cal, label = default.cal, str(getattr(default.cal, "name", "calendar"))
        week = (cal.working_seconds(first, first + pd.Timedelta(days=7))[()]
                / (7 * 86400.0)) if cal is not None else 1.0
        spec = default.spec
    else:
        # Weekdays the starts cannot tell follow the office's hours, so arrivals outside the
        # inferred hours wait at most for the next working period, never for a weekday the
        # log merely did not cover.
        hours = infer_hours(times, tz, dense_week=50, fallback=default.hours)
        if default.hours is not None:  # the office's closed days close arrivals too
            hours.closed = sorted(set(hours.closed) | {
                d for d in default.hours.closed if first.date() <= d <= last.date()})
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
    calendars: dict[str, Any] = {}
    if not use:
        out["calendar"] = None
    elif default.given:
        out["calendar"] = spec
    elif spec == default.spec:
        out["calendar"] = "work"
    else:
        calendars["arrivals"] = spec
        out["calendar"] = "arrivals"
    if mode == "replay" or n < 2:
        out["times"] = [str(t) for t in times]
        info["mean_gap_h"] = span / max(n - 1, 1) / 3600
        return ArrivalFit(spec=out, info=info, fits=(), calendars=calendars)
    gaps = working(cal if use else None, times.iloc[:-1].reset_index(drop=True),
                   times.iloc[1:].reset_index(drop=True))
    fit = fit_times(gaps)
    choice = choose_arrival_model(times, cal if use else None)
    if mode == "fit" and choice.rate is not None:
        out["rate"] = choice.rate
    else:
        out["interarrival"] = fit.spec
    out.update({"cases": n, "horizon": f"{math.ceil(span) + 1}s"})
    info.update(mean_gap_h=float(np.mean(gaps)) / 3600,
                model=choice.model if mode == "fit" else "stationary",
                best_model=choice.model, heldout_loglik=choice.scores)
    note = choice.note if mode == "fit" else f"{choice.note} (not used: arrivals='stationary')"
    return ArrivalFit(spec=out, info=info, fits=(fit_row("arrivals", "interarrival", fit, gaps),),
                      calendars=calendars, notes=(note,))


def fit_row(element: str, what: str, fit: Fit, observed: np.ndarray) -> dict[str, Any]:
    """One row of `Calibration.fits`."""
    return {"element": element, "what": what, "family": fit.family,
            "parameters": fit.describe(), "ks": fit.ks, "n": fit.n,
            "mean_h": fit.mean / 3600, "observed_mean_h": float(np.mean(observed)) / 3600}
