"""What `leanproc.monitor` returns: a KPI over time from one real log that spans a change.

Post-monitoring (постмониторинг) asks of one event log from the office's СЭД or 1С: from which
week did ВПП fall, to what, and is it holding? The report holds the KPI per period, an XmR
(individuals) control chart with natural process limits computed on the baseline, the change
point (given or detected on case-level values), the flat KPIs of each side in the same names
and units as ``kpis(...).as_dict()``, their comparison with intervals, and — when a projection
or targets are given — the verdicts of `validate` on the after-period.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from leanproc._view import HTMLView

__all__ = ["ChangePoint", "ControlChart", "MonitorReport"]


@dataclass(frozen=True)
class ControlChart:
    """An XmR (individuals and moving range) chart of one KPI per period.

    `values` is the KPI per period (index: the period's start), in the KPI's own unit (seconds
    for times, a fraction for shares, cases per day for throughput). The natural process limits
    are ``centre ± 2.66 × moving_range_mean`` over the `baseline` periods (the lower one cut at
    zero for a non-negative KPI). `signals` lists the periods a run rule flags: columns
    ``period`` (Timestamp), ``rule`` (short code, e.g. ``"beyond_limits"``, ``"run_of_8"``)
    and ``description`` (English sentence; labels in other languages come from the views).
    """

    values: pd.Series
    centre: float
    lower: float
    upper: float
    moving_range_mean: float
    baseline: tuple[pd.Timestamp, pd.Timestamp]
    signals: pd.DataFrame


@dataclass(frozen=True)
class ChangePoint:
    """Where the process changed: the instant `at` splits the cases by their end time.

    `method` says how it was found (``"given"`` or the detection method in words);
    `p_value` is the probability of a split at least this strong in a log without any change
    (None when the change was given), `confidence` its complement; `cases_before` and
    `cases_after` count the cases of each side.
    """

    at: pd.Timestamp
    method: str
    p_value: float | None
    confidence: float | None
    cases_before: int
    cases_after: int


@dataclass(frozen=True)
class MonitorReport:
    """The KPI over time, its control chart, the change and each side's figures.

    * `kpi`: the KPI monitored (``lead_time``, ``lead_time_working``, ``waiting``,
      ``waiting_working``, ``throughput``, ``sla_share(<deadline>)``, ``cost``);
      `freq` the period (pandas offset alias: ``"W"``, ``"MS"``…);
    * `periods`: one row per period (cases by their end): ``period`` (start), ``cases``,
      ``value`` (the charted figure: the mean for durations and cost, the share, the rate),
      and for durations ``median``;
    * `chart`: the XmR chart of ``periods.value``;
    * `change`: the change point, or None when the log shows no change;
    * `before` / `after`: the flat KPI mappings of each side (empty when `change` is None);
    * `comparison`: one row per KPI compared: ``kpi``, ``before``, ``before_low``,
      ``before_high``, ``after``, ``after_low``, ``after_high``, ``relative_change``
      (case-level intervals: mean and median);
    * `validation`: the `ValidationReport` of the after-period against `projection` /
      `targets`, or None; `projection`: projected per-case values of the KPI (seconds for
      times) for drawing the projected distribution, or None;
    * `calendar`: the calendar spec used for working time, or None; `notes`: what the reader
      should know (too few cases on a side, periods left out…).
    """

    kpi: str
    freq: str
    periods: pd.DataFrame
    chart: ControlChart
    change: ChangePoint | None
    before: dict[str, float]
    after: dict[str, float]
    comparison: pd.DataFrame
    validation: Any | None = None
    projection: pd.Series | None = None
    calendar: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def change_point(self) -> pd.Timestamp | None:
        """The instant the process changed, or None when the log shows no change."""
        return None if self.change is None else self.change.at

    @property
    def targets_met(self) -> bool | None:
        """Whether every target holds in the after-period (None without targets)."""
        if self.validation is None:
            return None
        met = getattr(self.validation, "targets_met", None)
        return bool(met) if met is not None else None

    # ---- views: the modules monitor_display, monitor_plot and monitor_excel draw them ------
    def display(self, lang: str = "en") -> HTMLView:
        """The report as a notebook view in `lang` (``"en"`` or ``"ru"``): the change point,
        before / after with intervals, the verdicts and the periods with their signals."""
        from leanproc._view import HTMLView
        from leanproc.mining.monitor_display import monitor_html

        return HTMLView(monitor_html(self, lang=lang), title="MonitorReport")

    def _repr_html_(self) -> str:
        return self.display()._repr_html_()

    def __repr__(self) -> str:
        at = "no change" if self.change is None else f"change at {self.change.at}"
        return (f"<MonitorReport {self.kpi} per {self.freq}: {len(self.periods)} periods, "
                f"{at}>")

    def plot(self, lang: str = "en", ax: Axes | None = None) -> Figure:
        """The control chart: the KPI per period (hours for times) with the baseline's centre
        line and limits, flagged periods, the change point, each side's median and the
        projection over the after-period when there is one."""
        from leanproc.mining.monitor_plot import monitor_figure

        return monitor_figure(self, lang=lang, ax=ax)

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the workbook: periods, before / after, signals, verdicts and parameters
        (`parameters` adds rows of your own, e.g. the log file)."""
        from leanproc.mining.monitor_excel import write_monitor

        return write_monitor(self, path, lang, parameters=parameters)
