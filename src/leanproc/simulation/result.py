"""What a simulation returns: the event log in the one schema, a per-case table, KPIs.

`SimulationResult` is one replication; `Replications` holds several and reports each KPI's mean
with a 95 % confidence interval across them (replications are independent, so the t interval of
the replication means is the honest one: the primary interval of every KPI).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc._view import HTMLView
from leanproc.errors import SimulationError
from leanproc.kpi import KPIReport, confidence_interval, kpis

if TYPE_CHECKING:
    from leanproc.scenario import BoundScenario
    from leanproc.simulation.engine import RawRun
    from leanproc.simulation.streaming import StreamSummary


def seconds_to_timestamps(seconds: np.ndarray, epoch: pd.Timestamp) -> pd.DatetimeIndex:
    """Float seconds since `epoch` -> tz-aware timestamps in epoch's zone (NaN -> NaT)."""
    seconds = np.asarray(seconds, dtype=np.float64)
    ns = np.full(seconds.shape, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    ok = np.isfinite(seconds)
    # int64 nanoseconds would wrap round silently (an end before its start): refuse instead
    room = (pd.Timestamp.max.value - epoch.value) / 1e9
    if ok.any() and float(seconds[ok].max()) >= room:
        raise SimulationError(
            f"the run reaches {float(seconds[ok].max()) / 86400 / 365:,.0f} years after "
            f"{epoch}, past {pd.Timestamp.max.date()}, the last instant a timestamp can hold: "
            f"check the durations' units or stop the run earlier with until")
    ns[ok] = epoch.value + np.round(seconds[ok] * 1e9).astype(np.int64)
    return pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC").tz_convert(epoch.tz)


@dataclass
class SimulationResult:
    """One simulated replication.

    `log`: one row per activity instance, columns of `leanproc.log` (categorical names).
    `cases`: one row per case: ``case:concept:name``, ``arrival``, ``end`` (NaT when unfinished
    at the horizon), ``lead_time`` (seconds) and the case attributes.
    `utilisation`: per resource pool, working time worked / working time available between the
    start and the last event (each pool on its own calendar): the definition of
    `leanproc.kpis`, which gives the same figure for ``window=(bound.start, None)`` (its
    default window starts at the first arrival instead), and whose busy hours are the labour
    hours `leanproc.process_cost` prices.
    `abandoned`: work items withdrawn while still queueing for a resource (a boundary timer
    fired, the case was terminated): case, activity, when enabled, when withdrawn. They have no
    log row because the work never started.
    """

    log: pd.DataFrame
    cases: pd.DataFrame
    utilisation: dict[str, float]
    bound: BoundScenario = field(repr=False)
    seed: int | None
    replication: int = 0
    horizon: pd.Timestamp | None = None
    events: int = 0
    activity_stats: pd.DataFrame | None = None  # streaming runs: per-activity running sums
    abandoned: pd.DataFrame | None = None  # work items withdrawn while still queueing

    @classmethod
    def from_raw(cls, raw: RawRun, bound: BoundScenario, *, seed: int | None,
                 replication: int, horizon: pd.Timestamp | None) -> SimulationResult:
        epoch = bound.start
        n_cases = len(raw.case_arrival)
        case_ids = pd.Index([str(i + 1) for i in range(n_cases)])
        codes, cats = _dedupe(raw.activity_names)
        names = pd.Categorical.from_codes(codes[raw.node_idx], categories=pd.Index(cats))
        names = names.remove_unused_categories()  # only activities, not events or gateways
        unit_codes = np.where(raw.unit >= 0, raw.unit, -1)
        resources = pd.Categorical.from_codes(unit_codes,
                                              categories=pd.Index(_unique(raw.unit_names)))
        roles = _roles(raw)
        arrival = seconds_to_timestamps(raw.case_arrival, epoch)
        log = pd.DataFrame({
            schema.CASE: pd.Categorical.from_codes(raw.case_idx, categories=case_ids)
            if n_cases else pd.Categorical([]),
            schema.ACTIVITY: names,
            schema.END: seconds_to_timestamps(raw.end, epoch),
            schema.START: seconds_to_timestamps(raw.start, epoch),
            schema.ENABLE: seconds_to_timestamps(raw.enable, epoch),
            schema.RESOURCE: resources,
            schema.ROLE: roles,
            schema.ARRIVAL: arrival[raw.case_idx] if n_cases else arrival[:0],
        })
        log = log.sort_values([schema.END], kind="stable").reset_index(drop=True)
        cases = pd.DataFrame({
            schema.CASE: case_ids.astype(str),
            "arrival": arrival,
            "end": seconds_to_timestamps(raw.case_end, epoch),
            "lead_time": raw.case_end - raw.case_arrival,
        })
        streaming = not len(raw.node_idx) and any(st[0] for st in raw.node_stats)
        activity_stats = None
        if streaming:
            cases["work"] = raw.case_work
            rows = {
                name: {"count": st[0], "waiting_mean": st[1] / st[0],
                       "processing_mean": st[2] / st[0]}
                for name, st in zip(raw.activity_names, raw.node_stats, strict=True) if st[0]
            }
            activity_stats = pd.DataFrame.from_dict(rows, orient="index")
        if raw.case_attrs and raw.case_attrs[0]:
            attrs = pd.DataFrame(raw.case_attrs)
            for col in attrs.columns:
                cases[f"case:{col}"] = attrs[col].to_numpy()
        util = {}
        for name, count, busy in zip(raw.pool_names, raw.pool_counts, raw.pool_busy,
                                     strict=True):
            plan = bound.pools[name]
            cal = plan.calendar if plan.calendar is not None else bound.calendar
            span = raw.end_time
            available = cal.timeline(epoch).between(0.0, span) if cal is not None else span
            util[name] = busy / (count * available) if available > 0 else float("nan")
        events = int(sum(st[0] for st in raw.node_stats)) if streaming else len(raw.node_idx)
        gave_up = np.asarray(raw.abandoned, dtype=float).reshape(-1, 4)
        abandoned = pd.DataFrame({
            schema.CASE: case_ids[gave_up[:, 0].astype(np.int64)].astype(str),
            schema.ACTIVITY: [raw.activity_names[int(i)] for i in gave_up[:, 1]],
            schema.ENABLE: seconds_to_timestamps(gave_up[:, 2], epoch),
            "withdrawn": seconds_to_timestamps(gave_up[:, 3], epoch),
        })
        return cls(log=log, cases=cases, utilisation=util, bound=bound, seed=seed,
                   replication=replication, horizon=horizon, events=events,
                   activity_stats=activity_stats, abandoned=abandoned)

    # ---- KPIs ---------------------------------------------------------------------------
    @property
    def streaming(self) -> bool:
        """True for a run made with ``keep_log=False``: no event log, case rows only."""
        return self.activity_stats is not None

    @cached_property
    def kpi(self) -> KPIReport | StreamSummary:
        """KPIs with the scenario's calendar, pools and SLA defaults (computed once).

        A streaming run has no event log: its KPIs come from the case table and the running
        sums (`StreamSummary`, same flat names)."""
        if self.activity_stats is not None:
            from leanproc.simulation.streaming import stream_summary

            return stream_summary(self.cases, self.activity_stats, self.utilisation,
                                  self.bound.calendar, horizon=self.horizon,
                                  warmup=self.bound.warmup or 0.0)
        return self.kpis()

    def kpis(self, calendar: Any = None, **options: Any) -> KPIReport:
        """`leanproc.kpis` on this run's log, with its case table, pool sizes and calendars."""
        bound = self.bound
        calendars = {
            name: plan.calendar for name, plan in bound.pools.items() if plan.calendar is not None
        }
        value = {
            bound.model.nodes[nid].name or nid
            for nid, plan in bound.activities.items() if plan.value == "value_adding"
        }
        options.setdefault("cases", self.cases)
        options.setdefault("capacity", {n: p.count for n, p in bound.pools.items()})
        options.setdefault("calendars", calendars or None)
        options.setdefault("value_activities", value or None)
        if bound.warmup:
            options.setdefault("warmup", pd.Timedelta(seconds=bound.warmup))
        if self.horizon is not None:
            options.setdefault("horizon", self.horizon)
        return kpis(self.log, calendar if calendar is not None else bound.calendar, **options)

    def capacity(self) -> pd.DataFrame:
        """Cases per working day each pool sustains, and the bottleneck (see capacity.py)."""
        from leanproc.simulation.capacity import capacity

        return capacity(self)

    @property
    def lead_times(self) -> pd.Series:
        """Lead time of every finished case, in hours (index: case id)."""
        done = self.cases.dropna(subset=["end"])
        return pd.Series(done["lead_time"].to_numpy() / 3600.0, index=done[schema.CASE],
                         name="lead_time_h")

    def _repr_html_(self) -> str:  # Jupyter: KPI table and lead-time figure
        return self.display()._repr_html_()

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``)."""
        # loaded when a notebook shows a result: a run needs none of the display code
        from leanproc.simulation.display import result_html

        return HTMLView(result_html(self, lang=lang), title="SimulationResult")

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write this run's KPIs (per activity, utilisation) and its parameters to an Excel
        workbook (.xlsx); labels in `lang` (``en`` / ``ru``). Returns the path."""
        from leanproc.simulation.excel import write_result

        return write_result(self, path, lang, parameters=parameters)

    def __repr__(self) -> str:
        finished = int(self.cases["end"].notna().sum())
        mean_h = self.cases["lead_time"].mean() / 3600.0
        return (f"SimulationResult({len(self.cases)} cases, {finished} finished, "
                f"{len(self.log)} activity instances, mean lead time {mean_h:.2f} h, "
                f"seed={self.seed}, replication={self.replication})")


@dataclass
class Replications:
    """Independent replications of one scenario."""

    results: list[SimulationResult]

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> SimulationResult:
        return self.results[i]

    def _repr_html_(self) -> str:  # Jupyter: KPI means with confidence intervals
        return self.display()._repr_html_()

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``)."""
        # loaded when a notebook shows a result: a run needs none of the display code
        from leanproc.simulation.display import replications_html

        return HTMLView(replications_html(self, lang=lang), title="Replications")

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the KPI means with 95 % CIs across the replications and the parameters to an
        Excel workbook (.xlsx); labels in `lang` (``en`` / ``ru``). Returns the path."""
        from leanproc.simulation.excel import write_replications

        return write_replications(self, path, lang, parameters=parameters)

    def values(self, **kpi_options: Any) -> pd.DataFrame:
        """One row per replication, one column per KPI (the flat `as_dict` keys)."""
        rows = [
            (r.kpis(**kpi_options) if kpi_options else r.kpi).as_dict() for r in self.results
        ]
        return pd.DataFrame(rows)

    def summary(self, level: float = 0.95, **kpi_options: Any) -> pd.DataFrame:
        """Mean and confidence interval of every KPI across the replications.

        These are the primary intervals of a scenario's KPIs: one value per independent
        replication, t interval of their mean. Columns: ``mean``, ``ci_low``, ``ci_high``,
        ``half_width`` (half of the t interval before any cut), ``n`` (replications with a
        value) and ``cut_at_zero``: every KPI of a run is non-negative (durations, counts,
        rates, shares, money), so a lower bound below 0 is raised to 0 and this is True.
        """
        table = self.values(**kpi_options)
        rows = {}
        for col in table.columns:
            vals = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)
            vals = vals[np.isfinite(vals)]
            if len(vals) == 0:
                continue
            mean, low, high = confidence_interval(vals, level=level)
            half = (high - low) / 2
            cut = bool(low < 0.0)
            rows[col] = {"mean": mean, "ci_low": 0.0 if cut else low, "ci_high": high,
                         "half_width": half, "n": len(vals), "cut_at_zero": cut}
        return pd.DataFrame.from_dict(rows, orient="index")


def _dedupe(names: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Codes mapping node index -> category of its (possibly repeated) name."""
    cats: dict[str, int] = {}
    codes = np.empty(len(names), dtype=np.int64)
    for i, n in enumerate(names):
        codes[i] = cats.setdefault(n, len(cats))
    return codes, list(cats)


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    out = []
    for n in names:
        while n in seen:  # two pools whose unit names would collide
            n = n + "'"
        seen[n] = None
        out.append(n)
    return out


def _roles(raw: RawRun) -> pd.Categorical[str]:
    """org:role: the resource pool that served the instance; missing when none did.

    An activity without a pool (``resource: []``, a pure delay such as an external auction or
    the applicant's own step) is done by nobody on the staff, so its row names no role: a
    lane's name there would be read as that role's work by utilisation, labour hours and cost
    (and a lane is often named like the pool of the same people). The lane stays in the model.
    """
    return pd.Categorical.from_codes(raw.pool, categories=pd.Index(list(raw.pool_names)))
