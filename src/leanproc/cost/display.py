"""How a process cost (ФСА) shows itself in Jupyter: the headline figures, cost by activity and
by role.

`CostReport.display(lang)` calls `cost_html`. The numbers come from the report's own numeric
tables (`by_activity`, `by_pool`, roubles and hours), the HTML pieces from `leanproc._display`
and the common words from `leanproc._labels`; the few words of costing those lack are below.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leanproc._display import STYLE, escape, fmt_number, table_html
from leanproc._labels import check_lang, label, note_text, unit_label
from leanproc._view import view_div

if TYPE_CHECKING:
    from leanproc.cost.report import CostReport

__all__ = ["cost_html"]

# key -> (English, Russian)
_WORDS: dict[str, tuple[str, str]] = {
    "head": ("Process cost (activity-based) over {n} cases, {start} – {end}",
             "Стоимость процесса (ФСА) по {n} случаям, {start} – {end}"),
    "per_case": ("Cost per case", "Стоимость одного обращения"),
    "ci": ("95 % CI {low} … {high}", "95 % ДИ {low} … {high}"),
    "labour_case": ("Labour per case", "Трудозатраты на одно обращение"),
    "volume": ("Volume per year", "Объём в год"),
    "estimated": ("estimated from the log", "оценка по журналу"),
    "per_year": ("Cost per year", "Стоимость в год"),
    "labour_year": ("Labour per year", "Трудозатраты в год"),
    "fte": ("FTE", "Штатные единицы"),
    "unused": ("Unused capacity over the window (not in the process cost)",
               "Неиспользованная мощность за период (не входит в стоимость процесса)"),
    "executions": ("Executions", "Выполнений"),
    "hours": ("Hours", "Часы"),
    "per_case_col": ("Per case", "На одно обращение"),
    "share": ("Share, %", "Доля, %"),
    "role": ("Role", "Роль"),
    "rate": ("Rate", "Ставка"),
    "hours_case": ("Hours per case", "Часов на одно обращение"),
    "by_role": ("Cost by role", "Стоимость по ролям"),
    "cases": ("cases", "случаев"),
    "basis": ("Money in roubles over all cases of the log; hours of work as recorded.",
              "Деньги в рублях по всем случаям журнала; часы работы по журналу."),
}


def _w(key: str, lang: str, **fields: Any) -> str:
    return _WORDS[key][check_lang(lang)].format(**fields)


def cost_html(cost: CostReport, *, lang: str = "en", top: int = 15) -> str:
    """The headline figures, the `top` activities by cost and the cost by role."""
    check_lang(lang)
    rub, h = unit_label("₽", lang), unit_label("h", lang)
    start, end = cost.window
    head = _w("head", lang, n=f"{cost.cases:,}".replace(",", "\u202f"),
              start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}")
    d = cost.distribution()
    figures: list[tuple[str, str]] = []
    ci = ""
    if not math.isnan(d.get("ci_low", math.nan)) and d["ci_low"] != d["ci_high"]:
        ci = " (" + _w("ci", lang, low=fmt_number(d["ci_low"], lang),
                       high=fmt_number(d["ci_high"], lang)) + ")"
    figures.append((_w("per_case", lang), f"{fmt_number(cost.mean, lang)} {rub}{ci}"))
    figures.append((_w("labour_case", lang), f"{fmt_number(cost.labour_hours, lang)} {h}"))
    if cost.volume_per_year:
        est = f" ({_w('estimated', lang)})" if cost.volume_estimated else ""
        figures += [
            (_w("volume", lang),
             f"{fmt_number(cost.volume_per_year, lang)} {_w('cases', lang)}{est}"),
            (_w("per_year", lang), f"{fmt_number(cost.per_year, lang)} {rub}"),
            (_w("labour_year", lang), f"{fmt_number(cost.labour_hours_per_year, lang)} {h}"),
            (_w("fte", lang), fmt_number(cost.fte, lang)),
        ]
    figures.append((_w("unused", lang), f"{fmt_number(cost.unused_capacity_cost, lang)} {rub}"))
    headline = "".join(f"<li>{escape(k)}: <b>{escape(v)}</b></li>" for k, v in figures)

    activities = cost.by_activity().head(top)
    by_activity = table_html(
        [label("activity", lang), _w("executions", lang), f"{_w('hours', lang)}, {h}",
         f"{label('cost', lang)}, {rub}", f"{_w('per_case_col', lang)}, {rub}",
         _w("share", lang)],
        [(r["activity"], r["executions"], r["hours"], r["cost"], r["per_case"],
          r["share"] * 100.0) for r in activities.to_dict("records")],
        caption=label("cost_by_activity", lang), lang=lang)
    pools = cost.by_pool()
    by_pool = table_html(
        [_w("role", lang), _w("executions", lang), f"{_w('hours', lang)}, {h}",
         f"{_w('hours_case', lang)}, {h}", f"{_w('rate', lang)}, {rub}/{h}",
         f"{label('cost', lang)}, {rub}"],
        [(r["pool"], r["executions"], r["hours"], r["hours_per_case"], r["rate_per_hour"],
          r["cost"]) for r in pools.to_dict("records")],
        caption=_w("by_role", lang), lang=lang)
    notes = "".join(f"<li>{escape(note_text(n, lang))}</li>" for n in cost.notes)
    notes_html = f"<p>{escape(label('notes', lang))}:</p><ul>{notes}</ul>" if notes else ""
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p><ul>{headline}</ul>"
                    "<div style='display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start'>"
                    f"<div>{by_activity}</div><div>{by_pool}</div></div>"
                    f"<p style='color:#666'>{escape(_w('basis', lang))}</p>{notes_html}")
