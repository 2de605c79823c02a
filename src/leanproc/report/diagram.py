"""The BPMN diagram coloured by a run's numbers: `leanproc.bpmn.drawing` fed from KPIs.

The drawing itself belongs to the model (`leanproc.bpmn.drawing`); here it also takes a
`KPIReport`, a `SimulationResult` or a per-activity table and picks the numbers to colour by.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc.bpmn import drawing
from leanproc.bpmn.drawing import has_diagram, resolve_values
from leanproc.bpmn.model import ProcessModel
from leanproc.report.data import activity_values

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["diagram", "has_diagram", "resolve_values"]


def diagram(model: ProcessModel, values: Any = None, *, measure: str = "waiting",
            **options: Any) -> Figure:
    """Draw `model` from its BPMN DI; colour activities by `values` when given.

    `values` is ``{activity id or name: number}`` (dict or Series), or a `KPIReport` /
    `SimulationResult` / per-activity table, from which `measure` (``waiting``,
    ``processing``, ``waiting_total``…, see `leanproc.report.data.activity_values`) is taken in
    hours. The other options are those of `leanproc.bpmn.drawing.diagram` (`unit`,
    `value_label`, `value_format`, `show_values`, `cmap`, `vmax`, `which`, `title`, `width`,
    `lang`, `ax`).

    Raises `BPMNError` when the model has no diagram coordinates.
    """
    if values is not None and not isinstance(values, Mapping | pd.Series):
        values = activity_values(values, measure)
        measure = str(values.name)  # says whether processing is in working or clock time
    return drawing.diagram(model, values, measure=measure, **options)
