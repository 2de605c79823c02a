"""Pydantic validation errors as located, readable problems (``arrivals.cases: ...``).

An unknown key gets the keys the schema allows at its place and the nearest one; a value error
raised by a field's own reader (`SpecError`) keeps its sub-place. Kept apart from the schema
(spec.py) so that the schema stays a list of fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from leanproc._names import did_you_mean
from leanproc.scenario.durations import SpecError, join_place

__all__ = ["unwrap", "validation_problems"]


def _place(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out = join_place(out, part if isinstance(part, int) else str(part))
    return out or "(scenario)"


def unwrap(annotation: Any) -> Any:
    """The model class or dict value type behind Optional / Annotated wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is not None and origin is not dict and type(None) in get_args(annotation):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _allowed_keys(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the schema allows at `loc` (the place of an unknown key)."""
    current: Any = root
    parts = list(loc)
    while parts:
        current = unwrap(current)
        if get_origin(current) is dict:
            current = get_args(current)[1]
            parts.pop(0)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(parts.pop(0)))
            if field is None:
                return []
            current = field.annotation
        else:
            return []
    current = unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def validation_problems(exc: ValidationError, root: type[BaseModel]) -> list[str]:
    """Readable, located problems from a pydantic ValidationError raised by `root`'s schema."""
    problems: list[str] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, SpecError):
            problems.extend(error.located(_place(loc)))
            continue
        kind = err["type"]
        place = _place(loc)
        if kind == "extra_forbidden":
            allowed = _allowed_keys(root, loc[:-1])
            hint = did_you_mean(str(loc[-1]), allowed, n=1, owner="the scenario format")
            problems.append(f"{place}: unknown key{hint}; allowed here: {', '.join(allowed)}"
                            if allowed else f"{place}: unknown key")
        elif kind == "missing":
            problems.append(f"{place}: missing; this key is required")
        else:
            got = err.get("input")
            shown = "" if isinstance(got, Mapping | list) else f" (got {got!r})"
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{place}: {msg}{shown}")
    return problems
