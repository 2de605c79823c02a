"""``read_log``: any real event log -> the one log schema (see :mod:`leanproc.log`).

Sources: XES (``.xes``, ``.xes.gz``), CSV (``.csv``, ``.csv.gz``, any separator, UTF-8 or
Russian cp1251 found by itself), Excel (``.xlsx``), Parquet, a pandas DataFrame, or SQL (a
DB-API connection, a SQLAlchemy engine or URL, or a SQLite file, with ``query=``). Whatever
the source, the result is the same frame:

* the schema columns first (``case:concept:name``, ``concept:name``, ``time:timestamp``,
  ``start_timestamp`` always — NaT when the log has completion times only — then
  ``enable_timestamp``, ``org:resource``, ``org:role``, ``cost``, ``case:arrival`` when
  known), then case attributes ``case:*`` and other event attributes, each group sorted by
  name so that the same log read from CSV, Parquet or SQL gives an identical frame;
* case ids, activities, resources and roles as text (``str``, or categoricals of text when
  the source has them — Parquet dictionary columns — or ``categorical=True`` asks for them:
  a 10 M-event log then takes ~0.25 GB instead of ~0.75 GB); every time column timezone-aware
  (``datetime64[us, <zone>]``) in one zone; rows sorted by case (numerically when every case
  id is an integer), then completion time, then start time, then source order; a RangeIndex;
* ``log.attrs["leanproc"]``: the source, the column mapping used, the zone and how naive
  times were read, lifecycle counts, dropped rows by reason, duplicates, one-event cases.

Nothing is dropped silently: rows with a missing case, activity or completion time and
unpaired lifecycle starts are an error unless ``on_missing="drop"``, and then they are counted
in ``attrs["leanproc"]["dropped"]``. One-event cases are valid (lead time zero) and counted.
Exact duplicate events are counted and kept by default (``duplicates="keep"``; also
``"drop"`` or ``"error"``): a real log may legitimately hold two identical events.

Logs bigger than memory: ``read_log(path, chunked=True)`` streams a Parquet or CSV file in
chunks of whole cases (:mod:`leanproc.eventlog.chunks`), which ``kpis()`` accepts as they are.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.eventlog._columns import LIFECYCLE, map_columns, missing_required
from leanproc.eventlog._order import sorted_events
from leanproc.eventlog._sources import TEXT_COLUMNS, Raw, detect, load
from leanproc.eventlog._times import (
    UNIT,
    UnparseableTimes,
    check_zone,
    date_like,
    parse_times,
)
from leanproc.eventlog.chunks import DEFAULT_CHUNK_EVENTS, LogChunks
from leanproc.eventlog.lifecycle import pair_lifecycle, transitions, unknown_transitions
from leanproc.log import (
    ACTIVITY,
    ALL_COLUMNS,
    CASE,
    COST,
    END,
    START,
    TIME_COLUMNS,
)

ROW = "__row__"
_EXAMPLES = 5


# ------------------------------------------------------------------------- normalising


def _text(series: pd.Series) -> pd.Series:
    """Text ids: integral floats lose their '.0', blanks become missing."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _text_categorical(series)
    if pd.api.types.is_float_dtype(series.dtype):
        whole = series.dropna()
        if len(whole) and (whole == np.floor(whole)).all():
            series = series.astype("Int64")
    text = series.astype("str")
    if text.isna().all():
        return text
    blank = text.str.strip() == ""
    return text.mask(blank.fillna(False)) if blank.any() else text


def _text_categorical(series: pd.Series) -> pd.Series:
    """:func:`_text` for a categorical: the work is done on the categories, not the rows.

    A 10 M-row column with a few thousand categories is normalised by touching the categories
    only; the row codes are remapped once (normalising may merge categories, e.g. ``1.0`` and
    ``"1"``, or turn a blank one into missing). Unused categories are dropped, so that the
    result holds the values the log has and nothing else.
    """
    cat = series.array
    codes = np.asarray(cat.codes)
    used = np.zeros(len(cat.categories), dtype=bool)
    used[codes[codes >= 0]] = True
    categories = pd.Series(cat.categories.to_numpy()[used])
    if pd.api.types.is_object_dtype(categories.dtype):
        categories = categories.infer_objects()
    names = _text(categories)
    new_codes, uniques = pd.factorize(names, use_na_sentinel=True)
    remap = np.full(len(cat.categories) + 1, -1, dtype=np.int64)  # last slot: missing (-1)
    remap[np.flatnonzero(used)] = new_codes
    result = pd.Categorical.from_codes(
        remap[codes].astype(codes.dtype, copy=False),
        dtype=pd.CategoricalDtype(pd.Index(uniques, dtype="str")),
    )
    return pd.Series(result, index=series.index, name=series.name)


def _examples(raw: Raw, positions: np.ndarray, describe: Any = None) -> str:
    shown = []
    for p in positions[:_EXAMPLES]:
        extra = f" ({describe(p)})" if describe else ""
        shown.append(f"{raw.row(int(p))}{extra}")
    more = f" and {len(positions) - _EXAMPLES} more" if len(positions) > _EXAMPLES else ""
    return ", ".join(shown) + more


def _parse_time_columns(
    frame: pd.DataFrame,
    raw: Raw,
    tz: str,
    info: dict[str, Any],
    how: dict[str, Any],
) -> pd.DataFrame:
    """Parse schema time columns (errors are fatal) and date-like extras (best effort).

    `how` holds the caller's ``dayfirst`` and ``time_format`` for the schema time columns.
    """
    problems: list[str] = []
    naive = 0
    source_name = {dst: src for src, dst in info["columns"].items()}
    for col in TIME_COLUMNS:
        if col not in frame.columns:
            continue
        try:
            parsed = parse_times(frame[col], tz, **how)
        except UnparseableTimes as bad:
            rows = frame[ROW].to_numpy()[bad.positions]
            why = bad.reason or "not readable as timestamps"
            examples = f"; e.g. {', '.join(map(repr, bad.examples))}" if bad.examples else ""
            if col in source_name:
                examples += f" (source column {source_name[col]!r})"
            if bad.fix:
                problems.append(f"column {col!r}: values {why}: {_examples(raw, rows)}"
                                f"{examples}. Fix: {bad.fix}.")
                continue
            problems.append(
                f"column {col!r}: {len(rows)} value(s) {why}: {_examples(raw, rows)}{examples}. "
                "Fix: correct them in the source, pass time_format= (strptime codes) for their "
                "layout, or convert the column with pd.to_datetime(format=...) and pass the "
                "DataFrame."
            )
            continue
        frame[col] = parsed.values.set_axis(frame.index)
        naive += parsed.naive
    if problems:
        raise LogError(problems, source=raw.where)

    unparsed = []
    for col in date_like(frame, [*TIME_COLUMNS, ROW], raw.date_columns):
        try:
            parsed = parse_times(frame[col], tz)
        except UnparseableTimes:
            unparsed.append(col)
            continue
        frame[col] = parsed.values.set_axis(frame.index)
        naive += parsed.naive
    info["timezone"] = tz
    info["naive_timestamps"] = naive
    if naive:
        # structured, for `inputs.check_log_zone`: a default zone is not a fact about the log
        info["naive_timezone_assumed"] = not info.get("timezone_given")
        info["naive_timestamps_read_as"] = tz + (
            ""
            if info.get("timezone_given")
            else " (no timezone= given; pass one if the log records local time)"
        )
    if unparsed:
        info["date_like_columns_left_as_text"] = unparsed
    return frame


def _handle_missing(
    frame: pd.DataFrame, raw: Raw, on_missing: str, dropped: dict[str, int]
) -> pd.DataFrame:
    no_case = frame[CASE].isna().to_numpy()
    no_activity = frame[ACTIVITY].isna().to_numpy()
    no_end = frame[END].isna().to_numpy()
    bad = no_case | no_activity | no_end
    if not bad.any():
        return frame
    counts = {
        "missing_case": int(no_case.sum()),
        "missing_activity": int(no_activity.sum()),
        "missing_timestamp": int(no_end.sum()),
    }
    if on_missing == "drop":
        for key, value in counts.items():
            if value:
                dropped[key] = value
        dropped["rows_with_missing_values"] = int(bad.sum())
        return frame.loc[~bad]
    positions = np.flatnonzero(bad)
    rows = frame[ROW].to_numpy()

    def what(p: int) -> str:
        lacks = [
            name
            for name, mask in ((CASE, no_case), (ACTIVITY, no_activity), (END, no_end))
            if mask[p]
        ]
        return "no " + ", no ".join(lacks)

    where_ = ", ".join(f"{_row_of(raw, rows, p)} ({what(p)})" for p in positions[:_EXAMPLES])
    more = f" and {len(positions) - _EXAMPLES} more" if len(positions) > _EXAMPLES else ""
    parts = ", ".join(f"{v} without {k.split('_', 1)[1]}" for k, v in counts.items() if v)
    raise LogError(
        f"{len(positions)} row(s) lack a case id, activity or completion time ({parts}): "
        f"{where_}{more}. Fix: fill them in the source, or pass on_missing='drop' to drop "
        "them (the counts are kept in log.attrs['leanproc']['dropped']).",
        source=raw.where,
    )


def _row_of(raw: Raw, rows: np.ndarray, position: int) -> str:
    return raw.row(int(rows[position]))


def _lifecycle(
    frame: pd.DataFrame,
    raw: Raw,
    mode: str,
    on_missing: str,
    info: dict[str, Any],
    dropped: dict[str, int],
) -> pd.DataFrame:
    has_column = LIFECYCLE in frame.columns
    if mode == "ignore" or (not has_column and mode == "auto"):
        return frame
    if not has_column:
        raise LogError(
            f"lifecycle={mode!r} needs a {LIFECYCLE!r} column and the log has none. Fix: map "
            "your transition column with columns=, or use lifecycle='auto'.",
            source=raw.where,
        )
    if START in frame.columns:
        if mode == "pair":
            raise LogError(
                f"the log has both {START!r} and {LIFECYCLE!r}: it is already one row per "
                "instance. Fix: use lifecycle='ignore' (keep the transitions as a column).",
                source=raw.where,
            )
        if mode == "auto":
            info["lifecycle"] = {"mode": "ignored: the log already has start times"}
            return frame
    trans = transitions(frame[LIFECYCLE])
    unknown = unknown_transitions(trans)
    if unknown:
        rows = frame[ROW].to_numpy()[np.flatnonzero(trans.isin(unknown).to_numpy())]
        raise LogError(
            f"column {LIFECYCLE!r} holds values that are not XES lifecycle transitions: "
            f"{', '.join(map(repr, unknown[:10]))} ({_examples(raw, rows)}). Fix: map them to "
            "start / complete first, or pass lifecycle='ignore' to keep every row as an "
            "instance.",
            source=raw.where,
        )
    values = trans.to_numpy()
    if mode == "complete" or set(np.unique(values)) <= {"complete"}:
        keep = values == "complete"
        counts = {str(k): int(v) for k, v in trans[~keep].value_counts().items()}
        info["lifecycle"] = {"mode": mode, "complete": int(keep.sum()), "ignored": counts}
        return frame.loc[keep].drop(columns=LIFECYCLE)

    events = frame.drop(columns=LIFECYCLE)
    for col in events.columns:  # pairing merges rows: it works on text, not categories
        if isinstance(events[col].dtype, pd.CategoricalDtype) and col in TEXT_COLUMNS:
            events[col] = events[col].astype("str")
    pairing = pair_lifecycle(events, trans.set_axis(frame.index))
    info["lifecycle"] = {"mode": "paired", **pairing.counts}
    unpaired = pairing.unpaired_starts
    if len(unpaired):
        if on_missing != "drop":
            sample = unpaired.head(_EXAMPLES)
            shown = ", ".join(
                f"{raw.row(int(r))} (case {c!r}, {a!r} at {t})"
                for r, c, a, t in zip(
                    sample[ROW], sample[CASE], sample[ACTIVITY], sample[END], strict=True
                )
            )
            more = f" and {len(unpaired) - _EXAMPLES} more" if len(unpaired) > _EXAMPLES else ""
            raise LogError(
                f"{len(unpaired)} 'start' event(s) have no matching 'complete' of the same "
                f"case and activity: {shown}{more}. Fix: pass on_missing='drop' to drop them "
                "(instances still running or with lost completions; counted in "
                "log.attrs['leanproc']['dropped']), or lifecycle='complete' to use completions "
                "only.",
                source=raw.where,
            )
        dropped["unpaired_start"] = len(unpaired)
    return pairing.rows


def _duplicates(
    frame: pd.DataFrame, raw: Raw, mode: str, info: dict[str, Any], dropped: dict[str, int]
) -> pd.DataFrame:
    content = [c for c in frame.columns if c != ROW]
    duplicated = _duplicated(frame, content)
    count = int(duplicated.sum())
    info["duplicates"] = {"count": count, "action": mode}
    if not count:
        return frame
    if mode == "error":
        rows = frame[ROW].to_numpy()[np.flatnonzero(duplicated)]
        raise LogError(
            f"{count} event(s) repeat an earlier event exactly: {_examples(raw, rows)}. Fix: "
            "pass duplicates='drop' to drop the repeats or duplicates='keep' to keep them.",
            source=raw.where,
        )
    if mode == "drop":
        dropped["duplicates"] = count
        return frame.loc[~duplicated]
    return frame


def _duplicated(frame: pd.DataFrame, content: list[str]) -> np.ndarray:
    """``frame.duplicated(subset=content)`` as a boolean array, hashing few rows.

    Exact repeats share their completion time, and in a real log completion times are nearly
    unique: hashing one int64 column first finds the few candidate rows, and only those are
    compared on every column. On 10 M rows this is several times faster than hashing every
    column of every row; with coarse times (dates only) it degrades to the full comparison.
    The columns are selected first and compared whole: ``duplicated(subset=<a list>)`` looks
    each column up in the list, quadratic in the number of columns.
    """
    end = frame[END]
    if not isinstance(end.dtype, pd.DatetimeTZDtype) or len(frame) < 2:
        return frame[content].duplicated().to_numpy()
    candidate = pd.Series(end.array.asi8).duplicated(keep=False).to_numpy()
    out = np.zeros(len(frame), dtype=bool)
    if candidate.any():
        out[candidate] = frame.loc[candidate, content].duplicated().to_numpy()
    return out


# a number written with a decimal comma, maybe with spaces grouping thousands: "1 234,50"
_DECIMAL_COMMA = r"-?\d{1,3}(?:[ \u00a0]\d{3})*,\d+|-?\d+,\d+"


def _numeric_cost(frame: pd.DataFrame, raw: Raw) -> pd.DataFrame:
    if COST not in frame.columns or pd.api.types.is_float_dtype(frame[COST].dtype):
        return frame
    values = pd.to_numeric(frame[COST], errors="coerce")
    if (values.isna() & frame[COST].notna()).any():
        # Russian exports write "1 234,50": read such values as numbers, never a comma as a
        # thousands separator (a value like "1,234" is a decimal comma here too)
        text = frame[COST].astype("str").str.strip()
        comma = text.str.fullmatch(_DECIMAL_COMMA).fillna(False).astype(bool)
        if comma.any():
            fixed = text.where(~comma, text.str.replace(r"[ \u00a0]", "", regex=True)
                               .str.replace(",", ".", regex=False))
            values = values.where(~comma, pd.to_numeric(fixed, errors="coerce"))
    bad = np.flatnonzero((values.isna() & frame[COST].notna()).to_numpy())
    if bad.size:
        rows = frame[ROW].to_numpy()[bad]
        raise LogError(
            f"column {COST!r}: {bad.size} value(s) are not numbers: {_examples(raw, rows)}. "
            "Fix: clean the column, or map it to another name with columns= so it is kept "
            "as an attribute.",
            source=raw.where,
        )
    frame[COST] = values.astype("float64")
    return frame


def _uniform_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text attributes in pandas' default text dtype, whatever the source's string type."""
    for col, dtype in frame.dtypes.items():
        other_string = isinstance(dtype, pd.StringDtype) and dtype != "str"
        strings_as_objects = (
            dtype is np.dtype(object) and pd.api.types.infer_dtype(frame[col]) == "string"
        )
        if other_string or strings_as_objects:
            frame[col] = frame[col].astype("str")
    return frame


def _text_dtypes(frame: pd.DataFrame, categorical: dict[str, bool]) -> pd.DataFrame:
    """The schema's text columns as categoricals or as ``str``, as ``read_log`` was asked."""
    for col, want in categorical.items():
        if col not in frame.columns:
            continue
        is_cat = isinstance(frame[col].dtype, pd.CategoricalDtype)
        if want and not is_cat:
            frame[col] = _text_categorical(frame[col].astype("category"))
        elif not want and is_cat:
            frame[col] = frame[col].astype("str")
    return frame


def _column_order(columns: list[str]) -> list[str]:
    schema = [c for c in ALL_COLUMNS if c in columns]
    case_attrs = sorted(c for c in columns if c.startswith("case:") and c not in schema)
    others = sorted(c for c in columns if c not in schema and c not in case_attrs and c != ROW)
    return [*schema, *case_attrs, *others]


def read_log(
    source: Any,
    *,
    format: str | None = None,
    time_format: str | None = None,
    columns: Mapping[str, str] | None = None,
    timezone: str | None = None,
    lifecycle: Literal["auto", "pair", "complete", "ignore"] = "auto",
    on_missing: Literal["error", "drop"] = "error",
    duplicates: Literal["keep", "drop", "error"] = "keep",
    query: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    categorical: bool | None = None,
    chunked: bool = False,
    chunk_events: int = DEFAULT_CHUNK_EVENTS,
) -> pd.DataFrame | LogChunks:
    """Read an event log into the one log schema (see the module docstring for the result).

    Parameters
    ----------
    source:
        a path (``.xes``, ``.xes.gz``, ``.csv``, ``.csv.gz``, ``.parquet``, ``.db``/``.sqlite``),
        a DataFrame, a DB-API connection, a SQLAlchemy engine, or a URL like
        ``"sqlite:///events.db"``.
    format:
        the source's format, overriding the suffix (``xes``, ``csv``, ``xlsx``, ``parquet``,
        ``sql``, ``dataframe``).
    time_format:
        the layout of the text timestamps in strptime codes, e.g.
        ``time_format="%d.%m.%Y %H:%M"``: every start, end and enable time must then be written
        so. None (default) recognises ISO 8601, ``dd.mm.yyyy [hh:mm[:ss]]`` and the like.
    columns:
        source name -> schema name, e.g. ``{"case_id": "case:concept:name", "end_time":
        "time:timestamp"}``. Common names (``case_id``, ``Activity``, ``start_time``,
        ``Complete Timestamp``, ``resource``, ``role``...) are recognised without it; the
        mapping used is in ``log.attrs["leanproc"]["columns"]``.
    timezone:
        IANA zone of the result (default UTC); naive timestamps are read as wall-clock time
        in it, timestamps with offsets are converted to it. Calculations with a calendar read
        a log path in the calendar's zone (`leanproc.inputs.as_log`).
    lifecycle:
        ``auto`` pairs start/complete events when a ``lifecycle:transition`` column exists
        (see :mod:`leanproc.eventlog.lifecycle`); ``pair`` insists on it; ``complete`` keeps
        completions only (start unknown); ``ignore`` keeps every row, transitions as a column.
    on_missing:
        ``error`` (default) or ``drop`` rows with a missing case, activity or completion time
        and unpaired starts; drops are counted in ``attrs["leanproc"]["dropped"]``.
    duplicates:
        exact duplicate events: ``keep`` (default, counted), ``drop`` (counted) or ``error``.
    query:
        SQL sources: a SELECT or a table name.
    sep, encoding:
        CSV separator and text encoding. When None (default) they are found from the first
        records: the encoding is ``utf-8``, ``utf-8-sig`` or ``cp1251`` (only for text that
        reads as Russian), the separator the one of ``,`` ``;`` tab ``|`` that splits the
        header and every following record into the same number of fields. Both are reported
        in ``log.attrs["leanproc"]``.
    dayfirst:
        the order of numeric text dates such as ``03/04/2023``. None (default) decides it
        from the whole column: dotted dates (``dd.mm.yyyy``) are day first, slashed ones by
        a value with a field above 12; a column every value of which reads both ways is an
        error asking for ``dayfirst=`` or ``time_format=``. True or False decides it.
    sheet:
        Excel logs: the sheet's name or 0-based index (default: the first).
    categorical:
        dtype of the case id, activity, resource and role columns. ``None`` (default) keeps
        the source's choice: Parquet dictionary columns and DataFrame categoricals stay
        categorical (same values, a fraction of the memory), other text is ``str``. ``True``
        makes them categorical whatever the source (big CSV logs: read straight into
        categories); ``False`` makes them plain ``str``. KPIs and costs are the same either
        way.
    chunked, chunk_events:
        ``chunked=True`` (Parquet and CSV files) returns a :class:`~leanproc.eventlog.chunks.
        LogChunks` instead of a frame: an iterable, re-readable, of frames in the one schema
        of about ``chunk_events`` rows each, never splitting a case (the file's rows must be
        grouped by case), with the schema columns only. ``kpis()`` accepts it directly: the
        KPIs of a log bigger than memory (see :mod:`leanproc.kpi.chunks`).

    Raises
    ------
    LogError
        for every problem, naming the source, the column, rows and the fix.
    """
    for name, value, allowed in (
        ("lifecycle", lifecycle, ("auto", "pair", "complete", "ignore")),
        ("on_missing", on_missing, ("error", "drop")),
        ("duplicates", duplicates, ("keep", "drop", "error")),
    ):
        if value not in allowed:
            raise LogError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}.")
    if dayfirst not in (None, True, False):
        raise LogError(f"dayfirst={dayfirst!r} is not one of None, True, False.")
    if format is not None and "%" in format:
        raise LogError(f"format={format!r} is a timestamp layout: pass it as time_format=; "
                       "format= names the source's format (xes, csv, xlsx, parquet, sql).")
    tz = check_zone(timezone) if timezone is not None else "UTC"
    fmt = detect(source, format, query)
    if chunked:
        if not isinstance(source, str | os.PathLike):
            raise LogError(
                f"chunked=True reads a Parquet or CSV file, not a {type(source).__name__}. Fix: "
                "pass the file's path, or chunked=False."
            )
        return LogChunks(
            Path(source), fmt, chunk_events, sep=sep, encoding=encoding, columns=columns,
            options={"timezone": timezone, "lifecycle": lifecycle, "on_missing": on_missing,
                     "duplicates": duplicates, "categorical": categorical,
                     "dayfirst": dayfirst, "time_format": time_format},
        )
    if categorical not in (None, True, False):
        raise LogError(f"categorical={categorical!r} is not one of None, True, False.")
    raw = load(
        source, fmt, query=query, sep=sep, encoding=encoding, columns=columns,
        categorical=bool(categorical), sheet=sheet,
    )
    where = raw.where
    frame = raw.frame
    if len(frame) == 0:
        raise LogError(
            "the log is empty: no events"
            + (f" (columns: {', '.join(map(str, frame.columns))})" if len(frame.columns) else "")
            + ". Fix: check the source (and the query for SQL).",
            source=where,
        )

    explicit, recognised = map_columns(frame.columns, columns, source=where)
    original_columns = list(frame.columns)
    frame = frame.rename(columns={**explicit, **recognised})
    error = missing_required(frame.columns, original_columns, source=where)
    if error is not None:
        raise error
    info: dict[str, Any] = {
        "source": where,
        "format": fmt,
        "columns": {**explicit, **recognised},
        "columns_recognised": dict(recognised),
        **raw.text_format,
        "events_read": len(frame),
        "timezone_given": timezone is not None,
    }
    dropped: dict[str, int] = {}

    frame = frame.assign(**{ROW: np.arange(len(frame), dtype=np.int64)})
    text_columns = [c for c in TEXT_COLUMNS if c in frame.columns and c != LIFECYCLE]
    keep_categorical = {
        c: isinstance(frame[c].dtype, pd.CategoricalDtype) if categorical is None else categorical
        for c in text_columns
    }
    for col in TEXT_COLUMNS:
        if col in frame.columns:
            frame[col] = _text(frame[col])
    frame = _parse_time_columns(
        frame, raw, tz, info, {"dayfirst": dayfirst, "time_format": time_format}
    )
    frame = _handle_missing(frame, raw, on_missing, dropped)
    frame = _duplicates(frame, raw, duplicates, info, dropped)
    frame = _lifecycle(frame, raw, lifecycle, on_missing, info, dropped)
    frame = _numeric_cost(frame, raw)
    if START not in frame.columns:
        frame[START] = pd.Series(
            pd.NaT, index=frame.index, dtype=pd.DatetimeTZDtype(unit=UNIT, tz=tz)
        )
    if len(frame) == 0:
        raise LogError(
            f"no events left after dropping rows ({dropped}). Fix: check the source.",
            source=where,
        )

    frame = _text_dtypes(_uniform_text(frame), keep_categorical)
    frame = sorted_events(frame, ROW)
    frame = frame[_column_order(list(frame.columns))].reset_index(drop=True)

    sizes = frame.groupby(CASE, sort=False).size()
    late = frame[START] > frame[END]
    info.update(
        rows=len(frame),
        cases=len(sizes),
        activities=int(frame[ACTIVITY].nunique()),
        one_event_cases=int((sizes == 1).sum()),
        start_after_end=int(late.sum()),
        dropped=dropped,
    )
    del info["timezone_given"]
    frame.attrs["leanproc"] = info
    return frame
