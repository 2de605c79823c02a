"""The comparison report's two figures of change: the savings waterfall and the case Gantt.

`html.html` calls these with what it has already worked out (the runs, their per-activity
tables, the flat KPIs averaged over replications), so that each figure is drawn from the very
numbers the report's tables show and its caption says which ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from leanproc.report import figures as F
from leanproc.report.adapters import ladder_steps
from leanproc.report.data import per_activity_of
from leanproc.report.decomposition import change_figure
from leanproc.report.gantt import case_gantt, sample_cases
from leanproc.report.labels import kpi_label, label
from leanproc.report.tables import basis_text, per_activity_mean

if TYPE_CHECKING:
    from leanproc.report.html import Report

__all__ = ["add_gantt", "add_waterfall"]


def add_waterfall(report: Report, *, ladder: Any, runs: Sequence[Any], reports: Sequence[Any],
                  counts: Sequence[int], flat: Sequence[dict[str, float]], unit: str,
                  names: Sequence[str], lang: str) -> None:
    """The improvement ladder when one is given; else, for two sides, the change of the mean
    lead time split by activity (`decomposition`); nothing for a single run."""
    if ladder is not None:
        steps, start, end = ladder_steps(ladder)
        caption = None
        if start is None:  # the same means over replications as the summary
            start = flat[0].get("lead_time.mean", math.nan) / 3600.0
            end = flat[-1].get("lead_time.mean", math.nan) / 3600.0 if len(flat) > 1 else None
        else:  # a Ladder: its own KPI and replications
            n = len(ladder.values[0]) if getattr(ladder, "values", None) else 0
            caption = label("ladder_caption", lang).format(
                kpi=kpi_label(ladder.lead_time_kpi, lang), n=n)
        report.figure(F.waterfall(steps, start, end=end, lang=lang), caption)
        return
    measured = all(math.isfinite(f.get("lead_time.mean", math.nan)) and f.get("cases")
                   for f in flat)
    if len(runs) < 2 or not measured:  # nothing finished on a side: no change to split
        return
    tables = [per_activity_mean(run) if n > 1 else per_activity_of(rep)
              for run, rep, n in zip(runs, reports, counts, strict=True)]
    fig = change_figure(tables[0], tables[1], list(flat), unit=unit, names=list(names),
                        lang=lang)
    caption = label("change_caption", lang).format(basis=basis_text(max(counts), lang))
    report.figure(fig, caption)


def add_gantt(report: Report, *, one: Sequence[Any], names: Sequence[str],
              counts: Sequence[int], lang: str, n_cases: int = 6) -> None:
    """AS-IS over TO-BE for the same sample cases of replication 1 (runs that keep a log)."""
    if len(one) < 2 or not all(len(getattr(x, "log", ())) for x in one):
        return
    cases = sample_cases([x.log for x in one], n_cases)
    if not cases:
        return
    calendar = getattr(getattr(one[0], "bound", None), "calendar", None)
    fig = case_gantt(one, cases=cases, names=names, calendar=calendar, lang=lang)
    basis = basis_text(1, lang, replication=1) if max(counts) > 1 else basis_text(1, lang)
    caption = label("gantt_caption", lang).format(cases=", ".join(cases), basis=basis)
    if calendar is not None:
        caption += " " + label("gantt_calendar", lang).format(
            calendar=getattr(calendar, "name", calendar))
    report.heading(label("case_gantt", lang))
    report.figure(fig, caption)
