"""``read_log(path, chunked=True)``: a Parquet or CSV log in chunks of whole cases.

For logs bigger than memory. The file is streamed (Parquet: record batches of the columns
the schema needs — projection, so other attributes are never read; CSV: ``chunksize``), and
each chunk goes through the same normalisation as a whole read (``read_log`` on the chunk's
frame), so a chunk is a frame in the one schema.

**Cases are never split.** The rows of the last case of a batch are held back and put in
front of the next batch, which is exact when the file's rows are grouped by case (each case's
rows together), as exports and ``write_log`` files are. A case that shows up again after its
chunk was handed out means the file is not grouped: that is a :class:`LogError` naming the
case and the fix, never a silent split. Memory: one batch plus the set of case ids seen.

The object is re-iterable (each iteration reads the file again), which is what ``kpis()``
needs for its two passes; it says so with ``whole_cases = True``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from leanproc.errors import LogError
from leanproc.eventlog._columns import LIFECYCLE, map_columns
from leanproc.log import ALL_COLUMNS, CASE

__all__ = ["DEFAULT_CHUNK_EVENTS", "LogChunks"]

DEFAULT_CHUNK_EVENTS = 2_000_000
"""Rows per batch read: ~50-100 MB of working memory per million rows in the one schema."""


class LogChunks:
    """A log file as chunks of whole cases, each a frame in the one schema (re-iterable)."""

    whole_cases = True

    def __init__(self, path: Path, fmt: str, chunk_events: int, *, sep: str | None,
                 encoding: str | None, columns: Mapping[str, str] | None,
                 options: dict[str, Any]) -> None:
        if fmt not in ("parquet", "csv"):
            raise LogError(
                f"chunked reading works for Parquet and CSV files, not {fmt}. Fix: read it "
                "whole, or convert it once (read_log, then write_log to .parquet).",
                source=str(path),
            )
        if isinstance(chunk_events, bool) or not isinstance(chunk_events, int) \
                or chunk_events < 1:
            raise LogError(f"chunk_events={chunk_events!r} must be a positive whole number.",
                           source=str(path))
        if not path.is_file():
            raise LogError(f"no such file: {str(path)!r}.", source=str(path))
        self.path = path
        self.fmt = fmt
        self.chunk_events = chunk_events
        self.sep = sep
        self.encoding = encoding
        self.columns = dict(columns or {})
        self.options = options

    def __repr__(self) -> str:
        return f"LogChunks({str(self.path)!r}, chunk_events={self.chunk_events:,})"

    def __iter__(self) -> Iterator[pd.DataFrame]:
        from leanproc.eventlog.read import read_log

        seen: set[Any] = set()
        for first_row, raw in self._whole_case_frames():
            frame = cast(pd.DataFrame, read_log(  # not chunked: one frame
                raw.set_axis(pd.RangeIndex(first_row, first_row + len(raw))),
                columns=self.columns, **self.options))
            ids = pd.unique(frame[CASE].to_numpy())
            again = [c for c in ids if c in seen]
            if again:
                raise LogError(
                    f"the file is not grouped by case: case(s) {again[:5]} appear again after "
                    f"row {first_row}, and a chunk must hold whole cases. Fix: read it whole "
                    "once and write_log it (read_log sorts rows by case), or read it whole.",
                    source=str(self.path),
                )
            seen.update(ids)
            frame.attrs["leanproc"]["source"] = f"{self.path} (rows from {first_row})"
            yield frame

    # ------------------------------------------------------------------------------ batches

    def _case_column(self, names: list[str]) -> str:
        explicit, recognised = map_columns(names, self.columns, source=str(self.path))
        mapping = {**explicit, **recognised}
        for name in names:
            if mapping.get(name, name) == CASE:
                return name
        raise LogError(
            f"no case id column among {names}. Fix: pass columns={{'<your case column>': "
            f"'{CASE}'}}.",
            source=str(self.path),
        )

    def _whole_case_frames(self) -> Iterator[tuple[int, pd.DataFrame]]:
        """(first row number, raw frame) per chunk; the last case of a batch moves on."""
        if self.fmt == "parquet":
            yield from self._parquet()
        else:
            yield from self._csv()

    def _parquet(self) -> Iterator[tuple[int, pd.DataFrame]]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            file = pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises its own error types
            raise LogError(f"cannot read Parquet: {type(exc).__name__}: {exc}. Fix: check "
                           "the file.", source=str(self.path)) from exc
        names = file.schema_arrow.names
        case = self._case_column(names)
        # projection: only columns that map onto the schema are read
        explicit, recognised = map_columns(names, self.columns, source=str(self.path))
        mapping = {**explicit, **recognised}
        wanted = {*ALL_COLUMNS, LIFECYCLE}
        keep = [n for n in names if mapping.get(n, n) in wanted]
        carry: pa.Table | None = None
        row = 0
        for batch in file.iter_batches(batch_size=self.chunk_events, columns=keep):
            table = pa.Table.from_batches([batch])
            if carry is not None:
                table = pa.concat_tables([carry, table])
            cut = _tail_start(table.column(case).to_pandas())
            carry = table.slice(cut)
            if cut > 0:
                chunk = _to_pandas(table.slice(0, cut))
                del table, batch
                # Arrow's allocator keeps freed memory for reuse; a stream that allocates a
                # new batch each time would otherwise see its footprint creep up chunk by chunk
                pa.default_memory_pool().release_unused()
                yield row, chunk
                row += cut
        if carry is not None and carry.num_rows:
            yield row, _to_pandas(carry)

    def _csv(self) -> Iterator[tuple[int, pd.DataFrame]]:
        from leanproc.eventlog._input import csv_header
        from leanproc.eventlog._sources import foreign_missing, read_csv_text

        names, _, _ = csv_header(self.path, self.sep, self.encoding, whole=False)
        case = self._case_column(names)
        carry: pd.DataFrame | None = None
        row = 0
        try:
            reader, text, _, _ = read_csv_text(self.path, self.sep, self.encoding, self.columns,
                                         chunksize=self.chunk_events)
            with reader:
                for frame in reader:
                    frame = foreign_missing(frame, text)
                    if carry is not None:
                        frame = pd.concat([carry, frame], ignore_index=True)
                    cut = _tail_start(frame[case])
                    if cut > 0:
                        yield row, frame.iloc[:cut].reset_index(drop=True)
                        row += cut
                    carry = frame.iloc[cut:].reset_index(drop=True)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise LogError(f"cannot read the CSV: {exc}. Fix: check the separator (sep=) and "
                           "the encoding (encoding=).", source=str(self.path)) from exc
        if carry is not None and len(carry):
            yield row, carry


def _tail_start(ids: pd.Series) -> int:
    """Where the run of rows sharing the batch's last case id begins (a missing id: alone)."""
    n = len(ids)
    if n == 0:
        return 0
    last = ids.iloc[-1]
    if pd.isna(last):
        return n - 1
    same = (ids == last).to_numpy(dtype=bool, na_value=False)
    different = np.flatnonzero(~same)
    return int(different[-1]) + 1 if different.size else 0


def _to_pandas(table: Any) -> pd.DataFrame:
    """An Arrow table as pandas: dictionary columns become categoricals, no index."""
    return table.to_pandas(split_blocks=True).reset_index(drop=True)
