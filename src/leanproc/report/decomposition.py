"""Where the lead time went between AS-IS and TO-BE, activity by activity: a waterfall.

When no improvement ladder is at hand, the change of the mean lead time is split over the
activities: each activity's waiting and processing per case before, minus the same after. What
the activities do not account for — the activities folded into "Other", time spent in parallel
branches (counted once in the lead time, once per branch in the activities), time between
activities and cases still open at the end — goes into "Other" too, so that the bars add up to
the AS-IS -> TO-BE difference exactly, and nothing is hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leanproc.bpmn.text_fit import wrap_words
from leanproc.report import _mpl
from leanproc.report.labels import check_lang, label, unit_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["change_by_activity", "change_figure", "change_waterfall"]

_COLUMNS = ("activity", "waiting", "processing", "total")
WAITING_SAVED = "#3a9a5b"
PROCESSING_SAVED = "#8cc79b"
OTHER = "#9aa5b1"


def _per_case(table: pd.DataFrame, cases: float) -> pd.DataFrame:
    """Waiting and processing per case of every activity (seconds): instances per case times
    the mean per instance."""
    missing = [c for c in ("activity", "count", "waiting_mean", "processing_mean")
               if c not in table.columns]
    if missing:
        raise ValueError(f"a per-activity table needs the columns {', '.join(missing)} "
                         f"(see KPIReport.per_activity)")
    if not cases > 0:
        raise ValueError(f"cases must be a positive number of cases, not {cases!r}")
    share = table["count"].astype(float) / float(cases)
    return pd.DataFrame({
        "waiting": (share * table["waiting_mean"].astype(float)).to_numpy(),
        "processing": (share * table["processing_mean"].astype(float)).to_numpy(),
    }, index=table["activity"].astype(str).to_numpy()).groupby(level=0, sort=False).sum()


def change_by_activity(before: pd.DataFrame, after: pd.DataFrame, lead_before: float,
                       lead_after: float, *, cases_before: float, cases_after: float,
                       top: int = 8, other: str = "Other") -> pd.DataFrame:
    """The lead-time change split by activity, in the unit of the inputs (seconds as given).

    `before` / `after` are per-activity tables (``activity``, ``count`` — instances, per run —,
    ``waiting_mean``, ``processing_mean``), `lead_before` / `lead_after` the mean lead times
    and `cases_before` / `cases_after` the cases per run the counts belong to. Returns one row
    per activity, the `top` largest changes first, with the ``waiting`` and ``processing``
    saved per case (negative: more time) and their ``total``; a last row `other` holds the
    rest (its waiting and processing are those of the folded activities, its total also the
    time no activity accounts for). The ``total`` column sums to ``lead_before - lead_after``.
    """
    b = _per_case(before, cases_before)
    a = _per_case(after, cases_after)
    saved = b.sub(a, fill_value=0.0).reindex(list(dict.fromkeys([*b.index, *a.index])))
    saved = saved.fillna(0.0)
    saved["total"] = saved["waiting"] + saved["processing"]
    order = saved["total"].abs().sort_values(ascending=False, kind="stable").index
    shown = saved.loc[order[:top]]
    shown = shown[shown["total"].abs() > 0]
    folded = saved.drop(index=shown.index)
    difference = float(lead_before) - float(lead_after)
    rest = {"waiting": float(folded["waiting"].sum()),
            "processing": float(folded["processing"].sum()),
            # what no shown activity accounts for, so that the totals add up to the difference
            "total": difference - float(shown["total"].sum())}
    out = shown.rename_axis("activity").reset_index()
    out = pd.concat([out, pd.DataFrame([{"activity": other, **rest}])], ignore_index=True)
    return out.loc[:, list(_COLUMNS)]


def change_waterfall(table: pd.DataFrame, start: float, *, unit: str = "h",
                     start_label: str | None = None, end_label: str | None = None,
                     title: str | None = None, lang: str = "en", ax: Axes | None = None,
                     ) -> Figure:
    """`change_by_activity` (in `unit`) as a horizontal waterfall from `start` (AS-IS mean
    lead time) down to TO-BE.

    Each activity's row holds two bars, waiting saved (upper) and processing saved (lower),
    each picking up where the previous one ended; the last row before TO-BE is ``Other``, one
    grey bar. Bars going left are savings, bars going right (red) added time. The saving bars
    carry ``gid`` ``saving:<kind>:<row>``; their signed widths add up to ``end - start``.
    """
    check_lang(lang)
    rows = table.to_dict("records")
    u = unit_label(unit, lang)
    fig, ax = _mpl.new_axes(ax, (10.0, 1.2 + 0.55 * (len(rows) + 2)))
    names = [start_label or label("as_is", lang)]
    level = reach = float(start)
    ax.barh(0, level, color=_mpl.BEFORE, height=0.6)
    ax.annotate(f"{_mpl.fmt_number(level, lang)} {u}", (level, 0), xytext=(4, 0),
                textcoords="offset points", va="center", fontsize=8)
    for i, row in enumerate(rows, start=1):
        names.append(str(row["activity"]))
        is_other = i == len(rows)
        parts = ([("total", OTHER, 0.0, 0.6)] if is_other else
                 [("waiting", WAITING_SAVED, -0.17, 0.34),
                  ("processing", PROCESSING_SAVED, 0.17, 0.34)])
        first = right = level
        for kind, colour, dy, height in parts:
            saving = float(row[kind])
            shade = colour if saving >= 0 or is_other else _mpl.INCREASE
            ax.barh(i + dy, -saving, left=level, height=height, color=shade,
                    edgecolor="white", linewidth=0.5, gid=f"saving:{kind}:{i}")
            level -= saving
            right = max(right, level)
        reach = max(reach, right)
        ax.plot([first, first], [i - 1 - 0.3, i - 0.3], color="#555555", linewidth=0.7)
        total = float(row["total"])
        ax.annotate(("−" if total >= 0 else "+") + f"{_mpl.fmt_number(abs(total), lang)} {u}",
                    (right, i), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    end = len(rows) + 1
    names.append(end_label or label("to_be", lang))
    ax.plot([level, level], [end - 1 - 0.3, end - 0.3], color="#555555", linewidth=0.7)
    ax.barh(end, level, color=_mpl.AFTER, height=0.6)
    ax.annotate(f"{_mpl.fmt_number(level, lang)} {u}", (level, end), xytext=(4, 0),
                textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(np.arange(end + 1), ["\n".join(wrap_words(n, 38)) for n in names],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"{label('lead_time', lang)}, {u}")
    ax.set_title(title or label("change_by_activity", lang))
    # room on the right for the AS-IS bar's value
    ax.set_xlim(0, reach * 1.15)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=WAITING_SAVED, label=label("waiting_saved", lang)),
                       Patch(color=PROCESSING_SAVED, label=label("processing_saved", lang)),
                       Patch(color=_mpl.INCREASE, label=label("time_added", lang)),
                       Patch(color=OTHER, label=label("other", lang))],
              fontsize=8, loc="lower right")
    return fig


def change_figure(before: pd.DataFrame, after: pd.DataFrame, flat: list[dict[str, float]],
                  *, unit: str, names: list[str], lang: str) -> Figure:
    """The report's waterfall from both sides' per-activity tables (`before` / `after`,
    already averaged over the replications) and flat KPIs (``lead_time.mean`` and ``cases``,
    means over the same replications), in `unit` (``h`` or ``d``)."""
    per_second = {"h": 1.0 / 3600.0, "d": 1.0 / 86400.0}[unit]

    def in_unit(table: pd.DataFrame) -> pd.DataFrame:
        return table.assign(waiting_mean=table["waiting_mean"] * per_second,
                            processing_mean=table["processing_mean"] * per_second)

    start = flat[0]["lead_time.mean"] * per_second
    end = flat[1]["lead_time.mean"] * per_second
    table = change_by_activity(in_unit(before), in_unit(after), start, end,
                               cases_before=flat[0]["cases"], cases_after=flat[1]["cases"],
                               other=label("other", lang))
    return change_waterfall(table, start, unit=unit, start_label=names[0],
                            end_label=names[1], lang=lang)
