"""Bad logs end in a LogError that names the source, the column, the rows and the fix."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.eventlog import read_log
from leanproc.log import ACTIVITY, CASE, END

FIXTURES = Path(__file__).parent / "fixtures" / "logs"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_columns_list_what_was_found_and_suggest_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "CaseNr,Step,When\n1,A,2024-01-01 10:00\n")
    with pytest.raises(LogError) as caught:
        read_log(path)
    message = str(caught.value)
    assert str(path) in message
    assert "missing required column(s) case:concept:name, concept:name, time:timestamp" in message
    assert "columns found: 'CaseNr', 'Step', 'When'" in message
    assert (
        "columns={'CaseNr': 'case:concept:name', 'Step': 'concept:name', "
        "'When': 'time:timestamp'}" in message
    )


def test_mapping_to_an_absent_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case_id,activity,end_time\n1,A,2024-01-01 10:00\n")
    with pytest.raises(LogError, match="'case_nr', which the source does not have"):
        read_log(path, columns={"case_nr": CASE})
    with pytest.raises(LogError, match=re.escape("did you mean {'case_id': 'case:concept:name'}")):
        read_log(path, columns={CASE: "case_id"})


def test_two_columns_for_one_schema_name_are_refused() -> None:
    frame = pd.DataFrame({"a": ["1"], "b": ["1"], ACTIVITY: ["A"], END: ["2024-01-01"]})
    with pytest.raises(LogError, match="'a' and 'b' would both become 'case:concept:name'"):
        read_log(frame, columns={"a": CASE, "b": CASE})


def test_unparseable_timestamps_name_rows_and_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case_id,activity,end_time\n"
        "1,A,2024-01-01 10:00\n"
        "1,B,yesterday\n"
        "2,A,2024-01-02 10:00\n"
        "2,B,31.02.2024 25:00\n",
    )
    with pytest.raises(LogError) as caught:
        read_log(path)
    message = str(caught.value)
    assert "column 'time:timestamp': 2 value(s) not readable as timestamps" in message
    assert "line 3, line 5" in message  # file lines, the header being line 1
    assert "'yesterday'" in message and "format=" in message


def test_numeric_timestamps_are_refused_with_the_conversion() -> None:
    frame = pd.DataFrame({CASE: ["a"], ACTIVITY: ["A"], END: [1_700_000_000]})
    with pytest.raises(LogError, match=r"numbers, not timestamps.*unit='s'"):
        read_log(frame)


def test_empty_logs(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="the log is empty: no events"):
        read_log(write(tmp_path, "empty.csv", "case_id,activity,end_time\n"))
    with pytest.raises(LogError, match="the log is empty: no header"):
        read_log(write(tmp_path, "blank.csv", ""))
    with pytest.raises(LogError, match="the log is empty"):
        read_log(write(tmp_path, "empty.xes", '<?xml version="1.0"?><log></log>'))
    with pytest.raises(LogError, match="the log is empty"):
        read_log(pd.DataFrame({CASE: [], ACTIVITY: [], END: []}))


def test_missing_values_are_refused_with_examples_then_dropped_on_request(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case_id,activity,end_time\n"
        "1,A,2024-01-01 10:00\n"
        ",B,2024-01-01 11:00\n"
        "2,,2024-01-01 12:00\n"
        "2,C,\n"
        "3,A,2024-01-01 13:00\n",
    )
    with pytest.raises(LogError) as caught:
        read_log(path)
    message = str(caught.value)
    assert "3 row(s) lack a case id, activity or completion time" in message
    assert "line 3 (no case:concept:name)" in message
    assert "line 4 (no concept:name)" in message
    assert "line 5 (no time:timestamp)" in message
    assert "pass on_missing='drop'" in message

    log = read_log(path, on_missing="drop")
    assert log[CASE].tolist() == ["1", "3"]
    assert log.attrs["leanproc"]["dropped"] == {
        "missing_case": 1,
        "missing_activity": 1,
        "missing_timestamp": 1,
        "rows_with_missing_values": 3,
    }


def test_unpaired_start_is_refused_then_dropped_on_request() -> None:
    frame = pd.DataFrame(
        {
            CASE: ["1", "1", "1"],
            ACTIVITY: ["A", "A", "B"],
            END: ["2024-01-01T10:00Z", "2024-01-01T11:00Z", "2024-01-01T12:00Z"],
            "lifecycle:transition": ["start", "complete", "start"],
        }
    )
    with pytest.raises(LogError) as caught:
        read_log(frame)
    message = str(caught.value)
    assert "1 'start' event(s) have no matching 'complete'" in message
    assert "row 2 (case '1', 'B' at 2024-01-01 12:00:00+00:00)" in message
    assert "on_missing='drop'" in message
    log = read_log(frame, on_missing="drop")
    assert log[ACTIVITY].tolist() == ["A"]
    assert log.attrs["leanproc"]["dropped"] == {"unpaired_start": 1}


def test_unknown_transitions_are_refused() -> None:
    frame = pd.DataFrame(
        {
            CASE: ["1", "1"],
            ACTIVITY: ["A", "A"],
            END: ["2024-01-01T10:00Z", "2024-01-01T11:00Z"],
            "lifecycle:transition": ["begin", "done"],
        }
    )
    with pytest.raises(LogError, match="not XES lifecycle transitions: 'begin', 'done'"):
        read_log(frame)
    kept = read_log(frame, lifecycle="ignore")
    assert kept["lifecycle:transition"].tolist() == ["begin", "done"]


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LogError, match=r"unknown log format of 'log\.json'.*format="):
        read_log(write(tmp_path, "log.json", "{}"))
    with pytest.raises(LogError, match="unknown format 'json'"):
        read_log(tmp_path / "log.json", format="json")
    with pytest.raises(LogError, match="no such file"):
        read_log(tmp_path / "absent.csv")
    with pytest.raises(LogError, match="cannot read a log from a int"):
        read_log(42)


def test_malformed_and_foreign_xml() -> None:
    with pytest.raises(LogError, match=r"malformed XML at line \d+"):
        read_log(FIXTURES / "truncated.xes")


def test_not_an_xes_root(tmp_path: Path) -> None:
    path = write(tmp_path, "model.xes", '<?xml version="1.0"?><definitions><x/></definitions>')
    with pytest.raises(LogError, match="not an XES log: the root element is <definitions>"):
        read_log(path)


def test_entity_declarations_are_refused_before_parsing() -> None:
    with pytest.raises(LogError, match="declares a document type"):
        read_log(FIXTURES / "entities.xes")


def test_events_outside_traces_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orphan.xes",
        '<?xml version="1.0"?><log><event><string key="concept:name" value="A"/></event>'
        '<trace><string key="concept:name" value="1"/><event>'
        '<string key="concept:name" value="A"/><date key="time:timestamp" '
        'value="2024-01-01T10:00:00Z"/></event></trace></log>',
    )
    with pytest.raises(LogError, match=r"1 event\(s\) stand outside any <trace>"):
        read_log(path)


def test_bad_options_and_zones() -> None:
    frame = pd.DataFrame({CASE: ["a"], ACTIVITY: ["A"], END: ["2024-01-01T10:00Z"]})
    with pytest.raises(LogError, match="on_missing='skip' is not one of"):
        read_log(frame, on_missing="skip")  # type: ignore[arg-type]
    with pytest.raises(LogError, match="unknown time zone 'Moscow'"):
        read_log(frame, timezone="Moscow")


def test_russian_cp1251_is_recognised_and_a_wrong_encoding_suggests_one(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes("case_id,activity,end_time\n1,Приём,2024-01-01 10:00\n".encode("cp1251"))
    log = read_log(path)
    assert log[ACTIVITY].tolist() == ["Приём"]
    assert log.attrs["leanproc"]["encoding"] == "cp1251"
    with pytest.raises(LogError, match="encoding='cp1251'"):
        read_log(path, encoding="utf-8")


def test_non_numeric_cost_is_named() -> None:
    frame = pd.DataFrame(
        {CASE: ["a", "a"], ACTIVITY: ["A", "B"], END: ["2024-01-01", "2024-01-02"]}
    ).assign(cost=["10", "ten"])
    with pytest.raises(LogError, match=r"column 'cost': 1 value\(s\) are not numbers: row 1"):
        read_log(frame)
