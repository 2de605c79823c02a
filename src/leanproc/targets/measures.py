"""The values targets and comparisons read: one flat dict per simulation run.

`measure(result)` joins three sources under the flat names of `leanproc.targets.spec`:

* the run's KPIs (`leanproc.kpis`): ``lead_time.mean``, ``sla_share(24h)``, ...;
* the process calculator: ``cost.per_case``, ``labour_hours.per_case``, ``fte``, ..., and
  the staff paid whether busy or not, ``staff_cost.per_year`` (`leanproc.cost.staff_cost`);
* the structure of the model as the scenario tags it (`structure_counts`): ``approvals``,
  ``paper_documents``, ``participants`` (the roles and departments: distinct leaf lanes plus
  pools without lanes, as lean project cards count them), ``pools``, ``lanes``, ``handoffs``,
  ``client_actions``, ...
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from leanproc.cost import process_cost, staff_cost

if TYPE_CHECKING:
    from leanproc.scenario.plans import BoundScenario

__all__ = ["measure", "structure_counts"]

_VALUE = {"value_adding": "value", "business": "business", "waste": "waste"}


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def structure_counts(bound: BoundScenario) -> dict[str, float]:
    """Lean structure counts of the bound model, with the scenario's tags overriding the
    name-based ones.

    An activity's ``approval``, ``client`` and ``value`` written in the scenario replace what
    the model's names and properties say (``approval: false`` removes a step whose name merely
    sounds like an approval). ``paper_documents``: when the scenario gives any activity a
    ``paper_documents`` count, the process count is the sum of those counts (the scenario is
    then the document register: each activity counts the paper documents it introduces);
    otherwise it is the model's count of non-electronic data objects.
    """
    # leanproc.bpmn loads lxml (its reader); the counts are asked of a run whose model is
    # already read, so the CI gates' `import leanproc.targets` need not pay for it
    from leanproc.bpmn.structure import structure_of

    model = bound.model
    overrides: dict[str, dict[str, Any]] = {}
    paper: dict[str, int] = {}
    for key, spec in bound.scenario.activities.items():
        written = spec.model_fields_set
        ids = [nid for nid in bound.activities
               if nid == key or ((name := model.nodes[nid].name) is not None
                                 and _fold(name) == _fold(key))]
        for nid in ids:
            tags: dict[str, Any] = {}
            if "approval" in written:
                tags["approval"] = spec.approval
            if "client" in written:
                tags["client"] = spec.client
            if "value" in written:
                tags["value"] = _VALUE.get(spec.value or "")
            if tags:
                overrides.setdefault(nid, {}).update(tags)
            if "paper_documents" in written:
                paper[nid] = int(spec.paper_documents)
    s = structure_of(model, overrides=overrides)
    counts = {k: float(v) for k, v in s.as_dict().items()}
    for old, new in (("value_adding", "steps.value_adding"), ("business_value", "steps.business"),
                     ("waste", "steps.waste"), ("unclassified", "steps.unclassified")):
        counts[new] = counts.pop(old)
    if paper:
        counts["paper_documents"] = float(sum(paper.values()))
    return counts


def measure(result: Any, *, sla: Iterable[str] = (), volume_per_year: float | None = None,
            cost: bool = True, structure: bool = True) -> dict[str, float]:
    """Every flat KPI of one simulation run (see the module docstring).

    `sla` lists the deadlines whose ``sla_share(<deadline>)`` is wanted; `volume_per_year`
    feeds the yearly cost and labour figures (default: estimated from the arrival rate).
    """
    sla = list(sla)
    kpi = result.kpis(sla=sla) if sla else result.kpi
    out = dict(kpi.as_dict(activities=False))
    if cost:
        out |= process_cost(result.log, result.bound, volume_per_year=volume_per_year).as_dict()
        out["staff_cost.per_year"] = staff_cost(result.bound).total
    if structure:
        out |= structure_counts(result.bound)
    return out
