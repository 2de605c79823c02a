"""The scenario a user writes: its schema (pydantic) and its loader (loading.py: YAML, JSON, dict).

Loading checks everything that can be checked without the BPMN model — unknown keys, types,
durations, distributions, ranges — and reports every problem at once in one `ScenarioError`,
each with its place (``activities.Approve.duration.uniform[0]: ...``). Binding to the model
(names, probabilities, reachability, pools, calendars) is `Scenario.bind`, in binding.py.

    name: Taxi permit, AS-IS
    model: taxi-permit-as-is.bpmn         # relative to this file
    start: 2024-03-01T09:00+07:00         # or naive, with timezone: Asia/Tomsk
    calendar: ru-5x8                      # default for pools, waits, arrivals; omitted = 24x7
    calendars: {front-office: {preset: ru-5x8, hours: {sat: ["10:00-14:00"]}}}
    arrivals: {interarrival: {exponential: {mean: 2h}}, cases: 500, horizon: 30d}
    case_attributes: {amount: {uniform: [1000, 5000]}, kind: {discrete: {urgent: 0.2, normal: 0.8}}}
    resources:
      specialist: {count: 2, calendar: front-office, cost_per_hour: 520}
    defaults: {duration: 10min, resource: specialist}
    activities:
      Approve: {resource: head, duration: {lognormal: {mean: 15min, sd: 5min}}, wait: 4h,
                value: business, approval: true}
    gateways:
      Documents complete?: {yes: 0.85, no: 0.15}
      Amount check: {conditions: {large: "amount > 3000", small: default}}
      Checks: {interleave: true}  # a parallel split whose branches one person works in turn
    events: {Wait 3 days: {duration: 3d}, Rejected by client: {probability: 0.1, after: 2h}}
    fixed_costs: {per_case: 120}
    case_speed: {duration: 0.6, wait: 0.4}  # per-case factors (mean 1): case_speed.py
    targets: {lead_time.mean: "<= 120min"}
    warmup: 2d
"""

from __future__ import annotations

import numbers
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from leanproc.calendar import FIRST_YEAR, LAST_YEAR
from leanproc.durations import format_duration
from leanproc.errors import ScenarioError
from leanproc.limits import limit
from leanproc.scenario.arrivals import RateField
from leanproc.scenario.case_speed import CaseSpeedSpec
from leanproc.scenario.distributions import Distribution, read_count, read_distribution
from leanproc.scenario.durations import Duration, SpecError, join_place, read_duration
from leanproc.scenario.loading import load_mapping
from leanproc.scenario.plans import Condition, parse_condition
from leanproc.scenario.spec_errors import validation_problems

if TYPE_CHECKING:
    from leanproc.bpmn.model import ProcessModel
    from leanproc.scenario.plans import BoundScenario

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_UNITS",
    "ActivitySpec",
    "ArrivalsSpec",
    "ByResource",
    "DefaultsSpec",
    "EventSpec",
    "FixedCostsSpec",
    "GatewaySpec",
    "LoopSpec",
    "ResourceSpec",
    "Scenario",
    "load_mapping",
]


MAX_UNITS = limit("resource_units")


# ---- field types -----------------------------------------------------------------------------

def _source_of(value: Any) -> Any:
    return getattr(value, "source", value)


def _time_distribution(value: Any) -> Distribution:
    return read_distribution(value, dimension="time")


def _attribute_distribution(value: Any) -> Distribution:
    return read_distribution(value, dimension="auto")


def _clock_duration(value: Any) -> Duration:
    d = read_duration(value)
    if d.working:
        raise SpecError("must be clock time (s, min, h, d, w): working time would need a "
                        "calendar to turn into an instant")
    return d


TimeDistribution = Annotated[
    Distribution, BeforeValidator(_time_distribution), PlainSerializer(_source_of)
]
AttributeDistribution = Annotated[
    Distribution, BeforeValidator(_attribute_distribution), PlainSerializer(_source_of)
]
ClockDuration = Annotated[
    Duration, BeforeValidator(_clock_duration),
    PlainSerializer(format_duration),
]


def _calendar_ref(value: Any) -> Any:
    if value is None or isinstance(value, str | Mapping):
        return value
    from leanproc.calendar import Calendar

    if isinstance(value, Calendar):
        return value
    raise SpecError(f"a calendar is a preset such as ru-5x8, a name from calendars:, or a mapping "
                    f"with preset / hours, got {value!r}")


CalendarRef = Annotated[Any, BeforeValidator(_calendar_ref)]


def _names(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(f"expected a resource pool name or a list of names, got {value!r}")


PoolNames = Annotated[list[str], BeforeValidator(_names)]

_VALUE_ALIASES = {
    "value_adding": ("value_adding", "va", "value", "valueadding", "value_added"),
    "business": ("business", "bva", "necessary", "nnva", "business_value_adding",
                 "business_value_added", "required"),
    "waste": ("waste", "nva", "non_value_adding", "muda"),
}
_VALUE_OF = {alias: tag for tag, aliases in _VALUE_ALIASES.items() for alias in aliases}


def _value_tag(value: Any) -> str | None:
    if value is None:
        return None
    key = re.sub(r"[\s\-]+", "_", str(value).strip()).casefold()
    if key in _VALUE_OF:
        return _VALUE_OF[key]
    raise SpecError(f"unknown value class {value!r}: use value_adding (va), business (bva, "
                    f"necessary) or waste (nva)")


ValueTag = Annotated[str | None, BeforeValidator(_value_tag)]


def _count(value: Any) -> Any:
    return None if value is None else read_count(value)


Count = Annotated[Any, BeforeValidator(_count), PlainSerializer(_source_of)]


def _timestamp(value: Any) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp):
        return value
    if isinstance(value, str) and not re.match(r"\s*\d{4}-\d{2}-\d{2}", value):
        raise SpecError(f"cannot read {value!r} as an instant: write the date and time, e.g. "
                        f"2024-03-01T09:00+07:00")
    if isinstance(value, datetime | date | str):
        try:
            ts = pd.Timestamp(value)
        except (ValueError, TypeError) as exc:
            raise SpecError(f"cannot read {value!r} as an instant: write it as "
                            f"2024-03-01T09:00+07:00 ({exc})") from None
        if pd.isna(ts):
            raise SpecError(f"cannot read {value!r} as an instant")
        if not FIRST_YEAR <= ts.year <= LAST_YEAR:
            raise SpecError(f"{value} lies outside the years {FIRST_YEAR} .. {LAST_YEAR} that "
                            f"working calendars and timestamps cover: check the year")
        return ts.as_unit("ns")
    raise SpecError(f"expected an instant such as 2024-03-01T09:00+07:00, got {value!r}")


Instant = Annotated[pd.Timestamp, BeforeValidator(_timestamp), PlainSerializer(str)]


def _instants(value: Any) -> list[pd.Timestamp]:
    if not isinstance(value, list | tuple):
        raise SpecError(f"expected a list of instants, got {value!r}")
    out, problems = [], []
    for i, v in enumerate(value):
        try:
            out.append(_timestamp(v))
        except SpecError as exc:
            problems += [(f"[{i}]", m) for _, m in exc.problems]
    if problems:
        raise SpecError(problems)
    return out


Instants = Annotated[list[pd.Timestamp], BeforeValidator(_instants),
                     PlainSerializer(lambda ts: [str(t) for t in ts])]


def _zone(value: Any) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise SpecError(f"unknown time zone {value!r}: use an IANA name such as Asia/Tomsk or "
                        f"Europe/Moscow") from None
    return str(value)


Zone = Annotated[str | None, BeforeValidator(_zone)]
Probability = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]


# ---- the schema ------------------------------------------------------------------------------

class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class ResourceSpec(_Spec):
    """A resource pool and its cost data (read by the cost module)."""

    count: int | None = Field(None, ge=0)
    calendar: CalendarRef = None
    cost_per_hour: NonNegative | None = None
    monthly_salary: NonNegative | None = None
    payroll_taxes: NonNegative | None = None  # a fraction of the salary, e.g. 0.302
    overhead: NonNegative | None = None  # a fraction, e.g. 0.35
    practical_capacity: Annotated[float, Field(gt=0, le=1)] | None = None
    hours_per_month: Annotated[float, Field(gt=0)] | None = None
    cost_per_use: NonNegative | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _bounded_count(self) -> ResourceSpec:
        # the engine keeps one entry per unit: a count of 10**9 would exhaust memory
        if self.count is not None and self.count > MAX_UNITS.value:
            raise SpecError(MAX_UNITS.message(f"{self.count:,}"), "count")
        return self

    @model_validator(mode="after")
    def _one_rate(self) -> ResourceSpec:
        if self.cost_per_hour is not None and self.monthly_salary is not None:
            raise SpecError("give cost_per_hour or monthly_salary (with payroll_taxes and "
                            "overhead), not both")
        return self


class ByResource:
    """``duration: {by_resource: {pool: dist, ...}}``: a duration per pool."""

    def __init__(self, by_pool: dict[str, Distribution], source: Any) -> None:
        self.by_pool = by_pool
        self.source = source

    def __repr__(self) -> str:
        return f"ByResource({self.by_pool!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ByResource) and other.by_pool == self.by_pool

    __hash__ = None  # type: ignore[assignment]


def _activity_duration(value: Any) -> Distribution | ByResource:
    if isinstance(value, Mapping) and "by_resource" in value:
        if len(value) != 1:
            raise SpecError("by_resource stands alone: put min / max / unit inside each pool's "
                            "distribution")
        body = value["by_resource"]
        if not isinstance(body, Mapping) or not body:
            raise SpecError("expected a mapping of pool: distribution", "by_resource")
        by_pool: dict[str, Distribution] = {}
        problems: list[tuple[str, str]] = []
        for pool, dist in body.items():
            try:
                by_pool[str(pool)] = read_distribution(dist, dimension="time")
            except SpecError as exc:
                problems += [(join_place(f"by_resource.{pool}", p), m) for p, m in exc.problems]
        if problems:
            raise SpecError(problems)
        return ByResource(by_pool, value)
    return read_distribution(value, dimension="time")


ActivityDuration = Annotated[
    Any, BeforeValidator(_activity_duration), PlainSerializer(_source_of)
]


class LoopSpec(_Spec):
    """A standard loop: repeat with `probability` after each pass, at most `max` times."""

    probability: Probability
    max: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _ends(self) -> LoopSpec:
        if self.probability >= 1 and self.max is None:
            raise SpecError("probability 1 with no max repeats forever: lower the probability "
                            "or set max")
        return self


class ActivitySpec(_Spec):
    """Scenario data of one activity (see ActivityPlan for the meaning)."""

    resource: PoolNames | None = None
    duration: ActivityDuration | None = None
    wait: TimeDistribution | None = None
    value: ValueTag = None
    approval: bool = False
    client: bool = False
    paper_documents: int = Field(0, ge=0)
    cost_per_execution: NonNegative = 0.0
    instances: Count = None
    loop: LoopSpec | None = None


def _gateway(source: Any) -> GatewaySpec:
    if not isinstance(source, Mapping) or not source:
        raise SpecError("expected branch probabilities {<branch>: 0.8, <branch>: 0.2} or "
                        "{conditions: {<branch>: 'amount > 3000', <branch>: default}}, and/or "
                        "{interleave: true} on a parallel or inclusive split")
    # `interleave` is a reserved key (scenario/interleave.py), not a branch
    interleave = source.get("interleave", False)
    if not isinstance(interleave, bool):
        raise SpecError(f"expected true or false, got {interleave!r}", "interleave")
    value = {k: v for k, v in source.items() if k != "interleave"}
    if "conditions" in value:
        if len(value) != 1:
            raise SpecError("give either conditions or probabilities, not both")
        body = value["conditions"]
        if not isinstance(body, Mapping) or not body:
            raise SpecError("expected a mapping of branch: condition", "conditions")
        conditions: dict[str, Condition] = {}
        problems: list[tuple[str, str]] = []
        for branch, text in body.items():
            try:
                conditions[str(branch)] = parse_condition(text)
            except SpecError as exc:
                problems += [(f"conditions.{branch}", m) for _, m in exc.problems]
        if problems:
            raise SpecError(problems)
        return GatewaySpec(probabilities={}, conditions=conditions, source=source,
                           interleave=interleave)
    probabilities: dict[str, float] = {}
    problems = []
    for branch, p in value.items():
        ok = isinstance(p, numbers.Real) and not isinstance(p, bool)
        if not ok or not 0 <= float(p) <= 1:
            problems.append((str(branch), f"a probability must be a number in [0, 1], got {p!r}"))
        else:
            probabilities[str(branch)] = float(p)
    if problems:
        raise SpecError(problems)
    return GatewaySpec(probabilities=probabilities, conditions={}, source=source,
                       interleave=interleave)


class GatewaySpec:
    """Branch probabilities or conditions of one gateway, keyed by branch as written, and
    whether its block's branches are worked one at a time (`interleave`)."""

    def __init__(self, probabilities: dict[str, float], conditions: dict[str, Condition],
                 source: Any, interleave: bool = False) -> None:
        self.probabilities = probabilities
        self.conditions = conditions
        self.source = source
        self.interleave = interleave

    def __repr__(self) -> str:
        return f"GatewaySpec({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, GatewaySpec) and other.probabilities == self.probabilities
                and other.conditions == self.conditions and other.interleave == self.interleave)

    __hash__ = None  # type: ignore[assignment]


GatewayField = Annotated[Any, BeforeValidator(_gateway), PlainSerializer(_source_of)]


class EventSpec(_Spec):
    """A timer's `duration`; a boundary event's `probability` and `after`; a catch event's
    `after` (when its message arrives)."""

    duration: TimeDistribution | None = None
    probability: Probability | None = None
    after: TimeDistribution | None = None


class ArrivalsSpec(_Spec):
    """Arrivals: `interarrival` or `rate` (arrivals.py) with `cases` / `horizon`; or `times`."""

    interarrival: TimeDistribution | None = None
    rate: RateField | None = None
    calendar: CalendarRef = None
    cases: int | None = Field(None, ge=1)
    horizon: ClockDuration | None = None
    times: Instants | None = None


class DefaultsSpec(_Spec):
    """What activities without their own data get."""

    duration: TimeDistribution | None = None
    resource: PoolNames | None = None


class FixedCostsSpec(_Spec):
    per_case: NonNegative = 0.0


def _path_text(value: Any) -> Any:
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _attributes(value: Any) -> Any:
    if isinstance(value, Mapping):
        bad = [k for k in value if not re.fullmatch(r"[^\W\d]\w*", str(k))]
        if bad:
            raise SpecError([(str(k), "an attribute name is one word of letters, digits and _ "
                                      "(conditions refer to it), e.g. amount or doc_count")
                             for k in bad])
    return value


def _targets(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: (f"== {v:g}" if isinstance(v, numbers.Real) and not isinstance(v, bool)
                    else v) for k, v in value.items()}
    return value


class Scenario(_Spec):
    """A simulation scenario for one process model: load with `Scenario.load`, then `bind`."""

    name: str | None = None
    description: str | None = None
    model: Annotated[str | None, BeforeValidator(_path_text)] = None
    start: Instant | None = None
    timezone: Zone = None
    calendar: CalendarRef = None
    calendars: dict[str, CalendarRef] = {}
    arrivals: ArrivalsSpec | None = None
    case_attributes: Annotated[dict[str, AttributeDistribution],
                               BeforeValidator(_attributes)] = {}
    resources: dict[str, ResourceSpec] = {}
    defaults: DefaultsSpec = DefaultsSpec()
    activities: dict[str, ActivitySpec] = {}
    gateways: dict[str, GatewayField] = {}
    events: dict[str, EventSpec] = {}
    fixed_costs: FixedCostsSpec = FixedCostsSpec()
    case_speed: CaseSpeedSpec | None = None
    targets: Annotated[dict[str, str], BeforeValidator(_targets)] = {}
    warmup: ClockDuration | None = None

    _base_dir: Path | None = PrivateAttr(default=None)
    _source: str | None = PrivateAttr(default=None)

    # ---- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, source: Any, *, base_dir: str | os.PathLike[str] | None = None) -> Scenario:
        """A scenario from a .yaml / .yml / .json path, YAML or JSON text, or a mapping.

        A relative ``model:`` path is resolved against the scenario file's folder (or
        `base_dir`, or the current folder for text and mappings). Every problem found is
        listed in one `ScenarioError`.
        """
        if isinstance(source, Scenario):
            return source
        data, folder, label = load_mapping(source)
        try:
            scenario = cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(validation_problems(exc, Scenario), source=label) from None
        scenario._base_dir = Path(base_dir) if base_dir is not None else folder
        scenario._source = label
        return scenario

    @property
    def source(self) -> str | None:
        """The file the scenario was read from, if any."""
        return self._source

    @property
    def model_path(self) -> Path | None:
        """``model:`` as a path, resolved against the scenario file's folder."""
        if self.model is None:
            return None
        path = Path(self.model).expanduser()
        if not path.is_absolute() and self._base_dir is not None:
            path = self._base_dir / path
        return path

    def to_yaml(self, path: str | os.PathLike[str] | None = None) -> str:
        """The scenario as YAML a person edits: a comment on each section (what it is, the
        units), durations in human units, stable key order; `Scenario.load` reads it back to an
        equal scenario. With `path`, also written there (all or nothing), ``model:`` made
        relative to the file's folder.
        """
        from leanproc.scenario.writing import scenario_yaml, write_scenario

        if path is None:
            return scenario_yaml(self)
        return write_scenario(self, path).read_text(encoding="utf-8")

    def bind(self, model: ProcessModel | None = None) -> BoundScenario:
        """Resolve every name against `model` (read from ``model:`` when None) and validate.

        See binding.py for the rules; all problems come in one `ScenarioError`.
        """
        from leanproc.scenario.binding import bind

        return bind(self, model)
