"""Decisions: the dotted scenario paths an optimisation may change, and the values each may take.

``{"resources.clerk.count": range(1, 11), "resources.lawyer.calendar": ["ru-5x8", "ru-2x12"]}``

A decision whose values are all whole numbers is *integer*: its values are sorted and its
neighbours are the next value up and down (the lattice the heuristic walks). Any other decision
is *categorical*: its neighbours are its other values, in the order written. A path must name a
value the base scenario has, or a field of a resource or activity the base names
(``resources.clerk.count`` when the clerk's count is left at its default of 1,
``resources.lawyer.calendar`` when the lawyer works on the scenario's calendar).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from leanproc._names import did_you_mean
from leanproc.errors import ScenarioError

__all__ = ["Decision", "count_pool", "known_paths", "parse_decisions"]

_SHOWN = 12  # known paths quoted in an error

_COUNT = re.compile(r"^resources\.(?P<pool>[^.]+)\.count$")


@dataclass(frozen=True)
class Decision:
    """One decision: its dotted `path`, its `values` (sorted when integer) and its kind."""

    path: str
    values: tuple[Any, ...]
    integer: bool

    @property
    def pool(self) -> str | None:
        """The pool whose head count this decision sets (``resources.<pool>.count``)."""
        return count_pool(self.path)



def count_pool(path: str) -> str | None:
    m = _COUNT.match(path)
    return m["pool"] if m else None


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def known_paths(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Every dotted path to a value of `data` (mappings are walked, lists are values)."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from known_paths(value, path + ".")
        else:
            yield path


def _schema_paths(data: Mapping[str, Any]) -> Iterator[str]:
    """``resources.<name>.<field>`` and ``activities.<name>.<field>`` for every resource and
    activity of `data` and every field of its schema: what a decision may add."""
    from leanproc.scenario.spec import ActivitySpec, ResourceSpec

    for section, spec in (("resources", ResourceSpec), ("activities", ActivitySpec)):
        entries = data.get(section)
        if isinstance(entries, Mapping):
            for name in entries:
                yield from (f"{section}.{name}.{f}" for f in spec.model_fields)


def parse_decisions(base: Mapping[str, Any], decisions: Mapping[str, Any]) -> list[Decision]:
    """Check `decisions` against the base scenario mapping; every problem is reported at once,
    an unknown path with the close known ones (see the module docstring)."""
    if not isinstance(decisions, Mapping) or not decisions:
        raise ScenarioError("optimize: decisions= must be a non-empty mapping of dotted scenario "
                            "paths to candidate values, e.g. {'resources.clerk.count': "
                            "range(1, 6)}")
    known = sorted(set(known_paths(base)))
    allowed = set(known) | set(_schema_paths(base))
    out: list[Decision] = []
    problems: list[str] = []
    for path, raw in decisions.items():
        path = str(path)
        if path not in allowed:
            hint = did_you_mean(path, sorted(allowed), n=3, owner="the scenario")
            # the usual decisions first; a scenario has hundreds of leaf paths, and a list of
            # them all buries the hint
            usual = [k for k in known if k.endswith((".count", ".calendar"))] or known
            shown = ", ".join(usual[:_SHOWN])
            more = f" and {len(usual) - _SHOWN} more" if len(usual) > _SHOWN else ""
            problems.append(f"decisions: unknown path {path!r}{hint}. Pools' counts and "
                            f"calendars here: {shown}{more}")
            continue
        if isinstance(raw, str | bytes) or not hasattr(raw, "__iter__"):
            problems.append(f"decisions.{path}: give a list or range of values, not {raw!r}")
            continue
        values = list(raw)
        if not values:
            problems.append(f"decisions.{path}: the list of values is empty")
            continue
        if len({repr(v) for v in values}) != len(values):
            problems.append(f"decisions.{path}: a value is listed twice in {values!r}")
            continue
        integer = all(_is_int(v) for v in values)
        if integer:
            values = sorted(int(v) for v in values)
            if count_pool(path) and values[0] < 1:
                problems.append(f"decisions.{path}: a pool needs at least 1 unit, got "
                                f"{values[0]}")
                continue
        out.append(Decision(path, tuple(values), integer))
    if problems:
        raise ScenarioError(problems, source="optimize")
    return out
