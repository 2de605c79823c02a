"""Lifecycle pairing: FIFO per case and activity (and resource), checked against a plain queue."""

from __future__ import annotations

from collections import defaultdict, deque

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leanproc.errors import LogError
from leanproc.eventlog import read_log
from leanproc.eventlog.lifecycle import fifo_match
from leanproc.log import ACTIVITY, CASE, ENABLE, END, RESOURCE, START

BASE = pd.Timestamp("2024-03-01 09:00", tz="UTC")


def frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (case, activity, minute, transition[, resource])."""
    data = {
        CASE: [r[0] for r in rows],
        ACTIVITY: [r[1] for r in rows],
        END: [BASE + pd.Timedelta(minutes=r[2]) for r in rows],
        "lifecycle:transition": [r[3] for r in rows],
    }
    if rows and len(rows[0]) > 4:
        data[RESOURCE] = [r[4] for r in rows]
    return pd.DataFrame(data)


def minutes(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else (v - BASE).total_seconds() / 60 for v in series]


def test_interleaved_instances_without_resources_pair_first_in_first_out() -> None:
    log = read_log(
        frame(
            [
                ("c", "Check", 0, "start"),
                ("c", "Check", 10, "start"),
                ("c", "Check", 40, "complete"),
                ("c", "Check", 60, "complete"),
            ]
        )
    )
    assert minutes(log[START]) == [0, 10] and minutes(log[END]) == [40, 60]


def test_resources_pair_each_with_its_own_instance() -> None:
    log = read_log(
        frame(
            [
                ("c", "Check", 0, "start", "ann"),
                ("c", "Check", 10, "start", "bob"),
                ("c", "Check", 40, "complete", "bob"),
                ("c", "Check", 60, "complete", "ann"),
            ]
        )
    )
    pairs = dict(
        zip(log[RESOURCE], zip(minutes(log[START]), minutes(log[END]), strict=True), strict=True)
    )
    assert pairs == {"bob": (10, 40), "ann": (0, 60)}


def test_a_missing_resource_falls_back_to_case_and_activity() -> None:
    log = read_log(
        frame(
            [
                ("c", "Check", 0, "start", None),
                ("c", "Check", 30, "complete", "ann"),
            ]
        )
    )
    assert minutes(log[START]) == [0] and log[RESOURCE].tolist() == ["ann"]


def test_cases_and_activities_do_not_mix() -> None:
    log = read_log(
        frame(
            [
                ("a", "X", 0, "start"),
                ("b", "X", 5, "complete"),
                ("a", "Y", 6, "complete"),
                ("a", "X", 7, "complete"),
            ]
        )
    )
    got = {
        (c, a): (s, e)
        for c, a, s, e in zip(
            log[CASE], log[ACTIVITY], minutes(log[START]), minutes(log[END]), strict=True
        )
    }
    assert got == {("a", "X"): (0, 7), ("a", "Y"): (None, 6), ("b", "X"): (None, 5)}


def test_schedule_abort_withdraw_and_other_transitions() -> None:
    log = read_log(
        frame(
            [
                ("c", "A", 0, "schedule"),
                ("c", "A", 5, "assign"),
                ("c", "A", 10, "start"),
                ("c", "A", 20, "suspend"),
                ("c", "A", 30, "resume"),
                ("c", "A", 40, "complete"),
                ("c", "B", 41, "schedule"),
                ("c", "B", 42, "withdraw"),
                ("c", "B", 50, "start"),
                ("c", "B", 55, "ate_abort"),
                ("c", "C", 60, "schedule"),
                ("c", "C", 70, "COMPLETE"),
                ("c", "D", 80, "schedule"),
            ]
        )
    )
    assert log[ACTIVITY].tolist() == ["A", "C"]
    assert minutes(log[ENABLE]) == [0, 60]
    assert minutes(log[START]) == [10, None]
    info = log.attrs["leanproc"]["lifecycle"]
    assert info["ate_abort"] == 1 and info["withdraw"] == 1
    assert info["assign"] == info["suspend"] == info["resume"] == 1
    assert info["schedule_without_instance"] == 1  # D was scheduled, never done
    assert "lifecycle:transition" not in log.columns


def test_lifecycle_complete_keeps_completions_only() -> None:
    log = read_log(
        frame([("c", "A", 0, "start"), ("c", "A", 9, "complete"), ("c", "B", 10, "start")]),
        lifecycle="complete",
    )
    assert log[ACTIVITY].tolist() == ["A"] and log[START].isna().all()
    assert log.attrs["leanproc"]["lifecycle"]["ignored"] == {"start": 2}


# --------------------------------------------------------------------- against a plain queue


def reference(events: list[tuple[int, int, int, bool]]) -> dict[int, int]:
    """events: (group, time, row, is_start). Returns complete row -> start row (or -1)."""
    queues: dict[int, deque[int]] = defaultdict(deque)
    out = {}
    for group, _time, row, is_start in sorted(events, key=lambda e: (e[0], e[1], not e[3], e[2])):
        if is_start:
            queues[group].append(row)
        else:
            out[row] = queues[group].popleft() if queues[group] else -1
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 12), st.booleans()),
        min_size=1,
        max_size=60,
    )
)
def test_fifo_match_equals_a_queue(raw: list[tuple[int, int, bool]]) -> None:
    events = [(g, t, row, s) for row, (g, t, s) in enumerate(raw)]
    expected = reference(events)
    order = sorted(
        range(len(events)), key=lambda i: (events[i][0], events[i][1], not events[i][3], i)
    )
    group = np.array([events[i][0] for i in order])
    is_open = np.array([events[i][3] for i in order])
    partner, open_matched = fifo_match(group, is_open, ~is_open)
    got = {}
    for pos, i in enumerate(order):
        if not is_open[pos]:
            got[events[i][2]] = -1 if partner[pos] < 0 else events[order[partner[pos]]][2]
    assert got == expected
    matched_starts = {v for v in expected.values() if v >= 0}
    assert {events[order[p]][2] for p in np.flatnonzero(open_matched)} == matched_starts


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["X", "Y"]),
            st.integers(0, 30),
            st.sampled_from(["start", "complete"]),
            st.sampled_from(["ann", "bob"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_read_log_pairing_equals_a_queue(rows: list[tuple]) -> None:
    data = frame(rows)
    # the queue: group by case, activity, resource (every event names one here)
    keys = {k: n for n, k in enumerate(sorted({(r[0], r[1], r[4]) for r in rows}))}
    expected = reference(
        [(keys[(r[0], r[1], r[4])], r[2], i, r[3] == "start") for i, r in enumerate(rows)]
    )
    unpaired = sum(r[3] == "start" for r in rows) - sum(v >= 0 for v in expected.values())
    if not expected:  # only starts: nothing is left once they are dropped, and that is said
        with pytest.raises(LogError, match="no events left after dropping rows"):
            read_log(data, on_missing="drop")
        return
    log = read_log(data, on_missing="drop")
    assert log.attrs["leanproc"]["dropped"].get("unpaired_start", 0) == unpaired
    want = list(
        (rows[c][0], rows[c][1], rows[c][4], rows[c][2], None if s < 0 else rows[s][2])
        for c, s in expected.items()
    )
    got = sorted(
        zip(
            log[CASE],
            log[ACTIVITY],
            log[RESOURCE],
            minutes(log[END]),
            minutes(log[START]),
            strict=True,
        ),
        key=lambda t: (t[0], t[1], t[2], t[3], -1 if t[4] is None else t[4]),
    )
    want = sorted(want, key=lambda t: (t[0], t[1], t[2], t[3], -1 if t[4] is None else t[4]))
    assert got == want
