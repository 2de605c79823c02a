"""Big-log paths give the same figures as the plain ones, to the last bit.

* categorical and string case / activity / resource / role columns: the same KPIs and costs;
* ``kpis`` over chunks of whole cases (a list of frames, ``read_log(..., chunked=True)`` on
  Parquet and CSV) and over the whole log: the same KPIs, tables included;
* the chunked path refuses what would make it wrong: a case split over chunks, a one-shot
  iterator, a ``cases`` table, a file not grouped by case.

The log is small and random (fixed seed) but has what real logs have: parallel work, rework,
instances still running, rows without a start, enablement times, roles and resources missing
on some rows, a role no pool prices.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leanproc.bpmn.builder import ModelBuilder
from leanproc.cost import process_cost
from leanproc.errors import LogError
from leanproc.eventlog import read_log, write_log
from leanproc.kpi import kpis
from leanproc.scenario import Scenario

TZ = "Europe/Moscow"
CALENDAR = "ru-5x8@Europe/Moscow"
ACTIVITIES = [f"Step {k}" for k in range(6)]
ROLES = ["clerk", "expert", "head"]
TEXT = ["case:concept:name", "concept:name", "org:resource", "org:role"]
OPTIONS = [
    {"calendar": CALENDAR, "sla": ["24h", "2wd"], "value_activities": ["Step 1", "Step 4"]},
    {"sla": "3d", "warmup": "2d", "capacity": {"clerk": 2}},
    {"calendar": CALENDAR, "horizon": pd.Timestamp("2024-03-20 12:00", tz=TZ),
     "window": (pd.Timestamp("2024-03-05", tz=TZ), None)},
]


def random_log(n_cases: int = 300, seed: int = 5) -> pd.DataFrame:
    """A log in the one schema, rows grouped by case, text columns as ``str``."""
    rng = np.random.default_rng(seed)
    rows = []
    t0 = pd.Timestamp("2024-03-01 09:00", tz=TZ).value
    for c in range(n_cases):
        t = t0 + int(rng.exponential(3600e9)) * c // 3
        for _ in range(int(rng.integers(1, 8))):
            act = int(rng.integers(0, len(ACTIVITIES)))
            enable = t
            start = enable + int(rng.exponential(2 * 3600e9))
            end = start + int(rng.gamma(2.0, 900e9))
            role = ROLES[act % len(ROLES)] if rng.random() > 0.05 else None
            if rng.random() < 0.03:
                role = "temp staff"  # a role without a pool
            resource = f"{role}#{int(rng.integers(1, 4))}" if role and rng.random() > 0.05 else None
            rows.append((f"case-{c:04d}", ACTIVITIES[act], enable,
                         start if rng.random() > 0.03 else None, end, resource, role))
            if rng.random() > 0.2:  # else the next step runs in parallel with this one
                t = end
    frame = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "enable_timestamp",
                                        "start_timestamp", "time:timestamp", "org:resource",
                                        "org:role"])
    for col in ("enable_timestamp", "start_timestamp", "time:timestamp"):
        values = frame[col].astype("float64").to_numpy()
        frame[col] = pd.to_datetime(values, unit="ns", utc=True).tz_convert(TZ)
    last = frame["case:concept:name"].ne(frame["case:concept:name"].shift(-1)).to_numpy()
    running = last & (rng.random(len(frame)) < 0.08)  # some cases still in progress
    frame.loc[running, "time:timestamp"] = pd.NaT
    for col in TEXT:
        frame[col] = frame[col].astype("str")
    return frame


def finished_rows(log: pd.DataFrame) -> pd.DataFrame:
    """The rows with a completion time (what a log file holds)."""
    return log[log["time:timestamp"].notna()].reset_index(drop=True)


def categorical(log: pd.DataFrame) -> pd.DataFrame:
    """The same log with categorical text columns (unused categories, reversed order)."""
    out = log.copy()
    for col in TEXT:
        values = out[col]
        categories = ["zz-unused", *sorted(set(values.dropna()), reverse=True)]
        out[col] = pd.Categorical(values, categories=categories)
    return out


def whole_cases(log: pd.DataFrame, cuts: list[int]) -> list[pd.DataFrame]:
    """The log cut near the given rows, each cut moved forward to a case boundary."""
    ids = log["case:concept:name"].to_numpy()
    bounds = [0]
    for cut in cuts:
        while 0 < cut < len(ids) and ids[cut] == ids[cut - 1]:
            cut += 1
        bounds.append(cut)
    bounds.append(len(ids))
    return [log.iloc[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def assert_same_kpis(a, b) -> None:
    """Identical KPIs: every flat figure, the per-case, per-activity and utilisation tables."""
    da, db = a.as_dict(), b.as_dict()
    assert da.keys() == db.keys()
    for key in da:
        assert da[key] == db[key] or (np.isnan(da[key]) and np.isnan(db[key])), key
    as_text = {"case:concept:name": "str"}
    pd.testing.assert_frame_equal(a.per_case.astype(as_text), b.per_case.astype(as_text),
                                  check_exact=True)
    pd.testing.assert_frame_equal(a.per_activity.astype({"activity": "str"}),
                                  b.per_activity.astype({"activity": "str"}), check_exact=True)
    pd.testing.assert_frame_equal(a.utilisation_detail, b.utilisation_detail, check_exact=True)
    assert a.notes == b.notes


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return random_log()


@pytest.fixture(scope="module")
def bound():
    builder = ModelBuilder("Big log test")
    nodes = [builder.start("In"), *(builder.task(a) for a in ACTIVITIES), builder.end("Out")]
    builder.sequence(*nodes)
    return Scenario.load({
        "start": "2024-03-01T09:00", "timezone": TZ, "calendar": "ru-5x8",
        "arrivals": {"interarrival": {"exponential": {"mean": "1h"}}, "cases": 5},
        "resources": {"clerk": {"count": 3, "cost_per_hour": 600},
                      "expert": {"count": 2, "monthly_salary": 90000, "cost_per_use": 40},
                      "head": {"count": 1, "cost_per_hour": 1500}},
        "activities": {a: {"resource": ROLES[k % 3], "duration": "30min",
                           **({"cost_per_execution": 25.0} if k % 2 else {})}
                       for k, a in enumerate(ACTIVITIES)},
        "fixed_costs": {"per_case": 100},
    }).bind(builder.build(layout=False))


# ------------------------------------------------------------------ categorical vs string


@pytest.mark.parametrize("options", OPTIONS)
def test_categorical_and_string_columns_give_identical_kpis(log, options) -> None:
    assert_same_kpis(kpis(log, **options), kpis(categorical(log), **options))


def test_categorical_and_string_columns_give_identical_costs(log, bound) -> None:
    plain, cat = process_cost(log, bound), process_cost(categorical(log), bound)
    pd.testing.assert_series_equal(plain.per_case, cat.per_case, check_exact=True)
    pd.testing.assert_series_equal(plain.labour_hours_per_case, cat.labour_hours_per_case,
                                   check_exact=True)
    pd.testing.assert_frame_equal(plain.lines, cat.lines, check_exact=True)
    pd.testing.assert_frame_equal(plain.by_activity(), cat.by_activity(), check_exact=True)
    pd.testing.assert_frame_equal(plain.fsa_table(), cat.fsa_table(), check_exact=True)
    pd.testing.assert_frame_equal(plain.capacity, cat.capacity, check_exact=True)
    assert plain.notes == cat.notes
    assert any("temp staff" in note for note in plain.notes)  # the unpriced role is named
    assert plain.total == cat.total and plain.labour_hours == cat.labour_hours


def test_cost_lines_keep_text_columns_whatever_the_input(log, bound) -> None:
    lines = process_cost(categorical(log), bound).lines
    for column in ("case", "activity", "pool"):
        assert lines[column].dtype == "str", column
    assert lines["pool"].isna().sum() == log["org:role"].isin(["temp staff"]).sum() + \
        log["org:role"].isna().sum()


# ------------------------------------------------------------------ chunks vs whole log


@pytest.mark.parametrize("options", OPTIONS)
def test_kpis_over_chunks_equal_kpis_of_the_whole_log(log, options) -> None:
    chunks = whole_cases(log, [1, 200, 201, 700, 1100])
    assert len(chunks) >= 4
    assert_same_kpis(kpis(log, **options), kpis(chunks, **options))


def test_one_chunk_is_the_whole_log(log) -> None:
    assert_same_kpis(kpis(log, CALENDAR, sla="24h"), kpis([log], CALENDAR, sla="24h"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_read_log_chunked_gives_the_kpis_of_the_whole_file(log, tmp_path: Path,
                                                           suffix: str) -> None:
    path = tmp_path / f"log{suffix}"
    write_log(finished_rows(log), path)  # a file records completed work only
    whole = read_log(path, timezone=TZ)
    chunked = read_log(path, timezone=TZ, chunked=True, chunk_events=97)
    frames = list(chunked)
    assert len(frames) > 5
    # every chunk holds whole cases, and the chunks are the whole log in order
    ids = [set(f["case:concept:name"]) for f in frames]
    assert all(not (a & b) for i, a in enumerate(ids) for b in ids[i + 1:])
    joined = pd.concat([f.astype({c: "str" for c in TEXT}) for f in frames], ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole.astype({c: "str" for c in TEXT})[joined.columns])
    for options in OPTIONS:
        assert_same_kpis(kpis(whole, **options), kpis(chunked, **options))


def test_a_case_split_over_chunks_is_an_error(log) -> None:
    ids = log["case:concept:name"].to_numpy()
    inside = int(np.flatnonzero(ids[1:] == ids[:-1])[10]) + 1  # a row inside a case
    with pytest.raises(LogError, match="continues case"):
        kpis([log.iloc[:inside], log.iloc[inside:]])


def test_a_one_shot_iterator_is_refused(log) -> None:
    class Once:
        whole_cases = True

        def __init__(self) -> None:
            self.frames = iter([log])

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.frames)

    with pytest.raises(LogError, match="reads chunks twice"):
        kpis(Once())


def test_chunks_with_a_cases_table_are_refused(log) -> None:
    cases = pd.DataFrame({"case:concept:name": ["case-0000"], "arrival": [pd.Timestamp(
        "2024-03-01 09:00", tz=TZ)], "end": [pd.NaT]})
    with pytest.raises(LogError, match="cases= works with a whole log"):
        kpis([log], cases=cases)


def test_a_file_not_grouped_by_case_is_refused(log, tmp_path: Path) -> None:
    shuffled = finished_rows(log).sample(frac=1.0, random_state=3)
    path = tmp_path / "shuffled.csv"
    shuffled.to_csv(path, index=False)
    with pytest.raises(LogError, match="not grouped by case"):
        list(read_log(path, chunked=True, chunk_events=50))


def test_chunked_reading_is_for_parquet_and_csv(tmp_path: Path, log) -> None:
    path = tmp_path / "log.xes"
    write_log(log.head(20), path)
    with pytest.raises(LogError, match="Parquet and CSV"):
        read_log(path, chunked=True)
    with pytest.raises(LogError, match="chunked=True reads a Parquet or CSV file"):
        read_log(log, chunked=True)
    with pytest.raises(LogError, match="chunk_events"):
        read_log(tmp_path / "log.xes", format="csv", chunked=True, chunk_events=0)
