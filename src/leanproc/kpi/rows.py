"""The row-level half of ``kpis()``: what needs the log's rows, reduced to per-case arrays.

:func:`part_of` turns a prepared log (or one chunk of whole cases) into a :class:`Part`: per
case the touch time (clock and working), value-adding time and working lead time; per role
the busy time in the window and the resources seen; per cohort row the activity, waiting and
processing time. Everything a case contributes depends only on its own rows and on the
observation (horizon, window, origin of the working-time map), so the parts of several
chunks, concatenated in order, are exactly the part of the whole log: this is what lets
:mod:`leanproc.kpi.chunks` compute the KPIs of a log that does not fit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leanproc.kpi.inputs import NAT, PreparedLog
from leanproc.kpi.intervals import union_length_by_group
from leanproc.kpi.sums import exact_group_sums

__all__ = ["Observation", "Part", "part_of"]

_NS = 1e9
_BLOCK = 1 << 20  # rows per calendar call on long arrays (bounds the temporaries)


@dataclass(frozen=True, slots=True)
class Observation:
    """What the whole log decides before any case is measured (instants in int64 ns)."""

    h: int  # horizon
    horizon_known: bool
    lo: int  # window start after warm-up
    w1: int  # window end
    warm: float  # warm-up, seconds
    origin: int  # where the working-time map of touch time starts
    unfinished_known: bool


@dataclass(slots=True)
class Part:
    """The per-case and per-role results of some whole cases (see the module docstring)."""

    case_ids: pd.Index
    case_start: np.ndarray
    case_end: np.ndarray
    processing_ns: np.ndarray
    va_ns: np.ndarray | None  # None without value_activities
    lead_working: np.ndarray  # seconds, NaN but for finished cohort cases (with a calendar)
    processing_working: np.ndarray | None  # seconds, with a calendar
    va_working: np.ndarray | None  # seconds, with a calendar and value_activities
    has_roles: bool
    # role -> busy ns in the window (exact int), in working time on the role's calendar
    busy: dict[str, int] = field(default_factory=dict)
    resources: dict[str, set[Any]] = field(default_factory=dict)  # role -> resources seen
    any_interval: bool = False
    activity_names: pd.Index = field(default_factory=lambda: pd.Index([]))
    activity_code: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    wait: np.ndarray | None = None  # seconds per cohort row; None when no row has it
    proc: np.ndarray = field(default_factory=lambda: np.zeros(0))
    activity_cases: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # with a calendar, per activity over the cohort's completed rows: exact working ns and
    # the number of rows with a start (sums, not rows: a few numbers per activity)
    proc_working_ns: list[int] | None = None
    proc_working_rows: np.ndarray | None = None


def working_seconds(calendar: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Vectorised working seconds between int64-ns instants (NAT -> NaN).

    Long arrays go through the calendar in blocks of :data:`_BLOCK` rows: every element is
    computed on its own, so the result is the same, while the calendar's temporaries (a
    handful of arrays as long as its input) stay a few MB instead of a GB on a 10 M-row log.
    """
    # `a` may be one instant (0-d) for all of `b`: the calendar then maps it only once
    fixed = pd.Timestamp(int(a), tz="UTC") if a.ndim == 0 else None
    n = b.size if fixed is not None else a.size
    if n == 0:
        return np.zeros(0, dtype=float)
    out = np.empty(n, dtype=float)
    for lo in range(0, n, _BLOCK):
        a_part = fixed if fixed is not None else pd.DatetimeIndex(
            a[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        b_idx = pd.DatetimeIndex(b[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        out[lo:lo + _BLOCK] = calendar.working_seconds(a_part, b_idx)
    return out


def _working_ns(calendar: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`working_seconds` rounded to int64 nanoseconds, in place (no extra copies)."""
    out = working_seconds(calendar, a, b)
    out *= 1e9
    np.round(out, out=out)
    return out.astype(np.int64)


def overlap(a: np.ndarray, b: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Length (int64 ns) of ``[a, b]`` ∩ ``[lo, hi]`` per element; zero when disjoint."""
    length: np.ndarray = np.maximum(np.minimum(b, hi) - np.maximum(a, lo), 0)
    return length


def part_of(data: PreparedLog, obs: Observation, calendar: Any,
            value_activities: list[str] | None,
            role_calendars: dict[str, Any] | None = None) -> Part:
    """Reduce the rows of ``data`` (whole cases) to a :class:`Part` under ``obs``.

    ``role_calendars`` maps a role to its availability calendar (None: round the clock);
    roles it does not name use ``calendar``.
    """
    h, lo, w1 = obs.h, obs.lo, obs.w1
    n_cases = len(data.case_ids)
    # --- per-row intervals, clipped to the horizon -------------------------------------
    row_end = np.where(data.end == NAT, h, np.minimum(data.end, h))
    has_interval = (data.start != NAT) & (data.start <= h)
    # rows with an interval: usually all of them, and then the arrays are used as they are
    # (a boolean index would copy each 10 M-row array)
    every = bool(has_interval.all())
    if every:
        timed_case, timed_start, timed_end = data.case_code, data.start, row_end
    else:
        timed_case = data.case_code[has_interval]
        timed_start, timed_end = data.start[has_interval], row_end[has_interval]
    processing_ns = union_length_by_group(timed_case, timed_start, timed_end, n_cases)
    va_ns = va_timed = None
    if value_activities is not None:
        va_mask = np.asarray(data.activity_names.isin(value_activities))
        va_rows = has_interval & va_mask[data.activity_code]
        va_timed = va_rows[has_interval] if not every else va_rows
        va_ns = union_length_by_group(
            data.case_code[va_rows], data.start[va_rows], row_end[va_rows], n_cases
        )

    observed = data.case_start <= h
    finished = (data.case_end != NAT) & (data.case_end <= h)
    cohort = observed & (data.case_start >= lo) & (data.case_start <= w1)
    done = cohort & finished
    lead_working = np.full(n_cases, np.nan)
    processing_working = va_working = None
    timed_working: tuple[np.ndarray, np.ndarray] | None = None
    if calendar is not None:
        lead_working[done] = working_seconds(calendar, data.case_start[done], data.case_end[done])
        # Touch time in working time: map every instant to the working time elapsed since
        # one origin (a monotone map), then take the union there — work that pauses over a
        # night or a weekend counts only its working hours.
        timed_working = _working_map(calendar, obs.origin, timed_start, timed_end)
        w_start, w_end = timed_working
        processing_working = union_length_by_group(timed_case, w_start, w_end, n_cases) / _NS
        if va_timed is not None:
            va_working = union_length_by_group(
                timed_case[va_timed], w_start[va_timed], w_end[va_timed], n_cases) / _NS

    part = Part(
        case_ids=data.case_ids, case_start=data.case_start, case_end=data.case_end,
        processing_ns=processing_ns, va_ns=va_ns, lead_working=lead_working,
        processing_working=processing_working, va_working=va_working,
        has_roles=data.role is not None, any_interval=bool(has_interval.any()),
    )
    if data.role is not None:
        part.busy, part.resources = _role_busy(
            data, obs, has_interval, row_end, calendar, role_calendars or {}, timed_working)
    if timed_working is not None:
        _activity_working(part, data, cohort, has_interval, timed_working, h)
    # the per-row arrays of the intervals are done with: free them before the per-activity
    # rows, where the peak memory of a big log lies
    del row_end, has_interval, timed_case, timed_start, timed_end, timed_working
    _activity_rows(part, data, cohort, h)
    return part


def _working_map(calendar: Any, origin: int, start: np.ndarray, end: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Working ns from ``origin`` to each start and each end (a monotone map of instants)."""
    at = np.asarray(origin, dtype=np.int64)  # 0-d: mapped once by the calendar
    return _working_ns(calendar, at, start), _working_ns(calendar, at, end)


def _overlap_blocks(a: np.ndarray, b: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """:func:`overlap` computed block by block: the same values, temporaries of a few MB."""
    out = np.empty(a.size, dtype=np.int64)
    for k in range(0, a.size, _BLOCK):
        out[k:k + _BLOCK] = overlap(a[k:k + _BLOCK], b[k:k + _BLOCK], lo, hi)
    return out


def _role_busy(data: PreparedLog, obs: Observation, has_interval: np.ndarray,
               row_end: np.ndarray, calendar: Any, role_calendars: dict[str, Any],
               timed_working: tuple[np.ndarray, np.ndarray] | None,
               ) -> tuple[dict[str, int], dict[str, set[Any]]]:
    """Busy ns in the window per role and the resources seen per role (roles in order of
    appearance).

    A role with a calendar is busy for the *working* time of its rows inside the window —
    the time ``leanproc.cost`` prices as labour — so that a task paused overnight is not
    busy all night, and busy time never exceeds the working time available to the people
    doing it. A role without one (24x7) is busy for the clock time. The working time of a
    clipped row is the difference of the monotone working-time map at its clipped ends, so
    the map the touch time already computed serves the roles on the main calendar.

    Roles and resources as integer codes (categorical columns give them for free): sums and
    distinct pairs are array operations, never a hash of 10 M strings.
    """
    assert data.role is not None
    role_code, role_names = pd.factorize(data.role, sort=False)  # first appearance; NaN -1
    role_code = np.asarray(role_code, dtype=np.int64)
    keys = [str(r) for r in role_names]
    lo, w1, origin = obs.lo, obs.w1, obs.origin
    has_role = role_code >= 0
    measured = has_interval if bool(has_role.all()) else has_interval & has_role
    # the roles sharing one calendar are measured together: usually one group, all rows
    groups: dict[int, tuple[Any, list[int]]] = {}
    for k, key in enumerate(keys):
        cal = role_calendars.get(key, calendar)
        groups.setdefault(id(cal), (cal, []))[1].append(k)
    busy_sum = [0] * len(keys)
    for cal, codes in groups.values():
        rows = measured & np.isin(role_code, codes) if len(groups) > 1 else measured
        every = bool(rows.all())  # then no row array is copied
        start, end, code = ((data.start, row_end, role_code) if every else
                            (data.start[rows], row_end[rows], role_code[rows]))
        if cal is None:
            length = _overlap_blocks(start, end, lo, w1)
        else:
            edges = _working_ns(cal, np.asarray(origin, dtype=np.int64), np.array([lo, w1]))
            if cal is calendar and timed_working is not None:
                # the map the touch time computed, on the rows with an interval, in order
                w_start, w_end = timed_working
                if not every:
                    w_start, w_end = w_start[rows[has_interval]], w_end[rows[has_interval]]
            else:
                w_start, w_end = _working_map(cal, origin, start, end)
            length = _overlap_blocks(w_start, w_end, int(edges[0]), int(edges[1]))
            del w_start, w_end
        sums = exact_group_sums(code, length, len(keys))
        busy_sum = [a + b for a, b in zip(busy_sum, sums, strict=True)]
        del length, start, end, code
    busy = dict(zip(keys, busy_sum, strict=True))
    resources: dict[str, set[Any]] = {k: set() for k in keys}
    if data.resource is not None:
        for role, values in _resources_per_group(role_code, data.resource, role_names.size):
            resources[keys[role]] |= values
    return busy, resources


def _resources_per_group(group: np.ndarray, values: pd.Series, n_groups: int
                         ) -> list[tuple[int, set[Any]]]:
    """(group code, set of its distinct non-missing values) for every group with values."""
    value_code, uniques = pd.factorize(values, sort=False)
    value_code = np.asarray(value_code, dtype=np.int64)
    n_values = len(uniques)
    valid = (group >= 0) & (value_code >= 0)
    if not valid.any():
        return []
    pair = group[valid] * n_values + value_code[valid]
    if n_groups * n_values <= 1 << 25:  # a presence table of (group, value) pairs
        present = np.flatnonzero(np.bincount(pair, minlength=n_groups * n_values))
    else:
        present = np.unique(pair)
    out: dict[int, set[Any]] = {}
    names = np.asarray(uniques, dtype=object)
    for g, v in zip(present // n_values, present % n_values, strict=True):
        out.setdefault(int(g), set()).add(names[v])
    return list(out.items())


def _activity_working(part: Part, data: PreparedLog, cohort: np.ndarray,
                      has_interval: np.ndarray, timed_working: tuple[np.ndarray, np.ndarray],
                      h: int) -> None:
    """Per activity, the working time of the cohort's completed rows (exact ns) and their
    number: the working-time form of ``processing_mean`` / ``processing_total``.

    Consumes ``timed_working``: its end array becomes the rows' working durations in place.
    """
    w_start, w_end = timed_working
    every = bool(has_interval.all())
    code = data.activity_code if every else data.activity_code[has_interval]
    end = data.end if every else data.end[has_interval]
    rows = cohort[data.case_code if every else data.case_code[has_interval]] & (end != NAT) \
        & (end <= h)
    np.subtract(w_end, w_start, out=w_end)  # working ns of each row
    n_act = len(data.activity_names)
    if rows.all():  # no copies of the row arrays
        part.proc_working_ns = exact_group_sums(code, w_end, n_act)
        part.proc_working_rows = np.bincount(code, minlength=n_act)
    else:
        part.proc_working_ns = exact_group_sums(code[rows], w_end[rows], n_act)
        part.proc_working_rows = np.bincount(code[rows], minlength=n_act)


def _activity_rows(part: Part, data: PreparedLog, cohort: np.ndarray, h: int) -> None:
    """Activity, waiting and processing seconds of the cohort's completed rows."""
    rows = cohort[data.case_code] & (data.end != NAT) & (data.end <= h)
    every = bool(rows.all())

    def pick(values: np.ndarray) -> np.ndarray:
        return values if every else values[rows]  # no copy when every row counts

    code = pick(data.activity_code)
    start, enable, end = pick(data.start), pick(data.enable), pick(data.end)
    has_start = start != NAT
    known_wait = has_start & (enable != NAT)
    if known_wait.any():  # most real logs have no enablement times: nothing to keep then
        part.wait = np.where(known_wait, (start - enable) / _NS, np.nan)
    del known_wait
    part.proc = np.where(has_start, (end - start) / _NS, np.nan)
    part.activity_names = data.activity_names
    part.activity_code = code
    part.activity_cases = cases_per_activity(
        pick(data.case_code), code, len(data.case_ids), len(data.activity_names)
    )


def cases_per_activity(case: np.ndarray, activity: np.ndarray, n_cases: int,
                       n_act: int) -> np.ndarray:
    """How many distinct cases have each activity (a case doing it twice counts once)."""
    pairs = case * n_act + activity
    if n_cases * n_act <= 1 << 27:  # a presence table: one linear pass, no sort
        seen = np.zeros(n_cases * n_act, dtype=bool)
        seen[pairs] = True
        counts: np.ndarray = seen.reshape(n_cases, n_act).sum(axis=0)
        return counts
    # distinct (case, activity) pairs by sorting: numpy's hash-based unique is slower here
    pairs = np.sort(pairs)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if pairs.size else pairs
    return np.bincount(pairs % n_act, minlength=n_act)
