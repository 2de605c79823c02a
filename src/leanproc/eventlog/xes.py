"""A fast, secure streaming reader and a writer for XES event logs (plain and gzip).

Reading streams the file with ``lxml.etree.iterparse`` and keeps only one trace in memory, so a
log of a million events needs memory for its columns, not for its XML tree. The parser is
secure: a document type declaration is refused (XES never needs one, and it is the vehicle of
entity-expansion and external-entity attacks), entities are not resolved, and nothing is
fetched from the network.

What is read:

* trace attribute ``concept:name`` -> the case id column ``case:concept:name``; every other
  trace attribute ``k`` -> a column ``case:k`` repeated on each of the trace's events;
* every event attribute -> a column of the same name (``concept:name``, ``time:timestamp``,
  ``lifecycle:transition``, ``org:resource``, ``org:role`` and any others);
* typed values: ``string`` and ``id`` -> text, ``int`` -> integers, ``float`` -> floats,
  ``boolean`` -> booleans, ``date`` -> left as ISO 8601 text for the caller, which parses all
  timestamps under one time-zone rule. A key seen with different numeric types becomes float;
  a key seen with other mixed types stays text;
* ``list`` and ``container`` attributes and the children of nested attributes carry no single
  value and are skipped; log-level attributes, globals and classifiers are not event data.

Events outside any trace have no case: they are counted and refused (LogError), not lost.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from lxml import etree

from leanproc._xml import SAFE_PARSER_OPTIONS
from leanproc.atomic import atomic_write
from leanproc.errors import LogError
from leanproc.eventlog._input import COLUMNS, XES_EVENT_ATTRIBUTES, XES_TRACE_BYTES, open_input
from leanproc.log import ACTIVITY, CASE, ENABLE, END, RESOURCE, ROLE, START

LIFECYCLE = "lifecycle:transition"

# How far into a file to look for a document type declaration before the root element.
_PROLOG_BYTES = 1 << 16
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_VALUE_KINDS = frozenset({"string", "date", "int", "float", "boolean", "id"})


@dataclass
class XesColumns:
    """The raw columns of an XES log: values by key, dates still as text."""

    frame: pd.DataFrame
    date_columns: list[str] = field(default_factory=list)
    traces: int = 0


def _check_prolog(path: Path) -> None:
    """Refuse a DTD before the parser sees it (entities in attributes expand regardless)."""
    with open_input(path) as fh:
        head = fh.read(_PROLOG_BYTES)
    root_at = re.search(rb"<(?![?!])", head)
    prolog = head if root_at is None else head[: root_at.start()]
    if _DOCTYPE.search(prolog):
        raise LogError(
            "the XES file declares a document type (<!DOCTYPE ...>); XES needs none and DTDs "
            "can carry entity attacks, so it is refused. Fix: remove the DOCTYPE line.",
            source=str(path),
        )


class _Column:
    """Values of one trace attribute key: the trace numbers that have it and their values."""

    __slots__ = ("kinds", "rows", "values")

    def __init__(self, kind: str) -> None:
        self.kinds = {kind}
        self.rows: list[int] = []
        self.values: list[str] = []


def _local(tag: object) -> str:
    text = str(tag)  # lxml's tags are str here; its stubs also allow bytes and QName
    return text.rpartition("}")[2] if text.startswith("{") else text


def _namespace(tag: object) -> str | None:
    text = str(tag)
    return text[1:].partition("}")[0] if text.startswith("{") else None


class _Reader:
    """Collects one trace at a time.

    The fast path asks libxml2 for all attribute keys and values of a trace's events in two
    compiled XPath calls and the number of attributes per event in a third, instead of
    visiting each attribute element from Python (three times faster on large logs). A key's
    XES type is taken from its first occurrence; a later value that does not fit the type
    turns the column into text when the columns are typed. A trace the fast path cannot align
    (an event holding a ``list`` or ``container``) is read element by element.
    """

    def __init__(self, namespace: str | None, where: str) -> None:
        self.where = where
        self.most_attributes = XES_EVENT_ATTRIBUTES.value
        ns = {"x": namespace} if namespace else None
        p = "x:" if namespace else ""
        self.keys = etree.XPath(f"{p}event/*/@key", namespaces=ns, smart_strings=False)
        self.values = etree.XPath(f"{p}event/*/@value", namespaces=ns, smart_strings=False)
        self.events = etree.XPath(f"{p}event", namespaces=ns)
        q = f"{{{namespace}}}" if namespace else ""
        self.attribute_tags = tuple(f"{q}{kind}" for kind in sorted(_VALUE_KINDS))
        self.event_keys: list[str] = []
        self.event_values: list[str] = []
        self.per_event: list[int] = []  # attributes per event, in file order
        self.per_trace: list[int] = []  # events per trace
        self.kinds: dict[str, set[str]] = {}
        self.trace_cols: dict[str, _Column] = {}
        self.n_traces = 0

    def trace(self, trace: etree._Element) -> None:
        for child in trace.iterchildren(*self.attribute_tags):
            key, value = child.get("key"), child.get("value")
            if key is None or value is None:
                continue
            kind = _local(child.tag)
            column = self.trace_cols.get(key)
            if column is None:
                column = self.trace_cols[key] = _Column(kind)
            else:
                column.kinds.add(kind)
            column.rows.append(self.n_traces)
            column.values.append(value)

        events = self.events(trace)
        counts = list(map(len, events))
        if counts and max(counts) > self.most_attributes:
            XES_EVENT_ATTRIBUTES.check(max(counts), LogError, source=self.where)
        keys = self.keys(trace)
        values = self.values(trace)
        if len(keys) == len(values) == sum(counts):
            if not self.kinds.keys() >= set(keys):
                self._learn_kinds(events)
                self._check_columns()
            self.event_keys.extend(keys)
            self.event_values.extend(values)
            self.per_event.extend(counts)
        else:
            self._slow(events)
        self.per_trace.append(len(events))
        self.n_traces += 1

    def _learn_kinds(self, events: list[etree._Element]) -> None:
        for event in events:
            for child in event:
                key = child.get("key")
                if key is not None and key not in self.kinds:
                    self.kinds[key] = {_local(child.tag)}

    def _slow(self, events: list[etree._Element]) -> None:
        for event in events:
            count = 0
            for child in event.iterchildren(*self.attribute_tags):
                key, value = child.get("key"), child.get("value")
                if key is None or value is None:
                    continue
                self.kinds.setdefault(key, set()).add(_local(child.tag))
                self.event_keys.append(key)
                self.event_values.append(value)
                count += 1
            self.per_event.append(count)
        self._check_columns()

    def _check_columns(self) -> None:
        COLUMNS.check(len(self.kinds) + len(self.trace_cols), LogError, source=self.where)


def _elements(path: Path) -> Iterator[etree._Element]:
    """Yield completed trace elements, translating XML errors into LogError.

    Blank text between elements is not kept: half of an XES file's nodes are indentation.
    """
    with open_input(path) as fh:
        trace_bytes = XES_TRACE_BYTES.value
        fh.begin_unit(trace_bytes)
        context = etree.iterparse(
            fh,
            events=("end",),
            tag="{*}trace",
            remove_blank_text=True,
            **SAFE_PARSER_OPTIONS,
        )
        first = True
        try:
            for _, element in context:
                if first:
                    first = False
                    tree = element.getroottree()
                    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
                        raise LogError(
                            "the XES file declares a document type; remove the DOCTYPE line.",
                            source=str(path),
                        )
                    root_name = _local(tree.getroot().tag)
                    if root_name != "log":
                        raise LogError(
                            f"not an XES log: the root element is <{root_name}>, not <log>. "
                            "Fix: check the file, or pass format= for another format.",
                            source=str(path),
                        )
                yield element
                fh.begin_unit(trace_bytes)  # the next trace starts counting from here
        except etree.XMLSyntaxError as exc:
            line = getattr(exc, "lineno", None)
            where = f" at line {line}" if line else ""
            raise LogError(
                f"malformed XML{where}: {exc.msg}. Fix: repair or re-export the file "
                "(a truncated download is the usual cause).",
                source=str(path),
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise LogError(
                f"cannot read the file: {exc}. Fix: check that it is a complete XES or "
                "gzip-compressed XES file.",
                source=str(path),
            ) from exc
        if first:
            root = context.root
            if root is None or _local(root.tag) != "log":
                name = "none" if root is None else f"<{_local(root.tag)}>"
                raise LogError(
                    f"not an XES log: the root element is {name}, not <log>. Fix: check the "
                    "file, or pass format= for another format.",
                    source=str(path),
                )


def read_xes_columns(path: str | Path) -> XesColumns:
    """Stream an XES file into raw columns (one row per event, in file order).

    Raises :class:`LogError` for unreadable, malformed or non-XES files, for DTDs and for
    events outside any trace.
    """
    path = Path(path)
    _check_prolog(path)
    reader: _Reader | None = None
    orphans = 0
    root: Any = None
    for trace in _elements(path):
        if reader is None:
            reader = _Reader(_namespace(trace.tag), str(path))
            root = trace.getparent()
        reader.trace(trace)
        trace.clear()
        # free what is done: this trace and everything before it (log attributes, globals)
        while (previous := trace.getprevious()) is not None:
            orphans += _local(previous.tag) == "event"
            del root[0]
    if root is not None:
        orphans += sum(1 for c in root if isinstance(c.tag, str) and _local(c.tag) == "event")
    if orphans:
        raise LogError(
            f"{orphans} event(s) stand outside any <trace>, so they have no case. Fix: put "
            "every event inside the trace of its case and export again.",
            source=str(path),
        )
    if reader is None:
        return XesColumns(frame=pd.DataFrame({CASE: pd.array([], dtype="str")}))
    return _assemble(reader)


def _assemble(reader: _Reader) -> XesColumns:
    """Turn the collected values into typed columns; trace attributes broadcast to events."""
    data: dict[str, object] = {}
    date_columns: list[str] = []
    n_events = len(reader.per_event)
    trace_of_event = np.repeat(np.arange(reader.n_traces), reader.per_trace)

    for key, column in reader.trace_cols.items():
        name = CASE if key == "concept:name" else f"case:{key}"
        # type the (fewer) per-trace values first, then repeat them onto the events
        per_trace = _typed(_spread(column.rows, column.values, reader.n_traces), column.kinds)
        data[name] = per_trace.take(trace_of_event).reset_index(drop=True)
        if _kind(column.kinds) == "date":
            date_columns.append(name)

    event_of_value = np.repeat(np.arange(n_events), reader.per_event)
    codes, uniques = pd.factorize(np.asarray(reader.event_keys, dtype=object))
    values = np.asarray(reader.event_values, dtype=object)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for code, key in enumerate(uniques):
        if key in data:  # an event attribute named like a case column: the case's wins
            continue
        take = order[bounds[code] : bounds[code + 1]]
        kinds = reader.kinds.get(key, {"string"})
        data[key] = _typed(_spread(event_of_value[take], values[take], n_events), kinds)
        if _kind(kinds) == "date":
            date_columns.append(key)

    if CASE not in data:
        data[CASE] = pd.array([None] * n_events, dtype="str")
    frame = pd.DataFrame(data, index=pd.RangeIndex(n_events))
    return XesColumns(frame=frame, date_columns=date_columns, traces=reader.n_traces)


def _spread(rows: object, values: object, n: int) -> np.ndarray:
    """An object array of length n with the values at their rows, None elsewhere."""
    rows = np.asarray(rows, dtype=np.int64)
    out = np.full(n, None, dtype=object)
    out[rows] = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    return out


def _kind(kinds: set[str]) -> str:
    """One type for a key: its only type, float for mixed numbers, else text."""
    if len(kinds) == 1:
        (kind,) = kinds
        return "string" if kind == "id" else kind
    if kinds <= {"int", "float"}:
        return "float"
    return "string"


def _typed(values: np.ndarray, kinds: set[str]) -> pd.Series:
    """Convert text values to the XES type; values that do not fit keep the column as text."""
    kind = _kind(kinds)
    series = pd.Series(values, dtype=object)
    if kind in ("int", "float"):
        numbers = pd.to_numeric(series, errors="coerce")
        if numbers.isna().sum() == series.isna().sum():
            whole = numbers.dropna()
            if kind == "int" and (whole == np.floor(whole)).all():
                return numbers.astype("Int64") if numbers.isna().any() else numbers.astype("int64")
            return numbers.astype("float64")
    elif kind == "boolean":
        lowered = series.str.strip().str.lower()
        mapped = lowered.map({"true": True, "false": False, "1": True, "0": False})
        if mapped.isna().sum() == series.isna().sum():
            return mapped.astype("boolean") if mapped.isna().any() else mapped.astype(bool)
    return series.astype("str")


# ---------------------------------------------------------------------------------- writing

_FIXED = (CASE, ACTIVITY, END, START, ENABLE, LIFECYCLE)


def _xes_type(series: pd.Series) -> str:
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(
        series.dtype
    ):
        return "date"
    if pd.api.types.is_bool_dtype(series.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    return "string"


def iso_text(series: pd.Series) -> np.ndarray:
    """ISO 8601 text with each value's own UTC offset (xs:dateTime), vectorised; NaT -> None.

    Milliseconds are written when no value has a finer part, else microseconds, so that
    reading the file back gives the same instants.
    """
    if getattr(series.dt, "tz", None) is None:
        wall = series
        offsets = pd.Series(np.zeros(len(series), dtype=np.int64), index=series.index)
    else:
        wall = series.dt.tz_localize(None)
        utc = series.dt.tz_convert("UTC").dt.tz_localize(None)
        offsets = ((wall - utc).dt.total_seconds().fillna(0) // 60).astype(np.int64)
    suffix = {
        int(m): f"{'+' if m >= 0 else '-'}{abs(int(m)) // 60:02d}:{abs(int(m)) % 60:02d}"
        for m in offsets.unique()
    }
    ticks = wall.to_numpy(dtype="datetime64[us]")
    present = ~np.isnat(ticks)
    unit = "ms" if not (ticks[present].astype(np.int64) % 1000).any() else "us"
    text = np.datetime_as_string(ticks, unit=unit).astype(object)  # type: ignore[call-overload]
    out = text + offsets.map(suffix).to_numpy(dtype=object)
    out[~present] = None
    return out


# Characters XML 1.0 cannot carry at all, not even as character references: XES readers
# (leanproc's, pm4py's, ProM's) reject the file. They are refused when writing, naming the
# column and the row, rather than written into a file nobody can read back.
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def _escape(text: pd.Series, column: str = "") -> pd.Series:
    """XML-escape text for an attribute value (vectorised; most logs need nothing).

    Tab, newline and carriage return become character references: written raw, an XML
    parser would turn each into a space (attribute-value normalisation).
    """
    if not text.str.contains('[&<>"\n\t\r\x00-\x1f\ufffe\uffff]',
                             regex=True).fillna(False).any():
        return text
    bad = np.flatnonzero(text.str.contains(_NOT_XML, regex=True).fillna(False).to_numpy())
    if bad.size:
        value = str(text.iloc[bad[0]])
        char = next(c for c in value if re.match(_NOT_XML, c))
        raise LogError(
            f"column {column!r}: {bad.size} value(s) hold characters XML cannot carry (e.g. "
            f"{char!r} in {value[:40]!r}, row {text.index[bad[0]]}). Fix: remove them, or "
            "write the log as CSV or Parquet, which keep them."
        )
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                         ("\n", "&#10;"), ("\t", "&#9;"), ("\r", "&#13;")):
        text = text.str.replace(char, entity, regex=False)
    return text


def _text_values(series: pd.Series, kind: str) -> np.ndarray:
    """The values of a column as XML-escaped attribute text (None where missing)."""
    if kind == "date":
        return iso_text(series)
    missing = series.isna().to_numpy()
    if kind == "boolean":
        values = np.where(series.fillna(False).to_numpy(dtype=bool), "true", "false")
        values = values.astype(object)
    else:
        values = _escape(series.astype("str"), str(series.name)).to_numpy(dtype=object)
    values[missing] = None
    return values


def _lines(kind: str, key: str, values: np.ndarray, indent: str) -> np.ndarray:
    """One XML line per value ('' where the value is missing), as an object array."""
    head = f'{indent}<{kind} key="{key}" value="'
    present = np.array([v is not None for v in values], dtype=bool)
    out = np.full(len(values), "", dtype=object)
    out[present] = head + values[present] + '"/>\n'
    return out


_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<log xes.version="1.0" xes.features="" xmlns="http://www.xes-standard.org/">\n'
    '  <extension name="Concept" prefix="concept" '
    'uri="http://www.xes-standard.org/concept.xesext"/>\n'
    '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n'
    '  <extension name="Lifecycle" prefix="lifecycle" '
    'uri="http://www.xes-standard.org/lifecycle.xesext"/>\n'
    '  <extension name="Organizational" prefix="org" '
    'uri="http://www.xes-standard.org/org.xesext"/>\n'
)
# attributes a start or schedule event repeats from its instance (others belong to the row)
_SHARED = (RESOURCE, ROLE)


def write_xes(log: pd.DataFrame, path: str | Path) -> None:
    """Write a log in the one schema as XES 1.0 (gzip when the name ends in ``.gz``).

    Each row becomes a ``complete`` event; a row with ``start_timestamp`` adds a ``start``
    event and one with ``enable_timestamp`` a ``schedule`` event, so that reading the file
    back (with leanproc or pm4py) recovers the intervals. The extra events carry the
    activity, time, resource and role only (a cost stays on the complete event, so totals do
    not double). Columns ``case:<k>`` become trace attributes ``<k>``; other columns become
    event attributes with their XES types. Events are ordered by time within each trace.
    """
    path = Path(path)
    case_cols = [c for c in log.columns if c.startswith("case:") and c != CASE]
    event_cols = [c for c in log.columns if c not in _FIXED and c not in case_cols]
    log = log.reset_index(drop=True)

    parts = [log.assign(_kind=2)]
    for column, kind in ((START, 1), (ENABLE, 0)):
        if column in log.columns:
            keep = [CASE, ACTIVITY, column, *_present(log), *case_cols]
            extra = log.loc[log[column].notna(), keep]
            parts.append(extra.rename(columns={column: END}).assign(_kind=kind))
    events = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    case_codes, _ = pd.factorize(events[CASE], sort=False)
    kinds = events["_kind"].to_numpy()
    order = np.lexsort((kinds, events[END].array.asi8, case_codes))
    events = events.iloc[order].reset_index(drop=True)
    case_codes, kinds = case_codes[order], kinds[order]
    n = len(events)

    body = np.full(n, "    <event>\n", dtype=object)
    transitions = np.array(["schedule", "start", "complete"], dtype=object)[kinds]
    body += _lines("string", "concept:name", _text_values(events[ACTIVITY], "string"), " " * 6)
    body += _lines("string", LIFECYCLE, transitions, " " * 6)
    body += _lines("date", "time:timestamp", iso_text(events[END]), " " * 6)
    for col in event_cols:
        event_kind = _xes_type(log[col])
        values = _text_values(events[col], event_kind)
        if col not in _SHARED:
            values[kinds != 2] = None
        key = _escape(pd.Series([col]), "(a column name)").iloc[0]
        body += _lines(event_kind, key, values, " " * 6)
    body += "    </event>\n"

    first = np.flatnonzero(np.r_[True, case_codes[1:] != case_codes[:-1]])
    last = np.r_[first[1:] - 1, n - 1]
    head = np.full(len(first), "  <trace>\n", dtype=object)
    firsts = events.iloc[first]
    head += _lines("string", "concept:name", _text_values(firsts[CASE], "string"), " " * 4)
    for col in case_cols:
        case_kind = _xes_type(log[col])
        key = _escape(pd.Series([col[5:]]), "(a column name)").iloc[0]
        head += _lines(case_kind, key, _text_values(firsts[col], case_kind), " " * 4)
    body[first] = head + body[first]
    body[last] += "  </trace>\n"

    with atomic_write(path, "wb") as raw:
        # mtime=0: the same log gives the same bytes
        binary = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") \
            if path.name.lower().endswith(".gz") else raw
        out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        out.write(_HEADER)
        for begin in range(0, n, 100_000):
            out.write("".join(body[begin : begin + 100_000]))
        out.write("</log>\n")
        out.flush()
        out.detach()  # the raw file stays open for atomic_write to finish
        if binary is not raw:
            binary.close()  # the gzip trailer; leaves the raw file open


def _present(log: pd.DataFrame) -> list[str]:
    return [c for c in _SHARED if c in log.columns]
