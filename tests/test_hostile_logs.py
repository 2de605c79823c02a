"""Hostile and broken log files: limits, truncation, raw bytes, memory, interrupted writes."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leanproc.errors import LogError
from leanproc.eventlog import _input, read_log, write_log
from leanproc.limits import raised
from leanproc.log import ACTIVITY, CASE, END, RESOURCE

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "logs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_EVENT = ('<event><string key="concept:name" value="A"/>'
          '<date key="time:timestamp" value="2024-01-01T10:00:00.000+00:00"/></event>')


def _bomb(path: Path, traces: int) -> Path:
    """A gzip XES log of identical traces: tiny on disk, hundreds of times larger inside."""
    trace = f'<trace><string key="concept:name" value="c"/>{_EVENT * 20}</trace>'
    with gzip.open(path, "wt") as out:
        out.write('<?xml version="1.0"?>\n<log xmlns="http://www.xes-standard.org/">')
        for _ in range(traces // 100):
            out.write(trace * 100)
        out.write("</log>\n")
    return path


def _log(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame({
        CASE: [str(i // 2) for i in range(n)], ACTIVITY: ["a", "b"] * (n // 2),
        END: pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC"),
        RESOURCE: ["r"] * n,
    })


# ------------------------------------------------------------------------------- limits


def test_a_decompression_bomb_stops_early_at_the_ratio_limit(tmp_path, monkeypatch) -> None:
    bomb = _bomb(tmp_path / "bomb.xes.gz", 20_000)  # ~40 MB of XML in ~0.2 MB
    data = bomb.read_bytes()
    # cut off the end: a reader that went through the whole file would call it truncated
    cut = tmp_path / "cut.xes.gz"
    cut.write_bytes(data[: len(data) * 3 // 4])
    monkeypatch.setattr(_input, "RATIO_AFTER_BYTES", 1 << 20)
    with pytest.raises(LogError, match="LEANPROC_LIMIT_LOG_COMPRESSION_RATIO") as info:
        read_log(cut)
    assert "truncated" not in str(info.value)
    with raised(log_compression_ratio=100_000):  # trusted: read whole
        log = read_log(bomb)
    assert isinstance(log, pd.DataFrame) and len(log) == 20_000 * 20


def test_the_decompressed_size_limit_applies_to_whole_reads_only(tmp_path) -> None:
    path = write_log(_log(400), tmp_path / "log.csv.gz")
    with raised(log_decompressed_bytes=2_000):
        with pytest.raises(LogError, match="LEANPROC_LIMIT_LOG_DECOMPRESSED_BYTES"):
            read_log(path)
        chunks = read_log(path, chunked=True, chunk_events=100)
        assert sum(len(c) for c in chunks) == 400  # chunked: memory is not at stake


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*")
                                        if p.name.endswith((".gz", ".xes", ".csv"))))
def test_every_real_log_reads_under_the_default_limits(name: str, monkeypatch) -> None:
    # judge the ratio from the first byte, so that the small corpus files are held to it
    monkeypatch.setattr(_input, "RATIO_AFTER_BYTES", 0)
    with raised(log_columns=40, xes_event_attributes=40, xes_trace_bytes=1 << 20):
        log = read_log(CORPUS / name, on_missing="drop")
    assert isinstance(log, pd.DataFrame) and len(log) > 0


def test_too_many_csv_columns_are_refused_before_parsing(tmp_path, monkeypatch) -> None:
    path = tmp_path / "wide.csv"
    names = ["case_id", "activity", "end_time", *(f"a{i}" for i in range(50))]
    path.write_text(",".join(names) + "\n1,a,2024-01-01 10:00" + ",x" * 50 + "\n")

    def no_parse(*args, **kwargs):
        raise AssertionError("pandas was called")

    with raised(log_columns=20):
        monkeypatch.setattr(pd, "read_csv", no_parse)
        with pytest.raises(LogError, match=r"columns .*53 exceeds the limit of 20.*log_columns"):
            read_log(path)


def test_xes_attributes_per_event_keys_and_trace_size_are_limited() -> None:
    path = FIXTURES / "logs" / "permits.xes"
    with raised(xes_event_attributes=3), pytest.raises(LogError, match="attributes of one XES"):
        read_log(path)
    with raised(log_columns=3), pytest.raises(LogError, match="LEANPROC_LIMIT_LOG_COLUMNS"):
        read_log(path)
    with raised(xes_trace_bytes=500), pytest.raises(LogError, match="bytes of XML in one XES"):
        read_log(path)


# ------------------------------------------------------------------ broken or odd inputs


@pytest.mark.parametrize("name", ["permits.xes", "permits.csv"])
def test_a_truncated_compressed_log_says_so(tmp_path, name: str) -> None:
    whole = gzip.compress((FIXTURES / "logs" / name).read_bytes() * 20)
    cut = tmp_path / f"{name}.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LogError, match="the file is truncated: not a complete gzip stream"):
        read_log(cut)


def test_a_binary_timestamp_column_is_named(tmp_path) -> None:
    table = pa.table({
        "case_id": ["1", "2"], "activity": ["a", "b"],
        "end_time": pa.array([b"2024-01-01 10:00\xff", b"2024-01-02 10:00"], pa.binary()),
    })
    pq.write_table(table, tmp_path / "bad.parquet")
    with pytest.raises(LogError, match="column 'end_time' holds raw bytes that are not UTF-8"):
        read_log(tmp_path / "bad.parquet")
    good = table.set_column(2, "end_time", pa.array([b"2024-01-01 10:00", b"2024-01-02 10:00"]))
    pq.write_table(good, tmp_path / "good.parquet")
    log = read_log(tmp_path / "good.parquet")
    assert isinstance(log, pd.DataFrame)
    assert list(log[END].dt.day) == [1, 2]


def test_running_out_of_memory_suggests_chunks_not_the_separator(tmp_path, monkeypatch) -> None:
    path = write_log(_log(), tmp_path / "log.csv")

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pd, "read_csv", out_of_memory)
    with pytest.raises(LogError, match="ran out of memory") as info:
        read_log(path)
    assert "chunked=True" in str(info.value) and "separator" not in str(info.value)

    def c_parser_out_of_memory(*args, **kwargs):
        raise pd.errors.ParserError("Error tokenizing data. C error: out of memory")

    monkeypatch.setattr(pd, "read_csv", c_parser_out_of_memory)
    with pytest.raises(LogError, match="ran out of memory") as info:
        read_log(path)
    assert "separator" not in str(info.value)


def test_xes_refuses_characters_xml_cannot_carry_when_writing(tmp_path) -> None:
    log = _log().assign(note=["ok", "bell\x07", "ok", "ok"])
    target = tmp_path / "log.xes"
    with pytest.raises(LogError, match=r"column 'note'.*'\\x07'.*CSV or Parquet") as info:
        write_log(log, target)
    assert str(target) in str(info.value)
    assert not target.exists() and list(tmp_path.iterdir()) == []
    # the same values are fine in the formats that can hold them
    back = read_log(write_log(log, tmp_path / "log.csv"))
    assert isinstance(back, pd.DataFrame) and "bell\x07" in set(back["note"])


# ----------------------------------------------------------------------- interrupted writes

_KILL_MID_WRITE = """
import os, sys
import pandas as pd
from leanproc.eventlog import write_log
from leanproc.log import ACTIVITY, CASE, END
os.fsync = lambda fd: os._exit(9)  # killed after the bytes are written, before the rename
n = 50_000
log = pd.DataFrame({CASE: [str(i) for i in range(n)], ACTIVITY: ["a"] * n,
                    END: pd.date_range("2024-01-01", periods=n, freq="min", tz="UTC")})
write_log(log, sys.argv[1])
"""


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet", ".xes", ".xes.gz"])
def test_a_killed_write_leaves_the_previous_log_intact(tmp_path, suffix: str) -> None:
    target = write_log(_log(), tmp_path / f"log{suffix}")
    before = target.read_bytes()
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(_KILL_MID_WRITE), str(target)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 9, done.stderr
    assert target.read_bytes() == before
    log = read_log(target)
    assert isinstance(log, pd.DataFrame) and len(log) == 4
    # the only other file is the hidden temporary one a kill cannot remove
    others = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(f".{target.name}.") and name.endswith(".tmp")
               for name in others), others


def test_a_failed_write_leaves_the_previous_log_and_no_temporary_file(tmp_path,
                                                                      monkeypatch) -> None:
    from leanproc.eventlog import write as write_module

    target = write_log(_log(), tmp_path / "log.csv")
    before = target.read_bytes()

    def half_then_fail(frame, raw, *, gz):
        raw.write(before[: len(before) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(write_module, "_csv_to", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_log(_log(8), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]


def test_reports_and_bpmn_files_are_written_atomically(tmp_path, monkeypatch) -> None:
    import os

    from leanproc.bpmn import read_bpmn
    from leanproc.bpmn.writer import write_bpmn
    from leanproc.report.html import Report

    model = read_bpmn(FIXTURES / "bpmn" / "all-elements.bpmn")
    page, bpmn = tmp_path / "report.html", tmp_path / "model.bpmn"
    page.write_text("previous report")
    bpmn.write_text("previous model")

    def fail(fd: int) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        Report("T").to_html(page)
    with pytest.raises(OSError):
        write_bpmn(model, bpmn)
    assert page.read_text() == "previous report" and bpmn.read_text() == "previous model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bpmn", "report.html"]
    monkeypatch.undo()
    Report("T").to_html(page)
    write_bpmn(model, bpmn)
    assert "<html" in page.read_text() and b"definitions" in bpmn.read_bytes()
