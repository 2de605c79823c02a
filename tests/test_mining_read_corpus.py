"""Every log of the shared corpus reads; lead times equal pm4py's to the second.

The corpus lives next to the repository (../shared/corpus/logs); each test skips when a file is
absent, so the suite runs on a bare clone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.corpus import LOG_NAMES, LOGS
from leanproc.eventlog import read_log
from leanproc.log import ACTIVITY, CASE, END, START

ALL = LOG_NAMES
XES = [name for name in ALL if ".xes" in name]
# events and cases from the corpus manifest (MANIFEST.tsv); lifecycle logs have fewer rows
EXPECTED = {
    "receipt.csv": (8577, 1434),
    "receipt.parquet": (8577, 1434),
    "running-example.csv": (42, 6),
    "running-example.xes": (42, 6),
    "roadtraffic100traces.xes": (390, 100),
    "helpdesk.xes.gz": (21348, 4580),
    "LoanApp_simplified_train.csv.gz": (7544, 1000),
    "PurchasingExample.csv.gz": (9119, 608),
    "reviewing.xes": (2278, 100),  # 3730 events: 1452 start/complete pairs + 826 completes
}

pytestmark = pytest.mark.corpus


def corpus_file(name: str) -> Path:
    path = LOGS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} not present")
    return path


def lead_seconds(log: pd.DataFrame) -> np.ndarray:
    """Per case: last completion - first start (first completion where starts are unknown)."""
    begin = log[START].fillna(log[END])
    grouped = pd.DataFrame({"c": log[CASE], "b": begin, "e": log[END]}).groupby("c")
    return np.sort((grouped["e"].max() - grouped["b"].min()).dt.total_seconds().to_numpy())


@pytest.mark.parametrize("name", ALL)
def test_corpus_log_reads_into_the_schema(name: str) -> None:
    log = read_log(corpus_file(name))
    rows, cases = EXPECTED[name]
    assert len(log) == rows
    assert log[CASE].nunique() == cases
    assert isinstance(log.index, pd.RangeIndex)
    assert str(log[END].dtype) == "datetime64[us, UTC]"
    assert log[[CASE, ACTIVITY, END]].notna().all().all()
    keys = pd.DataFrame({"c": pd.factorize(log[CASE])[0], "t": log[END]})
    # sorted by case (in first-appearance order after sorting), then completion time
    assert (keys.groupby("c")["t"].apply(lambda s: s.is_monotonic_increasing)).all()
    assert log.attrs["leanproc"]["rows"] == rows


@pytest.mark.filterwarnings("ignore:Install the optional requirement")
@pytest.mark.parametrize("name", XES)
def test_lead_times_equal_pm4py_case_durations(name: str) -> None:
    pm4py = pytest.importorskip("pm4py")
    path = corpus_file(name)
    theirs = np.asarray(pm4py.stats.get_all_case_durations(pm4py.read_xes(str(path))))
    ours = lead_seconds(read_log(path))
    assert len(ours) == len(theirs)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1.0)


def test_receipt_csv_and_parquet_give_identical_frames() -> None:
    # the Parquet twin stores wall-clock times without offsets; the CSV has +01:00/+02:00
    # offsets of Dutch time: read both in that zone and they agree to the microsecond
    csv = read_log(corpus_file("receipt.csv"), timezone="Europe/Amsterdam")
    parquet = read_log(corpus_file("receipt.parquet"), timezone="Europe/Amsterdam")
    pd.testing.assert_frame_equal(csv, parquet)


def test_receipt_case_attributes_with_offsets_become_timestamps() -> None:
    log = read_log(corpus_file("receipt.csv"))
    assert str(log["case:deadline"].dtype) == "datetime64[us, UTC]"
    assert log["case:enddate"].isna().sum() == 617  # missing end dates stay missing


def test_loanapp_columns_are_recognised() -> None:
    log = read_log(corpus_file("LoanApp_simplified_train.csv.gz"))
    assert log.attrs["leanproc"]["columns"] == {
        "case_id": CASE,
        "activity": ACTIVITY,
        "end_time": END,
        "start_time": START,
        "enabled_time": "enable_timestamp",
        "resource": "org:resource",
        "role": "org:role",
    }
    assert log[START].notna().all()
