"""Logs leanproc writes read back with the same text values, in every format.

Text is random (hypothesis), with the words other tools read as missing (``NA``, ``None``,
``null``...) mixed in: they must come back as text, and only truly missing values as missing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leanproc.eventlog import read_log, write_log
from leanproc.log import ACTIVITY, CASE, END, RESOURCE, ROLE

NA_WORDS = ["NA", "N/A", "None", "null", "NaN", "#N/A", "nan", "NULL", "<NA>", "n/a"]
# XML 1.0 cannot carry these at all; XES refuses them (tested in test_hostile_logs.py)
NOT_XML = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]} | {
    "\ufffe", "\uffff"}
_CHARS = st.characters(exclude_categories=("Cs",))  # no lone surrogates: not UTF-8 at all


def _text(*, xml: bool) -> st.SearchStrategy[str]:
    chars = st.characters(exclude_categories=("Cs",), exclude_characters=NOT_XML) if xml \
        else _CHARS
    return st.one_of(st.sampled_from(NA_WORDS), st.text(chars, max_size=12))


def _id(*, xml: bool) -> st.SearchStrategy[str]:
    """A case id or activity: never blank (a blank id is no id, by design)."""
    return _text(xml=xml).filter(lambda v: v.strip() != "")


@st.composite
def _logs(draw: st.DrawFn, xml: bool) -> pd.DataFrame:
    n = draw(st.integers(1, 8))
    optional = st.one_of(st.none(), _text(xml=xml))
    start = pd.Timestamp("2024-03-01 09:00", tz="UTC")
    return pd.DataFrame({
        CASE: pd.array(draw(st.lists(_id(xml=xml), min_size=n, max_size=n)), dtype="str"),
        ACTIVITY: pd.array(draw(st.lists(_id(xml=xml), min_size=n, max_size=n)), dtype="str"),
        END: [start + pd.Timedelta(minutes=i) for i in range(n)],
        RESOURCE: pd.array(draw(st.lists(optional, min_size=n, max_size=n)), dtype="str"),
        ROLE: pd.array(draw(st.lists(optional, min_size=n, max_size=n)), dtype="str"),
        # "x" first: a CSV column holding only number-like text reads as numbers (CSV has
        # no types), which is not what this test is about
        "note": pd.array(["x", *draw(st.lists(optional, min_size=n - 1, max_size=n - 1))],
                         dtype="str"),
        "seq": np.arange(n, dtype=np.int64),  # to line the rows up again after reading
    })


def _expected(values: pd.Series, *, blank_is_missing: bool) -> list[object]:
    out: list[object] = []
    for v in values:
        missing = v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v)
        if not missing and blank_is_missing and str(v).strip() == "":
            missing = True
        out.append(None if missing else str(v))
    return out


def _got(back: pd.DataFrame, column: str) -> list[object]:
    if column not in back.columns:  # XES has no columns: one never given a value is absent
        return [None] * len(back)
    return [None if pd.isna(v) else str(v) for v in back[column]]


def _round_trip(log: pd.DataFrame, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"log{suffix}"
        write_log(log, path)
        back = read_log(path)
    assert isinstance(back, pd.DataFrame)
    back = back.sort_values("seq").reset_index(drop=True)
    assert len(back) == len(log)
    for column in (CASE, ACTIVITY, RESOURCE, ROLE):
        # ids, resources and roles: blank text is missing in every format (read_log's rule)
        assert _got(back, column) == _expected(log[column], blank_is_missing=True), column
    # attributes: CSV cannot tell an empty text from a missing value (both an empty field)
    blank = suffix.startswith(".csv")
    expected = [None if blank and v == "" else v
                for v in _expected(log["note"], blank_is_missing=False)]
    assert _got(back, "note") == expected


_SETTINGS = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_logs(xml=False))
def test_csv_keeps_text_values(log: pd.DataFrame) -> None:
    _round_trip(log, ".csv")


@_SETTINGS
@given(_logs(xml=False))
def test_parquet_keeps_text_values(log: pd.DataFrame) -> None:
    _round_trip(log, ".parquet")


@_SETTINGS
@given(_logs(xml=True))
def test_xes_keeps_text_values(log: pd.DataFrame) -> None:
    _round_trip(log, ".xes")


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet", ".xes", ".xes.gz"])
def test_na_words_tabs_and_newlines_survive(tmp_path: Path, suffix: str) -> None:
    """The reported cases, one by one: each word a resource, a role, a case and a note."""
    words = ["NA", "N/A", "None", "null", "NaN", "#N/A", "a\tb", "line1\nline2", "cr\rlf"]
    n = len(words)
    log = pd.DataFrame({
        CASE: words, ACTIVITY: ["Check"] * n,
        END: pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC"),
        RESOURCE: words, ROLE: words[::-1], "note": words, "seq": range(n),
    })
    back = read_log(write_log(log, tmp_path / f"log{suffix}"))
    assert isinstance(back, pd.DataFrame)
    back = back.sort_values("seq").reset_index(drop=True)
    for column in (CASE, RESOURCE, ROLE, "note"):
        assert list(back[column]) == list(log[column]), column
    assert back[RESOURCE].notna().all()


def test_csv_missing_is_an_empty_field_and_reads_back_missing(tmp_path: Path) -> None:
    log = pd.DataFrame({
        CASE: ["1", "2"], ACTIVITY: ["a", "b"],
        END: pd.date_range("2024-01-01", periods=2, freq="h", tz="UTC"),
        RESOURCE: pd.array(["NA", None], dtype="str"),
    })
    path = write_log(log, tmp_path / "log.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith(",NA") and lines[2].endswith(",")
    back = read_log(path)
    assert isinstance(back, pd.DataFrame)
    assert back[RESOURCE].iloc[0] == "NA" and pd.isna(back[RESOURCE].iloc[1])


def test_other_tools_na_words_still_mean_missing_in_number_and_time_columns(
        tmp_path: Path) -> None:
    """An export from R or Excel: ``NA`` in a cost or a date column is a gap, not text."""
    path = tmp_path / "export.csv"
    path.write_text(
        "case_id,activity,end_time,start_time,cost,amount\n"
        "1,a,2024-01-01 10:00,NA,NA,3\n"
        "1,b,2024-01-01 11:00,2024-01-01 10:30,2.5,NaN\n",
        encoding="utf-8",
    )
    log = read_log(path)
    assert isinstance(log, pd.DataFrame)
    assert pd.isna(log["cost"].iloc[0]) and log["cost"].iloc[1] == 2.5
    assert pd.isna(log["start_timestamp"].iloc[0])
    assert log["amount"].dtype.kind == "f" and pd.isna(log["amount"].iloc[1])
