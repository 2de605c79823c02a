"""Post-monitoring (постмониторинг): did reality confirm the projection?

``validate(projection, actual, targets)`` puts side by side, KPI by KPI, what the simulation
projected (with its 95 % confidence interval), what a real log shows, and the target; tests
whether the per-case lead times come from the same distribution; and names the activities
whose processing and waiting moved the lead time most away from the projection.

``validate_as_is(model, log)`` is the AS-IS check that comes before any projection: calibrate a
scenario from the log, simulate it, and validate the simulation against the same log. A model
that cannot reproduce today's lead time should not be trusted with tomorrow's.

Verdict per KPI (the rule, exactly; it judges the *projection*, the target is reported apart
in ``target_met``):

* the *projected interval* is where one real period is expected to fall (columns
  ``expected_low`` / ``expected_high``): for replications the 95 % prediction interval of one
  more run, ``mean -+ t * s * sqrt(1 + 1/n)`` (`kpi.stats.prediction_interval`; the real log is
  one realisation, as long as a run, not the mean of many); for one run the batch-means CI of a
  ``*.mean`` KPI widened by sqrt(2) (two independent runs of that length); for a
  ``{kpi: {"mean", "ci_low", "ci_high"}}`` projection the interval given. A KPI without one
  (a single run's median, a bare number) has no projected interval. ``ci_low`` / ``ci_high``
  remain the CI of the projected mean;
* the *distribution tests* are Mann-Whitney U and Kolmogorov-Smirnov on the per-case lead
  times; they *reject* when either p-value is below ``1 - level`` (0.05). They enter every
  KPI's verdict: they say whether reality runs the projected process at all. Without per-case
  lead times on both sides (a ``{kpi: value}`` projection) the interval decides alone;
* the interval is *informative* when its half-width is at most `max_relative_half_width`
  (default 0.5) times the projected value: an interval such as [0.04; 14.6] h around 7 h
  would contain almost any reality and confirms nothing;
* **inconclusive** when either value is missing, the real log has fewer than `min_cases`
  finished cases, or there is no projected interval;
* **confirmed** when the real value lies inside the projected interval, the interval is
  informative and no distribution test rejects;
* **not confirmed** when the real value lies outside the projected interval and the tests
  reject (or could not be run);
* **inconclusive** otherwise: inside but uninformative or rejected by a test, or outside while
  the tests see no difference. The ``reason`` column says which.

Distribution checks on per-case lead times (hours): Mann-Whitney U (two-sided; are lead times
systematically longer or shorter?), the two-sample Kolmogorov-Smirnov statistic and p-value
(any difference in shape) and the Wasserstein distance (in hours: how far, on average, the
mass of one distribution must move to become the other).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leanproc.calendar import Calendar
from leanproc.errors import LogError
from leanproc.inputs import DEFAULT_SEED, as_log, as_model
from leanproc.kpi import KPIReport, kpis
from leanproc.kpi.report import unit_of
from leanproc.kpi.stats import confidence_interval, prediction_interval
from leanproc.log import ENABLE, END, START
from leanproc.mining._calibrate_log import enable_times
from leanproc.mining._enablement import estimate_enable
from leanproc.mining.calibrate import calibrate
from leanproc.simulation.result import Replications, SimulationResult
from leanproc.simulation.run import simulate
from leanproc.targets import parse_targets

__all__ = ["DEFAULT_KPIS", "ValidationReport", "validate", "validate_as_is"]

DEFAULT_KPIS = ("lead_time.mean", "lead_time.median", "lead_time.p90", "processing.mean",
                "waiting.mean", "throughput.per_day")
_HOUR = 3600.0


@dataclass
class _Side:
    """One side of the comparison: KPI values, their intervals, lead times, activities."""

    values: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]
    lead_h: np.ndarray | None
    activities: pd.DataFrame | None  # activity, count, cases, waiting_mean, processing_mean
    cases: int
    finished: int
    arrivals: tuple[pd.Timestamp, pd.Timestamp] | None = None
    # where one real period is expected to fall (the verdict's interval); missing: low / high
    expect_low: dict[str, float] = field(default_factory=dict)
    expect_high: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class ValidationReport:
    """KPI table with verdicts, lead-time distribution tests and activity deviations.

    `table`: ``kpi``, ``projected``, ``ci_low``, ``ci_high``, ``actual``, ``actual_low``,
    ``actual_high``, ``target``, ``target_met``, ``tests_reject`` (True / False, None when the
    lead-time tests could not be run), ``verdict`` and ``reason`` (times in seconds as in
    `KPIReport.as_dict`). `lead_time`: ``mann_whitney_u``, ``mann_whitney_p``, ``ks``, ``ks_p``,
    ``wasserstein_h``, ``n_projected``, ``n_actual``, means and medians in hours.
    `activities`: per activity the projected and actual mean processing and waiting (hours) and
    ``impact_h``: how much the activity adds to the projected minus the actual lead time per
    case, sorted by its size. `arrivals`: first and last arrival, projected and actual.
    """

    table: pd.DataFrame
    lead_time: dict[str, float]
    activities: pd.DataFrame
    arrivals: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    calibration: Any = None  # validate_as_is(): the Calibration used

    @property
    def targets_met(self) -> bool | None:
        """Whether every target holds on the actual log (None when no KPI has a target).

        A target's `target_met` is None when it could not be judged (no actual value): then
        the whole answer is None too, never a silent pass."""
        if self.table.empty or "target" not in self.table:
            return None
        judged = self.table.loc[self.table["target"].astype(str) != "", "target_met"]
        if judged.empty or judged.isna().any():
            return None
        return bool(judged.astype(bool).all())

    def verdict(self, kpi: str) -> str:
        row = self.table[self.table["kpi"] == kpi]
        return str(row["verdict"].iloc[0]) if len(row) else "inconclusive"

    def __str__(self) -> str:
        lines = ["Post-monitoring: projection vs actual (projected: the range one real period "
                 "is expected in, 95 %)"]
        for r in self.table.to_dict("records"):
            kpi = str(r["kpi"])
            scale, unit = (_HOUR, "h") if _is_time(kpi) else (1.0, "")
            target = f", target {r['target']}" if r["target"] else ""
            lo, hi = float(r["expected_low"]) / scale, float(r["expected_high"]) / scale
            lines.append(f"  {kpi:<22} projected {float(r['projected']) / scale:,.3g}{unit} "
                         f"[{lo:,.3g}; {hi:,.3g}]  actual "
                         f"{float(r['actual']) / scale:,.3g}{unit}{target}  -> {r['verdict']} "
                         f"({r['reason']})")
        lt = self.lead_time
        if lt:
            lines.append(f"  lead time: Mann-Whitney p {lt['mann_whitney_p']:.3g}, KS "
                         f"{lt['ks']:.3f} (p {lt['ks_p']:.3g}), Wasserstein "
                         f"{lt['wasserstein_h']:.3g} h")
        for a in self.activities.dropna(subset=["impact_h"]).head(5).to_dict("records"):
            lines.append(f"  {a['activity']}: {float(a['impact_h']):+.3g} h per case")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _is_time(kpi: str) -> bool:
    return unit_of(kpi) == "s"


# ---- reading the projection and the actual ------------------------------------------------

def _activities_of(report: Any) -> pd.DataFrame:
    table = report.per_activity[["activity", "count", "waiting_mean", "processing_mean"]].copy()
    table["cases"] = report.cases
    return table


def _from_report(report: Any, lead_h: np.ndarray | None = None) -> _Side:
    values = report.as_dict(activities=False)
    low, high = {}, {}
    for key in values:
        if key.endswith(".mean") and f"{key[:-5]}.ci_low" in values:
            low[key] = values[f"{key[:-5]}.ci_low"]
            high[key] = values[f"{key[:-5]}.ci_high"]
    if lead_h is None:
        per_case = report.per_case
        lead_h = per_case.loc[per_case["finished"], "lead"].to_numpy(dtype=float) / _HOUR
    side = _Side(values, low, high, lead_h, _activities_of(report), report.cases,
                 report.cases_finished)
    # one run: a second independent run as long has the same variance, so the difference of
    # their means has twice the variance of one: the interval widens by sqrt(2)
    for key, lo in low.items():
        mean, half = values[key], (high[key] - lo) / 2 * math.sqrt(2.0)
        side.expect_low[key], side.expect_high[key] = max(mean - half, 0.0), mean + half
    return side


def _from_results(results: list[Any], values_table: pd.DataFrame | None = None) -> _Side:
    """Replications (or a comparison's TO-BE side): means and t intervals across runs."""
    reports = [r.kpi for r in results]
    table = values_table if values_table is not None else pd.DataFrame(
        [rep.as_dict(activities=False) for rep in reports])
    values, low, high = {}, {}, {}
    expect_low: dict[str, float] = {}
    expect_high: dict[str, float] = {}
    for col in table.columns:
        x = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if not len(x):
            continue
        # every KPI is non-negative: the interval is cut at zero (see kpi.stats); one
        # replication has no interval
        mean, lo, hi = confidence_interval(x, nonnegative=True)
        values[col], low[col], high[col] = float(mean), float(lo), float(hi)
        _, expect_low[col], expect_high[col] = prediction_interval(x, nonnegative=True)
    lead = [np.asarray(r.lead_times, dtype=float) for r in results]
    acts = []
    for rep in reports:
        if getattr(rep, "per_activity", None) is not None:
            acts.append(_activities_of(rep))
    activities = None
    if acts:
        frame = pd.concat(acts)
        frame["w_sum"] = frame["waiting_mean"] * frame["count"]
        frame["p_sum"] = frame["processing_mean"] * frame["count"]
        g = frame.groupby("activity", sort=False)
        activities = pd.DataFrame({"count": g["count"].sum(), "w_sum": g["w_sum"].sum(),
                                   "p_sum": g["p_sum"].sum()}).reset_index()
        activities["waiting_mean"] = activities["w_sum"] / activities["count"]
        activities["processing_mean"] = activities["p_sum"] / activities["count"]
        activities["cases"] = sum(rep.cases for rep in reports)
        activities = activities.drop(columns=["w_sum", "p_sum"])
    arrivals = [(r.cases["arrival"].min(), r.cases["arrival"].max()) for r in results
                if len(r.cases)]
    side = _Side(values, low, high, np.concatenate(lead) if lead else None, activities,
                 int(sum(rep.cases for rep in reports)),
                 int(sum(rep.cases_finished for rep in reports)), None, expect_low,
                 expect_high)
    if arrivals:
        side.arrivals = arrivals[0]
    return side


def _projection(projection: Any) -> _Side:
    if isinstance(projection, SimulationResult):
        side = _from_report(projection.kpi)
        side.lead_h = np.asarray(projection.lead_times, dtype=float)
        if len(projection.cases):
            side.arrivals = (projection.cases["arrival"].min(), projection.cases["arrival"].max())
        return side
    if isinstance(projection, Replications):
        return _from_results(list(projection.results))
    if isinstance(projection, KPIReport):
        return _from_report(projection)
    after = getattr(projection, "after_values", None)
    if isinstance(after, pd.DataFrame):  # a Comparison: its TO-BE side
        results = list(getattr(projection, "after", []) or [])
        if results:
            return _from_results(results, after)
        side = _from_results([], after)
        side.lead_h = None
        return side
    if isinstance(projection, Mapping):
        values, low, high = {}, {}, {}
        for key, v in projection.items():
            if isinstance(v, Mapping):
                values[key] = float(v.get("mean", math.nan))
                low[key] = float(v.get("ci_low", math.nan))
                high[key] = float(v.get("ci_high", math.nan))
            else:  # a bare number: a projection without an interval
                values[key] = float(v)
        return _Side(values, low, high, None, None, 0, 0)
    raise TypeError(f"validate: cannot read a projection from {type(projection).__name__}; give "
                    f"a SimulationResult, Replications, a Comparison or a {{kpi: value}} dict")


def _actual(actual: Any, calendar: Any, sla: list[str]) -> _Side:
    if isinstance(actual, SimulationResult):
        return _projection(actual)
    if isinstance(actual, KPIReport):
        return _from_report(actual)
    if not isinstance(actual, pd.DataFrame):
        raise LogError(f"validate: the actual side must be an event log (read_log) or a KPI "
                       f"report, got {type(actual).__name__}", source="validate")
    actual, estimated = _with_enable(actual)
    report = kpis(actual, calendar, sla=sla or None)
    side = _from_report(report)
    if estimated:
        side.notes.append(f"the real log has no enablement time for {estimated} row(s) with a "
                          f"start: estimated as the latest completion in the case before the "
                          f"start (as calibrate measures waits)")
    starts = report.per_case["start"]
    if len(starts):
        side.arrivals = (starts.min(), starts.max())
    return side


def _with_enable(log: pd.DataFrame,
                 estimate: Callable[[], pd.Series] | None = None) -> tuple[pd.DataFrame, int]:
    """`log` with the enablement of its started rows estimated where the log lacks it, and how
    many rows were estimated. Without it a real log's per-activity waits are unknown, and a
    comparison with the simulated waits would count them as zero. `estimate` gives every
    row's estimate (default: `estimate_enable`, the latest completion in the case before the
    start)."""
    if START not in log.columns:
        return log, 0
    given = log[ENABLE] if ENABLE in log.columns else pd.Series(pd.NaT, index=log.index)
    missing = given.isna() & log[START].notna() & log[END].notna()
    if not missing.any():
        return log, 0
    estimated = estimate() if estimate is not None else estimate_enable(log)
    out = log.copy()
    out[ENABLE] = estimated.where(missing)  # the estimate's dtype (the log's zone) throughout
    if given.notna().any():
        known = pd.to_datetime(given[~missing], utc=True)
        out.loc[~missing, ENABLE] = (known.dt.tz_convert(estimated.dt.tz)
                                     if estimated.dt.tz is not None else known)
    return out, int(missing.sum())


# ---- the comparison ------------------------------------------------------------------------

def _verdict(p: float, p_lo: float, p_hi: float, a: float, target: Any, enough: bool, *,
             rejects: bool | None, max_relative_half_width: float = 0.5,
             ) -> tuple[str, bool | None, str]:
    """(verdict, target met, reason) by the rule of the module docstring.

    `rejects`: whether a distribution test rejects equality (None: the tests could not be
    run)."""
    met = None if target is None or not math.isfinite(a) else bool(target.holds(a))
    if not enough:
        return "inconclusive", met, "too few finished real cases"
    if not (math.isfinite(p) and math.isfinite(a)):
        return "inconclusive", met, "a value is missing"
    if not (math.isfinite(p_lo) and math.isfinite(p_hi)):
        return "inconclusive", met, "no projected interval"
    inside = p_lo <= a <= p_hi
    informative = (p_hi - p_lo) / 2 <= max_relative_half_width * abs(p)
    if inside and informative and rejects is not True:
        return "confirmed", met, "inside the projected interval"
    if not inside and rejects is not False:
        why = "the distribution tests reject" if rejects else "no distribution test was run"
        return "not confirmed", met, f"outside the projected interval; {why}"
    if not inside:
        return "inconclusive", met, "outside the interval, but the distribution tests agree"
    if not informative:
        return "inconclusive", met, "the projected interval is too wide to be informative"
    return "inconclusive", met, "inside the interval, but a distribution test rejects"


def _rejects(tests: dict[str, float], level: float) -> bool | None:
    """Whether the lead-time distribution tests reject (None when they could not be run)."""
    if not tests:
        return None
    alpha = 1.0 - level
    return bool(tests["mann_whitney_p"] < alpha or tests["ks_p"] < alpha)


def _lead_tests(proj: np.ndarray | None, act: np.ndarray | None) -> dict[str, float]:
    from scipy import stats

    if proj is None or act is None:
        return {}
    proj = proj[np.isfinite(proj)]
    act = act[np.isfinite(act)]
    if len(proj) < 2 or len(act) < 2:
        return {}
    mw = stats.mannwhitneyu(proj, act, alternative="two-sided")
    ks = stats.ks_2samp(proj, act, method="asymp")
    return {
        "n_projected": float(len(proj)), "n_actual": float(len(act)),
        "mean_projected_h": float(proj.mean()), "mean_actual_h": float(act.mean()),
        "median_projected_h": float(np.median(proj)), "median_actual_h": float(np.median(act)),
        "mann_whitney_u": float(mw.statistic), "mann_whitney_p": float(mw.pvalue),
        "ks": float(ks.statistic), "ks_p": float(ks.pvalue),
        "wasserstein_h": float(stats.wasserstein_distance(proj, act)),
    }


def _activity_deviations(proj: pd.DataFrame | None, act: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["activity", "processing_projected_h", "processing_actual_h",
               "waiting_projected_h", "waiting_actual_h", "per_case_projected",
               "per_case_actual", "impact_h"]
    if proj is None or act is None:
        return pd.DataFrame(columns=columns)

    def prepared(t: pd.DataFrame, tag: str) -> pd.DataFrame:
        out = pd.DataFrame({"activity": t["activity"].astype(str)})
        out[f"processing_{tag}_h"] = t["processing_mean"].to_numpy() / _HOUR
        out[f"waiting_{tag}_h"] = t["waiting_mean"].to_numpy() / _HOUR
        cases = t["cases"].to_numpy(dtype=float)
        out[f"per_case_{tag}"] = np.where(cases > 0, t["count"].to_numpy() / cases, np.nan)
        return out

    table = prepared(proj, "projected").merge(prepared(act, "actual"), on="activity",
                                              how="outer")

    def total(tag: str) -> pd.Series:
        time = (table[f"processing_{tag}_h"].fillna(0) + table[f"waiting_{tag}_h"].fillna(0))
        return time * table[f"per_case_{tag}"].fillna(0)

    table["impact_h"] = total("projected") - total("actual")
    unknown = table["processing_actual_h"].isna() & table["waiting_actual_h"].isna()
    table.loc[unknown, "impact_h"] = np.nan  # no start times: the actual split is unknown
    # an activity on both sides whose wait is known on one only: a missing wait is not zero
    both = table["per_case_projected"].notna() & table["per_case_actual"].notna()
    one_wait = table["waiting_projected_h"].isna() != table["waiting_actual_h"].isna()
    table.loc[both & one_wait, "impact_h"] = np.nan
    table = table.reindex(table["impact_h"].abs().sort_values(ascending=False).index)
    return table[columns].reset_index(drop=True)


def validate(projection: Any, actual: Any, targets: Any = None, *,
             kpis: tuple[str, ...] | list[str] | None = None, calendar: Any = None,
             min_cases: int = 10, level: float = 0.95,
             max_relative_half_width: float = 0.5) -> ValidationReport:
    """Compare a projection with reality, KPI by KPI (see the module docstring).

    Args:
        projection: a `SimulationResult`, `Replications`, a `Comparison` (its TO-BE side), a
            `KPIReport`, or ``{kpi: value}`` / ``{kpi: {"mean", "ci_low", "ci_high"}}``.
        actual: the real event log (a DataFrame in the one schema or a log file path) or its
            `KPIReport`.
        targets: targets as data (``{"lead_time.mean": "<= 24h"}``, a list, a file, a
            scenario); their KPIs join the table.
        kpis: the flat KPI names to compare (default `DEFAULT_KPIS` plus the targets').
        calendar: the calendar for the actual log's KPIs (working-time targets need one).
        min_cases: fewer finished real cases than this make every verdict inconclusive.
        level: the confidence level of the intervals; the distribution tests reject below
            ``1 - level``.
        max_relative_half_width: a projected interval wider than this share of the projected
            value (each side) is too wide to confirm anything.
    """
    if isinstance(actual, str | os.PathLike):
        actual = as_log(actual, caller="validate", argument="actual",
                        calendar=Calendar.parse(calendar))
    target_set = parse_targets(targets)
    proj = _projection(projection)
    act = _actual(actual, calendar, target_set.sla_deadlines)
    by_kpi = {t.measured: t for t in target_set}
    names = list(kpis or DEFAULT_KPIS)
    names += [k for k in by_kpi if k not in names]
    notes: list[str] = list(act.notes)
    enough = act.finished >= min_cases
    if not enough:
        notes.append(f"only {act.finished} finished real case(s): verdicts are inconclusive")
    tests = _lead_tests(proj.lead_h, act.lead_h)
    rows = []
    for kpi in names:
        nan = math.nan
        p, a = proj.values.get(kpi, nan), act.values.get(kpi, nan)
        p_lo, p_hi = proj.low.get(kpi, nan), proj.high.get(kpi, nan)
        e_lo, e_hi = proj.expect_low.get(kpi, p_lo), proj.expect_high.get(kpi, p_hi)
        a_lo, a_hi = act.low.get(kpi, a), act.high.get(kpi, a)
        target = by_kpi.get(kpi)
        if target is not None and target.working_days is not None:
            day = getattr(calendar, "day_length", None)
            target = target.bound_for(day) if day else target
        rejects = _rejects(tests, level)
        verdict, met, reason = _verdict(p, e_lo, e_hi, a, target, enough, rejects=rejects,
                                        max_relative_half_width=max_relative_half_width)
        rows.append({"kpi": kpi, "projected": p, "ci_low": p_lo, "ci_high": p_hi, "actual": a,
                     "expected_low": e_lo, "expected_high": e_hi,
                     "actual_low": a_lo, "actual_high": a_hi,
                     "target": target.bound_text if target is not None else "",
                     "target_met": met, "tests_reject": rejects, "verdict": verdict,
                     "reason": reason})
    table = pd.DataFrame(rows)
    arrivals: dict[str, Any] = {}
    if proj.arrivals is not None and act.arrivals is not None:
        arrivals = {
            "projected_first": proj.arrivals[0], "projected_last": proj.arrivals[1],
            "actual_first": act.arrivals[0], "actual_last": act.arrivals[1],
            "projected_span_days": (proj.arrivals[1] - proj.arrivals[0]).total_seconds() / 86400,
            "actual_span_days": (act.arrivals[1] - act.arrivals[0]).total_seconds() / 86400,
        }
    deviations = _activity_deviations(proj.activities, act.activities)
    if len(deviations) and deviations["impact_h"].isna().all():
        notes.append("the real log has no start times: per-activity processing and waiting "
                     "cannot be compared")
    return ValidationReport(table, tests, deviations, arrivals, notes)


def validate_as_is(model: Any, log: Any, *, replications: int = 5, seed: int = DEFAULT_SEED,
                   calendar: Any = None, timezone: str | None = None,
                   **options: Any) -> ValidationReport:
    """The AS-IS validity check: calibrate from `log`, simulate, validate against `log`.

    `model` and `log` are any model and log input (README, "API conventions"). `options` go to
    `calibrate` (``arrivals``, ``waits``, ``enablement``); the returned report carries the
    `Calibration` as ``.calibration``.
    """
    model, log = as_model(model, caller="validate_as_is"), as_log(log, caller="validate_as_is")
    fitted = calibrate(model, log, calendar=calendar, timezone=timezone, **options)
    result = simulate(fitted.scenario, model, seed=seed, replications=replications)
    # the real waits as the calibration measured them (the model's enabler where the log
    # runs branches concurrently), so that they compare with the simulated waits like for like
    real, estimated = _with_enable(log, lambda: enable_times(
        model, log, mode=options.get("enablement", "auto"), timezone=timezone))
    report = validate(result, real)
    if estimated:
        report.notes.append(f"the real log has no enablement time for {estimated} row(s) with "
                            f"a start: taken as calibrate measured it (see "
                            f"Calibration.parallel_blocks)")
    if not isinstance(result, SimulationResult) and len(result) > 1:
        spans = [(r.cases["arrival"].max() - r.cases["arrival"].min()).total_seconds() / 86400
                 for r in result.results]
        report.arrivals["projected_span_days"] = float(np.mean(spans))
    report.calibration = fitted
    return report
