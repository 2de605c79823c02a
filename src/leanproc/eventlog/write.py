"""``write_log``: a log in the one schema -> CSV, Parquet or XES (the simulator's ``--out``).

* CSV (``.csv``, ``.csv.gz``): ISO 8601 timestamps with their UTC offsets; read it back with
  ``read_log(path, timezone=<zone>)`` to get the same zone (a CSV cannot name a zone). A
  missing value is an empty field, and only an empty field reads back as missing: text such
  as ``NA``, ``None`` or ``null`` stays text. An empty text is written as an empty field too
  (CSV readers cannot tell ``""`` from nothing), so it reads back missing, as blank ids
  always do in :func:`~leanproc.eventlog.read.read_log`. Lines end in CRLF (RFC 4180), so
  that a value holding a carriage return is quoted and survives. CSV carries no types: text
  that looks like a number reads back as a number outside the id columns (Parquet and XES
  keep types);
* Parquet (``.parquet``): the frame as it is, zone included;
* XES (``.xes``, ``.xes.gz``): one trace per case; each row becomes a ``complete`` event plus
  a ``start`` event when ``start_timestamp`` is known and a ``schedule`` event when
  ``enable_timestamp`` is, so that pm4py and :func:`~leanproc.eventlog.read.read_log` both read
  the intervals back. Tabs and newlines in values are kept as character references; the
  control characters XML 1.0 cannot carry at all are refused with a :class:`LogError`.

Every format is written atomically (:func:`leanproc.atomic.atomic_write`): an interrupted
write leaves the previous file as it was, never half a log that reads as a complete one.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import IO

import pandas as pd

from leanproc.atomic import atomic_write
from leanproc.errors import LogError
from leanproc.log import REQUIRED_COLUMNS


def write_log(log: pd.DataFrame, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``log`` to ``path`` in the format its suffix (or ``format=``) names; return it."""
    path = Path(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in log.columns]
    if missing:
        raise LogError(
            f"cannot write a log without {', '.join(missing)}. Fix: read or build it with "
            "leanproc so it has the schema columns.",
            source=str(path),
        )
    name = path.name.lower()
    fmt = (format or "").lower()
    if not fmt:
        if name.endswith((".xes", ".xes.gz")):
            fmt = "xes"
        elif name.endswith((".csv", ".csv.gz")):
            fmt = "csv"
        elif name.endswith((".parquet", ".pq")):
            fmt = "parquet"
        else:
            raise LogError(
                "unknown output format. Fix: end the name in .csv, .csv.gz, .parquet, .xes or "
                ".xes.gz, or pass format='csv' | 'parquet' | 'xes'.",
                source=str(path),
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write(log, path, fmt)
    except LogError as exc:
        if exc.source is None:
            raise LogError(exc.problems, source=str(path)) from None
        raise
    return path


def _write(log: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        from leanproc.eventlog.xes import iso_text

        # pandas formats aware timestamps value by value; ISO text is 20x faster to write
        text = {
            c: iso_text(log[c])
            for c in log.columns
            if pd.api.types.is_datetime64_any_dtype(log[c].dtype)
        }
        with atomic_write(path, "wb") as raw:
            _csv_to(log.assign(**text), raw, gz=path.name.lower().endswith(".gz"))
    elif fmt == "parquet":
        clean = log.copy(deep=False)
        clean.attrs = {}  # attrs are run metadata, not data; keep the file portable
        with atomic_write(path, "wb") as raw:
            clean.to_parquet(raw, index=False)
    elif fmt == "xes":
        from leanproc.eventlog.xes import write_xes

        write_xes(log, path)
    else:
        raise LogError(f"unknown format {fmt!r}. Fix: use csv, parquet or xes.", source=str(path))


def _csv_to(frame: pd.DataFrame, raw: IO[bytes], *, gz: bool) -> None:
    """``frame`` as UTF-8 CSV into the open binary file ``raw`` (gzip-compressed when asked)."""
    binary: IO[bytes] | gzip.GzipFile = raw
    if gz:  # mtime=0: the same log gives the same bytes
        binary = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="")
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    frame.to_csv(text, index=False, lineterminator="\r\n")
    text.flush()
    text.detach()  # the caller's file stays open
    if binary is not raw:
        binary.close()  # writes the gzip trailer; leaves ``raw`` open
