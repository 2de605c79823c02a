"""read_log on each source kind, and write_log round trips, on the small fixtures of our own."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.eventlog import read_log, write_log
from leanproc.log import ACTIVITY, CASE, COST, ENABLE, END, RESOURCE, ROLE, START

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
ZONE = "Asia/Novosibirsk"  # +07:00 all year, as in the fixtures


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=ZONE)


@pytest.fixture(scope="module")
def xes_log() -> pd.DataFrame:
    return read_log(FIXTURES / "permits.xes", timezone=ZONE)


def test_xes_rows_follow_the_schema(xes_log: pd.DataFrame) -> None:
    log = xes_log
    assert list(log.columns[:8]) == [CASE, ACTIVITY, END, START, ENABLE, RESOURCE, ROLE, COST]
    assert isinstance(log.index, pd.RangeIndex)
    for col in (END, START, ENABLE):
        assert str(log[col].dtype) == f"datetime64[us, {ZONE}]"
    assert log[CASE].dtype == "str" and log[ACTIVITY].dtype == "str"
    # case ids that are all integers sort numerically: "2" before "10"
    assert log[CASE].tolist() == ["2"] * 4 + ["10"] * 2
    assert log[ACTIVITY].tolist() == [
        "Register application",
        "Check documents",
        "Check documents",
        "Approve",
        "Register application",
        "Reject",
    ]


def test_xes_lifecycle_pairs_interleaved_instances_by_resource(xes_log: pd.DataFrame) -> None:
    checks = xes_log[xes_log[ACTIVITY] == "Check documents"].set_index(RESOURCE)
    assert checks.loc["specialist#1", START] == ts("2024-03-01 10:00")
    assert checks.loc["specialist#1", END] == ts("2024-03-01 11:00")
    assert checks.loc["specialist#2", START] == ts("2024-03-01 10:10")
    assert checks.loc["specialist#2", END] == ts("2024-03-01 10:40")
    first = xes_log.iloc[0]
    assert first[ENABLE] == ts("2024-03-01 09:00")  # from the schedule event
    assert first[START] == ts("2024-03-01 09:05")
    approve = xes_log[xes_log[ACTIVITY] == "Approve"].iloc[0]
    assert pd.isna(approve[START])  # a completion without a start: start unknown
    info = xes_log.attrs["leanproc"]["lifecycle"]
    assert info["paired"] == 4 and info["complete_without_start"] == 2
    assert info["enabled"] == 1


def test_xes_attributes_are_typed(xes_log: pd.DataFrame) -> None:
    log = xes_log
    assert log["case:district"].tolist()[:1] == ["Центральный"]
    assert log["case:documents"].dtype == "int64"
    assert log["case:urgent"].dtype == bool
    assert log["case:submitted"].iloc[0] == ts("2024-03-01 08:55")
    assert log[COST].dtype == "float64"
    assert log[COST].iloc[0] == 86.5
    assert log["pages"].dtype == "Int64"  # an int attribute missing on some events
    assert log["decision"].dropna().tolist() == ["yes & signed"]
    assert "reasons" not in log.columns  # a list attribute has no single value
    assert log[ROLE].iloc[0] == "front office"


def test_gzip_xes_reads_the_same(tmp_path: Path, xes_log: pd.DataFrame) -> None:
    target = tmp_path / "permits.xes.gz"
    with (FIXTURES / "permits.xes").open("rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    log = read_log(target, timezone=ZONE)
    pd.testing.assert_frame_equal(log.drop(columns=[]), xes_log)


def test_csv_with_aliases_and_semicolons(xes_log: pd.DataFrame) -> None:
    log = read_log(FIXTURES / "permits.csv", timezone=ZONE)
    info = log.attrs["leanproc"]
    assert info["columns"] == {
        "Case ID": CASE,
        "Activity": ACTIVITY,
        "Complete Timestamp": END,
        "Start Timestamp": START,
        "Resource": RESOURCE,
        "Role": ROLE,
    }
    assert info["naive_timestamps"] == 10 and info["timezone"] == ZONE
    core = [CASE, ACTIVITY, END, START, RESOURCE]
    pd.testing.assert_frame_equal(log[core], xes_log[core])


def test_explicit_mapping_wins(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("ticket,step,done,who\nT1,Open,2024-01-01T10:00:00Z,ann\n", encoding="utf-8")
    log = read_log(
        path,
        columns={"ticket": CASE, "step": ACTIVITY, "done": END, "who": RESOURCE},
    )
    assert log[CASE].tolist() == ["T1"] and log[RESOURCE].tolist() == ["ann"]
    assert log.attrs["leanproc"]["columns_recognised"] == {}


def test_dataframe_source_is_not_modified() -> None:
    frame = pd.DataFrame(
        {
            "case_id": [2, 1, 1],
            "activity": ["B", "B", "A"],
            "end_time": ["2024-01-01 12:00", "2024-01-01 11:00", "2024-01-01 10:00"],
        }
    )
    before = frame.copy()
    log = read_log(frame, timezone="Europe/Moscow")
    pd.testing.assert_frame_equal(frame, before)
    assert log[CASE].tolist() == ["1", "1", "2"]  # integers become text, then sorted
    assert log[ACTIVITY].tolist() == ["A", "B", "B"]
    assert log[END].iloc[0] == pd.Timestamp("2024-01-01 10:00", tz="Europe/Moscow")


def test_parquet_and_dataframe_match_csv(tmp_path: Path) -> None:
    from_csv = read_log(FIXTURES / "permits.csv", timezone=ZONE)
    raw = pd.read_csv(FIXTURES / "permits.csv", sep=";")
    raw.to_parquet(tmp_path / "permits.parquet")
    from_parquet = read_log(tmp_path / "permits.parquet", timezone=ZONE)
    from_frame = read_log(raw, timezone=ZONE)
    pd.testing.assert_frame_equal(from_parquet, from_csv)
    pd.testing.assert_frame_equal(from_frame, from_csv)


def _sqlite_with(log: pd.DataFrame, path: Path) -> None:
    table = log.assign(**{c: log[c].astype(str) for c in (END, START)})
    table = table.rename(columns={CASE: "case_id", ACTIVITY: "activity", END: "end_time"})
    table = table.rename(columns={START: "start_time", RESOURCE: "resource", ROLE: "role"})
    with sqlite3.connect(path) as connection:
        table[["case_id", "activity", "start_time", "end_time", "resource", "role"]].to_sql(
            "events", connection, index=False
        )
    connection.close()


def test_sqlite_connection_and_url_give_the_same_frame(tmp_path: Path) -> None:
    original = read_log(FIXTURES / "permits.csv", timezone=ZONE)
    database = tmp_path / "events.db"
    _sqlite_with(original, database)
    with sqlite3.connect(database) as connection:
        by_connection = read_log(
            connection,
            query="SELECT * FROM events WHERE activity IS NOT NULL",
            timezone=ZONE,
        )
    connection.close()
    by_url = read_log(f"sqlite:///{database}", query="events", timezone=ZONE)
    by_file = read_log(database, query="events", timezone=ZONE)
    pd.testing.assert_frame_equal(by_connection, original)
    pd.testing.assert_frame_equal(by_url, original)
    pd.testing.assert_frame_equal(by_file, original)


def test_sql_errors_name_the_query(tmp_path: Path) -> None:
    database = tmp_path / "events.db"
    _sqlite_with(read_log(FIXTURES / "permits.csv", timezone=ZONE), database)
    with pytest.raises(LogError, match=r"query failed.*no such table"):
        read_log(f"sqlite:///{database}", query="SELECT * FROM missing_table")
    with pytest.raises(LogError, match="needs query="):
        read_log(f"sqlite:///{database}")


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet", ".xes", ".xes.gz"])
def test_write_log_round_trips(tmp_path: Path, xes_log: pd.DataFrame, suffix: str) -> None:
    path = write_log(xes_log, tmp_path / f"out{suffix}")
    back = read_log(path, timezone=ZONE)
    if suffix.startswith(".csv"):
        # a CSV carries no types: compare the schema columns, and values as text elsewhere
        core = [CASE, ACTIVITY, END, START, ENABLE, RESOURCE, ROLE, COST]
        pd.testing.assert_frame_equal(back[core], xes_log[core])
        assert back["case:district"].tolist() == xes_log["case:district"].tolist()
    else:
        pd.testing.assert_frame_equal(back, xes_log)


@pytest.mark.filterwarnings("ignore:Install the optional requirement")
def test_written_xes_is_read_by_pm4py_with_the_same_intervals(
    tmp_path: Path, xes_log: pd.DataFrame
) -> None:
    pm4py = pytest.importorskip("pm4py")
    path = write_log(xes_log, tmp_path / "out.xes")
    frame = pm4py.read_xes(str(path))
    assert len(frame) == len(xes_log) + xes_log[START].notna().sum() + xes_log[ENABLE].notna().sum()
    counts = frame["lifecycle:transition"].value_counts().to_dict()
    assert counts == {"complete": 6, "start": 4, "schedule": 1}
    assert frame["cost"].sum() == pytest.approx(xes_log[COST].sum())  # not doubled
    spans = frame.groupby(CASE)["time:timestamp"].agg(lambda s: s.max() - s.min())
    ours = xes_log.groupby(CASE).apply(
        lambda g: g[END].max() - g[[ENABLE, START, END]].min().min(), include_groups=False
    )
    assert spans.dt.total_seconds().to_dict() == ours.dt.total_seconds().to_dict()


def test_one_event_cases_are_valid_and_counted() -> None:
    frame = pd.DataFrame(
        {
            CASE: ["a", "b", "b"],
            ACTIVITY: ["X", "X", "Y"],
            END: pd.to_datetime(["2024-01-01T10:00Z", "2024-01-01T10:00Z", "2024-01-01T11:00Z"]),
        }
    )
    log = read_log(frame)
    assert log.attrs["leanproc"]["one_event_cases"] == 1
    assert log.attrs["leanproc"]["cases"] == 2


def test_duplicates_are_kept_and_counted_or_dropped_or_refused() -> None:
    frame = pd.DataFrame(
        {
            CASE: ["a", "a", "a"],
            ACTIVITY: ["X", "X", "Y"],
            END: ["2024-01-01T10:00Z", "2024-01-01T10:00Z", "2024-01-01T11:00Z"],
        }
    )
    kept = read_log(frame)
    assert len(kept) == 3 and kept.attrs["leanproc"]["duplicates"] == {
        "count": 1,
        "action": "keep",
    }
    dropped = read_log(frame, duplicates="drop")
    assert len(dropped) == 2 and dropped.attrs["leanproc"]["dropped"] == {"duplicates": 1}
    with pytest.raises(LogError, match=r"1 event\(s\) repeat an earlier event exactly: row 1"):
        read_log(frame, duplicates="error")


def test_cost_alias_becomes_numbers() -> None:
    frame = pd.DataFrame(
        {CASE: ["a"], ACTIVITY: ["X"], END: ["2024-01-01T10:00Z"], "Costs": ["50"]}
    )
    log = read_log(frame)
    assert log[COST].tolist() == [50.0]
    assert log.attrs["leanproc"]["columns"] == {"Costs": COST}


def test_lead_time_sorting_is_stable_for_equal_times() -> None:
    frame = pd.DataFrame(
        {
            CASE: ["c"] * 3,
            ACTIVITY: ["first", "second", "third"],
            END: ["2024-01-01T10:00Z"] * 3,
        }
    )
    assert read_log(frame)[ACTIVITY].tolist() == ["first", "second", "third"]
    assert np.all(read_log(frame.iloc[::-1])[ACTIVITY].to_numpy() == ["third", "second", "first"])
