"""Timestamps: one zone for everything, naive times localised, offsets converted, DST handled."""

from __future__ import annotations

import pandas as pd
import pytest

from leanproc.errors import LogError
from leanproc.eventlog import read_log
from leanproc.log import ACTIVITY, CASE, END, START


def log_of(ends: list[str | None], **extra: list) -> pd.DataFrame:
    n = len(ends)
    return pd.DataFrame(
        {CASE: ["c"] * n, ACTIVITY: [f"A{i}" for i in range(n)], END: ends, **extra}
    )


def test_naive_times_default_to_utc_and_the_report_says_so() -> None:
    log = read_log(log_of(["2024-03-01 09:00"]))
    assert log[END].iloc[0] == pd.Timestamp("2024-03-01 09:00", tz="UTC")
    info = log.attrs["leanproc"]
    assert info["timezone"] == "UTC" and info["naive_timestamps"] == 1
    assert "no timezone= given" in info["naive_timestamps_read_as"]


def test_naive_times_are_wall_clock_in_the_stated_zone() -> None:
    log = read_log(log_of(["2024-03-01 09:00"]), timezone="Europe/Moscow")
    assert str(log[END].dtype) == "datetime64[us, Europe/Moscow]"
    assert log[END].iloc[0] == pd.Timestamp("2024-03-01 06:00", tz="UTC")


def test_mixed_offsets_are_converted_to_the_zone() -> None:
    log = read_log(
        log_of(["2024-03-01T09:00:00+03:00", "2024-03-01T09:00:00+07:00", "2024-03-01T02:00Z"]),
        timezone="Europe/Moscow",
    )
    moscow = [t.strftime("%H:%M") for t in log[END]]
    assert sorted(moscow) == ["05:00", "05:00", "09:00"]
    assert log.attrs["leanproc"]["naive_timestamps"] == 0


def test_naive_and_offset_values_mixed_in_one_column() -> None:
    log = read_log(
        log_of(["2024-03-01 09:00", "2024-03-01T09:00:00+00:00"]), timezone="Asia/Yekaterinburg"
    )
    values = sorted(log[END])
    assert values[0] == pd.Timestamp("2024-03-01 04:00", tz="UTC")  # 09:00 at +05:00
    assert values[1] == pd.Timestamp("2024-03-01 09:00", tz="UTC")
    assert log.attrs["leanproc"]["naive_timestamps"] == 1


def test_aware_datetimes_in_a_dataframe_are_converted() -> None:
    ends = pd.Series(pd.to_datetime(["2024-03-01 09:00"]).tz_localize("Asia/Vladivostok"))
    log = read_log(log_of(list(ends.astype(str))).assign(**{END: ends}), timezone="UTC")
    assert log[END].iloc[0] == pd.Timestamp("2024-02-29 23:00", tz="UTC")


def test_slashed_dates_that_read_both_ways_are_refused_not_guessed() -> None:
    frame = log_of(["01/03/2024 09:00", "01/03/2024 10:30"])
    with pytest.raises(LogError, match=r"both day first and month first.*dayfirst=.*format="):
        read_log(frame)
    log = read_log(frame, dayfirst=False)
    assert [t.strftime("%m-%d %H:%M") for t in log[END]] == ["01-03 09:00", "01-03 10:30"]


def test_non_iso_text_is_parsed_by_its_inferred_format() -> None:
    log = read_log(log_of(["Jan 3 2024 09:00", "Jan 3 2024 10:30"]))
    assert [t.strftime("%m-%d %H:%M") for t in log[END]] == ["01-03 09:00", "01-03 10:30"]


def test_daylight_saving_fold_and_gap_are_resolved_not_refused() -> None:
    # Berlin: 2024-10-27 02:30 happens twice (read as standard time, +01:00);
    # 2024-03-31 02:30 never happens (moved forward to 03:00 +02:00)
    log = read_log(log_of(["2024-10-27 02:30", "2024-03-31 02:30"]), timezone="Europe/Berlin")
    fold = log.loc[log[ACTIVITY] == "A0", END].iloc[0]
    gap = log.loc[log[ACTIVITY] == "A1", END].iloc[0]
    assert fold == pd.Timestamp("2024-10-27 01:30", tz="UTC")
    assert gap == pd.Timestamp("2024-03-31 01:00", tz="UTC")


def test_start_times_follow_the_same_rule_and_may_be_missing() -> None:
    log = read_log(
        log_of(
            ["2024-03-01 10:00", "2024-03-01 11:00"],
            start_time=["2024-03-01 09:30", None],
        ),
        timezone="Europe/Samara",
    )
    assert log[START].iloc[0] == pd.Timestamp("2024-03-01 09:30", tz="Europe/Samara")
    assert pd.isna(log[START].iloc[1])
    assert log.attrs["leanproc"]["columns"] == {"start_time": START}


def test_a_bad_start_value_is_reported_like_a_bad_completion() -> None:
    with pytest.raises(LogError, match=r"column 'start_timestamp': 1 value\(s\).*row 1"):
        read_log(
            log_of(
                ["2024-03-01 10:00", "2024-03-01 11:00"],
                start_time=["2024-03-01 09:30", "9h30 yesterday"],
            )
        )


def test_start_after_end_is_counted() -> None:
    log = read_log(log_of(["2024-03-01 10:00"], start_time=["2024-03-01 10:30"]))
    assert log.attrs["leanproc"]["start_after_end"] == 1
