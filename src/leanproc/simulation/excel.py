"""A simulation run or its replications as an Excel workbook (`to_excel`).

One run: its KPI sheets (the values of that run) and the parameters. Replications: the mean
and 95 % CI of every KPI across them, and the parameters, which say the values are means over
N replications.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc._labels import check_lang
from leanproc._workbook import basis_text, parameters_table, write_workbook
from leanproc.kpi.excel import kpi_tables, summary_table

if TYPE_CHECKING:
    from leanproc.simulation.result import Replications, SimulationResult

__all__ = ["write_replications", "write_result"]


def _scenario_items(result: SimulationResult) -> list[tuple[str, Any]]:
    bound = result.bound
    return [("scenario_name", bound.scenario.name),
            ("random_seed", result.seed),
            ("calendar", bound.calendar.name if bound.calendar is not None else "24x7")]


def write_result(result: SimulationResult, path: str | os.PathLike[str], lang: str, *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
    """`SimulationResult.to_excel`: the run's KPI sheets and its parameters."""
    check_lang(lang)
    items = [*(parameters or {}).items(), *_scenario_items(result),
             ("replication_no", result.replication), ("values_are", basis_text(1, lang))]
    return write_workbook(path, [*kpi_tables(result.kpi, lang), parameters_table(items, lang)])


def write_replications(replications: Replications, path: str | os.PathLike[str], lang: str, *,
                       parameters: Mapping[str, Any] | None = None) -> Path:
    """`Replications.to_excel`: KPI means with 95 % CIs across the runs, and the parameters."""
    check_lang(lang)
    summary = replications.summary()
    # the per-case statistics of each run (.n, .ci_*) and the per-activity rows stay out: the
    # interval shown is the one across replications
    keep = [k for k in summary.index
            if not str(k).startswith("activity.")
            and not str(k).endswith((".n", ".ci_low", ".ci_high"))]
    n = len(replications)
    items = [*(parameters or {}).items(), *_scenario_items(replications.results[0]),
             ("replications_count", n), ("values_are", basis_text(n, lang))]
    return write_workbook(path, [summary_table(summary.loc[keep], lang),
                                 parameters_table(items, lang)])
