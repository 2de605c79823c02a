"""leanproc: what will a process change do to lead time, throughput and cost, and did it?

The public surface is small and flat; each name is loaded on first use so that ``import
leanproc`` stays fast (pm4py, scipy and matplotlib load only when a function needs them).
"""

from __future__ import annotations

import importlib
from typing import Any

from leanproc.errors import (
    BPMNError,
    CalendarError,
    CalibrationError,
    LeanprocError,
    LogError,
    ScenarioError,
    SimulationError,
)

__version__ = "0.1.0"

# public name -> "module:attribute"
_LAZY = {
    "read_bpmn": "leanproc.bpmn.reader:read_bpmn",
    "write_bpmn": "leanproc.bpmn.writer:write_bpmn",
    "ProcessModel": "leanproc.bpmn.model:ProcessModel",
    "Calendar": "leanproc.calendar:Calendar",
    "Scenario": "leanproc.scenario:Scenario",
    "DEFAULT_SEED": "leanproc.inputs:DEFAULT_SEED",
    "simulate": "leanproc.simulation.run:simulate",
    "SimulationResult": "leanproc.simulation.result:SimulationResult",
    "kpis": "leanproc.kpi:kpis",
    "KPIReport": "leanproc.kpi:KPIReport",
    "confidence_interval": "leanproc.kpi:confidence_interval",
    "Replications": "leanproc.simulation.result:Replications",
    "BoundScenario": "leanproc.scenario.plans:BoundScenario",
    "parse_duration": "leanproc.scenario.durations:parse_duration",
    "parse_distribution": "leanproc.scenario.distributions:parse_distribution",
    "sweep": "leanproc.simulation.sweep:sweep",
    "compare": "leanproc.comparison.paired:compare",
    "ladder": "leanproc.comparison:ladder",
    "optimize": "leanproc.optimization.api:optimize",
    "OptimizationResult": "leanproc.optimization.result:OptimizationResult",
    "process_cost": "leanproc.cost:process_cost",
    "evaluate_targets": "leanproc.targets:evaluate",
    "from_prosimos": "leanproc.interop:from_prosimos",
    "to_prosimos": "leanproc.interop:to_prosimos",
    "calibrate": "leanproc.mining:calibrate",
    "discover": "leanproc.mining:discover",
    "conformance": "leanproc.mining:conformance",
    "validate": "leanproc.mining:validate",
    "validate_as_is": "leanproc.mining:validate_as_is",
    "monitor": "leanproc.mining:monitor",
    "MonitorReport": "leanproc.mining:MonitorReport",
    "read_log": "leanproc.eventlog:read_log",
    "write_log": "leanproc.eventlog:write_log",
}

__all__ = [
    "BPMNError",
    "CalendarError",
    "CalibrationError",
    "LeanprocError",
    "LogError",
    "ScenarioError",
    "SimulationError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'leanproc' has no attribute {name!r}")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
