"""When was an event enabled? The log's estimate, the model's, and which to trust per block.

A wait is measured from the moment the item could have been worked on. Real logs rarely
record that moment (``enable_timestamp``), so it is estimated, in one of two ways:

* from the log (`log_enablers`): the latest completion in the case at or before the event's
  start (without a start, the previous completion in the case). In a log whose events never
  overlap within a case this is the previous completion, the usual estimate;
* from the model (`leanproc.mining._replay`): the completion of the activity that handed the
  event its token. In a parallel block, an event is then not "enabled" by the other branch.

The model's answer is right only where the process really runs the branches concurrently. A
model may put tasks in parallel that the log always performs one after the other (a mined
model that saw both orders, a drawing that shows what *may* run in parallel): measured from
the model, each branch is then charged its sibling's work and wait as its own wait, and the
simulator, which runs the branches concurrently, overlaps those inflated waits.
`parallel_blocks` therefore decides per parallel (and inclusive) split, from the log's
evidence: if no case of the log ever runs two of its branches at the same time, the tasks of
its branches are measured from the log's estimate; where branches overlap, from the model.

`estimate_enable` is the log's estimate for a whole event log (in the one schema), for
comparing a real log's per-activity waits with simulated ones (`validate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leanproc.bpmn.model import Kind, ProcessModel
from leanproc.log import ARRIVAL, CASE, ENABLE, END, START
from leanproc.mining._replay import fold

__all__ = ["BLOCK_COLUMNS", "ParallelBlock", "block_evidence", "estimate_enable",
           "log_enablers", "parallel_blocks"]

_SPLITS = (Kind.PARALLEL_GATEWAY, Kind.INCLUSIVE_GATEWAY)
_TASKS = (Kind.TASK, Kind.CALL_ACTIVITY)
_NAT = np.iinfo(np.int64).min  # NaT as int64 nanoseconds
BLOCK_COLUMNS = ["gateway", "kind", "branches", "cases", "cases_with_branches",
                 "overlapping_cases", "enablement", "parallel_saving_h"]


def log_enablers(case: np.ndarray, end: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Per row, the row whose completion is the log's estimate of its enablement; -1: none.

    Rows must be sorted by case (contiguous) and completion. `end` and `start` are int64
    nanoseconds, `start` NaT (int64 min) where unknown. The enabler is the latest completion of
    an earlier row of the same case at or before the row's start; a row without a start takes
    the previous row of its case.
    """
    n = len(case)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes = pd.factorize(case)[0]  # ascending, the cases being contiguous
    query = np.where(start == _NAT, end, start)
    # Count, per row, the completions of its case at or before its query instant: sort the
    # completions and the queries together (a completion before a query at the same instant)
    # and count completions cumulatively.
    order = np.lexsort((np.r_[np.zeros(n), np.ones(n)], np.r_[end, query], np.r_[codes, codes]))
    is_end = order < n
    ends_so_far = np.cumsum(is_end)
    counted = np.empty(n, dtype=np.int64)
    counted[order[~is_end] - n] = ends_so_far[~is_end]
    rows = np.arange(n)
    enabler = np.minimum(counted - 1, rows - 1)  # an earlier row, never the row itself
    first = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1]  # each case's first row
    enabler[enabler < first[codes]] = -1
    return enabler


def estimate_enable(log: pd.DataFrame) -> pd.Series:
    """The log's estimate of each completed row's enablement (`log_enablers`), in the log's
    order and time zone: the completion of the enabling row, else the case's first instant
    (its earliest arrival, start or completion). NaT for rows without a completion."""
    def ns(column: str) -> np.ndarray:
        if column not in log.columns:
            return np.full(len(log), _NAT, dtype=np.int64)
        return np.asarray(pd.DatetimeIndex(pd.to_datetime(log[column])).as_unit("ns").asi8)

    end_all = ns(END)
    done = end_all != _NAT
    frame = pd.DataFrame({"case": log[CASE].astype(str).to_numpy()[done], "end": end_all[done],
                          "start": ns(START)[done], "pos": np.flatnonzero(done)})
    # the order of calibration's rows: by case, completion, start (unknown starts last)
    frame["order"] = np.where(frame["start"] == _NAT, np.iinfo(np.int64).max, frame["start"])
    frame = frame.sort_values(["case", "end", "order"], kind="stable").reset_index(drop=True)
    end_ns, start_ns = frame["end"].to_numpy(), frame["start"].to_numpy()
    enabler = log_enablers(frame["case"].to_numpy(), end_ns, start_ns)
    # the case's first instant, as calibration's case start: its arrival, else its earliest
    # start or completion
    first = pd.Series(np.where(start_ns == _NAT, end_ns, np.minimum(start_ns, end_ns)))
    case_first = first.groupby(frame["case"].to_numpy()).transform("min").to_numpy()
    if ARRIVAL in log.columns:
        arrival = ns(ARRIVAL)[frame["pos"].to_numpy()]
        known = pd.Series(np.where(arrival == _NAT, np.iinfo(np.int64).max, arrival))
        by_case = known.groupby(frame["case"].to_numpy()).transform("min").to_numpy()
        case_first = np.where(by_case == np.iinfo(np.int64).max, case_first, by_case)
    value = np.where(enabler >= 0, end_ns[np.maximum(enabler, 0)], case_first)
    out = np.full(len(log), _NAT, dtype=np.int64)
    out[frame["pos"].to_numpy()] = value
    tz = pd.to_datetime(log[END]).dt.tz
    times = pd.DatetimeIndex(out.view("datetime64[ns]"), tz="UTC")
    return pd.Series(times.tz_convert(tz) if tz is not None else times.tz_localize(None),
                     index=log.index, name=ENABLE)


# ---- parallel blocks -------------------------------------------------------------------------

@dataclass(frozen=True)
class ParallelBlock:
    """A parallel or inclusive split and, per outgoing branch, the tasks (folded names) that
    only that branch reaches before the branches meet again."""

    gateway: str
    label: str
    kind: str
    branches: tuple[frozenset[str], ...]


def parallel_blocks(model: ProcessModel) -> list[ParallelBlock]:
    """The model's parallel and inclusive splits with at least two branches that hold tasks.

    A branch's tasks are those reachable from its outgoing flow (without passing through the
    split again) that no other branch reaches: what follows the join is reachable from every
    branch and belongs to none, and a loop around the whole block passes through the split.
    In an unstructured model a task reached from two branches belongs to neither (it is then
    measured from the model, as before)."""
    out = []
    for node in model.gateways:
        if node.kind not in _SPLITS or len(node.outgoing) < 2:
            continue
        reached = [_tasks_from(model, f, avoid=node.id) for f in node.outgoing
                   if f in model.flows]
        own = []
        for i, tasks in enumerate(reached):
            others: set[str] = set().union(*(r for j, r in enumerate(reached) if j != i))
            if tasks - others:
                own.append(frozenset(tasks - others))
        if len(own) >= 2:
            out.append(ParallelBlock(node.id, node.label,
                                     "parallel" if node.kind == Kind.PARALLEL_GATEWAY
                                     else "inclusive", tuple(own)))
    return out


def _tasks_from(model: ProcessModel, flow: str, *, avoid: str) -> set[str]:
    """Folded names of the tasks reachable from `flow` without passing through `avoid`."""
    seen: set[str] = set()
    tasks: set[str] = set()
    todo = [model.flows[flow].target]
    while todo:
        nid = todo.pop()
        if nid in seen or nid == avoid or nid not in model.nodes:
            continue
        seen.add(nid)
        node = model.nodes[nid]
        if node.kind in _TASKS and node.name:
            tasks.add(fold(node.name))
        todo.extend(model.flows[f].target for f in node.outgoing if f in model.flows)
    return tasks


def block_evidence(frame: pd.DataFrame, blocks: Iterable[ParallelBlock],
                   enabler: np.ndarray) -> pd.DataFrame:
    """Per block, how the log runs its branches (`BLOCK_COLUMNS`).

    `frame` is calibration's (``case``, ``key``, ``start``, ``end``; sorted by case and
    completion) and `enabler` the log's enablers (`log_enablers`). ``cases``: cases with a
    task of the block; ``cases_with_branches``: with tasks of two branches or more;
    ``overlapping_cases``: where two events of different branches overlap in time (start of
    one before the completion of the other, both ways); ``enablement``: ``previous`` when no
    case overlaps, else ``model``; ``parallel_saving_h``: the mean hours per case (over all
    the log's cases) by which running the branches concurrently shortens a case, as the log
    times them: per case, the sum of the branches' times less the longest, a branch's time
    being its events' time from the log's enablement to completion (clock hours).
    """
    rows = []
    n_cases = frame["case"].nunique()
    end = pd.DatetimeIndex(frame["end"]).as_unit("ns").asi8
    start = pd.DatetimeIndex(frame["start"].fillna(frame["end"])).as_unit("ns").asi8
    begin = np.where(enabler >= 0, end[np.maximum(enabler, 0)], start)
    for block in blocks:
        branch = np.full(len(frame), -1)
        for k, keys in enumerate(block.branches):
            branch[frame["key"].isin(keys).to_numpy()] = k
        inside = branch >= 0
        part = pd.DataFrame({"case": frame["case"].to_numpy()[inside], "branch": branch[inside],
                             "start": start[inside], "end": end[inside],
                             "hours": (end[inside] - begin[inside]) / 3.6e12})
        per_case = part.groupby("case")["branch"].nunique()
        several = per_case[per_case >= 2].index
        overlapping = _overlapping_cases(part[part["case"].isin(several)])
        times = (part[part["case"].isin(several)]
                 .groupby(["case", "branch"])["hours"].sum().groupby(level="case"))
        saving = float((times.sum() - times.max()).sum()) / n_cases if n_cases else 0.0
        rows.append({"gateway": block.label, "kind": block.kind,
                     "branches": " | ".join(", ".join(sorted(b)) for b in block.branches),
                     "cases": len(per_case), "cases_with_branches": len(several),
                     "overlapping_cases": overlapping,
                     "enablement": "model" if overlapping else "previous",
                     "parallel_saving_h": saving})
    return pd.DataFrame(rows, columns=BLOCK_COLUMNS)


def _overlapping_cases(part: pd.DataFrame) -> int:
    """Cases in which an event of one branch starts before an event of another branch that
    started no later has completed."""
    if part.empty:
        return 0
    part = part.sort_values(["case", "start", "end"], kind="stable").reset_index(drop=True)
    case, branch = part["case"], part["branch"].to_numpy()
    start = part["start"].to_numpy()
    overlap = np.zeros(len(part), dtype=bool)
    for k in np.unique(branch):
        # per row, the latest completion of branch k among the earlier rows of its case
        ends_k = pd.Series(np.where(branch == k, part["end"].to_numpy(), _NAT))
        latest = ends_k.groupby(case).cummax().groupby(case).shift(fill_value=_NAT)
        overlap |= (branch != k) & (latest.to_numpy() > start)
    return int(case[overlap].nunique())
