"""The bound scenario: what the engine reads, every name already resolved to a BPMN id.

`Scenario.bind(model)` returns a `BoundScenario`. Nothing here is optional by accident: a field
that is None or empty means "none" (no resource: a pure delay; no duration: zero time), because
every missing datum the engine would need has been reported by the binder already.

Times are float seconds. A distribution whose `working` flag is set gives working seconds, to be
added with the calendar that governs it (the pool's calendar for work on a pool, else the
scenario's default calendar; the arrival calendar for inter-arrival times). Working days (``wd``)
are already converted with that calendar's day length.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc.scenario.distributions import Distribution
from leanproc.scenario.durations import SpecError

if TYPE_CHECKING:
    from leanproc.bpmn.model import ProcessModel
    from leanproc.calendar import Calendar
    from leanproc.scenario.arrivals import RateProfile
    from leanproc.scenario.case_speed import CaseSpeedSpec
    from leanproc.scenario.interleave import InterleavedBlock
    from leanproc.scenario.spec import ResourceSpec, Scenario

__all__ = [
    "ActivityPlan",
    "ArrivalPlan",
    "BoundScenario",
    "Condition",
    "EventPlan",
    "FrozenMap",
    "GatewayPlan",
    "PoolPlan",
    "parse_condition",
]


class FrozenMap(dict):  # type: ignore[type-arg]
    """A read-only dict that pickles (MappingProxyType does not), so plans cross processes."""

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a bound scenario is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


@dataclass(frozen=True)
class ArrivalPlan:
    """How cases arrive: by inter-arrival times or at fixed instants, until a bound.

    `interarrival` is measured in `calendar`'s working time when the calendar is set (arrivals
    then happen only while it is open). `rate`, instead of `interarrival`, makes arrivals a
    non-homogeneous Poisson process (scenario/arrivals.py), also only while `calendar` is open.
    The run stops creating cases after `cases` arrivals or at `horizon_end`, whichever comes
    first.
    """

    interarrival: Distribution | None
    times: tuple[pd.Timestamp, ...] | None  # tz-aware, sorted
    cases: int | None
    horizon_end: pd.Timestamp | None
    calendar: Calendar | None
    rate: RateProfile | None = None


@dataclass(frozen=True)
class PoolPlan:
    """A resource pool: `count` interchangeable units working on `calendar` (None: default)."""

    name: str
    count: int
    calendar: Calendar | None
    spec: ResourceSpec


@dataclass(frozen=True)
class ActivityPlan:
    """What an activity does in the simulation.

    `pools` are alternatives (the engine takes a free unit from any); empty means a pure delay.
    The duration drawn is `duration_by_pool[pool]` when the chosen pool has one, else
    `duration`; None means zero. `wait` is a delay before the work that holds no resource.
    `instances` (int or a count distribution) is the multi-instance count; `loop_probability`
    the chance to repeat a standard loop, at most `loop_max` times.
    """

    node_id: str
    pools: tuple[str, ...]
    duration: Distribution | None
    duration_by_pool: Mapping[str, Distribution]
    wait: Distribution | None
    value: str | None
    approval: bool
    client: bool
    paper_documents: int
    cost_per_execution: float
    instances: Distribution | int | None
    loop_probability: float | None
    loop_max: int | None


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_CONDITION = re.compile(
    r"^\s*(?P<attr>[^\W\d]\w*)\s*(?P<op>==|!=|<=|>=|<|>|=)\s*(?P<value>[^<>=!\s].*?)\s*$"
)
_DEFAULT_WORDS = ("default", "else", "otherwise")


@dataclass(frozen=True)
class Condition:
    """A branch condition on case attributes: ``amount > 3000``, ``kind == urgent``, ``default``.

    Numbers compare as numbers; anything else compares as text (only ``==`` and ``!=``). The
    ``default`` condition (`op` ``default``) holds always; the engine checks it last.
    """

    attribute: str | None
    op: str
    value: float | str | None

    def holds(self, attributes: Mapping[str, object]) -> bool:
        if self.op == "default":
            return True
        if self.attribute is None or self.attribute not in attributes:
            return False
        actual = attributes[self.attribute]
        if isinstance(self.value, float):
            try:
                number = float(actual)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return self.op == "!="
            if math.isnan(number):
                return self.op == "!="
            return _OPS[self.op](number, self.value)
        if self.op not in ("==", "!="):
            return False
        return _OPS[self.op](str(actual), self.value)

    def __str__(self) -> str:
        if self.op == "default":
            return "default"
        value = f"{self.value:g}" if isinstance(self.value, float) else self.value
        return f"{self.attribute} {self.op} {value}"


def parse_condition(text: Any) -> Condition:
    """``"amount > 3000"``, ``"kind == urgent"``, ``"kind != 'two words'"`` or ``default``."""
    if not isinstance(text, str):
        raise SpecError(f"a condition is text such as 'amount > 3000' or 'default', got {text!r}")
    if text.strip().casefold() in _DEFAULT_WORDS:
        return Condition(None, "default", None)
    m = _CONDITION.match(text)
    if not m:
        raise SpecError(f"cannot read the condition {text!r}: write '<attribute> <op> <value>' "
                        f"with op one of ==, !=, <, <=, >, >= (e.g. 'amount > 3000'), or 'default'")
    op = "==" if m["op"] == "=" else m["op"]
    raw = m["value"]
    value: float | str
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        value = raw[1:-1]
    else:
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            value = raw
        if isinstance(value, float) and not math.isfinite(value):  # "nan", "inf" are words
            value = raw
    if isinstance(value, str) and op not in ("==", "!="):
        raise SpecError(f"the condition {text!r} orders text: <, <=, >, >= need a number")
    return Condition(m["attr"], op, value)


@dataclass(frozen=True)
class GatewayPlan:
    """How a split gateway chooses its outgoing flows.

    Exclusive: `probabilities` sum to 1 (flows not listed are never taken) or `conditions` are
    checked in order, the first that holds wins, else `default_flow`. Inclusive and complex:
    each probability is an independent chance of that flow, and every condition that holds
    opens its flow (`default_flow` when none does).
    """

    node_id: str
    probabilities: Mapping[str, float]
    conditions: Mapping[str, Condition]
    default_flow: str | None


@dataclass(frozen=True)
class EventPlan:
    """Data for one event: a timer's `duration`, or the instant `at` it fires (a BPMN
    timeDate); a boundary event's firing `probability` and `after` (when it fires, from the
    activity's start); a catch event's `after` (when its message or signal arrives, from when the
    token reaches it)."""

    node_id: str
    duration: Distribution | None
    probability: float | None
    after: Distribution | None
    at: pd.Timestamp | None = None


@dataclass(frozen=True)
class BoundScenario:
    """A scenario resolved against its model: the engine's whole input.

    `activities` holds every task and every call activity without a called process, reachable
    or not, plus subprocesses the scenario mentions; `gateways` every exclusive, inclusive or
    complex gateway with more than one outgoing flow; `events` the events the scenario or a
    BPMN timer gives data for. `calendar` is the default calendar (None: 24x7). `case_speed`
    holds the per-case factors' spreads (see case_speed.py).
    """

    model: ProcessModel
    scenario: Scenario
    start: pd.Timestamp
    tz: tzinfo
    calendar: Calendar | None
    arrivals: ArrivalPlan
    pools: Mapping[str, PoolPlan]
    activities: Mapping[str, ActivityPlan]
    gateways: Mapping[str, GatewayPlan]
    events: Mapping[str, EventPlan]
    case_attributes: Mapping[str, Distribution]
    fixed_cost_per_case: float
    targets: Mapping[str, str]
    warmup: float
    calendars: Mapping[str, Calendar | None] = FrozenMap()  # the named calendars, parsed
    case_speed: CaseSpeedSpec | None = None  # None: no per-case factor (all sigmas 0)
    # the blocks whose activities run one at a time within a case, by split id (interleave.py)
    interleaved: Mapping[str, InterleavedBlock] = FrozenMap()
