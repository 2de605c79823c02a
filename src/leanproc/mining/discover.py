"""``discover(log)``: a process model mined from an event log, as a leanproc `ProcessModel`.

Steps:

1. Filter (`_discover_filter`): activities seen in fewer than ``min_activity_share`` of the
   cases (default 1 %) are removed, then (``drop_chaotic``) activities recorded at any point
   of a case (directly next to more than max(60, half the other) activities: only logs of
   over 60 activities can have them), then variants beyond ``variant_coverage`` of the
   cases (default 1.0: all kept). What was left out is listed in the model's ``notes``.
2. Mine: pm4py's inductive miner finds a block-structured process tree that replays every
   trace of the filtered log (at ``noise_threshold=0``). On logs of many activities whose
   order is loose, its fall-throughs can take hours; a log of more than 60 activities is
   therefore mined in a child process that is stopped after ``time_budget`` seconds of
   processor time (default 60), and the tree is then mined without fall-throughs
   (seconds: the parts where no block is found become "any of these, in any order" loops),
   which the notes say. Smaller logs (every corpus log has at most 27 activities, mined in
   seconds) are mined in this process.
3. Build (`_discover_tree`): the tree is made canonical and built as BPMN with ids derived
   from its content, so the same log gives the same model, byte for byte, in every process;
   laid out with leanproc's automatic layout.

The result binds to a `calibrate`d scenario and simulates:
``simulate(calibrate(m := discover(log), log).scenario, m)``.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.errors import LogError
from leanproc.inputs import as_log
from leanproc.log import ACTIVITY, CASE, END
from leanproc.mining._discover_filter import filter_log
from leanproc.mining._discover_tree import Tree, canonical_tree, tree_model

__all__ = ["discover", "to_pm4py_frame"]

# Logs with more activities than this are mined in a child process under the time budget.
# Below it the miner takes seconds at most, and a child process would cost more (it imports
# pm4py again) than it could save.
_IN_PROCESS_ACTIVITIES = 60


def to_pm4py_frame(log: pd.DataFrame) -> pd.DataFrame:
    """The three columns pm4py needs, with text names and UTC times (pm4py's own convention)."""
    missing = [c for c in (CASE, ACTIVITY, END) if c not in log.columns]
    if missing:
        raise LogError(f"the log lacks the column(s) {missing}: read it with read_log(...)",
                       source="mining")
    frame = pd.DataFrame({
        CASE: log[CASE].astype(str).to_numpy(),
        ACTIVITY: log[ACTIVITY].astype(str).to_numpy(),
        END: pd.to_datetime(log[END], utc=True).to_numpy(),
    })
    frame = frame[frame[END].notna()]
    if frame.empty:
        raise LogError("the log has no completed events", source="mining")
    # sorted by case and time; events at the same instant keep the log's own order (a stable
    # sort, the same in every run): with dates only, that order is all the log says of their
    # sequence, and sorting ties by name would invent concurrency (road traffic: "Send Fine"
    # and "Insert Fine Notification" came out parallel, and 3-gram distance doubled)
    return frame.sort_values([CASE, END], kind="stable").reset_index(drop=True)


def discover(log: Any, *, noise_threshold: float = 0.0, min_activity_share: float = 0.01,
             variant_coverage: float = 1.0, drop_chaotic: bool = True,
             time_budget: float | None = 60.0,
             name: str | None = None, layout: bool = True) -> ProcessModel:
    """Mine a BPMN model from `log` (module docstring: filter, mine, build).

    Args:
        log: an event log in the one schema, or a log file path (README, "API conventions").
        noise_threshold: the miner's infrequent-behaviour filter (0 keeps every trace of the
            filtered log replayable; 0.2 gives a simpler model that some traces do not fit).
        min_activity_share: activities in fewer than this share of the cases are left out
            (0 keeps every activity).
        variant_coverage: keep the most frequent variants up to this share of the cases (1.0
            keeps all).
        drop_chaotic: leave out activities recorded at any point of a case (module
            docstring).
        time_budget: processor seconds the full miner may take on a log of over 60 activities
            before the model is mined without fall-throughs (None: no limit).
        name: the process name written into the model.
        layout: give the model diagram coordinates (leanproc's automatic layout).

    Returns:
        The model; its ``notes`` say what was left out (activities, variants, share of events)
        and how it was mined.
    """
    if not 0.0 <= noise_threshold < 1.0:
        raise ValueError(f"noise_threshold={noise_threshold!r}: give a value in [0, 1)")
    if time_budget is not None and time_budget <= 0:
        raise ValueError(f"time_budget={time_budget!r}: give seconds > 0, or None for no limit")
    frame = to_pm4py_frame(as_log(log, caller="discover"))
    kept = filter_log(frame, min_activity_share=min_activity_share,
                      variant_coverage=variant_coverage, drop_chaotic=drop_chaotic)
    if kept.frame.empty:
        raise LogError(f"discover: the filters left no events (min_activity_share="
                       f"{min_activity_share}, variant_coverage={variant_coverage}): lower them",
                       source="mining")
    tree, how = _mine_within(kept.frame, noise_threshold, time_budget)
    model = tree_model(tree, name=name or "discovered process", layout=layout)
    notes = (*kept.notes(), how)
    return dataclasses.replace(model, notes=(*model.notes, *notes))


def _mine_within(frame: pd.DataFrame, noise: float, budget: float | None) -> tuple[Tree, str]:
    """The canonical tree, mined in a child process stopped after `budget` seconds when the
    log is large; and a note saying how it was mined."""
    activities = frame[ACTIVITY].nunique()
    miner = f"inductive miner (noise_threshold={noise:g})"
    if budget is None or activities <= _IN_PROCESS_ACTIVITIES:
        return mine_tree(frame, noise, False), f"discover: {miner}, {activities} activities"
    tree, used = _in_child(frame, noise, budget)
    if tree is not None:
        return tree, f"discover: {miner}, {activities} activities, {used:.0f} processor s"
    return mine_tree(frame, noise, True), (
        f"discover: the {miner} did not finish within time_budget={budget:g} processor s on "
        f"{activities} activities; mined without fall-throughs instead: where no block "
        f"structure was found, the model lets those activities happen any number of times in "
        f"any order (raise time_budget, or min_activity_share, for more structure)")


def _in_child(frame: pd.DataFrame, noise: float, budget: float) -> tuple[Tree | None, float]:
    """`mine_tree` in a child interpreter (`_discover_child`), stopped once it has used
    `budget` seconds of processor time (wall time where the system does not say): the tree,
    or None; and the seconds used.

    Processor time, not wall time, so that a busy machine (other jobs sharing the cores) does
    not change which model a log gives.
    """
    import leanproc

    with tempfile.TemporaryDirectory(prefix="leanproc-discover-") as folder:
        source, target = Path(folder) / "frame.pickle", Path(folder) / "tree.pickle"
        with open(source, "wb") as fh:
            pickle.dump(frame, fh)
        # the child finds this leanproc first, however the caller found it
        package_root = str(Path(leanproc.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "leanproc.mining._discover_child", str(source), str(target),
             repr(noise)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        used = 0.0
        try:
            while child.poll() is None:
                cpu = _cpu_seconds(child.pid)
                used = cpu if cpu is not None else time.perf_counter() - t0
                if used > budget:
                    return None, used
                time.sleep(0.2)
        finally:
            if child.poll() is None:
                child.kill()
            _, err = child.communicate()
        if child.returncode != 0 or not target.exists():
            raise RuntimeError(f"the inductive miner's process failed: "
                               f"{err.decode(errors='replace')[-2000:]}")
        with open(target, "rb") as fh:
            return pickle.load(fh), used  # written by our own child above


def _cpu_seconds(pid: int | None) -> float | None:
    """Processor seconds a running process has used (Linux ``/proc``), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def mine_tree(frame: pd.DataFrame, noise: float, no_fallthroughs: bool) -> Tree:
    """pm4py's inductive miner on `frame`, as a canonical `Tree` (plain data, so that it
    returns from a child process)."""
    import pm4py

    found = pm4py.discover_process_tree_inductive(frame, noise_threshold=noise,
                                                  disable_fallthroughs=no_fallthroughs)
    return canonical_tree(found)
