"""Scenarios: what a user writes about a process model, and the bound form the engine runs.

>>> from leanproc.scenario import Scenario
>>> scenario = Scenario.load("taxi-permit.scenario.yaml")   # doctest: +SKIP
>>> bound = scenario.bind()                                 # reads scenario.model_path
>>> bound.activities["Task_Approve"].duration.mean()        # doctest: +SKIP

The pieces live in small modules: durations.py (``90min``, ``2wd``, ``PT72H``),
distributions.py (samplers), spec.py (the schema; spec_errors.py turns its validation errors
into located problems), loading.py (YAML / JSON files, under size
limits), encoding.py (UTF-8 or Windows-1251 text), binding.py
(names to ids, and every check that needs the model) and plans.py (the bound scenario: the
engine's contract). `leanproc.simulation` runs a bound scenario; nothing here depends on it.
"""

from leanproc.scenario.binding import bind, reachable_nodes
from leanproc.scenario.distributions import Distribution, parse_distribution
from leanproc.scenario.durations import Duration, parse_duration, parse_rate
from leanproc.scenario.plans import (
    ActivityPlan,
    ArrivalPlan,
    BoundScenario,
    Condition,
    EventPlan,
    GatewayPlan,
    PoolPlan,
    parse_condition,
)
from leanproc.scenario.spec import (
    ActivitySpec,
    ArrivalsSpec,
    ByResource,
    DefaultsSpec,
    EventSpec,
    FixedCostsSpec,
    GatewaySpec,
    LoopSpec,
    ResourceSpec,
    Scenario,
)

__all__ = [
    "ActivityPlan",
    "ActivitySpec",
    "ArrivalPlan",
    "ArrivalsSpec",
    "BoundScenario",
    "ByResource",
    "Condition",
    "DefaultsSpec",
    "Distribution",
    "Duration",
    "EventPlan",
    "EventSpec",
    "FixedCostsSpec",
    "GatewayPlan",
    "GatewaySpec",
    "LoopSpec",
    "PoolPlan",
    "ResourceSpec",
    "Scenario",
    "bind",
    "parse_condition",
    "parse_distribution",
    "parse_duration",
    "parse_rate",
    "reachable_nodes",
]
