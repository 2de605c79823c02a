"""Checking targets against results: a pass / fail report, statistically honest.

A target is *met* when its whole 95 % confidence interval satisfies the bound, *not met* when
the whole interval violates it, and *uncertain* when the interval straddles the bound (more
replications or cases would decide). Only *met* passes: a CI gate should not pass a TO-BE whose
mean happens to fall on the right side by luck.

Where the interval comes from:

* several replications (`Replications`, a comparison's TO-BE side, a table of values): the t
  interval of the replication values;
* one run: the per-case t interval for the means of per-case figures (``lead_time.mean``,
  ``cost.per_case``, ...); other figures have none and are judged on the value alone;
* structural counts are exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leanproc._labels import VERDICT_RU
from leanproc.errors import ScenarioError
from leanproc.kpi.stats import confidence_interval
from leanproc.targets.measures import measure
from leanproc.targets.spec import Target, TargetSet, parse_targets

__all__ = ["VERDICT_RU", "TargetOutcome", "TargetReport", "TargetsNotMet", "evaluate",
           "sample_of"]

MET, NOT_MET, UNCERTAIN, NO_DATA = "met", "not met", "uncertain", "no data"
# VERDICT_RU (from leanproc._labels, re-exported): the verdicts as Russian views show them


class TargetsNotMet(AssertionError):
    """Raised by `TargetReport.check` when a target is not met; the message is the report."""


@dataclass(frozen=True)
class TargetOutcome:
    """One target's value (mean over replications), its CI, and the verdict."""

    target: Target
    value: float
    ci_low: float
    ci_high: float
    n: int
    verdict: str

    @property
    def passed(self) -> bool:
        return self.verdict == MET

    def describe(self) -> str:
        t = self.target
        ci = (f" (95% CI {t.show(self.ci_low)} .. {t.show(self.ci_high)})"
              if not math.isnan(self.ci_low) and self.ci_low != self.ci_high else "")
        return f"{t.kpi} = {t.show(self.value)}{ci}; target {t.bound_text}: {self.verdict}"


@dataclass(frozen=True)
class TargetReport:
    """The outcome of every target, in the order written."""

    outcomes: tuple[TargetOutcome, ...]

    @property
    def passed(self) -> bool:
        """True when every target is met (an empty target set passes)."""
        return all(o.passed for o in self.outcomes)

    def __iter__(self):
        return iter(self.outcomes)

    def __getitem__(self, kpi: str) -> TargetOutcome:
        for o in self.outcomes:
            if o.target.kpi == kpi or o.target.text == kpi:
                return o
        raise KeyError(kpi)

    def table(self, *, lang: str = "en") -> pd.DataFrame:
        rows = [{
            "kpi": o.target.kpi, "value": o.target.show(o.value),
            "ci_low": o.target.show(o.ci_low), "ci_high": o.target.show(o.ci_high),
            "target": o.target.bound_text, "verdict": o.verdict, "n": o.n,
        } for o in self.outcomes]
        table = pd.DataFrame(rows, columns=["kpi", "value", "ci_low", "ci_high", "target",
                                            "verdict", "n"])
        if lang == "ru":
            table["verdict"] = table["verdict"].map(VERDICT_RU)
            table = table.rename(columns={"kpi": "Показатель", "value": "Значение",
                                          "ci_low": "95% ДИ от", "ci_high": "95% ДИ до",
                                          "target": "Цель", "verdict": "Итог",
                                          "n": "Прогонов"})
        return table

    def check(self) -> TargetReport:
        """Raise `TargetsNotMet` (an AssertionError) listing the failures, else return self."""
        if not self.passed:
            raise TargetsNotMet(str(self))
        return self

    def __str__(self) -> str:
        met = sum(o.passed for o in self.outcomes)
        head = f"Targets: {met} of {len(self.outcomes)} met"
        return "\n".join([head, *(("  ✓ " if o.passed else "  ✗ ") + o.describe()
                                  for o in self.outcomes)])


def sample_of(subject: Any, targets: TargetSet | None = None, *,
              volume_per_year: float | None = None) -> tuple[pd.DataFrame, dict[str, tuple],
                                                               float | None]:
    """(values: one row per replication, per-KPI CIs of a single run, the calendar's day
    length) of a result, replications, comparison, table or mapping."""
    sla = targets.sla_deadlines if targets is not None else []
    day_length = None
    if hasattr(subject, "after_values"):  # a Comparison: the TO-BE side
        return subject.after_values, {}, subject.day_length
    if isinstance(subject, pd.DataFrame):
        return subject, {}, None
    if isinstance(subject, Mapping):
        return pd.DataFrame([dict(subject)]), {}, None
    results = getattr(subject, "results", None)
    if results is None and hasattr(subject, "log") and hasattr(subject, "bound"):
        results = [subject]
    if results is None:
        raise TypeError(f"cannot evaluate targets against {type(subject).__name__}: give a "
                        f"simulation result, replications, a comparison or a mapping of values")
    rows = [measure(r, sla=sla, volume_per_year=volume_per_year) for r in results]
    cal = results[0].bound.calendar if results else None
    day_length = float(cal.day_length) if cal is not None else None
    single: dict[str, tuple] = {}
    if len(rows) == 1:
        row = rows[0]
        for key in row:
            if key.endswith(".mean") and f"{key[:-5]}.ci_low" in row:
                single[key] = (row[f"{key[:-5]}.ci_low"], row[f"{key[:-5]}.ci_high"])
        if "cost.per_case.ci_low" in row:
            single["cost.per_case"] = (row["cost.per_case.ci_low"], row["cost.per_case.ci_high"])
    return pd.DataFrame(rows), single, day_length


def evaluate(subject: Any, targets: Any, *, volume_per_year: float | None = None,
             level: float = 0.95) -> TargetReport:
    """Check `subject` against `targets` (anything `parse_targets` reads).

    `subject` is a `SimulationResult`, `Replications`, a `Comparison` (its TO-BE side), a
    DataFrame of per-replication values or a mapping of values. The subject comes first, as in
    `assert_targets(result, targets)` and every function that takes what it works on.

    Raises:
        ScenarioError: unreadable targets, or a result given as `targets` (the old order).
    """
    if _is_subject(targets):
        raise ScenarioError(f"targets= is a {type(targets).__name__}: the subject comes first, "
                            f"evaluate_targets(result, targets)", source="evaluate_targets")
    tset = parse_targets(targets)
    values, single, day_length = sample_of(subject, tset, volume_per_year=volume_per_year)
    outcomes = []
    for target in tset:
        t = target.bound_for(day_length)
        key = t.measured
        if key not in values.columns:
            outcomes.append(TargetOutcome(t, math.nan, math.nan, math.nan, 0, NO_DATA))
            continue
        x = pd.to_numeric(values[key], errors="coerce").to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if x.size == 0:
            outcomes.append(TargetOutcome(t, math.nan, math.nan, math.nan, 0, NO_DATA))
            continue
        if x.size >= 2:
            # every KPI is non-negative: the interval is cut at zero (see kpi.stats)
            mean, low, high = confidence_interval(x, level=level, nonnegative=True)
            if np.ptp(x) == 0:
                low = high = mean
        else:
            mean = float(x[0])
            low, high = single.get(key, (mean, mean))
            if not (math.isfinite(low) and math.isfinite(high)):
                low = high = mean
        outcomes.append(TargetOutcome(t, mean, low, high, int(x.size), _verdict(t, low, high)))
    return TargetReport(tuple(outcomes))


def _is_subject(value: Any) -> bool:
    """A result, replications, comparison or table: what is evaluated, never the targets."""
    return (isinstance(value, pd.DataFrame) or hasattr(value, "after_values")
            or hasattr(value, "results") or (hasattr(value, "log") and hasattr(value, "bound")))


def _verdict(t: Target, low: float, high: float) -> str:
    """Met when the whole interval satisfies the bound, not met when none of it does."""
    if t.op in ("==", "!="):
        both = t.holds(low) and t.holds(high)
        inside = low <= t.bound <= high
        if t.op == "==":
            return MET if both else (UNCERTAIN if inside else NOT_MET)
        return MET if both and not inside else (UNCERTAIN if inside and low != high
                                                else NOT_MET)
    low_ok, high_ok = t.holds(low), t.holds(high)
    if low_ok and high_ok:
        return MET
    if not low_ok and not high_ok:
        return NOT_MET
    return UNCERTAIN
