"""Small value helpers: time zones, clock times and spans of one day's working hours.

A day's hours are kept as a tuple of ``(start, end)`` pairs of *local seconds since that day's
midnight*. ``end`` may exceed 86 400 for a shift that runs past midnight (22:00-06:00 is
``(79200, 108000)``), which is why plain seconds are used rather than `datetime.time`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = 86_400
Hours = tuple[tuple[int, int], ...]
# One working span as a Calendar accepts it: "HH:MM-HH:MM", a (start, end) pair of clock times
# (datetime.time or "HH:MM"), or (start, end) seconds since midnight as the preset tables hold.
SpanSpec = str | tuple[time | str, time | str] | tuple[int, int]

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_SPAN = re.compile(r"^\s*([0-9:]+)\s*[-–—]\s*([0-9:]+)\s*$")


def to_zone(tz: str | tzinfo) -> tzinfo:
    """A tzinfo from an IANA name or a tzinfo (pytz zones become `ZoneInfo` of the same name).

    Raises `ValueError` with the reason; callers turn it into a located `CalendarError`.
    """
    if isinstance(tz, str):
        name = tz.strip()
        if name.upper() == "UTC":
            return ZoneInfo("UTC")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {tz!r}: use an IANA name such as 'Europe/Moscow'"
            ) from exc
    if isinstance(tz, tzinfo):
        # pytz zones give wrong offsets when attached with tzinfo=...; their IANA name does not
        zone_name = getattr(tz, "zone", None)
        if isinstance(zone_name, str) and type(tz).__module__.startswith("pytz"):
            return ZoneInfo(zone_name)
        return tz
    raise ValueError(f"time zone must be an IANA name or a tzinfo, not {type(tz).__name__}")


def zone_name(tz: tzinfo) -> str:
    """The IANA key of a zone when it has one, else its printed form."""
    return str(getattr(tz, "key", None) or tz)


def clock_seconds(value: time | str, *, end: bool = False) -> int:
    """Seconds since midnight of a `time` or an ``"HH:MM[:SS]"`` string (``"24:00"`` allowed)."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError(f"{value} carries a time zone; give the zone to the calendar instead")
        if value.microsecond:
            raise ValueError(f"{value} has microseconds: working hours are whole seconds")
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, str):
        m = _CLOCK.match(value)
        if m:
            h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
            if (h < 24 and mi < 60 and s < 60) or (end and h == 24 and mi == 0 and s == 0):
                return h * 3600 + mi * 60 + s
        raise ValueError(f"{value!r} is not a clock time: write it as HH:MM, e.g. '09:00'")
    raise ValueError(f"{value!r} is not a clock time: give a datetime.time or 'HH:MM'")


def span_seconds(start: time | str, end: time | str) -> tuple[int, int]:
    """One working span in local seconds; an end at or before the start runs past midnight.

    ``00:00-00:00`` (or ``00:00-24:00``) is the whole day; an end of ``00:00`` means midnight at
    the end of the day; ``22:00-06:00`` is a night shift that ends the next morning.
    """
    s = clock_seconds(start)
    e = clock_seconds(end, end=True)
    if e == 0:
        e = DAY
    if e == s:
        raise ValueError(f"the span {start}-{end} is empty: give different start and end times")
    if e < s:
        e += DAY
    return s, e


def parse_span(text: str) -> tuple[int, int]:
    """``"09:00-13:00"`` -> ``(32400, 46800)``."""
    m = _SPAN.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a span of hours: write it as 'HH:MM-HH:MM'")
    return span_seconds(m[1], m[2])


def merge_spans(spans: Iterable[tuple[int, int]]) -> Hours:
    """One day's spans (seconds since midnight) sorted, overlapping or touching ones merged."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def shorten(hours: Hours, cut: int) -> Hours:
    """The same hours with the last `cut` seconds of working time removed (pre-holiday rule)."""
    out = list(hours)
    while out and cut > 0:
        s, e = out[-1]
        if e - s > cut:
            out[-1] = (s, e - cut)
            cut = 0
        else:
            out.pop()
            cut -= e - s
    return tuple(out)


def length(hours: Hours) -> int:
    """Working seconds of a day's hours."""
    return sum(e - s for s, e in hours)


def as_times(hours: Hours) -> list[tuple[time, time]]:
    """Seconds back to `time` pairs (an end at or past midnight prints as 00:00)."""

    def t(sec: int) -> time:
        sec %= DAY
        return time(sec // 3600, sec // 60 % 60, sec % 60)

    return [(t(s), t(e)) for s, e in hours]


def local_midnight_utc_seconds(d_ordinal: int, sec: int, tz: tzinfo) -> int:
    """UTC seconds since 1970 of local wall time `sec` seconds after midnight of day `d_ordinal`.

    The zone's offset is looked up for that wall time, so each day of a DST-observing zone gets
    its own offset; a wall time inside a spring-forward gap takes the offset in force before it.
    """
    days, sec = divmod(sec, DAY)
    ordinal = d_ordinal + days
    wall = datetime.fromordinal(ordinal) + timedelta(seconds=sec)
    offset = tz.utcoffset(wall) or timedelta(0)
    return (ordinal - _EPOCH_ORDINAL) * DAY + sec - int(offset.total_seconds())


_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
