"""Loading a log source as it is: format detection and one loader per format.

The loaders return the raw table plus how its rows are called in messages (a CSV's file lines,
an XES file's event numbers, a DataFrame's index labels), so that every error can point at
the row a user will find in their own file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.eventlog import sql as _sql
from leanproc.eventlog._columns import LIFECYCLE, map_columns
from leanproc.eventlog._input import NA_TOKENS, csv_header, open_input, out_of_memory
from leanproc.log import ACTIVITY, CASE, RESOURCE, ROLE

FORMATS = ("xes", "csv", "xlsx", "parquet", "sql", "dataframe")
TEXT_COLUMNS = (CASE, ACTIVITY, RESOURCE, ROLE, LIFECYCLE)
_SUFFIXES = {
    ".xes": "xes",
    ".xes.gz": "xes",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".db": "sql",
    ".sqlite": "sql",
    ".sqlite3": "sql",
}


@dataclass
class Raw:
    """A source read as-is, with what is needed to name its rows in messages."""

    frame: pd.DataFrame
    fmt: str
    where: str
    row_word: str  # how a row is called in this source: "line", "event #", "row"
    row_base: int  # number of the first data row in that wording
    labels: pd.Index | None = None  # DataFrame sources: name rows by their index label
    date_columns: list[str] = field(default_factory=list)
    text_format: dict[str, Any] = field(default_factory=dict)  # CSV: encoding and separator

    def row(self, position: int) -> str:
        if self.labels is not None:
            return f"row {self.labels[position]!r}"
        return f"{self.row_word}{position + self.row_base}"


# ------------------------------------------------------------------------------ sources


def detect(source: object, fmt: str | None, query: str | None) -> str:
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt in ("xes.gz",):
            fmt = "xes"
        if fmt not in FORMATS:
            raise LogError(
                f"unknown format {fmt!r}. Fix: use one of {', '.join(FORMATS)}.",
                source=_name(source),
            )
        return fmt
    if isinstance(source, pd.DataFrame):
        return "dataframe"
    if _sql.is_url(source) or _sql.is_connection(source):
        return "sql"
    if isinstance(source, str | os.PathLike):
        name = Path(source).name.lower()
        for suffix, kind in sorted(_SUFFIXES.items(), key=lambda kv: -len(kv[0])):
            if name.endswith(suffix):
                return kind
        raise LogError(
            f"unknown log format of {Path(source).name!r}. Fix: use a file ending in "
            f"{', '.join(_SUFFIXES)}, or pass format= (one of {', '.join(FORMATS)}).",
            source=str(source),
        )
    raise LogError(
        f"cannot read a log from a {type(source).__name__}. Fix: pass a file path, a "
        "DataFrame, a database connection or URL (with query=)."
    )


def _name(source: object) -> str:
    if isinstance(source, pd.DataFrame):
        return "DataFrame"
    if isinstance(source, str | os.PathLike):
        return _sql.describe(str(source)) if _sql.is_url(source) else str(source)
    return _sql.describe(source)


def _existing(source: object) -> Path:
    path = Path(source)  # type: ignore[arg-type]
    if not path.is_file():
        raise LogError(f"no such file: {str(path)!r}.", source=str(path))
    return path


def read_csv_text(
    path: Path,
    sep: str | None,
    encoding: str | None,
    columns: Mapping[str, str] | None,
    *,
    categorical: bool = False,
    chunksize: int | None = None,
) -> tuple[Any, list[str], str, str]:
    """A CSV file through pandas under the limits: (a frame or a reader of chunks, the names
    of the columns read as text ids, the separator, the encoding). `sep` and `encoding` are
    found from the file's first records when None (see :func:`csv_header`).

    Only an empty field is missing: a text value such as ``NA``, ``None`` or ``null`` stays
    text (pandas would otherwise read six such words as missing, so a resource called "NA"
    vanished from a log leanproc wrote itself). `foreign_missing` turns those words back
    into missing values in columns that hold numbers otherwise.
    """
    names, sep, encoding = csv_header(path, sep, encoding, whole=chunksize is None)
    explicit, recognised = map_columns(names, columns, source=str(path))
    renamed = {**{c: c for c in names}, **explicit, **recognised}
    # categorical=True parses the id columns straight into categories: a big log never
    # holds one Python string per row
    kind = "category" if categorical else "str"
    text = {src: kind for src, dst in renamed.items() if dst in TEXT_COLUMNS}
    stream = open_input(path, whole=chunksize is None)
    try:
        return pd.read_csv(
            stream, sep=sep, dtype=text, encoding=encoding, low_memory=False,
            keep_default_na=False, na_values=[""], chunksize=chunksize,
        ), list(text), sep, encoding
    finally:
        if chunksize is None:
            stream.close()


def foreign_missing(frame: pd.DataFrame, keep: Iterable[str]) -> pd.DataFrame:
    """Columns of numbers whose gaps another tool wrote as ``NA`` / ``NaN``... become numbers.

    `keep` names the text columns left alone. Only columns holding such a word are examined
    further, so a file with many text columns costs little more.
    """
    keep = set(keep)
    texts = [c for c, d in frame.dtypes.items()
             if c not in keep and (pd.api.types.is_object_dtype(d)
                                   or pd.api.types.is_string_dtype(d))]
    if not texts or len(frame) == 0:
        return frame
    words = list(NA_TOKENS - {""})
    if len(frame) <= 10_000:  # a wide, short file: one pass over all its text cells
        found = np.isin(frame[texts].to_numpy(dtype=object), words).any(axis=0)
    else:  # a long file: column by column, without an object copy of every cell
        found = np.array([bool(frame[c].isin(words).any()) for c in texts])
    for j in np.flatnonzero(found):
        column = texts[j]
        rest = frame[column].mask(frame[column].isin(words))
        numbers = pd.to_numeric(rest, errors="coerce")
        if numbers.notna().sum() == rest.notna().sum() and numbers.notna().any():
            frame[column] = numbers
    return frame


def _read_csv(
    path: Path,
    sep: str | None,
    encoding: str | None,
    columns: Mapping[str, str] | None,
    categorical: bool = False,
) -> Raw:
    where = str(path)
    try:
        frame, text, sep, encoding = read_csv_text(path, sep, encoding, columns,
                                                   categorical=categorical)
    except pd.errors.EmptyDataError as exc:
        raise LogError(
            "the log is empty: no header and no events. Fix: check the file.", source=where
        ) from exc
    except UnicodeDecodeError as exc:
        raise LogError(
            f"the file is not {encoding or 'UTF-8'} text past its first records "
            f"({exc.reason} at byte {exc.start}). Fix: pass encoding=, e.g. "
            "encoding='cp1251' for Windows Cyrillic exports.",
            source=where,
        ) from exc
    except pd.errors.ParserError as exc:
        if "out of memory" in str(exc):
            raise out_of_memory(where, "parsing the CSV") from exc
        raise LogError(
            f"malformed CSV: {exc}. Fix: check the separator (pass sep=) and the quoting.",
            source=where,
        ) from exc
    except OSError as exc:
        raise LogError(f"cannot read the file: {exc}.", source=where) from exc
    return Raw(foreign_missing(frame, text), "csv", where, "line ", 2,
               text_format={"encoding": encoding, "separator": sep})


def load(
    source: object,
    fmt: str,
    *,
    query: str | None,
    sep: str | None,
    encoding: str | None,
    columns: Mapping[str, str] | None,
    categorical: bool = False,
    sheet: str | int | None = None,
) -> Raw:
    where = _name(source)
    if sheet is not None and fmt != "xlsx":
        raise LogError(f"sheet= is for Excel logs (.xlsx), and this is a {fmt} source. Fix: "
                       "leave sheet= out.", source=where)
    try:
        if fmt == "dataframe":
            raw = _from_frame(source, where)
        elif fmt == "sql":
            raw = _from_sql(source, query, where)
        else:
            path = _existing(source)
            if fmt == "xes":
                from leanproc.eventlog.xes import read_xes_columns

                table = read_xes_columns(path)
                raw = Raw(table.frame, fmt, where, "event #", 1, date_columns=table.date_columns)
            elif fmt == "csv":
                raw = _read_csv(path, sep, encoding, columns, categorical)
            elif fmt == "xlsx":
                from leanproc.eventlog._excel import read_xlsx  # openpyxl only when needed

                raw = read_xlsx(path, sheet)
            else:
                raw = _read_parquet(path, where)
    except MemoryError:
        raise out_of_memory(where, f"reading the {fmt} log") from None
    if fmt in ("parquet", "sql", "dataframe"):  # text formats cannot hold raw bytes
        raw.frame = decoded_bytes(raw.frame, where)
    return raw


def decoded_bytes(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Columns of raw bytes (Parquet ``binary``, SQL blobs) as UTF-8 text, or a LogError.

    Without this a binary timestamp column failed deep in the parser with a bare
    UnicodeDecodeError that named no column.
    """
    for column, dtype in frame.dtypes.items():
        if not pd.api.types.is_object_dtype(dtype):
            continue
        if pd.api.types.infer_dtype(frame[column]) not in ("bytes", "mixed"):
            continue
        values = frame[column].to_numpy(dtype=object)
        is_bytes = np.fromiter((isinstance(v, bytes | bytearray) for v in values), bool,
                               len(values))
        if not is_bytes.any():
            continue
        text = values.copy()
        for position in np.flatnonzero(is_bytes):
            try:
                text[position] = values[position].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LogError(
                    f"column {column!r} holds raw bytes that are not UTF-8 text (row "
                    f"{position}: {bytes(values[position][:20])!r}..., {exc.reason}). Fix: "
                    "store the column as text (a string type) or timestamps in the source, or "
                    "drop it before reading.",
                    source=where,
                ) from None
        frame[column] = text
    return frame


def _from_frame(source: object, where: str) -> Raw:
    if not isinstance(source, pd.DataFrame):
        raise LogError(f"format='dataframe' needs a DataFrame, not {type(source).__name__}.")
    frame = source.copy(deep=False)
    frame.columns = [str(c) for c in frame.columns]
    return Raw(frame.reset_index(drop=True), "dataframe", where, "row ", 0, labels=source.index)


def _from_sql(source: object, query: str | None, where: str) -> Raw:
    if isinstance(source, str | os.PathLike) and not _sql.is_url(source):
        path = _existing(source)
        source = f"sqlite:///{path.resolve()}"
    frame = _sql.read_sql_frame(source, query)
    return Raw(frame, "sql", where, "result row ", 1)


def _read_parquet(path: Path, where: str) -> Raw:
    try:
        # self_destruct frees each Arrow column as soon as pandas holds it: the peak is
        # about one copy of the log instead of two; dictionary columns become categoricals
        frame = pd.read_parquet(  # type: ignore[call-overload]  # the stubs lack the kwargs
            path, to_pandas_kwargs={"self_destruct": True, "split_blocks": True}
        )
    except MemoryError:
        raise
    except Exception as exc:  # pyarrow raises its own error types
        raise LogError(
            f"cannot read Parquet: {type(exc).__name__}: {exc}. Fix: check the file.",
            source=where,
        ) from exc
    return Raw(frame.reset_index(drop=True), "parquet", where, "row ", 0)
