"""Post-monitoring from the log itself: did the change really cut ВПП, and since when?

``monitor(log)`` charts a KPI per period (XmR chart, :mod:`leanproc.mining._control_chart`),
finds the change point on case-level values or takes the one given
(:mod:`leanproc.mining._change_point`), compares the two sides with case-level intervals
(:mod:`leanproc.mining._monitor_compare`) and, with a projection or targets, validates the
after-period against them (`leanproc.mining.validate`).

Detection looks at the cases that end away from the log's edges (`_interior`): ordered by end,
the cases nearest the edges are selected by their length, an artefact of the extract.

Baseline of the chart: the periods that end before the change point (the period holding the
change mixes both processes and is left out). Without a change, all periods: a log without a
detected change is one process, and its whole history is the best estimate of its limits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from leanproc.calendar import Calendar
from leanproc.errors import LogError
from leanproc.inputs import DEFAULT_SEED, as_bound, as_log
from leanproc.kpi import KPIReport, kpis
from leanproc.kpi.stats import confidence_interval
from leanproc.log import CASE
from leanproc.mining._change_point import LEVEL, MIN_SIDE, best_shift
from leanproc.mining._control_chart import xmr_chart
from leanproc.mining._monitor_compare import (
    COLUMNS,
    comparison_row,
    mean_interval,
    median_interval,
    share_interval,
)
from leanproc.mining._monitor_values import (
    CaseValues,
    KpiSpec,
    case_values,
    kpi_spec,
    period_starts,
    period_table,
)
from leanproc.mining.monitor_report import ChangePoint, ControlChart, MonitorReport
from leanproc.mining.validate import validate
from leanproc.simulation.result import Replications, SimulationResult
from leanproc.simulation.run import simulate

__all__ = ["DETECTED_METHOD", "MonitorReport", "monitor"]

DETECTED_METHOD = ("best single shift in mean of log case values ordered by end time (likelihood "
           "ratio), block-permutation p-value")


def _given_change(change: Any, values: CaseValues) -> pd.Timestamp:
    ends = values.table["end"]
    try:
        at = pd.Timestamp(change)
    except (ValueError, TypeError):
        raise LogError(f"change={change!r} is not a date: write e.g. change='2025-03-01' or "
                       "pass a pandas Timestamp", source="monitor") from None
    tz = ends.dt.tz
    if at.tzinfo is None and tz is not None:
        at = at.tz_localize(tz)
    first, last = ends.iloc[0], ends.iloc[-1]
    if not first < at <= last:
        raise LogError(f"change={change!r} is outside the log (cases end from {first} to "
                       f"{last}): give a date between them, or change=None to detect it",
                       source="monitor")
    return at


def _interior(values: CaseValues) -> np.ndarray:
    """The cases that end at least q after the first case start and no later than the last
    case start, q the 95th percentile of the lead time. Near the log's edges the order by end
    selects by length: the first cases to end are short ones (the long ones started before the
    extract), the last are long ones (no short case started late enough to end after them); a
    shift in mean would find that artefact in a log without any change. Between these bounds
    the cases ending at an instant are all there, whatever their length (up to q)."""
    t = values.table
    q = pd.Timedelta(seconds=float(np.quantile(t["lead"], 0.95)))
    first, last = t["start"].min(), t["start"].max()
    inside = ((t["end"] >= first + q) & (t["end"] <= last)).to_numpy()
    result: np.ndarray = inside & ~np.isnan(t["value"].to_numpy(dtype=float))
    return result


def _detected(values: CaseValues, seed: int) -> tuple[ChangePoint | None, list[str]]:
    x = values.table["value"].to_numpy(dtype=float)
    keep = _interior(values)
    shift = best_shift(x[keep], seed=seed)
    if shift is None:
        return None, [f"{int(keep.sum())} cases with a value: too few (or no spread) to look "
                      "for a change point"]
    ends = values.table["end"][keep].reset_index(drop=True)
    at = ends.iloc[shift.index - 1] + (ends.iloc[shift.index] - ends.iloc[shift.index - 1]) / 2
    if shift.p_value >= LEVEL:
        return None, [f"no change point: the strongest split ({at:%Y-%m-%d}) has p = "
                      f"{shift.p_value:.3f}, not below {LEVEL}"]
    before, after = _sides(values, at.floor("s"))
    change = ChangePoint(at.floor("s"), DETECTED_METHOD, shift.p_value, 1.0 - shift.p_value,
                         len(before), len(after))
    return change, []


def _sides(values: CaseValues, at: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = values.table
    return t[t["end"] < at], t[t["end"] >= at]


def _side_log(log: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    return log[log[CASE].isin(cases["case"])]


def _comparison(spec: KpiSpec, before: pd.DataFrame, after: pd.DataFrame,
                periods: pd.DataFrame, at: pd.Timestamp, notes: list[str]) -> pd.DataFrame:
    rows = []
    if spec.name == "throughput":
        rates = periods.dropna(subset=["value"])
        sides = (rates[rates["period"] < at]["value"], rates[rates["period"] >= at]["value"])
        pair = [confidence_interval(s.to_numpy(dtype=float), nonnegative=True) for s in sides]
        rows.append(comparison_row(spec.flat, pair[0], pair[1]))
    elif spec.deadline is not None:
        rows.append(comparison_row(spec.flat, share_interval(before["charted"].to_numpy()),
                                   share_interval(after["charted"].to_numpy())))
    else:
        b, a = before["value"].to_numpy(dtype=float), after["value"].to_numpy(dtype=float)
        rows.append(comparison_row(spec.flat, mean_interval(b, notes, f"{spec.name} before"),
                                   mean_interval(a, notes, f"{spec.name} after")))
        rows.append(comparison_row(f"{spec.name}.median", median_interval(b),
                                   median_interval(a)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _projected(projection: Any, seed: int) -> Any:
    """A simulation result from `projection`: kept when it is one, simulated when a scenario."""
    if projection is None or isinstance(projection, SimulationResult | Replications | KPIReport):
        return projection
    if isinstance(projection, dict) and all(isinstance(k, str) and "." in k
                                            for k in projection):
        return projection  # {kpi: value} as validate takes it
    return simulate(as_bound(projection, caller="monitor", argument="projection"), seed=seed)


def _projection_series(projected: Any, spec: KpiSpec, calendar: Any) -> pd.Series | None:
    if isinstance(projected, SimulationResult):
        results = [projected]
    elif isinstance(projected, Replications):
        results = list(projected.results)
    else:
        return None
    if spec.name in ("throughput", "cost") or not all(r.log is not None and len(r.log)
                                                      for r in results):
        return None
    frames = []
    for r in results:
        per_case = kpis(r.log, calendar).per_case
        frames.append(per_case.loc[per_case["finished"].astype(bool), spec.column])
    return pd.concat(frames, ignore_index=True).astype(float).rename(spec.name)


def monitor(log: Any, *, kpi: str = "lead_time", freq: str = "W", change: Any = None,
            calendar: Any = None, projection: Any = None, targets: Any = None,
            seed: int | None = None) -> MonitorReport:
    """A KPI over time from one real log that spans a change (see `MonitorReport`).

    Args:
        log: an event log (DataFrame in the one schema or a log file path).
        kpi: ``lead_time``, ``lead_time_working``, ``waiting``, ``waiting_working``, ``cost``
            (needs the log's ``cost`` column), ``throughput`` or ``sla_share(<deadline>)``.
        freq: the period, a pandas offset alias (``"D"``, ``"W"``, ``"MS"``, ``"QS"``).
        change: the date of the change (text or Timestamp; naive dates are in the log's time
            zone), or None to detect it.
        calendar: working-time calendar (working KPIs, and the sides' flat KPIs).
        projection: the TO-BE projection: a scenario (simulated here), a simulation result,
            replications, a `KPIReport` or ``{kpi: value}``.
        targets: targets as `validate` takes them.
        seed: seed of the permutation test and of simulating a scenario (default
            `DEFAULT_SEED`: the same log gives the same report).

    Raises:
        LogError: an unknown KPI or period, a change date outside the log, too few cases on a
            side of a given change, a working KPI without a calendar.
    """
    spec = kpi_spec(kpi, calendar)
    calendar = Calendar.parse(calendar)  # a path is read in its zone
    frame = as_log(log, caller="monitor", calendar=calendar)
    seed = DEFAULT_SEED if seed is None else seed
    report = kpis(frame, calendar)
    values = case_values(report, frame, spec)
    if values.table.empty:
        raise LogError("the log has no finished case to monitor", source="monitor")
    period_starts(values.table["end"].iloc[:1], freq)  # an unknown period fails first
    periods = period_table(values, spec, freq)
    notes: list[str] = []
    if change is None:
        found, more = _detected(values, seed)
        notes += more
    else:
        at = _given_change(change, values)
        before, after = _sides(values, at)
        if min(len(before), len(after)) < MIN_SIDE:
            raise LogError(f"change={change!r} leaves {len(before)} case(s) before and "
                           f"{len(after)} after: each side needs at least {MIN_SIDE} "
                           "finished cases; move the date or use a longer log",
                           source="monitor")
        found = ChangePoint(at, "given", None, None, len(before), len(after))
    chart = _chart(periods, found, freq, notes)
    if found is None:
        return MonitorReport(kpi, freq, periods, chart, None, {}, {},
                             pd.DataFrame(columns=COLUMNS), None, None,
                             report.calendar, tuple(notes))
    before, after = _sides(values, found.at)
    before_log, after_log = _side_log(frame, before), _side_log(frame, after)
    comparison = _comparison(spec, before, after, periods, found.at, notes)
    validation, series = None, None
    if projection is not None or targets is not None:
        projected = _projected(projection, seed)
        validation = validate(projected if projected is not None else {}, after_log, targets,
                              calendar=calendar)
        series = _projection_series(projected, spec, calendar)
    return MonitorReport(kpi, freq, periods, chart, found,
                         kpis(before_log, calendar).as_dict(activities=False),
                         kpis(after_log, calendar).as_dict(activities=False),
                         comparison, validation, series, report.calendar, tuple(notes))


def _chart(periods: pd.DataFrame, change: ChangePoint | None, freq: str,
           notes: list[str]) -> ControlChart:
    values = periods.set_index("period")["value"]
    baseline = pd.Series(True, index=values.index)
    if change is not None:
        # a period is in the baseline when the next one starts no later than the change
        nxt = pd.Series(values.index[1:].append(pd.DatetimeIndex([pd.NaT])), index=values.index)
        baseline = nxt.notna() & (nxt <= change.at)
        if int(baseline[values.notna()].sum()) < 2:
            notes.append(f"fewer than two whole {freq} periods before the change: the chart's "
                         "limits use all periods")
            baseline = pd.Series(True, index=values.index)
    if int(values.notna().sum()) < 2:
        raise LogError(f"the log's cases fall in fewer than two {freq!r} periods: use a shorter "
                       "period (freq='D') or a longer log", source="monitor")
    return xmr_chart(values, baseline)
