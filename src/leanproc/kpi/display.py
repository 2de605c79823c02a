"""Flat KPI values as people read them: which KPIs come first, and in which unit they are shown.

Shared by every view of KPIs (a simulation result's notebook display, the report's tables, the
command line), so that a lead time reads in hours and a share in percent everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leanproc.kpi.report import unit_of

__all__ = ["DEFAULT_KPIS", "display_value", "flat_kpis"]

# What a process office looks at first, in this order. With a calendar the working-time form
# of a measure comes first and its clock form after it; without one the working forms are
# absent and the views skip them.
DEFAULT_KPIS = (
    "lead_time_working.mean",
    "lead_time.mean",
    "lead_time.median",
    "lead_time.p90",
    "processing_working.mean",
    "processing.mean",
    "waiting_working.mean",
    "waiting.mean",
    "pce_working",
    "pce",
    "throughput.per_day",
    "wip.mean",
    "unfinished_share",
)


def display_value(key: str, value: float) -> tuple[float, str]:
    """A flat KPI value for people: seconds as hours, fractions as percent."""
    head = key.split(".", 1)[0]
    if head in ("cost", "saving"):  # the cost layer's flat names: roubles
        return value, "₽"
    if head == "labour_hours":
        return value, "h"
    if head == "fte":
        return value, ""
    unit = unit_of(key)
    if unit == "s":
        return value / 3600.0, "h"
    if unit == "share":
        return value * 100.0, "%"
    if unit == "cases" and not key.startswith(("wip", "cases")):
        return value, ""  # unit_of's fallback: lean structure counts and user KPIs
    return value, "" if unit == "count" else unit


def flat_kpis(data: Any) -> dict[str, float]:
    """Flat KPI values from a `KPIReport`, a `SimulationResult`, `Replications` (means), a
    `Structure` (lean counts) or a plain mapping."""
    if data is None:
        return {}
    if isinstance(data, Mapping):
        return {str(k): float(v) for k, v in data.items()}
    if hasattr(data, "results") and hasattr(data, "summary"):  # Replications
        return {str(k): float(v) for k, v in data.summary()["mean"].items()}
    if hasattr(data, "kpi") and not hasattr(data, "as_dict"):  # SimulationResult
        data = data.kpi
    if hasattr(data, "as_dict"):
        try:
            values = data.as_dict(activities=False)
        except TypeError:  # Structure.as_dict takes no options
            values = data.as_dict()
        return {str(k): float(v) for k, v in values.items() if not str(k).startswith("activity.")}
    raise TypeError(f"cannot read KPIs from {type(data).__name__}")
