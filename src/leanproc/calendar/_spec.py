"""Reading a calendar from what a user writes in a scenario: a preset name or a mapping.

Presets::

    24x7                     every hour of every day
    5x8                      Mon-Fri 09:00-18:00 with lunch 13:00-14:00, no holidays
    ru-5x8                   5x8 with the Russian production calendar: public holidays,
                             transferred days off, working Saturdays, pre-holiday days to 17:00
    ru-5x8@Asia/Tomsk        any preset with "@zone"

Mapping form (YAML)::

    calendar:
      preset: ru-5x8
      timezone: Asia/Tomsk
      hours: {mon-fri: ["09:00-13:00", "14:00-18:00"], sat: ["10:00-14:00"]}
      country: RU
      exceptions: {2024-03-05: [], 2024-03-09: ["10:00-14:00"]}

``hours`` replaces the preset's hours for the days it names (without a preset, unnamed days are
days off). Day keys: ``mon`` .. ``sun`` (or full names, or ``пн`` .. ``вс``), ranges ``mon-fri``,
lists ``sat,sun``, ``daily``, ``weekdays``, ``weekend``, or numbers 0 (Monday) .. 6.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc.calendar import _hours as H
from leanproc.errors import CalendarError

if TYPE_CHECKING:
    from leanproc.calendar._core import Calendar

_OFFICE = ((9 * 3600, 13 * 3600), (14 * 3600, 18 * 3600))
_WHOLE_DAY = ((0, H.DAY),)

# name -> (weekly hours by weekday, country, shorten_pre_holiday)
PRESETS: dict[str, tuple[dict[int, H.Hours], str | None, bool]] = {
    "24x7": ({d: _WHOLE_DAY for d in range(7)}, None, False),
    "5x8": ({d: _OFFICE for d in range(5)}, None, False),
    "ru-5x8": ({d: _OFFICE for d in range(5)}, "RU", True),
}

_KEYS = (
    "preset",
    "timezone",
    "tz",
    "hours",
    "country",
    "exceptions",
    "shorten_pre_holiday",
    "name",
)

_DAY_NAMES = {
    **{n: i for i, n in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        n: i
        for i, n in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{n: i for i, n in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
}
_DAY_GROUPS = {"daily": range(7), "all": range(7), "weekdays": range(5), "weekend": (5, 6)}
_OFF_WORDS = {"off", "closed", "none", "выходной", ""}


def _days(key: Any) -> list[int]:
    """Weekday numbers named by an ``hours`` key such as ``mon-fri`` or ``sat,sun``."""
    if isinstance(key, int) and not isinstance(key, bool):
        if 0 <= key <= 6:
            return [key]
        raise ValueError(f"day {key} is not 0 (Monday) .. 6 (Sunday)")
    if not isinstance(key, str):
        raise ValueError(f"day key {key!r} is not a day name")
    out: list[int] = []
    for part in key.lower().replace(" ", "").split(","):
        if part in _DAY_GROUPS:
            out.extend(_DAY_GROUPS[part])
        elif "-" in part:
            first, _, last = part.partition("-")
            if first not in _DAY_NAMES or last not in _DAY_NAMES:
                raise ValueError(f"day range {part!r}: write it as e.g. 'mon-fri'")
            a, b = _DAY_NAMES[first], _DAY_NAMES[last]
            out.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
        elif part in _DAY_NAMES:
            out.append(_DAY_NAMES[part])
        else:
            raise ValueError(f"{part!r} is not a day: use mon..sun, a range 'mon-fri' or 'daily'")
    return out


def _spans(value: Any) -> H.Hours:
    """A day's hours from YAML: a list of 'HH:MM-HH:MM' (or pairs), one string, or off."""
    if value is None or value is False:
        return ()
    if isinstance(value, str):
        if value.strip().lower() in _OFF_WORDS:
            return ()
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ValueError(f"{value!r}: give a list of spans like ['09:00-13:00', '14:00-18:00']")
    out = []
    for span in value:
        if isinstance(span, str):
            out.append(H.parse_span(span))
        elif isinstance(span, list | tuple) and len(span) == 2:
            out.append(H.span_seconds(*span))
        else:
            raise ValueError(f"{span!r} is not a span: write it as 'HH:MM-HH:MM'")
    return H.merge_spans(out)


def _as_date(key: Any) -> date:
    if isinstance(key, datetime):
        return key.date()
    if isinstance(key, date):
        return key
    if isinstance(key, str):
        try:
            return pd.Timestamp(key).date()
        except ValueError as exc:
            raise ValueError(f"{key!r} is not a date ({exc}): write it as YYYY-MM-DD") from exc
    raise ValueError(f"{key!r} is not a date: write it as YYYY-MM-DD")


def _preset(text: str) -> tuple[str, str | None]:
    name, _, zone = text.strip().partition("@")
    return name.strip().lower(), (zone.strip() or None)


def period_dates(period: int | tuple[Any, Any]) -> tuple[date, date]:
    """The first and last date (both included) of a year (``2024``) or a pair of dates."""
    if isinstance(period, int) and not isinstance(period, bool):
        return date(period, 1, 1), date(period, 12, 31)
    try:
        if isinstance(period, bool):  # a flag is neither a year nor a pair of dates
            raise TypeError(period)
        first, last = (pd.Timestamp(p).date() for p in period)
    except (TypeError, ValueError) as exc:
        raise CalendarError(
            f"period {period!r}: give a year (2024) or a pair of dates (first, last)"
        ) from exc
    if last < first:
        raise CalendarError(f"period {period!r} ends before it starts: swap the dates")
    return first, last


def parse_spec(cls: type[Calendar], spec: Any, tz: str | tzinfo | None) -> Calendar | None:
    """See `Calendar.parse`."""
    if spec is None:
        return None
    if isinstance(spec, cls):
        return spec
    problems: list[str] = []
    if isinstance(spec, str):
        preset, preset_zone = _preset(spec)
        if preset not in PRESETS:
            raise CalendarError(
                f"unknown calendar preset {spec!r}: use one of {', '.join(PRESETS)} "
                "(optionally with '@Zone', e.g. 'ru-5x8@Asia/Tomsk'), or a mapping with 'hours'",
                source="calendar",
            )
        preset_weekly, preset_country, preset_shorten = PRESETS[preset]
        zone_value = preset_zone or tz or "UTC"
        label = f"{preset}@{zone_value if isinstance(zone_value, str) else H.zone_name(zone_value)}"
        return cls(
            dict(preset_weekly),
            tz=zone_value,
            country=preset_country,
            shorten_pre_holiday=preset_shorten,
            name=label,
        )
    if not isinstance(spec, Mapping):
        raise CalendarError(
            f"a calendar is a preset name, a mapping or a Calendar, not {type(spec).__name__}",
            source="calendar",
        )

    unknown = [k for k in spec if k not in _KEYS]
    for key in unknown:
        problems.append(f"unknown key {key!r}: allowed keys are {', '.join(_KEYS)}")
    weekly: dict[int, H.Hours] = {}
    country: str | None = None
    shorten = False
    preset_zone = None
    if "preset" in spec:
        preset, preset_zone = _preset(str(spec["preset"]))
        if preset in PRESETS:
            base, country, shorten = PRESETS[preset]
            weekly = dict(base)
        else:
            problems.append(
                f"preset: unknown preset {spec['preset']!r}; use one of {', '.join(PRESETS)}"
            )
    elif "hours" not in spec:
        problems.append("give 'preset' (e.g. ru-5x8) or 'hours' (e.g. {mon-fri: ['09:00-18:00']})")
    if "timezone" in spec and "tz" in spec:
        problems.append("give the zone once: 'timezone' or 'tz', not both")
    zone_given = spec.get("timezone", spec.get("tz", preset_zone)) or tz or "UTC"
    zone: str | tzinfo = "UTC"
    if isinstance(zone_given, str | tzinfo):
        zone = zone_given
    else:
        problems.append(f"timezone: {zone_given!r} is not a zone name such as 'Europe/Moscow'")

    hours = spec.get("hours", {}) or {}
    if not isinstance(hours, Mapping):
        problems.append("hours: give a mapping of days to spans, e.g. {mon-fri: ['09:00-18:00']}")
        hours = {}
    for key, value in hours.items():
        try:
            days = _days(key)
            spans = _spans(value)
        except ValueError as exc:
            problems.append(f"hours[{key!r}]: {exc}")
            continue
        for d in days:
            weekly[d] = spans

    if "country" in spec:
        raw = spec["country"]
        if raw in (None, False, ""):
            country = None
        elif isinstance(raw, str):
            country = raw
        else:
            problems.append(f"country: {raw!r} is not a country code such as 'RU'")
    if "shorten_pre_holiday" in spec:
        raw = spec["shorten_pre_holiday"]
        if isinstance(raw, bool):
            shorten = raw
        else:
            problems.append(f"shorten_pre_holiday: {raw!r} is not true or false")

    exceptions: dict[date, H.Hours] = {}
    raw_exc = spec.get("exceptions", {}) or {}
    if not isinstance(raw_exc, Mapping):
        problems.append("exceptions: give a mapping of dates to spans, e.g. {2024-03-05: []}")
        raw_exc = {}
    for key, value in raw_exc.items():
        try:
            exceptions[_as_date(key)] = _spans(value)
        except ValueError as exc:
            problems.append(f"exceptions[{key!r}]: {exc}")

    name = spec.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(f"name: {name!r} is not a string")
        name = None
    if problems:
        raise CalendarError(problems, source="calendar")
    try:
        return cls(
            {d: h for d, h in weekly.items() if h},
            tz=zone,
            country=country,
            shorten_pre_holiday=shorten,
            exceptions=exceptions,
            name=name,
        )
    except CalendarError as exc:
        raise CalendarError(exc.problems, source="calendar") from None
