"""Prosimos weekly calendars to leanproc calendar mappings and back.

Prosimos writes a calendar as time periods ``{"from": "MONDAY", "to": "FRIDAY", "beginTime":
"09:00:00", "endTime": "17:00:00"}``: every day from `from` to `to` (wrapping past Sunday) is
open between the two clock times of that day. Overlapping periods merge. Prosimos' own
round-the-clock calendar ends each day at ``23:59:59.999``; an end within a second of midnight
is read as midnight here, so such a calendar becomes leanproc's 24x7 (no calendar at all).

A week is kept as seven tuples of ``(start, end)`` seconds since midnight, merged and sorted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from leanproc.calendar import merge_spans  # sorted spans, overlaps merged

__all__ = [
    "DAYS",
    "Week",
    "is_round_the_clock",
    "periods_from_week",
    "spec_from_week",
    "union",
    "week_from_calendar",
    "week_from_periods",
]

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = 86_400

Week = tuple[tuple[tuple[int, int], ...], ...]
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*$")


def _seconds(text: Any, where: str) -> float:
    if not isinstance(text, str) or not (m := _CLOCK.match(text)):
        raise ValueError(f"{where}: {text!r} is not a clock time such as '09:00:00'")
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    frac = float(f"0.{m[4]}") if m[4] else 0.0
    if h > 24 or mi > 59 or s > 59 or (h == 24 and (mi or s or frac)):
        raise ValueError(f"{where}: {text!r} is not a clock time")
    return h * 3600 + mi * 60 + s + frac


def week_from_periods(periods: Any, where: str) -> Week:
    """The week a Prosimos ``time_periods`` list describes; ValueError naming the bad entry."""
    if not isinstance(periods, list):
        raise ValueError(f"{where}: expected a list of time periods")
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for i, p in enumerate(periods):
        here = f"{where}[{i}]"
        if not isinstance(p, Mapping):
            raise ValueError(f"{here}: expected {{from, to, beginTime, endTime}}")
        names = []
        for key in ("from", "to"):
            name = str(p.get(key, "")).strip().upper()
            if name not in DAYS:
                raise ValueError(f"{here}.{key}: {p.get(key)!r} is not a day name (MONDAY .. "
                                 f"SUNDAY)")
            names.append(DAYS.index(name))
        begin = _seconds(p.get("beginTime"), f"{here}.beginTime")
        end = _seconds(p.get("endTime"), f"{here}.endTime")
        if end >= _DAY - 1 or (end == 0 and begin > 0):
            end = _DAY  # 23:59:59(.999) and 00:00 after a start: the day's end
        start, stop = round(begin), round(end)
        if stop <= start:
            raise ValueError(f"{here}: endTime {p.get('endTime')!r} is not after beginTime "
                             f"{p.get('beginTime')!r}; split a night shift into two periods")
        d, last = names
        while True:
            days[d].append((start, stop))
            if d == last:
                break
            d = (d + 1) % 7
    return tuple(merge_spans(d) for d in days)


def union(weeks: Sequence[Week]) -> Week:
    """Open whenever any of `weeks` is open (how Prosimos builds a default arrival calendar)."""
    return tuple(merge_spans(s for w in weeks for s in w[d]) for d in range(7))


def is_round_the_clock(week: Week) -> bool:
    return all(day == ((0, _DAY),) for day in week)


def _clock(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def spec_from_week(week: Week, tz: str) -> dict[str, Any]:
    """A leanproc calendar mapping (``hours`` per weekday in zone `tz`)."""
    hours = {_SHORT[d]: [f"{_clock(s)}-{_clock(e)}" for s, e in spans]
             for d, spans in enumerate(week) if spans}
    return {"hours": hours, "timezone": tz}


def week_from_calendar(calendar: Any) -> Week:
    """The weekly hours of a leanproc `Calendar` (holidays and exceptions are not weekly)."""
    # Calendar keeps its weekly table as seven tuples of (start, end) seconds; a span may run
    # past midnight (end > 86 400), which the next day's hours then continue.
    weekly = calendar.weekly
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for d, spans in enumerate(weekly):
        for s, e in spans:
            days[d].append((s, min(e, _DAY)))
            if e > _DAY:
                days[(d + 1) % 7].append((0, e - _DAY))
    return tuple(merge_spans(x) for x in days)


def periods_from_week(week: Week) -> list[dict[str, str]]:
    """Prosimos time periods for `week`, consecutive days with equal hours in one period."""
    out: list[dict[str, str]] = []
    d = 0
    while d < 7:
        last = d
        while last + 1 < 7 and week[last + 1] == week[d]:
            last += 1
        for s, e in week[d]:
            out.append({"from": DAYS[d], "to": DAYS[last], "beginTime": _prosimos_clock(s),
                        "endTime": _prosimos_clock(e)})
        d = last + 1
    return out


def _prosimos_clock(seconds: int) -> str:
    if seconds >= _DAY:
        return "23:59:59.999"  # Prosimos' own end of day
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"
