"""The text of `check-model`, `gate` and `validate` in the language of ``--lang``.

In English these commands print the library objects as they describe themselves (a model's
summary, a gate report, a validation report); the Russian text is written here from the same
fields, with the labels, units, number format and note translations of `leanproc._labels` and
`leanproc._display`, so a Russian office reads no English between the figures.
"""

from __future__ import annotations

import math
from typing import Any

from leanproc._display import fmt_fixed, localise_numbers
from leanproc._labels import (
    kpi_label,
    label,
    localise_text,
    note_text,
    verdict_words,
)

__all__ = ["gate_text", "model_text", "validation_text"]

# a structural finding's severity and a validation verdict, in Russian
_SEVERITY_RU = {"error": "ошибка", "warning": "предупреждение"}
# the lean counts of a model, in the order a process office reads them
_COUNTS = ("activities", "participants", "pools", "lanes", "handoffs", "pool_handoffs",
           "approvals", "client_actions", "paper_documents", "gateways", "events",
           "subprocesses", "value_adding_count", "business_value", "waste", "unclassified")


def _shown(text: str, lang: str) -> str:
    """A value another layer formatted in English (``5.74 h``) in the words of `lang`."""
    return localise_text(text, lang)


def model_text(model: Any, findings: list[Any], lang: str) -> list[str]:
    """The lines of `check-model`: the model, its reading notes, findings and lean counts."""
    if lang == "en":
        lines = [model.summary()]
        lines += [f"  note: {n}" for n in model.notes]
        lines += [f"  {f}" for f in findings]
        lines.append(f"  structure: {model.structure()}")
        return lines
    title = model.name or ""
    lines = [f"{model.source}" + (f" — {title}" if title else "")]
    lines.append("  " + label("model_counts", lang).format(
        processes=len(model.processes), pools=len(model.participants), lanes=len(model.lanes),
        nodes=len(model.nodes), flows=len(model.flows), messages=len(model.message_flows)))
    lines += [f"  {label('note', lang)}: {note_text(n, lang)}" for n in model.notes]
    for f in findings:
        where = f"«{f.element_name}» ({f.element_id}): " if f.element_name else \
            (f"{f.element_id}: " if f.element_id else "")
        lines.append(f"  {_SEVERITY_RU.get(f.severity, f.severity)} [{f.code}] {where}"
                     f"{note_text(f.message, lang)}")
    structure = model.structure()
    counts = []
    for key in _COUNTS:
        field = "value_adding" if key == "value_adding_count" else key
        counts.append(f"{kpi_label(key, lang)}: {getattr(structure, field)}")
    lines.append(f"  {label('structure', lang)}: " + ", ".join(counts))
    return lines


def model_verdict(findings: list[Any], errors: int, path: str, lang: str) -> str:
    """The last line of `check-model`."""
    if errors:
        return label("model_errors", lang).format(n=errors, path=path)
    warnings = f" ({label('warnings', lang).format(n=len(findings))})" if findings else ""
    return label("no_errors", lang) + warnings


def gate_text(report: Any, lang: str) -> str:
    """The gate report: per gate PASS / FAIL and each target's value, interval and verdict."""
    if lang == "en":
        return str(report)
    lines = []
    for o in report.outcomes:
        met = sum(t.passed for t in o.report)
        lines.append(label("gate_line", lang).format(
            word=label("gate_pass" if o.passed else "gate_fail", lang), name=o.name, met=met,
            total=len(o.report.outcomes), n=o.gate.replications))
        for t in o.report:
            target = t.target
            ci = ""
            if not math.isnan(t.ci_low) and t.ci_low != t.ci_high:
                ci = (f" ({label('ci95_short', lang)} {_shown(target.show(t.ci_low), lang)} .. "
                      f"{_shown(target.show(t.ci_high), lang)})")
            lines.append(("  ✓ " if t.passed else "  ✗ ")
                         + f"{kpi_label(target.kpi, lang)} = {_shown(target.show(t.value), lang)}"
                         + f"{ci}; {label('target', lang).lower()} "
                         + f"{_shown(target.bound_text, lang)}: "
                         + verdict_words(t.verdict, lang))
    if report.passed:
        lines.append(label("gate_passed", lang).format(n=len(report.outcomes)))
    else:
        failing = "; ".join(f"{o.name}: {kpi_label(t.target.kpi, lang)}"
                            for o in report.outcomes for t in o.failing)
        lines.append(label("gate_failed", lang).format(failing=failing))
    return "\n".join(lines)


def validation_text(report: Any, lang: str) -> str:
    """Post-monitoring: each KPI projected and actual with its verdict and the reason."""
    if lang == "en":
        return str(report)
    h = " " + label("hours_unit", lang)
    lines = [label("validation_head", lang)]
    for r in report.table.to_dict("records"):
        kpi = str(r["kpi"])
        scale, unit = (3600.0, h) if kpi.split(".")[0].startswith(
            ("lead_time", "processing", "waiting", "value_adding")) else (1.0, "")

        def num(value: Any, scale: float = scale) -> str:
            return localise_numbers(f"{float(value) / scale:,.3g}", lang)

        target = f", {label('target', lang).lower()} {_shown(str(r['target']), lang)}" \
            if r["target"] else ""
        lines.append(label("validation_row", lang).format(
            kpi=kpi_label(kpi, lang), projected=num(r["projected"]) + unit,
            low=num(r["expected_low"]), high=num(r["expected_high"]),
            actual=num(r["actual"]) + unit, target=target,
            verdict=verdict_words(str(r["verdict"]), lang),
            reason=note_text(str(r["reason"]), lang)))
    lt = report.lead_time
    if lt:
        lines.append(label("validation_tests", lang).format(
            mw=localise_numbers(f"{lt['mann_whitney_p']:.3g}", lang),
            ks=fmt_fixed(lt["ks"], 3, lang), ks_p=localise_numbers(f"{lt['ks_p']:.3g}", lang),
            w=localise_numbers(f"{lt['wasserstein_h']:.3g}", lang)) + h)
    for a in report.activities.dropna(subset=["impact_h"]).head(5).to_dict("records"):
        impact = localise_numbers(f"{float(a['impact_h']):+.3g}", lang)
        lines.append(f"  {a['activity']}: {impact}{h} {label('per_case_short', lang)}")
    lines += [f"  {label('note', lang)}: {note_text(n, lang)}" for n in report.notes]
    return "\n".join(lines)
