"""Patching a scenario mapping: the one merge rule behind improvement ladders and sweeps.

A patch says what changes, in the scenario's own shape. Where the schema has a section of
fields (``defaults``, ``arrivals``, one resource, one activity) or a named collection
(``resources``, ``activities``, ``targets``), the patch merges into what is there, so
``{resources: {clerk: {count: 3}}}`` keeps the clerk's calendar and rates. Everything else is a
value and is replaced whole: a duration, a gateway's shares, a calendar. Merging into a value
would mix two of them — a patch ``duration: {exponential: {mean: 5min}}`` over a fitted
``{lognormal: {mean: 4min, sd: 2min}}`` would give one duration two distributions and no longer
load; a
gateway's new shares would keep the flows the patch left out and no longer sum to 1. ``None``
deletes a key. Entry names in named collections match as binding matches them (case and runs
of spaces ignored), so a patch written "Проверка  документов" lands on "проверка документов".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from leanproc.scenario.spec import Scenario
from leanproc.scenario.spec_errors import unwrap

__all__ = ["merge_patch"]


def merge_patch(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """`base` (a scenario mapping) with `patch` applied; neither is changed."""
    return _merge(base, patch, Scenario)


def _fold(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _merge(base: Mapping[str, Any], patch: Mapping[str, Any], shape: Any) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    named = get_origin(shape) is dict  # a collection of entries keyed by name
    for key, value in patch.items():
        if named and key not in out:  # the entry as binding would find it
            key = next((k for k in out if _fold(k) == _fold(key)), key)
        if value is None:
            out.pop(key, None)
            continue
        child = _child(shape, key)
        if child is not None and isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value, child)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _child(shape: Any, key: str) -> Any:
    """The schema type under `key` if it is itself a section or a collection, else None."""
    if get_origin(shape) is dict:
        inner = unwrap(get_args(shape)[1])
    elif isinstance(shape, type) and issubclass(shape, BaseModel):
        field = shape.model_fields.get(str(key))
        if field is None:
            return None
        inner = unwrap(field.annotation)
    else:
        return None
    if get_origin(inner) is dict or (isinstance(inner, type) and issubclass(inner, BaseModel)):
        return inner
    return None
