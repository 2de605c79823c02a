"""The one duration language of leanproc: ``90min``, ``1,5 ч``, ``2 рабочих дня``, ``PT72H``.

Scenarios, targets (``lead_time.mean <= 2ч``), KPI deadlines (``sla_share(1wd)``) and the CLI's
``--until`` all read durations here, so a form that works in one place works in every other.

A duration is a number and a unit, or several such terms added up (``1ч 30мин``), or ISO 8601
(``PT1H30M``). Numbers take a decimal point or a decimal comma; a space between number and unit
is optional. Two kinds of time exist. *Clock* time (seconds, minutes, hours, days, weeks) runs
day and night. *Working* time (``wh`` / ``рч`` working hours, ``wd`` / ``рд`` working days) runs
only while a working calendar is open; a working day counts 8 working hours until a calendar
with another day length converts again from the raw count `Duration` keeps. One duration is of
one kind: ``1d 4wh`` is refused.

A bare number is never a duration: ``90`` could be minutes or hours, so it needs a unit (inline,
or the caller's `unit`). Months and years are refused for the same reason: their length depends
on the date.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from leanproc._names import did_you_mean
from leanproc.errors import LeanprocError

__all__ = [
    "ACCEPTED_FORMS",
    "WORKING_DAY",
    "Duration",
    "DurationError",
    "format_duration",
    "read_duration",
    "unit_seconds",
]

WORKING_DAY = 8 * 3600.0

LONGEST = 500 * 365 * 86400.0
"""The longest duration accepted, in seconds (500 years of 365 days). Timestamps are nanoseconds
in 64 bits (1677-09-21 .. 2262-04-11, about 584 years): a longer duration can be added to no
instant at all, and ``1e300h`` would otherwise surface much later as timestamps that end before
they start."""
"""Seconds of working time in one ``wd`` unless a calendar says otherwise."""

ACCEPTED_FORMS = (
    "write a number and a unit: seconds s, sec, с, сек; minutes min, мин; hours h, ч, час; "
    "days d, д, дн, день; weeks w, нед; working hours wh, рч; working days wd, рд, "
    "рабочих дней; e.g. '90min', '1,5 ч', '2 рабочих дня', '1ч 30мин', or ISO 8601 'PT72H'"
)

_MINUTE, _HOUR, _DAY = 60.0, 3600.0, 86400.0
# every spelling, lower case, of a clock unit -> seconds
_CLOCK: dict[str, float] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds", "с", "сек", "секунда",
                     "секунды", "секунд", "секунду"), 1.0),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "мин", "минута", "минуты", "минут",
                     "минуту"), _MINUTE),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "ч", "час", "часа", "часов"), _HOUR),
    **dict.fromkeys(("d", "day", "days", "д", "дн", "день", "дня", "дней", "сут", "сутки",
                     "суток"), _DAY),
    **dict.fromkeys(("w", "wk", "week", "weeks", "нед", "неделя", "недели", "недель",
                     "неделю"), 7 * _DAY),
}
_WORKING = ("working", "work", "business", "рабочий", "рабочих", "рабочего", "рабочие")
_WORK_HOURS = {"wh", "workhour", "workhours", "рч",
               *(f"{w} {h}" for w in _WORKING for h in ("hour", "hours", "час", "часа",
                                                        "часов"))}
_WORK_DAYS = {"wd", "workday", "workdays", "рд",
              *(f"{w} {d}" for w in _WORKING for d in ("day", "days", "день", "дня", "дней",
                                                       "дн"))}
_SYMBOLS = {"s": 1.0, "min": _MINUTE, "h": _HOUR, "d": _DAY, "w": 7 * _DAY, "wh": _HOUR}
_NO_FIXED_LENGTH = {"mo", "month", "months", "y", "yr", "year", "years", "мес", "месяц",
                    "месяца", "месяцев", "год", "года", "лет"}
_KNOWN_UNITS = (*_CLOCK, *_WORK_HOURS, *_WORK_DAYS)

_NUMBER = r"(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?"
_NUMBER_AT = re.compile(_NUMBER)
_ISO = re.compile(
    rf"^P(?:(?P<Y>{_NUMBER})Y)?(?:(?P<Mo>{_NUMBER})M)?(?:(?P<W>{_NUMBER})W)?(?:(?P<D>{_NUMBER})D)?"
    rf"(?:T(?:(?P<H>{_NUMBER})H)?(?:(?P<Mi>{_NUMBER})M)?(?:(?P<S>{_NUMBER})S)?)?$",
    re.IGNORECASE,
)


class DurationError(LeanprocError, ValueError):
    """A value that is not a duration; the message says why and lists the accepted forms.

    It carries no place: the caller that knows where the value sits adds it (a scenario key, a
    target, a command-line option).
    """


@dataclass(frozen=True, slots=True)
class Duration:
    """A non-negative length of time.

    `seconds` is clock seconds, or working seconds when `working` is true (``wd`` converted at
    `day_length`, 8 h unless told). `working_days` keeps the raw count of ``wd`` (0 when none) so
    that a calendar with a different day length can convert again: see `working_seconds`.
    """

    seconds: float
    working: bool = False
    working_days: float = 0.0
    day_length: float = WORKING_DAY
    unit: str = field(default="", compare=False)
    """The short symbol (``h``, ``wd``...) of the one unit it was written in, else empty."""

    def working_seconds(self, day_length: float) -> float:
        """The seconds this duration stands for when a working day lasts `day_length` seconds."""
        return self.seconds + self.working_days * (day_length - self.day_length)

    @property
    def timedelta(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    @property
    def label(self) -> str:
        """Short text for a KPI name: ``"24h"`` as written (``"24 ч"`` too), ``"1.5wd"``;
        without a written unit, the largest unit that divides it evenly (``"1w"``, ``"90min"``).
        """
        if self.unit == "wd":
            return f"{self.working_days:g}wd"
        if self.unit:
            return f"{self.seconds / _SYMBOLS[self.unit]:g}{self.unit}"
        if self.working:
            whole_days = self.working_days and self.working_days * self.day_length == self.seconds
            return f"{self.working_days:g}wd" if whole_days else f"{self.seconds / _HOUR:g}wh"
        for symbol in ("w", "d", "h", "min"):
            if self.seconds >= _SYMBOLS[symbol] and self.seconds % _SYMBOLS[symbol] == 0:
                return f"{self.seconds / _SYMBOLS[symbol]:g}{symbol}"
        return f"{self.seconds:g}s"


def _unit_key(unit: str) -> str:
    """``Рабочих  дня.`` -> ``рабочих дня``: spaces, ``_`` and ``-`` alike, a final dot dropped."""
    key = " ".join(unit.replace("_", " ").replace("-", " ").split()).casefold()
    return key.removesuffix(".").replace("ё", "е")


def unit_seconds(unit: str, *, day_length: float = WORKING_DAY) -> tuple[float, bool, float]:
    """(seconds per unit, working?, working days per unit) of a unit name; DurationError if
    unknown.

    Spellings are case-insensitive except that ``M`` and ``m`` are refused: they could be minutes
    or months.
    """
    if unit.strip() in ("m", "M"):
        raise DurationError(f"the unit {unit!r} is ambiguous (minutes or months?): write 'min' "
                            f"for minutes")
    key = _unit_key(unit)
    if key in _CLOCK:
        return _CLOCK[key], False, 0.0
    if key in _WORK_HOURS:
        return _HOUR, True, 0.0
    if key in _WORK_DAYS:
        return day_length, True, 1.0
    if key in _NO_FIXED_LENGTH:
        raise DurationError(f"the unit {unit!r} has no fixed length: use days ('30d') or "
                            f"working days ('21wd')")
    hint = did_you_mean(key, _KNOWN_UNITS, n=1, owner="the unit")
    raise DurationError(f"unknown time unit {unit!r}{hint}; {ACCEPTED_FORMS}")


def _number(text: str) -> float:
    value = float(text.replace(",", "."))
    if math.isinf(value):
        raise DurationError(f"{text!r} is longer than 500 years: timestamps hold only "
                            f"1677 .. 2262; check the unit (min, h, d) and the number")
    return value


def _iso(text: str) -> Duration:
    m = _ISO.match(text)
    if not m or text.upper() in ("P", "PT") or text.upper().endswith("T"):
        raise DurationError(f"{text!r} is not an ISO 8601 duration such as 'PT72H' or "
                            f"'P1DT2H30M'")
    if m["Y"] or m["Mo"]:
        raise DurationError(f"{text!r} uses years or months, which have no fixed length: write "
                            f"days instead, e.g. 'P30D'")
    parts = {"W": 7 * _DAY, "D": _DAY, "H": _HOUR, "Mi": _MINUTE, "S": 1.0}
    return Duration(sum(_number(m[k]) * f for k, f in parts.items() if m[k]))


def _terms(text: str) -> list[tuple[str, str]]:
    """``1ч 30 мин`` -> [("1", "ч"), ("30", "мин")]: each number with the words after it."""
    found = list(_NUMBER_AT.finditer(text))
    if not found or text[: found[0].start()].strip():
        raise DurationError(f"cannot read {text!r} as a duration; {ACCEPTED_FORMS}")
    ends = [m.start() for m in found[1:]] + [len(text)]
    return [(m.group(), text[m.end():end].strip()) for m, end in zip(found, ends, strict=True)]


def _from_number(value: float, unit: str | None, day_length: float) -> Duration:
    if math.isnan(value) or math.isinf(value):
        raise DurationError(f"{value!r} is not a length of time; {ACCEPTED_FORMS}")
    if value < 0:
        raise DurationError(f"negative duration {value!r}; durations are >= 0")
    if value == 0 and unit is None:  # zero is zero in every unit
        return Duration(0.0)
    if unit is None or unit.strip().casefold() == "none":
        raise DurationError(f"the number {value!r} has no unit: write it with one "
                            f"('{value}min', '{value}h') or add a sibling 'unit: min'")
    per, working, days = unit_seconds(unit, day_length=day_length)
    return Duration(value * per, working, value * days, day_length, _symbol(unit))


def _symbol(unit: str) -> str:
    """The short symbol of a known unit spelling: ``часов`` -> ``h``."""
    key = _unit_key(unit)
    if key in _WORK_DAYS:
        return "wd"
    if key in _WORK_HOURS:
        return "wh"
    per = _CLOCK[key]
    return next(symbol for symbol, p in _SYMBOLS.items() if p == per and symbol != "wh")


def _from_text(value: str, unit: str | None, day_length: float) -> Duration:
    text = value.strip()
    if text.startswith(("-", "−")):
        raise DurationError(f"negative duration {value!r}; durations are >= 0")
    text = text.removeprefix("+").lstrip()
    if text[:1] in ("P", "p") and text[1:2].upper() in ("T", *"0123456789.,"):
        return _iso(text)
    terms = _terms(text)
    if len(terms) == 1 and not terms[0][1]:  # a bare number: the caller's unit applies
        return _from_number(_number(terms[0][0]), unit, day_length)
    seconds = working_days = 0.0
    kinds: dict[bool, str] = {}
    for number, word in terms:
        if not word:
            raise DurationError(f"{value!r}: the number {number} has no unit; every part of a "
                                f"combined duration needs one, e.g. '1ч 30мин'")
        per, working, days = unit_seconds(word, day_length=day_length)
        amount = _number(number)
        seconds += amount * per
        working_days += amount * days
        kinds.setdefault(working, word)
    if len(kinds) > 1:
        raise DurationError(f"{value!r} mixes clock time ({kinds[False]!r}) and working time "
                            f"({kinds[True]!r}): write every part in one kind")
    symbol = _symbol(terms[0][1]) if len(terms) == 1 else ""
    return Duration(seconds, True in kinds, working_days, day_length, symbol)


def read_duration(value: Any, unit: str | None = None, day_length: float = WORKING_DAY) -> Duration:
    """The duration of `value`; a `DurationError` with a place-free message if it is none.

    Durations longer than `LONGEST` (500 years) are refused: no timestamp range holds them.

    `value` is text (``"90min"``, ``"1,5 ч"``, ``"1h 30min"``, ``"2 рабочих дня"``,
    ``"PT72H"``), a number together with `unit`, a `datetime.timedelta` (or pandas Timedelta)
    or a `Duration`. `day_length` is the working seconds of one ``wd``.
    """
    duration = _read(value, unit, day_length)
    if not duration.seconds <= LONGEST:  # also catches inf from 1e999h
        raise DurationError(f"{value!r} is longer than 500 years: timestamps hold only "
                            f"1677 .. 2262; check the unit (min, h, d) and the number")
    return duration


def _read(value: Any, unit: str | None, day_length: float) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds < 0:
            raise DurationError(f"negative duration {value}")
        return Duration(seconds)
    if isinstance(value, bool) or value is None:
        raise DurationError(f"expected a duration, got {value!r}; {ACCEPTED_FORMS}")
    if isinstance(value, numbers.Real):
        return _from_number(value if isinstance(value, int) else float(value), unit, day_length)
    if not isinstance(value, str):
        raise DurationError(f"expected a duration, got {type(value).__name__} {value!r}; "
                            f"{ACCEPTED_FORMS}")
    return _from_text(value, unit, day_length)


# ---- writing ---------------------------------------------------------------------------------

_CLOCK_UNITS = (("d", _DAY), ("h", _HOUR), ("min", _MINUTE), ("s", 1.0))


def _shortest(seconds: float, units: tuple[tuple[str, float], ...]) -> str:
    """`seconds` in the largest unit that gives a whole number (``90min`` rather than
    ``1.5h``), else a short decimal that reads back exactly, else the last unit's nearest float.
    """
    exact: list[str] = []
    for name, per in units:
        amount = seconds / per
        if amount * per == seconds and (amount >= 1 or name == units[-1][0]):
            if amount == int(amount) and amount < 1e15:
                return f"{int(amount)}{name}"
            text = repr(amount)
            if "e" not in text:
                exact.append(f"{text}{name}")
    short = [t for t in exact if len(t.rstrip("abcdefghijklmnopqrstuvwxyz").replace(".", "")) <= 6]
    if short or exact:
        return (short or exact)[0]
    # working time has no unit below the working hour: the nearest float of hours
    name, per = units[-1]
    return f"{seconds / per!r}{name}"


def format_duration(duration: Duration) -> str:
    """Text that `read_duration` reads back to an equal `Duration`: ``90min``, ``2h``, ``3wd``.

    Clock time is written in days, hours, minutes or seconds, whichever gives a short exact
    number (``5400`` s -> ``90min``); working time in working days when it is a whole count of
    them, else in working hours.
    """
    s = duration.seconds
    if s == 0:
        return "0wh" if duration.working else "0s"
    if not duration.working:
        return _shortest(s, _CLOCK_UNITS)
    if duration.working_days:
        days = duration.working_days
        if days * duration.day_length == s:
            return f"{repr(days).removesuffix('.0')}wd"
        hours = (s - days * duration.day_length) / _HOUR
        if hours > 0 and days * duration.day_length + hours * _HOUR == s:
            return f"{repr(days).removesuffix('.0')}wd {repr(hours).removesuffix('.0')}wh"
    return _shortest(s, (("wh", _HOUR),))
