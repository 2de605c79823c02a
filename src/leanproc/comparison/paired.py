"""`compare(as_is, to_be)`: AS-IS against TO-BE, KPI by KPI, with paired confidence intervals.

Both sides run the same number of replications with the same seed, so replication r of each
shares arrivals and the random draws of every element they have in common (common random
numbers, keyed by element name). The change of each KPI gets the paired t interval of the
per-replication differences; runs with different seeds (or results simulated elsewhere with
other seeds) fall back to Welch's interval and the comparison says so.

The table is the before / target / after table of a process office's project card
(Было / Цель / Стало): value with 95 % CI, absolute and relative change, and whether the target
is met by the CI bound.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leanproc._display import fmt_number
from leanproc._labels import check_lang, kpi_labels
from leanproc._view import HTMLView
from leanproc.comparison.stats import Interval, difference
from leanproc.cost.calculator import check_volume, yearly_fte_hours
from leanproc.inputs import DEFAULT_SEED, as_bound
from leanproc.kpi.display import display_value
from leanproc.kpi.stats import confidence_interval
from leanproc.targets.evaluate import TargetReport, evaluate
from leanproc.targets.measures import measure
from leanproc.targets.spec import TargetSet, parse_targets

__all__ = ["DEFAULT_KPIS", "Comparison", "build_comparison", "compare", "run_side"]

# With a calendar each time measure shows its working-time form first and the clock form after
# it (labelled, see `leanproc._labels.kpi_labels`); without one the working rows are absent
# from the values and the table skips them.
DEFAULT_KPIS = (
    "lead_time_working.mean", "lead_time.mean", "lead_time.p90", "processing_working.mean",
    "processing.mean", "waiting_working.mean", "waiting.mean", "pce_working", "pce",
    "throughput.per_day", "wip.mean", "cost.per_case", "cost.per_year",
    "labour_hours.per_case", "labour_hours.per_year", "fte", "activities", "approvals",
    "paper_documents", "participants", "handoffs", "client_actions",
)


def run_side(side: Any, *, model: Any = None, seed: int | None, replications: int,
             executor: Any = None, caller: str = "compare", argument: str = "scenario",
             ) -> list[Any]:
    """Simulation results of one side: run a scenario, or take given results as they are.

    `caller` and `argument` name the side in the error for an input that is neither.
    """
    results = getattr(side, "results", None)
    if results is not None:
        return list(results)
    if hasattr(side, "log") and hasattr(side, "bound"):
        return [side]
    # the simulator (SimPy, pydantic, holiday tables) loads only when a side is still to run:
    # comparing results already at hand, and `import leanproc.comparison`, do without it
    from leanproc.simulation.run import simulate

    scenario = as_bound(side, model, caller=caller, argument=argument)
    out = simulate(scenario, seed=seed, replications=replications, executor=executor)
    return list(getattr(out, "results", [out]))


def values_of(results: Iterable[Any], *, sla: Iterable[str] = (),
              volume_per_year: float | None = None) -> pd.DataFrame:
    """One row of flat KPI values per replication."""
    sla = list(sla)
    return pd.DataFrame([measure(r, sla=sla, volume_per_year=volume_per_year)
                         for r in results])


@dataclass
class Comparison:
    """AS-IS (before) against TO-BE (after): per-replication values of both sides.

    `paired` is True when replication r of both sides used the same seed and replication
    index (common random numbers). `targets` are checked on the TO-BE side.
    """

    before_values: pd.DataFrame
    after_values: pd.DataFrame
    paired: bool
    targets: TargetSet
    day_length: float | None
    volume_per_year: float | None
    fte_hours: float
    seeds: tuple[Any, Any]
    names: tuple[str, str] = ("AS-IS", "TO-BE")
    kpis: tuple[str, ...] = DEFAULT_KPIS
    before: list[Any] = field(default_factory=list, repr=False)
    after: list[Any] = field(default_factory=list, repr=False)

    # ---- single KPIs ------------------------------------------------------------------------
    def side(self, kpi: str, which: str = "after") -> Interval:
        """Mean over the side's replications and the 95 % t interval across them (the primary
        interval), cut at zero: every KPI of a side is non-negative (see `kpi.stats`)."""
        table = self.before_values if which == "before" else self.after_values
        if kpi not in table.columns:
            return Interval(math.nan, math.nan, math.nan)
        x = pd.to_numeric(table[kpi], errors="coerce").to_numpy(dtype=float)
        mean, low, high = confidence_interval(x, nonnegative=True)
        if np.nanmax(x) == np.nanmin(x) if np.isfinite(x).any() else False:
            low = high = mean
        return Interval(mean, low, high)

    def change(self, kpi: str) -> Interval:
        """after - before, with the paired (or Welch) 95 % CI."""
        if kpi not in self.before_values.columns or kpi not in self.after_values.columns:
            return Interval(math.nan, math.nan, math.nan)
        a = pd.to_numeric(self.before_values[kpi], errors="coerce").to_numpy(dtype=float)
        b = pd.to_numeric(self.after_values[kpi], errors="coerce").to_numpy(dtype=float)
        return difference(a, b, paired=self.paired)

    def saving(self, kpi: str) -> Interval:
        """before - after: the reduction of a KPI (positive when TO-BE is lower)."""
        return -self.change(kpi)

    def relative_change(self, kpi: str) -> Interval:
        """change / before mean (the CI is the change's CI over the before mean)."""
        base = self.side(kpi, "before").mean
        if not base or math.isnan(base):
            return Interval(math.nan, math.nan, math.nan)
        return self.change(kpi).scaled(1 / base)

    # ---- the money and labour a project card reports -----------------------------------
    def saving_per_case(self) -> Interval:
        """Cost saving per case, roubles."""
        return self.saving("cost.per_case")

    def yearly_saving(self) -> Interval:
        """Cost saving per year at the comparison's volume, roubles (feeds `rollout`)."""
        if self.volume_per_year:
            return self.saving_per_case().scaled(self.volume_per_year)
        return self.saving("cost.per_year")

    def labour_hours_saved(self) -> Interval:
        """Labour hours (трудозатраты) saved per case."""
        return self.saving("labour_hours.per_case")

    def labour_hours_saved_per_year(self) -> Interval:
        if self.volume_per_year:
            return self.labour_hours_saved().scaled(self.volume_per_year)
        return self.saving("labour_hours.per_year")

    def fte_freed(self) -> Interval:
        """Full-time employees freed: yearly labour hours saved / one FTE's yearly hours."""
        return self.labour_hours_saved_per_year().scaled(1 / self.fte_hours)

    def target_report(self) -> TargetReport:
        """Each target checked on the TO-BE replications (by the CI bound)."""
        return evaluate(self, self.targets)

    # ---- the table ----------------------------------------------------------------------------
    def table(self, kpis: Iterable[str] | None = None, *, lang: str = "en") -> pd.DataFrame:
        """Before / target / after, one row per KPI, as numbers in the units people read.

        Columns: ``kpi``; ``label`` (the KPI in words of `lang`; with a calendar the working and
        clock forms marked); ``unit`` (``h``, ``%``, ``₽``, ``cases/day`` or empty for a count);
        ``before``, ``after``, ``change`` each with ``_low`` / ``_high`` (the 95 % CI) in that
        unit; ``change_pct`` (with ``_low`` / ``_high``): the change in per cent of before;
        ``target`` (the bound as written in the unit, e.g. ``<= 24 h``) with ``target_value``;
        ``verdict`` (``met``, ``not met``, ``uncertain``, ``no data`` or empty). Numeric columns
        hold numbers only; `display` formats them. Every value is a mean over the replications
        (``table.attrs["basis"]`` says how many).
        """
        check_lang(lang)
        keys = list(dict.fromkeys([*(kpis or self.kpis),
                                   *(t.measured for t in self.targets)]))
        # a target's row is the KPI it measures (lead_time.mean <= 3wd: lead_time_working.mean)
        verdicts = {o.target.measured: o for o in self.target_report()} if self.targets else {}
        rows = []
        for key in keys:
            if key not in self.before_values.columns and key not in self.after_values.columns:
                continue
            outcome = verdicts.get(key)
            scale, unit = _scale(key)
            row: dict[str, Any] = {"kpi": key, "unit": unit}
            for name, iv in (("before", self.side(key, "before")),
                             ("after", self.side(key, "after")), ("change", self.change(key)),
                             ("change_pct", self.relative_change(key).scaled(100.0))):
                factor = 1.0 if name == "change_pct" else scale
                row[name], row[f"{name}_low"], row[f"{name}_high"] = (
                    iv.mean * factor, iv.low * factor, iv.high * factor)
            if outcome is not None:
                bound = outcome.target.bound * scale
                row["target"] = f"{outcome.target.op} {fmt_number(bound)} {unit}".rstrip()
                row["target_value"] = bound
                row["verdict"] = outcome.verdict
            else:
                row["target"], row["target_value"], row["verdict"] = "", math.nan, ""
            rows.append(row)
        columns = ["kpi", "label", "unit", "before", "before_low", "before_high", "target",
                   "target_value", "after", "after_low", "after_high", "change", "change_low",
                   "change_high", "change_pct", "change_pct_low", "change_pct_high", "verdict"]
        table = pd.DataFrame(rows, columns=[c for c in columns if c != "label"])
        table.insert(1, "label", kpi_labels(table["kpi"], lang))
        n = len(self.before_values)
        table.attrs["basis"] = (f"среднее по {n} прогонам" if lang == "ru"
                                else f"mean over {n} replications")
        return table

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write Было / Цель / Стало (numbers in their formats, verdicts, CIs, the savings line)
        and the parameters to an Excel workbook (.xlsx); labels in `lang` (``en`` / ``ru``)."""
        from leanproc.comparison.excel import write_comparison

        return write_comparison(self, path, lang, parameters=parameters)

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``): Было / Цель / Стало with verdicts,
        the savings and what the values are (means over the replications)."""
        from leanproc.comparison.display import comparison_html

        return HTMLView(comparison_html(self, lang=lang), title="Comparison")

    def _repr_html_(self) -> str:
        return self.display()._repr_html_()

    def __repr__(self) -> str:
        how = "paired" if self.paired else "unpaired"
        return (f"<Comparison {self.names[0]} -> {self.names[1]}: "
                f"{len(self.before_values)} {how} replications, {len(self.kpis)} KPIs, "
                f"{len(self.targets.targets)} targets>")

    def __str__(self) -> str:
        n = len(self.before_values)
        how = ("paired replications, common random numbers" if self.paired
               else "independent runs (Welch intervals)")
        lines = [f"{self.names[0]} vs {self.names[1]}: means over {n} replications, {how}"]
        for r in self.table().to_dict("records"):
            unit = f" {r['unit']}" if r["unit"] else ""
            tgt = f"  target {r['target']}: {r['verdict']}" if r["target"] else ""
            before = f"{_ci_text(r, 'before')}{unit}"
            lines.append(f"  {r['kpi']!s:<24} {before:>30} -> {_ci_text(r, 'after') + unit:<30} "
                         f"change {_ci_text(r, 'change')}{unit} "
                         f"({_ci_text(r, 'change_pct', signed=True)} %){tgt}")
        s, y = self.saving_per_case(), self.yearly_saving()
        lines.append(f"  saving per case {_money(s)}; per year {_money(y)}")
        h, f = self.labour_hours_saved_per_year(), self.fte_freed()
        if not math.isnan(h.mean):
            lines.append(f"  labour saved per year {h.mean:,.0f} h ({h.low:,.0f} .. "
                         f"{h.high:,.0f}) = {f.mean:,.2f} FTE")
        return "\n".join(lines)


def _scale(key: str) -> tuple[float, str]:
    """The factor from a KPI's internal unit to the unit people read, and that unit."""
    shown, unit = display_value(key, 1.0)
    return shown, unit


def _ci_text(row: Mapping[Any, Any], name: str, *, signed: bool = False) -> str:
    """``mean [low .. high]`` of a table row's numbers (the mean alone when the CI is a point)."""
    mean, low, high = row[name], row[f"{name}_low"], row[f"{name}_high"]
    if math.isnan(mean):
        return "n/a"
    text = f"{mean:+.1f}" if signed else fmt_number(mean)
    if math.isnan(low) or low == high:
        return text
    if signed:
        return f"{text} [{low:+.1f} .. {high:+.1f}]"
    return f"{text} [{fmt_number(low)} .. {fmt_number(high)}]"


def _money(iv: Interval) -> str:
    if math.isnan(iv.mean):
        return "n/a"
    return f"{iv.mean:,.2f} RUB ({iv.low:,.2f} .. {iv.high:,.2f})"


def compare(as_is: Any, to_be: Any, targets: Any = None, *, replications: int = 20,
            seed: int | None = DEFAULT_SEED, to_be_seed: int | None = None,
            volume_per_year: float | None = None, models: tuple[Any, Any] = (None, None),
            kpis: Iterable[str] | None = None, executor: Any = None,
            names: tuple[str, str] = ("AS-IS", "TO-BE")) -> Comparison:
    """Compare AS-IS and TO-BE KPI by KPI.

    Args:
        as_is, to_be: scenarios (path, mapping, `Scenario`, bound) or simulation results /
            `Replications` already run.
        targets: anything `leanproc.targets.parse_targets` reads; default the TO-BE scenario's
            ``targets:``.
        replications: replications per side (when simulating).
        seed: the seed of both sides, so replications pair up (common random numbers).
        to_be_seed: a different seed for TO-BE gives independent, unpaired runs (for studies
            of the CRN effect); the intervals are then Welch's.
        volume_per_year: cases per year for the yearly cost, labour and FTE figures.
        models: optional BPMN models (or paths) of the two sides.
        kpis: the KPI rows of the table (default `DEFAULT_KPIS` plus the targeted ones).
    """
    check_volume(volume_per_year)  # before the simulations, not after them
    before = run_side(as_is, model=models[0], seed=seed, replications=replications,
                      executor=executor, argument="as_is")
    after = run_side(to_be, model=models[1],
                     seed=seed if to_be_seed is None else to_be_seed,
                     replications=replications, executor=executor, argument="to_be")
    if targets is None:
        targets = dict(after[0].bound.targets) if after and after[0].bound.targets else None
    tset = parse_targets(targets)
    return build_comparison(before, after, tset, volume_per_year=volume_per_year, kpis=kpis,
                            names=names)


def build_comparison(before: list[Any], after: list[Any], tset: TargetSet, *,
                     volume_per_year: float | None = None,
                     values: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                     kpis: Iterable[str] | None = None,
                     names: tuple[str, str] = ("AS-IS", "TO-BE")) -> Comparison:
    """A `Comparison` of simulated results (per-replication `values` when already measured)."""
    paired = len(before) == len(after) and all(
        a.seed == b.seed and a.replication == b.replication
        for a, b in zip(before, after, strict=True))
    if values is None:
        sla = tset.sla_deadlines
        values = (values_of(before, sla=sla, volume_per_year=volume_per_year),
                  values_of(after, sla=sla, volume_per_year=volume_per_year))
    cal = after[0].bound.calendar
    return Comparison(
        before_values=values[0], after_values=values[1], paired=paired, targets=tset,
        day_length=float(cal.day_length) if cal is not None else None,
        volume_per_year=volume_per_year, fte_hours=_fte_hours(after[0]),
        seeds=(before[0].seed, after[0].seed), names=names,
        kpis=tuple(kpis) if kpis is not None else DEFAULT_KPIS, before=before, after=after,
    )


def _fte_hours(result: Any) -> float:
    """One FTE's working hours in the TO-BE year (the same basis the cost report uses)."""
    return yearly_fte_hours(result.bound, result.bound.start.year)
