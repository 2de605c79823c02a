"""Validation of a log (and the simulator's case table) and conversion to int64 arrays.

Everything downstream works on int64 nanoseconds since the epoch (UTC) with
:data:`NAT` marking a missing instant: integer arithmetic is exact, sorts are cheap and no
timezone question arises until results are shown. All problems in an input are collected and
raised together as one :class:`~leanproc.errors.LogError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.log import (
    ACTIVITY,
    ARRIVAL,
    CASE,
    ENABLE,
    END,
    REQUIRED_COLUMNS,
    RESOURCE,
    ROLE,
    START,
)

__all__ = ["NAT", "PreparedLog", "case_start_series", "case_starts", "prepare", "to_instant",
           "to_ns"]

NAT = np.iinfo(np.int64).min  # numpy's own NaT bit pattern
_MAX = np.iinfo(np.int64).max
_SHOW_ROWS = 5  # offending rows quoted in an error message

CASES_COLUMNS = (CASE, "arrival", "end")


@dataclass(slots=True)
class PreparedLog:
    """A validated log as arrays. Row arrays have one entry per log row, case arrays per case."""

    case_ids: pd.Index  # case id per case code
    case_code: np.ndarray  # per row
    activity_names: pd.Index
    activity_code: np.ndarray  # per row
    end: np.ndarray  # per row, int64 ns, NAT when the instance is still in progress
    start: np.ndarray  # per row, NAT when unknown
    enable: np.ndarray  # per row, NAT when unknown
    role: pd.Series | None  # per row (object), None without an org:role column
    resource: pd.Series | None  # per row, None without an org:resource column
    case_start: np.ndarray  # per case, int64 ns
    case_end: np.ndarray  # per case, NAT when not finished (or still running in the log)
    from_cases_table: bool
    tz: object  # timezone of the log's completion column, for display


def to_ns(values: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Tz-aware datetimes -> int64 ns since the epoch in UTC (NaT -> :data:`NAT`)."""
    return np.asarray(values.to_numpy(dtype="datetime64[ns]")).view(np.int64)


def to_instant(value: object, what: str) -> int:
    """One tz-aware instant (Timestamp, datetime or ISO text with offset) -> int64 ns."""
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise LogError(f"{what}={value!r} is not an instant: {exc}") from None
    if pd.isna(ts):
        raise LogError(f"{what} is NaT: give a timezone-aware instant")
    if ts.tz is None:
        raise LogError(
            f"{what}={value!r} has no timezone: give a timezone-aware instant, e.g. "
            f"pd.Timestamp('{ts}', tz='Europe/Moscow')"
        )
    return int(ts.as_unit("ns").value)


def _check_time_column(frame: pd.DataFrame, column: str, where: str, problems: list[str]) -> bool:
    """Append a problem unless ``column`` holds tz-aware datetimes; return True when usable."""
    dtype = frame[column].dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return True
    if pd.api.types.is_datetime64_dtype(dtype):
        problems.append(
            f"{where} column {column!r} is timezone-naive: localise it, e.g. "
            f"df[{column!r}] = df[{column!r}].dt.tz_localize('Europe/Moscow')"
        )
    else:
        problems.append(
            f"{where} column {column!r} has dtype {dtype}, not datetimes: convert it with "
            f"pd.to_datetime(df[{column!r}], utc=True) (or read the log with leanproc.read_log)"
        )
    return False


def _rows(frame: pd.DataFrame, mask: np.ndarray, columns: list[str]) -> str:
    """The first offending rows, quoted as ``index: col=value, ...`` for an error message."""
    picked = frame.loc[mask, columns].head(_SHOW_ROWS)
    parts = []
    for index, row in picked.iterrows():
        fields = ", ".join(f"{c}={row[c]}" for c in columns)
        parts.append(f"row {index!r} ({fields})")
    more = int(mask.sum()) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _validate_log(log: object) -> pd.DataFrame:
    if not isinstance(log, pd.DataFrame):
        raise LogError(
            f"the log is a {type(log).__name__}, not a pandas DataFrame: read it with "
            "leanproc.read_log or pass SimulationResult.log"
        )
    if log.empty:
        raise LogError("the log is empty: there are no events to compute KPIs from")
    problems: list[str] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in log.columns]
    if missing:
        problems.append(
            f"the log lacks the required column(s) {missing}; it has {list(log.columns)[:12]}: "
            "rename the case id, activity and completion-time columns to the one log schema "
            f"({', '.join(REQUIRED_COLUMNS)}), as leanproc.read_log does"
        )
    time_ok = {
        c: _check_time_column(log, c, "log", problems)
        for c in (END, START, ENABLE, ARRIVAL)
        if c in log.columns
    }
    for column in (CASE, ACTIVITY):
        if column in log.columns:
            empty = log[column].isna().to_numpy()
            if empty.any():
                problems.append(
                    f"log column {column!r} is empty in {int(empty.sum())} row(s): "
                    f"{_rows(log, empty, [c for c in (CASE, ACTIVITY) if c in log.columns])}; "
                    "drop those rows or fill the column"
                )
    if time_ok.get(END) and time_ok.get(START):
        end, start = to_ns(log[END]), to_ns(log[START])
        bad = (end != NAT) & (start != NAT) & (end < start)
        if bad.any():
            problems.append(
                f"{int(bad.sum())} row(s) end before they start ({END} < {START}): "
                f"{_rows(log, bad, [CASE, ACTIVITY, START, END])}; fix or drop those rows "
                "(swapped columns, or a timezone applied to one column only?)"
            )
    if problems:
        raise LogError(problems, source="kpis(log)")
    return log


def _validate_cases(cases: object) -> pd.DataFrame:
    if not isinstance(cases, pd.DataFrame):
        raise LogError(
            f"cases is a {type(cases).__name__}, not a DataFrame: pass SimulationResult.cases"
        )
    problems: list[str] = []
    missing = [c for c in CASES_COLUMNS if c not in cases.columns]
    if missing:
        problems.append(
            f"the cases table lacks column(s) {missing}: it needs {list(CASES_COLUMNS)} "
            "(end NaT for cases unfinished at the horizon)"
        )
    ok = {
        c: _check_time_column(cases, c, "cases", problems)
        for c in ("arrival", "end")
        if c in cases.columns
    }
    if CASE in cases.columns:
        dup = cases[CASE].duplicated().to_numpy()
        if dup.any():
            problems.append(
                f"the cases table lists {int(dup.sum())} case id(s) twice: "
                f"{_rows(cases, dup, [CASE])}; keep one row per case"
            )
    if ok.get("arrival"):
        no_arrival = cases["arrival"].isna().to_numpy()
        if no_arrival.any():
            problems.append(
                f"cases column 'arrival' is NaT in {int(no_arrival.sum())} row(s): "
                f"{_rows(cases, no_arrival, [CASE])}; every case needs its arrival instant"
            )
        if ok.get("end"):
            arrival, end = to_ns(cases["arrival"]), to_ns(cases["end"])
            bad = (end != NAT) & (arrival != NAT) & (end < arrival)
            if bad.any():
                problems.append(
                    f"{int(bad.sum())} case(s) end before they arrive: "
                    f"{_rows(cases, bad, [CASE, 'arrival', 'end'])}; fix the cases table"
                )
    if problems:
        raise LogError(problems, source="kpis(cases)")
    return cases


def _group_min(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per-group minimum ignoring NAT; groups with no value get NAT."""
    out = np.full(n, _MAX, dtype=np.int64)
    present = values != NAT
    np.minimum.at(out, codes[present], values[present])
    out[out == _MAX] = NAT
    return out


def _earlier(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise the earlier of two instants, a missing one (NAT) giving way to the other."""
    return np.where(a == NAT, b, np.where(b == NAT, a, np.minimum(a, b)))


def _group_max(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per-group maximum ignoring NAT (NAT is the smallest int64, so it never wins)."""
    out = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(out, codes, values)
    return out


def case_starts(case_code: np.ndarray, n_cases: int,
                column: Callable[[str], np.ndarray]) -> np.ndarray:
    """Each case's start by the rule of `leanproc.log`: its earliest instant.

    The earliest of ``case:arrival``, every ``enable_timestamp``, ``start_timestamp`` and
    ``time:timestamp`` of the case's rows. `case_code` numbers each log row's case
    (0 .. n_cases - 1); `column(name)` gives a time column as int64 ns per row (:data:`NAT`
    where unknown or absent), so each caller reads its columns its own way while the rule
    stays one. A case with no known instant gets :data:`NAT`.
    """
    # Whichever column holds the earliest instant wins: taking the first enable time alone
    # would start a case after an event it had already completed.
    start = np.full(n_cases, NAT, dtype=np.int64)
    for name in (ARRIVAL, ENABLE, START, END):
        start = _earlier(start, _group_min(case_code, column(name), n_cases))
    return start


def case_start_series(log: pd.DataFrame,
                      columns: Mapping[str, str] | None = None) -> pd.Series:
    """`case_starts` of a log as timestamps in the log's zone, indexed by case id as text in
    order of first appearance (for tables, figures and calibration). `columns` maps schema
    names (case, arrival, enable, start, completion) to the frame's own where they differ."""
    name = {**{c: c for c in (CASE, ARRIVAL, ENABLE, START, END)}, **(columns or {})}
    codes, names = pd.factorize(log[name[CASE]].astype(str), sort=False)
    ns = case_starts(codes, len(names), lambda column: _column_ns(log, name[column]))
    zone = log[name[END]].dt.tz
    starts = pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC").tz_convert(zone)
    return pd.Series(starts, index=pd.Index(names, name=name[CASE]), name="case_start")


def _column_ns(log: pd.DataFrame, column: str) -> np.ndarray:
    """A time column as int64 ns; an absent one as a read-only all-NAT view (no memory)."""
    if column in log.columns:
        return to_ns(log[column])
    return np.broadcast_to(np.int64(NAT), (len(log),))


def prepare(log: object, cases: object | None = None) -> PreparedLog:
    """Validate ``log`` (and ``cases``) and return the arrays the KPI code works on.

    A case starts at its earliest instant: the earliest of its arrival (the cases table's
    ``arrival`` or the log's ``case:arrival``, when known) and every ``enable_timestamp``,
    ``start_timestamp`` and ``time:timestamp`` of its events. The rule is the same for
    simulated and real logs, and no event of a case lies before its start. A case ends at its
    last completion (or at the cases table's ``end``); a row whose completion is NaT is still
    in progress, so its case has not finished.
    """
    frame = _validate_log(log)
    table = _validate_cases(cases) if cases is not None else None

    if table is not None:
        # The cases table defines the universe of cases (some may have no events yet).
        ids = pd.Index(table[CASE].to_numpy())
        case_code = ids.get_indexer(frame[CASE].to_numpy())
        unknown = case_code < 0
        if unknown.any():
            raise LogError(
                f"{int(unknown.sum())} log row(s) belong to cases missing from the cases table: "
                f"{_rows(frame, unknown, [CASE])}; pass the cases table of the same run",
                source="kpis(cases)",
            )
    else:
        case_code, ids = pd.factorize(frame[CASE], sort=False)
        ids = pd.Index(ids)
    case_code = np.asarray(case_code, dtype=np.int64)
    activity_code, activities = pd.factorize(frame[ACTIVITY], sort=False)
    n_cases = len(ids)

    end = to_ns(frame[END])
    start = _column_ns(frame, START)
    enable = _column_ns(frame, ENABLE)

    read = {ENABLE: enable, START: start, END: end}  # the columns already converted

    def column(name: str) -> np.ndarray:
        return read[name] if name in read else _column_ns(frame, name)

    case_start = case_starts(case_code, n_cases, column)
    if table is not None:
        case_start = _earlier(case_start, to_ns(table["arrival"]))
        case_end = to_ns(table["end"])
    else:
        case_end = _group_max(case_code, end, n_cases)
        running = np.zeros(n_cases, dtype=bool)
        running[case_code[end == NAT]] = True
        case_end[running] = NAT
        lost = case_start == NAT
        if lost.any():
            raise LogError(
                f"{int(lost.sum())} case(s) have no instant at all to start from (every "
                f"timestamp NaT), e.g. {list(ids[lost][:_SHOW_ROWS])}: drop them or fill "
                f"{END}",
                source="kpis(log)",
            )

    return PreparedLog(
        case_ids=ids,
        case_code=case_code,
        activity_names=pd.Index(activities),
        activity_code=np.asarray(activity_code, dtype=np.int64),
        end=end,
        start=start,
        enable=enable,
        role=frame[ROLE].reset_index(drop=True) if ROLE in frame.columns else None,
        resource=frame[RESOURCE].reset_index(drop=True) if RESOURCE in frame.columns else None,
        case_start=case_start,
        case_end=case_end,
        from_cases_table=table is not None,
        tz=frame[END].dt.tz,
    )
