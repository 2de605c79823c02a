"""A country's production calendar (производственный календарь) read from the `holidays` package.

It answers, per date: is this a day off (public holiday, a day off transferred by decree, a
holiday observed on a later day), is it a weekend day made a working day by a transfer, and is it
a pre-holiday day whose working time is shortened by one hour (art. 95 of the RU Labour Code).

The pre-holiday rule
--------------------
Art. 95: the working day "immediately preceding a non-working public holiday" (art. 112) is one
hour shorter. Read literally (only the calendar day before a holiday) it misses the working
Saturdays that the official calendars shorten (2016-02-20, 2018-04-28, 2018-06-09, 2018-12-29,
2021-02-20, 2022-03-05, 2024-11-02, 2025-11-01) and it must not cover Fridays before a weekend
that ends in a holiday (2023-04-28, 2023-12-29 were full days). Read loosely (the last working
day before any run of days off that contains a holiday) it shortens those Fridays and also the
working Saturdays 2024-04-27 and 2024-12-28, which were full days.

The rule that reproduces the official calendars is the one the transfer decrees imply: a transfer
*swaps* a weekend day with a weekday, so the working weekend day takes over the working regime of
the weekday whose day off it received. Hence a working day D is shortened when

  (a) the next calendar day is a public holiday proper (art. 112 — not a day off that was merely
      transferred by decree, nor a holiday observed on the next working day), or
  (b) D is a weekend day made working by a transfer, and the weekday P that became a day off in
      exchange is itself followed by a public holiday proper (D stands in for the pre-holiday P).

2024-11-02 is swapped with 2024-04-30, which precedes the 1 May holiday: shortened. 2025-11-01 is
swapped with 2025-11-03, which precedes 4 November: shortened. 2024-04-27 is swapped with
2024-04-29, followed by a transferred day off (30 April), and 2024-12-28 with 2024-12-30,
followed by a transferred day off (31 December): both full days. With the `holidays` data this
gives the official totals for a 40-hour week for every year 2015-2027 checked, among them
2023: 1973 h (247 days), 2024: 1979 h (248 days), 2025: 1972 h (247 days) — see the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import holidays

from leanproc.errors import CalendarError

_ONE_DAY = timedelta(days=1)


def _entries(data: object) -> Iterable[tuple[Any, ...]]:
    """The `holidays` special-holiday tables hold either one tuple or a tuple of tuples."""
    if isinstance(data, tuple) and data and isinstance(data[0], tuple):
        return data
    return (data,) if isinstance(data, tuple) and data else ()


@dataclass
class ProductionCalendar:
    """Days off, transferred working days and pre-holiday days of one country, loaded by year."""

    country: str
    days_off: set[date] = field(default_factory=set)
    public_holidays: set[date] = field(default_factory=set)
    weekend_workdays: set[date] = field(default_factory=set)
    # working weekend day -> the weekday that became a day off in exchange (see the module doc)
    partner: dict[date, date] = field(default_factory=dict)
    weekend: frozenset[int] = frozenset({5, 6})
    _years: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        code = self.country.strip().upper()
        if code not in holidays.list_supported_countries():
            raise CalendarError(
                f"calendar country {self.country!r} is not known to the `holidays` package; "
                "use an ISO 3166-1 alpha-2 code such as 'RU', or drop the country key"
            )
        self.country = code

    def load(self, years: Iterable[int]) -> None:
        """Read the given years (and their neighbours, for cross-year transfers) once each."""
        wanted: set[int] = set()
        for y in years:
            wanted.update((y - 1, y, y + 1))
        for year in sorted(wanted - self._years):
            self._load_year(year)

    def _load_year(self, year: int) -> None:
        self._years.add(year)
        if year < 1 or year > 9998:
            return
        full = holidays.country_holidays(self.country, years=year)
        proper = holidays.country_holidays(self.country, years=year, observed=False)
        self.weekend = frozenset(full.weekend)
        transferred: set[date] = set()
        for entry in _entries(full.special_public_holidays.get(year, ())):
            if len(entry) < 4:  # a one-off special holiday, not a transfer
                continue
            to_month, to_day, from_month, from_day, *from_year = entry
            day_off = date(year, to_month, to_day)
            source = date(from_year[0] if from_year else year, from_month, from_day)
            transferred.add(day_off)
            if source.weekday() in self.weekend:
                self.partner[source] = day_off
        self.days_off.update(full.keys())
        self.public_holidays.update(d for d in proper if d not in transferred)
        self.weekend_workdays.update(full.weekend_workdays)

    def is_day_off(self, d: date) -> bool:
        """A public holiday or a day off by transfer or observance (weekends not included)."""
        return d in self.days_off

    def is_weekend_workday(self, d: date) -> bool:
        """A weekend day made a working day by a transfer decree."""
        return d in self.weekend_workdays

    def is_working_day(self, d: date) -> bool:
        """A working day of the standard five-day week of this production calendar."""
        if d in self.days_off:
            return False
        return d.weekday() not in self.weekend or d in self.weekend_workdays

    def is_pre_holiday(self, d: date) -> bool:
        """A day whose working time, if any, is one hour shorter (rule in the module docstring).

        Asked for any date: a weekly schedule that works Saturdays gets the Saturday before a
        Sunday holiday shortened too, as art. 95 applies to whoever works that day.
        """
        if d in self.days_off:
            return False
        if d + _ONE_DAY in self.public_holidays:
            return True
        partner = self.partner.get(d) if d in self.weekend_workdays else None
        return partner is not None and partner + _ONE_DAY in self.public_holidays
