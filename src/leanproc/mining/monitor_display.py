"""How a `MonitorReport` shows itself: the notebook view and the words every view shares.

`MonitorReport.display(lang)` calls `monitor_html`; the chart (`monitor_plot`), the workbook
(`monitor_excel`), the HTML report and the command line take their units, dates and verdict
words from the helpers here, so that a lead time reads in hours and a week as its first day in
every one of them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc._display import STYLE, escape, fmt_number, table_html
from leanproc._labels import (
    check_lang,
    kpi_label,
    label,
    localise_text,
    note_text,
    unit_label,
    verdict_words,
)
from leanproc._view import view_div
from leanproc.kpi.display import display_value
from leanproc.kpi.report import unit_of
from leanproc.mining.monitor import DETECTED_METHOD

if TYPE_CHECKING:
    from leanproc.mining.monitor_report import MonitorReport

__all__ = [
    "change_text",
    "chart_text",
    "charted_key",
    "comparison_html",
    "comparison_rows",
    "date_text",
    "freq_text",
    "head_text",
    "is_duration",
    "kpi_scale",
    "monitor_html",
    "period_columns",
    "period_rows",
    "validation_html",
    "validation_rows",
    "verdict_text",
]

# pandas offset aliases a process office uses, in words: (English, Russian)
_FREQ: dict[str, tuple[str, str]] = {
    "D": ("day", "день"),
    "W": ("week", "неделя"),
    "MS": ("month", "месяц"),
    "M": ("month", "месяц"),
    "ME": ("month", "месяц"),
    "QS": ("quarter", "квартал"),
    "Q": ("quarter", "квартал"),
    "QE": ("quarter", "квартал"),
}
_VERDICT_CLASS = {
    "confirmed": "lp-met",
    "not confirmed": "lp-not-met",
    "inconclusive": "lp-uncertain",
    "met": "lp-met",
    "not met": "lp-not-met",
}


def charted_key(kpi: str) -> str:
    """The flat KPI name of the charted figure: the mean for a duration (``lead_time`` ->
    ``lead_time.mean``), cases per day for throughput, roubles per case for cost."""
    if "." in kpi or kpi.startswith("sla_share("):
        return kpi
    if kpi == "throughput":
        return "throughput.per_day"
    if kpi == "cost":
        return "cost.per_case"
    return f"{kpi}.mean" if unit_of(f"{kpi}.mean") == "s" else kpi


def kpi_scale(kpi: str) -> tuple[float, str]:
    """(factor, unit) that turn the KPI's internal values into what people read: seconds to
    hours (1/3600, ``h``), a share to per cent (100, ``%``), roubles and rates as they are."""
    factor, unit = display_value(charted_key(kpi), 1.0)
    return factor, unit


def is_duration(kpi: str) -> bool:
    """Whether the KPI is a time (its per-period table has a median beside the mean)."""
    return kpi_scale(kpi)[1] == "h"


def freq_text(freq: str, lang: str) -> str:
    """A period alias in words (``W`` -> ``week`` / ``неделя``); other aliases as given."""
    pair = _FREQ.get(freq.split("-")[0].upper())
    return pair[check_lang(lang)] if pair else freq


def date_text(value: Any, lang: str) -> str:
    """A period start or a change instant as a reader writes it: ``2025-03-03`` /
    ``03.03.2025``, with the time of day only when there is one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    ts = pd.Timestamp(value)
    timed = (ts.hour, ts.minute) != (0, 0)
    if lang == "ru":
        return ts.strftime("%d.%m.%Y %H:%M" if timed else "%d.%m.%Y")
    return ts.strftime("%Y-%m-%d %H:%M" if timed else "%Y-%m-%d")


def verdict_text(code: Any, lang: str) -> str:
    """A verdict code (``confirmed``, ``not met``…) in `lang`; empty for none."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return ""
    return verdict_words(str(code), lang)


def _shown(value: Any, factor: float) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) * factor


def _signal_rules(report: MonitorReport) -> dict[pd.Timestamp, str]:
    """Period start -> the rules that flag it (``beyond_limits, run_of_8``)."""
    signals = report.chart.signals
    if signals is None or signals.empty:
        return {}
    rules: dict[pd.Timestamp, list[str]] = {}
    for r in signals.to_dict("records"):
        rules.setdefault(pd.Timestamp(r["period"]), []).append(str(r["rule"]))
    return {k: ", ".join(v) for k, v in rules.items()}


def period_rows(report: MonitorReport, lang: str) -> list[tuple[Any, ...]]:
    """Each period: start, cases, the charted value (and median for a duration) in display
    units, the rules that flag it."""
    factor, _ = kpi_scale(report.kpi)
    rules = _signal_rules(report)
    median = is_duration(report.kpi) and "median" in report.periods.columns
    rows = []
    for r in report.periods.to_dict("records"):
        row: list[Any] = [date_text(r["period"], lang), int(r["cases"]), _shown(r["value"], factor)]
        if median:
            row.append(_shown(r["median"], factor))
        row.append(rules.get(pd.Timestamp(r["period"]), ""))
        rows.append(tuple(row))
    return rows


def comparison_rows(report: MonitorReport) -> list[dict[str, Any]]:
    """`report.comparison` in display units: each row's label key, unit, values and interval
    bounds scaled (hours, per cent), the relative change as a fraction."""
    rows = []
    for r in report.comparison.to_dict("records"):
        key = str(r["kpi"])
        factor, unit = display_value(key, 1.0)
        row = {"kpi": key, "unit": unit, "relative_change": _shown(r.get("relative_change"), 1.0)}
        for col in ("before", "before_low", "before_high", "after", "after_low", "after_high"):
            row[col] = _shown(r.get(col), factor)
        rows.append(row)
    return rows


def _interval(low: float | None, high: float | None, lang: str) -> str:
    if low is None or high is None:
        return ""
    return f"{fmt_number(low, lang)} … {fmt_number(high, lang)}"


def change_text(report: MonitorReport, lang: str) -> str:
    """One line on the change point: when, how found, how sure, how many cases each side."""
    change = report.change
    if change is None:
        return label("view.monitor.no_change", lang)
    text = label("view.monitor.change_at", lang).format(
        at=date_text(change.at, lang),
        method=_method_words(change.method, lang),
        before=change.cases_before,
        after=change.cases_after,
    )
    if change.confidence is not None and change.p_value is not None:
        text += "; " + label("view.monitor.confidence", lang).format(
            confidence=fmt_number(change.confidence * 100.0, lang),
            p=fmt_number(change.p_value, lang),
        )
    return text


def head_text(report: MonitorReport, lang: str) -> str:
    return label("view.monitor.title", lang).format(
        kpi=kpi_label(report.kpi, lang), freq=freq_text(report.freq, lang)
    )


def comparison_html(report: MonitorReport, lang: str) -> str:
    """Before / after of each KPI compared, with the 95 % intervals and the change in %."""
    rows = []
    for r in comparison_rows(report):
        change = r["relative_change"]
        rows.append(
            (
                kpi_label(r["kpi"], lang),
                unit_label(r["unit"], lang),
                r["before"],
                _interval(r["before_low"], r["before_high"], lang),
                r["after"],
                _interval(r["after_low"], r["after_high"], lang),
                None if change is None else change * 100.0,
            )
        )
    if not rows:
        return ""
    columns = [
        label("kpi", lang),
        label("unit", lang),
        label("before", lang),
        label("ci95", lang),
        label("after", lang),
        label("ci95", lang),
        label("view.monitor.relative", lang),
    ]
    classes = [["", "", "", "num", "", "num", ""] for _ in rows]
    return table_html(
        columns,
        rows,
        caption=label("view.monitor.comparison", lang),
        cell_classes=classes,
        lang=lang,
    )


def target_text(text: str, lang: str) -> str:
    """A target's bound as written (``<= 24.00 h``) in the words and numbers of `lang`."""
    return localise_text(text, lang) if text else ""


def validation_rows(report: MonitorReport) -> list[dict[str, Any]]:
    """The after-period against the projection and targets, in display units."""
    table = getattr(report.validation, "table", None)
    if table is None or table.empty:
        return []
    rows = []
    for r in table.to_dict("records"):
        key = str(r["kpi"])
        factor, unit = display_value(key, 1.0)
        rows.append(
            {
                "kpi": key,
                "unit": unit,
                "projected": _shown(r.get("projected"), factor),
                "actual": _shown(r.get("actual"), factor),
                "target": str(r.get("target") or ""),
                "verdict": r.get("verdict"),
            }
        )
    return rows


def validation_html(report: MonitorReport, lang: str) -> str:
    """The after-period against the projection and targets: each KPI's verdict coloured
    (``lp-met`` / ``lp-not-met``, which the notebook view and the report both style)."""
    records = validation_rows(report)
    if not records:
        return ""
    rows = [
        (
            kpi_label(r["kpi"], lang),
            unit_label(r["unit"], lang),
            r["projected"],
            r["actual"],
            target_text(r["target"], lang),
            verdict_text(r["verdict"], lang),
        )
        for r in records
    ]
    classes = [["", "", "", "", "", _VERDICT_CLASS.get(str(r["verdict"]), "")] for r in records]
    columns = [
        label("kpi", lang),
        label("unit", lang),
        label("view.monitor.projected", lang),
        label("view.monitor.actual", lang),
        label("target", lang),
        label("verdict", lang),
    ]
    return table_html(
        columns,
        rows,
        caption=label("view.monitor.validation", lang),
        cell_classes=classes,
        lang=lang,
    )


def period_columns(report: MonitorReport, lang: str) -> list[str]:
    _, unit = kpi_scale(report.kpi)
    shown = f", {unit_label(unit, lang)}" if unit else ""
    columns = [
        label("view.monitor.period", lang),
        label("view.monitor.cases", lang),
        f"{label('mean', lang) if is_duration(report.kpi) else label('view.monitor.value', lang)}"
        f"{shown}",
    ]
    if is_duration(report.kpi) and "median" in report.periods.columns:
        columns.append(f"{label('view.monitor.median', lang)}{shown}")
    return [*columns, label("view.monitor.signal", lang)]


def chart_text(report: MonitorReport, lang: str) -> str:
    """The control chart's figures in one line: centre, limits, baseline span."""
    factor, unit = kpi_scale(report.kpi)
    u = f" {unit_label(unit, lang)}" if unit else ""
    chart = report.chart
    return (
        f"{label('view.monitor.centre', lang)}: {fmt_number(chart.centre * factor, lang)}{u}; "
        f"{label('view.monitor.limits', lang)}: {fmt_number(chart.lower * factor, lang)} … "
        f"{fmt_number(chart.upper * factor, lang)}{u}; "
        + label("view.monitor.baseline_span", lang).format(
            start=date_text(chart.baseline[0], lang), end=date_text(chart.baseline[1], lang)
        )
    )


def monitor_html(report: MonitorReport, *, lang: str = "en") -> str:
    """The notebook view: the change, before / after with intervals, the verdicts, the
    control chart's figures and the periods with their signals."""
    check_lang(lang)
    parts = [
        f"<p><b>{escape(head_text(report, lang))}</b></p>",
        f"<p>{escape(change_text(report, lang))}</p>",
        comparison_html(report, lang),
        validation_html(report, lang),
        f"<p style='color:#666'>{escape(chart_text(report, lang))}. "
        f"{escape(label('view.monitor.chart_note', lang))}</p>",
        table_html(
            period_columns(report, lang),
            period_rows(report, lang),
            caption=label("view.monitor.periods", lang),
            lang=lang,
        ),
    ]
    if report.notes:
        items = "".join(f"<li>{escape(note_text(n, lang))}</li>" for n in report.notes)
        parts.append(f"<p>{escape(label('notes', lang))}:</p><ul>{items}</ul>")
    return view_div(STYLE, "".join(parts))


def _method_words(method: str, lang: str) -> str:
    """How the change point was found, in `lang` (a method this package names; else as given)."""
    known = {"given": "view.monitor.given", DETECTED_METHOD: "view.monitor.detected"}
    return label(known[method], lang) if method in known else method
