"""The small duration language of KPI arguments: ``"24h"``, ``"90min"``, ``"2d"``, ``"3wd"``.

Clock units: ``s``, ``min``, ``h``, ``d`` (24 h), ``w`` (7 d). Working units, measured on a
calendar's working time: ``wh`` (working hours) and ``wd`` (working days of
``calendar.day_length`` seconds). A :class:`datetime.timedelta` or an ISO 8601 duration
(``"PT36H"``) is clock time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd

from leanproc.errors import LogError

__all__ = ["KPIDuration", "parse_kpi_duration"]

# unit -> (seconds per unit or None for working days, working time?)
_UNITS: dict[str, tuple[float | None, bool]] = {
    "s": (1.0, False),
    "sec": (1.0, False),
    "min": (60.0, False),
    "h": (3600.0, False),
    "d": (86400.0, False),
    "w": (7 * 86400.0, False),
    "wh": (3600.0, True),
    "wd": (None, True),  # one working day = calendar.day_length seconds
}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*$")


@dataclass(frozen=True, slots=True)
class KPIDuration:
    """A parsed duration: ``amount`` of ``unit``; ``working`` when measured in working time."""

    amount: float
    unit: str

    @property
    def working(self) -> bool:
        """True for working-time units (``wh``, ``wd``), which need a calendar."""
        return _UNITS[self.unit][1]

    @property
    def label(self) -> str:
        """Canonical text, e.g. ``"24h"`` or ``"1.5wd"``: used in KPI names."""
        return f"{self.amount:g}{self.unit}"

    def seconds(self, day_length: float | None = None) -> float:
        """Length in seconds; working days need the calendar's ``day_length``."""
        per_unit = _UNITS[self.unit][0]
        if per_unit is None:
            if day_length is None:
                raise LogError(
                    f"duration {self.label!r} is in working days and needs a calendar: "
                    "pass calendar=... to kpis(), or use clock units (h, d)"
                )
            per_unit = float(day_length)
        return self.amount * per_unit


def parse_kpi_duration(value: object, what: str) -> KPIDuration:
    """Parse ``value`` (text, timedelta) into a :class:`KPIDuration`.

    ``what`` names the argument in the error message (e.g. ``"sla"``).
    """
    if isinstance(value, (timedelta, pd.Timedelta)):
        return _from_seconds(pd.Timedelta(value).total_seconds(), what, value)
    if isinstance(value, str):
        match = _PATTERN.match(value.lower())
        if match and match.group(2) in _UNITS:
            return KPIDuration(float(match.group(1)), match.group(2))
        if value.strip().upper().startswith("P"):
            try:
                return _from_seconds(pd.Timedelta(value.strip()).total_seconds(), what, value)
            except ValueError:
                pass
    raise LogError(
        f"{what}={value!r} is not a duration: write a number and a unit such as '24h', '90min', "
        "'2d', '1w', or in working time '8wh', '3wd' (needs a calendar); a timedelta or an "
        "ISO 8601 text like 'PT36H' also works"
    )


def _from_seconds(seconds: float, what: str, original: object) -> KPIDuration:
    """Express a clock duration in the largest unit that divides it evenly (for its label)."""
    if seconds < 0:
        raise LogError(f"{what}={original!r} is negative: give a positive duration")
    for unit in ("w", "d", "h", "min"):
        per_unit = _UNITS[unit][0]
        assert per_unit is not None
        if seconds >= per_unit and seconds % per_unit == 0:
            return KPIDuration(seconds / per_unit, unit)
    return KPIDuration(seconds, "s")
