"""The figures a process office puts in its presentation, drawn with matplotlib.

Each function takes plain data (Series, DataFrames, dicts) — or the leanproc object that holds
it (see `leanproc.report.data`) — returns a `matplotlib.figure.Figure`, and draws into the
caller's Axes when one is given. Nothing is shown: save the figure, embed it in the HTML report
or let Jupyter display it. ``lang="ru"`` puts the labels in Russian (ВПП, Было / Цель / Стало…).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc.durations import read_duration
from leanproc.errors import LogError
from leanproc.report import _mpl
from leanproc.report.data import case_starts, lead_time_hours, utilisation_of
from leanproc.report.labels import check_lang, label, unit_label
from leanproc.simulation.display import draw_lead_time_histogram

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "before_target_after_bars",
    "cost_bars",
    "dotted_chart",
    "lead_time_distribution",
    "utilisation_bars",
    "waterfall",
]

_PER_HOUR = {"h": 1.0, "min": 60.0, "d": 1.0 / 24.0}


def _time_unit(unit: str) -> float:
    if unit not in _PER_HOUR:
        raise ValueError(f"unit must be one of {', '.join(_PER_HOUR)}, not {unit!r}")
    return _PER_HOUR[unit]


def _target_in_unit(target: Any, unit: str) -> float | None:
    """A target as a number in `unit`: numbers are taken as given, text such as ``"24h"`` or
    ``"<= 2d"`` is parsed as a clock duration."""
    if target is None:
        return None
    if isinstance(target, int | float | np.number):
        return float(target)
    text = str(target).strip().lstrip("<>=≤ ").strip()
    hours = read_duration(text).seconds / 3600.0
    return hours * _time_unit(unit)


# --------------------------------------------------------------------------- lead time
def lead_time_distribution(
    before: Any,
    after: Any = None,
    *,
    target: Any = None,
    unit: str = "h",
    kind: str = "both",
    bins: int = 30,
    names: Sequence[str] | None = None,
    lang: str = "en",
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Lead time (ВПП) distribution of AS-IS against TO-BE: a histogram and an ECDF.

    `before` and `after` are lead times in hours (Series or array) or anything that holds them:
    an event log, a `SimulationResult`, `Replications`, a `KPIReport`. `target` (a number in
    `unit`, or text such as ``"24h"``) draws a vertical line. `kind` is ``both`` (two panels),
    ``hist`` or ``ecdf``; for ``both`` pass `ax` as a pair of Axes. Histogram heights are shares
    of cases, so runs of different sizes compare fairly.
    """
    check_lang(lang)
    per_hour = _time_unit(unit)
    series = [lead_time_hours(before) * per_hour]
    if after is not None:
        series.append(lead_time_hours(after) * per_hour)
    names = list(names) if names else [label("as_is", lang), label("to_be", lang)][:len(series)]
    target_value = _target_in_unit(target, unit)
    if kind not in ("both", "hist", "ecdf"):
        raise ValueError(f"kind must be both, hist or ecdf, not {kind!r}")

    if kind == "both":
        if ax is None:
            fig = _mpl.new_figure((10, 3.8))
            axes = fig.subplots(1, 2)
        else:
            if not (isinstance(ax, Sequence) and len(ax) == 2):
                raise ValueError("kind='both' draws two panels: pass ax as a pair of Axes")
            axes = list(ax)
            fig = axes[0].figure.figure
        hist_ax, ecdf_ax = axes
    else:
        if isinstance(ax, Sequence):
            raise ValueError(f"kind={kind!r} draws one panel: pass a single Axes")
        fig, one = _mpl.new_axes(ax, (6, 3.8))
        hist_ax, ecdf_ax = (one, None) if kind == "hist" else (None, one)

    u = unit_label(unit, lang)
    names = names[:len(series)]  # a sample without a name is not drawn, as zip would do
    colours = [_mpl.SCENARIO_COLOURS[i % len(_mpl.SCENARIO_COLOURS)] for i in range(len(names))]
    if hist_ax is not None:
        draw_lead_time_histogram(hist_ax, series[:len(names)], names, colours, unit=unit,
                                 lang=lang, bins=bins)
    if ecdf_ax is not None:
        for s, name, colour in zip(series, names, colours, strict=False):
            if len(s):
                mean = _mpl.fmt_number(s.mean(), lang)
                legend = f"{name} ({label('mean', lang).lower()} {mean} {u})"
                x = np.sort(s.to_numpy())
                y = np.arange(1, len(x) + 1) / len(x)
                ecdf_ax.step(np.r_[x[0], x], np.r_[0.0, y], where="post", color=colour,
                             linewidth=1.8, label=legend)
        ecdf_ax.set_xlabel(f"{label('lead_time', lang)}, {u}")
        ecdf_ax.grid(alpha=0.3)
    target_text = f"{label('target', lang)} {_mpl.fmt_number(target_value or 0, lang)} {u}"
    for a in (hist_ax, ecdf_ax):
        if a is None:
            continue
        if target_value is not None:
            a.axvline(target_value, color=_mpl.TARGET_LINE, linestyle="--", linewidth=1.5,
                      label=target_text)
        a.legend(fontsize=8)
    if ecdf_ax is not None:
        ecdf_ax.set_ylabel(label("ecdf", lang))
        ecdf_ax.set_ylim(0, 1.02)
        ecdf_ax.yaxis.set_major_formatter(_percent_formatter())
        ecdf_ax.set_title(label("ecdf", lang))
    return fig


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


# --------------------------------------------------------------------------- waterfall
def _pairs(steps: Any) -> list[tuple[str, float]]:
    if isinstance(steps, pd.DataFrame):
        if steps.shape[1] < 2:
            raise ValueError("a steps table needs a name column and a value column")
        return [(str(a), float(b)) for a, b in steps.iloc[:, :2].itertuples(index=False)]
    if isinstance(steps, pd.Series | Mapping):
        return [(str(k), float(v)) for k, v in steps.items()]
    return [(str(k), float(v)) for k, v in steps]


def waterfall(
    steps: Any,
    start: float,
    *,
    end: float | None = None,
    levels: bool = False,
    unit: str = "h",
    start_label: str | None = None,
    end_label: str | None = None,
    title: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """The improvement ladder: from `start` to the end value in named steps.

    `steps` is ordered (name, saving) pairs — a dict, a Series, a list of pairs or a two-column
    DataFrame. A positive saving lowers the value (72 h -> 24 h is savings summing to 48 h); a
    negative one raises it and is drawn in red. With ``levels=True`` the numbers are instead the
    value reached after each step. When `end` is given and the steps do not reach it, the gap
    is drawn as one more step, ``Other`` (``Прочее``), rather than hidden.
    """
    check_lang(lang)
    pairs = _pairs(steps)
    if levels:
        previous = float(start)
        savings = []
        for name, level in pairs:
            savings.append((name, previous - level))
            previous = level
        pairs = savings
    reached = float(start) - sum(s for _, s in pairs)
    if end is not None and not np.isclose(reached, end, rtol=1e-9, atol=1e-9 * abs(start)):
        pairs.append((label("other", lang), reached - float(end)))
        reached = float(end)

    fig, ax = _mpl.new_axes(ax, (max(6.0, 1.3 * (len(pairs) + 2)), 4.2))
    names = [start_label or label("start", lang)] + [n for n, _ in pairs]
    names.append(end_label or label("end", lang))
    bottoms, heights, colours, texts = [0.0], [float(start)], [_mpl.BEFORE], []
    u = unit_label(unit, lang)
    texts.append(f"{_mpl.fmt_number(start, lang)} {u}")
    level = float(start)
    for _, saving in pairs:
        new = level - saving
        bottoms.append(min(level, new))
        heights.append(abs(saving))
        colours.append(_mpl.SAVING if saving >= 0 else _mpl.INCREASE)
        texts.append(("−" if saving >= 0 else "+") + f"{_mpl.fmt_number(abs(saving), lang)} {u}")
        level = new
    bottoms.append(0.0)
    heights.append(reached)
    colours.append(_mpl.AFTER)
    texts.append(f"{_mpl.fmt_number(reached, lang)} {u}")

    x = np.arange(len(names))
    bars = ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6, edgecolor="white")
    _mpl.bar_labels(ax, bars, texts, fontsize=9)
    # connectors show where each step picks up from the previous one
    tops = [start]
    level = float(start)
    for _, saving in pairs:
        level -= saving
        tops.append(level)
    for i, t in enumerate(tops):
        ax.plot([i + 0.3, i + 0.7], [t, t], color="#555555", linewidth=0.8)
    ax.set_xticks(x, [_wrap(n, 16) for n in names], fontsize=8)
    ax.set_ylabel(f"{label('lead_time', lang)}, {u}" if unit in _PER_HOUR else u)
    ax.set_title(title or label("waterfall", lang))
    ax.margins(y=0.12)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


# --------------------------------------------------------------------------- before/target/after
def before_target_after_bars(
    table: Any,
    *,
    title: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """Before / target / after per KPI as grouped bars scaled to the ``before`` value (100 %).

    `table` is a DataFrame indexed by KPI name (or with a ``kpi`` column) holding ``before``,
    ``target`` and ``after`` (missing values are simply not drawn) and optionally ``unit``; a
    mapping ``{kpi: (before, target, after)}`` works too. KPIs of different units share one
    axis because each is drawn as a percentage of its own ``before``; the bar labels carry the
    real values. KPIs whose ``before`` is zero or missing have no scale and are left out.
    """
    check_lang(lang)
    frame = _bta_frame(table)
    frame = frame[frame["before"].notna() & (frame["before"] != 0)]
    fig, ax = _mpl.new_axes(ax, (max(6.0, 1.6 * len(frame) + 2), 4.2))
    x = np.arange(len(frame))
    width = 0.26
    columns = (("before", _mpl.BEFORE), ("target", _mpl.TARGET), ("after", _mpl.AFTER))
    for j, (col, colour) in enumerate(columns):
        values = frame[col].to_numpy(dtype=float)
        base = frame["before"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(base != 0, values / base * 100.0, np.nan)
        keep = np.isfinite(pct)
        if not keep.any():
            continue
        units = frame["unit"].to_numpy()
        bars = ax.bar(x[keep] + (j - 1) * width, pct[keep], width=width, color=colour,
                      label=label(col, lang))
        texts = [_value_text(v, unit_label(str(u), lang), lang)
                 for v, u in zip(values[keep], units[keep], strict=True)]
        _mpl.bar_labels(ax, bars, texts, fontsize=7)
    ax.axhline(100, color="#555555", linewidth=0.8)
    ax.set_xticks(x, [_wrap(str(k), 18) for k in frame.index], fontsize=8)
    ax.set_ylabel(label("pct_of_before", lang))
    ax.set_title(title or label("bta_title", lang))
    ax.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              frameon=False)
    ax.margins(y=0.15)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


def _value_text(value: float, unit: str, lang: str = "en") -> str:
    # a long unit goes under the number so that neighbouring bar labels do not collide
    number = _mpl.fmt_number(value, lang)
    if not unit:
        return number
    return f"{number}\n{unit}" if len(unit) > 4 else f"{number} {unit}"


def _bta_frame(table: Any) -> pd.DataFrame:
    if isinstance(table, Mapping):
        table = pd.DataFrame.from_dict(
            {k: list(v) for k, v in table.items()}, orient="index",
            columns=["before", "target", "after"],
        )
    frame = pd.DataFrame(table).copy()
    if "kpi" in frame.columns:
        frame = frame.set_index("kpi")
    for col in ("before", "target", "after"):
        if col not in frame.columns:
            frame[col] = np.nan
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    if "unit" not in frame.columns:
        frame["unit"] = ""
    frame["unit"] = frame["unit"].fillna("").astype(str)
    return frame


# --------------------------------------------------------------------------- cost
def cost_bars(
    table: Any,
    *,
    by: str = "activity",
    currency: str = "₽",
    top: int | None = 15,
    title: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """Cost by activity (or by pool) as horizontal stacked bars, largest at the top.

    `table` is a wide DataFrame: one row per bar (activity or pool), one column per stacked
    segment (pool, resource or cost component), values in currency; a Series draws plain bars.
    `top` keeps the most expensive rows (the rest are summed into ``Other``). Totals are written
    at the end of each bar.
    """
    check_lang(lang)
    frame = table.to_frame() if isinstance(table, pd.Series) else pd.DataFrame(table)
    frame = frame.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    frame.index = frame.index.astype(str)
    totals = frame.sum(axis=1).sort_values(ascending=False)
    frame = frame.loc[totals.index]
    if top is not None and len(frame) > top:
        rest = frame.iloc[top:].sum().to_frame(label("other", lang)).T
        frame = pd.concat([frame.iloc[:top], rest])
    frame = frame.iloc[::-1]  # barh draws the first row at the bottom
    fig, ax = _mpl.new_axes(ax, (8, max(2.5, 0.42 * len(frame) + 1.4)))
    y = np.arange(len(frame))
    left = np.zeros(len(frame))
    cmap = _segment_colours(len(frame.columns))
    for i, col in enumerate(frame.columns):
        values = frame[col].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=cmap[i], label=str(col), height=0.65)
        left += values
    for yi, total in zip(y, left, strict=True):
        ax.annotate(f"{_mpl.fmt_number(total, lang)} {currency}", (total, yi), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [_wrap(n, 34) for n in frame.index], fontsize=8)
    ax.set_xlabel(f"{label('cost', lang)}, {currency}")
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _mpl.fmt_number(v, lang)))
    default = "cost_by_pool" if by == "pool" else "cost_by_activity"
    ax.set_title(title or label(default, lang))
    if len(frame.columns) > 1:
        ax.legend(fontsize=8, loc="lower right")
    ax.margins(x=0.15)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


def _segment_colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


# --------------------------------------------------------------------------- utilisation
def utilisation_bars(
    utilisation: Any,
    *,
    warn: float = 0.85,
    title: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """Utilisation per resource pool as bars in percent, with the 100 % line.

    `utilisation` is ``{pool: fraction}`` (a dict, a Series, a `SimulationResult` or a
    `KPIReport`), or ``{scenario: that}`` for grouped bars (e.g. AS-IS and TO-BE). Single-
    scenario bars at or above `warn` are drawn in red: that pool is the bottleneck.
    """
    check_lang(lang)
    grouped = isinstance(utilisation, Mapping) and utilisation and all(
        not isinstance(v, int | float | np.number) for v in utilisation.values()
    )
    if grouped:
        frame = pd.DataFrame({str(k): utilisation_of(v) for k, v in utilisation.items()})
    else:
        frame = utilisation_of(utilisation).to_frame(label("utilisation", lang))
    frame = frame * 100.0
    fig, ax = _mpl.new_axes(ax, (max(5.0, 1.1 * len(frame) * len(frame.columns) + 2), 3.8))
    x = np.arange(len(frame))
    n = len(frame.columns)
    width = 0.8 / n
    for j, col in enumerate(frame.columns):
        values = frame[col].to_numpy(dtype=float)
        if n == 1:
            colours = [_mpl.OVERLOAD if v >= warn * 100 else _mpl.AFTER for v in values]
        else:
            colours = [_mpl.SCENARIO_COLOURS[j % len(_mpl.SCENARIO_COLOURS)]] * len(values)
        bars = ax.bar(x + (j - (n - 1) / 2) * width, np.nan_to_num(values), width=width,
                      color=colours, label=str(col))
        _mpl.bar_labels(ax, bars, [f"{v:.0f} %" if np.isfinite(v) else "" for v in values],
                        fontsize=8)
    ax.axhline(100, color=_mpl.TARGET_LINE, linestyle="--", linewidth=1.2,
               label=label("full_load", lang))
    ax.set_xticks(x, [_wrap(str(k), 16) for k in frame.index], fontsize=8)
    ax.set_ylabel(f"{label('utilisation', lang)}, %")
    ax.set_ylim(0, max(110.0, float(np.nanmax(frame.to_numpy(), initial=0)) * 1.12))
    ax.set_title(title or label("utilisation_title", lang))
    if n > 1:
        ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


# --------------------------------------------------------------------------- dotted chart
def dotted_chart(
    log: Any,
    *,
    max_cases: int | None = 100,
    relative: bool = False,
    colour_by: str = schema.ACTIVITY,
    title: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Figure:
    """A dotted chart of an event log: one row per case (ordered by start), one dot per
    activity completion, coloured by activity (or by `colour_by`, e.g. ``org:role``).

    `log` is a log in the one schema or anything with a ``log`` attribute (a
    `SimulationResult`). The first `max_cases` cases by start are drawn so the chart stays
    legible; ``relative=True`` puts hours since case start on the x axis.
    """
    check_lang(lang)
    frame = log.log if hasattr(log, "log") and not isinstance(log, pd.DataFrame) else log
    for col in (schema.CASE, schema.END, colour_by):
        if col not in frame.columns:
            raise LogError(f"the log has no column {col!r}; a dotted chart needs "
                           f"{schema.CASE}, {schema.END} and {colour_by}")
    case = frame[schema.CASE].astype(str)
    first = case_starts(frame)
    order = pd.to_datetime(first).sort_values(kind="stable")
    if max_cases is not None:
        order = order.iloc[:max_cases]
    row_of = pd.Series(np.arange(len(order)), index=order.index)
    keep = case.isin(row_of.index).to_numpy()
    part = frame.loc[keep]
    rows = row_of.loc[case[keep]].to_numpy()
    times = part[schema.END]
    if relative:
        starts = pd.DatetimeIndex(order.loc[case[keep]])
        xs = np.asarray((pd.DatetimeIndex(times) - starts).total_seconds() / 3600.0)
    else:
        xs = times.dt.tz_localize(None) if times.dt.tz is not None else times
        xs = xs.to_numpy()
    groups = part[colour_by].astype(str).to_numpy()
    names = list(dict.fromkeys(groups))
    colours = _segment_colours(len(names))
    fig, ax = _mpl.new_axes(ax, (10, max(3.5, min(9.0, 0.05 * len(order) + 2.5))))
    for i, name in enumerate(names):
        mask = groups == name
        ax.scatter(xs[mask], rows[mask], s=10, color=colours[i], label=_wrap(name, 30),
                   linewidths=0)
    ax.invert_yaxis()
    ax.set_ylabel(label("case", lang))
    ax.set_xlabel(label("hours_since_start", lang) if relative else label("time", lang))
    ax.set_title(title or label("dotted_chart", lang))
    if not relative:
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              markerscale=1.5)
    ax.grid(alpha=0.2)
    return fig
