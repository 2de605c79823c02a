"""How a comparison and an improvement ladder show themselves in Jupyter.

`Comparison.display(lang)` and `Ladder.display(lang)` call the functions here. They read the
objects' own numeric tables (`Comparison.table`, `Ladder.table`, values already in hours,
per cent and roubles) and format them with `leanproc._display` and the words of
`leanproc._labels` (this view's own under ``view.comparison.*``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leanproc._display import STYLE, escape, fmt_number, localise_numbers, table_html
from leanproc._labels import check_lang, kpi_label, label, unit_label, verdict_words
from leanproc._view import view_div
from leanproc.kpi.display import display_value

if TYPE_CHECKING:
    from leanproc.comparison.ladder import Ladder
    from leanproc.comparison.paired import Comparison

__all__ = ["comparison_html", "ladder_html", "verdict_mark"]


# verdict code -> its mark, which reads without colour too (printouts, the command line)
_MARKS = {"met": "✓", "not met": "✗", "uncertain": "?", "no data": "?"}



def verdict_mark(code: str, lang: str = "en") -> str:
    """A verdict code as people read it with its mark: ``✓ met`` / ``✗ не достигнута``."""
    if not code:
        return ""
    words = verdict_words(code, lang)
    return f"{_MARKS.get(code, '')} {words}".strip()


def _signed(value: float, lang: str) -> str:
    """A change with its sign, so a rise and a fall read apart: ``+2.5``, ``-12``."""
    return ("+" if value > 0 else "") + fmt_number(value, lang)


def _tidy(value: float) -> float:
    """A saving that is zero but for rounding noise reads 0, not -0."""
    return 0.0 if abs(value) < 5e-3 else value


def _ci(low: float, high: float, lang: str, signed: bool = False) -> str:
    """``low … high``, empty when the interval is a point (all replications equal) or unknown."""
    if math.isnan(low) or math.isnan(high) or low == high:
        return ""
    show = _signed if signed else fmt_number
    return f"{show(_tidy(low), lang)} … {show(_tidy(high), lang)}"


def comparison_html(comparison: Comparison, *, lang: str = "en") -> str:
    """Было / Цель / Стало: each KPI's means in its unit, the target, the change with its CI
    and the verdict marked; then the money and labour saved."""
    check_lang(lang)
    table = comparison.table(lang=lang)
    n = len(comparison.before_values)
    pairing = "paired" if comparison.paired else "unpaired"
    basis = label(f"view.comparison.{pairing}", lang, n=n)
    head = f"{comparison.names[0]} → {comparison.names[1]}: {basis}"
    rows, classes = [], []
    for r in table.to_dict("records"):
        rows.append((r["label"], unit_label(r["unit"], lang), r["before"],
                     _target_text(r["target"], r["unit"], lang), r["after"],
                     _signed(r["change"], lang),
                     _ci(r["change_low"], r["change_high"], lang, signed=True),
                     localise_numbers(f"{r['change_pct']:+.1f}", lang)
                     if not math.isnan(r["change_pct"]) else "",
                     verdict_mark(r["verdict"], lang)))
        verdict_class = f"lp-{r['verdict'].replace(' ', '-')}" if r["verdict"] else ""
        classes.append(["", "", "", "", "", "num", "num", "num", verdict_class])
    columns = [label("kpi", lang), label("unit", lang), label("before", lang),
               label("target", lang), label("after", lang), label("change", lang),
               label("view.comparison.ci", lang), label("view.comparison.change_pct", lang),
               label("verdict", lang)]
    body = table_html(columns, rows, cell_classes=classes, lang=lang)
    money = _savings(comparison, lang)
    times = escape(label("view.comparison.times", lang))
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p>{body}"
                    f"<p style='color:#666'>{times}</p>{money}")


def _target_text(text: str, unit: str, lang: str) -> str:
    """A target as the table writes it (``<= 24 h``) with the unit and operator in `lang`."""
    if not text:
        return ""
    op, _, rest = text.partition(" ")
    op = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠"}.get(op, op)
    if unit and rest.endswith(" " + unit):
        rest = rest[: -len(unit)] + unit_label(unit, lang)
    return f"{op} {rest}"


def _savings(comparison: Comparison, lang: str) -> str:
    rub = unit_label("₽", lang)
    items = []
    for key, iv, unit in (("view.comparison.saving_case", comparison.saving_per_case(), rub),
                          ("view.comparison.saving_year", comparison.yearly_saving(), rub),
                          ("view.comparison.labour_year", comparison.labour_hours_saved_per_year(),
                           unit_label("h", lang)),
                          ("view.comparison.fte", comparison.fte_freed(), "")):
        if not math.isnan(iv.mean):
            ci = _ci(iv.low, iv.high, lang)
            items.append(f"<li>{escape(label(key, lang))}: <b>{escape(fmt_number(iv.mean, lang))}"
                         f"{(' ' + escape(unit)) if unit else ''}</b>"
                         + (f" <span style='color:#666'>(95 %: {escape(ci)})</span>"
                            if ci else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def ladder_html(ladder: Ladder, *, lang: str = "en") -> str:
    """The ladder: the level after each improvement, its saving with CI and its share of the
    total saving, the claimed saving beside it; first row AS-IS, last row the total."""
    check_lang(lang)
    table = ladder.table()
    unit = str(table["unit"].iloc[0]) if len(table) else ""
    u = unit_label(unit, lang)
    n = len(ladder.values[0])
    what = kpi_label(ladder.lead_time_kpi, lang)
    head = (f"{label('view.comparison.ladder', lang)}: {what} — "
            f"{label('view.comparison.paired', lang, n=n)}")
    rows: list[tuple[Any, ...]] = []
    for r in table.to_dict("records"):
        name = label("as_is", lang) if r["step"] == 0 else r["improvement"]
        rows.append((r["step"], name, r["level"], _tidy(r["saving"]),
                     _ci(r["saving_low"], r["saving_high"], lang), _tidy(r["share_pct"]),
                     r["claimed_saving"]))
    total = ladder.total_saving()
    scale, _ = display_value(ladder.lead_time_kpi, 1.0)
    rows.append(("", label("view.comparison.total", lang), None, total.mean * scale,
                 _ci(total.low * scale, total.high * scale, lang),
                 100.0 if len(table) > 1 else None, None))
    columns = ["#", label("view.comparison.improvement", lang),
               f"{label('view.comparison.level', lang)}, {u}",
               f"{label('view.comparison.saving', lang)}, {u}", label("ci95", lang),
               label("view.comparison.share", lang),
               f"{label('view.comparison.claimed', lang)}, {u}"]
    classes = [["", "", "", "", "num", "", ""] for _ in rows]
    body = table_html(columns, rows, cell_classes=classes, lang=lang)
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p>{body}"
                    f"<p style='color:#666'>{escape(label('view.comparison.times', lang))}"
                    "</p>")
