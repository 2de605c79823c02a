"""KPIs over an event log in the one log schema, the same for simulated and real logs.

>>> report = kpis(log, "ru-5x8@Europe/Moscow", sla=["24h", "3wd"])  # doctest: +SKIP
>>> report.as_dict()["lead_time.mean"]  # seconds                      # doctest: +SKIP

See :mod:`leanproc.kpi.compute` for the definitions and :mod:`leanproc.kpi.report` for the flat
KPI names.
"""

from __future__ import annotations

from leanproc.kpi.compute import kpis
from leanproc.kpi.report import KPIReport
from leanproc.kpi.stats import Summary, confidence_interval

__all__ = [
    "KPIReport",
    "Summary",
    "confidence_interval",
    "kpis",
]
