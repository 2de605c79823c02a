"""``conformance(model, log)``: how well a log follows a model, through pm4py.

The model goes to pm4py the honest way: leanproc writes it as BPMN XML, pm4py reads that file
and translates it into a Petri net (`pm4py.convert_to_petri_net`), so the net is pm4py's own
reading of exactly what an analyst would hand over. Log activities are matched to task names
with spaces and case folded, as the scenario binder matches names.

``method="token_replay"`` (default, fast): pm4py's token-based replay; fitness is pm4py's
``0.5 (1 - missing / consumed) + 0.5 (1 - remaining / produced)`` over the whole log, a case fits
when it replays with no missing and no remaining token, and each activity's deviations are the
replays in which firing it needed a token that was not there (``missing``: the activity happened
when the model did not allow it). ``method="alignments"`` (exact, slow on large models: use it
on small logs or simple models): pm4py's optimal alignments; fitness is one minus the total
alignment cost over the total worst-case cost, a case fits at cost zero, and each activity's
deviations are log moves (done but not allowed) and model moves (required but not done).

Either way the report names the activities seen in the log but absent from the model and
vice versa, and gives the share of cases that fit: for a TO-BE model and a post-change log,
the share of cases that follow the new process.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from leanproc.bpmn.model import Kind, ProcessModel
from leanproc.inputs import as_log, as_model
from leanproc.log import ACTIVITY, CASE
from leanproc.mining._replay import fold
from leanproc.mining.discover import to_pm4py_frame

__all__ = ["ConformanceReport", "conformance"]


@dataclass
class ConformanceReport:
    """Fitness of a log against a model, per case and per activity.

    `activities` has one row per activity of the log or the model: ``activity``, ``in_log``,
    ``in_model``, ``count`` (events in the log), ``deviations`` (token replay: replays with a
    missing token at this activity; alignments: log moves + model moves), ``log_moves``,
    ``model_moves`` (alignments only), ``missing_tokens`` (token replay only).
    """

    method: str
    fitness: float
    fitting_share: float
    cases: int
    per_case: pd.DataFrame = field(repr=False)
    activities: pd.DataFrame = field(repr=False)
    log_only: list[str] = field(default_factory=list)
    model_only: list[str] = field(default_factory=list)

    def deviating(self, top: int = 10) -> pd.DataFrame:
        """The activities with the most deviations."""
        table = self.activities[self.activities["deviations"] > 0]
        return table.sort_values("deviations", ascending=False).head(top)

    def __str__(self) -> str:
        lines = [f"conformance ({self.method}): fitness {self.fitness:.4f}, "
                 f"{self.fitting_share:.1%} of {self.cases} cases fit"]
        if self.log_only:
            lines.append(f"  in the log, not in the model: {', '.join(self.log_only)}")
        if self.model_only:
            lines.append(f"  in the model, never in the log: {', '.join(self.model_only)}")
        for row in self.deviating().to_dict("records"):
            lines.append(f"  {row['activity']}: {int(row['deviations'])} deviation(s)")
        return "\n".join(lines)


def _petri_net(model: ProcessModel) -> tuple[Any, Any, Any]:
    import pm4py

    from leanproc.bpmn.writer import write_bpmn

    fd, path = tempfile.mkstemp(suffix=".bpmn")
    os.close(fd)
    try:
        write_bpmn(model, path)
        bpmn = pm4py.read_bpmn(path)
    finally:
        os.unlink(path)
    return pm4py.convert_to_petri_net(bpmn)


def conformance(model: Any, log: Any, *, method: str = "token_replay") -> ConformanceReport:
    """Fitness of `log` against `model` (see the module docstring).

    `model` is a BPMN path or a `ProcessModel`, `log` a log file path or a DataFrame in the
    log schema (README, "API conventions").

    Raises:
        ValueError: an unknown `method`.
        LogError: a log without the schema's columns or without completed events.
    """
    if method not in ("token_replay", "alignments"):
        raise ValueError(f"method={method!r}: use 'token_replay' or 'alignments'")
    model = as_model(model, caller="conformance")
    frame = to_pm4py_frame(as_log(log, caller="conformance"))
    names = {fold(n.name): n.name for n in model.activities
             if n.kind in (Kind.TASK, Kind.CALL_ACTIVITY) and n.name}
    frame[ACTIVITY] = frame[ACTIVITY].map(lambda a: names.get(fold(a), a))
    counts = frame[ACTIVITY].value_counts()
    log_only = sorted(set(counts.index) - set(names.values()))
    model_only = sorted(set(names.values()) - set(counts.index))
    net, im, fm = _petri_net(model)
    cases = frame.groupby(CASE, sort=False).size().index
    if method == "token_replay":
        per_case, per_activity, fitness = _token_replay(frame, net, im, fm)
    else:
        per_case, per_activity, fitness = _alignments(frame, net, im, fm)
    per_case.insert(0, CASE, cases[: len(per_case)])
    rows = []
    for activity in sorted(set(counts.index) | set(names.values())):
        dev = per_activity.get(activity, {})
        row = {"activity": activity, "in_log": activity in counts.index,
               "in_model": activity in names.values(), "count": int(counts.get(activity, 0))}
        row.update(dev)
        if not row["in_model"]:  # every occurrence of an unknown activity deviates
            row["deviations"] = row["count"]
        row.setdefault("deviations", 0)
        rows.append(row)
    activities = pd.DataFrame(rows).fillna(0)
    fitting = float(per_case["fits"].mean()) if len(per_case) else math.nan
    return ConformanceReport(method, fitness, fitting, len(per_case), per_case, activities,
                             log_only, model_only)


def _token_replay(frame: pd.DataFrame, net: Any, im: Any,
                  fm: Any) -> tuple[pd.DataFrame, dict[str, dict[str, int]], float]:
    from pm4py.algo.conformance.tokenreplay import algorithm as tbr

    results = tbr.apply(frame, net, im, fm, parameters={"show_progress_bar": False})
    per_case = pd.DataFrame({
        "fitness": [r["trace_fitness"] for r in results],
        "fits": [bool(r["trace_is_fit"]) for r in results],
        "missing_tokens": [r["missing_tokens"] for r in results],
        "remaining_tokens": [r["remaining_tokens"] for r in results],
    })
    per_activity: dict[str, dict[str, int]] = {}
    for r in results:
        for t in r["transitions_with_problems"]:
            if t.label is None:
                continue
            entry = per_activity.setdefault(t.label, {"deviations": 0, "missing_tokens": 0})
            entry["deviations"] += 1
            entry["missing_tokens"] += 1
    missing = sum(r["missing_tokens"] for r in results)
    consumed = sum(r["consumed_tokens"] for r in results)
    remaining = sum(r["remaining_tokens"] for r in results)
    produced = sum(r["produced_tokens"] for r in results)
    fitness = (0.5 * (1 - missing / consumed if consumed else 1.0)
               + 0.5 * (1 - remaining / produced if produced else 1.0))
    return per_case, per_activity, fitness


def _alignments(frame: pd.DataFrame, net: Any, im: Any,
                fm: Any) -> tuple[pd.DataFrame, dict[str, dict[str, int]], float]:
    from pm4py.algo.conformance.alignments.petri_net import algorithm as align
    from pm4py.objects.petri_net.utils import align_utils

    results = align.apply(frame, net, im, fm, parameters={"show_progress_bar": False})
    per_activity: dict[str, dict[str, int]] = {}

    def bump(activity: str, key: str) -> None:
        entry = per_activity.setdefault(activity, {"deviations": 0, "log_moves": 0,
                                                   "model_moves": 0})
        entry[key] += 1
        entry["deviations"] += 1

    for r in results:
        for log_label, model_label in r["alignment"]:
            if model_label == ">>" and log_label != ">>":
                bump(log_label, "log_moves")
            elif log_label == ">>" and model_label not in (">>", None):
                bump(model_label, "model_moves")
    # pm4py prices a log or model move at 10 000 and a silent step at 1: whole multiples of
    # the move cost are the deviations, the remainder is silent steps, which do not deviate
    move = align_utils.STD_MODEL_LOG_MOVE_COST
    per_case = pd.DataFrame({
        "fitness": [r["fitness"] for r in results],
        "fits": [r["cost"] < move for r in results],
        "cost": [r["cost"] // move for r in results],
    })
    worst = sum(r.get("bwc", 0) // move for r in results)
    cost = int(per_case["cost"].sum())
    fitness = 1.0 - cost / worst if worst else float(per_case["fitness"].mean())
    return per_case, per_activity, fitness
