"""Opening a log file under the limits that keep a small file from taking all memory or time.

Every XES and CSV file is read through :func:`open_input`, which

* recognises gzip, bzip2 and xz compression by content (a ``.csv.gz`` that is plain text
  reads too);
* counts the bytes handed to the parser and stops with a :class:`LogError` naming the limit as
  soon as a limit is passed, while streaming, before the parser has spent the memory:
  the decompressed size (absolute) and the expansion ratio (decompressed bytes per compressed
  byte consumed so far, a decompression bomb's signature);
* turns a truncated or corrupt compressed stream into a :class:`LogError` ("the file is
  truncated"), instead of a bare ``EOFError`` from deep inside a parser.

The defaults sit far above the real logs (see ``../shared/corpus/logs``): the highest
expansion ratio there is 43 (``helpdesk.xes.gz``; the CSV logs expand 9-10 times, XES 14-42
times when gzipped), a bomb expands hundreds to thousands of times; a 10 M-event XES log is
about 3 GB of XML.
"""

from __future__ import annotations

import bz2
import csv
import io
import lzma
import zlib
from pathlib import Path
from typing import IO

from leanproc.errors import LogError
from leanproc.limits import Limit

DECOMPRESSED_BYTES = Limit(
    "log_decompressed_bytes", 8 << 30, "bytes a compressed log expands to (read whole)"
)
COMPRESSION_RATIO = Limit(
    "log_compression_ratio", 200,
    "times a compressed log expands (decompressed bytes per compressed byte)",
)
COLUMNS = Limit("log_columns", 10_000, "columns (attribute keys) in one event log")
XES_EVENT_ATTRIBUTES = Limit("xes_event_attributes", 1_000, "attributes of one XES event")
XES_TRACE_BYTES = Limit("xes_trace_bytes", 64 << 20, "bytes of XML in one XES trace")

# The ratio is judged only past this much output: a small file cannot hurt, and the first
# megabytes of a real log (headers, one repeated case) compress far better than the whole.
RATIO_AFTER_BYTES = 64 << 20

_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))

# What pandas reads as missing by default. A file leanproc wrote marks a missing value with an
# empty field only, so these are text there; time and numeric columns of other exports still
# treat them as missing (a timestamp or a number cannot be the word "NA").
NA_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "NaT",
})


def compression(path: Path) -> str | None:
    """'gzip', 'bzip2' or 'xz' when the file's first bytes say so, else None."""
    with path.open("rb") as probe:
        head = probe.read(6)
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


class _Counted(io.RawIOBase):
    """A byte stream that counts what it hands out and enforces the limits while it does."""

    def __init__(self, path: Path, *, whole: bool) -> None:
        self.where = str(path)
        self.file = path.open("rb")  # closed by close(), with the stream
        self.kind = compression(path)
        inner: IO[bytes] | io.BufferedIOBase
        if self.kind == "gzip":
            import gzip

            inner = gzip.GzipFile(fileobj=self.file, mode="rb")
        elif self.kind == "bzip2":
            inner = bz2.BZ2File(self.file)
        elif self.kind == "xz":
            inner = lzma.LZMAFile(self.file)  # noqa: SIM115  # closed by close()
        else:
            inner = self.file
        self.inner = inner
        self.produced = 0
        self.mark = 0  # where the current unit (an XES trace) began
        # read once: the limits cannot change in the middle of one file
        self.most = DECOMPRESSED_BYTES.value if whole and self.kind else None
        self.ratio = COMPRESSION_RATIO.value if self.kind else None
        self.unit_most: int | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            n = self.inner.readinto(buffer)
        except EOFError as exc:
            raise LogError(
                f"the file is truncated: not a complete {self.kind} stream ({exc}). Fix: "
                "download or copy it again.", source=self.where,
            ) from None
        except (OSError, zlib.error, lzma.LZMAError) as exc:
            raise LogError(
                f"the file is not a readable {self.kind or 'plain'} file ({exc}). Fix: check "
                "that it is complete and of the type its name says.", source=self.where,
            ) from None
        self.produced += n
        if self.most is not None:
            DECOMPRESSED_BYTES.check(self.produced, LogError, source=self.where)
        if self.ratio is not None and self.produced > RATIO_AFTER_BYTES:
            consumed = max(self.file.tell(), 1)
            if self.produced > self.ratio * consumed:
                COMPRESSION_RATIO.check(self.produced // consumed, LogError, source=self.where)
        if self.unit_most is not None and self.produced - self.mark > self.unit_most:
            XES_TRACE_BYTES.check(self.produced - self.mark, LogError, source=self.where)
        return n

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
            self.file.close()
        super().close()


class Input(io.BufferedReader):
    """The buffered stream :func:`open_input` returns; ``counted`` exposes the counts."""

    counted: _Counted

    def begin_unit(self, most: int | None) -> None:
        """Start counting a new unit (an XES trace) that may take at most ``most`` bytes."""
        self.counted.mark = self.counted.produced
        self.counted.unit_most = most


def open_input(path: Path, *, whole: bool = True) -> Input:
    """Open ``path`` (plain or compressed) as a byte stream under the limits.

    ``whole=False`` (chunked reading) drops the absolute decompressed-size limit, which only
    protects memory, and keeps the ratio limit.
    """
    try:
        counted = _Counted(path, whole=whole)
    except OSError as exc:
        raise LogError(f"cannot read the file: {exc}.", source=str(path)) from exc
    stream = Input(counted, buffer_size=1 << 16)
    stream.counted = counted
    return stream


def csv_header(path: Path, sep: str | None, encoding: str, *, whole: bool = True
               ) -> tuple[list[str], str]:
    """The column names of a CSV file and its separator (sniffed when None), from line one.

    The number of columns is checked here, before pandas allocates anything per column.
    """
    with open_input(path, whole=whole) as raw, io.TextIOWrapper(raw, encoding=encoding,
                                                     errors="replace", newline="") as text:
        line = text.readline()
    line = line.removeprefix("\ufeff")
    if sep is None:
        counts = {s: line.count(s) for s in (",", ";", "\t", "|")}
        best = max(counts, key=lambda s: counts[s])
        sep = best if counts[best] else ","
    # a header is one record; csv copes with quoted names holding the separator
    names = next(csv.reader([line], delimiter=sep), []) if line.strip() else []
    COLUMNS.check(len(names), LogError, source=str(path))
    return names, sep


def out_of_memory(where: str, what: str) -> LogError:
    """The error for a read that ran out of memory: what ran out and the ways round it."""
    return LogError(
        f"ran out of memory while {what}. Fix: read it with read_log(..., chunked=True) "
        "(Parquet or CSV: whole cases at a time), convert it once to Parquet, or lower a "
        "limit (leanproc.limits) so that such files are refused early.",
        source=where,
    )
