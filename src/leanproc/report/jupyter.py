"""Jupyter views: HTML for process models, simulation results and replications.

Each object shows itself (``_repr_html_``) from the renderer of its own package —
`leanproc.bpmn.display` for models, `leanproc.simulation.display` for results — built from the
shared HTML helpers in `leanproc._display`; they are gathered here so a notebook can also call
them with ``lang="ru"``. The data stay one attribute away (``result.log``, ``result.cases``,
``result.kpi.per_activity``), and each view says so.
"""

from __future__ import annotations

from leanproc.bpmn.display import model_html
from leanproc.simulation.display import replications_html, result_html

__all__ = ["model_html", "replications_html", "result_html"]
