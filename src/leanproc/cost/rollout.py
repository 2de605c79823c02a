"""Rollout effect (тиражирование): one office's saving spread over many offices.

    effect = saving of one office per year x number of offices x adoption share

with a range: the low end multiplies the low saving (e.g. the lower 95 % bound from paired
replications) by the low adoption share, the high end the high ones. Levels are independent
rows (one municipality, half of a region, the whole country), each with its own office count
and adoption, so a table reads like the figures a programme reports.

A YAML or mapping form (`load_rollout`)::

    saving_per_office: {mean: 500000, low: 420000, high: 580000}   # RUB per year
    levels:
      - {name: one municipality, offices: 1, adoption: 1}
      - {name: half of the region, offices: 57, adoption: {expected: 0.5, low: 0.4, high: 0.6}}
      - {name: all regions, offices: [85, 57], adoption: 0.5}     # a list multiplies: 85 x 57
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from leanproc.errors import ScenarioError

__all__ = ["RolloutLevel", "RolloutReport", "load_rollout", "rollout"]


@dataclass(frozen=True)
class RolloutLevel:
    """One level of the rollout: `offices` units, of which a share `adoption` adopts the
    practice (`adoption_low` .. `adoption_high` its range)."""

    name: str
    offices: float
    adoption: float = 1.0
    adoption_low: float | None = None
    adoption_high: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if not self.offices >= 0:
            problems.append(f"rollout level {self.name!r}: offices must be >= 0, "
                            f"got {self.offices!r}")
        for label, v in (("adoption", self.adoption), ("adoption low", self.adoption_low),
                         ("adoption high", self.adoption_high)):
            if v is not None and not 0 <= v <= 1:
                problems.append(f"rollout level {self.name!r}: {label} is a share in [0, 1], "
                                f"got {v!r}")
        if problems:
            raise ScenarioError(problems)

    @property
    def low(self) -> float:
        return self.adoption if self.adoption_low is None else self.adoption_low

    @property
    def high(self) -> float:
        return self.adoption if self.adoption_high is None else self.adoption_high


@dataclass(frozen=True)
class RolloutReport:
    """The effect at each level: expected value and range, in the saving's units per year."""

    saving: float
    saving_low: float
    saving_high: float
    levels: tuple[RolloutLevel, ...]

    def table(self) -> pd.DataFrame:
        """level, offices, adoption (low..high), adopting offices, effect, low, high."""
        rows = []
        for lv in self.levels:
            rows.append({
                "level": lv.name, "offices": lv.offices, "adoption": lv.adoption,
                "adoption_low": lv.low, "adoption_high": lv.high,
                "adopting_offices": lv.offices * lv.adoption,
                "effect": self.saving * lv.offices * lv.adoption,
                "effect_low": self.saving_low * lv.offices * lv.low,
                "effect_high": self.saving_high * lv.offices * lv.high,
            })
        return pd.DataFrame(rows)

    def effect(self, level: str) -> tuple[float, float, float]:
        """(expected, low, high) effect of the named level."""
        row = self.table().set_index("level").to_dict("index")[level]
        return float(row["effect"]), float(row["effect_low"]), float(row["effect_high"])

    def __str__(self) -> str:
        lines = [f"Rollout of a saving of {_money(self.saving)} per office per year "
                 f"({_money(self.saving_low)} .. {_money(self.saving_high)})"]
        for r in self.table().to_dict("records"):
            lines.append(f"  {r['level']:<28} {r['offices']:>8,.0f} offices x "
                         f"{r['adoption']:>4.0%} = {_money(r['effect'])} "
                         f"({_money(r['effect_low'])} .. {_money(r['effect_high'])})")
        return "\n".join(lines)


def _money(value: float) -> str:
    """Roubles with an order-of-magnitude suffix: 0.50 M, 14.3 M, 1.20 bn."""
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.2f} bn RUB"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} M RUB"
    return f"{value:,.0f} RUB"


def rollout(saving_per_office: Any, levels: Sequence[RolloutLevel | Mapping[str, Any]],
            ) -> RolloutReport:
    """The rollout effect of a yearly saving per office over `levels`.

    `saving_per_office` is a number, a ``(expected, low, high)`` triple, a mapping with
    ``mean`` / ``low`` / ``high``, or anything with a ``yearly_saving()`` method returning such a
    triple (a `leanproc.comparison.Comparison`).
    """
    saving, low, high = _saving(saving_per_office)
    parsed = tuple(lv if isinstance(lv, RolloutLevel) else _level(lv, i)
                   for i, lv in enumerate(levels))
    if not parsed:
        raise ScenarioError("rollout: give at least one level (name, offices, adoption)")
    return RolloutReport(saving, low, high, parsed)


def load_rollout(source: Any, saving_per_office: Any = None) -> RolloutReport:
    """A rollout from a YAML file, YAML text or mapping (see the module docstring);
    `saving_per_office` overrides the file's value (e.g. a comparison's saving)."""
    from leanproc.scenario.spec import load_mapping  # the YAML readers (pydantic) load here

    data, _, label = load_mapping(source)
    allowed = {"saving_per_office", "levels", "description", "source", "currency", "name",
               "volume_per_year"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ScenarioError(f"rollout: unknown key(s) {unknown}; allowed: "
                            f"{', '.join(sorted(allowed))}", source=label)
    saving = saving_per_office if saving_per_office is not None else data.get("saving_per_office")
    if saving is None:
        raise ScenarioError("rollout: saving_per_office is missing", source=label)
    return rollout(saving, data.get("levels") or [])


def _saving(value: Any) -> tuple[float, float, float]:
    if hasattr(value, "yearly_saving"):
        value = value.yearly_saving()
    if isinstance(value, Mapping):
        try:
            mean = float(value["mean"])
        except (KeyError, TypeError, ValueError):
            raise ScenarioError("rollout: saving_per_office as a mapping needs a number under "
                                "'mean' (and optionally 'low' and 'high')") from None
        return mean, float(value.get("low", mean)), float(value.get("high", mean))
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 3:
        mean, low, high = (float(v) for v in value)
        return mean, low, high
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
        return float(value), float(value), float(value)
    raise ScenarioError(f"rollout: saving_per_office must be a number, (expected, low, high) or "
                        f"{{mean, low, high}}, got {value!r}")


def _level(data: Mapping[str, Any], i: int) -> RolloutLevel:
    where = f"levels[{i}]"
    if not isinstance(data, Mapping):
        raise ScenarioError(f"rollout {where}: expected {{name, offices, adoption}}, "
                            f"got {data!r}")
    unknown = sorted(set(data) - {"name", "offices", "adoption", "note"})
    if unknown:
        raise ScenarioError(f"rollout {where}: unknown key(s) {unknown}; allowed: name, "
                            f"offices, adoption, note")
    offices = data.get("offices")
    if isinstance(offices, Sequence) and not isinstance(offices, str):
        offices = math.prod(float(o) for o in offices)
    if not isinstance(offices, numbers.Real) or isinstance(offices, bool):
        raise ScenarioError(f"rollout {where}.offices: a number or a list of numbers to "
                            f"multiply (e.g. [85, 57]), got {data.get('offices')!r}")
    adoption = data.get("adoption", 1.0)
    low = high = None
    if isinstance(adoption, Mapping):
        low, high = adoption.get("low"), adoption.get("high")
        adoption = adoption.get("expected", adoption.get("mean"))
    elif isinstance(adoption, Sequence) and not isinstance(adoption, str) and len(adoption) == 2:
        low, high = (float(a) for a in adoption)
        adoption = (low + high) / 2
    if not isinstance(adoption, numbers.Real) or isinstance(adoption, bool):
        raise ScenarioError(f"rollout {where}.adoption: a share (0.5), a [low, high] pair or "
                            f"{{expected, low, high}}, got {data.get('adoption')!r}")
    return RolloutLevel(str(data.get("name", f"level {i + 1}")), float(offices),
                        float(adoption), None if low is None else float(low),
                        None if high is None else float(high))
