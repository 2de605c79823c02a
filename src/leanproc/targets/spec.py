"""Targets as data: ``lead_time.mean <= 24h``, ``approvals == 0``, ``cost.per_case <= 900``.

A target names a KPI (the flat names of `leanproc.kpis`, the cost figures of the process
calculator and the structural counts of the model), a comparison and a bound with its unit:

=====================================  ===============================  ====================
KPI                                    bound                            compared in
=====================================  ===============================  ====================
lead_time.{mean,median,p90,max},       a duration: ``24h``, ``90min``,   seconds; a working
processing.*, waiting.*,               ``2d``; working units ``8wh``,    unit on lead_time.*
value_adding.*, and in working time:   ``3wd`` (lead_time.* and the      compares the working
lead_time_working.*,                   working forms only)              lead time instead
processing_working.*, waiting_working.*,
value_adding_working.*
pce, pce_working, unfinished_share,    ``0.9`` or ``90%``               a fraction
sla_share(<deadline>), utilisation.<p>
cost.per_case, cost.per_year, ...,     ``900``, ``900 RUB``, ``900 руб``  roubles
staff_cost.per_year
labour_hours.per_case, .per_year       hours: ``1.5``, ``90min``, ``2h``  hours
throughput.per_day, wip.mean, fte,     a number                         as reported
approvals, paper_documents, ...
=====================================  ===============================  ====================

Targets come as a mapping (``{lead_time.mean: "<= 24h"}``; a bare number means ``==``), a list
of texts (``["lead_time.mean <= 24h"]``), a YAML file holding either (optionally under a
``targets:`` key), or a scenario's ``targets:``. Every problem is reported at once, and an
unknown KPI name lists the known ones.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leanproc._names import did_you_mean
from leanproc.durations import DurationError, read_duration
from leanproc.errors import ScenarioError

__all__ = ["KNOWN_KPIS", "Target", "TargetSet", "format_value", "parse_targets", "unit_of"]

_HOUR = 3600.0

_TIME_MEASURES = ("lead_time", "lead_time_working", "processing", "processing_working",
                  "waiting", "waiting_working", "value_adding", "value_adding_working")
_TIME_STATS = ("mean", "median", "p90", "max")
STRUCTURAL = ("activities", "subprocesses", "participants", "pools", "lanes", "handoffs",
              "pool_handoffs", "approvals", "client_actions", "paper_documents", "gateways",
              "events", "steps.value_adding", "steps.business", "steps.waste",
              "steps.unclassified")
MONEY = ("cost.per_case", "cost.per_case.median", "cost.per_case.p90", "cost.per_year",
         "cost.total", "cost.time_based.per_case", "cost.per_execution.per_case",
         "cost.unused_capacity", "staff_cost.per_year")
LABOUR = ("labour_hours.per_case", "labour_hours.per_year")
NUMBERS = ("throughput.per_day", "throughput.per_working_day", "arrival_rate.per_day",
           "arrival_rate.per_working_day", "wip.mean", "cases", "cases_finished",
           "cases_unfinished", "fte")
SHARES = ("pce", "pce_working", "unfinished_share")
PATTERNS = ("sla_share(<deadline>)", "utilisation.<pool>", "activity.<name>.<statistic>")

KNOWN_KPIS: tuple[str, ...] = (
    *(f"{m}.{s}" for m in _TIME_MEASURES for s in _TIME_STATS),
    *SHARES, *NUMBERS, *MONEY, *LABOUR, *STRUCTURAL, *PATTERNS,
)
"""Every KPI name a target may use (the last three are patterns)."""

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
    "==": operator.eq, "=": operator.eq, "!=": operator.ne,
}
_TEXT = re.compile(r"^\s*(?P<op><=|>=|==|!=|<|>|=|≤|≥)\s*(?P<bound>.+?)\s*$")
_LINE = re.compile(r"^\s*(?P<kpi>.+?)\s*(?P<op><=|>=|==|!=|<|>|≤|≥)\s*(?P<bound>.+?)\s*$")
_SLA = re.compile(r"^sla_share\((?P<deadline>[^)]+)\)$")
_MONEY = re.compile(r"^\s*(?P<num>[-+]?\d[\d\s]*(?:[.,]\d+)?)\s*(?:rub|руб\.?|р\.?|₽)?\s*$",
                    re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(?P<num>\d+(?:[.,]\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Target:
    """One target: `kpi` `op` `bound`, the bound in the KPI's internal unit.

    `measured` is the KPI actually compared (``lead_time_working.p90`` for
    ``lead_time.p90 <= 3wd``); `text` the target as written; `unit` the kind of quantity
    (``time``, ``share``, ``money``, ``hours``, ``number``); `working_days` the bound in working
    days when it was written so (turned into seconds with the calendar's day length).
    """

    kpi: str
    op: str
    bound: float
    unit: str
    text: str
    measured: str
    working_days: float | None = None

    def holds(self, value: float) -> bool:
        if value is None or math.isnan(value):
            return False
        if self.op in ("==", "="):
            return math.isclose(value, self.bound, rel_tol=1e-9, abs_tol=1e-9)
        if self.op == "!=":
            return not math.isclose(value, self.bound, rel_tol=1e-9, abs_tol=1e-9)
        return _OPS[self.op](value, self.bound)

    def bound_for(self, day_length: float | None) -> Target:
        """This target with a working-day bound turned into seconds by `day_length`."""
        if self.working_days is None or not math.isnan(self.bound):
            return self
        if not day_length:
            raise ScenarioError(f"target {self.text!r}: working days need a calendar; give the "
                                f"scenario a calendar or write the bound in hours")
        return Target(self.kpi, self.op, self.working_days * day_length, self.unit, self.text,
                      self.measured, self.working_days)

    def show(self, value: float) -> str:
        """`value` (internal unit) for people: hours, percent, roubles."""
        return format_value(value, self.unit)

    @property
    def bound_text(self) -> str:
        if self.working_days is not None:
            return f"{self.op} {self.working_days:g} wd"
        return f"{self.op} {format_value(self.bound, self.unit)}"

    @property
    def sla_deadline(self) -> str | None:
        m = _SLA.match(self.measured)
        return m["deadline"] if m else None


def format_value(value: float, unit: str) -> str:
    """A KPI value as targets and comparison tables print it: ``time`` in hours, ``share`` in
    per cent, ``money`` in roubles, ``hours`` as hours, anything else as a number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "time":
        return f"{value / _HOUR:,.2f} h"
    if unit == "share":
        return f"{value * 100:.1f} %"
    if unit == "money":
        return f"{value:,.2f} RUB"
    if unit == "hours":
        return f"{value:,.2f} h"
    return f"{value:,.4g}"


@dataclass(frozen=True)
class TargetSet:
    """Parsed targets in the order written."""

    targets: tuple[Target, ...]
    source: str | None = None

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def __bool__(self) -> bool:
        return bool(self.targets)

    @property
    def sla_deadlines(self) -> list[str]:
        """The deadlines ``sla_share(...)`` targets need from the KPI computation."""
        return [d for t in self.targets if (d := t.sla_deadline) is not None]


def parse_targets(source: Any) -> TargetSet:
    """Targets from a mapping, a list of ``"<kpi> <op> <bound>"`` texts, a YAML / JSON file
    (the whole file or its ``targets:`` key), a `Scenario` or bound scenario, or a `TargetSet`.

    Raises:
        ScenarioError: every unreadable target, each with its place and a fix.
    """
    if isinstance(source, TargetSet):
        return source
    if source is None:
        return TargetSet(())
    label = None
    scenario_targets = getattr(source, "targets", None)
    if scenario_targets is not None and not isinstance(source, Mapping | str | list | tuple):
        source = dict(scenario_targets)  # a Scenario or a BoundScenario
    elif isinstance(source, str | os.PathLike) and not _looks_inline(source):
        # the scenario readers (pydantic, lxml) load only when targets come from a file
        from leanproc.scenario.spec import load_mapping

        data, _, label = load_mapping(Path(source))
        source = data.get("targets", data) if isinstance(data, Mapping) else data
    items: list[tuple[str, str, Any]] = []  # (place, kpi, condition)
    problems: list[str] = []
    if isinstance(source, str):
        source = [source]
    if isinstance(source, Mapping):
        for kpi, cond in source.items():
            items.append((str(kpi), str(kpi), cond))
    elif isinstance(source, Iterable):
        for i, line in enumerate(source):
            m = _LINE.match(str(line)) if isinstance(line, str) else None
            if m is None:
                problems.append(f"targets[{i}]: {line!r} is not '<kpi> <op> <bound>', e.g. "
                                f"'lead_time.mean <= 24h'")
                continue
            items.append((f"targets[{i}]", m["kpi"], f"{m['op']} {m['bound']}"))
    else:
        raise ScenarioError(f"targets: expected a mapping, a list of texts or a file, got "
                            f"{type(source).__name__}", source=label)
    out = []
    for place, kpi, cond in items:
        try:
            out.append(_target(kpi.strip(), cond))
        except ScenarioError as exc:
            problems.extend(f"{place}: {problem}" for problem in exc.problems)
    if problems:
        raise ScenarioError(problems, source=label)
    return TargetSet(tuple(out), label)


def _looks_inline(text: Any) -> bool:
    return isinstance(text, str) and any(op in text for op in ("<", ">", "="))


def _target(kpi: str, cond: Any) -> Target:
    raw: numbers.Real | str  # the bound as written: a number, or text with a unit
    if isinstance(cond, numbers.Real) and not isinstance(cond, bool):
        op, raw = "==", cond
    else:
        m = _TEXT.match(str(cond))
        if m is None:
            raise ScenarioError(f"{cond!r} is not '<op> <bound>' with op one of <=, <, >=, >, ==, "
                             f"!= (e.g. '<= 24h')")
        op, raw = m["op"].replace("≤", "<=").replace("≥", ">="), m["bound"]
    op = "==" if op == "=" else op
    unit = unit_of(kpi)
    text = f"{kpi} {op} {raw}"
    if unit == "time":
        return _time_target(kpi, op, raw, text)
    value = _number(raw, unit)
    return Target(kpi, op, value, unit, text, _measured(kpi))


def _measured(kpi: str) -> str:
    """The KPI's name as the KPI report spells it: ``sla_share(1 рд)`` -> ``sla_share(1wd)``."""
    if m := _SLA.match(kpi):
        return f"sla_share({read_duration(m['deadline'].strip()).label})"
    return kpi


def unit_of(kpi: str) -> str:
    """The unit of a KPI name (``time``, ``share``, ``money``, ``hours`` or ``number``).

    Raises `ValueError` naming the closest known KPIs for a name it does not know.
    """
    head, _, stat = kpi.partition(".")
    if head in _TIME_MEASURES and stat in _TIME_STATS:
        return "time"
    if kpi in SHARES or _SLA.match(kpi) or (head == "utilisation" and stat):
        if m := _SLA.match(kpi):
            try:
                read_duration(m["deadline"].strip())
            except DurationError as exc:
                raise ScenarioError(f"sla_share deadline {m['deadline']!r}: {exc}") from None
        return "share"
    if kpi in MONEY:
        return "money"
    if kpi in LABOUR:
        return "hours"
    if kpi in NUMBERS or kpi in STRUCTURAL:
        return "number"
    if head == "activity" and kpi.count(".") >= 2:
        return "number" if kpi.endswith((".count", ".case_share")) else "time"
    hint = did_you_mean(kpi, KNOWN_KPIS, n=3, owner="the KPI name")
    raise ScenarioError(f"unknown KPI {kpi!r}{hint}. Known KPIs: {', '.join(KNOWN_KPIS)}")


def _time_target(kpi: str, op: str, raw: Any, text: str) -> Target:
    try:
        d = read_duration(str(raw).strip())
    except DurationError as exc:
        raise ScenarioError(f"bound {raw!r}: {exc}") from None
    if not d.working:
        return Target(kpi, op, d.seconds, "time", text, kpi)
    head, _, stat = kpi.partition(".")
    if head.endswith("_working"):
        measured = kpi  # already a working-time measure
    elif head == "lead_time":
        measured = f"lead_time_working.{stat}"
    else:
        raise ScenarioError(f"{raw!r} is in working time: compare it with {head}_working.{stat} "
                            f"(the working-time form), or write the bound in clock units "
                            f"(h, min, d)")
    if not d.working_days:
        return Target(kpi, op, d.seconds, "time", text, measured)
    if d.working_days * d.day_length != d.seconds:
        raise ScenarioError(f"bound {raw!r}: give working time in working days (3wd) or in "
                            f"working hours (28wh), not both")
    return Target(kpi, op, math.nan, "time", text, measured, working_days=d.working_days)


def _number(raw: Any, unit: str) -> float:
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw).strip()
    if unit == "share" and (m := _PERCENT.match(text)):
        return float(m["num"].replace(",", ".")) / 100.0
    if unit == "hours":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            pass
        try:
            d = read_duration(text)
        except DurationError:
            raise ScenarioError(f"bound {text!r}: give hours as a number (1.5) or a duration "
                                f"(90min, 2h)") from None
        if d.working:
            raise ScenarioError(f"bound {text!r}: labour hours are hours of work; write '2h'")
        return d.seconds / _HOUR
    if unit == "money" and (m := _MONEY.match(text)):
        return float(m["num"].replace(" ", "").replace(",", "."))
    try:
        return float(text.replace(",", "."))
    except ValueError:
        kinds = {"share": "a fraction (0.9) or a percentage (90%)",
                 "money": "roubles (900, '900 RUB', '900 руб')", "number": "a number"}
        raise ScenarioError(f"bound {text!r}: expected {kinds.get(unit, 'a number')}") from None
