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
import re
import zlib
from pathlib import Path
from typing import IO

from leanproc.errors import LogError
from leanproc.limits import limit

DECOMPRESSED_BYTES = limit("log_decompressed_bytes")
COMPRESSION_RATIO = limit("log_compression_ratio")
COLUMNS = limit("log_columns")
XES_EVENT_ATTRIBUTES = limit("xes_event_attributes")
XES_TRACE_BYTES = limit("xes_trace_bytes")

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


# Bytes looked at to decide a CSV file's encoding and separator: enough for the header and
# dozens of rows of any real export, little enough to cost nothing on a 10 GB file.
_PROBE_BYTES = 256 << 10
_PROBE_RECORDS = 50
SEPARATORS = (",", ";", "\t", "|")

# Characters a Russian office document holds besides ASCII, when read as cp1251: Cyrillic
# letters (with Ё/ё), the numero sign, guillemets, dashes, typographic quotes and the no-break
# space. Bytes that decode to anything else (Latin accents, box drawing...) mean the file is
# not Russian cp1251 text, and guessing cp1251 would turn it into a plausible-looking mess.
_RUSSIAN_CP1251 = re.compile("[\u0410-\u044f\u0401\u0451\u2116\u00ab\u00bb\u2013\u2014"
                             "\u201c\u201d\u201e\u00a0]")

_CYRILLIC = re.compile("[\u0410-\u044f\u0401\u0451]")


def _head_bytes(path: Path, *, whole: bool) -> bytes:
    with open_input(path, whole=whole) as raw:
        return raw.read(_PROBE_BYTES)


def detect_encoding(head: bytes) -> str | None:
    """'utf-8-sig', 'utf-8' or 'cp1251' for the first bytes of a file, or None if none fits.

    UTF-8 is decided on validity (a multi-byte character cut at the end of the probe is
    allowed); cp1251 only when every non-ASCII character it gives is one a Russian document
    holds and at least a few of them are Cyrillic letters: any byte string decodes as cp1251,
    so decoding alone proves nothing.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    text = head.decode("cp1251", errors="replace")
    foreign = [c for c in text if ord(c) > 127]
    if not foreign or not all(_RUSSIAN_CP1251.match(c) for c in foreign):
        return None
    # Latin-1 text decodes to Cyrillic letters too ("Prüfung" -> "Prьfung"), but inside Latin
    # words: Russian text has few words that mix the two alphabets
    words = re.findall(r"\w+", text)
    cyrillic = [w for w in words if _CYRILLIC.search(w)]
    mixed = [w for w in cyrillic if re.search("[A-Za-z]", w)]
    return "cp1251" if len(mixed) * 10 <= len(cyrillic) else None


def _records(text: str, sep: str) -> list[list[str]]:
    """The first records of `text` split by `sep` (the last, maybe cut, line left out)."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    reader = csv.reader(lines, delimiter=sep)
    out = []
    try:
        for record in reader:
            out.append(record)
            if len(out) >= _PROBE_RECORDS:
                break
    except csv.Error:
        pass  # a field cut by the probe: judge on the records read so far
    return out


def sniff_separator(text: str) -> str:
    """The separator of CSV text: the one that splits the header into most fields while every
    following record has as many fields as the header.

    Counting on the header alone misjudges Russian exports, whose ';'-separated rows hold
    decimal commas (and headers sometimes a comma); a separator that gives rows of varying
    length is not the file's. When none is consistent, the one most frequent in the header is
    kept (pandas then names the malformed line).
    """
    header = text.splitlines()[0] if text else ""
    consistent = {}
    for sep in SEPARATORS:
        records = [r for r in _records(text, sep) if r]
        if records and len(records[0]) > 1 and all(len(r) == len(records[0]) for r in records):
            consistent[sep] = len(records[0])
    if consistent:
        return max(consistent, key=lambda s: consistent[s])
    counts = {s: header.count(s) for s in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def csv_header(path: Path, sep: str | None, encoding: str | None, *, whole: bool = True
               ) -> tuple[list[str], str, str]:
    """The column names of a CSV file, its separator and its encoding (both found from the
    first records when None).

    The number of columns is checked here, before pandas allocates anything per column.
    """
    head = _head_bytes(path, whole=whole)
    if encoding is None:
        encoding = detect_encoding(head)
        if encoding is None:
            raise LogError(
                "the file is neither UTF-8 nor Russian Windows (cp1251) text. Fix: pass "
                "encoding= (e.g. encoding='cp1252' or 'koi8-r'), or save the file as UTF-8.",
                source=str(path),
            )
    text = head.decode(encoding, errors="replace").removeprefix("\ufeff")
    if sep is None:
        sep = sniff_separator(text)
    if len(head) == _PROBE_BYTES and not any(c in text for c in "\r\n"):
        # a header longer than the probe (thousands of columns): read the whole line
        with open_input(path, whole=whole) as raw, \
                io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as full:
            text = full.readline().removeprefix("\ufeff")
    line = text.splitlines()[0] if text.strip() else ""
    # a header is one record; csv copes with quoted names holding the separator
    names = next(csv.reader([line], delimiter=sep), []) if line.strip() else []
    COLUMNS.check(len(names), LogError, source=str(path))
    return names, sep, encoding


def out_of_memory(where: str, what: str) -> LogError:
    """The error for a read that ran out of memory: what ran out and the ways round it."""
    return LogError(
        f"ran out of memory while {what}. Fix: read it with read_log(..., chunked=True) "
        "(Parquet or CSV: whole cases at a time), convert it once to Parquet, or lower a "
        "limit (leanproc.limits) so that such files are refused early.",
        source=where,
    )
