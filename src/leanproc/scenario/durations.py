"""Durations and rates in a scenario: ``90min``, ``1,5 ч``, ``2wd``, ``PT72H``, ``3/h``.

The duration language itself (units in English and Russian, decimal comma, combined terms, ISO
8601, clock and working time) is `leanproc.durations`, shared with targets, KPIs and the CLI.
This module puts scenario places on its errors (`SpecError`, `parse_duration`) and reads rates.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from leanproc.durations import LONGEST, WORKING_DAY, Duration, DurationError
from leanproc.durations import read_duration as _read_duration
from leanproc.durations import unit_seconds as _unit_seconds
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

_NUMBER = r"(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?"
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


def unit_seconds(unit: str, *, day_length: float = WORKING_DAY) -> tuple[float, bool, float]:
    """(seconds per unit, working?, working days per unit) of a unit name; SpecError if
    unknown."""
    try:
        return _unit_seconds(unit, day_length=day_length)
    except DurationError as exc:
        raise SpecError(str(exc)) from None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def read_duration(value: Any, unit: str | None = None, day_length: float = WORKING_DAY) -> Duration:
    """The duration of `value` (see `leanproc.durations.read_duration`), raising SpecError with a
    place-free message."""
    try:
        return _read_duration(value, unit, day_length)
    except DurationError as exc:
        raise SpecError(str(exc)) from None


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
