"""Reports: matplotlib figures, before / target / after tables and a self-contained HTML page.

Figures (`leanproc.report.figures`, `leanproc.report.diagram`, the lead-time change by
activity in `leanproc.report.decomposition`, the case Gantt chart in `leanproc.report.gantt`)
take plain pandas data or the leanproc objects that hold it and return a matplotlib `Figure`;
`html` writes the standard AS-IS / TO-BE report in one call, `Report` composes a custom one.
Labels come in English or Russian (``lang="ru"``). matplotlib is imported only when a figure
is drawn.
"""

from __future__ import annotations

from leanproc.report.decomposition import change_by_activity, change_waterfall
from leanproc.report.diagram import diagram, has_diagram
from leanproc.report.figures import (
    before_target_after_bars,
    cost_bars,
    dotted_chart,
    lead_time_distribution,
    utilisation_bars,
    waterfall,
)
from leanproc.report.gantt import case_gantt, sample_cases
from leanproc.report.html import Report, html
from leanproc.report.tables import before_target_after_table, kpi_table, parse_target

__all__ = [
    "Report",
    "before_target_after_bars",
    "before_target_after_table",
    "case_gantt",
    "change_by_activity",
    "change_waterfall",
    "cost_bars",
    "diagram",
    "dotted_chart",
    "has_diagram",
    "html",
    "kpi_table",
    "lead_time_distribution",
    "parse_target",
    "sample_cases",
    "utilisation_bars",
    "waterfall",
]
