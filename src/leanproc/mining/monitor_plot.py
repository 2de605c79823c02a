"""The post-monitoring chart: the KPI per period as an XmR control chart around the change.

One picture answers the office's questions: the KPI per period (hours for times), the centre
line and natural process limits of the baseline (its span shaded), the periods a run rule
flags, the change point, the median of each side and — when a projection was given — where
the projection expected the after-period to fall. The figure is built without pyplot (no
global state, nothing shown); matplotlib is imported only here, when a chart is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc._display import fmt_number
from leanproc._labels import check_lang, kpi_label, label, unit_label
from leanproc._palette import AFTER, BEFORE, PROJECTION, TARGET_LINE
from leanproc.mining.monitor_display import (
    charted_key,
    date_text,
    freq_text,
    is_duration,
    kpi_scale,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from leanproc.mining.monitor_report import MonitorReport

__all__ = ["monitor_figure"]

# the colours of every figure: "before" grey, "after" blue, limits red
_BEFORE, _AFTER, _LIMIT, _PROJECTION = BEFORE, AFTER, TARGET_LINE, PROJECTION
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}


def _side_median(report: MonitorReport, side: str) -> tuple[float | None, bool]:
    """The side's case median in internal units, and whether it is a median; for a KPI with
    no case median (a share, a rate) the side's own figure."""
    values = report.before if side == "before" else report.after
    head = report.kpi
    for key, is_median in ((f"{head}.median", True), (head, False)):
        value = values.get(key)
        if value is not None and np.isfinite(value):
            return float(value), is_median
    return None, False


def monitor_figure(
    report: MonitorReport,
    *,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """`MonitorReport.plot`: the control chart of the KPI per period around the change."""
    check_lang(lang)
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=(10, 4.8), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure.figure  # a SubFigure's root figure
    factor, unit = kpi_scale(report.kpi)
    periods = report.periods.sort_values("period")
    x = pd.to_datetime(periods["period"])
    y = periods["value"].astype(float) * factor
    chart = report.chart
    if len(x):
        # the limits hold where the baseline's process would have stayed: drawn across
        span = (_day(x.iloc[0]), _day(x.iloc[-1]))
        ax.axvspan(
            _day(chart.baseline[0]),
            _day(_period_end(x, chart.baseline[1])),
            color="#eef1f4",
            zorder=0,
            label=label("view.monitor.baseline", lang),
        )
        ax.hlines(
            chart.centre * factor,
            *span,
            colors=_BEFORE,
            linewidth=1.2,
            label=f"{label('view.monitor.centre', lang)} "
            f"({fmt_number(chart.centre * factor, lang)})",
        )
        ax.hlines(
            [chart.lower * factor, chart.upper * factor],
            *span,
            colors=_LIMIT,
            linestyles="dashed",
            linewidth=1,
            label=f"{label('view.monitor.limits', lang)} ({fmt_number(chart.lower * factor, lang)}"
            f" … {fmt_number(chart.upper * factor, lang)})",
        )
    xs = np.array([_day(v) for v in x])
    ax.plot(
        xs,
        y,
        marker="o",
        markersize=4,
        color=_AFTER,
        linewidth=1.3,
        zorder=3,
        label=kpi_label(charted_key(report.kpi), lang),
    )
    flagged = set(pd.to_datetime(chart.signals["period"])) if len(chart.signals) else set()
    mask = x.isin(flagged).to_numpy()
    if mask.any():
        ax.scatter(
            xs[mask],
            y[mask],
            s=60,
            facecolors="none",
            edgecolors=_LIMIT,
            linewidths=1.8,
            zorder=4,
            label=label("view.monitor.flagged", lang),
        )
    _draw_change(ax, report, x, factor, lang)
    _decorate(ax, report, unit, lang)
    _date_axis(ax, x, lang)
    return fig


def _day(value: Any) -> float:
    """A period start or instant as matplotlib's date number (days), the x of every mark."""
    from matplotlib.dates import date2num

    return float(date2num(pd.Timestamp(value).to_pydatetime()))


def _period_end(x: pd.Series, start: pd.Timestamp) -> pd.Timestamp:
    """Where the period starting at `start` ends: the next period's start (the baseline
    shading then covers its last period too)."""
    later = x[x > start]
    if len(later):
        return pd.Timestamp(later.iloc[0])
    step = pd.Timedelta(x.diff().median()) if len(x) > 1 else pd.Timedelta(0)
    return pd.Timestamp(start) + step


def _date_axis(ax: Axes, x: pd.Series, lang: str) -> None:
    """Month ticks named in `lang` (``мар``, the year at January and the first tick); years
    alone for a log longer than a year and a half."""
    from matplotlib.dates import MonthLocator, YearLocator, num2date
    from matplotlib.ticker import FuncFormatter

    long = len(x) > 1 and (x.iloc[-1] - x.iloc[0]).days > 550
    ax.xaxis.set_major_locator(YearLocator() if long else MonthLocator())
    names = _MONTHS[lang]

    def month(value: float, pos: int | None) -> str:
        day = num2date(value)
        if long:
            return str(day.year)
        text = names[day.month - 1]
        return f"{text}\n{day.year}" if day.month == 1 or pos == 0 else text

    ax.xaxis.set_major_formatter(FuncFormatter(month))


def _draw_change(ax: Axes, report: MonitorReport, x: pd.Series, factor: float, lang: str) -> None:
    """The change point, each side's median and the projection over the after-period."""
    if not len(x):
        return
    first, last = _day(x.iloc[0]), _day(x.iloc[-1])
    at = report.change_point
    at_day = None if at is None else _day(at)
    if at is not None and at_day is not None:
        ax.axvline(
            at_day,
            color="#1f2933",
            linestyle=":",
            linewidth=1.5,
            label=f"{label('view.monitor.change', lang)}: {date_text(at, lang)}",
        )
        for side, start, end, colour in (
            ("before", first, at_day, _BEFORE),
            ("after", at_day, last, "#1d6b36"),
        ):
            value, is_median = _side_median(report, side)
            if value is None:
                continue
            key = f"view.monitor.{side}_median" if is_median else side
            ax.hlines(
                value * factor,
                start,
                end,
                colors=colour,
                linewidth=3,
                alpha=0.8,
                zorder=2,
                label=f"{label(key, lang)}: {fmt_number(value * factor, lang)}",
            )
    projection = report.projection
    if projection is not None and len(projection.dropna()):
        values = projection.dropna().astype(float).to_numpy() * factor
        low, mid, high = np.quantile(values, [0.1, 0.5, 0.9])
        start = at_day if at_day is not None else first
        ax.fill_between(
            [start, last],
            low,
            high,
            color=_PROJECTION,
            alpha=0.12,
            zorder=1,
            label=f"{label('view.monitor.projection_band', lang)}: "
            f"{fmt_number(low, lang)} … {fmt_number(high, lang)}",
        )
        ax.hlines(
            mid,
            start,
            last,
            colors=_PROJECTION,
            linestyles="dashdot",
            linewidth=1.5,
            label=f"{label('view.monitor.projection', lang)}: {fmt_number(mid, lang)}",
        )


def _decorate(ax: Axes, report: MonitorReport, unit: str, lang: str) -> None:
    words = kpi_label(report.kpi, lang)
    shown = unit_label(unit, lang)
    ax.set_ylabel(f"{words}, {shown}" if shown else words)
    ax.set_xlabel(f"{label('view.monitor.period', lang)} ({freq_text(report.freq, lang)})")
    ax.set_title(
        label("view.monitor.title", lang).format(kpi=words, freq=freq_text(report.freq, lang)),
        loc="left",
        fontsize=11,
    )
    ax.set_ylim(bottom=0)  # every charted KPI is non-negative: a zero axis keeps scale honest
    if lang == "ru":  # decimal comma on the value axis too
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(_ru_tick))
    ax.grid(axis="y", color="#e1e4e8", linewidth=0.6)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if not is_duration(report.kpi) and unit == "%":
        ax.set_ylim(top=max(100.0, ax.get_ylim()[1]))


def _ru_tick(value: Any, _pos: Any) -> str:
    return fmt_number(float(value), "ru")
