"""Calibration's first steps: the log in calibration's own columns, the model's tasks matched to
its activities, case starts, the replay, and which completion enabled each event.

Each step is a function of what it needs that returns a frozen result; `calibrate` chains them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leanproc.bpmn.model import Activity, Kind, ProcessModel
from leanproc.errors import LogError
from leanproc.kpi.inputs import case_start_series
from leanproc.log import ACTIVITY, ARRIVAL, CASE, ENABLE, END, RESOURCE, ROLE, START
from leanproc.mining._enablement import (
    BLOCK_COLUMNS,
    block_evidence,
    log_enablers,
    parallel_blocks,
)
from leanproc.mining._interleave import interleaved_splits
from leanproc.mining._replay import Replayer, fold

__all__ = ["Enablement", "Events", "ReplayFit", "TaskMatch", "case_starts", "enable_times",
           "enablement_of", "match_tasks", "prepare_events", "replay_log"]


@dataclass(frozen=True)
class Events:
    """The log's completed events, one row each, sorted by case, completion and start.

    `frame` columns: ``case``, ``activity``, ``end``, ``start``, ``enable``, ``arrival``
    (times in `tz`, NaT where the log has none), ``resource``, ``role``, ``key`` (the
    activity name folded for matching) and ``row`` (the row's position in the log).
    """

    frame: pd.DataFrame
    tz: str
    has_start: bool
    has_resource: bool
    has_role: bool


@dataclass(frozen=True)
class TaskMatch:
    """Model tasks by folded name, and notes on names found on one side only."""

    tasks: dict[str, list[Activity]]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReplayFit:
    """Per row, the row whose completion handed the event its token in the replay (-1: the
    case start); per (split, flow), how often it was taken."""

    enabled_by: np.ndarray
    chosen: Counter[tuple[str, str]]
    # cases, variants, fitting_share (cases replayed without deviation), event_share (events
    # replayed in a completed search), given_up (cases whose search ran out of budget)
    summary: dict[str, Any]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Enablement:
    """Per row, the instant the event was enabled; the model's parallel blocks as the log runs
    them (`_enablement.BLOCK_COLUMNS`)."""

    enable: pd.Series
    blocks: pd.DataFrame
    notes: tuple[str, ...]
    interleaved: tuple[str, ...] = ()  # the splits the scenario interleaves (`_interleave`)


def zone_name(tz: Any) -> str:
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


def prepare_events(log: pd.DataFrame, timezone: str | None) -> Events:
    """The completed events of `log` (already in the log schema) in calibration's columns."""
    df = log[log[END].notna()]
    if df.empty:
        raise LogError("the log has no completed events to calibrate from",
                       source="calibrate")
    end = pd.to_datetime(df[END])
    if end.dt.tz is None:
        raise LogError(f"{END} is not timezone-aware: read the log with read_log(..., "
                       f"timezone=...)", source="calibrate")
    tz = timezone or zone_name(end.dt.tz)
    out = pd.DataFrame({
        "case": df[CASE].astype(str).to_numpy(),
        "activity": df[ACTIVITY].astype(str).to_numpy(),
    })
    out["end"] = pd.DatetimeIndex(end).tz_convert(tz).as_unit("ns")
    for col, key in ((START, "start"), (ENABLE, "enable"), (ARRIVAL, "arrival")):
        if col in df.columns and df[col].notna().any():
            out[key] = pd.DatetimeIndex(pd.to_datetime(df[col])).tz_convert(tz).as_unit("ns")
        else:
            out[key] = pd.Series(pd.NaT, index=out.index, dtype=out["end"].dtype)
    for col, key in ((RESOURCE, "resource"), (ROLE, "role")):
        out[key] = df[col].astype(object).where(df[col].notna(), None).to_numpy() \
            if col in df.columns else None
    out["key"] = out["activity"].map(fold)
    out["row"] = np.flatnonzero(log[END].notna().to_numpy())  # position in `log`
    out = out.sort_values(["case", "end", "start"], kind="stable").reset_index(drop=True)
    return Events(frame=out, tz=tz, has_start=bool(out["start"].notna().any()),
                  has_resource=RESOURCE in df.columns and bool(out["resource"].notna().any()),
                  has_role=ROLE in df.columns)


def _listed(names: list[str]) -> str:
    return ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")


def match_tasks(model: ProcessModel, frame: pd.DataFrame) -> TaskMatch:
    """The model's named tasks and call activities by folded name, with notes on log
    activities the model lacks and model tasks the log never shows."""
    tasks: dict[str, list[Activity]] = {}
    for node in model.activities:
        if node.kind in (Kind.TASK, Kind.CALL_ACTIVITY) and node.name:
            tasks.setdefault(fold(node.name), []).append(node)
    keys = set(frame["key"])
    only_log = sorted({a for a, k in zip(frame["activity"], frame["key"], strict=True)
                       if k not in tasks})
    only_model = sorted({n.name or n.id for k, nodes in tasks.items() if k not in keys
                         for n in nodes})
    notes = []
    if only_log:
        notes.append(f"log activities not in the model (not simulated): {_listed(only_log)}")
    if only_model:
        notes.append(f"model activities never seen in the log (duration 0, no resource): "
                     f"{_listed(only_model)}")
    return TaskMatch(tasks=tasks, notes=tuple(notes))


def case_starts(frame: pd.DataFrame) -> pd.Series:
    """Per case, when it started: its earliest instant, by the KPIs' rule
    (`leanproc.kpi.inputs.case_starts`), so arrivals are fitted to the starts the KPIs of the
    real and the simulated log both count from."""
    return case_start_series(frame, {CASE: "case", ARRIVAL: "arrival", ENABLE: "enable",
                                     START: "start", END: "end"})


def replay_log(model: ProcessModel, frame: pd.DataFrame) -> ReplayFit:
    """Replay each trace variant on `model`: per row the row that handed it its token, and the
    choices taken at splits."""
    replayer = Replayer(model)
    notes = list(replayer.notes)
    traces = frame.groupby("case", sort=False)["key"].agg(tuple)
    cache: dict[tuple[str, ...], Any] = {}
    enabled_by = np.full(len(frame), -1, dtype=np.int64)
    offsets = frame.groupby("case", sort=False).indices
    chosen: Counter[tuple[str, str]] = Counter()
    fitting = given_up = replayed_events = 0
    for case, trace in traces.items():
        res = cache.get(trace)
        if res is None:
            res = cache[trace] = replayer.replay(trace)
        rows = offsets[case]
        eb = np.asarray(res.enabled_by, dtype=np.int64)
        enabled_by[rows] = np.where(eb >= 0, rows[np.maximum(eb, 0)], -1)
        if res.ok:
            for k, c in res.chosen.items():
                chosen[k] += c
        fitting += res.fits
        given_up += not res.ok
        replayed_events += len(trace) - len(res.log_moves) if res.ok else 0
    if given_up:
        notes.append(f"{given_up} case(s) could not be replayed on the model within the search "
                     f"budget: their choices are not counted")
    n = len(traces)
    summary = {"cases": n, "variants": len(cache), "fitting_share": fitting / n if n else 0.0,
               "event_share": replayed_events / len(frame) if len(frame) else 0.0,
               "given_up": given_up}
    return ReplayFit(enabled_by=enabled_by, chosen=chosen, summary=summary, notes=tuple(notes))


def enablement_of(model: ProcessModel, frame: pd.DataFrame, starts: pd.Series,
                  model_enablers: np.ndarray, *, mode: str, has_start: bool,
                  interleave: str = "auto") -> Enablement:
    """When each row was enabled, as `mode` says (``auto``, ``model``, ``previous``; the rules
    are in `calibrate`'s docstring and `_enablement`), what the log shows of the model's
    parallel blocks, and (`interleave` ``auto``) which of them to interleave (`_interleave`):
    only blocks measured from the log's enabler, since a wait measured from the split already
    holds the siblings' time."""
    end = pd.DatetimeIndex(frame["end"]).as_unit("ns").asi8
    start = pd.DatetimeIndex(frame["start"]).as_unit("ns").asi8
    from_log = log_enablers(frame["case"].to_numpy(), end, start)
    blocks = parallel_blocks(model)
    notes: list[str] = []
    table = pd.DataFrame(columns=BLOCK_COLUMNS)
    if has_start:
        table = block_evidence(frame, blocks, from_log)
    elif blocks and mode != "model":
        notes.append(f"{len(blocks)} parallel block(s) in the model: without start times the "
                     f"log cannot show whether their branches run concurrently; waits are "
                     f"measured from the previous completion in the case")
    if mode == "previous" or (mode == "auto" and not has_start):
        rows = from_log
    else:
        rows = model_enablers.copy()
        if mode == "auto":
            sequential = [b for b, how in zip(blocks, table["enablement"], strict=True)
                          if how == "previous"]
            keys = set().union(*(set().union(*b.branches) for b in sequential))
            in_block = frame["key"].isin(keys).to_numpy()
            rows[in_block] = from_log[in_block]
    woven: dict[str, str] = {}
    if interleave == "auto" and mode != "model" and has_start:
        woven, why_not = interleaved_splits(model, blocks, table)
        notes += why_not
    # the table has a row per block with start times, none without
    evidence = zip(blocks, table.to_dict("records"), strict=True) if has_start else iter(())
    for block, r in evidence:
        if r["enablement"] != "previous" or not r["cases_with_branches"]:
            continue
        how = ("measured from the model as asked, so each branch's wait includes its "
               "siblings' time" if mode == "model" else
               "their waits are measured from the previous completion in the case")
        then = (f"The scenario interleaves them (gateways: {{{block.gateway}: {{interleave: "
                f"true}}}}): the simulation works the block's tasks of a case one at a time, "
                f"as the log does, instead of side by side (about "
                f"{r['parallel_saving_h']:.3g} h per case shorter)"
                if block.gateway in woven else
                f"The simulation runs them in parallel, about {r['parallel_saving_h']:.3g} h "
                f"per case shorter than the log: interleave the split (gateways: "
                f"{{{block.gateway}: {{interleave: true}}}}) to follow it")
        notes.append(f"parallel block {r['gateway']} ({r['kind']}): its branches [{r['branches']}] "
                     f"never overlap in the {r['cases_with_branches']} case(s) that run several "
                     f"of them; the log performs them one after the other and {how}. {then}")
    enable = frame["case"].map(starts)
    has = rows >= 0
    enable[has] = frame["end"].to_numpy()[rows[has]]
    # The simulator enables an activity when the token arrives, i.e. at the completion that
    # the replay names; a later enable_timestamp in the log is waiting the model does not
    # explain, so it is measured (as wait) rather than taken as given. An enablement can never
    # follow the completion it precedes.
    enable = enable.where(enable <= frame["end"], frame["end"])
    return Enablement(enable=enable, blocks=table, notes=tuple(notes), interleaved=tuple(woven))


def enable_times(model: ProcessModel, log: pd.DataFrame, *, mode: str = "auto",
                 timezone: str | None = None) -> pd.Series:
    """Calibration's enablement of every completed row of `log` (in the log schema), in the
    log's order and zone `timezone` (default: the log's); NaT for rows without a completion.
    What a real log's waits are when they are compared with a simulation calibrated from it.
    """
    events = prepare_events(log, timezone)
    replay = replay_log(model, events.frame)
    enabled = enablement_of(model, events.frame, case_starts(events.frame), replay.enabled_by,
                            mode=mode, has_start=events.has_start)
    out = pd.Series(pd.NaT, index=log.index, dtype=enabled.enable.dtype, name=ENABLE)
    out.iloc[events.frame["row"].to_numpy()] = enabled.enable.to_numpy()
    return out
