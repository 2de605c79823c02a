"""``discover(log)``: a process model mined from an event log, as a leanproc `ProcessModel`.

pm4py's inductive miner (`pm4py.discover_bpmn_inductive`) finds a block-structured model that
replays every trace of the log (at ``noise_threshold=0``); its BPMN object is serialised with
pm4py's own exporter, read back with leanproc's reader (so the result is exactly what reading
the file would give), and laid out with leanproc's automatic layout, since pm4py's export
carries no diagram unless graphviz is installed. The result binds to a `calibrate`d scenario
and simulates: ``simulate(calibrate(m := discover(log), log).scenario, m)``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pandas as pd

from leanproc.bpmn.model import ProcessModel
from leanproc.errors import LogError
from leanproc.inputs import as_log
from leanproc.log import ACTIVITY, CASE, END

__all__ = ["discover", "to_pm4py_frame"]


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
    return frame.sort_values([CASE, END], kind="stable").reset_index(drop=True)


def discover(log: Any, *, noise_threshold: float = 0.0, name: str | None = None,
             layout: bool = True) -> ProcessModel:
    """Mine a BPMN model from `log` with pm4py's inductive miner.

    Args:
        log: an event log in the one schema, or a log file path (README, "API conventions").
        noise_threshold: the miner's infrequent-behaviour filter (0 keeps every trace
            replayable; 0.2 gives a simpler model that some traces do not fit).
        name: the process name written into the model.
        layout: give the model diagram coordinates (leanproc's automatic layout).
    """
    import pm4py

    from leanproc.bpmn.reader import read_bpmn

    frame = to_pm4py_frame(as_log(log, caller="discover"))
    bpmn = pm4py.discover_bpmn_inductive(frame, noise_threshold=noise_threshold)
    if name:
        bpmn.set_name(name)
    data = _export(bpmn)
    model = read_bpmn(data)
    if layout:
        from leanproc.bpmn.layout import layout_model

        model = layout_model(model)
    return model


def _export(bpmn: Any) -> bytes:
    """pm4py's BPMN serialised by pm4py's exporter (no automatic layout: that needs graphviz)."""
    import pm4py

    fd, path = tempfile.mkstemp(suffix=".bpmn")
    os.close(fd)
    try:
        pm4py.write_bpmn(bpmn, path, auto_layout=False)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
