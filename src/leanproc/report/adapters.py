"""Adapters from the cost and comparison layers to the report's plain tables.

The figures and tables take plain pandas data; these functions turn a `CostReport`, a
`Comparison` and a `Ladder` into exactly that, so the report needs nothing from those layers
beyond their public attributes; only the verdict words come from `leanproc.targets`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from leanproc.report.labels import check_lang, kpi_labels, label
from leanproc.report.tables import display_value
from leanproc.targets.evaluate import MET, NOT_MET, VERDICT_RU

__all__ = ["comparison_frame", "cost_by_activity", "cost_by_pool", "ladder_steps"]

_HOUR = 3600.0


def cost_by_activity(cost: Any) -> pd.DataFrame:
    """A `CostReport` as the wide table `figures.cost_bars` draws: one row per activity, one
    column per pool (roubles over all cases; ``—`` for cost not tied to a pool)."""
    lines = cost.lines
    pools = lines["pool"].astype(object).where(lines["pool"].notna(), "—")
    table = lines.assign(pool=pools).pivot_table(
        index="activity", columns="pool", values="cost", aggfunc="sum", fill_value=0.0,
        observed=True, sort=False,
    )
    table.columns = [str(c) for c in table.columns]
    return table.loc[:, table.sum() != 0]


def cost_by_pool(cost: Any) -> pd.DataFrame:
    """A `CostReport` per pool, stacked by kind of cost (time-based, per use)."""
    table = cost.by_pool().set_index("pool")[["time_cost", "use_cost"]]
    return table.loc[:, table.sum() != 0]


def ladder_steps(ladder: Any, kpi: str | None = None,
                 ) -> tuple[list[tuple[str, float]], float | None, float | None]:
    """(named savings, start, end) for `figures.waterfall`, in hours for time KPIs.

    A `Ladder` gives its own levels (means over its replications); a plain mapping or list of
    pairs passes through with no start or end.
    """
    if isinstance(ladder, Mapping):
        return [(str(k), float(v)) for k, v in ladder.items()], None, None
    if not hasattr(ladder, "waterfall"):
        return [(str(k), float(v)) for k, v in ladder], None, None
    kpi = kpi or ladder.lead_time_kpi
    scale = _HOUR if display_value(kpi, 1.0)[1] == "h" else 1.0
    table = ladder.waterfall([kpi])
    steps = [(str(r["improvement"]), float(r[f"{kpi}.saving"]))
             for r in table.to_dict("records")]
    last = len(ladder.improvements)
    return steps, ladder.level(0, kpi) / scale, ladder.level(last, kpi) / scale


def comparison_frame(comparison: Any, *, kpis: Iterable[str] | None = None,
                     lang: str = "en") -> pd.DataFrame:
    """A `Comparison` in the layout of `tables.before_target_after_table` (display units,
    means over the replications, the verdicts of `leanproc.targets`)."""
    check_lang(lang)
    try:
        outcomes = {o.target.measured: o for o in comparison.target_report()}
    except Exception:  # no targets, or none that apply: a table without verdicts
        outcomes = {}
    keys = list(dict.fromkeys([*(kpis or comparison.kpis), *outcomes]))
    rows = []
    for key in keys:
        before = comparison.side(key, "before").mean
        after = comparison.side(key, "after").mean
        if math.isnan(before) and math.isnan(after):
            continue
        shown_b, unit = display_value(key, before)
        shown_a, _ = display_value(key, after)
        outcome = outcomes.get(key)
        target_text, target_value, met, verdict = "", math.nan, None, label("no_target", lang)
        if outcome is not None:
            t = outcome.target
            target_text = getattr(t, "bound_text", None) or t.text
            target_value = display_value(key, t.bound)[0] if not math.isnan(t.bound) else math.nan
            met = True if outcome.verdict == MET else False if outcome.verdict == NOT_MET else None
            verdict = _verdict_word(outcome.verdict, lang)
        change = (after / before - 1.0) * 100.0 if before and not math.isnan(before) else math.nan
        rows.append({"kpi": key, "label": "", "before": shown_b,
                     "target": target_text, "target_value": target_value, "after": shown_a,
                     "unit": unit, "change": change, "met": met, "verdict": verdict})
    table = pd.DataFrame(rows, columns=["kpi", "label", "before", "target", "target_value",
                                        "after", "unit", "change", "met", "verdict"])
    table["label"] = kpi_labels(table["kpi"], lang)
    return table


def _verdict_word(verdict: str, lang: str) -> str:
    if lang == "ru":
        return VERDICT_RU.get(verdict, verdict)
    return verdict
