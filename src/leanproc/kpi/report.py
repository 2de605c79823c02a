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
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from leanproc._display import fmt_fixed
from leanproc._labels import label, note_text, unit_label
from leanproc._view import HTMLView
from leanproc.kpi.stats import Summary

__all__ = ["KPIReport", "unit_of"]

_HOUR = 3600.0
_TIME_MEASURES = ("lead_time", "lead_time_working", "processing", "processing_working",
                  "waiting", "waiting_working", "value_adding", "value_adding_working")


# what the PCE counts as value-adding, as `leanproc.kpi.compute` names it
_PCE_BASIS_RU = {"value-adding activities": "операции, создающие ценность",
                 "all processing time": "всё время обработки"}


def _pce_basis_ru(basis: str) -> str:
    return _PCE_BASIS_RU.get(basis, basis)


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


def _fmt_hours(seconds: float, lang: str = "en") -> str:
    if math.isnan(seconds):
        return fmt_fixed(None, lang=lang)
    hours = seconds / _HOUR
    text = f"{fmt_fixed(hours, 2, lang)} {unit_label('h', lang)}"
    days = f" ({fmt_fixed(hours / 24, 1, lang)} {unit_label('d', lang)})"
    return text + (days if hours >= 48 else "")


def _fmt_share(value: float | None, lang: str = "en") -> str:
    if value is None or math.isnan(value):
        return fmt_fixed(None, lang=lang)
    return f"{fmt_fixed(value * 100, 1, lang)} %"


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
        for deadline, value in self.sla_share.items():
            out[f"sla_share({deadline})"] = value
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

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the KPIs, the per-activity and utilisation tables and the parameters (calendar,
        window) to an Excel workbook (.xlsx); labels in `lang` (``en`` / ``ru``)."""
        from leanproc.kpi.excel import write_kpi_report

        return write_kpi_report(self, path, lang, parameters=parameters)

    # ------------------------------------------------------------------ text views
    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, lang: str = "en") -> str:
        """The KPIs as lines of text in `lang` (``en`` / ``ru``): labels, units, number
        format and notes all of that language."""
        start, end = self.window
        days = (end - start).total_seconds() / 86400.0
        head = label("kpis_over", lang).format(
            start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%Y-%m-%d %H:%M %Z}",
            days=fmt_fixed(days, 1, lang), cases=fmt_fixed(self.cases, 0, lang),
            finished=fmt_fixed(self.cases_finished, 0, lang))
        if self.calendar:
            head += "; " + label("calendar_is", lang).format(calendar=self.calendar)
        lines = [head]
        width = 42 if lang == "ru" else 22

        def h(seconds: float) -> str:
            return _fmt_hours(seconds, lang)

        def durations(key: str, s: Summary) -> str:
            ci = (f"  {label('ci_of_mean', lang)} {h(s.ci_low)} .. {h(s.ci_high)}"
                  if not math.isnan(s.ci_low) else "")
            name = label(f"row.{key}", lang)
            return (f"  {name:<{width}} {label('mean', lang).lower()} {h(s.mean)}, "
                    f"{label('median', lang)} {h(s.median)}, {label('p90', lang)} {h(s.p90)}, "
                    f"{label('max', lang)} {h(s.max)}{ci}")

        # with a calendar: the working-time form first, the clock form beside it, labelled
        for name, clock, working in (
            ("lead_time", self.lead_time, self.lead_time_working),
            ("processing", self.processing, self.processing_working),
            ("waiting", self.waiting, self.waiting_working),
        ):
            if working is not None:
                lines.append(durations(f"{name}_working", working))
                lines.append(durations(f"{name}_clock", clock))
            else:
                lines.append(durations(name, clock))
        basis = _pce_basis_ru(self.pce_basis) if lang == "ru" else self.pce_basis
        if self.pce_working is not None:
            lines.append(f"  {label('row.pce_working', lang):<{width}} "
                         f"{_fmt_share(self.pce_working, lang)} ({basis}); "
                         f"{label('pce_basis_clock', lang)} {_fmt_share(self.pce, lang)}")
        else:
            lines.append(f"  {label('row.pce', lang):<{width}} {_fmt_share(self.pce, lang)} "
                         f"({basis})")
        per_day = f"{fmt_fixed(self.throughput_per_day, 2, lang)} {unit_label('cases/day', lang)}"
        if self.throughput_per_working_day is not None:
            per_day += (f", {fmt_fixed(self.throughput_per_working_day, 2, lang)} "
                        f"{unit_label('cases/working day', lang)}")
        lines.append(f"  {label('row.throughput', lang):<{width}} {per_day}")
        lines.append(f"  {label('row.arrival_rate', lang):<{width}} "
                     f"{fmt_fixed(self.arrival_rate_per_day, 2, lang)} "
                     f"{unit_label('cases/day', lang)}")
        lines.append(f"  {label('row.wip', lang):<{width}} {fmt_fixed(self.wip_mean, 2, lang)} "
                     f"{unit_label('cases', lang)} ({label('time_average', lang)})")
        if self.utilisation:
            text = ", ".join(f"{r} {_fmt_share(v, lang)}" for r, v in self.utilisation.items())
            name = label("row.utilisation_working" if self.calendar else "row.utilisation", lang)
            lines.append(f"  {name:<{width}} {text}")
        if self.sla_share:
            text = ", ".join(f"<= {k}: {_fmt_share(v, lang)}" for k, v in self.sla_share.items())
            lines.append(f"  {label('row.sla_share', lang):<{width}} {text}")
        lines.append(f"  {label('row.unfinished_share', lang):<{width}} "
                     f"{_fmt_share(self.unfinished_share, lang)}")
        lines.extend(f"  {label('note', lang)}: {note_text(n, lang)}" for n in self.notes)
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
