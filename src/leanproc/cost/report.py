"""`CostReport`: what the process calculator returns, with the views a process office needs.

* `as_dict()`: flat figures (``cost.per_case``, ``labour_hours.per_year``, ...) for targets,
  replications and comparisons; money in roubles as floats.
* `by_activity()`, `by_pool()`, `capacity`: tables in roubles and hours.
* `fsa_table(lang="ru")`: the activity-based costing table in the layout of a Business Studio
  ФСА report — resource, kind (time-based or per execution), unit cost, quantity per
  execution, cost of one execution, number of executions, cost — rounded to the kopeck, with a
  total row equal to the process cost of the log.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leanproc._display import fmt_fixed, fmt_money, fmt_number
from leanproc._labels import label, note_text, unit_label
from leanproc._view import HTMLView
from leanproc.cost.money import kopecks, rub
from leanproc.cost.rates import Rate
from leanproc.kpi.stats import confidence_interval

__all__ = ["CostReport"]


@dataclass
class CostReport:
    """Cost of the cases of one event log.

    `per_case` is each case's cost (roubles, index: case id) including the fixed cost per case;
    `lines` holds one priced row per log row (``case``, ``activity``, ``pool``, ``hours``,
    ``time_cost``, ``use_cost``, ``execution_cost``, ``recorded_cost``, ``cost``,
    ``labour_hours``); `capacity` the time-driven ABC view of each pool over `window`.
    """

    per_case: pd.Series
    labour_hours_per_case: pd.Series
    lines: pd.DataFrame = field(repr=False)
    fixed_per_case: float
    rates: dict[str, Rate]
    capacity: pd.DataFrame = field(repr=False)
    volume_per_year: float | None
    volume_estimated: bool
    fte_hours: float
    window: tuple[pd.Timestamp, pd.Timestamp]
    year: int
    notes: list[str] = field(default_factory=list)

    # ---- headline figures -------------------------------------------------------------------
    @property
    def cases(self) -> int:
        return len(self.per_case)

    @property
    def total(self) -> float:
        """Cost of every case of the log (process cost of the log's period)."""
        return float(self.per_case.sum())

    @property
    def mean(self) -> float:
        """Mean cost of one case (стоимость процесса на один случай)."""
        return float(self.per_case.mean()) if self.cases else math.nan

    @property
    def per_year(self) -> float:
        """Mean cost per case x cases per year (NaN when the volume is unknown)."""
        return self.mean * self.volume_per_year if self.volume_per_year else math.nan

    @property
    def labour_hours(self) -> float:
        """Mean labour hours (трудозатраты) per case."""
        return float(self.labour_hours_per_case.mean()) if self.cases else math.nan

    @property
    def labour_hours_per_year(self) -> float:
        return self.labour_hours * self.volume_per_year if self.volume_per_year else math.nan

    @property
    def fte(self) -> float:
        """Full-time employees the yearly labour takes (labour hours per year / FTE hours)."""
        return self.labour_hours_per_year / self.fte_hours if self.fte_hours else math.nan

    @property
    def unused_capacity_cost(self) -> float:
        """Paid capacity no work used over the log's window (time-driven ABC), roubles."""
        return float(self.capacity["unused_cost"].clip(lower=0).sum())

    def distribution(self) -> dict[str, float]:
        """Mean with 95 % CI, median, p90, min and max of the cost per case.

        Priced at non-negative rates a cost is never negative, so the interval is cut at zero
        like every interval of a non-negative KPI (`leanproc.kpi.stats.confidence_interval`,
        ``nonnegative``); only a log whose recorded costs make some case negative (a refund)
        keeps the plain interval.
        """
        x = self.per_case.to_numpy(dtype=float)
        mean, low, high = confidence_interval(x, nonnegative=bool((x[~np.isnan(x)] >= 0).all()))
        if x.size == 0:
            return {"mean": math.nan}
        return {"mean": mean, "ci_low": low, "ci_high": high,
                "median": float(np.median(x)), "p90": float(np.quantile(x, 0.9)),
                "min": float(x.min()), "max": float(x.max())}

    def as_dict(self) -> dict[str, float]:
        """Flat figures: ``cost.*`` in roubles, ``labour_hours.*`` in hours, ``fte``."""
        d = self.distribution()
        out = {
            "cost.per_case": d["mean"],
            "cost.per_case.median": d.get("median", math.nan),
            "cost.per_case.p90": d.get("p90", math.nan),
            "cost.per_case.ci_low": d.get("ci_low", math.nan),
            "cost.per_case.ci_high": d.get("ci_high", math.nan),
            "cost.total": self.total,
            "cost.per_year": self.per_year,
            "cost.time_based.per_case": self._per_case_of("time_cost"),
            "cost.per_execution.per_case": self._per_case_of("execution_cost")
            + self._per_case_of("use_cost") + self._per_case_of("recorded_cost"),
            "cost.fixed.per_case": self.fixed_per_case,
            "cost.unused_capacity": self.unused_capacity_cost,
            "labour_hours.per_case": self.labour_hours,
            "labour_hours.per_year": self.labour_hours_per_year,
            "fte": self.fte,
            "volume.per_year": self.volume_per_year or math.nan,
        }
        return out

    def _per_case_of(self, column: str) -> float:
        return float(self.lines[column].sum()) / self.cases if self.cases else math.nan

    # ---- tables ---------------------------------------------------------------------------
    def by_activity(self) -> pd.DataFrame:
        """Per activity: executions, hours, time-based, per-use, per-execution and total cost,
        cost per case and share of the process cost."""
        g = self.lines.groupby("activity", sort=False)
        table = pd.DataFrame({
            "executions": g.size(),
            "hours": g["hours"].sum(),
            "time_cost": g["time_cost"].sum(),
            "use_cost": g["use_cost"].sum(),
            "execution_cost": g["execution_cost"].sum() + g["recorded_cost"].sum(),
            "cost": g["cost"].sum(),
        })
        table["per_case"] = table["cost"] / max(self.cases, 1)
        total = self.total
        table["share"] = table["cost"] / total if total else math.nan
        return table.sort_values("cost", ascending=False).reset_index()

    def by_pool(self) -> pd.DataFrame:
        """Per pool (org:role): hours, labour hours, rate, time-based and per-use cost."""
        priced = self.lines[self.lines["pool"].notna()]
        g = priced.groupby("pool", sort=False)
        table = pd.DataFrame({
            "executions": g.size(),
            "hours": g["hours"].sum(),
            "time_cost": g["time_cost"].sum(),
            "use_cost": g["use_cost"].sum(),
        })
        table["cost"] = table["time_cost"] + table["use_cost"]
        table["rate_per_hour"] = [self.rates[p].per_hour for p in table.index]
        table["hours_per_case"] = table["hours"] / max(self.cases, 1)
        return table.reset_index()

    def fsa_table(self, *, lang: str = "ru", per_year: bool = False) -> pd.DataFrame:
        """The ФСА table: one row per activity and resource, money rounded to the kopeck.

        Time-based rows: unit cost = capacity cost rate (RUB/h), quantity = mean hours per
        execution. Per-execution rows: unit cost per execution, quantity 1. The per-case fixed
        cost is one row with the number of cases as executions. The last row is the total;
        it equals `total` rounded to the kopeck.

        `per_year` scales the executions and the cost from the simulated cases to the yearly
        volume: a row's executions per year are its executions per case times
        `volume_per_year` (the total row's executions are the volume itself), its cost per
        year the cost of one execution times those. Without a volume it changes nothing.
        """
        rows: list[tuple[Any, ...]] = []
        lines = self.lines
        timed = lines[lines["pool"].notna()]
        for (activity, pool), grp in timed.groupby(["activity", "pool"], sort=False):
            rate = self.rates[str(pool)]
            n = len(grp)
            if rate.paid_per_hour > 0:
                qty = float(grp["hours"].sum()) / n
                rows.append((activity, pool, "time", rate.per_hour, qty, "h",
                             float(grp["time_cost"].sum()) / n, n, float(grp["time_cost"].sum())))
            if rate.per_use > 0:
                rows.append((activity, f"{pool} (use)", "execution", rate.per_use, 1.0, "use",
                             rate.per_use, n, float(grp["use_cost"].sum())))
        for column, resource in (("execution_cost", "materials and services"),
                                 ("recorded_cost", "recorded cost")):
            priced = lines[lines[column] != 0]
            for activity, grp in priced.groupby("activity", sort=False):
                n = len(grp)
                total = float(grp[column].sum())
                rows.append((activity, resource, "execution", total / n, 1.0, "execution",
                             total / n, n, total))
        if self.fixed_per_case:
            rows.append(("(process)", "fixed cost per case", "execution", self.fixed_per_case,
                         1.0, "case", self.fixed_per_case, self.cases,
                         self.fixed_per_case * self.cases))
        cols = ["activity", "resource", "kind", "unit_cost", "quantity", "unit",
                "cost_per_execution", "executions", "cost"]
        table = pd.DataFrame(rows, columns=cols)
        total_row = pd.DataFrame([("Total", "", "", math.nan, math.nan, "", math.nan,
                                   self.cases, self.total)], columns=cols)
        yearly = per_year and bool(self.volume_per_year) and self.cases > 0
        if yearly:
            scale = float(self.volume_per_year or 0) / self.cases  # cases -> a year's volume
            for part in (table, total_row):
                part["executions"] = (part["executions"] * scale).round(1)
                part["cost"] = part["cost"] * scale
        table = pd.concat([table, total_row], ignore_index=True)
        for money in ("unit_cost", "cost_per_execution", "cost"):
            table[money] = pd.Series(
                [kopecks(v) if not (isinstance(v, float) and math.isnan(v)) else None
                 for v in table[money]], index=table.index, dtype=object)
        table["quantity"] = table["quantity"].round(4)
        if lang == "ru":
            table["kind"] = table["kind"].map({"time": "временной", "execution": "штучный",
                                               "": ""})
            table["unit"] = table["unit"].map({"h": "ч", "use": "исп.", "execution": "вып.",
                                               "case": "случай", "": ""})
            table.loc[table.index[-1], "activity"] = "Итого стоимость процесса"
            table["resource"] = table["resource"].replace({
                "materials and services": "Материалы и услуги",
                "recorded cost": "Затраты из журнала",
                "fixed cost per case": "Постоянные затраты на одно обращение",
            })
            table["activity"] = table["activity"].replace({"(process)": "Процесс в целом"})
            table = table.rename(columns={
                "activity": "Действие", "resource": "Ресурс", "kind": "Тип ресурса",
                "unit_cost": "Стоимость единицы ресурса, руб.",
                "quantity": "Количество на одно выполнение", "unit": "Ед. изм.",
                "cost_per_execution": "Стоимость одного выполнения, руб.",
                "executions": "Количество выполнений" + (" в год" if yearly else ""),
                "cost": "Стоимость в год, руб." if yearly else "Стоимость, руб.",
            })
        elif yearly:
            table = table.rename(columns={"executions": "executions_per_year",
                                          "cost": "cost_per_year"})
        return table

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the ФСА table, ФСА by activity and by role, the headline figures and the
        parameters to an Excel workbook (.xlsx); labels in `lang` (``en`` / ``ru``)."""
        from leanproc.cost.excel import write_cost_report

        return write_cost_report(self, path, lang, parameters=parameters)

    # ---- views ---------------------------------------------------------------------------
    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``): headline figures with units, the
        cost by activity and by role."""
        from leanproc.cost.display import cost_html

        return HTMLView(cost_html(self, lang=lang), title="CostReport")

    def _repr_html_(self) -> str:
        return self.display()._repr_html_()

    def __repr__(self) -> str:
        return (f"<CostReport: {self.cases} cases, {rub(self.mean)} per case, "
                f"{self.labour_hours:,.2f} h of labour per case>")

    # ---- text ---------------------------------------------------------------------------
    def summary(self) -> dict[str, Decimal | float]:
        """Headline figures, money rounded to the kopeck."""
        d = self.as_dict()
        return {k: (kopecks(v) if k.startswith("cost.") else v) for k, v in d.items()}

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, lang: str = "en") -> str:
        """The headline figures as lines of text in `lang` (``en`` / ``ru``)."""
        d = self.distribution()
        lo, hi = self.window

        def money(value: float | None) -> str:
            return fmt_money(float(kopecks(value if value is not None else math.nan)), lang)

        def row(key: str, text: str) -> str:
            return f"  {label(key, lang):<{32 if lang == 'ru' else 18}} {text}"

        h = unit_label("h", lang)
        lines = [
            label("cost_over", lang).format(cases=self.cases, start=f"{lo:%Y-%m-%d}",
                                            end=f"{hi:%Y-%m-%d}"),
            row("cost_per_case",
                f"{money(self.mean)} ({label('ci95_short', lang)} {money(d.get('ci_low'))} .. "
                f"{money(d.get('ci_high'))}; {label('median', lang)} {money(d.get('median'))}, "
                f"{label('p90', lang)} {money(d.get('p90'))})"),
            row("labour_per_case", f"{fmt_fixed(self.labour_hours, 2, lang)} {h}"),
        ]
        if self.volume_per_year:
            est = f" ({label('estimated', lang)})" if self.volume_estimated else ""
            fte = label("fte_at", lang).format(hours=fmt_number(self.fte_hours, lang))
            lines += [
                row("volume", f"{fmt_fixed(self.volume_per_year, 0, lang)} "
                              f"{label('cases_per_year', lang)}{est}"),
                row("cost_per_year", money(self.per_year)),
                row("labour_per_year", f"{fmt_fixed(self.labour_hours_per_year, 1, lang)} {h} = "
                                       f"{fmt_fixed(self.fte, 2, lang)} {fte}"),
            ]
        lines.append(row("unused_capacity", f"{money(self.unused_capacity_cost)} "
                                            f"{label('unused_over', lang)}"))
        lines.extend(f"  {label('note', lang)}: {note_text(n, lang)}" for n in self.notes)
        return "\n".join(lines)
