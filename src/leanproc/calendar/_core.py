"""`Calendar`: working time in one time zone, compiled to sorted UTC intervals.

How it works: each local date gets its working hours (weekly hours, a date exception, or the
country's production calendar: day off, transferred working Saturday, pre-holiday shortening).
Those wall-clock hours are turned into UTC instants day by day — so DST changes are honoured —
and merged into sorted, disjoint intervals ``[S[i], E[i])`` in integer nanoseconds, with the
cumulative working time ``C[i]`` before each. Then

* ``W(t)``, the working time before ``t``, is one binary search: ``C[i] + clip(t - S[i])``;
* working time in ``[a, b)`` is ``W(b) - W(a)``;
* adding work ``w`` at ``t`` is a binary search of ``W(t) + w`` in the cumulative ends.

All three vectorise with `numpy.searchsorted`, so a million timestamps cost no Python loop.
The compiled span grows on demand (doubling), so callers never name a horizon; a calendar that
has no working time for two years of look-ahead raises `CalendarError` rather than searching on.
Integer nanoseconds keep results exact: work that ends at 18:00 returns 18:00, not 17:59:59.9.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd
from pandas.api.typing import NaTType

from leanproc.calendar import _hours as H
from leanproc.calendar._production import ProductionCalendar
from leanproc.calendar._spec import period_dates
from leanproc.errors import CalendarError

if TYPE_CHECKING:
    from leanproc.calendar._timeline import Timeline

NS = 1_000_000_000
_ONE_DAY = timedelta(days=1)
_LOOKAHEAD_DAYS = 732  # two years without working time means "never": raise
_LOOKAHEAD_NS = _LOOKAHEAD_DAYS * H.DAY * NS
_MIN_GROWTH_DAYS = 366
_PRE_HOLIDAY_CUT = 3600  # art. 95 RU Labour Code: one hour shorter
_NAT = np.iinfo(np.int64).min
_PAD = -(2**62)
# keep a margin inside pandas' nanosecond range (1677-2262) for the compiled days around a query
# The years a calendar answers for: timestamps are 64-bit nanoseconds (1677 .. 2262).
FIRST_YEAR, LAST_YEAR = 1680, 2260
_MIN_YEAR, _MAX_YEAR = FIRST_YEAR, LAST_YEAR
_MIN_NS = pd.Timestamp(f"{_MIN_YEAR}-01-01").value
_MAX_NS = pd.Timestamp(f"{_MAX_YEAR}-01-01").value
_MIN_DATE, _MAX_DATE = date(_MIN_YEAR - 1, 12, 1), date(_MAX_YEAR, 2, 1)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ts_ns(ts: Any, what: str = "timestamp") -> int:
    """Nanoseconds since 1970 UTC of a scalar instant; a naive value means UTC."""
    try:
        t = pd.Timestamp(ts)
    except (TypeError, ValueError) as exc:
        raise CalendarError(f"{what} {ts!r} is not an instant: give a timestamp") from exc
    if isinstance(t, NaTType):
        raise CalendarError(f"{what} is NaT: give a real instant (the array methods accept NaT)")
    if t.tzinfo is None:
        t = t.tz_localize("UTC")
    return int(t.value)


def _array_ns(x: Any) -> tuple[np.ndarray, np.ndarray]:
    """(int64 ns since 1970 UTC, NaT mask) of a Series / DatetimeIndex / datetime64 array."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "M":
        arr = x.astype("datetime64[ns]", copy=False).view(np.int64)
        return arr, arr == _NAT
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(x, utc=True))
    except (TypeError, ValueError) as exc:
        raise CalendarError(
            f"cannot read {type(x).__name__} as timestamps: pass a pandas Series, "
            "DatetimeIndex or numpy datetime64 array"
        ) from exc
    arr = np.asarray(idx.as_unit("ns").asi8)
    return arr, arr == _NAT


def _merge(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals as sorted disjoint intervals (touching ones joined)."""
    keep = e > s
    s, e = s[keep], e[keep]
    if len(s) == 0:
        return s, e
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    run_end = np.maximum.accumulate(e)
    starts = np.ones(len(s), dtype=bool)
    starts[1:] = s[1:] > run_end[:-1]
    idx = np.flatnonzero(starts)
    return s[idx], np.maximum.reduceat(e, idx)


class Calendar:
    """A working-time calendar in one time zone.

    Weekly hours with breaks, a country's public holidays and transferred working days (from the
    `holidays` package), optional pre-holiday shortening (art. 95 of the RU Labour Code) and
    custom date exceptions.

    Args:
        weekly: hours per weekday, ``0`` = Monday .. ``6`` = Sunday; a missing day is a day off.
            Each day is a sequence of ``(start, end)`` clock times; an ``end`` of ``00:00`` is
            midnight at the end of the day, an ``end`` before ``start`` runs past midnight.
        tz: the zone in which the hours are wall-clock times.
        country: ISO code of a production calendar (``"RU"``); its days off are not worked and
            its working weekend days are worked with the hours of the weekday they replace.
        shorten_pre_holiday: end the working day before a public holiday one hour early.
        exceptions: hours for particular dates (an empty sequence closes the date); they win
            over everything else.
        name: a label for messages and reports.

    Instants given without a zone are read as UTC; instants returned are in the calendar's zone.
    """

    def __init__(
        self,
        weekly: Mapping[int, Sequence[H.SpanSpec]],
        *,
        tz: str | tzinfo = "UTC",
        country: str | None = None,
        shorten_pre_holiday: bool = False,
        exceptions: Mapping[date, Sequence[H.SpanSpec]] | None = None,
        name: str | None = None,
    ) -> None:
        problems: list[str] = []
        try:
            self.tz: tzinfo = H.to_zone(tz)
        except ValueError as exc:
            problems.append(f"timezone: {exc}")
            self.tz = H.to_zone("UTC")
        self._weekly: list[H.Hours] = [()] * 7
        for day, spans in weekly.items():
            if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
                problems.append(
                    f"weekly hours: day {day!r} is not a weekday number (0 = Monday .. 6 = Sunday)"
                )
                continue
            hours = self._read_spans(spans, f"weekly hours of day {day}", problems)
            self._weekly[day] = hours
        self._exceptions: dict[date, H.Hours] = {}
        for when, spans in (exceptions or {}).items():
            if isinstance(when, datetime) or not isinstance(when, date):
                problems.append(f"exceptions: key {when!r} is not a date: use datetime.date")
                continue
            self._exceptions[when] = self._read_spans(spans, f"exception {when}", problems)
        self.country: str | None = None
        self._production: ProductionCalendar | None = None
        if country:
            try:
                self._production = ProductionCalendar(country)
                self.country = self._production.country
            except CalendarError as exc:
                problems.extend(exc.problems)
        self.shorten_pre_holiday = bool(shorten_pre_holiday)
        if not problems and not any(self._weekly) and not any(self._exceptions.values()):
            problems.append(
                "the calendar has no working hours at all: give hours for at least one weekday"
            )
        if problems:
            raise CalendarError(problems, source=f"calendar {name}" if name else "calendar")

        lengths = Counter(H.length(h) for h in self._weekly if h)
        if not lengths:
            lengths = Counter(H.length(h) for h in self._exceptions.values() if h)
        best = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))[0]
        #: seconds of a standard working day (the most common daily length): the unit of "wd"
        self.day_length: float = float(best)
        candidates = [*self._weekly, *self._exceptions.values()]
        self._standard: H.Hours = next(h for h in candidates if h and H.length(h) == best)
        self.name: str = name or self._describe()
        self._reset()

    @property
    def weekly(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """The weekly hours: for Monday .. Sunday, (start, end) seconds after local midnight
        (a night shift may end past 86,400). Holidays and date exceptions are not weekly."""
        return tuple(self._weekly)

    # ------------------------------------------------------------------ construction helpers

    @staticmethod
    def _read_spans(spans: Any, where: str, problems: list[str]) -> H.Hours:
        if isinstance(spans, str | bytes) or not isinstance(spans, Sequence):
            problems.append(f"{where}: expected a list of (start, end) pairs, got {spans!r}")
            return ()
        out = []
        for span in spans:
            try:
                if isinstance(span, str):
                    out.append(H.parse_span(span))
                    continue
                start, end = span
                if isinstance(start, int) and isinstance(end, int):
                    # seconds since the day's midnight, as the preset tables hold them
                    if not 0 <= start < end <= 2 * H.DAY:
                        raise ValueError(f"span ({start}, {end}) s is not within two days")
                    out.append((start, end))
                else:
                    out.append(H.span_seconds(start, end))
            except (ValueError, TypeError) as exc:
                problems.append(f"{where}: {exc}")
        return H.merge_spans(out)

    def _describe(self) -> str:
        days = sum(1 for h in self._weekly if h)
        label = f"{days}x{self.day_length / 3600:g}"
        if self.country:
            label = f"{self.country.lower()}-{label}"
        return f"{label}@{H.zone_name(self.tz)}"

    @overload
    @classmethod
    def parse(cls, spec: None, *, tz: str | tzinfo | None = None) -> None: ...
    @overload
    @classmethod
    def parse(
        cls, spec: str | Mapping[str, Any] | Calendar, *, tz: str | tzinfo | None = None
    ) -> Calendar: ...
    @classmethod
    def parse(
        cls, spec: str | Mapping[str, Any] | Calendar | None, *, tz: str | tzinfo | None = None
    ) -> Calendar | None:
        """A calendar from a preset name, a mapping (YAML), a `Calendar`, or None (= 24x7).

        Presets: ``"24x7"``, ``"5x8"`` (Mon-Fri 09:00-18:00, lunch 13:00-14:00), ``"ru-5x8"``
        (5x8 with the Russian production calendar and pre-holiday days ending at 17:00); a
        ``"@Zone"`` suffix sets the zone (``"ru-5x8@Asia/Tomsk"``). The mapping form accepts the
        keys ``preset``, ``timezone`` (or ``tz``), ``hours``, ``country``, ``exceptions``,
        ``shorten_pre_holiday`` and ``name``. `tz` is the zone used when the spec names none.
        """
        from leanproc.calendar._spec import parse_spec

        return parse_spec(cls, spec, tz)

    def __repr__(self) -> str:
        return f"Calendar({self.name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (
            tuple(self._weekly),
            H.zone_name(self.tz),
            self.country,
            self.shorten_pre_holiday,
            tuple(sorted(self._exceptions.items())),
        )

    # ------------------------------------------------------------------ one local date

    def day_hours(self, d: date) -> list[tuple[time, time]]:
        """The working hours of local date `d` as clock-time pairs (empty on a day off)."""
        if self._production is not None:
            self._production.load([d.year])
        return H.as_times(self._hours_of(d))

    def _hours_of(self, d: date) -> H.Hours:
        if d in self._exceptions:
            return self._exceptions[d]
        hours = self._weekly[d.weekday()]
        prod = self._production
        if prod is None:
            return hours
        if prod.is_day_off(d):
            return ()
        if prod.is_weekend_workday(d):
            # a working weekend day is worked like the weekday whose day off it received
            partner = prod.partner.get(d)
            hours = (self._weekly[partner.weekday()] if partner else ()) or self._standard
        if hours and self.shorten_pre_holiday and prod.is_pre_holiday(d):
            hours = H.shorten(hours, _PRE_HOLIDAY_CUT)
        return hours

    # ------------------------------------------------------------------ compiled intervals

    def _reset(self) -> None:
        self._d0: date | None = None  # compiled local dates [d0, d1)
        self._d1: date | None = None
        self._lo = 0  # instants in [lo, hi) are answered exactly
        self._hi = 0
        empty = np.zeros(0, dtype=np.int64)
        self._s = self._e = self._cs = self._ce = self._len = empty
        self._s_pad = np.array([_PAD], dtype=np.int64)
        self._cs_pad = self._len_pad = np.zeros(1, dtype=np.int64)
        self._version = 0  # bumped on every recompile, so a Timeline knows to refresh

    def _local_ns(self, d: date, sec: int = 0) -> int:
        return H.local_midnight_utc_seconds(d.toordinal(), sec, self.tz) * NS

    def _local_date(self, ns: int) -> date:
        utc = _UNIX_EPOCH + timedelta(microseconds=ns // 1000)
        return utc.astimezone(self.tz).date()

    def _compile_days(self, a: date, b: date) -> tuple[np.ndarray, np.ndarray]:
        if self._production is not None:
            self._production.load(range(a.year, b.year + 1))
        starts: list[int] = []
        ends: list[int] = []
        tz = self.tz
        ordinal, stop = a.toordinal(), b.toordinal()
        day = a
        while ordinal < stop:
            for s, e in self._hours_of(day):
                starts.append(H.local_midnight_utc_seconds(ordinal, s, tz))
                ends.append(H.local_midnight_utc_seconds(ordinal, e, tz))
            ordinal += 1
            day += _ONE_DAY
        return (
            np.asarray(starts, dtype=np.int64) * NS,
            np.asarray(ends, dtype=np.int64) * NS,
        )

    def _set_span(self, d0: date, d1: date) -> None:
        """Compile local dates [d0, d1), reusing what is already compiled."""
        if self._d0 is None or self._d1 is None:
            s, e = self._compile_days(d0, d1)
        else:
            parts_s, parts_e = [self._s], [self._e]
            if d0 < self._d0:
                s, e = self._compile_days(d0, self._d0)
                parts_s.insert(0, s)
                parts_e.insert(0, e)
            if d1 > self._d1:
                s, e = self._compile_days(self._d1, d1)
                parts_s.append(s)
                parts_e.append(e)
            s, e = np.concatenate(parts_s), np.concatenate(parts_e)
        s, e = _merge(s, e)
        self._s, self._e = s, e
        self._len = e - s
        self._ce = np.cumsum(self._len)
        self._cs = self._ce - self._len
        self._s_pad = np.concatenate([[_PAD], s])
        self._cs_pad = np.concatenate([[0], self._cs])
        self._len_pad = np.concatenate([[0], self._len])
        self._d0, self._d1 = d0, d1
        # a span that starts on day d0 - 1 may run past its midnight: day d0 itself is not exact
        self._lo = self._local_ns(d0 + _ONE_DAY)
        self._hi = self._local_ns(d1)
        self._version += 1

    def _ensure(self, lo: int, hi: int) -> None:
        """Make instants lo..hi (ns) exact, growing the compiled span geometrically."""
        if self._d0 is not None and self._lo <= lo and hi < self._hi:
            return
        if lo < _MIN_NS or hi >= _MAX_NS:
            raise self._range_error()
        need0 = self._local_date(lo) - _ONE_DAY
        need1 = self._local_date(hi) + _ONE_DAY
        if self._d0 is None or self._d1 is None:
            d0 = need0 - timedelta(days=7)
            d1 = max(need1, need0 + timedelta(days=_MIN_GROWTH_DAYS))
        else:
            span = self._d1 - self._d0
            d0, d1 = self._d0, self._d1
            if need0 < d0:
                d0 = min(need0, d0 - timedelta(days=31))
            if need1 > d1:
                d1 = max(need1, d1 + max(span, timedelta(days=_MIN_GROWTH_DAYS)))
        # growth never runs past the supported range (the check above covers the query itself)
        self._set_span(max(d0, _MIN_DATE), min(d1, _MAX_DATE))

    def _range_error(self) -> CalendarError:
        return CalendarError(
            f"calendar {self.name!r}: instants must lie between {_MIN_YEAR} and {_MAX_YEAR}; "
            "check the timestamps or the work amount (seconds, not nanoseconds)"
        )

    def _grow_forward(self, query: int) -> None:
        """Compile further ahead after a search from `query` ran off the end."""
        last = int(self._e[-1]) if len(self._e) else None
        since = query if last is None else max(query, last)
        if self._hi - since >= _LOOKAHEAD_NS:
            raise CalendarError(
                f"calendar {self.name!r} has no working time from "
                f"{self._fmt(since)} to {self._fmt(self._hi)}: "
                "add working hours or remove the exceptions that close those dates"
            )
        if self._hi >= _MAX_NS:
            raise self._range_error()
        self._ensure(self._lo, self._hi + 1)

    def _grow_backward(self, query: int) -> None:
        first = int(self._s[0]) if len(self._s) else None
        since = query if first is None else min(query, first)
        if since - self._lo >= _LOOKAHEAD_NS:
            raise CalendarError(
                f"calendar {self.name!r} has no working time from "
                f"{self._fmt(self._lo)} to {self._fmt(since)}: add working hours"
            )
        if self._lo <= _MIN_NS:
            raise self._range_error()
        self._ensure(self._lo - 1, self._hi - 1)

    def _fmt(self, ns: int) -> str:
        return pd.Timestamp(ns, tz="UTC").tz_convert(self.tz).isoformat()

    def _out(self, ns: int) -> pd.Timestamp:
        return pd.Timestamp(ns, tz="UTC").tz_convert(self.tz)

    def _work(self, t: int) -> int:
        """W(t): working ns before t, counted from the first compiled interval (t covered)."""
        i = int(np.searchsorted(self._s, t, side="right")) - 1
        if i < 0:
            return 0
        return int(self._cs[i]) + min(max(t - int(self._s[i]), 0), int(self._len[i]))

    def _work_vec(self, t: np.ndarray) -> np.ndarray:
        # padded arrays start with an empty span at -2**62, so every t finds a span i with
        # S[i] <= t and no clipping below zero is needed (t - S[i] cannot overflow either)
        i = np.searchsorted(self._s_pad, t, side="right") - 1
        return self._cs_pad[i] + np.minimum(t - self._s_pad[i], self._len_pad[i])

    # ------------------------------------------------------------------ scalar operations

    def is_working(self, ts: Any) -> bool:
        """Whether the instant lies inside working time (a span's end is not inside it)."""
        t = _ts_ns(ts)
        self._ensure(t, t)
        i = int(np.searchsorted(self._s, t, side="right")) - 1
        return i >= 0 and t < int(self._e[i])

    def next_working(self, ts: Any) -> pd.Timestamp:
        """The first working instant at or after `ts` (`ts` itself inside working time)."""
        t = _ts_ns(ts)
        self._ensure(t, t)
        while True:
            i = int(np.searchsorted(self._e, t, side="right"))
            if i < len(self._e):
                return self._out(max(t, int(self._s[i])))
            self._grow_forward(t)

    def add_working(self, ts: Any, work: timedelta | float) -> pd.Timestamp:
        """The instant when `work` working time (a timedelta, or seconds) after `ts` is done.

        Work that ends exactly at the end of a span returns that end (18:00, not next morning);
        zero work returns `ts`; negative work goes back in time (the latest start that does the
        work by `ts`).
        """
        t = _ts_ns(ts)
        w = self._work_ns(work)
        self._ensure(t, t)
        return self._out(self._add_ns(t, w))

    @staticmethod
    def _work_ns(work: Any) -> int:
        if isinstance(work, timedelta | pd.Timedelta | np.timedelta64):
            return int(pd.Timedelta(work).value)
        try:
            value = float(work)
        except (TypeError, ValueError) as exc:
            raise CalendarError(
                f"work {work!r} is neither a timedelta nor a number of seconds"
            ) from exc
        if not np.isfinite(value):
            raise CalendarError(f"work {work!r} is not a finite number of seconds")
        return round(value * NS)

    def _add_ns(self, t: int, w: int) -> int:
        if w == 0:
            return t
        while True:
            target = self._work(t) + w
            if w > 0:
                j = int(np.searchsorted(self._ce, target, side="left"))
                if j < len(self._ce):
                    return int(self._s[j]) + target - int(self._cs[j])
                self._grow_forward(t)
            else:
                j = int(np.searchsorted(self._cs, target, side="right")) - 1
                if j >= 0 and target >= 0:
                    return int(self._s[j]) + target - int(self._cs[j])
                self._grow_backward(t)

    def working_time(self, a: Any, b: Any) -> pd.Timedelta:
        """Working time inside [a, b); negative when b is before a."""
        ta, tb = _ts_ns(a, "start"), _ts_ns(b, "end")
        self._ensure(min(ta, tb), max(ta, tb))
        return pd.Timedelta(self._work(tb) - self._work(ta), unit="ns")

    def working_hours(self, period: int | tuple[Any, Any]) -> float:
        """Working hours in a year (``2024``) or in ``(first, last)`` dates, both included.

        ``Calendar.parse("ru-5x8").working_hours(2024)`` is 1979.0, the official norm for a
        40-hour week.
        """
        first, last = period_dates(period)
        a = self._local_ns(first)
        b = self._local_ns(last + _ONE_DAY)
        return (
            self.working_time(pd.Timestamp(a, tz="UTC"), pd.Timestamp(b, tz="UTC")).total_seconds()
            / 3600
        )

    def working_days(self, period: int | tuple[Any, Any]) -> int:
        """Number of local dates with any working time in a year or ``(first, last)`` dates."""
        first, last = period_dates(period)
        if self._production is not None:
            self._production.load(range(first.year, last.year + 1))
        n = (last - first).days + 1
        return sum(1 for k in range(n) if self._hours_of(first + timedelta(days=k)))

    # ------------------------------------------------------------------ vectorised operations

    def working_seconds(self, a: Any, b: Any) -> np.ndarray:
        """Working seconds inside each [a[k], b[k]) as float64 (negative if b[k] < a[k]; NaN
        where either is NaT). Inputs: Series, DatetimeIndex or datetime64 arrays, tz-aware or
        naive meaning UTC; a scalar is broadcast."""
        ta, na = self._vec_input(a)
        tb, nb = self._vec_input(b)
        shape = np.broadcast_shapes(ta.shape, tb.shape)
        if math.prod(shape) == 0:
            return np.zeros(shape)
        bad = np.broadcast_to(na, shape) | np.broadcast_to(nb, shape)
        if bad.all():
            return np.full(shape, np.nan)
        # NaT rows get a harmless instant so the arithmetic stays in one vectorised pass
        fill = ta[~na].flat[0] if (~na).any() else tb[~nb].flat[0]
        ta = np.where(na, fill, ta)
        tb = np.where(nb, fill, tb)
        self._ensure(min(int(ta.min()), int(tb.min())), max(int(ta.max()), int(tb.max())))
        # W(t) on each side as given, broadcast only after: a scalar origin against 10 M
        # instants is mapped once, not 10 M times
        out: np.ndarray = (np.broadcast_to(self._work_vec(tb), shape)
                           - np.broadcast_to(self._work_vec(ta), shape)) / NS
        if bad.any():
            out[bad] = np.nan
        return out

    def add_working_array(self, ts: Any, work_seconds: Any) -> pd.DatetimeIndex:
        """`add_working` for arrays: the instants when each work (seconds) is done, in the
        calendar's zone; NaT where the timestamp is NaT or the work is NaN."""
        t, nat = self._vec_input(ts)
        w = np.asarray(work_seconds, dtype=float)
        t, w = np.broadcast_arrays(t, w)
        bad = np.broadcast_to(nat, t.shape) | ~np.isfinite(w)
        res = np.full(t.shape, _NAT, dtype=np.int64)
        if not bad.all():
            tg = t[~bad]
            wg = np.rint(w[~bad] * NS).astype(np.int64)
            self._ensure(int(tg.min()), int(tg.max()))
            res[~bad] = self._add_vec(tg, wg)
        out = pd.DatetimeIndex(res.view("datetime64[ns]")).tz_localize("UTC")
        return out.tz_convert(self.tz)

    def _add_vec(self, t: np.ndarray, w: np.ndarray) -> np.ndarray:
        pos, neg = w > 0, w < 0
        while True:
            target = self._work_vec(t) + w
            n = len(self._ce)
            jp = np.searchsorted(self._ce, target, side="left")
            late = pos & (jp >= n)
            if late.any():
                self._grow_forward(int(t[late].max()))
                continue
            jn = np.searchsorted(self._cs, target, side="right") - 1
            early = neg & ((jn < 0) | (target < 0))
            if early.any():
                self._grow_backward(int(t[early].min()))
                continue
            break
        jp = np.minimum(jp, n - 1) if n else jp
        jn = np.maximum(jn, 0)
        res = t.copy()
        if n:
            res = np.where(pos, self._s[jp] + target - self._cs[jp], res)
            res = np.where(neg, self._s[jn] + target - self._cs[jn], res)
        return res

    def _vec_input(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(x, str | datetime | pd.Timestamp | np.datetime64):
            t = _ts_ns(x)
            return np.asarray([t], dtype=np.int64).reshape(()), np.asarray(False)
        return _array_ns(x)

    def timeline(self, epoch: Any) -> Timeline:
        """The calendar compiled for the simulation engine, time in float seconds from `epoch`."""
        from leanproc.calendar._timeline import Timeline

        return Timeline(self, epoch)
