"""Timestamp parsing under one rule: every instant ends timezone-aware in one stated zone.

* values that carry an offset (``+02:00``, ``Z``) or are already aware are converted to the
  zone, so logs that mix offsets (daylight saving, several sites) become comparable;
* naive values (no offset) are read as wall-clock time in the zone. In a zone with daylight
  saving, a wall-clock time in the autumn fold is read as standard time and one in the spring
  gap is moved forward to the first valid instant (documented, never an error);
* ISO 8601 text is parsed fast; numeric day-month dates (``dd.mm.yyyy``, ``mm/dd/yyyy``...)
  in an order decided for the whole column (:mod:`leanproc.eventlog._dates`), or with the
  caller's ``dayfirst`` or strptime ``format``; other text is tried with the format pandas
  infers from the first value, then value by value; what still fails is reported by row,
  never dropped;
* numbers are refused: an epoch needs a unit only the user knows.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.eventlog._dates import read_day_month
from leanproc.eventlog._errors import UnparseableTimes
from leanproc.eventlog._input import NA_TOKENS

__all__ = ["UNIT", "ParsedTimes", "UnparseableTimes", "check_zone", "date_like", "parse_times"]

# The resolution of every time column in the schema (pandas 3 and pm4py both use it).
UNIT: Final = "us"
_HAS_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)\s*$"


@dataclass
class ParsedTimes:
    """Parsed values and what was done to them."""

    values: pd.Series
    naive: int  # how many values had no offset and were localised


def check_zone(tz: str) -> str:
    """Validate a time-zone name and return it; LogError with a fix when unknown."""
    try:
        pd.DatetimeTZDtype(unit=UNIT, tz=tz)
    except Exception as exc:  # pandas raises several types for bad zones
        raise LogError(
            f"unknown time zone {tz!r}. Fix: use an IANA name such as 'Europe/Moscow', "
            "'Asia/Novosibirsk' or 'UTC'."
        ) from exc
    return tz


def _localise(naive: pd.Series, tz: str) -> pd.Series:
    fold_as_standard = np.zeros(len(naive), dtype=bool)
    return naive.dt.tz_localize(tz, ambiguous=fold_as_standard, nonexistent="shift_forward")


def _finish(parsed: pd.Series, tz: str) -> pd.Series:
    """Aware series in tz at the schema's resolution."""
    return parsed.dt.tz_convert(tz).astype(pd.DatetimeTZDtype(unit=UNIT, tz=tz))


def _as_text(series: pd.Series) -> pd.Series:
    """Text with empty and blank strings, and the words exports use for a gap (``NA``,
    ``NaT``, ``null``...), as missing: a timestamp cannot be such a word."""
    text = series.astype("str")
    blank = (text.str.strip() == "") | text.isin(list(NA_TOKENS))
    if blank.any():
        text = text.mask(blank.fillna(False))
    return text


def _parse_text(text: pd.Series, *, utc: bool) -> pd.Series:
    """Parse text value by value tolerance: ISO 8601, then inferred format, then mixed."""
    out = pd.to_datetime(text, format="ISO8601", utc=utc, errors="coerce")
    todo = out.isna() & text.notna()
    if todo.any():
        rest = text[todo]
        for fmt in (None, "mixed"):
            try:
                with warnings.catch_warnings():
                    # value-by-value parsing is the point here, not a surprise to warn about
                    warnings.simplefilter("ignore", UserWarning)
                    again = pd.to_datetime(rest, format=fmt, utc=utc, errors="coerce")
            except (ValueError, TypeError):
                continue
            if not utc and getattr(again.dt, "tz", None) is not None:
                continue  # a stray offset in the naive part: leave it for the report
            if utc is False and again.dtype != out.dtype:
                again = again.astype(out.dtype)
            filled = again.notna()
            out.loc[rest.index[filled]] = again[filled]
            rest = rest[~filled]
            if rest.empty:
                break
    return out


def parse_times(series: pd.Series, tz: str, *, dayfirst: bool | None = None,
                time_format: str | None = None) -> ParsedTimes:
    """Parse one column into aware timestamps in ``tz``.

    `dayfirst` fixes the order of numeric day-month text dates (decided from the whole column
    when None); `time_format` (strptime codes) is the exact layout of every text value.
    Raises :class:`UnparseableTimes` with the positions of values that are present but not
    timestamps; the caller turns it into a LogError naming the rows.
    """
    series = series.reset_index(drop=True)
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return ParsedTimes(_finish(series, tz), 0)
    if pd.api.types.is_datetime64_dtype(dtype):
        return ParsedTimes(_finish(_localise(series, tz), tz), int(series.notna().sum()))
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        present = np.flatnonzero(series.notna().to_numpy())
        if present.size:
            raise UnparseableTimes(
                present,
                [str(v) for v in series.iloc[present[:3]]],
                "numbers, not timestamps (convert epochs first, e.g. "
                "pd.to_datetime(df[col], unit='s', utc=True), and pass the DataFrame)",
            )
        empty = pd.Series(pd.NaT, index=series.index, dtype=f"datetime64[{UNIT}]")
        return ParsedTimes(_finish(_localise(empty, tz), tz), 0)

    if dtype is np.dtype(object):
        # objects may be Timestamps/datetimes already (e.g. from SQL drivers)
        sample = series.dropna()
        if len(sample) and all(
            isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "tzinfo")
            for v in sample.iloc[:100]
        ):
            try:
                converted = pd.to_datetime(series)
            except (ValueError, TypeError):
                converted = pd.to_datetime(series, utc=True)
            return parse_times(converted, tz)

    text = _as_text(series)
    if time_format is not None:
        return _with_format(text, time_format, tz)
    fast = _iso(text, tz)
    if fast is not None:  # the common case, and day-month dates are never ISO
        return fast
    day_month, matched = read_day_month(text, dayfirst)
    if not matched.any():
        return _parse_other(text, tz)
    impossible = np.flatnonzero((matched & day_month.isna()).to_numpy())
    try:
        rest = _parse_other(text.mask(matched), tz)
    except UnparseableTimes as bad:  # report every unreadable value at once
        if not impossible.size:
            raise
        impossible = np.union1d(impossible, bad.positions)
    if impossible.size:
        raise UnparseableTimes(
            impossible, [str(v) for v in text.iloc[impossible[:3]]],
            "not readable as timestamps (numeric dates are read in one order per column: "
            "dd.mm.yyyy day first, dd/mm/yyyy or mm/dd/yyyy as the column shows)",
        )
    values = rest.values.copy()
    values.loc[matched] = _finish(_localise(day_month[matched], tz), tz)
    return ParsedTimes(values, rest.naive + int(matched.sum()))


def _with_format(text: pd.Series, time_format: str, tz: str) -> ParsedTimes:
    """Every present value in the one layout `time_format`; others are reported."""
    try:
        parsed = pd.to_datetime(text, format=time_format, errors="coerce")
    except (ValueError, TypeError) as exc:
        raise UnparseableTimes(
            np.flatnonzero(text.notna().to_numpy()), [], f"cannot be read with format="
            f"{time_format!r} ({exc})", fix="give strptime codes, e.g. '%d.%m.%Y %H:%M'",
        ) from None
    bad = np.flatnonzero((parsed.isna() & text.notna()).to_numpy())
    if bad.size:
        raise UnparseableTimes(
            bad, [str(v) for v in text.iloc[bad[:3]]], f"do not match format={time_format!r}",
            fix="correct them in the source, or pass the format= they are written in",
        )
    if parsed.dt.tz is not None:
        return ParsedTimes(_finish(parsed, tz), 0)
    return ParsedTimes(_finish(_localise(parsed, tz), tz), int(parsed.notna().sum()))


def _iso(text: pd.Series, tz: str) -> ParsedTimes | None:
    """The column when every present value is ISO 8601 with one offset style, else None."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        return None
    if (parsed.isna() & text.notna()).any():
        return None
    if parsed.dt.tz is None:
        return ParsedTimes(_finish(_localise(parsed, tz), tz), int(parsed.notna().sum()))
    return ParsedTimes(_finish(parsed, tz), 0)


def _parse_other(text: pd.Series, tz: str) -> ParsedTimes:
    """ISO 8601 fast, then offsets and other layouts value by value."""
    fast = _iso(text, tz)
    if fast is not None:
        return fast

    # slow path: mixed naive / offset values or non-ISO text, value by value where needed
    has_offset = text.str.contains(_HAS_OFFSET, regex=True).fillna(False).astype(bool)
    result = pd.Series(pd.NaT, index=text.index, dtype=pd.DatetimeTZDtype(unit=UNIT, tz=tz))
    naive_count = 0
    if has_offset.any():
        aware = _parse_text(text[has_offset], utc=True)
        result.loc[aware.index] = _finish(aware, tz)
    if (~has_offset).any():
        naive = _parse_text(text[~has_offset], utc=False)
        if naive.dt.tz is not None:  # pragma: no cover - defensive
            naive = naive.dt.tz_localize(None)
        naive_count = int(naive.notna().sum())
        result.loc[naive.index] = _finish(_localise(naive, tz), tz)
    bad = np.flatnonzero((result.isna() & text.notna()).to_numpy())
    if bad.size:
        raise UnparseableTimes(bad, [str(v) for v in text.iloc[bad[:3]]])
    return ParsedTimes(result, naive_count)


_ISO_LIKE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_SAMPLE = 50  # values looked at to call a text column dated
_HEAD = 1_000  # rows scanned for them before falling back to the whole column


def date_like(frame: pd.DataFrame, skip: list[str], dated: list[str]) -> list[str]:
    """Columns other than `skip` to parse as timestamps, in frame order: `dated` ones,
    datetime ones, and text whose first 50 present values all look like ISO 8601 date-times.

    One pass over the head rows of all text columns, stopping at a column's first value that
    is no date: a log with 10^5 text attributes costs a fraction of a second, not a pandas
    string operation per column (about 2 ms each).
    """
    kinds: dict[str, bool] = {}  # column -> whether it is text still to be looked at
    for col, dtype in frame.dtypes.items():
        if col in skip:
            continue
        if col in dated or pd.api.types.is_datetime64_any_dtype(dtype):
            kinds[str(col)] = False
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            kinds[str(col)] = True
    text = [c for c, is_text in kinds.items() if is_text]
    looks_dated: set[str] = set()
    if text:
        head = frame[text].head(_HEAD).to_numpy(dtype=object)
        present = ~pd.isna(head)
        for j, col in enumerate(text):
            values = head[present[:, j], j][:_SAMPLE]
            if len(values) < _SAMPLE and len(frame) > len(head):  # sparse: look further
                values = frame[col].dropna().head(_SAMPLE).to_numpy(dtype=object)
            if len(values) and all(_ISO_LIKE.match(str(v)) for v in values):
                looks_dated.add(col)
    return [c for c, is_text in kinds.items() if not is_text or c in looks_dated]
