"""Targets as data and their pass / fail check, for reports and CI gates.

>>> from leanproc.targets import evaluate
>>> report = evaluate(result, {"lead_time.mean": "<= 24h", "approvals": 0})  # doctest: +SKIP
>>> report.check()          # raises TargetsNotMet (an AssertionError) unless all are met

Importing this package loads neither matplotlib nor the simulator.
"""

from leanproc.targets.evaluate import (
    TargetOutcome,
    TargetReport,
    TargetsNotMet,
    evaluate,
)
from leanproc.targets.measures import measure, structure_counts
from leanproc.targets.spec import KNOWN_KPIS, Target, TargetSet, parse_targets

__all__ = [
    "KNOWN_KPIS",
    "Target",
    "TargetOutcome",
    "TargetReport",
    "TargetSet",
    "TargetsNotMet",
    "evaluate",
    "measure",
    "parse_targets",
    "structure_counts",
]
