"""Turn leanproc objects into the plain pandas data the figures and tables draw.

Every figure takes plain data (Series, DataFrames, dicts); these adapters let a user pass
what they have instead — an event log, a `SimulationResult`, `Replications`, a `KPIReport` —
without the report layer importing the simulator (duck typing keeps data flowing one way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc.errors import LogError
from leanproc.kpi.inputs import case_start_series

__all__ = [
    "activity_values",
    "case_starts",
    "kpi_report_of",
    "lead_time_hours",
    "lead_times_from_log",
    "per_activity_of",
    "processing_form",
    "utilisation_of",
]

_HOUR = 3600.0


def lead_times_from_log(log: pd.DataFrame) -> pd.Series:
    """Lead time in hours of every case of a log in the one schema (last completion minus the
    case start, its earliest instant: the lead time the KPIs count)."""
    missing = [c for c in (schema.CASE, schema.END) if c not in log.columns]
    if missing:
        raise LogError(
            f"the log has no column {', '.join(missing)}; a log in the leanproc schema "
            f"(see leanproc.log) is needed to compute lead times"
        )
    case = log[schema.CASE].astype(str)
    end = log.groupby(case, sort=False, observed=True)[schema.END].max()
    start = case_starts(log)
    hours = (end - start).dt.total_seconds() / _HOUR
    return hours.rename("lead_time_h")


def case_starts(log: pd.DataFrame) -> pd.Series:
    """When each case began, by the rule of `leanproc.log` (its earliest instant, as the KPIs
    count it: `leanproc.kpi.inputs.case_start_series`); index: case id as text."""
    return case_start_series(log)


def lead_time_hours(data: Any) -> pd.Series:
    """Lead times in hours from a Series / array of hours, a log, a `SimulationResult`,
    `Replications` or a `KPIReport` (finished cases only)."""
    if isinstance(data, pd.Series):
        return data.astype(float).dropna()
    if isinstance(data, pd.DataFrame):
        return lead_times_from_log(data).dropna()
    if hasattr(data, "results") and hasattr(data, "summary"):  # Replications
        return pd.concat([lead_time_hours(r) for r in data.results], ignore_index=True)
    if hasattr(data, "lead_times") and hasattr(data, "log"):  # SimulationResult
        return data.lead_times.astype(float)
    if hasattr(data, "per_case") and hasattr(data, "as_dict"):  # KPIReport
        per_case = data.per_case
        done = per_case[per_case["finished"]] if "finished" in per_case else per_case
        return (done["lead"].astype(float) / _HOUR).dropna().reset_index(drop=True)
    if isinstance(data, Mapping):
        return pd.Series(data, dtype=float).dropna()
    values = np.asarray(data, dtype=float)
    return pd.Series(values[np.isfinite(values)], name="lead_time_h")


def kpi_report_of(data: Any) -> Any:
    """The `KPIReport` of a `SimulationResult` (its ``kpi``), or the report itself."""
    if hasattr(data, "per_activity") and hasattr(data, "as_dict"):
        return data
    if hasattr(data, "kpi"):
        return data.kpi
    if hasattr(data, "results"):  # Replications: the first replication's tables
        return data.results[0].kpi
    raise TypeError(f"expected a KPIReport or SimulationResult, got {type(data).__name__}")


def activity_values(data: Any, measure: str = "waiting") -> pd.Series:
    """Per-activity value to colour a diagram by, in hours (or currency for ``cost``).

    `data` is a `KPIReport`, a `SimulationResult`, or a per-activity DataFrame with an
    ``activity`` column; `measure` is ``waiting`` (mean waiting per instance), ``processing``
    (mean processing), ``waiting_total`` / ``processing_total`` (summed over instances: where
    the time goes in total) or any numeric column of the per-activity table.

    Processing is in working time when the table has it (a run with a calendar: a 90-minute
    task paused overnight shows 1.5 h, not the 17 clock hours it spans), else in clock time;
    the Series' name says which (``processing_working`` or ``processing``, with ``_total``).
    """
    if isinstance(data, pd.Series):
        return data.astype(float)
    table = per_activity_of(data)
    names = table["activity"].astype(str)
    processing = processing_form(table)
    if measure == "waiting":
        values = table["waiting_mean"] / _HOUR
    elif measure == "processing":
        values = table[f"{processing}_mean"] / _HOUR
        measure = processing
    elif measure == "waiting_total":
        values = table["waiting_mean"] * table["count"] / _HOUR
    elif measure == "processing_total":
        total = f"{processing}_total"
        values = (table[total] if total in table.columns
                  else table[f"{processing}_mean"] * table["count"]) / _HOUR
        measure = total
    elif measure in table.columns:
        values = table[measure]
    else:
        raise ValueError(
            f"unknown measure {measure!r}: use waiting, processing, waiting_total, "
            f"processing_total or a column of the per-activity table ({', '.join(table.columns)})"
        )
    return pd.Series(values.to_numpy(dtype=float), index=names.to_numpy(), name=measure)


def processing_form(table: pd.DataFrame) -> str:
    """``processing_working`` when a per-activity table has processing in working time (a run
    with a calendar), else ``processing``: the column prefix the report's views show."""
    return "processing_working" if "processing_working_mean" in table.columns else "processing"


def per_activity_of(data: Any) -> pd.DataFrame:
    """The per-activity table with an ``activity`` column, from a `KPIReport`, a streaming
    run's summary (which indexes it by name), a `SimulationResult` or the table itself."""
    table = data if isinstance(data, pd.DataFrame) else kpi_report_of(data).per_activity
    if "activity" not in table.columns:
        table = table.rename_axis("activity").reset_index()
    if "activity" not in table.columns:
        raise TypeError("a per-activity table needs an 'activity' column")
    return table


def utilisation_of(data: Any) -> pd.Series:
    """Utilisation per pool (fractions) from a dict, Series, `SimulationResult` or `KPIReport`."""
    if isinstance(data, pd.Series):
        return data.astype(float)
    if isinstance(data, Mapping):
        return pd.Series(dict(data), dtype=float)
    if hasattr(data, "kpi"):
        data = data.kpi
    if hasattr(data, "utilisation") and isinstance(data.utilisation, Mapping):
        return pd.Series(dict(data.utilisation), dtype=float)
    raise TypeError(f"cannot read utilisation from {type(data).__name__}")
