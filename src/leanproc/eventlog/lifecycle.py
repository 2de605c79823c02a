"""Merging XES lifecycle events into one row per activity instance.

The XES lifecycle model records an activity instance as several events (schedule, start,
complete, ...). The one log schema wants one row per instance with ``start_timestamp`` and
``enable_timestamp``. Events are matched first-in first-out within the same case and activity
(and the same resource, when every start and complete of that case and activity names one):

==================  ==============================================================================
transition          handling
==================  ==============================================================================
start               opens an instance: its time becomes ``start_timestamp``
complete            closes the oldest open instance -> one row; with none open, a row whose
                    start is unknown (NaT)
ate_abort           closes the oldest open instance without a row (counted as ``aborted``)
schedule            ``enable_timestamp`` of the next instance (by its start, else completion)
                    of the same case and activity; a schedule never followed is counted
withdraw            cancels the oldest pending schedule (counted)
assign, reassign,   no row, counted. Suspended time stays inside the start..complete interval
suspend, resume,    (the log does not say the resource was released).
autoskip,
manualskip,
pi_abort
missing value       read as complete
anything else       a LogError listing the unknown values (map them or pass lifecycle="ignore")
==================  ==============================================================================

A ``start`` that no ``complete`` closes is *unpaired*: the caller reports it (an error unless
``on_missing="drop"``). Matching is vectorised: within a group ordered by time (starts before
completes at equal times), the number of completes that found nothing open is the running
maximum of (completes - starts), floored at zero; the k-th matched complete takes the k-th
start. This is exactly the FIFO queue, without a Python loop over events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from leanproc.log import ACTIVITY, CASE, ENABLE, END, RESOURCE, START

LIFECYCLE = "lifecycle:transition"
ROW = "__row__"

_OPENING = {"start"}
_CLOSING = {"complete", "ate_abort"}
_COUNTED = {"assign", "reassign", "suspend", "resume", "autoskip", "manualskip", "pi_abort"}
_NAT = np.iinfo(np.int64).min  # numpy's and pandas' integer code for NaT
KNOWN = _OPENING | _CLOSING | _COUNTED | {"schedule", "withdraw"}


@dataclass
class Pairing:
    """The instances and what happened to the other events."""

    rows: pd.DataFrame
    unpaired_starts: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


def from_i8(values: np.ndarray, dtype: pd.DatetimeTZDtype, index: pd.Index) -> pd.Series:
    """Aware timestamps from integer ticks of ``dtype``'s unit (``_NAT`` -> NaT)."""
    naive = pd.Series(values.view(f"datetime64[{dtype.unit}]"), index=index)
    return naive.dt.tz_localize("UTC").dt.tz_convert(dtype.tz)


def transitions(series: pd.Series) -> pd.Series:
    """Lower-cased transition names; missing values read as ``complete``."""
    return series.astype("str").str.strip().str.lower().fillna("complete")


def unknown_transitions(trans: pd.Series) -> list[str]:
    """Transition values outside the XES standard lifecycle model."""
    return sorted(set(trans.unique()) - KNOWN)


def fifo_match(
    group: np.ndarray, is_open: np.ndarray, is_close: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Match closes to opens FIFO within groups; the arrays are already sorted by group, time.

    Returns (partner, open_matched): ``partner[i]`` is the position of the open matched by the
    close at position i (-1 for unmatched closes and for non-close positions), and
    ``open_matched[i]`` says whether the open at position i found a close.
    """
    n = len(group)
    partner = np.full(n, -1, dtype=np.int64)
    open_matched = np.zeros(n, dtype=bool)
    if n == 0:
        return partner, open_matched
    boundary = np.r_[True, group[1:] != group[:-1]]
    starts_at = np.flatnonzero(boundary)
    gidx = np.cumsum(boundary) - 1  # dense group number per position

    def group_cumsum(x: np.ndarray) -> np.ndarray:
        total = np.cumsum(x)
        before = (total - x)[starts_at]
        return total - before[gidx]

    n_open = group_cumsum(is_open.astype(np.int64))
    n_close = group_cumsum(is_close.astype(np.int64))
    excess = n_close - n_open
    # running maximum within groups, floored at zero: offset groups so they cannot interact
    span = np.int64(2 * n + 2)
    shifted = np.maximum(excess, 0) + gidx * span
    unmatched = np.maximum.accumulate(shifted) - gidx * span
    previous = np.r_[0, unmatched[:-1]]
    previous[starts_at] = 0
    matched_close = is_close & (unmatched == previous)
    rank = n_close - unmatched  # 1-based rank of the open a matched close takes

    open_pos = np.flatnonzero(is_open)
    first_open = np.searchsorted(gidx[open_pos], gidx)  # index into open_pos per position
    closes = np.flatnonzero(matched_close)
    partner[closes] = open_pos[first_open[closes] + rank[closes] - 1]
    open_matched[partner[closes]] = True
    return partner, open_matched


def _group_ids(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    return frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()


def pair_lifecycle(events: pd.DataFrame, trans: pd.Series) -> Pairing:
    """Merge lifecycle events (rows of ``events`` with transitions ``trans``) into instances.

    ``events`` holds the schema columns with parsed times and a ``__row__`` column that locates
    each event in the source; ``trans`` comes from :func:`transitions`.
    """
    counts: dict[str, int] = {}
    tr = trans.to_numpy()
    for name in sorted(set(tr) - {"start", "complete", "schedule"}):
        counts[name] = int((tr == name).sum())

    core = events.loc[np.isin(tr, ["start", "complete", "ate_abort"])].copy()
    core_tr = tr[np.isin(tr, ["start", "complete", "ate_abort"])]
    keys = [CASE, ACTIVITY]
    if RESOURCE in core.columns:
        # match on resource only where every start/complete of the case+activity names one
        named = core[RESOURCE].notna()
        all_named = named.groupby([core[CASE], core[ACTIVITY]], sort=False).transform("all")
        core["__res__"] = core[RESOURCE].where(all_named.to_numpy(), "")
        keys = [*keys, "__res__"]
    group = _group_ids(core, keys)
    times = core[END].array.asi8
    kind = np.where(core_tr == "start", 0, 1)
    order = np.lexsort((core[ROW].to_numpy(), kind, times, group))
    g, is_open = group[order], (core_tr == "start")[order]
    is_close = ~is_open
    partner, open_matched = fifo_match(g, is_open, is_close)

    sorted_core = core.iloc[order].reset_index(drop=True)
    close_pos = np.flatnonzero(is_close)
    rows = sorted_core.iloc[close_pos].copy()
    has_partner = partner[close_pos] >= 0
    partner_rows = sorted_core.iloc[partner[close_pos][has_partner]]
    start_i8 = np.full(len(rows), _NAT, dtype=np.int64)
    start_i8[has_partner] = partner_rows[END].array.asi8
    rows[START] = from_i8(start_i8, cast(pd.DatetimeTZDtype, core[END].dtype), rows.index)
    if RESOURCE in rows.columns:
        fill = pd.Series(pd.NA, index=rows.index, dtype=object)
        fill[has_partner] = partner_rows[RESOURCE].to_numpy()
        rows[RESOURCE] = rows[RESOURCE].fillna(fill.astype(rows[RESOURCE].dtype))
        rows = rows.drop(columns="__res__")
    aborted = core_tr[order][close_pos] == "ate_abort"
    rows = rows.loc[~aborted]
    unpaired = sorted_core.loc[is_open & ~open_matched]
    if "__res__" in unpaired.columns:
        unpaired = unpaired.drop(columns="__res__")
    counts["paired"] = int(has_partner[~aborted].sum())
    counts["complete_without_start"] = int((~has_partner[~aborted]).sum())
    counts["unpaired_start"] = len(unpaired)

    schedules = events.loc[np.isin(tr, ["schedule", "withdraw"])]
    if len(schedules) and ENABLE not in rows.columns:
        rows, counts["schedule_without_instance"] = _attach_enablement(
            rows, schedules, tr[np.isin(tr, ["schedule", "withdraw"])]
        )
        counts["enabled"] = int(rows[ENABLE].notna().sum())
    return Pairing(rows=rows.reset_index(drop=True), unpaired_starts=unpaired, counts=counts)


def _attach_enablement(
    rows: pd.DataFrame, schedules: pd.DataFrame, sched_tr: np.ndarray
) -> tuple[pd.DataFrame, int]:
    """Give each instance the oldest pending schedule of its case and activity."""
    begin = rows[START].fillna(rows[END])
    n_rows = len(rows)
    both = pd.DataFrame(
        {
            CASE: np.r_[rows[CASE].to_numpy(dtype=object), schedules[CASE].to_numpy(dtype=object)],
            ACTIVITY: np.r_[
                rows[ACTIVITY].to_numpy(dtype=object), schedules[ACTIVITY].to_numpy(dtype=object)
            ],
        }
    )
    times = np.r_[begin.array.asi8, schedules[END].array.asi8]
    # at equal times: withdraw, then schedule, then instance (a schedule can enable at once)
    kind = np.r_[np.full(n_rows, 2), np.where(sched_tr == "schedule", 1, 0)]
    group = _group_ids(both, [CASE, ACTIVITY])
    order = np.lexsort((kind, times, group))
    k = kind[order]
    # schedules open; instances and withdrawals close. Withdrawals take a schedule, no row.
    partner, open_matched = fifo_match(group[order], k == 1, k != 1)
    enable = np.full(n_rows, _NAT, dtype=np.int64)
    is_instance = np.flatnonzero(k == 2)
    with_schedule = is_instance[partner[is_instance] >= 0]
    enable[order[with_schedule]] = times[order[partner[with_schedule]]]
    rows = rows.copy()
    rows[ENABLE] = from_i8(enable, cast(pd.DatetimeTZDtype, rows[END].dtype), rows.index)
    never = int(((k == 1) & ~open_matched).sum())
    return rows, never
