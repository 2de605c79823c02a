"""``kpis()``: lead time, touch and waiting time, PCE, throughput, WIP, utilisation, SLA.

One code path for simulated and real logs: the simulator's extra knowledge (arrivals and cases
unfinished at the horizon) enters only through the optional ``cases`` table.

Definitions (all times in seconds):

* observation: ``horizon`` H ends it (default: the latest instant in the inputs or the window
  end); the window is ``[w0 + warmup, w1]`` with ``w0`` the first case start and ``w1`` = H
  unless ``window`` says otherwise. Cases starting after H are not observed.
* case statistics (lead, processing, waiting, PCE, SLA, unfinished share, per activity) cover the
  *cohort*: cases starting inside the window. Lead-time statistics use the finished ones.
* time statistics (throughput, arrival rate, WIP, utilisation) integrate or count over the
  window, whatever the case's arrival.

One definition per KPI (``*_working``: the same on the calendar's working time, given a
calendar; the clock form is the one without the suffix):

* case start: the earliest instant of the case (arrival, enable, start or completion of any
  of its events); case end: its last completion. lead time = end - start.
* processing (touch) time: length of the union of the case's activity intervals (overlapping
  work counted once); ``processing_working`` takes that union on the working-time axis, so
  work paused overnight counts only its working hours.
* waiting = lead time - processing, in each time; value-adding time: processing of the
  value-adding activities only; PCE = sum of value-adding time / sum of lead time over the
  finished cohort (``pce_working`` in working time), in [0, 1].
* WIP = case time inside the window / window length (Little: WIP = throughput x lead time).
* utilisation of a role = busy time of its rows inside the window / (capacity x available
  time), both in working time on the role's calendar (clock time without one).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from leanproc.durations import Duration, DurationError, read_duration
from leanproc.errors import LogError
from leanproc.inputs import as_log, check_log_zone, log_zone
from leanproc.kpi.inputs import NAT, prepare, to_instant
from leanproc.kpi.report import KPIReport
from leanproc.kpi.rows import Observation, Part, overlap, part_of, working_seconds
from leanproc.kpi.stats import summarize
from leanproc.kpi.sums import exact_sum
from leanproc.kpi.tables import (
    activity_names,
    calendar_label,
    per_activity_table,
    utilisation_table,
)
from leanproc.log import CASE

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["kpis"]

_NS = 1e9
_DAY = 86400.0
_SLA_TOLERANCE = 1e-6  # seconds: working-time sums are floats; 1 µs never decides an SLA


def _as_calendar(value: Any) -> Any:
    """Accept a Calendar or its text form (``"ru-5x8@Asia/Tomsk"``); None stays None."""
    if value is None or not isinstance(value, str):
        return value
    from leanproc.calendar import Calendar

    return Calendar.parse(value)


def _value_names(value_activities: Any) -> list[str] | None:
    """The value-adding activity names (None: all processing time adds value)."""
    if value_activities is None:
        return None
    names = [value_activities] if isinstance(value_activities, str) else list(value_activities)
    if not all(isinstance(n, str) for n in names):
        raise LogError(
            f"value_activities={value_activities!r} must be activity names (strings)",
            source="kpis",
        )
    return names


def _value_notes(names: list[str] | None, known: pd.Index) -> list[str]:
    """Notes about value-adding names the log does not contain."""
    if names is None:
        return []
    absent = sorted(set(names) - set(known[known.isin(names)]))
    return (
        [f"value-adding activities absent from the log (counted as zero): {absent}"]
        if absent
        else []
    )


def kpi_duration(value: Any, what: str) -> Duration:
    """`value` read as a duration (`leanproc.durations`); a LogError naming `what` if not."""
    try:
        return read_duration(value)
    except DurationError as exc:
        raise LogError(f"{what}={value!r} is not a duration: {exc}", source="kpis") from None


def _deadlines(sla: Any) -> list[Duration]:
    if sla is None:
        return []
    items = [sla] if isinstance(sla, (str, pd.Timedelta)) or not isinstance(sla, Iterable) else sla
    return [kpi_duration(item, "sla") for item in items]


def _capacities(capacity: Mapping[str, int] | None) -> dict[str, int]:
    if capacity is None:
        return {}
    bad = [
        f"capacity[{role!r}]={count!r}"
        for role, count in capacity.items()
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1
    ]
    if bad:
        raise LogError(
            [f"{b} is not a positive whole number of resources" for b in bad], source="kpis"
        )
    return {str(role): int(count) for role, count in capacity.items()}


def kpis(
    log: pd.DataFrame | Iterable[pd.DataFrame] | str | os.PathLike[str],
    calendar: Calendar | str | None = None,
    *,
    cases: pd.DataFrame | None = None,
    horizon: Any = None,
    window: tuple[Any, Any] | None = None,
    warmup: Any = None,
    sla: Any = None,
    capacity: Mapping[str, int] | None = None,
    calendars: Mapping[str, Calendar | str] | None = None,
    value_activities: Iterable[str] | str | None = None,
) -> KPIReport:
    """Compute the KPIs of an event log in the one log schema (:mod:`leanproc.log`).

    Args:
        log: one row per activity instance; ``time:timestamp`` NaT marks an instance still in
            progress. Or an event log file path (zone-less times read in `calendar`'s zone;
            call `read_log` yourself for a column mapping). Or a log too big for
            memory in chunks of whole cases, e.g. ``read_log(path, chunked=True)`` or a list
            of frames (see :mod:`leanproc.kpi.chunks`): the same KPIs, to the last bit.
        calendar: working-time calendar (or its text, ``"ru-5x8@Asia/Tomsk"``): adds lead time
            in working time, per-working-day rates, ``wd`` / ``wh`` SLA deadlines, and is the
            default availability calendar of every role.
        cases: the simulator's per-case table (``case:concept:name``, ``arrival``, ``end`` with
            NaT for cases unfinished at the horizon); it then defines arrivals and completions.
        horizon: tz-aware instant ending the observation; cases not finished by then count as
            unfinished and activity time after it is ignored.
        window: ``(start, end)`` tz-aware instants (either may be None) of the steady window.
        warmup: timedelta or text (``"2d"``) cut from the start of the window.
        sla: one deadline or a list (``"24h"``, ``"3wd"``); share of finished cases within it.
        capacity: resources per ``org:role``; default: distinct ``org:resource`` of the role.
        calendars: availability calendar per role (default: ``calendar``, else 24x7); a role
            mapped to None is available round the clock.
        value_activities: names of the value-adding activities, for PCE; None uses all
            processing time.

    Raises:
        LogError: a malformed log, cases table or argument, naming the place and the fix.
    """
    cal = _as_calendar(calendar)
    role_cals = {str(k): _as_calendar(v) for k, v in (calendars or {}).items()}
    deadlines = _deadlines(sla)
    caps = _capacities(capacity)
    va_names = _value_names(value_activities)
    if any(d.working for d in deadlines) and cal is None:
        working = [d.label for d in deadlines if d.working]
        raise LogError(
            f"sla deadline(s) {working} are in working time and need a calendar: "
            "pass calendar=... (e.g. 'ru-5x8@Europe/Moscow') or use clock units",
            source="kpis",
        )
    if not _is_chunked(log) and not isinstance(log, pd.DataFrame):
        # a path is read in the calendar's zone; a DataFrame goes to `prepare`, which names
        log = as_log(log, caller="kpis", calendar=cal)  # each bad column and row
    check_log_zone(log, log_zone(cal), caller="kpis")
    if _is_chunked(log):
        from leanproc.kpi.chunks import parts_of_chunks

        if cases is not None:
            raise LogError(
                "cases= works with a whole log, not with chunks: pass the log as one "
                "DataFrame (a simulation's log fits in memory)",
                source="kpis",
            )
        chunks = cast("Iterable[pd.DataFrame]", log)
        parts, obs, tz = parts_of_chunks(
            chunks, lambda latest, starts, first, running: _observation(
                latest, starts, first, running, False, horizon, window, warmup),
            cal, va_names, role_cals,
        )
    else:
        data = prepare(log, cases)
        latest = max(
            int(arr.max())
            for arr in (data.end, data.start, data.enable, data.case_start, data.case_end)
        )
        starts = data.start[data.start != NAT]
        obs = _observation(
            latest, data.case_start, int(starts.min()) if starts.size else None,
            bool((data.end == NAT).any()), data.from_cases_table, horizon, window, warmup,
        )
        del starts
        parts, tz = [part_of(data, obs, cal, va_names, role_cals)], data.tz
        del data
    return _report(parts, obs, tz, cal, role_cals, deadlines, caps, va_names)


def _is_chunked(log: Any) -> bool:
    """A log in chunks: a list or tuple of frames, or a chunked reader (``read_log(...,
    chunked=True)``, which says so with a ``whole_cases`` attribute)."""
    if isinstance(log, (list, tuple)):
        return bool(log) and all(isinstance(frame, pd.DataFrame) for frame in log)
    return bool(getattr(log, "whole_cases", False))


def _present(array: np.ndarray | None) -> np.ndarray:
    """An array a calendar (or value_activities) guarantees: a missing one is a bug."""
    assert array is not None, "the parts were computed without a calendar"
    return array


def _ratio(part: np.ndarray, whole: np.ndarray) -> float:
    """Sum of ``part`` over sum of ``whole`` (PCE: value-adding over lead time); NaN if empty."""
    total = float(whole.sum())
    return float(part.sum()) / total if total > 0 else float("nan")


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """One array from the parts' arrays (no copy for a single part)."""
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _report(parts: list[Part], obs: Observation, log_tz: Any, cal: Any,
            role_cals: dict[str, Any], deadlines: list[Duration], caps: dict[str, int],
            va_names: list[str] | None) -> KPIReport:
    """The KPIs from the parts of a log (one part: the whole log; several: its chunks)."""
    h, lo, w1, warm = obs.h, obs.lo, obs.w1, obs.warm
    case_ids = (parts[0].case_ids if len(parts) == 1
                else parts[0].case_ids.append([p.case_ids for p in parts[1:]]))
    case_start = _joined([p.case_start for p in parts])
    case_end = _joined([p.case_end for p in parts])
    processing_ns = _joined([p.processing_ns for p in parts])
    names = activity_names(parts)
    notes = _value_notes(va_names, names)
    if va_names is not None:
        va_ns = _joined([p.va_ns for p in parts])  # type: ignore[misc]
    else:
        va_ns = processing_ns
        notes.append("PCE uses all processing time: pass value_activities=[...] to restrict it")
    n_cases = len(case_ids)
    observed = case_start <= h  # cases arriving after the horizon are not seen
    span_s = (w1 - lo) / _NS

    # --- cases: cohort, completion, lead --------------------------------------------------
    finished = (case_end != NAT) & (case_end <= h)
    cohort = observed & (case_start >= lo) & (case_start <= w1)
    done = cohort & finished
    lead = np.full(n_cases, np.nan)
    lead[finished] = (case_end[finished] - case_start[finished]) / _NS
    processing = processing_ns / _NS
    waiting = np.where(finished, lead - processing, np.nan)
    value_adding = va_ns / _NS
    lead_working = _joined([p.lead_working for p in parts])
    processing_working = waiting_working = value_adding_working = None
    pce_working = None
    if cal is not None:
        processing_working = _joined([_present(p.processing_working) for p in parts])
        waiting_working = np.where(finished, lead_working - processing_working, np.nan)
        value_adding_working = (_joined([_present(p.va_working) for p in parts])
                                if va_names is not None else processing_working)
        pce_working = _ratio(value_adding_working[done], lead_working[done])

    pce = _ratio(value_adding[done], lead[done])

    sla_share: dict[str, float] = {}
    day_length = float(cal.day_length) if cal is not None else None
    for deadline in deadlines:
        basis = lead_working if deadline.working else lead
        # a working day lasts the calendar's day (checked above: working deadlines have one)
        length = deadline.working_seconds(day_length) if day_length else deadline.seconds
        limit = length + _SLA_TOLERANCE
        sla_share[deadline.label] = (
            float((basis[done] <= limit).mean()) if done.any() else float("nan")
        )

    n_cohort = int(cohort.sum())
    unfinished_known = obs.unfinished_known
    if unfinished_known and n_cohort:
        unfinished_share = float((cohort & ~finished).sum() / n_cohort)
    else:
        unfinished_share = float("nan")
        if not unfinished_known:
            notes.append(
                "unfinished share unknown: every case counts as finished at its last completion "
                "(pass cases= or horizon= to know)"
            )

    # --- time statistics over the window ---------------------------------------------------
    departures = int((finished & (case_end >= lo) & (case_end <= w1)).sum())
    arrivals = int((observed & (case_start >= lo) & (case_start <= w1)).sum())
    stay_end = np.where(finished, case_end, h)
    # case time in the window, summed exactly: an int64 sum wraps past 292 case-years
    case_time_ns = exact_sum(overlap(case_start[observed], stay_end[observed], lo, w1))
    wip_mean = case_time_ns / (w1 - lo)
    window_days = span_s / _DAY
    working_days = None
    if cal is not None and day_length:
        working_days = float(working_seconds(cal, np.array([lo]), np.array([w1]))[0]) / day_length

    utilisation, detail, util_notes = utilisation_table(parts, lo, w1, caps, role_cals, cal)
    notes.extend(util_notes)

    # --- tables -------------------------------------------------------------------------
    tz = cal.tz if cal is not None and getattr(cal, "tz", None) is not None else log_tz
    idx = np.flatnonzero(cohort)
    per_case = pd.DataFrame(
        {
            CASE: case_ids[idx],
            "start": pd.DatetimeIndex(
                case_start[idx].view("datetime64[ns]"), tz="UTC"
            ).tz_convert(tz),
            "end": pd.DatetimeIndex(
                np.where(finished[idx], case_end[idx], NAT).view("datetime64[ns]"),
                tz="UTC",
            ).tz_convert(tz),
            "finished": finished[idx],
            "lead": lead[idx],
            "lead_working": lead_working[idx],
            "processing": processing[idx],
            "value_adding": value_adding[idx],
            "waiting": waiting[idx],
        }
    )
    if processing_working is not None and waiting_working is not None:
        per_case["processing_working"] = processing_working[idx]
        per_case["waiting_working"] = waiting_working[idx]
        if va_names is not None and value_adding_working is not None:
            per_case["value_adding_working"] = value_adding_working[idx]
    per_activity = per_activity_table(parts, names, n_cohort)
    arrival = case_start[done]  # batch-means intervals batch the cases in arrival order

    return KPIReport(
        cases=n_cohort,
        cases_finished=int(done.sum()),
        cases_unfinished=n_cohort - int(done.sum()) if unfinished_known else 0,
        lead_time=summarize(lead[done], arrival),
        lead_time_working=summarize(lead_working[done], arrival) if cal is not None else None,
        processing=summarize(processing[done], arrival),
        processing_working=(summarize(processing_working[done], arrival)
                            if processing_working is not None else None),
        waiting_working=(summarize(waiting_working[done], arrival)
                         if waiting_working is not None else None),
        waiting=summarize(waiting[done], arrival),
        value_adding=summarize(value_adding[done], arrival) if va_names is not None else None,
        value_adding_working=(summarize(value_adding_working[done], arrival)
                              if va_names is not None and value_adding_working is not None
                              else None),
        pce=pce,
        pce_working=pce_working,
        pce_basis="value-adding activities" if va_names is not None else "all processing time",
        throughput_per_day=departures / window_days,
        throughput_per_working_day=(departures / working_days if working_days else None)
        if cal is not None
        else None,
        arrival_rate_per_day=arrivals / window_days,
        arrival_rate_per_working_day=(arrivals / working_days if working_days else None)
        if cal is not None
        else None,
        wip_mean=wip_mean,
        utilisation=utilisation,
        sla_share=sla_share,
        unfinished_share=unfinished_share,
        window=(
            pd.Timestamp(lo, tz="UTC").tz_convert(tz),
            pd.Timestamp(w1, tz="UTC").tz_convert(tz),
        ),
        horizon=pd.Timestamp(h, tz="UTC").tz_convert(tz),
        warmup_seconds=warm,
        calendar=calendar_label(cal) if cal is not None else None,
        per_case=per_case,
        per_activity=per_activity,
        utilisation_detail=detail,
        notes=notes,
    )


def _observation(
    latest: int,
    case_start: np.ndarray,
    first_interval: int | None,
    running: bool,
    from_cases_table: bool,
    horizon: Any,
    window: Any,
    warmup: Any,
) -> Observation:
    """Horizon, window after warm-up ``[lo, w1]`` (ns), warm-up (s) and the rest of ``obs``.

    Without a horizon the observation ends at the latest instant in the inputs (or the window
    end, if later); without a window it runs from the first case start to the horizon.
    ``latest`` is that instant, ``case_start`` every case's start, ``first_interval`` the
    earliest start time of an activity (None when there is none) and ``running`` whether an
    instance is still in progress.
    """
    user_window = window if window is not None else (None, None)
    if not isinstance(user_window, (tuple, list)) or len(user_window) != 2:
        raise LogError(f"window={window!r} must be a (start, end) pair of instants", source="kpis")
    w0_user = to_instant(user_window[0], "window start") if user_window[0] is not None else None
    w1_user = to_instant(user_window[1], "window end") if user_window[1] is not None else None
    if horizon is not None:
        h = to_instant(horizon, "horizon")
        horizon_known = True
    else:
        h = max(latest, w1_user) if w1_user is not None else latest
        horizon_known = False
    observed = case_start <= h  # cases arriving after the horizon are not seen
    first_start = int(case_start[observed].min()) if observed.any() else h
    w0 = w0_user if w0_user is not None else first_start
    w1 = w1_user if w1_user is not None else h
    if w1 > h:
        raise LogError(
            f"the window ends after the horizon ({pd.Timestamp(w1, tz='UTC')} > "
            f"{pd.Timestamp(h, tz='UTC')}): end the window at or before the horizon",
            source="kpis",
        )
    warm = 0.0
    if warmup is not None:
        parsed = kpi_duration(warmup, "warmup")
        if parsed.working:
            raise LogError(
                f"warmup={warmup!r}: give the warm-up in clock time (e.g. '2d')", source="kpis"
            )
        warm = parsed.seconds
    lo = w0 + round(warm * _NS)
    if lo >= w1:
        raise LogError(
            f"the window after warm-up is empty ({pd.Timestamp(lo, tz='UTC')} >= "
            f"{pd.Timestamp(w1, tz='UTC')}): shorten the warm-up or widen the window",
            source="kpis",
        )
    # the working-time map of touch time starts at the earliest activity start in view
    origin = min(first_interval, lo) if first_interval is not None and first_interval <= h else lo
    return Observation(
        h=h, horizon_known=horizon_known, lo=lo, w1=w1, warm=warm, origin=origin,
        unfinished_known=horizon_known or from_cases_table or running,
    )
