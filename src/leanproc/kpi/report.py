"""The result of :func:`leanproc.kpis`: a dataclass with flat names, a tidy table and views.

Flat names (``KPIReport.as_dict``) are the contract with targets (``lead_time.mean <= 24h``)
and with replication confidence intervals. The rule:

* ``<measure>.<statistic>`` for per-case durations in seconds: measures ``lead_time``,
  ``processing``, ``waiting``, ``value_adding`` (when value-adding activities are given) in
  clock time and, with a calendar, the same in working time (``lead_time_working``,
  ``processing_working``, ``waiting_working``, ``value_adding_working``), listed first;
  statistics ``mean``, ``median``, ``p90``, ``max``, ``n``, ``ci_low``, ``ci_high`` (95 %
  batch-means interval of the mean over this log's cases, NaN when the log is too short: see
  `leanproc.kpi.stats.batch_means_interval`);
* ``pce`` (clock) and ``pce_working`` (with a calendar), ``unfinished_share``,
  ``sla_share(<deadline>)`` (e.g. ``sla_share(24h)``, ``sla_share(3wd)``) and
  ``utilisation.<role>`` (busy over available time, in working time): fractions in [0, 1];
* ``throughput.per_day``, ``arrival_rate.per_day`` (and ``.per_working_day`` with a calendar):
  cases per day; ``wip.mean``: cases; ``cases``, ``cases_finished``, ``cases_unfinished``:
  counts; ``window.days``: length of the observation window after warm-up;
* ``activity.<name>.<statistic>`` per activity: ``count``, ``waiting.mean``,
  ``waiting.median``, ``processing.mean``, ``processing.total`` (seconds), ``case_share``, and
  with a calendar ``processing_working.mean``, ``processing_working.total``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from leanproc._view import HTMLView
from leanproc.kpi.stats import Summary

__all__ = ["KPIReport", "unit_of"]

_HOUR = 3600.0
_TIME_MEASURES = ("lead_time", "lead_time_working", "processing", "processing_working",
                  "waiting", "waiting_working", "value_adding", "value_adding_working")


def unit_of(key: str) -> str:
    """Internal unit of a flat KPI name: ``"s"``, ``"share"``, ``"cases/day"``, ... ."""
    head = key.split(".", 1)[0]
    if key.startswith("activity."):
        if key.endswith(".count"):
            return "count"
        return "share" if key.endswith(".case_share") else "s"
    if head in _TIME_MEASURES:
        return "count" if key.endswith(".n") else "s"
    shares = ("pce", "pce_working", "unfinished_share", "utilisation")
    if head in shares or key.startswith("sla_share("):
        return "share"
    if head in ("throughput", "arrival_rate"):
        return "cases/working day" if key.endswith("per_working_day") else "cases/day"
    if head == "window":
        return "days"
    return "cases"  # wip.mean and the case counts


def _display(key: str, value: float) -> tuple[float, str]:
    """Value and unit for people: seconds as hours, shares as percent."""
    unit = unit_of(key)
    if unit == "s":
        return value / _HOUR, "h"
    if unit == "share":
        return value * 100.0, "%"
    return value, unit


def _fmt_hours(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    hours = seconds / _HOUR
    text = f"{hours:,.2f} h"
    return text + (f" ({hours / 24:,.1f} d)" if hours >= 48 else "")


def _fmt_share(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value * 100:.1f} %"


@dataclass
class KPIReport:
    """KPIs of one event log; every time in seconds, every share a fraction.

    ``per_case`` has one row per counted case (the cohort arriving in the window after
    warm-up): ``case:concept:name``, ``start``, ``end`` (NaT when unfinished), ``finished``,
    ``lead``, ``lead_working``, ``processing``, ``value_adding``, ``waiting`` (seconds) and,
    with a calendar, ``processing_working``, ``waiting_working`` (and ``value_adding_working``
    with value-adding activities).
    ``per_activity`` has one row per activity: ``activity``, ``count``, ``waiting_mean``,
    ``waiting_median``, ``processing_mean``, ``processing_total`` (seconds), ``case_share`` and,
    with a calendar, ``processing_working_mean``, ``processing_working_total`` (seconds of
    working time: a 90-minute task paused overnight counts 90 minutes).
    ``utilisation_detail`` has per role: ``role``, ``capacity``, ``busy`` and ``available``
    (seconds of working time on the role's ``calendar``; clock time for ``24x7``),
    ``utilisation``, ``calendar``.
    """

    cases: int
    cases_finished: int
    cases_unfinished: int
    lead_time: Summary
    lead_time_working: Summary | None
    processing: Summary
    waiting: Summary
    value_adding: Summary | None
    pce: float
    pce_basis: str
    throughput_per_day: float
    throughput_per_working_day: float | None
    arrival_rate_per_day: float
    arrival_rate_per_working_day: float | None
    wip_mean: float
    utilisation: dict[str, float]
    sla_share: dict[str, float]
    unfinished_share: float
    window: tuple[pd.Timestamp, pd.Timestamp]
    horizon: pd.Timestamp
    warmup_seconds: float
    calendar: str | None
    per_case: pd.DataFrame = field(repr=False)
    per_activity: pd.DataFrame = field(repr=False)
    utilisation_detail: pd.DataFrame = field(repr=False)
    processing_working: Summary | None = None  # touch time in working time (with a calendar)
    waiting_working: Summary | None = None
    value_adding_working: Summary | None = None
    pce_working: float | None = None  # value-adding over lead time, both in working time
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ flat views
    def as_dict(self, *, activities: bool = True) -> dict[str, float]:
        """All KPIs as ``{flat name: value}`` (see the module docstring for the naming rule)."""
        out: dict[str, float] = {
            "cases": float(self.cases),
            "cases_finished": float(self.cases_finished),
            "cases_unfinished": float(self.cases_unfinished),
            "window.days": (self.window[1] - self.window[0]).total_seconds() / 86400.0,
        }
        # with a calendar the working-time form of each measure comes first
        for name, clock, working in (
            ("lead_time", self.lead_time, self.lead_time_working),
            ("processing", self.processing, self.processing_working),
            ("waiting", self.waiting, self.waiting_working),
            ("value_adding", self.value_adding, self.value_adding_working),
        ):
            if working is not None:
                out |= working.as_dict(f"{name}_working")
            if clock is not None:
                out |= clock.as_dict(name)
        if self.pce_working is not None:
            out["pce_working"] = self.pce_working
        out["pce"] = self.pce
        out["throughput.per_day"] = self.throughput_per_day
        if self.throughput_per_working_day is not None:
            out["throughput.per_working_day"] = self.throughput_per_working_day
        out["arrival_rate.per_day"] = self.arrival_rate_per_day
        if self.arrival_rate_per_working_day is not None:
            out["arrival_rate.per_working_day"] = self.arrival_rate_per_working_day
        out["wip.mean"] = self.wip_mean
        for role, value in self.utilisation.items():
            out[f"utilisation.{role}"] = value
        for label, value in self.sla_share.items():
            out[f"sla_share({label})"] = value
        out["unfinished_share"] = self.unfinished_share
        if activities:
            for row in self.per_activity.to_dict("records"):  # a row per activity: a few
                head = f"activity.{row['activity']}"
                out[f"{head}.count"] = float(row["count"])
                for name, column in (("waiting.mean", "waiting_mean"),
                                     ("waiting.median", "waiting_median"),
                                     ("processing.mean", "processing_mean"),
                                     ("processing.total", "processing_total"),
                                     ("case_share", "case_share")):
                    out[f"{head}.{name}"] = float(row[column])
                if "processing_working_mean" in row:  # with a calendar
                    out[f"{head}.processing_working.mean"] = float(row["processing_working_mean"])
                    out[f"{head}.processing_working.total"] = float(
                        row["processing_working_total"])
        return out

    def to_frame(self, *, activities: bool = False) -> pd.DataFrame:
        """Tidy table ``kpi`` / ``value`` / ``unit`` for display: hours and percent."""
        rows = [(k, *_display(k, v)) for k, v in self.as_dict(activities=activities).items()]
        return pd.DataFrame(rows, columns=["kpi", "value", "unit"])

    # ------------------------------------------------------------------ text views
    def __str__(self) -> str:
        start, end = self.window
        days = (end - start).total_seconds() / 86400.0
        lines = [
            f"KPIs over {start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M %Z} ({days:,.1f} days); "
            f"{self.cases:,} cases, {self.cases_finished:,} finished"
            + (f"; calendar {self.calendar}" if self.calendar else ""),
        ]

        def durations(name: str, s: Summary) -> str:
            ci = (
                f"  95% CI of mean (batch means) {_fmt_hours(s.ci_low)} .. "
                f"{_fmt_hours(s.ci_high)}"
                if not math.isnan(s.ci_low)
                else ""
            )
            return (
                f"  {name:<22} mean {_fmt_hours(s.mean)}, median {_fmt_hours(s.median)}, "
                f"p90 {_fmt_hours(s.p90)}, max {_fmt_hours(s.max)}{ci}"
            )

        # with a calendar: the working-time form first, the clock form beside it, labelled
        for label, clock, working in (
            ("lead time", self.lead_time, self.lead_time_working),
            ("processing", self.processing, self.processing_working),
            ("waiting", self.waiting, self.waiting_working),
        ):
            if working is not None:
                lines.append(durations(f"{label} (working)", working))
                lines.append(durations(f"{label} (clock)", clock))
            else:
                lines.append(durations(label, clock))
        if self.pce_working is not None:
            lines.append(f"  {'PCE (working)':<22} {_fmt_share(self.pce_working)} "
                         f"({self.pce_basis}); clock time {_fmt_share(self.pce)}")
        else:
            lines.append(f"  {'PCE':<22} {_fmt_share(self.pce)} ({self.pce_basis})")
        per_wd = (
            f", {self.throughput_per_working_day:,.2f} per working day"
            if self.throughput_per_working_day is not None
            else ""
        )
        lines.append(f"  {'throughput':<22} {self.throughput_per_day:,.2f} cases/day{per_wd}")
        lines.append(f"  {'arrival rate':<22} {self.arrival_rate_per_day:,.2f} cases/day")
        lines.append(f"  {'WIP':<22} {self.wip_mean:,.2f} cases (time average)")
        if self.utilisation:
            text = ", ".join(f"{r} {_fmt_share(v)}" for r, v in self.utilisation.items())
            label = "utilisation (working)" if self.calendar else "utilisation"
            lines.append(f"  {label:<22} {text}")
        if self.sla_share:
            text = ", ".join(f"<= {k}: {_fmt_share(v)}" for k, v in self.sla_share.items())
            lines.append(f"  {'SLA share':<22} {text}")
        lines.append(f"  {'unfinished share':<22} {_fmt_share(self.unfinished_share)}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``): what was measured, the headline KPIs
        in hours and per cent, and the per-activity times."""
        from leanproc.kpi.report_display import kpi_report_html

        return HTMLView(kpi_report_html(self, lang=lang), title="KPIReport")

    def _repr_html_(self) -> str:
        return self.display()._repr_html_()

    def __repr__(self) -> str:
        start, end = self.window
        return (f"<KPIReport: {self.cases:,} cases ({self.cases_finished:,} finished), "
                f"{start:%Y-%m-%d} .. {end:%Y-%m-%d}, mean lead time "
                f"{_fmt_hours(self.lead_time.mean)}>")
