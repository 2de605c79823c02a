"""Gate files: which scenarios must meet which targets, checked in one call (and by CI).

A gate file is YAML. The short form gates one scenario (or several, with the same targets)::

    # targets.yaml
    scenario: scenarios/to-be.yaml       # or  scenarios: [scenarios/a.yaml, scenarios/b.yaml]
    baseline: scenarios/as-is.yaml       # optional: AS-IS, for before values (paired runs)
    replications: 10
    targets:
      lead_time.mean: "<= 24h"
      approvals: "== 0"

The long form lists gates, each with its own scenario and targets; top-level keys are the
defaults of every gate::

    replications: 10                     # default 10
    seed: 20240301                       # default leanproc.DEFAULT_SEED (20240301)
    gates:
      - name: Taxi permit, TO-BE         # default: the scenario's name, else its file name
        scenario: scenarios/taxi-to-be.yaml
        baseline: scenarios/taxi-as-is.yaml
        targets: {lead_time_working.mean: "<= 120min", paper_documents: 0}
      - scenario: scenarios/clinic-to-be.yaml
        targets: clinic-targets.yaml     # a targets file (a mapping, or one under `targets:`)
        until: 42d                       # simulate up to this point (cases in progress:
                                         # unfinished)
        volume_per_year: 12000           # cases per year, for cost.per_year and fte targets

Keys of a gate: ``scenario`` (required), ``name``, ``baseline``, ``targets`` (a mapping, a list
of ``"<kpi> <op> <bound>"`` texts or a file; default: the scenario's own ``targets:``),
``replications``, ``seed``, ``until``, ``volume_per_year``. Paths are relative to the gate
file. The KPI names and bounds are those of `leanproc.targets` (``lead_time.mean``,
``lead_time.p90 <= 3wd``, ``sla_share(24h) >= 90%``, ``cost.per_case``, ``approvals``…).

A target passes only when the whole 95 % confidence interval over the replications meets the
bound (`leanproc.targets.evaluate`); "uncertain" fails the gate, since more replications or a
better TO-BE are needed to claim it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leanproc.comparison import compare
from leanproc.errors import ScenarioError
from leanproc.inputs import DEFAULT_SEED
from leanproc.targets import evaluate

__all__ = ["DEFAULT_REPLICATIONS", "DEFAULT_SEED", "Gate", "GateOutcome", "GateReport",
           "load_gates", "run_gates", "targets_for"]

DEFAULT_REPLICATIONS = 10
_GATE_KEYS = {"name", "scenario", "baseline", "targets", "replications", "seed", "until",
              "volume_per_year"}
_FILE_KEYS = _GATE_KEYS | {"gates", "scenarios"}


@dataclass(frozen=True)
class Gate:
    """One scenario and the targets it must meet."""

    name: str | None
    scenario: Path
    targets: Any = None  # a mapping, list, path, or None for the scenario's own targets
    baseline: Path | None = None
    replications: int = DEFAULT_REPLICATIONS
    seed: int = DEFAULT_SEED
    until: str | None = None
    volume_per_year: float | None = None


@dataclass(frozen=True)
class GateOutcome:
    """A gate's name, its target report and, with a baseline, the comparison."""

    gate: Gate
    name: str
    report: Any  # leanproc.targets.TargetReport
    comparison: Any = None

    @property
    def passed(self) -> bool:
        return self.report.passed and len(self.report.outcomes) > 0

    @property
    def failing(self) -> list[Any]:
        """The target outcomes that did not pass."""
        return [o for o in self.report if not o.passed]


@dataclass(frozen=True)
class GateReport:
    """Every gate's outcome; `passed` when every target of every gate is met."""

    outcomes: tuple[GateOutcome, ...]
    source: str | None = None

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failing_kpis(self) -> list[str]:
        """``"<gate>: <kpi>"`` for every target not met."""
        return [f"{o.name}: {t.target.kpi}" for o in self.outcomes for t in o.failing]

    def __str__(self) -> str:
        lines = []
        for o in self.outcomes:
            met = sum(t.passed for t in o.report)
            total = len(o.report.outcomes)
            word = "PASS" if o.passed else "FAIL"
            lines.append(f"{word} {o.name}: {met} of {total} targets met "
                         f"({o.gate.replications} replications)")
            for t in o.report:
                lines.append(("  ✓ " if t.passed else "  ✗ ") + t.describe())
        if self.passed:
            lines.append(f"gate passed: every target met ({len(self.outcomes)} scenario(s))")
        else:
            lines.append("gate FAILED, targets not met: " + "; ".join(self.failing_kpis))
        return "\n".join(lines)

    def junit_xml(self) -> str:
        """JUnit XML: one test suite per gate, one test case per target (CI servers read it)."""
        from xml.etree import ElementTree as ET

        root = ET.Element("testsuites", name="leanproc gate")
        for o in self.outcomes:
            fails = len(o.failing)
            suite = ET.SubElement(root, "testsuite", name=o.name, tests=str(len(o.report.outcomes)),
                                  failures=str(fails), errors="0", skipped="0")
            for t in o.report:
                case = ET.SubElement(suite, "testcase", classname=_classname(o.name),
                                     name=t.target.text)
                if not t.passed:
                    failure = ET.SubElement(case, "failure", message=f"{t.target.kpi}: "
                                            f"{t.verdict}", type="TargetNotMet")
                    failure.text = t.describe()
                else:
                    out = ET.SubElement(case, "system-out")
                    out.text = t.describe()
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _classname(name: str) -> str:
    return "leanproc.gate." + "".join(c if c.isalnum() else "_" for c in name).strip("_")


# ----------------------------------------------------------------------------- loading
def load_gates(source: str | os.PathLike[str] | Mapping[str, Any],
               *, base_dir: str | os.PathLike[str] | None = None) -> list[Gate]:
    """The gates of a gate file (or of its mapping), every problem listed at once.

    Raises:
        ScenarioError: unknown keys, a missing scenario, a bad number of replications.
    """
    # the scenario package (pydantic) loads when a gate file is read, not on import
    from leanproc.scenario.loading import load_mapping

    data, folder, label = load_mapping(source)
    folder = Path(base_dir) if base_dir is not None else (folder or Path.cwd())
    if not isinstance(data, Mapping):
        raise ScenarioError("a gate file is a mapping with `scenario:` (or `scenarios:` or "
                            "`gates:`) and `targets:`", source=label)
    problems: list[str] = []
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {unknown}; a gate file has {sorted(_FILE_KEYS)}")
    defaults = {k: data[k] for k in _GATE_KEYS - {"name", "scenario"} if k in data}
    items: list[tuple[str, Mapping[str, Any]]] = []
    if "gates" in data:
        if not isinstance(data["gates"], list) or not data["gates"]:
            problems.append("gates: expected a list of gates, each with a `scenario:`")
        else:
            for i, g in enumerate(data["gates"]):
                if not isinstance(g, Mapping):
                    problems.append(f"gates[{i}]: expected a mapping with `scenario:`")
                    continue
                items.append((f"gates[{i}]", {**defaults, **g}))
    elif "scenarios" in data:
        scenarios = data["scenarios"]
        if isinstance(scenarios, str):
            scenarios = [scenarios]
        if not isinstance(scenarios, list) or not scenarios:
            problems.append("scenarios: expected a list of scenario files")
        else:
            items += [(f"scenarios[{i}]", {**defaults, "scenario": s})
                      for i, s in enumerate(scenarios)]
    elif "scenario" in data:
        items.append(("gate", {**defaults, "scenario": data["scenario"],
                               **({"name": data["name"]} if "name" in data else {})}))
    else:
        problems.append("name the scenario(s) the targets apply to: `scenario: to-be.yaml`, "
                        "`scenarios: [...]` or a `gates:` list")
    gates = []
    for place, g in items:
        try:
            gates.append(_gate(g, folder, place))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ScenarioError(problems, source=label)
    return gates


def _gate(g: Mapping[str, Any], folder: Path, place: str) -> Gate:
    bad = sorted(set(g) - _GATE_KEYS)
    if bad:
        raise ValueError(f"{place}: unknown key(s) {bad}; allowed: {sorted(_GATE_KEYS)}")
    if not g.get("scenario"):
        raise ValueError(f"{place}: `scenario:` (the scenario file to simulate) is missing")
    reps = g.get("replications", DEFAULT_REPLICATIONS)
    if not isinstance(reps, int) or isinstance(reps, bool) or reps < 1:
        raise ValueError(f"{place}: replications must be a whole number >= 1, not {reps!r}")
    seed = g.get("seed", DEFAULT_SEED)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"{place}: seed must be a whole number, not {seed!r}")
    volume = g.get("volume_per_year")
    if volume is not None and (not isinstance(volume, int | float) or volume <= 0):
        raise ValueError(f"{place}: volume_per_year must be a positive number")
    targets = g.get("targets")
    if isinstance(targets, str) and not any(op in targets for op in "<>="):
        targets = folder / targets
    baseline = g.get("baseline")
    return Gate(
        name=str(g["name"]) if g.get("name") else None,
        scenario=folder / str(g["scenario"]),
        targets=targets,
        baseline=folder / str(baseline) if baseline else None,
        replications=reps,
        seed=seed,
        until=str(g["until"]) if g.get("until") is not None else None,
        volume_per_year=float(volume) if volume is not None else None,
    )


def targets_for(source: str | os.PathLike[str], scenario: str | os.PathLike[str] | None = None,
                ) -> Any:
    """The targets in `source`, a targets file or a gate file.

    For a gate file: the targets of the gate whose scenario is `scenario` (or of its only
    gate), so ``leanproc compare as-is.yaml to-be.yaml --targets targets.yaml`` works with the
    CI gate's file too. Anything else is returned as is for `leanproc.targets.parse_targets`.
    """
    from leanproc.scenario.loading import load_mapping

    data, _, label = load_mapping(source)
    if not isinstance(data, Mapping) or not ({"gates", "scenario", "scenarios"} & set(data)):
        return source
    gates = load_gates(source)
    if scenario is not None:
        wanted = Path(scenario).resolve()
        chosen = [g for g in gates if g.scenario.resolve() == wanted]
    else:
        chosen = gates if len(gates) == 1 else []
    if len(chosen) != 1:
        names = ", ".join(str(g.scenario) for g in gates)
        raise ScenarioError(f"a gate file with several scenarios ({names}): none or more than "
                            f"one is {scenario}; give a targets file instead", source=label)
    gate = chosen[0]
    if gate.targets is None:
        from leanproc.scenario import Scenario  # pydantic, as in load_gates

        return dict(Scenario.load(gate.scenario).targets or {})
    return gate.targets


# ----------------------------------------------------------------------------- running
Simulator = Callable[..., Any]


def run_gates(source: str | os.PathLike[str] | Mapping[str, Any] | Sequence[Gate], *,
              replications: int | None = None, seed: int | None = None,
              executor: Any = None, simulator: Simulator | None = None) -> GateReport:
    """Simulate every gate's scenario (and baseline) and check its targets.

    `replications` / `seed` override the file's. `simulator(scenario, *, seed, replications,
    until, executor)` replaces `leanproc.simulate` (the pytest plugin passes its session cache).
    """
    gates = list(source) if isinstance(source, Sequence) and not isinstance(source, str) \
        else load_gates(source)
    label = None if not isinstance(source, str | os.PathLike) else str(source)
    outcomes = [run_gate(g, replications=replications, seed=seed, executor=executor,
                         simulator=simulator) for g in gates]
    return GateReport(tuple(outcomes), label)


def run_gate(gate: Gate, *, replications: int | None = None, seed: int | None = None,
             executor: Any = None, simulator: Simulator | None = None) -> GateOutcome:
    """One gate: simulate, then `leanproc.targets.evaluate` (through a paired comparison when
    the gate has a baseline)."""
    if replications is not None or seed is not None:
        gate = _override(gate, replications, seed)
    run = simulator or _simulate
    after = run(gate.scenario, seed=gate.seed, replications=gate.replications,
                until=gate.until, executor=executor)
    results = list(getattr(after, "results", [after]))
    targets = gate.targets
    if targets is None:
        targets = results[0].bound
        if not targets.targets:
            raise ScenarioError(f"gate {gate.name or gate.scenario.name}: no targets: give "
                                f"`targets:` in the gate file or in the scenario",
                                source=str(gate.scenario))
    comparison = None
    if gate.baseline is not None:
        before = run(gate.baseline, seed=gate.seed, replications=gate.replications,
                     until=gate.until, executor=executor)
        comparison = compare(before, after, targets, volume_per_year=gate.volume_per_year)
        report = comparison.target_report()
    else:
        report = evaluate(after, targets, volume_per_year=gate.volume_per_year)
    name = gate.name or getattr(results[0].bound.scenario, "name", None) or gate.scenario.stem
    return GateOutcome(gate, str(name), report, comparison)


def _override(gate: Gate, replications: int | None, seed: int | None) -> Gate:
    return replace(gate, replications=replications or gate.replications,
                   seed=gate.seed if seed is None else seed)


def _simulate(scenario: Path, *, seed: int, replications: int, until: str | None,
              executor: Any = None) -> Any:
    # "importing leanproc.testing loads neither the simulator nor matplotlib" (see the package)
    from leanproc.simulation.run import simulate

    return simulate(scenario, seed=seed, replications=replications, until=until,
                    executor=executor)


def total_runs(gates: Sequence[Gate], replications: int | None = None) -> int:
    """Replications a gate run will simulate (for a progress bar)."""
    return sum((replications or g.replications) * (2 if g.baseline else 1) for g in gates)

