"""The improvement ladder: TO-BE as AS-IS plus named improvements, applied one by one.

Each `Improvement` is a scenario patch (a mapping merged into the scenario: nested mappings
merge, ``null`` deletes a key, anything else replaces), a model change (another BPMN file, or
elements to remove with the flow reconnected), or both. Step k is step k-1 with improvement k
applied; every step runs the same seed and replications, so step-to-step differences are
paired (common random numbers) and each improvement's saving comes with a narrow CI. Savings
add up exactly to the total AS-IS -> TO-BE saving (a telescoping sum), so the shares form the
waterfall a project card shows ("ВПП снижено на 10 часов").

An improvements file (YAML)::

    as_is: as-is.scenario.yaml          # relative to this file
    targets: targets.yaml               # optional
    improvements:
      - name: Единая заявка и чек-лист
        claimed: {lead_time_saved: 10h}  # what the project card says (for reports and tests)
        patch: {activities: {...}, gateways: {...}}
        remove: [Составить служебную записку в АХО]
        model: to-be-step-1.bpmn          # optional: a new model from this step on
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from leanproc._names import did_you_mean
from leanproc._view import HTMLView
from leanproc.comparison.edits import remove_elements
from leanproc.comparison.paired import (
    Comparison,
    build_comparison,
    run_side,
    values_of,
)
from leanproc.comparison.stats import Interval, difference
from leanproc.cost.calculator import check_volume
from leanproc.errors import ScenarioError
from leanproc.inputs import DEFAULT_SEED, as_model
from leanproc.kpi.display import display_value
from leanproc.kpi.report import unit_of
from leanproc.scenario.patching import merge_patch
from leanproc.targets.spec import format_value, parse_targets

__all__ = ["Improvement", "Ladder", "apply_patch", "ladder", "load_improvements",
           "resolve_path"]

_HOUR = 3600.0


@dataclass(frozen=True)
class Improvement:
    """One named optimisation measure (мероприятие)."""

    name: str
    patch: Mapping[str, Any] = field(default_factory=dict)
    model: Any = None  # a path or ProcessModel replacing the model from this step on
    remove: tuple[str, ...] = ()
    claimed: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None


def apply_patch(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `patch` applied by the scenario's merge rule (`scenario.patching`):
    sections and named entries merge, values (durations, shares, calendars) are replaced
    whole, None deletes."""
    return merge_patch(base, patch)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _drop_removed(scenario: dict[str, Any], model: Any, removed: Iterable[str]) -> None:
    """Scenario entries naming removed elements go too (binding would reject them)."""
    names = set()
    for key in removed:
        node = model.node(key)
        names |= {node.id, _fold(node.name)} if node.name else {node.id}
    for section in ("activities", "gateways", "events"):
        entries = scenario.get(section)
        if isinstance(entries, dict):
            for key in [k for k in entries if k in names or _fold(k) in names]:
                del entries[key]


@dataclass
class Ladder:
    """Every step's per-replication values: step 0 is AS-IS, step k has improvements 1..k."""

    names: list[str]
    values: list[pd.DataFrame]
    improvements: list[Improvement]
    comparison: Comparison
    lead_time_kpi: str = "lead_time.mean"
    results: list[list[Any]] = field(default_factory=list, repr=False)

    def saving(self, step: int, kpi: str | None = None) -> Interval:
        """Reduction of `kpi` by improvement `step` (1-based): value before it - after it."""
        kpi = kpi or self.lead_time_kpi
        a = self.values[step - 1][kpi].to_numpy(dtype=float)
        b = self.values[step][kpi].to_numpy(dtype=float)
        return -difference(a, b, paired=True)

    def total_saving(self, kpi: str | None = None) -> Interval:
        kpi = kpi or self.lead_time_kpi
        return -difference(self.values[0][kpi].to_numpy(dtype=float),
                           self.values[-1][kpi].to_numpy(dtype=float), paired=True)

    def level(self, step: int, kpi: str | None = None) -> float:
        """Mean of `kpi` after `step` improvements (0: AS-IS)."""
        return float(self.values[step][kpi or self.lead_time_kpi].mean())

    def waterfall(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per improvement: lead time after it, its saving with CI, its share of the
        total saving, and the same for cost per case; the claimed saving where one is given.
        Time in hours, money in roubles."""
        kpis = list(kpis or [self.lead_time_kpi, "cost.per_case"])
        rows = []
        for step, imp in enumerate(self.improvements, start=1):
            row: dict[str, Any] = {"step": step, "improvement": imp.name}
            for kpi in kpis:
                if kpi not in self.values[step].columns:
                    continue
                scale = _HOUR if _is_time(kpi) else 1.0
                s, total = self.saving(step, kpi), self.total_saving(kpi).mean
                row[f"{kpi}.after"] = self.level(step, kpi) / scale
                row[f"{kpi}.saving"] = s.mean / scale
                row[f"{kpi}.saving_low"] = s.low / scale
                row[f"{kpi}.saving_high"] = s.high / scale
                row[f"{kpi}.share"] = s.mean / total if total else math.nan
            if imp.claimed.get("lead_time_saved") is not None:
                row["claimed_lead_time_saved_h"] = _claimed_hours(imp)
            rows.append(row)
        return pd.DataFrame(rows)

    def to_excel(self, path: str | os.PathLike[str], lang: str = "en", *,
                 parameters: Mapping[str, Any] | None = None) -> Path:
        """Write the ladder (each measure's saving, CI, share, claimed figure), Было / Цель /
        Стало of AS-IS against the last step and the parameters to an Excel workbook (.xlsx);
        labels in `lang` (``en`` / ``ru``)."""
        from leanproc.comparison.excel import write_ladder

        return write_ladder(self, path, lang, parameters=parameters)

    def table(self, kpi: str | None = None) -> pd.DataFrame:
        """One row per step, as numbers in the unit people read (``unit``: ``h`` for a time,
        ``%``, ``₽`` or empty): step 0 is AS-IS; ``level`` is the KPI's mean after the step,
        ``saving`` (with ``saving_low`` / ``saving_high``, the paired 95 % CI) what the step
        saved, ``share_pct`` its per cent of the total saving, ``claimed_saving`` the project
        card's claim (lead-time KPIs only). Savings add up to the total saving exactly."""
        kpi = kpi or self.lead_time_kpi
        scale, unit = display_value(kpi, 1.0)
        total = self.total_saving(kpi).mean
        rows: list[dict[str, Any]] = []
        for step, name in enumerate(self.names):
            s = self.saving(step, kpi) if step else Interval(math.nan, math.nan, math.nan)
            claimed = math.nan
            if step and kpi == self.lead_time_kpi:
                claimed = _claimed_hours(self.improvements[step - 1]) * scale * _HOUR
            rows.append({"step": step, "improvement": name, "kpi": kpi, "unit": unit,
                         "level": self.level(step, kpi) * scale, "saving": s.mean * scale,
                         "saving_low": s.low * scale, "saving_high": s.high * scale,
                         "share_pct": 100.0 * s.mean / total if total else math.nan,
                         "claimed_saving": claimed})
        return pd.DataFrame(rows)

    def display(self, lang: str = "en") -> HTMLView:
        """The notebook view in `lang` (``en`` or ``ru``): the ladder with savings and shares."""
        from leanproc.comparison.display import ladder_html

        return HTMLView(ladder_html(self, lang=lang), title="Ladder")

    def _repr_html_(self) -> str:
        return self.display()._repr_html_()

    def __repr__(self) -> str:
        return (f"<Ladder of {len(self.improvements)} improvements on {self.lead_time_kpi}, "
                f"{len(self.values[0])} paired replications per step>")

    def __str__(self) -> str:
        kpi = self.lead_time_kpi
        unit = "time" if _is_time(kpi) else "number"
        last = self.level(len(self.improvements))
        lines = [f"Improvement ladder (means over {len(self.values[0])} paired replications), "
                 f"{kpi}: "
                 f"{format_value(self.level(0), unit)} -> {format_value(last, unit)}"]
        for d in self.waterfall([kpi]).to_dict("records"):
            claimed = d.get("claimed_lead_time_saved_h")
            claim = f"; claimed {claimed:.1f} h" if claimed is not None and not \
                (isinstance(claimed, float) and math.isnan(claimed)) else ""
            lines.append(
                f"  {d['step']}. {d['improvement']}: ВПП снижено на "
                f"{d[f'{kpi}.saving']:.1f} ч [{d[f'{kpi}.saving_low']:.1f} .. "
                f"{d[f'{kpi}.saving_high']:.1f}], {d[f'{kpi}.share']:.0%} of the saving{claim}")
        return "\n".join(lines)


def _claimed_hours(imp: Improvement) -> float:
    """The lead-time saving the project card claims for `imp`, hours (NaN when none)."""
    claimed = imp.claimed.get("lead_time_saved")
    if claimed is None:
        return math.nan
    # lazy like the readers below: the scenario package loads pydantic
    from leanproc.scenario.durations import parse_duration

    return parse_duration(str(claimed), where="claimed").seconds / _HOUR


def _is_time(kpi: str) -> bool:
    return unit_of(kpi) == "s"


def ladder(as_is: Any, improvements: Sequence[Improvement | Mapping[str, Any]], *,
           model: Any = None, targets: Any = None, replications: int = 10,
           seed: int = DEFAULT_SEED, volume_per_year: float | None = None,
           lead_time_kpi: str = "lead_time.mean", base_dir: str | os.PathLike | None = None,
           executor: Any = None) -> Ladder:
    """Simulate AS-IS and each cumulative improvement step with common random numbers.

    `as_is` is a scenario path or mapping (patches apply to its mapping form); `model` its
    BPMN model when the scenario does not name one. Relative model paths of improvements are
    read from `base_dir`.
    """
    # the readers (lxml, pydantic) load when a ladder is built, not on `import leanproc.comparison`
    from leanproc.bpmn.model import ProcessModel
    from leanproc.bpmn.reader import read_bpmn
    from leanproc.scenario.spec import load_mapping

    check_volume(volume_per_year)  # before the simulations, not after them
    if not isinstance(as_is, Mapping | str | os.PathLike):
        # the improvements patch the scenario's mapping form, which a Scenario object lacks
        raise ScenarioError(f"as_is= must be a scenario file path, YAML / JSON text or a "
                            f"mapping, not {type(as_is).__name__}", source="ladder")
    data, folder, _ = load_mapping(as_is)
    base = Path(base_dir) if base_dir is not None else folder
    current_model = model
    if current_model is None:
        if "model" not in data:
            raise ScenarioError("ladder: the AS-IS scenario names no model: pass model=...")
        current_model = read_bpmn(resolve_path(data["model"], folder))
    else:
        current_model = as_model(current_model, caller="ladder")
    data.pop("model", None)
    steps = [(data, current_model)]
    imps = [i if isinstance(i, Improvement) else _improvement(i, k)
            for k, i in enumerate(improvements)]
    for imp in imps:
        scenario = apply_patch(steps[-1][0], imp.patch)
        m = steps[-1][1]
        if imp.model is not None:
            m = imp.model if isinstance(imp.model, ProcessModel) else \
                read_bpmn(resolve_path(imp.model, base))
        if imp.remove:
            _drop_removed(scenario, m, imp.remove)
            m = remove_elements(m, imp.remove)
        steps.append((scenario, m))
    tset = parse_targets(targets if targets is not None else
                         (steps[-1][0].get("targets") or None))
    results = [run_side(s, model=m, seed=seed, replications=replications, executor=executor,
                        caller="ladder") for s, m in steps]
    values = [values_of(r, sla=tset.sla_deadlines, volume_per_year=volume_per_year)
              for r in results]
    comparison = build_comparison(results[0], results[-1], tset,
                                  volume_per_year=volume_per_year,
                                  values=(values[0], values[-1]))
    return Ladder(["AS-IS", *(i.name for i in imps)], values, imps, comparison, lead_time_kpi,
                  results)


def resolve_path(path: Any, folder: Path | None) -> Path:
    """`path` as written in a file in `folder`: relative paths are relative to that folder."""
    p = Path(path).expanduser()
    return p if p.is_absolute() or folder is None else folder / p


def _improvement(data: Mapping[str, Any], k: int) -> Improvement:
    if not isinstance(data, Mapping) or "name" not in data:
        raise ScenarioError(f"improvements[{k}]: expected a mapping with at least a name "
                            f"(and patch, remove, model, claimed, description)")
    allowed = ("name", "patch", "model", "remove", "claimed", "description")
    unknown = sorted(str(key) for key in set(data) - set(allowed))
    if unknown:
        raise ScenarioError([f"improvements[{k}] ({data['name']!r}): unknown key {key!r}"
                             f"{did_you_mean(key, allowed, n=1, owner='the format')}; "
                             f"allowed: {', '.join(allowed)}" for key in unknown])
    remove = data.get("remove") or ()
    if isinstance(remove, str):
        remove = (remove,)
    patch = data.get("patch") or {}
    if not isinstance(patch, Mapping):
        raise ScenarioError(f"improvements[{k}].patch: expected a mapping merged into the "
                            f"scenario, got {type(patch).__name__}")
    return Improvement(str(data["name"]), dict(patch), data.get("model"), tuple(remove),
                       dict(data.get("claimed") or {}), data.get("description"))


_FILE_KEYS = ("as_is", "targets", "improvements", "lead_time_kpi", "replications",
              "volume_per_year", "seed", "name", "description")
"""The keys of an improvements file."""


def load_improvements(source: Any) -> tuple[dict[str, Any], list[Improvement], Path | None]:
    """(the file's mapping, its improvements, its folder) from an improvements YAML file."""
    from leanproc.scenario.spec import load_mapping  # pydantic loads here, see `ladder`

    data, folder, label = load_mapping(source)
    unknown = sorted(str(k) for k in data if k not in _FILE_KEYS)
    if unknown:
        hints = {k: did_you_mean(k, _FILE_KEYS, n=1, owner="the format") for k in unknown}
        raise ScenarioError([f"unknown key {k!r}{hints[k]}; allowed: {', '.join(_FILE_KEYS)}"
                             for k in unknown], source=label)
    items = data.get("improvements")
    if not isinstance(items, list) or not items:
        raise ScenarioError("improvements: expected a list of improvements", source=label)
    return data, [_improvement(i, k) for k, i in enumerate(items)], folder


def ladder_from_file(source: Any, **options: Any) -> Ladder:
    """Run the ladder an improvements file describes (its ``as_is`` and ``targets`` keys)."""
    data, imps, folder = load_improvements(source)
    if "as_is" not in data:
        raise ScenarioError("improvements file: 'as_is: <scenario file>' is missing")
    targets = data.get("targets")
    if isinstance(targets, str):
        targets = resolve_path(targets, folder)
    options.setdefault("targets", targets)
    for key in ("lead_time_kpi", "replications", "volume_per_year", "seed"):
        if key in data:
            options.setdefault(key, data[key])
    return ladder(resolve_path(data["as_is"], folder), imps, base_dir=folder, **options)
