"""`assert_targets`: a target check that reads like a test failure should."""

from __future__ import annotations

from typing import Any

from leanproc.targets import TargetReport, TargetsNotMet, evaluate

__all__ = ["assert_targets", "targets_of"]


def targets_of(subject: Any) -> Any:
    """The targets a result carries: a comparison's, else its scenario's ``targets:``."""
    if hasattr(subject, "target_report") and hasattr(subject, "targets"):  # a Comparison
        return subject.targets
    results = getattr(subject, "results", None)
    first = results[0] if results else subject
    bound = getattr(first, "bound", None)
    return bound.targets if bound is not None and bound.targets else None


def _name_of(subject: Any) -> str:
    if hasattr(subject, "names") and hasattr(subject, "after"):
        return str(subject.names[1])
    results = getattr(subject, "results", None)
    first = results[0] if results else subject
    scenario = getattr(getattr(first, "bound", None), "scenario", None)
    return str(getattr(scenario, "name", None) or "the process")


def assert_targets(subject: Any, targets: Any = None, *, volume_per_year: float | None = None,
                   name: str | None = None) -> TargetReport:
    """Fail (`TargetsNotMet`, an AssertionError) unless every target is met.

    `subject` is a `SimulationResult`, `Replications`, a `Comparison` (its TO-BE side) or a
    mapping of KPI values; `targets` anything `leanproc.targets.parse_targets` reads (a
    mapping, ``"<kpi> <op> <bound>"`` texts, a targets file), by default the subject's own
    (the scenario's ``targets:``). A target is met when its whole 95 % confidence interval
    satisfies the bound. The message names the failing KPIs first, then every target with its
    value, interval and bound. Returns the `TargetReport` when all pass.

    >>> assert_targets(simulate("to-be.yaml", replications=10), {"lead_time.mean": "<= 24h"})
    ... # doctest: +SKIP
    """
    if targets is None:
        targets = targets_of(subject)
        if targets is None:
            raise ValueError("assert_targets: no targets given and the subject carries none; "
                             "pass targets={'lead_time.mean': '<= 24h', ...}")
    report = evaluate(subject, targets, volume_per_year=volume_per_year)
    if not report.outcomes:
        raise ValueError("assert_targets: the target set is empty")
    if report.passed:
        return report
    failing = [o for o in report if not o.passed]
    who = name or _name_of(subject)
    head = (f"{len(failing)} of {len(report.outcomes)} targets not met for {who}: "
            + ", ".join(o.target.kpi for o in failing))
    lines = [head]
    lines += [("  ✗ " if not o.passed else "  ✓ ") + o.describe() for o in report]
    raise TargetsNotMet("\n".join(lines))
