"""Vectorised calendar operations and the simulation Timeline agree with the scalar ones."""

from __future__ import annotations

from datetime import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leanproc.calendar import Calendar, CalendarError

CALENDARS = {
    "ru": Calendar.parse("ru-5x8@Asia/Tomsk"),
    "berlin": Calendar.parse("5x8@Europe/Berlin"),  # DST changes inside the range
    "shifts": Calendar(
        {d: [(time(6), time(14)), (time(22), time(6))] for d in range(6)}, tz="Europe/Moscow"
    ),
}
LO = pd.Timestamp("2023-06-01T00:00Z").value // 10**9
HI = pd.Timestamp("2025-06-01T00:00Z").value // 10**9

seconds = st.integers(LO, HI)
# work in whole minutes up to 300 h, half-hour multiples included to land on span ends
work = st.one_of(st.integers(0, 300 * 60).map(lambda m: 60.0 * m), st.sampled_from([0.0, 1800.0]))
names = st.sampled_from(sorted(CALENDARS))
PROPS = settings(max_examples=60, deadline=None, derandomize=True)


def utc(sec: int) -> pd.Timestamp:
    return pd.Timestamp(sec, unit="s", tz="UTC")


@PROPS
@given(names, st.lists(st.tuples(seconds, seconds), min_size=1, max_size=20))
def test_working_seconds_equals_scalar(name: str, pairs: list[tuple[int, int]]) -> None:
    cal = CALENDARS[name]
    assert cal is not None
    a = pd.Series([utc(x) for x, _ in pairs])
    b = pd.DatetimeIndex([utc(y) for _, y in pairs]).tz_convert("Asia/Tomsk")
    got = cal.working_seconds(a, b)
    expected = [cal.working_time(utc(x), utc(y)).total_seconds() for x, y in pairs]
    np.testing.assert_array_equal(got, expected)


@PROPS
@given(names, st.lists(st.tuples(seconds, work), min_size=1, max_size=20))
def test_add_working_array_equals_scalar(name: str, rows: list[tuple[int, float]]) -> None:
    cal = CALENDARS[name]
    assert cal is not None
    t = np.array([x for x, _ in rows], dtype="datetime64[s]")  # naive: UTC
    w = np.array([y for _, y in rows])
    got = cal.add_working_array(t, w)
    expected = [cal.add_working(utc(x), y) for x, y in rows]
    assert list(got) == expected


@PROPS
@given(names, seconds, work)
def test_add_then_measure_gives_back_the_work(name: str, start: int, w: float) -> None:
    cal = CALENDARS[name]
    assert cal is not None
    end = cal.add_working(utc(start), w)
    assert end >= utc(start)
    assert cal.working_time(utc(start), end).total_seconds() == w
    if w > 0:
        # the end is the earliest such instant: it is inside or at the end of working time
        assert cal.is_working(end - pd.Timedelta(microseconds=1))
    back = cal.add_working(end, -w)
    assert cal.working_time(back, end).total_seconds() == w


@PROPS
@given(names, seconds)
def test_next_working_is_the_first_working_instant(name: str, start: int) -> None:
    cal = CALENDARS[name]
    assert cal is not None
    nxt = cal.next_working(utc(start))
    assert nxt >= utc(start)
    assert cal.is_working(nxt)
    assert cal.working_time(utc(start), nxt) == pd.Timedelta(0)


@PROPS
@given(
    names, seconds, st.lists(st.tuples(st.integers(-(10**7), 10**8), work), min_size=1, max_size=10)
)
def test_timeline_agrees_with_calendar(name: str, epoch: int, rows: list) -> None:
    cal = CALENDARS[name]
    assert cal is not None
    e = utc(epoch)
    tl = cal.timeline(e)
    for t, w in rows:
        at = e + pd.Timedelta(seconds=t)
        got = tl.add(float(t), w)
        expected = (cal.add_working(at, w) - e).total_seconds()
        assert got == pytest.approx(expected, abs=1e-6)
        assert tl.between(float(t), got) == pytest.approx(w, abs=1e-6)
        assert tl.work_at(float(t)) == pytest.approx(
            cal.working_time(e, at).total_seconds(), abs=1e-6
        )
        assert tl.next_working(float(t)) == pytest.approx(
            (cal.next_working(at) - e).total_seconds(), abs=1e-6
        )
        assert tl.is_working(float(t)) == cal.is_working(at)
    t_arr = np.array([float(t) for t, _ in rows])
    w_arr = np.array([w for _, w in rows])
    adds = tl.add_array(t_arr, w_arr)
    np.testing.assert_allclose(adds, [tl.add(float(t), w) for t, w in rows], atol=1e-6)
    np.testing.assert_allclose(tl.between_array(t_arr, adds), w_arr, atol=1e-6)


def test_nat_and_nan_propagate() -> None:
    cal = CALENDARS["ru"]
    assert cal is not None
    a = pd.Series(pd.to_datetime(["2024-03-15T10:00+07:00", None, "2024-03-15T10:00+07:00"]))
    b = pd.Series(pd.to_datetime(["2024-03-18T10:00+07:00", "2024-03-18T10:00+07:00", None]))
    out = cal.working_seconds(a, b)
    assert out[0] == 8 * 3600 and np.isnan(out[1]) and np.isnan(out[2])
    res = cal.add_working_array(a, [3600.0, 3600.0, np.nan])
    assert res[0] == pd.Timestamp("2024-03-15T11:00+07:00")
    assert res[1] is pd.NaT and res[2] is pd.NaT
    assert str(res.tz) == "Asia/Tomsk"
    tl = cal.timeline("2024-03-15T00:00+07:00")
    assert np.isnan(tl.add_array(np.array([np.nan, 0.0]), np.array([1.0, np.nan]))).all()
    assert np.isnan(tl.between_array(np.array([np.nan]), np.array([1.0])))[0]


def test_empty_arrays() -> None:
    cal = CALENDARS["ru"]
    assert cal is not None
    empty = pd.DatetimeIndex([], tz="UTC")
    assert cal.working_seconds(empty, empty).shape == (0,)
    assert len(cal.add_working_array(empty, np.zeros(0))) == 0
    tl = cal.timeline("2024-01-01T00:00Z")
    assert tl.add_array(np.zeros(0), np.zeros(0)).shape == (0,)
    assert tl.between_array(np.zeros(0), np.zeros(0)).shape == (0,)


def test_scalar_broadcast_and_negative_spans() -> None:
    cal = CALENDARS["ru"]
    assert cal is not None
    b = pd.date_range("2024-03-15T10:00", periods=3, freq="D", tz="Asia/Tomsk")
    out = cal.working_seconds(pd.Timestamp("2024-03-15T11:00+07:00"), b)
    # Friday 11-13 and 14-18; nothing on the weekend
    np.testing.assert_array_equal(out, [-3600.0, 6 * 3600.0, 6 * 3600.0])


def test_timeline_extends_itself_far_ahead_and_before_the_epoch() -> None:
    cal = Calendar.parse("ru-5x8@Europe/Moscow")
    assert cal is not None
    tl = cal.timeline("2024-01-01T00:00+03:00")
    year = 365.25 * 86400
    ten_years = tl.add(0.0, 10 * 1975 * 3600.0)
    assert 9.5 * year < ten_years < 10.5 * year
    assert tl.work_at(-year) < 0
    assert tl.between(-year, 0.0) == pytest.approx(1973 * 3600)  # the whole of 2023
    assert tl.add(0.0, 3600.0) == pytest.approx(
        (pd.Timestamp("2024-01-09T10:00+03:00") - tl.epoch).total_seconds()
    )
    # work that ends with the day returns the day's end, not the next morning
    end_of_day = (pd.Timestamp("2024-01-09T18:00+03:00") - tl.epoch).total_seconds()
    assert tl.add(0.0, 8 * 3600.0) == end_of_day
    assert tl.add(end_of_day - 0.1, 0.1) == end_of_day
    # a tiny amount of work started after hours is done the next morning, not snapped back
    next_morning = (pd.Timestamp("2024-01-10T09:00+03:00") - tl.epoch).total_seconds()
    assert tl.add(end_of_day + 60.0, 1e-7) == pytest.approx(next_morning + 1e-7, abs=1e-9)
    np.testing.assert_allclose(
        tl.add_array(np.array([end_of_day - 0.1, end_of_day + 60.0]), np.array([0.1, 1e-7])),
        [end_of_day, next_morning + 1e-7],
        atol=1e-9,
        rtol=0,
    )


def test_timeline_rejects_non_finite_instants() -> None:
    tl = Calendar.parse("5x8").timeline("2024-01-01")  # type: ignore[union-attr]
    with pytest.raises(CalendarError, match="finite"):
        tl.add(float("inf"), 1.0)


def test_a_million_rows_in_one_call() -> None:
    """Not a timing test: a large batch goes through without a Python loop per row."""
    cal = CALENDARS["ru"]
    assert cal is not None
    rng = np.random.default_rng(7)
    n = 200_000
    a = LO * 10**9 + rng.integers(0, (HI - LO) * 10**9, n)
    b = a + rng.integers(0, 30 * 86400 * 10**9, n)
    out = cal.working_seconds(a.astype("datetime64[ns]"), b.astype("datetime64[ns]"))
    assert out.shape == (n,) and (out >= 0).all()
    assert (out <= (b - a) / 1e9).all()
