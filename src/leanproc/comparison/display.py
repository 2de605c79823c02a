"""How a comparison and an improvement ladder show themselves in Jupyter.

`Comparison.display(lang)` and `Ladder.display(lang)` call the functions here. They read the
objects' own numeric tables (`Comparison.table`, `Ladder.table`, values already in hours,
per cent and roubles) and format them with `leanproc._display` and the words of
`leanproc._labels`; the few words those tables lack are below, in both languages.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leanproc._display import STYLE, escape, fmt_number, localise_numbers, table_html
from leanproc._labels import check_lang, kpi_label, label, unit_label
from leanproc._view import view_div
from leanproc.kpi.display import display_value

if TYPE_CHECKING:
    from leanproc.comparison.ladder import Ladder
    from leanproc.comparison.paired import Comparison

__all__ = ["comparison_html", "ladder_html", "verdict_mark"]

# words of these views that `leanproc._labels` does not have: key -> (English, Russian)
_WORDS: dict[str, tuple[str, str]] = {
    "paired": ("mean over {n} paired replications (common random numbers)",
               "среднее по {n} парным прогонам (общие случайные числа)"),
    "unpaired": ("mean over {n} independent replications (Welch intervals)",
                 "среднее по {n} независимым прогонам (интервалы Уэлча)"),
    "times": ("Times in hours. “(working)” rows count the working time of the calendar, "
              "“(clock)” rows calendar time.",
              "Время в часах. Строки «рабочее время» считают рабочее время по календарю, "
              "«календарное время» — всё время подряд."),
    "change_pct": ("Change, %", "Изменение, %"),
    "ci": ("95 % CI of the change", "95 % ДИ изменения"),
    "saving_case": ("Saving per case", "Экономия на одно обращение"),
    "saving_year": ("Saving per year", "Экономия в год"),
    "labour_year": ("Labour saved per year", "Сокращение трудозатрат в год"),
    "fte": ("FTE freed", "Высвобождено штатных единиц"),
    "ladder": ("Improvement ladder", "Лестница улучшений"),
    "step": ("Step", "Шаг"),
    "improvement": ("Improvement", "Мероприятие"),
    "level": ("After the step", "После шага"),
    "saving": ("Saving", "Сокращение"),
    "share": ("Share of the total saving, %", "Доля общего сокращения, %"),
    "claimed": ("Claimed saving", "Заявленное сокращение"),
    "total": ("Total AS-IS → TO-BE", "Всего от «Было» к «Стало»"),
}

# verdict code -> its mark, which reads without colour too (printouts, the command line)
_MARKS = {"met": "✓", "not met": "✗", "uncertain": "?", "no data": "?"}
_VERDICT_RU = {"met": "достигнута", "not met": "не достигнута", "uncertain": "не доказана",
               "no data": "нет данных"}


def _w(key: str, lang: str, **fields: Any) -> str:
    return _WORDS[key][check_lang(lang)].format(**fields)


def verdict_mark(code: str, lang: str = "en") -> str:
    """A verdict code as people read it with its mark: ``✓ met`` / ``✗ не достигнута``."""
    if not code:
        return ""
    words = _VERDICT_RU.get(code, code) if lang == "ru" else code
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
    basis = _w("paired" if comparison.paired else "unpaired", lang, n=n)
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
               _w("ci", lang), _w("change_pct", lang), label("verdict", lang)]
    body = table_html(columns, rows, cell_classes=classes, lang=lang)
    money = _savings(comparison, lang)
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p>{body}"
                    f"<p style='color:#666'>{escape(_w('times', lang))}</p>{money}")


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
    for key, iv, unit in (("saving_case", comparison.saving_per_case(), rub),
                          ("saving_year", comparison.yearly_saving(), rub),
                          ("labour_year", comparison.labour_hours_saved_per_year(),
                           unit_label("h", lang)),
                          ("fte", comparison.fte_freed(), "")):
        if not math.isnan(iv.mean):
            ci = _ci(iv.low, iv.high, lang)
            items.append(f"<li>{escape(_w(key, lang))}: <b>{escape(fmt_number(iv.mean, lang))}"
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
    head = f"{_w('ladder', lang)}: {what} — {_w('paired', lang, n=n)}"
    rows: list[tuple[Any, ...]] = []
    for r in table.to_dict("records"):
        name = label("as_is", lang) if r["step"] == 0 else r["improvement"]
        rows.append((r["step"], name, r["level"], _tidy(r["saving"]),
                     _ci(r["saving_low"], r["saving_high"], lang), _tidy(r["share_pct"]),
                     r["claimed_saving"]))
    total = ladder.total_saving()
    scale, _ = display_value(ladder.lead_time_kpi, 1.0)
    rows.append(("", _w("total", lang), None, total.mean * scale,
                 _ci(total.low * scale, total.high * scale, lang),
                 100.0 if len(table) > 1 else None, None))
    columns = ["#", _w("improvement", lang), f"{_w('level', lang)}, {u}",
               f"{_w('saving', lang)}, {u}", label("ci95", lang), _w("share", lang),
               f"{_w('claimed', lang)}, {u}"]
    classes = [["", "", "", "", "num", "", ""] for _ in rows]
    body = table_html(columns, rows, cell_classes=classes, lang=lang)
    return view_div(STYLE, f"<p><b>{escape(head)}</b></p>{body}"
                    f"<p style='color:#666'>{escape(_w('times', lang))}</p>")
