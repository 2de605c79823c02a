"""KPIs of a log that does not fit in memory: two passes over chunks of whole cases.

``kpis(chunks, ...)`` accepts, instead of one DataFrame, anything that yields log frames in
the one schema and can be iterated twice: ``read_log(path, chunked=True)`` (which re-reads
the file) or a list of frames. The rule that makes the result exact: **a case never spans
two chunks** (``read_log(..., chunked=True)`` guarantees it for a file grouped by case; a case
seen in two chunks is an error, never a silent split).

Why two passes: a case's KPIs depend on its own rows and on a few instants only the whole log
knows — the horizon (the latest instant), the window start (the first case start) and the
origin of the working-time map. The first pass reads the chunks for those (keeping one int64
start per case); the second reduces each chunk to per-case arrays (:mod:`leanproc.kpi.rows`)
and per-row activity times. Memory: one chunk, plus about 100 bytes per case, plus 8 bytes
per completed row of the cohort (16 with enablement times) for the per-activity medians,
which need every value. The parts, concatenated in order, are the whole log's: same numbers
to the last bit, which the tests check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.kpi.inputs import NAT, prepare
from leanproc.kpi.rows import Observation, Part, part_of

__all__ = ["parts_of_chunks"]

ObservationOf = Callable[[int, np.ndarray, "int | None", bool], Observation]


def _frames(chunks: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
    if iter(chunks) is chunks:  # a generator or iterator: the second pass would see nothing
        raise LogError(
            "kpis() reads chunks twice (the horizon and the window need the whole log "
            "first): pass read_log(path, chunked=True) or a list of frames, not a one-shot "
            "iterator",
            source="kpis",
        )
    for k, frame in enumerate(chunks):
        if not isinstance(frame, pd.DataFrame):
            raise LogError(
                f"chunk {k} is a {type(frame).__name__}, not a DataFrame: chunks are log "
                "frames in the one schema (read_log(path, chunked=True) yields them)",
                source="kpis",
            )
        yield frame


def parts_of_chunks(
    chunks: Iterable[pd.DataFrame], observation: ObservationOf, calendar: Any,
    value_activities: list[str] | None, role_calendars: dict[str, Any] | None = None,
) -> tuple[list[Part], Observation, Any]:
    """The parts of every chunk, the observation and the log's time zone (see the module)."""
    # --- pass 1: the instants the whole log decides --------------------------------------
    latest = NAT
    first_interval: int | None = None
    running = False
    starts: list[np.ndarray] = []
    seen: set[Any] = set()
    sizes: list[int] = []
    tz = None
    checked = bool(getattr(chunks, "whole_cases", False))
    for k, frame in enumerate(_frames(chunks)):
        data = prepare(frame)
        ids = data.case_ids
        # a chunked reader checks this itself (whole_cases); frames made by hand are checked
        again = [] if checked else [c for c in ids if c in seen]
        if again:
            raise LogError(
                f"chunk {k} continues case(s) of an earlier chunk, e.g. {again[:5]}: a case "
                "must lie in one chunk. Fix: group the log's rows by case (read_log sorts "
                "them; write_log the result) or read it whole",
                source="kpis",
            )
        if not checked:
            seen.update(ids)
        sizes.append(len(ids))
        latest = max(latest, *(int(a.max()) for a in (
            data.end, data.start, data.enable, data.case_start, data.case_end)))
        begun = data.start[data.start != NAT]
        if begun.size:
            low = int(begun.min())
            first_interval = low if first_interval is None else min(first_interval, low)
        running = running or bool((data.end == NAT).any())
        starts.append(data.case_start)
        tz = tz if tz is not None else data.tz
        del data, begun
    if not sizes:
        raise LogError("the log is empty: the chunks hold no events", source="kpis")
    del seen
    obs = observation(latest, np.concatenate(starts), first_interval, running)
    del starts

    # --- pass 2: each chunk reduced to its cases ------------------------------------------
    parts = []
    for k, frame in enumerate(_frames(chunks)):
        data = prepare(frame)
        if k >= len(sizes) or len(data.case_ids) != sizes[k]:
            raise LogError(
                "the chunks changed between the two passes: pass chunks that yield the same "
                "frames each time (read_log(path, chunked=True) or a list)",
                source="kpis",
            )
        parts.append(part_of(data, obs, calendar, value_activities, role_calendars))
        del data
    if len(parts) != len(sizes):
        raise LogError("the chunks changed between the two passes", source="kpis")
    return parts, obs, tz
