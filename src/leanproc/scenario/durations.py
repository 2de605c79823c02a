"""Durations and rates as analysts write them: ``90min``, ``72h``, ``2wd``, ``PT72H``, ``3/h``.

Two kinds of time exist in a scenario. *Clock* time (``s``, ``min``, ``h``, ``d``, ``w``) runs day
and night. *Working* time (``wh`` working hours, ``wd`` working days) runs only while a working
calendar is open; the engine adds it with the calendar. A working day is converted at 8 working
hours here; a calendar with another day length converts again from the raw count that `Duration`
keeps (or the caller passes its `day_length`).

A bare number is never a duration: ``90`` could be minutes or hours, so it needs a unit (an inline
one or the sibling ``unit:`` field). Calendar months and years are refused for the same reason:
their length depends on the date.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from leanproc.errors import LeanprocError, ScenarioError

__all__ = [
    "LONGEST",
    "WORKING_DAY",
    "Duration",
    "SpecError",
    "join_place",
    "parse_duration",
    "parse_rate",
    "read_duration",
    "read_rate",
    "unit_seconds",
]

WORKING_DAY = 8 * 3600.0
"""Seconds of working time in one ``wd`` unless a calendar says otherwise."""

LONGEST = 500 * 365 * 86400.0
"""The longest duration a scenario may give, in seconds (500 years of 365 days).

Timestamps are nanoseconds in 64 bits (1677-09-21 .. 2262-04-11, about 584 years): a longer
duration can be added to no instant at all, and ``1e300h`` would otherwise surface much later
as timestamps that end before they start."""

EXAMPLE = "e.g. '90min', '1.5h', '3d', '2wd' (working days), '4wh' (working hours) or 'PT72H'"

# unit spelling -> (seconds per unit, working?, working days per unit)
_CLOCK = {
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0, "с": 1.0, "сек": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0, "мин": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "ч": 3600.0, "час": 3600.0, "часа": 3600.0, "часов": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "д": 86400.0, "дн": 86400.0, "день": 86400.0, "дня": 86400.0, "дней": 86400.0,
    "w": 604800.0, "wk": 604800.0, "week": 604800.0, "weeks": 604800.0, "нед": 604800.0,
}
_WORK_HOURS = {"wh": 1.0, "workhour": 1.0, "workhours": 1.0, "working_hour": 1.0,
               "working_hours": 1.0, "рч": 1.0}
_WORK_DAYS = {"wd": 1.0, "workday": 1.0, "workdays": 1.0, "working_day": 1.0,
              "working_days": 1.0, "рд": 1.0}

_NUMBER = r"(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?"
_TEXT = re.compile(rf"^(?P<num>{_NUMBER})\s*(?P<unit>[^\d\s.,][\w ]*)?$")
_ISO = re.compile(
    rf"^P(?:(?P<Y>{_NUMBER})Y)?(?:(?P<Mo>{_NUMBER})M)?(?:(?P<W>{_NUMBER})W)?(?:(?P<D>{_NUMBER})D)?"
    rf"(?:T(?:(?P<H>{_NUMBER})H)?(?:(?P<Mi>{_NUMBER})M)?(?:(?P<S>{_NUMBER})S)?)?$",
    re.IGNORECASE,
)
_RATE = re.compile(rf"^(?P<num>{_NUMBER})\s*(?:/|per\s+)\s*(?P<unit>\w+)$", re.IGNORECASE)


class SpecError(LeanprocError, ValueError):
    """Problems with one scenario value, each a (relative place, message) pair.

    Readers deep inside a value raise this without knowing where the value sits in the scenario;
    the caller that knows (a loader, a validator) prefixes its place with `located`. Being a
    ValueError, it is also what pydantic validators may raise; being a `LeanprocError`, it is
    what a caller of a public reader (`parse_condition`, a `Distribution` built by hand) catches
    as a leanproc input error.
    """

    def __init__(self, problems: str | list[tuple[str, str]], place: str = "") -> None:
        self.problems = [(place, problems)] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(join_place(p, m) if p else m for p, m in self.problems))

    def located(self, where: str) -> list[str]:
        """The problems as ``"<where><sub-place>: message"`` lines."""
        return [f"{join_place(where, p) or '(scenario)'}: {m}" for p, m in self.problems]


def join_place(where: str, sub: str | int) -> str:
    """``activities.Approve`` + ``duration`` -> ``activities.Approve.duration``; ints index."""
    if isinstance(sub, int):
        return f"{where}[{sub}]"
    if not sub:
        return where
    if not where or sub.startswith("["):
        return f"{where}{sub}"
    return f"{where}.{sub}"




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

    def working_seconds(self, day_length: float) -> float:
        """The seconds this duration stands for when a working day lasts `day_length` seconds."""
        return self.seconds + self.working_days * (day_length - self.day_length)

    @property
    def timedelta(self) -> timedelta:
        return timedelta(seconds=self.seconds)


def unit_seconds(unit: str, *, day_length: float = WORKING_DAY) -> tuple[float, bool, float]:
    """(seconds per unit, working?, working days per unit) of a unit name; ValueError if unknown.

    Spellings are case-insensitive except that ``M`` and ``m`` are refused: they could be minutes
    or months.
    """
    key = " ".join(unit.split()).replace(" ", "_").replace("-", "_")
    if key in ("m", "M"):
        raise SpecError(f"the unit {unit!r} is ambiguous (minutes or months?): "
                                  f"write 'min' for minutes")
    key = key.casefold()
    if key in _CLOCK:
        return _CLOCK[key], False, 0.0
    if key in _WORK_HOURS:
        return 3600.0, True, 0.0
    if key in _WORK_DAYS:
        return day_length, True, 1.0
    if key in ("mo", "month", "months", "y", "yr", "year", "years", "мес", "год"):
        raise SpecError(f"the unit {unit!r} has no fixed length: use days ('30d') or "
                                  f"working days ('21wd')")
    raise SpecError(
        f"unknown time unit {unit!r}; use s, min, h, d, w (clock time) or wh, wd (working time)"
    )


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _iso(text: str) -> Duration:
    m = _ISO.match(text)
    if not m or text.upper() in ("P", "PT") or text.upper().endswith("T"):
        raise SpecError(f"{text!r} is not an ISO 8601 duration such as 'PT72H' or "
                                  f"'P1DT2H30M'")
    if m["Y"] or m["Mo"]:
        raise SpecError(f"{text!r} uses years or months, which have no fixed length: "
                                  f"write days instead, e.g. 'P30D'")
    parts = {"W": 604800.0, "D": 86400.0, "H": 3600.0, "Mi": 60.0, "S": 1.0}
    seconds = sum(_number(m[k]) * f for k, f in parts.items() if m[k])
    return _bounded(Duration(seconds), text)


def read_duration(value: Any, unit: str | None = None, day_length: float = WORKING_DAY) -> Duration:
    """The duration of `value`, raising SpecError with a place-free message."""
    if isinstance(value, Duration):
        return value
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds < 0:
            raise SpecError(f"negative duration {value}")
        return _bounded(Duration(seconds), value)
    if isinstance(value, bool) or value is None:
        raise SpecError(f"expected a duration, got {value!r}; {EXAMPLE}")
    if isinstance(value, numbers.Real):
        value = float(value) if not isinstance(value, int) else value
        if math.isnan(value) or math.isinf(value):
            raise SpecError(f"{value!r} is not a length of time; {EXAMPLE}")
        if value < 0:
            raise SpecError(f"negative duration {value!r}; durations are >= 0")
        if value == 0 and unit is None:  # zero is zero in every unit
            return Duration(0.0)
        if unit is None or unit.strip().casefold() == "none":
            raise SpecError(
                f"the number {value!r} has no unit: write it with one ('{value}min', "
                f"'{value}h') or add a sibling 'unit: min'"
            )
        per, working, days = unit_seconds(unit, day_length=day_length)
        return _bounded(Duration(value * per, working, value * days, day_length), value)
    if not isinstance(value, str):
        raise SpecError(f"expected a duration, got {type(value).__name__} {value!r}; {EXAMPLE}")
    text = value.strip()
    if text.startswith("-"):
        raise SpecError(f"negative duration {value!r}; durations are >= 0")
    if text.startswith("+"):
        text = text[1:].lstrip()
    if text[:1] in ("P", "p") and text[1:2].upper() in ("T", *"0123456789.,"):
        return _iso(text)
    m = _TEXT.match(text)
    if not m:
        raise SpecError(f"cannot read {value!r} as a duration; {EXAMPLE}")
    amount = _number(m["num"])
    if m["unit"] is None:
        if unit is None and amount != 0:
            raise SpecError(f"the number {text!r} has no unit: write it with one ('{text}min', "
                            f"'{text}h') or add a sibling 'unit: min'")
        return read_duration(amount, unit, day_length)
    per, working, days = unit_seconds(m["unit"].strip(), day_length=day_length)
    return _bounded(Duration(amount * per, working, amount * days, day_length), value)


def _bounded(duration: Duration, written: Any) -> Duration:
    """`duration`, or a SpecError when it is longer than any timestamp range can hold."""
    if not duration.seconds <= LONGEST:  # also catches inf from 1e999h
        raise SpecError(f"{written!r} is longer than 500 years: timestamps hold only "
                        f"1677 .. 2262; check the unit (min, h, d) and the number")
    return duration


def parse_duration(
    value: Any, *, where: str, unit: str | None = None, day_length: float = WORKING_DAY
) -> Duration:
    """Read one duration; a `ScenarioError` naming `where` if it cannot be read.

    `value` is a string (``"90min"``, ``"2 h"``, ``"1.5h"``, ``"2wd"``, ``"PT72H"``), a number
    together with `unit` (the sibling ``unit:`` field), a `datetime.timedelta` or a `Duration`.
    `day_length` is the working seconds of one ``wd``.
    """
    try:
        return read_duration(value, unit, day_length)
    except SpecError as exc:
        raise ScenarioError(exc.located(where)) from None


def read_rate(
    value: Any, unit: str | None = None, *, day_length: float = WORKING_DAY
) -> tuple[float, bool]:
    """(events per second, working?) of ``"3/h"``, ``"20/d"``, ``"5/wd"`` or a number + `unit`.

    Raises SpecError without a place; `parse_rate` adds one.
    """
    if isinstance(value, bool):
        raise SpecError(f"expected a rate such as '3/h', got {value!r}")
    if isinstance(value, numbers.Real):
        if unit is None:
            raise SpecError(f"the rate {value!r} has no unit: write e.g. '{value}/h'")
        amount, per_unit = float(value), unit
    elif isinstance(value, str) and (m := _RATE.match(value.strip())):
        amount, per_unit = _number(m["num"]), m["unit"]
    else:
        raise SpecError(f"cannot read {value!r} as a rate; write e.g. '3/h' or '20/d'")
    if amount <= 0 or math.isinf(amount):
        raise SpecError(f"a rate must be a positive number per unit, got {value!r}")
    seconds, working, _ = unit_seconds(per_unit, day_length=day_length)
    return amount / seconds, working


def parse_rate(value: Any, *, where: str, unit: str | None = None) -> tuple[float, bool]:
    """Like `read_rate`, raising a `ScenarioError` that names `where`."""
    try:
        return read_rate(value, unit)
    except SpecError as exc:
        raise ScenarioError(exc.located(where)) from None
