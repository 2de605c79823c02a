"""The big-log read path: dictionary columns kept as categoricals, same rows as plain text.

``read_log`` keeps Parquet dictionary columns (and DataFrame categoricals) as categoricals by
default, makes any source's id columns categorical with ``categorical=True`` and plain text
with ``categorical=False``; whatever the choice, the rows, their order, the duplicates found
and the KPIs are the same. The categorical work is done per category, so these tests also pin
the per-category rules to the per-row ones: numeric case ids sort as numbers, blank values are
missing, integral floats lose their ``.0``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leanproc.errors import LogError
from leanproc.eventlog import read_log

TZ = "Europe/Moscow"
TEXT = ["case:concept:name", "concept:name", "org:resource", "org:role"]


def raw_log(n: int = 400, seed: int = 2) -> pd.DataFrame:
    """Rows out of order, numeric case ids (so "10" sorts after "9"), coarse times (many
    ties), some exact duplicates."""
    rng = np.random.default_rng(seed)
    case = rng.integers(1, 40, n)
    minutes = rng.integers(0, 600, n) * 5  # 5-minute grid: ties in completion time
    end = pd.Timestamp("2024-04-01 09:00", tz=TZ) + pd.to_timedelta(minutes, unit="min")
    frame = pd.DataFrame({
        "case:concept:name": case.astype(str),
        "concept:name": np.array(["Register", "Check", "Approve", "Archive"])[
            rng.integers(0, 4, n)],
        "start_timestamp": end - pd.Timedelta("4min"),
        "time:timestamp": end,
        "org:resource": np.array(["ann", "bob", "cid"])[rng.integers(0, 3, n)],
        "org:role": np.array(["clerk", "head"])[rng.integers(0, 2, n)],
    })
    repeats = frame.sample(15, random_state=1)
    return pd.concat([frame, repeats], ignore_index=True)


def write_dictionary_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Text columns dictionary-encoded in the Arrow schema, as a big-log export writes them."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        columns[name] = column.dictionary_encode() if name in TEXT else column
    pq.write_table(pa.table(columns), path, row_group_size=100)


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: "str" for c in TEXT if c in frame.columns})


@pytest.mark.parametrize("duplicates", ["keep", "drop"])
def test_dictionary_parquet_stays_categorical_with_the_same_rows(tmp_path: Path,
                                                                  duplicates: str) -> None:
    path = tmp_path / "log.parquet"
    write_dictionary_parquet(raw_log(), path)
    cat = read_log(path, timezone=TZ, duplicates=duplicates)
    text = read_log(path, timezone=TZ, duplicates=duplicates, categorical=False)
    for column in TEXT:
        assert isinstance(cat[column].dtype, pd.CategoricalDtype), column
        assert text[column].dtype == "str", column
    pd.testing.assert_frame_equal(as_text(cat), text)
    assert cat.attrs["leanproc"]["duplicates"] == text.attrs["leanproc"]["duplicates"]
    assert cat.attrs["leanproc"]["duplicates"]["count"] == 15 or duplicates == "drop"


def test_csv_read_straight_into_categories(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    raw_log().to_csv(path, index=False)
    cat = read_log(path, timezone=TZ, categorical=True)
    plain = read_log(path, timezone=TZ)
    assert all(isinstance(cat[c].dtype, pd.CategoricalDtype) for c in TEXT)
    assert all(plain[c].dtype == "str" for c in TEXT)
    pd.testing.assert_frame_equal(as_text(cat), plain)


def test_numeric_case_ids_sort_as_numbers_in_categories_of_any_order() -> None:
    frame = raw_log()
    shuffled_categories = list(np.random.default_rng(4).permutation(
        frame["case:concept:name"].unique()))
    cat = frame.assign(**{"case:concept:name": pd.Categorical(
        frame["case:concept:name"], categories=["999-unused", *shuffled_categories])})
    from_cat = read_log(cat, timezone=TZ)
    from_text = read_log(frame, timezone=TZ)
    pd.testing.assert_frame_equal(as_text(from_cat), from_text)
    numbers = from_text["case:concept:name"].astype(int).to_numpy()
    assert (np.diff(numbers) >= 0).all()  # 9 before 10, not after
    assert "999-unused" not in from_cat["case:concept:name"].cat.categories


def test_category_values_follow_the_row_rules() -> None:
    """Integral float categories lose '.0'; a blank category is missing, like a blank row."""
    end = pd.Timestamp("2024-04-01 10:00", tz=TZ)
    frame = pd.DataFrame({
        "case:concept:name": pd.Categorical([1.0, 1.0, 2.0]),
        "concept:name": pd.Categorical(["A", " ", "B"]),
        "time:timestamp": [end, end + pd.Timedelta("1h"), end],
    })
    with pytest.raises(LogError, match="without activity"):
        read_log(frame)
    log = read_log(frame, on_missing="drop")
    assert list(log["case:concept:name"].astype(str)) == ["1", "2"]
    assert list(log["concept:name"].astype(str)) == ["A", "B"]
    assert log.attrs["leanproc"]["dropped"]["missing_activity"] == 1


def test_sorted_input_is_kept_and_unsorted_input_is_sorted_the_same_way() -> None:
    frame = raw_log()
    once = read_log(frame, timezone=TZ)
    again = read_log(once, timezone=TZ)  # already in order: the no-sort path
    pd.testing.assert_frame_equal(once, again)
    backwards = read_log(once.iloc[::-1].reset_index(drop=True), timezone=TZ)
    keys = ["case:concept:name", "time:timestamp", "start_timestamp"]
    # the same sort keys row by row (ties keep source order, which was reversed) ...
    pd.testing.assert_frame_equal(once[keys], backwards[keys])
    # ... and the same rows
    everything = list(once.columns)
    pd.testing.assert_frame_equal(
        once.sort_values(everything).reset_index(drop=True),
        backwards.sort_values(everything).reset_index(drop=True),
    )


def test_duplicates_found_by_candidates_match_a_full_comparison() -> None:
    frame = raw_log(n=2000, seed=9)
    log = read_log(frame, timezone=TZ, duplicates="drop")
    full = frame.duplicated().sum()
    assert log.attrs["leanproc"]["dropped"]["duplicates"] == full
    assert len(log) == len(frame) - full
