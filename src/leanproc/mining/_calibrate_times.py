"""Calibration's measurements per event: working time of the work, and of the wait before it.

The rules are in the docstring of `leanproc.mining.calibrate` (Durations, Waiting).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["WorkAndWait", "work_and_wait", "working"]


@dataclass(frozen=True)
class WorkAndWait:
    """Per row, working seconds of work (pool calendar) and of the wait before it (default
    calendar); `waits` is the wait rule applied (``auto`` resolved)."""

    work: np.ndarray
    wait: np.ndarray
    waits: str


def working(cal: Any, a: pd.Series, b: pd.Series) -> np.ndarray:
    """Seconds from a to b: working seconds on `cal`, clock seconds when it is None."""
    a_idx, b_idx = pd.DatetimeIndex(a), pd.DatetimeIndex(b)
    if cal is None:
        return np.asarray((b_idx - a_idx).total_seconds(), dtype=float)
    return np.asarray(cal.working_seconds(a_idx, b_idx), dtype=float)


def work_and_wait(frame: pd.DataFrame, *, tz: str, has_start: bool, has_resource: bool,
                  waits: str, default_cal: Any, pool_cal: Mapping[str, Any],
                  pool_size: Mapping[str, int]) -> WorkAndWait:
    """Work and wait of every row of `frame` (which has ``enable`` from the replay and
    ``pool``), with `waits` one of ``auto``, ``extraneous``, ``all``, ``none``."""
    prev_free = _previous_completion(frame, tz=tz, has_start=has_start,
                                     has_resource=has_resource)
    ready = frame["enable"].where(prev_free.isna() | (prev_free < frame["enable"]), prev_free)
    if has_start:
        start = frame["start"].fillna(ready.where(ready <= frame["end"], frame["end"]))
    else:
        start = ready.where(ready <= frame["end"], frame["end"])
    ready = ready.where(ready <= start, start)
    mode = waits if waits != "auto" else ("extraneous" if has_start else "all")
    work = np.zeros(len(frame))
    pools = frame["pool"].to_numpy()
    for pool in [*pool_cal, None]:
        mask = (pools == pool) if pool is not None else pd.isna(frame["pool"]).to_numpy()
        if not mask.any():
            continue
        cal = pool_cal[pool] if pool is not None else default_cal
        work[mask] = working(cal, start[mask], frame["end"][mask])
    if mode == "none":
        wait = np.zeros(len(frame))
    elif mode == "extraneous" and has_start:
        # the wait is the working time from enablement to start less the part of it during
        # which every unit of the pool was busy (that part the simulated pool recreates);
        # cutting the wait at the *last* full instant instead would count a night held by
        # a task that runs over it as contention for everything before
        wait = (working(default_cal, frame["enable"], start)
                - _pool_full_time(frame, frame["enable"], start, tz=tz,
                                  default_cal=default_cal, pool_size=pool_size))
    else:
        begin = ready if mode == "extraneous" else frame["enable"]
        wait = working(default_cal, begin, start)
    return WorkAndWait(work=np.maximum(work, 0.0), wait=np.maximum(np.nan_to_num(wait), 0.0),
                       waits=mode)


def _pool_full_time(frame: pd.DataFrame, begin: pd.Series, end: pd.Series, *, tz: str,
                    default_cal: Any, pool_size: Mapping[str, int]) -> np.ndarray:
    """Per row, the working time (default calendar) inside [begin, end] during which every
    unit of the row's pool was busy; 0 without a pool."""
    out = np.zeros(len(frame))
    pools = frame["pool"].to_numpy()
    s_ns = pd.DatetimeIndex(frame["start"].fillna(frame["end"])).as_unit("ns").asi8
    e_ns = pd.DatetimeIndex(frame["end"]).as_unit("ns").asi8
    origin = pd.DatetimeIndex(frame["end"]).min() - pd.Timedelta(days=400)

    def working_since_origin(ns: np.ndarray) -> np.ndarray:
        t = pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC").tz_convert(tz))
        return working(default_cal, pd.Series([origin] * len(t)), t)

    for pool, size in pool_size.items():
        idx = np.flatnonzero(pools == pool)
        if not len(idx):
            continue
        times = np.r_[s_ns[idx], e_ns[idx]]
        steps = np.r_[np.ones(len(idx), dtype=np.int64), -np.ones(len(idx), dtype=np.int64)]
        order = np.lexsort((steps, times))  # at equal instants, ends before starts
        times, busy = times[order], np.cumsum(steps[order])
        full = np.flatnonzero(busy[:-1] >= size)
        if not len(full):
            continue
        seg_a = working_since_origin(times[full])
        seg_b = working_since_origin(times[full + 1])
        length = np.maximum(seg_b - seg_a, 0.0)
        cum = np.r_[0.0, np.cumsum(length)]

        def full_before(x: np.ndarray, seg_a: np.ndarray = seg_a, length: np.ndarray = length,
                        cum: np.ndarray = cum) -> np.ndarray:
            k = np.searchsorted(seg_a, x, side="right") - 1
            kk = np.maximum(k, 0)
            inside = np.clip(x - seg_a[kk], 0.0, length[kk])
            return np.where(k >= 0, cum[kk] + inside, 0.0)

        a = working_since_origin(pd.DatetimeIndex(begin.iloc[idx]).as_unit("ns").asi8)
        b = working_since_origin(pd.DatetimeIndex(end.iloc[idx]).as_unit("ns").asi8)
        out[idx] = np.maximum(full_before(b) - full_before(a), 0.0)
    return out


def _previous_completion(frame: pd.DataFrame, *, tz: str, has_start: bool,
                         has_resource: bool) -> pd.Series:
    """Each row's resource's latest completion before the row's start (or, with no start,
    before its completion); NaT without a resource or before its first event."""
    out = pd.Series(pd.NaT, index=frame.index, dtype=frame["end"].dtype)
    if not has_resource:
        return out
    before = frame["start"].fillna(frame["end"]) if has_start else frame["end"]
    side: Literal["left", "right"] = "right" if has_start else "left"
    end_ns = pd.DatetimeIndex(frame["end"]).as_unit("ns").asi8
    before_ns = pd.DatetimeIndex(before).as_unit("ns").asi8
    for _, idx in frame.groupby("resource", sort=False).indices.items():
        ends = np.sort(end_ns[idx])
        pos = np.searchsorted(ends, before_ns[idx], side=side) - 1
        vals = np.where(pos >= 0, ends[np.maximum(pos, 0)], np.iinfo(np.int64).min)
        out.iloc[idx] = pd.DatetimeIndex(vals.view("datetime64[ns]"), tz="UTC").tz_convert(tz)
    return out
