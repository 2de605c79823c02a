"""Bad logs and arguments end in a LogError that names the place and the fix."""

from __future__ import annotations

import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.kpi import kpis

TZ = "Europe/Moscow"


def good_log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case:concept:name": ["c1", "c1", "c2"],
            "concept:name": ["A", "B", "A"],
            "start_timestamp": pd.to_datetime(
                ["2024-03-04 09:00", "2024-03-04 10:00", "2024-03-04 11:00"]
            ).tz_localize(TZ),
            "time:timestamp": pd.to_datetime(
                ["2024-03-04 09:30", "2024-03-04 11:00", "2024-03-04 12:00"]
            ).tz_localize(TZ),
        }
    )


def test_empty_log() -> None:
    with pytest.raises(LogError, match="empty"):
        kpis(good_log().iloc[0:0])


def test_not_a_dataframe() -> None:
    # the API conventions' message: names the argument and what it may be
    with pytest.raises(LogError, match="log= must be an event log file path or a DataFrame"):
        kpis([("c1", "A")])  # type: ignore[arg-type]


def test_missing_columns_are_all_named() -> None:
    log = good_log().rename(columns={"concept:name": "activity", "time:timestamp": "end"})
    with pytest.raises(LogError) as info:
        kpis(log)
    assert "concept:name" in str(info.value) and "time:timestamp" in str(info.value)
    assert "rename" in str(info.value)


def test_naive_and_non_datetime_columns_listed_together() -> None:
    log = good_log()
    log["time:timestamp"] = log["time:timestamp"].dt.tz_localize(None)
    log["start_timestamp"] = log["start_timestamp"].astype(str)
    with pytest.raises(LogError) as info:
        kpis(log)
    assert len(info.value.problems) == 2
    text = str(info.value)
    assert "'time:timestamp' is timezone-naive" in text and "tz_localize" in text
    assert "'start_timestamp' has dtype" in text and "pd.to_datetime" in text


def test_end_before_start_names_the_rows() -> None:
    log = good_log()
    log.loc[1, "time:timestamp"] = pd.Timestamp("2024-03-04 09:50", tz=TZ)
    with pytest.raises(LogError) as info:
        kpis(log)
    text = str(info.value)
    assert "1 row(s) end before they start" in text
    assert "row 1" in text and "case:concept:name=c1" in text and "concept:name=B" in text


def test_empty_case_id() -> None:
    log = good_log()
    log.loc[2, "case:concept:name"] = None
    with pytest.raises(LogError, match="'case:concept:name' is empty in 1 row"):
        kpis(log)


def test_cases_table_problems() -> None:
    cases = pd.DataFrame({"case:concept:name": ["c1"], "arrival": ["2024-03-04"]})
    with pytest.raises(LogError) as info:
        kpis(good_log(), cases=cases)
    text = str(info.value)
    assert "lacks column(s) ['end']" in text and "'arrival' has dtype" in text


def test_log_case_missing_from_cases_table() -> None:
    cases = pd.DataFrame(
        {
            "case:concept:name": ["c1"],
            "arrival": [pd.Timestamp("2024-03-04 08:00", tz=TZ)],
            "end": [pd.Timestamp("2024-03-04 11:00", tz=TZ)],
        }
    )
    with pytest.raises(LogError, match=r"missing from the cases table.*c2"):
        kpis(good_log(), cases=cases)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sla": "tomorrow"}, "sla='tomorrow' is not a duration"),
        ({"sla": ["24h", "3x"]}, "sla='3x'"),
        ({"warmup": "1d"}, "window after warm-up is empty"),
        ({"warmup": "2wd"}, "clock time"),
        ({"horizon": "2024-03-04 10:00"}, "has no timezone"),
        (
            {
                "horizon": pd.Timestamp("2024-03-04 10:00", tz=TZ),
                "window": (None, pd.Timestamp("2024-03-04 11:00", tz=TZ)),
            },
            "ends after the horizon",
        ),
        ({"window": "March"}, "must be a \\(start, end\\) pair"),
        ({"capacity": {"clerk": 0}}, "not a positive whole number"),
        ({"value_activities": [1, 2]}, "must be activity names"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(LogError, match=message):
        kpis(good_log(), **kwargs)
