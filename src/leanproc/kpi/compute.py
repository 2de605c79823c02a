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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.kpi.durations import KPIDuration, parse_kpi_duration
from leanproc.kpi.inputs import NAT, PreparedLog, prepare, to_instant
from leanproc.kpi.intervals import union_length_by_group
from leanproc.kpi.report import KPIReport
from leanproc.kpi.stats import summarize
from leanproc.log import CASE

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["kpis"]

_NS = 1e9
_DAY = 86400.0
_BLOCK = 1 << 20  # rows per calendar call on long arrays (bounds the temporaries)
_SLA_TOLERANCE = 1e-6  # seconds: working-time sums are floats; 1 µs never decides an SLA


def _as_calendar(value: Any) -> Any:
    """Accept a Calendar or its text form (``"ru-5x8@Asia/Tomsk"``); None stays None."""
    if value is None or not isinstance(value, str):
        return value
    from leanproc.calendar import Calendar

    return Calendar.parse(value)


def _label(calendar: Any) -> str:
    """A calendar's name for reports (``"ru-5x8@Asia/Tomsk"``)."""
    return str(getattr(calendar, "name", None) or calendar)


def _working_seconds(calendar: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Vectorised working seconds between int64-ns instants (NAT -> NaN).

    Long arrays go through the calendar in blocks of :data:`_BLOCK` rows: every element is
    computed on its own, so the result is the same, while the calendar's temporaries (a
    handful of arrays as long as its input) stay a few MB instead of a GB on a 10 M-row log.
    """
    if a.size == 0:
        return np.zeros(0, dtype=float)
    out = np.empty(a.size, dtype=float)
    for lo in range(0, a.size, _BLOCK):
        a_idx = pd.DatetimeIndex(a[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        b_idx = pd.DatetimeIndex(b[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        out[lo:lo + _BLOCK] = calendar.working_seconds(a_idx, b_idx)
    return out


def _working_ns(calendar: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_working_seconds` rounded to int64 nanoseconds, in place (no extra copies)."""
    out = _working_seconds(calendar, a, b)
    out *= 1e9
    np.round(out, out=out)
    return out.astype(np.int64)


def _overlap(a: np.ndarray, b: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Length (int64 ns) of ``[a, b]`` ∩ ``[lo, hi]`` per element; zero when disjoint."""
    return np.maximum(np.minimum(b, hi) - np.maximum(a, lo), 0)


def _value_set(value_activities: Any, known: pd.Index) -> tuple[np.ndarray | None, list[str]]:
    """Activity codes that add value, and notes about names the log does not contain."""
    if value_activities is None:
        return None, []
    names = [value_activities] if isinstance(value_activities, str) else list(value_activities)
    if not all(isinstance(n, str) for n in names):
        raise LogError(
            f"value_activities={value_activities!r} must be activity names (strings)",
            source="kpis",
        )
    mask = known.isin(names)
    absent = sorted(set(names) - set(known[mask]))
    notes = (
        [f"value-adding activities absent from the log (counted as zero): {absent}"]
        if absent
        else []
    )
    return np.asarray(mask), notes


def _deadlines(sla: Any) -> list[KPIDuration]:
    if sla is None:
        return []
    items = [sla] if isinstance(sla, (str, pd.Timedelta)) or not isinstance(sla, Iterable) else sla
    return [parse_kpi_duration(item, "sla") for item in items]


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
    log: pd.DataFrame,
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
            progress.
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
    data = prepare(log, cases)
    deadlines = _deadlines(sla)
    caps = _capacities(capacity)
    va_mask, notes = _value_set(value_activities, data.activity_names)
    if any(d.working for d in deadlines) and cal is None:
        working = [d.label for d in deadlines if d.working]
        raise LogError(
            f"sla deadline(s) {working} are in working time and need a calendar: "
            "pass calendar=... (e.g. 'ru-5x8@Europe/Moscow') or use clock units",
            source="kpis",
        )

    h, horizon_known, lo, w1, warm = _observation(data, horizon, window, warmup)
    observed = data.case_start <= h  # cases arriving after the horizon are not seen
    span_s = (w1 - lo) / _NS

    # --- per-row intervals, clipped to the horizon -------------------------------------
    row_end = np.where(data.end == NAT, h, np.minimum(data.end, h))
    has_interval = (data.start != NAT) & (data.start <= h)
    n_cases = len(data.case_ids)
    # rows with an interval: usually all of them, and then the arrays are used as they are
    # (a boolean index would copy each 10 M-row array)
    if has_interval.all():
        timed_case, timed_start, timed_end = data.case_code, data.start, row_end
    else:
        timed_case = data.case_code[has_interval]
        timed_start, timed_end = data.start[has_interval], row_end[has_interval]
    processing_ns = union_length_by_group(timed_case, timed_start, timed_end, n_cases)
    if va_mask is not None:
        va_rows = has_interval & va_mask[data.activity_code]
        va_ns = union_length_by_group(
            data.case_code[va_rows], data.start[va_rows], row_end[va_rows], n_cases
        )
    else:
        va_ns = processing_ns
        notes.append("PCE uses all processing time: pass value_activities=[...] to restrict it")

    # --- cases: cohort, completion, lead --------------------------------------------------
    finished = (data.case_end != NAT) & (data.case_end <= h)
    cohort = observed & (data.case_start >= lo) & (data.case_start <= w1)
    done = cohort & finished
    lead = np.full(n_cases, np.nan)
    lead[finished] = (data.case_end[finished] - data.case_start[finished]) / _NS
    processing = processing_ns / _NS
    waiting = np.where(finished, lead - processing, np.nan)
    value_adding = va_ns / _NS
    lead_working = np.full(n_cases, np.nan)
    processing_working = waiting_working = None
    if cal is not None:
        lead_working[done] = _working_seconds(cal, data.case_start[done], data.case_end[done])
        # Touch time in working time: map every instant to the working time elapsed since
        # one origin (a monotone map), then take the union there — work that pauses over a
        # night or a weekend counts only its working hours.
        origin = np.array([min(int(timed_start.min()), lo)] if timed_start.size else [lo])
        n_rows = timed_start.size
        w_start = _working_ns(cal, np.broadcast_to(origin, n_rows), timed_start)
        w_end = _working_ns(cal, np.broadcast_to(origin, n_rows), timed_end)
        processing_working = union_length_by_group(timed_case, w_start, w_end, n_cases) / _NS
        del w_start, w_end
        waiting_working = np.where(finished, lead_working - processing_working, np.nan)

    sum_lead = float(lead[done].sum())
    pce = float(value_adding[done].sum()) / sum_lead if sum_lead > 0 else float("nan")

    sla_share: dict[str, float] = {}
    day_length = float(cal.day_length) if cal is not None else None
    for deadline in deadlines:
        basis = lead_working if deadline.working else lead
        limit = deadline.seconds(day_length) + _SLA_TOLERANCE
        sla_share[deadline.label] = (
            float((basis[done] <= limit).mean()) if done.any() else float("nan")
        )

    n_cohort = int(cohort.sum())
    unfinished_known = horizon_known or data.from_cases_table or bool((data.end == NAT).any())
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
    departures = int((finished & (data.case_end >= lo) & (data.case_end <= w1)).sum())
    arrivals = int((observed & (data.case_start >= lo) & (data.case_start <= w1)).sum())
    stay_end = np.where(finished, data.case_end, h)
    wip = float(_overlap(data.case_start[observed], stay_end[observed], lo, w1).sum()) / _NS
    wip_mean = wip / span_s
    window_days = span_s / _DAY
    working_days = None
    if cal is not None and day_length:
        working_days = float(_working_seconds(cal, np.array([lo]), np.array([w1]))[0]) / day_length

    utilisation, detail, util_notes = _utilisation(
        data, has_interval, row_end, lo, w1, caps, role_cals, cal
    )
    notes.extend(util_notes)
    # the per-row arrays of the intervals are done with: free them before the per-activity
    # statistics, where the peak memory of a big log lies
    del row_end, has_interval, timed_case, timed_start, timed_end

    # --- tables -------------------------------------------------------------------------
    tz = cal.tz if cal is not None and getattr(cal, "tz", None) is not None else data.tz
    idx = np.flatnonzero(cohort)
    per_case = pd.DataFrame(
        {
            CASE: data.case_ids[idx],
            "start": pd.DatetimeIndex(
                data.case_start[idx].view("datetime64[ns]"), tz="UTC"
            ).tz_convert(tz),
            "end": pd.DatetimeIndex(
                np.where(finished[idx], data.case_end[idx], NAT).view("datetime64[ns]"),
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
    per_activity = _per_activity(data, cohort, h, n_cohort)

    return KPIReport(
        cases=n_cohort,
        cases_finished=int(done.sum()),
        cases_unfinished=n_cohort - int(done.sum()) if unfinished_known else 0,
        lead_time=summarize(lead[done]),
        lead_time_working=summarize(lead_working[done]) if cal is not None else None,
        processing=summarize(processing[done]),
        processing_working=(summarize(processing_working[done])
                            if processing_working is not None else None),
        waiting_working=(summarize(waiting_working[done])
                         if waiting_working is not None else None),
        waiting=summarize(waiting[done]),
        value_adding=summarize(value_adding[done]) if va_mask is not None else None,
        pce=pce,
        pce_basis="value-adding activities" if va_mask is not None else "all processing time",
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
        calendar=_label(cal) if cal is not None else None,
        per_case=per_case,
        per_activity=per_activity,
        utilisation_detail=detail,
        notes=notes,
    )


def _observation(
    data: PreparedLog, horizon: Any, window: Any, warmup: Any
) -> tuple[int, bool, int, int, float]:
    """Horizon, whether it was given, window after warm-up ``[lo, w1]`` (ns) and warm-up (s).

    Without a horizon the observation ends at the latest instant in the inputs (or the window
    end, if later); without a window it runs from the first case start to the horizon.
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
        latest = max(
            int(arr.max())
            for arr in (data.end, data.start, data.enable, data.case_start, data.case_end)
        )
        h = max(latest, w1_user) if w1_user is not None else latest
        horizon_known = False
    observed = data.case_start <= h  # cases arriving after the horizon are not seen
    first_start = int(data.case_start[observed].min()) if observed.any() else h
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
        parsed = parse_kpi_duration(warmup, "warmup")
        if parsed.working:
            raise LogError(
                f"warmup={warmup!r}: give the warm-up in clock time (e.g. '2d')", source="kpis"
            )
        warm = parsed.seconds()
    lo = w0 + round(warm * _NS)
    if lo >= w1:
        raise LogError(
            f"the window after warm-up is empty ({pd.Timestamp(lo, tz='UTC')} >= "
            f"{pd.Timestamp(w1, tz='UTC')}): shorten the warm-up or widen the window",
            source="kpis",
        )
    return h, horizon_known, lo, w1, warm


def _utilisation(
    data: PreparedLog,
    has_interval: np.ndarray,
    row_end: np.ndarray,
    lo: int,
    hi: int,
    caps: dict[str, int],
    role_cals: dict[str, Any],
    calendar: Any,
) -> tuple[dict[str, float], pd.DataFrame, list[str]]:
    """Busy time of each role's rows in the window over capacity x available time."""
    columns = ["role", "capacity", "busy", "available", "utilisation", "calendar"]
    notes: list[str] = []
    if data.role is None:
        if caps:
            notes.append("utilisation unknown: the log has no org:role column")
        return {}, pd.DataFrame(columns=columns), notes
    busy_ns = np.where(
        has_interval, _overlap(np.where(has_interval, data.start, 0), row_end, lo, hi), 0
    )
    # Roles and resources as integer codes (categorical columns give them for free): sums
    # and distinct counts per role are array operations, never a hash of 10 M strings.
    role_code, role_names = pd.factorize(data.role, sort=False)  # first appearance; NaN -1
    role_code = np.asarray(role_code, dtype=np.int64)
    has_role = role_code >= 0
    busy_ns = busy_ns[has_role] if not has_role.all() else busy_ns
    busy_sum = np.zeros(len(role_names), dtype=np.int64)
    np.add.at(busy_sum, role_code[has_role] if not has_role.all() else role_code, busy_ns)
    distinct_count = np.zeros(len(role_names), dtype=np.int64)
    if data.resource is not None:
        distinct_count = _distinct_per_group(role_code, data.resource, len(role_names))
    role_keys = [str(r) for r in role_names]
    names = role_keys + [r for r in caps if r not in set(role_keys)]
    busy_by_name = {k: int(v) for k, v in zip(role_keys, busy_sum, strict=True)}
    distinct_by_name = {k: int(v) for k, v in zip(role_keys, distinct_count, strict=True)}
    if not has_interval.any():
        notes.append("utilisation is zero everywhere: the log has no start_timestamp values")
    avail_cache: dict[int, float] = {}
    out: dict[str, float] = {}
    rows = []
    for name in names:  # one iteration per role: a handful, never per case
        cap = caps.get(name, distinct_by_name.get(name, 0))
        if cap <= 0:
            notes.append(
                f"utilisation of role {name!r} unknown: no org:resource values; "
                "pass capacity={...}"
            )
            continue
        cal = role_cals.get(name, calendar)
        if cal is None:
            available = (hi - lo) / _NS
        else:
            if id(cal) not in avail_cache:
                avail_cache[id(cal)] = float(
                    _working_seconds(cal, np.array([lo]), np.array([hi]))[0]
                )
            available = avail_cache[id(cal)]
        b = busy_by_name.get(name, 0) / _NS
        value = b / (cap * available) if available > 0 else float("nan")
        out[name] = value
        rows.append(
            (name, cap, b, cap * available, value, _label(cal) if cal is not None else "24x7")
        )
    return out, pd.DataFrame(rows, columns=columns), notes


def _distinct_per_group(group: np.ndarray, values: pd.Series, n_groups: int) -> np.ndarray:
    """Distinct non-missing ``values`` per group code (rows with code -1 are left out)."""
    value_code, uniques = pd.factorize(values, sort=False)
    value_code = np.asarray(value_code, dtype=np.int64)
    n_values = len(uniques)
    valid = (group >= 0) & (value_code >= 0)
    if not valid.any():
        return np.zeros(n_groups, dtype=np.int64)
    pair = group[valid] * n_values + value_code[valid]
    if n_groups * n_values <= 1 << 25:  # a presence table of (group, value) pairs
        seen = np.bincount(pair, minlength=n_groups * n_values) > 0
        return seen.reshape(n_groups, n_values).sum(axis=1).astype(np.int64)
    distinct_pairs = np.unique(pair)
    return np.bincount(distinct_pairs // n_values, minlength=n_groups).astype(np.int64)


def _per_activity(data: PreparedLog, cohort: np.ndarray, h: int, n_cohort: int) -> pd.DataFrame:
    """Count, waiting before start, processing and case share per activity (cohort rows)."""
    rows = cohort[data.case_code] & (data.end != NAT) & (data.end <= h)
    every = bool(rows.all())

    def pick(values: np.ndarray) -> np.ndarray:
        return values if every else values[rows]  # no copy when every row counts

    code = pick(data.activity_code)
    start, enable, end = pick(data.start), pick(data.enable), pick(data.end)
    has_start = start != NAT
    n_act = len(data.activity_names)
    # The activity codes as a categorical key: pandas groups by the codes as they are (no
    # hashing of 10 M keys, no frame to assemble) and lists every activity, even unseen ones.
    key = pd.Categorical.from_codes(code, dtype=pd.CategoricalDtype(range(n_act)))
    waiting_mean = waiting_median = np.full(n_act, np.nan)
    known_wait = has_start & (enable != NAT)
    if known_wait.any():  # most real logs have no enablement times: nothing to group then
        wait = np.where(known_wait, (start - enable) / _NS, np.nan)
        by_wait = pd.Series(wait).groupby(key, observed=False, sort=True)
        waiting_mean = by_wait.mean().to_numpy()
        waiting_median = by_wait.median().to_numpy()
        del wait, by_wait
    del known_wait
    proc = np.where(has_start, (end - start) / _NS, np.nan)
    by_proc = pd.Series(proc).groupby(key, observed=False, sort=True)
    share = _cases_per_activity(pick(data.case_code), code, len(data.case_ids), n_act)
    stats = pd.DataFrame(
        {
            "activity": data.activity_names,
            "count": np.bincount(code, minlength=n_act).astype(int),
            "waiting_mean": waiting_mean,
            "waiting_median": waiting_median,
            "processing_mean": by_proc.mean().to_numpy(),
            "processing_total": by_proc.sum(min_count=1).to_numpy(),
        }
    )
    stats["case_share"] = share / max(n_cohort, 1)
    return stats


def _cases_per_activity(
    case: np.ndarray, activity: np.ndarray, n_cases: int, n_act: int
) -> np.ndarray:
    """How many distinct cases have each activity (a case doing it twice counts once)."""
    pairs = case * n_act + activity
    if n_cases * n_act <= 1 << 27:  # a presence table: one linear pass, no sort
        seen = np.zeros(n_cases * n_act, dtype=bool)
        seen[pairs] = True
        return seen.reshape(n_cases, n_act).sum(axis=0)
    # distinct (case, activity) pairs by sorting: numpy's hash-based unique is slower here
    pairs = np.sort(pairs)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if pairs.size else pairs
    return np.bincount(pairs % n_act, minlength=n_act)
