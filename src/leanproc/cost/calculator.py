"""The process calculator (калькулятор процесса): cost of a process from any event log.

`process_cost(log, scenario)` prices every activity instance of a log in the one schema —
simulated or real — with the resource rates of a scenario:

* time-based resources (временные ресурсы): working time of the instance on its pool's calendar
  (work paused overnight is not paid twice) x the pool's capacity cost rate;
* per-use resources: the pool's ``cost_per_use`` for each instance it served;
* materials and services per execution (штучные ресурсы): the activity's ``cost_per_execution``;
* fixed cost per case: ``fixed_costs.per_case`` once for every case;
* a ``cost`` column already in the log (a real log's recorded costs) is added as it is.

Paid capacity that the log's work did not use is reported apart (time-driven ABC), over the
log's window, pool by pool. Labour hours (трудозатраты) are the working hours of pool work.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc.cost.rates import DEFAULT_CALENDAR, Rate, pool_rates
from leanproc.cost.report import CostReport
from leanproc.errors import LogError, ScenarioError
from leanproc.inputs import as_log
from leanproc.kpi.inputs import case_starts
from leanproc.limits import limit

if TYPE_CHECKING:
    from leanproc.calendar import Calendar
    from leanproc.scenario.plans import BoundScenario

__all__ = ["as_bound", "process_cost", "yearly_fte_hours"]

_HOUR = 3600.0
_DAYS_PER_YEAR = 365.0


def as_bound(scenario: Any, model: Any = None, *,
             caller: str = "process_cost") -> BoundScenario:
    """A bound scenario from any scenario input (`leanproc.inputs.as_bound`) or a run result."""
    from leanproc.inputs import as_bound as bound_scenario
    from leanproc.scenario.plans import BoundScenario

    bound = getattr(scenario, "bound", None)
    if isinstance(bound, BoundScenario):
        return bound
    return bound_scenario(scenario, model, caller=caller)


MAX_VOLUME = limit("cases_per_year")


def check_volume(volume: float | None) -> None:
    """A yearly volume that roubles and kopecks can be counted for (1e308 cannot)."""
    if volume is None:
        return
    ok = not isinstance(volume, bool) and isinstance(volume, numbers.Real)
    value = float(volume) if ok else math.nan
    if not (math.isfinite(value) and value > 0):
        raise ScenarioError(f"volume_per_year must be a positive number of cases, got "
                            f"{volume!r}")
    if value > MAX_VOLUME.value:
        raise ScenarioError(MAX_VOLUME.message(f"{value:g}"), source="volume_per_year")


def process_cost(log: Any, scenario: Any = None, *,
                 volume_per_year: float | None = None, year: int | None = None,
                 labour_pools: list[str] | None = None,
                 fte_hours: float | None = None) -> CostReport:
    """Price an event log with a scenario's resource rates.

    Args:
        log: an event log in the one schema (a DataFrame or a log file path), or a simulation
            result (its log and scenario).
        scenario: what `leanproc.simulate` accepts (path, mapping, `Scenario`, bound scenario);
            optional when `log` is a simulation result.
        volume_per_year: cases per year for the yearly figures; default: estimated from the
            log's arrival rate (the report says so in its notes).
        year: the year whose working-hours fund turns salaries into hourly rates (default: the
            scenario's start year).
        labour_pools: pools whose hours count as labour (трудозатраты); default all pools.
        fte_hours: working hours of one full-time employee per year, for FTE figures; default
            the working hours of `year` on the scenario's calendar (1,979 h in 2024 on RU 5x8).

    Raises:
        LogError: the log lacks the columns costing needs.
    """
    check_volume(volume_per_year)
    if scenario is None:
        if not hasattr(log, "bound"):
            raise LogError("process_cost needs a scenario with the resource rates: "
                           "process_cost(log, scenario)", source="process_cost")
        scenario = log.bound
    if hasattr(log, "log") and isinstance(log.log, pd.DataFrame):
        log = log.log
    bound = as_bound(scenario)
    log = as_log(log, caller="process_cost", calendar=bound.calendar)
    year = bound.start.year if year is None else int(year)
    rates = pool_rates(bound, year=year)
    notes: list[str] = []

    n = len(log)
    # Case ids, activities and roles as integer codes over their distinct values: a 10 M-row
    # log is priced without one Python string per row (categorical columns cost nothing).
    case_code, case_names = _text_codes(log[schema.CASE])
    activity_code, activity_names = _text_codes(log[schema.ACTIVITY])
    if schema.ROLE in log.columns:
        role_code, role_values = pd.factorize(log[schema.ROLE], sort=False)
        role_code = np.asarray(role_code, dtype=np.int64)
    else:
        role_code, role_values = np.full(n, -1, dtype=np.int64), pd.Index([])
    start = _ns(log, schema.START)
    end = _ns(log, schema.END)

    # --- time-based and per-use costs, pool by pool ------------------------------------------
    hours = np.zeros(n)
    time_cost = np.zeros(n)
    use_cost = np.zeros(n)
    pool_names = list(rates)
    pool_of_role = np.full(len(role_values) + 1, -1, dtype=np.int64)  # last slot: no role
    for k, value in enumerate(role_values):
        if isinstance(value, str) and value in rates:
            pool_of_role[k] = pool_names.index(value)
    pool_code = pool_of_role[role_code]
    unknown_time = 0
    for k, (name, rate) in enumerate(rates.items()):
        rows = pool_code == k
        if not rows.any():
            continue
        ok = rows & (start != _NAT) & (end != _NAT)
        unknown_time += int((rows & ~ok).sum())
        if ok.any():
            cal = _pool_calendar(bound, name)
            hours[ok] = _working_seconds(cal, start[ok], end[ok]) / _HOUR
        time_cost[rows] = hours[rows] * rate.per_hour
        use_cost[rows] = rate.per_use
    if unknown_time:
        notes.append(f"{unknown_time} pool instance(s) lack a start or completion time: their "
                     f"working time counts as zero")
    seen_roles = np.zeros(len(role_values), dtype=bool)
    seen_roles[role_code[role_code >= 0]] = True
    unpriced = sorted({str(r) for r, seen, pool in zip(role_values, seen_roles, pool_of_role[:-1],
                                                      strict=True)
                       if seen and pool < 0} - set(rates))
    if unpriced:
        notes.append(f"roles without a resource pool in the scenario are not priced: {unpriced}")
    free = sorted(name for name, r in rates.items() if not r.has_cost)
    if free:
        notes.append(f"pools without cost data (cost_per_hour or monthly_salary) cost nothing: "
                     f"{free}")

    # --- per-execution costs of activities -------------------------------------------------
    per_execution = _execution_costs(bound, notes)
    exec_cost = np.array([per_execution.get(a, 0.0) for a in activity_names],
                         dtype=float)[activity_code] if per_execution else np.zeros(n)
    recorded = np.zeros(n)
    if schema.COST in log.columns:
        recorded = pd.to_numeric(log[schema.COST], errors="coerce").fillna(0.0).to_numpy(float)
        if recorded.any():
            notes.append("the log's cost column is added as recorded cost")

    def text(codes: np.ndarray, names: pd.Index) -> Any:
        # the row's text taken from the distinct values (Arrow-backed: no Python objects);
        # code -1 (no pool) becomes missing
        return names.array.take(codes, allow_fill=True)

    rows = pd.DataFrame({
        "case": text(case_code, case_names),
        "activity": text(activity_code, activity_names),
        "pool": text(pool_code, pd.Index(pool_names, dtype="str")),
        "hours": hours, "time_cost": time_cost, "use_cost": use_cost,
        "execution_cost": exec_cost, "recorded_cost": recorded,
    })
    rows["cost"] = rows["time_cost"] + rows["use_cost"] + rows["execution_cost"] \
        + rows["recorded_cost"]
    labour = set(rates) if labour_pools is None else set(labour_pools)
    labour_pool = np.array([name in labour for name in pool_names] + [False])
    rows["labour_hours"] = np.where(labour_pool[pool_code], rows["hours"], 0.0)
    # the frame holds its own copies: free the row arrays (on 10 M rows, 400 MB)
    del hours, time_cost, use_cost, exec_cost, recorded, pool_code, activity_code, role_code

    # --- cases ---------------------------------------------------------------------------------
    # codes number the cases in order of first appearance: grouping by them keeps that order
    by_case = rows[["cost", "labour_hours"]].groupby(case_code, sort=True).sum()
    by_case.index = case_names.rename("case")
    fixed = float(bound.fixed_cost_per_case)
    per_case = by_case["cost"] + fixed
    labour_per_case = by_case["labour_hours"]

    starts = _case_starts(log, case_code, len(case_names))
    window = _window(starts, end, start)
    if volume_per_year is None:
        volume = _estimated_volume(starts)
        if volume is not None:
            notes.append(f"yearly figures use a volume of {volume:,.0f} cases per year estimated "
                         f"from the log's arrival rate: pass volume_per_year to set it")
        volume_estimated = True
    else:
        volume = float(volume_per_year)
        volume_estimated = False

    if fte_hours is None:
        fte_hours = yearly_fte_hours(bound, year)
    capacity = _capacity(bound, rates, rows, window)

    return CostReport(
        per_case=per_case.rename("cost"),
        labour_hours_per_case=labour_per_case.rename("labour_hours"),
        lines=rows,
        fixed_per_case=fixed,
        rates=rates,
        capacity=capacity,
        volume_per_year=volume,
        volume_estimated=volume_estimated,
        fte_hours=float(fte_hours),
        window=window,
        year=year,
        notes=notes,
    )


_NAT = np.iinfo(np.int64).min
_BLOCK = 1 << 20  # instances per calendar call


def _ns(log: pd.DataFrame, column: str) -> np.ndarray:
    """A timestamp column as int64 UTC nanoseconds (NaT -> _NAT); absent -> all NaT."""
    if column not in log.columns:
        return np.full(len(log), _NAT, dtype=np.int64)
    col = log[column]
    if not isinstance(col.dtype, pd.DatetimeTZDtype):
        try:
            col = pd.to_datetime(col, utc=True)
        except (TypeError, ValueError) as exc:
            raise LogError(f"column {column!r} is not a timestamp column: {exc}",
                           source="process_cost") from None
    values: np.ndarray = col.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64)
    return values.copy()


def _pool_calendar(bound: BoundScenario, name: str) -> Calendar | None:
    plan = bound.pools[name]
    return plan.calendar if plan.calendar is not None else bound.calendar


def _working_seconds(cal: Calendar | None, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Working seconds of [a, b] on `cal` (clock seconds when there is no calendar)."""
    if cal is None:
        seconds: np.ndarray = (b - a) / 1e9
        return seconds
    # in blocks: each element is computed on its own, and the calendar's temporaries stay
    # small on a pool with millions of instances
    out = np.empty(a.size, dtype=float)
    for lo in range(0, a.size, _BLOCK):
        ai = pd.DatetimeIndex(a[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        bi = pd.DatetimeIndex(b[lo:lo + _BLOCK].view("datetime64[ns]"), tz="UTC")
        out[lo:lo + _BLOCK] = cal.working_seconds(ai, bi)
    return out


def _execution_costs(bound: BoundScenario, notes: list[str]) -> dict[str, float]:
    """Activity name (as the log writes it) -> cost per execution."""
    out: dict[str, float] = {}
    clash: set[str] = set()
    for node_id, plan in bound.activities.items():
        node = bound.model.nodes.get(node_id)
        name = (node.name.strip() if node is not None and node.name else node_id)
        cost = float(plan.cost_per_execution or 0.0)
        if name in out and not math.isclose(out[name], cost):
            clash.add(name)
            continue
        out.setdefault(name, cost)
    if clash:
        notes.append(f"activities sharing a name have different costs per execution; the first "
                     f"is used for the log's rows: {sorted(clash)}")
    return {k: v for k, v in out.items() if v}


def _case_starts(log: pd.DataFrame, case_code: np.ndarray, n_cases: int) -> np.ndarray:
    """Each case's start in ns as floats (NaN when unknown), by the KPIs' rule (its earliest
    instant, `leanproc.kpi.inputs.case_starts`), so that cost and KPIs share one window."""
    starts = case_starts(case_code, n_cases, lambda column: _ns(log, column))
    out = starts.astype(float)
    out[starts == _NAT] = np.nan
    return out


def _text_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (first appearance order) and the distinct values as text.

    The same grouping as converting every row with ``astype(str)``, done on the distinct
    values only: values whose text coincides (``1`` and ``"1"``) share one code.
    """
    codes, uniques = pd.factorize(column, sort=False, use_na_sentinel=False)
    text = pd.Index(np.asarray(uniques, dtype=object).astype(str), dtype="str")
    if text.is_unique:
        return np.asarray(codes, dtype=np.int64), text
    merged, names = pd.factorize(text, sort=False)
    return np.asarray(merged, dtype=np.int64)[codes], pd.Index(names, dtype="str")


def _window(starts: np.ndarray, end: np.ndarray, start: np.ndarray) -> tuple[pd.Timestamp,
                                                                             pd.Timestamp]:
    """The log's observation window: first case start to last recorded instant."""
    known_end = end[end != _NAT]
    known_start = start[start != _NAT]
    hi = max(int(known_end.max()) if known_end.size else 0,
             int(known_start.max()) if known_start.size else 0)
    finite = starts[np.isfinite(starts)]
    lo = int(finite.min()) if finite.size else hi
    return pd.Timestamp(lo, tz="UTC"), pd.Timestamp(hi, tz="UTC")


def _estimated_volume(starts: np.ndarray) -> float | None:
    """Cases per year from the mean gap between case starts (None with fewer than two)."""
    finite = np.sort(starts[np.isfinite(starts)])
    if finite.size < 2 or finite[-1] <= finite[0]:
        return None
    span_days = float(finite[-1] - finite[0]) / 1e9 / 86400.0
    return (finite.size - 1) / span_days * _DAYS_PER_YEAR


def yearly_fte_hours(bound: BoundScenario, year: int) -> float:
    """Working hours of one full-time employee in `year` (the scenario's calendar or RU 5x8)."""
    cal = bound.calendar
    if cal is None:
        from leanproc.calendar import Calendar  # the holiday tables load only when needed

        cal = Calendar.parse(DEFAULT_CALENDAR)
    return float(cal.working_hours(year))


def _capacity(bound: BoundScenario, rates: Mapping[str, Rate], rows: pd.DataFrame,
              window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """Paid, practical, used and unused capacity of each pool over the log's window."""
    lo, hi = window
    used = rows.groupby("pool", sort=False)["hours"].sum()
    out = []
    for name, rate in rates.items():
        cal = _pool_calendar(bound, name)
        if cal is None:
            span_h = (hi - lo).total_seconds() / _HOUR
        else:
            span_h = float(cal.working_time(lo, hi).total_seconds()) / _HOUR
        paid_h = rate.count * span_h
        practical_h = paid_h * rate.practical_capacity
        used_h = float(used.get(name, 0.0))
        unused_h = practical_h - used_h
        out.append({
            "pool": name, "count": rate.count, "paid_hours": paid_h,
            "practical_hours": practical_h, "used_hours": used_h, "unused_hours": unused_h,
            "paid_cost": paid_h * rate.paid_per_hour, "used_cost": used_h * rate.per_hour,
            "unused_cost": unused_h * rate.per_hour,
            "load": used_h / practical_h if practical_h > 0 else math.nan,
        })
    return pd.DataFrame(out, columns=["pool", "count", "paid_hours", "practical_hours",
                                      "used_hours", "unused_hours", "paid_cost", "used_cost",
                                      "unused_cost", "load"])
