"""Binding the scenario's time: its zone, its start, its calendars, working-time durations.

Calendars: a name is looked up under ``calendars:`` first (exactly, then with case and spacing
folded), then read as a preset (``ru-5x8``, ``5x8@Asia/Tomsk``) or a mapping. A reference that
cannot be read is reported once and then reads as no calendar (24x7).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from leanproc.errors import CalendarError
from leanproc.scenario.binding_names import Problems, closest, fold
from leanproc.scenario.distributions import Distribution
from leanproc.scenario.spec import Scenario

if TYPE_CHECKING:
    from leanproc.calendar import Calendar

__all__ = ["CalendarBook", "in_working_time", "localise", "start_of", "zone_of"]


def zone_of(scenario: Scenario) -> tzinfo:
    """The scenario's zone: ``timezone:``, else the start's zone or offset, else UTC."""
    if scenario.timezone:
        return ZoneInfo(scenario.timezone)
    start = scenario.start
    if start is not None and start.tzinfo is not None:
        offset = start.utcoffset()
        if isinstance(start.tzinfo, ZoneInfo):
            return start.tzinfo
        return timezone(offset if offset is not None else timedelta(0))
    return UTC


def localise(ts: pd.Timestamp, tz: tzinfo, where: str, problems: Problems,
             ) -> pd.Timestamp | None:
    """`ts` in `tz` (a naive `ts` is a wall-clock time there); None after a problem."""
    try:
        if ts.tzinfo is None:
            return ts.tz_localize(tz, ambiguous="raise", nonexistent="raise")
        return ts.tz_convert(tz)
    except (ValueError, TypeError) as exc:  # a wall-clock time that DST skips or repeats
        problems.add(where, f"{ts} does not exist once in {tz}: {exc}; add the offset")
        return None


def start_of(scenario: Scenario, tz: tzinfo, problems: Problems) -> pd.Timestamp | None:
    """The instant the simulation starts: ``start:``, else the first fixed arrival."""
    if scenario.start is not None:
        return localise(scenario.start, tz, "start", problems)
    times = scenario.arrivals.times if scenario.arrivals is not None else None
    if times:
        local = [localise(t, tz, f"arrivals.times[{i}]", problems) for i, t in enumerate(times)]
        return min((t for t in local if t is not None), default=None)
    problems.add("start", "missing: give the instant the simulation starts, e.g. "
                          "start: 2024-03-01T09:00+07:00")
    return None


class CalendarBook:
    """The scenario's named calendars, and every calendar reference resolved (once each).

    A reference that cannot be read is reported once and then reads as None (24x7), so a later
    use of the same reference is not reported again.
    """

    def __init__(self, calendars: Mapping[str, Any], tz: tzinfo, problems: Problems) -> None:
        # a calendar spec is open YAML (a preset name, a mapping) or a Calendar: hence Any
        self.tz = tz
        self.problems = problems
        self._by_text: dict[str, Calendar | None] = {}
        self.named: dict[str, Calendar | None] = {}
        self.unreadable: set[str] = set()  # names under calendars: that could not be read
        self._read_named(calendars)

    def _read_named(self, calendars: Mapping[str, Any]) -> None:
        from leanproc.calendar import Calendar

        for name, spec in calendars.items():
            try:
                self.named[name] = Calendar.parse(spec, tz=self.tz)
            except CalendarError as exc:
                for p in exc.problems:
                    self.problems.add(f"calendars.{name}", p)
                self.named[name] = None
                self.unreadable.add(name)

    def resolve(self, ref: Any, where: str) -> Calendar | None:
        """The Calendar a reference names; None for 24x7 or after a reported problem."""
        from leanproc.calendar import Calendar

        if ref is None:
            return None
        if isinstance(ref, str):
            if ref in self.named:
                return self.named[ref]
            folded = {fold(k): k for k in self.named}
            if fold(ref) in folded:
                return self.named[folded[fold(ref)]]
            if ref in self._by_text:
                return self._by_text[ref]
        cal: Calendar | None = None
        try:
            cal = Calendar.parse(ref, tz=self.tz)
        except CalendarError as exc:
            if isinstance(ref, str):
                from leanproc.calendar import PRESETS

                names = [*self.named, *PRESETS]
                self.problems.add(where, f"unknown calendar {ref!r}{closest(ref, names)}; use a "
                                         f"name from calendars: ("
                                         f"{', '.join(self.named) or 'none defined'}) or a "
                                         f"preset ({', '.join(PRESETS)}, optionally '@Zone')")
            else:
                for p in exc.problems:
                    self.problems.add(where, p)
        if isinstance(ref, str):
            self._by_text[ref] = cal
        return cal

    def readable(self) -> dict[str, Calendar | None]:
        """The named calendars that could be read."""
        return {k: v for k, v in self.named.items() if k not in self.unreadable}


def in_working_time(dist: Distribution | None, calendar: Calendar | None, where: str, what: str,
                    problems: Problems) -> Distribution | None:
    """`dist` with working days at `calendar`'s day length; a problem if it needs a calendar
    and there is none."""
    if dist is None or not dist.working:
        return dist
    if calendar is None:
        problems.add(where, f"uses working time (wd, wh) but no calendar governs {what}: set "
                            f"'calendar: ru-5x8' (or another) at the top of the scenario or use "
                            f"clock units (min, h, d)")
        return dist
    return dist.for_day_length(calendar.day_length)
