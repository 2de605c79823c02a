"""How a process cost (ФСА) shows itself in Jupyter: the headline figures, cost by activity and
by role.

`CostReport.display(lang)` calls `cost_html`. The numbers come from the report's own numeric
tables (`by_activity`, `by_pool`, roubles and hours), the HTML pieces from `leanproc._display`
and the words from `leanproc._labels` (this view's own under ``view.cost.*``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from leanproc._display import STYLE, escape, fmt_number, table_html
from leanproc._labels import check_lang, label, note_text, unit_label
from leanproc._view import view_div

if TYPE_CHECKING:
    from leanproc.cost.report import CostReport

__all__ = ["cost_html"]




def cost_html(cost: CostReport, *, lang: str = "en", top: int = 15) -> str:
    """The headline figures, the `top` activities by cost and the cost by role."""
    check_lang(lang)
    rub, h = unit_label("₽", lang), unit_label("h", lang)
    start, end = cost.window
    head = label("view.cost.head", lang, n=f"{cost.cases:,}".replace(",", "\u202f"),
              start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}")
    d = cost.distribution()
    figures: list[tuple[str, str]] = []
    ci = ""
    if not math.isnan(d.get("ci_low", math.nan)) and d["ci_low"] != d["ci_high"]:
        ci = " (" + label("view.cost.ci", lang, low=fmt_number(d["ci_low"], lang),
                       high=fmt_number(d["ci_high"], lang)) + ")"
    figures.append((label("view.cost.per_case", lang), f"{fmt_number(cost.mean, lang)} {rub}{ci}"))
    figures.append((label("view.cost.labour_case", lang),
                    f"{fmt_number(cost.labour_hours, lang)} {h}"))
    if cost.volume_per_year:
        est = f" ({label('view.cost.estimated', lang)})" if cost.volume_estimated else ""
        figures += [
            (label("view.cost.volume", lang),
             f"{fmt_number(cost.volume_per_year, lang)} {label('view.cost.cases', lang)}{est}"),
            (label("view.cost.per_year", lang), f"{fmt_number(cost.per_year, lang)} {rub}"),
            (label("view.cost.labour_year", lang),
             f"{fmt_number(cost.labour_hours_per_year, lang)} {h}"),
            (label("view.cost.fte", lang), fmt_number(cost.fte, lang)),
        ]
    figures.append((label("view.cost.unused", lang),
                    f"{fmt_number(cost.unused_capacity_cost, lang)} {rub}"))
    headline = "".join(f"<li>{escape(k)}: <b>{escape(v)}</b></li>" for k, v in figures)

    activities = cost.by_activity().head(top)
    by_activity = table_html(
        [label("activity", lang), label("view.cost.executions", lang),
         f"{label('view.cost.hours', lang)}, {h}",
         f"{label('cost', lang)}, {rub}", f"{label('view.cost.per_case_col', lang)}, {rub}",
         label("view.cost.share", lang)],
        [(r["activity"], r["executions"], r["hours"], r["cost"], r["per_case"],
          r["share"] * 100.0) for r in activities.to_dict("records")],
        caption=label("cost_by_activity", lang), lang=lang)
    pools = cost.by_pool()
    by_pool = table_html(
        [label("view.cost.role", lang), label("view.cost.executions", lang),
         f"{label('view.cost.hours', lang)}, {h}", f"{label('view.cost.hours_case', lang)}, {h}",
         f"{label('view.cost.rate', lang)}, {rub}/{h}",
         f"{label('cost', lang)}, {rub}"],
        [(r["pool"], r["executions"], r["hours"], r["hours_per_case"], r["rate_per_hour"],
          r["cost"]) for r in pools.to_dict("records")],
        caption=label("view.cost.by_role", lang), lang=lang)
    notes = "".join(f"<li>{escape(note_text(n, lang))}</li>" for n in cost.notes)
    notes_html = f"<p>{escape(label('notes', lang))}:</p><ul>{notes}</ul>" if notes else ""
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p><ul>{headline}</ul>"
                    "<div style='display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start'>"
                    f"<div>{by_activity}</div><div>{by_pool}</div></div>"
                    f"<p style='color:#666'>{escape(label('view.cost.basis', lang))}</p>"
                    f"{notes_html}")
