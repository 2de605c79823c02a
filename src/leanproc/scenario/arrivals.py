"""A non-stationary arrival rate: ``arrivals.rate``, a base rate shaped by weekday, hour and
month factors.

    arrivals:
      rate:
        base: 6/hour                                   # per hour, day or week
        weekday: {mon: 1.3, fri: 0.8, sat: 0, sun: 0}  # unlisted days: 1 (or other: ...)
        hour: {"09-13": 1.5, "13-14": 0.3, "14-18": 1.0, other: 0}
        month: {jan: 2.0, oct: 0.2}                    # the same every year
        periods: {2011-01: 1.9, 2011-02: 0.9, 2011-08: 0.2}  # a level from each date on
      cases: 500
      horizon: 90d

At an instant the rate is ``base x weekday x hour x month x period factor``, each read on the
scenario's local clock (its timezone). A day, hour range or month not listed gets the table's
``other:`` factor, 1 when there is none. A ``periods`` factor holds from its date (``YYYY-MM`` or
``YYYY-MM-DD``) to the next listed date; the first holds before it and the last after it (so a
run past the dates goes on at the last level). ``"09-13"`` covers the hours 9, 10, 11 and 12
(the end is excluded); a single hour is ``"09"`` or ``9``. With ``arrivals.calendar`` (or the
scenario's default calendar) cases arrive only while it is open, at this rate.

Cases arrive as a Poisson process with that rate (non-homogeneous: the expected count over a
window is the rate integrated over it). The simulation draws them by inverting the integrated
rate (simulation/arrival_clock.py), so a seed gives the same instants every time.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, PlainSerializer

from leanproc._names import did_you_mean
from leanproc.scenario.durations import SpecError

__all__ = ["HOURS", "MONTHS", "WEEKDAYS", "RateField", "RateProfile", "read_base", "read_rate"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
HOURS = 24

_WEEKDAY_NAMES: dict[str, int] = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday"))},
    **{d: i for i, d in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
}
_MONTH_NAMES: dict[str, int] = {
    **{m: i for i, m in enumerate(MONTHS)},
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june",
                                   "july", "august", "september", "october", "november",
                                   "december"))},
    **{m: i for i, m in enumerate(("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг",
                                   "сен", "окт", "ноя", "дек"))},
}
# seconds in the unit after the slash of ``base: 6/hour``
_PER: dict[str, float] = {
    "h": 3600.0, "hour": 3600.0, "ч": 3600.0, "час": 3600.0,
    "d": 86400.0, "day": 86400.0, "д": 86400.0, "день": 86400.0, "сут": 86400.0,
    "w": 604800.0, "week": 604800.0, "нед": 604800.0, "неделя": 604800.0,
}
_RATE = re.compile(r"^\s*(?P<n>[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*/\s*(?P<per>\w+)\s*$")
_HOUR_RANGE = re.compile(r"^\s*(?P<a>\d{1,2})(?:\s*-\s*(?P<b>\d{1,2}))?\s*$")
_KEYS = ("base", "weekday", "hour", "month", "periods")
_PERIOD = re.compile(r"^\s*\d{4}-\d{2}(?:-\d{2})?\s*$")


@dataclass(frozen=True, eq=False)
class RateProfile:
    """A parsed ``arrivals.rate``: `base` in cases per second and the factor tables (7 weekdays
    from Monday, 24 hours, 12 months from January); `source` is the mapping as written."""

    base: float
    weekday: tuple[float, ...]
    hour: tuple[float, ...]
    month: tuple[float, ...]
    source: Any
    # (local midnight of the first day, factor), sorted by date; empty: no periods
    periods: tuple[tuple[pd.Timestamp, float], ...] = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RateProfile) and (
            (self.base, self.weekday, self.hour, self.month, self.periods)
            == (other.base, other.weekday, other.hour, other.month, other.periods))

    __hash__ = None  # type: ignore[assignment]

    def rate_at(self, local: pd.DatetimeIndex) -> np.ndarray:
        """Cases per second at each instant of `local` (read on its own clock)."""
        rate: np.ndarray = (self.base * np.asarray(self.weekday)[local.day_of_week]
                            * np.asarray(self.hour)[local.hour]
                            * np.asarray(self.month)[local.month - 1])
        if self.periods:
            naive = local.tz_localize(None) if local.tz is not None else local
            starts = pd.DatetimeIndex([d for d, _ in self.periods])
            i = np.maximum(starts.searchsorted(naive, side="right") - 1, 0)
            rate = rate * np.asarray([f for _, f in self.periods])[i]
        return rate

    @property
    def peak(self) -> float:
        """The highest rate in cases per second (an upper bound: the peaks of the three tables
        need not meet)."""
        top = max((f for _, f in self.periods), default=1.0)
        return self.base * max(self.weekday) * max(self.hour) * max(self.month) * top


def _factor(value: Any, place: str, problems: list[tuple[str, str]]) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or float(value) < 0:
        problems.append((place, f"a factor is a number >= 0 (1 = the base rate, 0 = no "
                                f"arrivals), got {value!r}"))
        return 1.0
    return float(value)


def _hour_span(key: Any) -> range | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return range(key, key + 1) if 0 <= key < HOURS else None
    m = _HOUR_RANGE.match(str(key))
    if m is None:
        return None
    a = int(m["a"])
    b = int(m["b"]) if m["b"] is not None else a + 1
    return range(a, b) if 0 <= a < b <= HOURS else None


def _table(value: Any, where: str, size: int, slots: Any,
           problems: list[tuple[str, str]]) -> tuple[float, ...]:
    """A factor table: `slots(key)` names the slots a key covers (None: not a key here)."""
    if not isinstance(value, Mapping) or not value:
        problems.append((where, "expected a mapping of factors, e.g. "
                                + {"weekday": "{mon: 1.2, sat: 0, sun: 0}",
                                   "hour": '{"09-13": 1.5, "14-18": 1.0, other: 0}',
                                   "month": "{jan: 2.0, oct: 0.2}"}[where]))
        return (1.0,) * size
    other = 1.0
    if "other" in value:
        other = _factor(value["other"], f"{where}.other", problems)
    out: list[float | None] = [None] * size
    for key, raw in value.items():
        if key == "other":
            continue
        covered = slots(key)
        if covered is None:
            hint = {"weekday": "mon .. sun", "hour": '"09" or a range "09-13" (end excluded, '
                                                     'up to 24)',
                    "month": "jan .. dec"}[where]
            problems.append((f"{where}.{key}", f"unknown {where}: use {hint}, or other"))
            continue
        f = _factor(raw, f"{where}.{key}", problems)
        for i in covered:
            if out[i] is not None:
                problems.append((f"{where}.{key}", f"overlaps another entry (slot {i} given "
                                                   f"twice): give each {where} once"))
                break
            out[i] = f
    table = tuple(other if f is None else f for f in out)
    if not any(table):
        problems.append((where, "every factor is 0: no case would ever arrive; raise some "
                                "factors above 0"))
    return table


def _named(names: dict[str, int]) -> Any:
    def slots(key: Any) -> range | None:
        i = names.get(str(key).strip().casefold())
        return None if i is None else range(i, i + 1)
    return slots


def read_base(value: Any) -> float:
    """``6/hour`` -> cases per second (SpecError for anything else)."""
    m = _RATE.match(str(value)) if isinstance(value, str) else None
    per = _PER.get(m["per"].casefold()) if m is not None else None
    if m is None or per is None:
        raise SpecError(f"expected a rate such as 6/hour, 40/day or 200/week, got {value!r}",
                        "base")
    n = float(m["n"])
    if n <= 0:
        raise SpecError(f"the base rate must be above 0, got {value!r}: arrivals that never "
                        f"happen need no rate", "base")
    return n / per


def read_rate(value: Any) -> RateProfile:
    """Parse ``arrivals.rate`` (a mapping, see the module docstring); every problem is reported
    at once in one SpecError, each with its place."""
    if isinstance(value, RateProfile):
        return value
    if not isinstance(value, Mapping):
        raise SpecError("expected a mapping: {base: 6/hour, weekday: {...}, hour: {...}, "
                        "month: {...}}")
    problems: list[tuple[str, str]] = []
    for key in value:
        if key not in _KEYS:
            hint = did_you_mean(str(key), list(_KEYS), n=1, owner="arrivals.rate")
            problems.append((str(key), f"unknown key{hint}; allowed here: {', '.join(_KEYS)}"))
    base = 1.0
    if "base" not in value:
        problems.append(("base", "missing: give the rate at factor 1, e.g. base: 6/hour"))
    else:
        try:
            base = read_base(value["base"])
        except SpecError as exc:
            problems += exc.problems
    tables = {
        "weekday": (7, _named(_WEEKDAY_NAMES)),
        "hour": (HOURS, _hour_span),
        "month": (12, _named(_MONTH_NAMES)),
    }
    parsed = {where: (_table(value[where], where, size, slots, problems) if where in value
                      else (1.0,) * size)
              for where, (size, slots) in tables.items()}
    periods = _periods(value["periods"], problems) if "periods" in value else ()
    if problems:
        raise SpecError(problems)
    return RateProfile(base=base, weekday=parsed["weekday"], hour=parsed["hour"],
                       month=parsed["month"], source=value, periods=periods)


def _periods(value: Any, problems: list[tuple[str, str]]
             ) -> tuple[tuple[pd.Timestamp, float], ...]:
    if not isinstance(value, Mapping) or not value:
        problems.append(("periods", "expected a mapping of date: factor, e.g. "
                                    "{2024-01: 1.5, 2024-06: 0.8}"))
        return ()
    out: dict[pd.Timestamp, float] = {}
    for key, raw in value.items():
        place = f"periods.{key}"
        text = key.isoformat() if isinstance(key, date) else str(key)
        if not _PERIOD.match(text):
            problems.append((place, "a period starts on a date: write 2024-03 (its first day) "
                                    "or 2024-03-15"))
            continue
        try:
            day = pd.Timestamp(text.strip())
        except ValueError:
            problems.append((place, f"{text!r} is not a date"))
            continue
        if day in out:
            problems.append((place, "the same date twice: give each period once"))
        out[day] = _factor(raw, place, problems)
    if out and not any(out.values()):
        problems.append(("periods", "every factor is 0: no case would ever arrive; raise some "
                                    "factors above 0"))
    return tuple(sorted(out.items()))


def _source_of(value: Any) -> Any:
    return getattr(value, "source", value)


RateField = Annotated[Any, BeforeValidator(read_rate), PlainSerializer(_source_of)]
