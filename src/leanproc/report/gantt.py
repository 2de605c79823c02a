"""A Gantt chart of sample cases: AS-IS above TO-BE on one calendar-time axis.

Each case is a row; its activities are bars from start to completion, coloured by the role
that did them, and the gaps between the bars are the case waiting. A thin line runs from the
case's start to its last completion so that the waiting reads as part of the case. With a
working calendar the non-working time (nights, weekends, holidays) is shaded: much of a
public service's lead time is there.

The same case numbers are drawn on both sides. A comparison run with common random numbers
gives case *k* the same arrival on both sides, so the two rows of a case are the same
application going through the old and the new process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leanproc import log as schema
from leanproc.errors import LogError
from leanproc.report import _mpl
from leanproc.report.data import case_starts
from leanproc.report.labels import check_lang, label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["case_gantt", "sample_cases"]

_NON_WORKING = "#e9ecef"
_NO_ROLE = "—"


def _log_of(side: Any) -> pd.DataFrame:
    frame = side.log if hasattr(side, "log") and not isinstance(side, pd.DataFrame) else side
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected an event log or a SimulationResult, got "
                        f"{type(side).__name__}")
    missing = [c for c in (schema.CASE, schema.ACTIVITY, schema.END) if c not in frame.columns]
    if missing:
        raise LogError(f"the log has no column {', '.join(missing)}; a Gantt chart needs "
                       f"{schema.CASE}, {schema.ACTIVITY} and {schema.END}")
    return frame


def sample_cases(logs: Sequence[pd.DataFrame], n: int = 6) -> list[str]:
    """`n` consecutive case ids present in every log, from the start of the second quarter
    of the cases (by the first log's case starts): past the run's empty-system start, and
    close enough in time to share one readable axis."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    starts = case_starts(logs[0]).sort_values(kind="stable")
    common = [c for c in starts.index if all(_has_case(log, c) for log in logs[1:])]
    first = len(common) // 4
    return common[first:first + n] if len(common) - first >= n else common[-n:]


def _has_case(log: pd.DataFrame, case: str) -> bool:
    return bool((log[schema.CASE].astype(str) == case).any())


def case_gantt(
    sides: Sequence[Any],
    *,
    cases: Sequence[str] | None = None,
    n_cases: int = 6,
    names: Sequence[str] | None = None,
    calendar: Any = None,
    colour_by: str = schema.ROLE,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """Gantt chart of `cases` (default `sample_cases`), one panel per side, top to bottom.

    `sides` are event logs or `SimulationResult` s (AS-IS first). `calendar` (a `Calendar`;
    default: the first result's scenario calendar) puts the axis in its time zone and shades
    its non-working time. Each panel has one row per case (ids on the y axis), bars from
    ``start_timestamp`` (the completion when unknown) to ``time:timestamp`` coloured by
    `colour_by` (the role), and a line from the case's start to its last completion.
    """
    check_lang(lang)
    if not sides:
        raise ValueError("case_gantt needs at least one side (a log or a result)")
    logs = [_log_of(s) for s in sides]
    names = list(names) if names else [label("as_is", lang), label("to_be", lang)][:len(logs)]
    if calendar is None:
        calendar = getattr(getattr(sides[0], "bound", None), "calendar", None)
    chosen = [str(c) for c in cases] if cases is not None else sample_cases(logs, n_cases)
    tz = getattr(calendar, "tz", None)
    parts = [_case_rows(log, chosen, tz, colour_by) for log in logs]
    roles = list(dict.fromkeys(r for p in parts for r in p["role"]))
    colours = dict(zip(roles, _role_colours(len(roles)), strict=True))

    fig = _mpl.new_figure((11.0, 1.4 + 0.75 * len(logs) * max(2, len(chosen))))
    axes = fig.subplots(len(logs), 1, sharex=True, squeeze=False)[:, 0]
    lo = min(p["case_start"].min() for p in parts if len(p))
    hi = max(p["end"].max() for p in parts if len(p))
    for ax, part, name in zip(axes, parts, names, strict=False):
        _draw_side(ax, part, chosen, colours)
        ax.set_title(name, fontsize=10, loc="left")
        ax.set_ylabel(label("case", lang))
        if calendar is not None:
            _shade_non_working(ax, calendar, lo, hi)
    _date_axis(axes[-1], lang)
    axes[0].set_xlim(_num(lo) - 0.02 * (_num(hi) - _num(lo)),
                     _num(hi) + 0.02 * (_num(hi) - _num(lo)))
    fig.suptitle(title or label("case_gantt", lang))
    _legend(fig, colours, calendar is not None, lang)
    return fig


def _case_rows(log: pd.DataFrame, cases: list[str], tz: Any, colour_by: str) -> pd.DataFrame:
    """One row per activity instance of `cases`: case, role (the `colour_by` column), start,
    end and the case's start, as naive local times (in `tz` when given) for the date axis."""
    case = log[schema.CASE].astype(str)
    part = log.loc[case.isin(cases)]
    end = _local(part[schema.END], tz)
    start = _local(part[schema.START], tz) if schema.START in part else end
    start = start.where(start.notna(), end)
    role = (part[colour_by].astype(object) if colour_by in part
            else pd.Series(_NO_ROLE, index=part.index))
    role = role.where(role.notna(), _NO_ROLE).astype(str)
    case_start = _local(case_starts(part), tz)
    ids = part[schema.CASE].astype(str)
    return pd.DataFrame({
        "case": ids.to_numpy(), "role": role.to_numpy(),
        "start": start.to_numpy(), "end": end.to_numpy(),
        "case_start": case_start.reindex(ids.to_numpy()).to_numpy(),
    })


def _local(times: pd.Series, tz: Any) -> pd.Series:
    times = pd.to_datetime(times)
    if times.dt.tz is None:
        return times
    return (times.dt.tz_convert(tz) if tz is not None else times).dt.tz_localize(None)


def _num(value: Any) -> float:
    from matplotlib.dates import date2num

    return float(date2num(pd.Timestamp(value).to_datetime64()))


def _draw_side(ax: Axes, part: pd.DataFrame, cases: list[str], colours: dict[str, Any],
               ) -> None:
    row = {c: i for i, c in enumerate(cases)}
    for case, rows in part.groupby("case", sort=False):
        y = row[str(case)]
        ax.plot([_num(rows["case_start"].iloc[0]), _num(rows["end"].max())], [y, y],
                color="#7b8794", linewidth=1.0, zorder=2, gid=f"case:{case}")
        for r in rows.itertuples(index=False):
            left = _num(r.start)
            # the edge in the bar's own colour keeps a 10-minute step visible as a tick on an
            # axis of weeks
            colour = colours[str(r.role)]
            ax.barh(y, max(_num(r.end) - left, 0.0), left=left, height=0.55, color=colour,
                    edgecolor=colour, linewidth=1.2, zorder=3)
    ax.set_yticks(np.arange(len(cases)), cases)
    ax.set_ylim(len(cases) - 0.4, -0.6)
    ax.grid(axis="x", alpha=0.3)


def _shade_non_working(ax: Axes, calendar: Any, lo: Any, hi: Any) -> None:
    """Grey bands over the non-working time of `calendar` between `lo` and `hi` (local)."""
    day = pd.Timestamp(lo).normalize()
    last = pd.Timestamp(hi).normalize()
    free_from = day  # the non-working stretch that is open
    while day <= last:
        for begin, finish in calendar.day_hours(day.date()):
            start = day + _since_midnight(begin)
            stop = day + (_since_midnight(finish) or pd.Timedelta(days=1))
            if start > free_from:
                ax.axvspan(_num(free_from), _num(start), color=_NON_WORKING, zorder=0,
                           linewidth=0)
            free_from = stop
        day += pd.Timedelta(days=1)
    if day > free_from:
        ax.axvspan(_num(free_from), _num(day), color=_NON_WORKING, zorder=0, linewidth=0)


def _since_midnight(t: dt.time) -> pd.Timedelta:
    return pd.Timedelta(hours=t.hour, minutes=t.minute, seconds=t.second)


# Russian dates in numbers (15.03, 03.2024): matplotlib's month names are English
_RU_DATES = {
    "formats": ["%Y", "%m.%Y", "%d.%m", "%H:%M", "%H:%M", "%S.%f"],
    "zero_formats": ["", "%Y", "%m.%Y", "%d.%m", "%H:%M", "%H:%M"],
    "offset_formats": ["", "%Y", "%m.%Y", "%d.%m.%Y", "%d.%m.%Y", "%d.%m.%Y %H:%M"],
}


def _date_axis(ax: Axes, lang: str) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    options: dict[str, Any] = _RU_DATES if lang == "ru" else {}
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, **options))


def _role_colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _legend(fig: Figure, colours: dict[str, Any], shaded: bool, lang: str) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(color=c, label=r) for r, c in colours.items()]
    handles.append(Line2D([], [], color="#7b8794", label=label("waiting_gap", lang)))
    if shaded:
        handles.append(Patch(color=_NON_WORKING, label=label("non_working", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)),
               fontsize=8, frameon=False)
