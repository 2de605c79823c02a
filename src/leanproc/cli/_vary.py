"""The values of ``leanproc optimize --vary PATH=VALUES``.

``resources.clerk.count=1..10`` (whole numbers 1 to 10), ``=2..12/2`` (with a step),
``=ru-5x8,ru-2x12`` (a list: calendars, names, numbers), ``=10min..30min/10min`` (durations in
one unit, written back in that unit: ``10min``, ``20min``, ``30min``), ``=0.5..0.9/0.2``
(decimal numbers). Whether a path exists and a value suits it is for `leanproc.optimize` to
say; here only the text is read, and a text that cannot be read names the flag and the fix.
"""

from __future__ import annotations

import re
from typing import Any

from leanproc.cli._common import UsageError

__all__ = ["parse_span", "parse_vary"]

_EXAMPLE = ("write PATH=a..b, PATH=a..b/step or PATH=v1,v2,..., e.g. "
            "--vary resources.clerk.count=1..10 or --vary resources.clerk.calendar=ru-5x8,ru-2x12")
# a number and an optional unit: "10", "1.5", "10min", "2 wd"
_AMOUNT = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\W\d_]+)?\s*$")
_MOST_VALUES = 100_000  # a range longer than this is a typo (1..1000000), not a decision


def parse_vary(items: list[str]) -> dict[str, list[Any]]:
    """``["a.b=1..3", "c.d=x,y"]`` -> ``{"a.b": [1, 2, 3], "c.d": ["x", "y"]}``."""
    out: dict[str, list[Any]] = {}
    for raw in items:
        path, sep, text = raw.partition("=")
        path = path.strip()
        if not sep or not path or not text.strip():
            raise UsageError(f"--vary {raw}: {_EXAMPLE}")
        if path in out:
            raise UsageError(f"--vary {raw}: {path} is varied twice; give all its values in "
                             f"one --vary")
        out[path] = parse_span(text, flag=f"--vary {raw}")
    return out


def parse_span(text: str, *, flag: str) -> list[Any]:
    """The values of one ``a..b[/step]`` range or ``v1,v2,...`` list (see the module)."""
    if ".." in text:
        return _range(text, flag)
    values = [_scalar(v.strip()) for v in text.split(",")]
    if any(v == "" for v in values):
        raise UsageError(f"{flag}: an empty value in the list; {_EXAMPLE}")
    return values


def _scalar(text: str) -> Any:
    """A whole number, a decimal number, or the text itself (a calendar, a duration)."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _range(text: str, flag: str) -> list[Any]:
    first, _, rest = text.partition("..")
    last, slash, step_text = rest.partition("/")
    parts = [_AMOUNT.match(p) for p in (first, last, step_text if slash else "1")]
    if not all(parts):
        raise UsageError(f"{flag}: {text!r} is not a range of numbers or durations; {_EXAMPLE}")
    (a, b, s) = (float(m["num"]) for m in parts if m)
    units = {m["unit"] for m in parts[:2] if m}
    step_unit = parts[2]["unit"] if parts[2] else None
    if len(units) != 1 or (step_unit is not None and step_unit not in units):
        raise UsageError(f"{flag}: both ends and the step of {text!r} need the same unit "
                         f"(10min..30min/5min), or none")
    unit = units.pop()  # a step without a unit (10min..30min/5) is in the ends' unit
    if s <= 0:
        raise UsageError(f"{flag}: the step of {text!r} must be greater than 0")
    if a > b:
        raise UsageError(f"{flag}: {text!r} runs downwards; write the smaller end first")
    count = int((b - a) / s + 1e-9) + 1
    if count > _MOST_VALUES:
        raise UsageError(f"{flag}: {text!r} gives {count:,} values; give a step or a shorter "
                         f"range")
    whole = all(float(x).is_integer() for x in (a, b, s))
    values = [a + i * s for i in range(count)]
    if unit is None:
        return [int(v) for v in values] if whole else [round(v, 10) for v in values]
    from leanproc.durations import DurationError, read_duration

    shown = [f"{round(v, 10):g}{unit}" for v in values]
    try:
        read_duration(shown[0])
    except DurationError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    return shown
