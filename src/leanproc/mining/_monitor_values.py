"""The monitored KPI: per-case values ordered by end time, and the figure per period.

Cases count in the period in which they end (a change shows in the cases finished after it).
Unfinished cases are left out: their lead time is not known yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leanproc.durations import DurationError, read_duration
from leanproc.errors import LogError
from leanproc.kpi.report import KPIReport
from leanproc.log import CASE, COST

__all__ = ["CaseValues", "KpiSpec", "case_values", "kpi_spec", "period_starts", "period_table"]

_DURATIONS = {"lead_time": "lead", "lead_time_working": "lead_working", "waiting": "waiting",
              "waiting_working": "waiting_working"}
_SLA = re.compile(r"^sla_share\((?P<deadline>[^()]+)\)$")
# pandas offset aliases whose Period spelling differs (period starts are what the chart shows)
_PERIOD_ALIAS = {"MS": "M", "ME": "M", "QS": "Q", "QE": "Q", "YS": "Y", "YE": "Y", "AS": "Y"}
_KNOWN = "lead_time, lead_time_working, waiting, waiting_working, cost, throughput, sla_share(24h)"


@dataclass(frozen=True)
class KpiSpec:
    """What is monitored: `name`, the per-case column tested for a change, the deadline of an
    SLA share (seconds; working seconds when `working`), whether it needs a calendar."""

    name: str
    column: str
    deadline: float | None = None
    working: bool = False

    @property
    def per_period(self) -> bool:
        """Throughput and SLA share exist only per period: the chart shows a rate / a share."""
        return self.name == "throughput" or self.deadline is not None

    @property
    def flat(self) -> str:
        """The flat KPI name (`kpis().as_dict()`) that the comparison reports."""
        if self.name == "throughput":
            return "throughput.per_day"
        return self.name if self.deadline is not None else f"{self.name}.mean"


def kpi_spec(kpi: str, calendar: Any) -> KpiSpec:
    """Read the `kpi` argument; a LogError naming the known KPIs when it is not one."""
    if kpi in _DURATIONS:
        spec = KpiSpec(kpi, _DURATIONS[kpi], working=kpi.endswith("_working"))
    elif kpi == "cost":
        spec = KpiSpec(kpi, "cost")
    elif kpi == "throughput":
        spec = KpiSpec(kpi, "gap")
    elif (match := _SLA.match(str(kpi))) is not None:
        try:
            deadline = read_duration(match["deadline"])
        except DurationError as exc:
            raise LogError(f"kpi={kpi!r}: the deadline is not a duration ({exc}); write e.g. "
                           "'sla_share(24h)' or 'sla_share(3wd)'", source="monitor") from None
        column = "lead_working" if deadline.working else "lead"
        spec = KpiSpec(kpi, column, deadline.seconds, deadline.working)
    else:
        raise LogError(f"kpi={kpi!r} is not a KPI monitor knows: use one of {_KNOWN}",
                       source="monitor")
    if spec.working and calendar is None:
        raise LogError(f"kpi={kpi!r} is in working time and needs a calendar: pass "
                       "calendar='ru-5x8@Europe/Moscow' (or your calendar)", source="monitor")
    return spec


@dataclass(frozen=True)
class CaseValues:
    """Finished cases in end-time order: ``case``, ``end``, ``start``, ``lead`` (clock seconds),
    ``value`` (the tested column) and
    ``charted`` (the per-case figure the chart averages: the value, or 0/1 within an SLA)."""

    table: pd.DataFrame


def case_values(report: KPIReport, log: pd.DataFrame, spec: KpiSpec) -> CaseValues:
    """The per-case values of `spec` from the KPIs of the whole log."""
    cases = report.per_case
    done = cases[cases["finished"].astype(bool)].sort_values("end", kind="stable")
    table = pd.DataFrame({"case": done[CASE].to_numpy(), "end": done["end"].to_numpy(),
                          "start": done["start"].to_numpy(),
                          "lead": done["lead"].to_numpy(dtype=float)})
    if spec.name == "cost":
        if COST not in log.columns:
            raise LogError("kpi='cost' needs a 'cost' column in the log (money per activity "
                           "instance): price the log with process_cost(...) first, or monitor "
                           "a time KPI", source="monitor")
        per_case = log.groupby(CASE, sort=False)[COST].sum(min_count=1)
        table["value"] = per_case.reindex(table["case"]).to_numpy(dtype=float)
    elif spec.name == "throughput":
        # a case-level form of a rate: the gap since the previous completion
        ends = table["end"].astype("int64").to_numpy()
        gaps = np.diff(ends, prepend=ends[:1]) / 1e9
        table["value"] = np.where(np.arange(len(ends)) == 0, np.nan, gaps)
    else:
        table["value"] = done[spec.column].to_numpy(dtype=float)
    if spec.deadline is not None:
        table["charted"] = (table["value"] <= spec.deadline).astype(float)
    else:
        table["charted"] = table["value"]
    return CaseValues(table)


def period_starts(ends: pd.Series, freq: str) -> pd.Series:
    """The start of the period each instant falls in (local time of the log's time zone)."""
    tz = ends.dt.tz
    local = ends.dt.tz_localize(None) if tz is not None else ends
    if not isinstance(freq, str) or freq[:1].isdigit():
        # pandas periods drop a multiple ('2W' is read as 'W'): refuse it rather than mislead
        raise LogError(f"freq={freq!r}: give one period without a multiple ('D', 'W', 'MS', "
                       "'QS')", source="monitor")
    alias = _PERIOD_ALIAS.get(freq, freq)
    try:
        starts = local.dt.to_period(alias).dt.start_time
    except (ValueError, TypeError) as exc:
        raise LogError(f"freq={freq!r} is not a period pandas knows ({exc}): use 'D', 'W', "
                       "'MS' or 'QS'", source="monitor") from None
    return starts.dt.tz_localize(tz) if tz is not None else starts


def period_table(values: CaseValues, spec: KpiSpec, freq: str) -> pd.DataFrame:
    """One row per period from the first to the last (empty ones with 0 cases, NaN value)."""
    t = values.table.assign(period=period_starts(values.table["end"], freq))
    groups = t.groupby("period", sort=True)
    frame = pd.DataFrame({"cases": groups.size()})
    if spec.name == "throughput":
        # cases per day of the period (the last period may be cut short by the log's end)
        span = _period_days(frame.index, freq, t["end"].max())
        frame["value"] = frame["cases"] / span
    else:
        frame["value"] = groups["charted"].mean()
        if spec.deadline is None:
            frame["median"] = groups["value"].median()
    full = _all_periods(frame.index, freq)
    frame = frame.reindex(full)
    frame["cases"] = frame["cases"].fillna(0).astype(int)
    return frame.rename_axis("period").reset_index()


def _all_periods(found: pd.Index, freq: str) -> pd.DatetimeIndex:
    stamps = pd.DatetimeIndex(found)
    tz = stamps.tz
    naive = stamps.tz_localize(None) if tz is not None else stamps
    alias = _PERIOD_ALIAS.get(freq, freq)
    span = pd.period_range(naive.min(), naive.max(), freq=alias).start_time
    return span.tz_localize(tz) if tz is not None else span


def _period_days(starts: pd.Index, freq: str, last_end: pd.Timestamp) -> np.ndarray:
    stamps = pd.DatetimeIndex(starts)
    alias = _PERIOD_ALIAS.get(freq, freq)
    naive = stamps.tz_localize(None) if stamps.tz is not None else stamps
    ends = naive.to_period(alias).end_time
    ends = ends.tz_localize(stamps.tz) if stamps.tz is not None else ends
    ends = ends.where(ends < last_end, last_end)
    days = (ends - stamps).total_seconds() / 86400.0
    return np.maximum(np.asarray(days, dtype=float), 1.0 / 24)
