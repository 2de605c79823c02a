"""Tables for people: KPIs in hours and percent with labels, and before / target / after.

The flat KPI names of `KPIReport.as_dict` (seconds, fractions) are the machine contract; these
tables convert them to what a reader expects (hours, percent), label them in English or Russian
and, for a comparison, add the target and a verdict.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from leanproc.durations import DurationError, read_duration
from leanproc.kpi.display import DEFAULT_KPIS, display_value, flat_kpis
from leanproc.kpi.report import unit_of
from leanproc.report.labels import check_lang, kpi_labels, label

__all__ = [
    "DEFAULT_KPIS",
    "Target",
    "basis_text",
    "before_target_after_table",
    "display_value",
    "flat_kpis",
    "kpi_table",
    "parse_target",
    "per_activity_mean",
    "replication_count",
]

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, "≤": operator.le, "<": operator.lt,
    ">=": operator.ge, "≥": operator.ge, ">": operator.gt,
    "==": operator.eq, "=": operator.eq, "!=": operator.ne,
}
_TARGET = re.compile(r"^\s*(<=|>=|==|!=|≤|≥|<|>|=)?\s*(.+?)\s*$")


_BASIS = {
    "mean": ("mean over {n} replications", "среднее по {n} прогонам"),
    "one": ("one run (replication {i})", "один прогон (прогон {i})"),
    "single": ("one run", "один прогон"),
}


def replication_count(data: Any) -> int:
    """How many replications a table of `data` averages: the number of results of
    `Replications`, 1 for a single run or its report, 0 (unknown) for a mapping of values."""
    if isinstance(data, Mapping):
        return 0
    results = getattr(data, "results", None)
    return len(results) if isinstance(results, list) and results else 1


def basis_text(n: int, lang: str = "en", *, replication: int | None = None) -> str:
    """What a table shows, for its caption: ``mean over 10 replications``, ``one run``, or
    ``one run (replication 1)`` when one of several replications is shown (`replication`);
    empty when `n` is 0 (unknown: plain values)."""
    check_lang(lang)
    if n == 0 and replication is None:
        return ""
    i = 0 if lang == "en" else 1
    if replication is not None:
        return _BASIS["one"][i].format(i=replication)
    return _BASIS["mean"][i].format(n=n) if n > 1 else _BASIS["single"][i]


def per_activity_mean(results: Any) -> pd.DataFrame:
    """The per-activity table averaged over replications: ``count`` is the mean number of
    instances per replication, ``waiting_mean``, ``processing_mean`` and (with a calendar)
    ``processing_working_mean`` are means over all instances of all replications (each
    replication weighted by its instances).

    `results` is `Replications` or a list of `SimulationResult` s / `KPIReport` s."""
    from leanproc.report.data import per_activity_of

    runs = list(getattr(results, "results", results))
    if not runs:
        raise ValueError("per_activity_mean: no replications given")
    tables = [per_activity_of(r) for r in runs]
    means = ["waiting_mean", "processing_mean"]
    if all("processing_working_mean" in t.columns for t in tables):
        means.append("processing_working_mean")
    frame = pd.concat([t[["activity", "count", *means]] for t in tables], ignore_index=True)
    frame["activity"] = frame["activity"].astype(str)
    for column in means:  # instance-weighted sums, divided by the instances below
        frame[column] = frame[column] * frame["count"]
    g = frame.groupby("activity", sort=False)
    total = g["count"].sum()
    out = pd.DataFrame({"activity": total.index, "count": (total / len(runs)).to_numpy()})
    for column in means:
        out[column] = (g[column].sum() / total).to_numpy()
    return out


def kpi_table(data: Any, *, keys: Iterable[str] | None = None, lang: str = "en",
              ) -> pd.DataFrame:
    """One row per KPI: ``kpi`` (flat name), ``label``, ``value`` (hours / percent), ``unit``.

    `keys` picks and orders the KPIs (default: every KPI the data has, activities excluded).
    ``table.attrs["basis"]`` says what the values are (`basis_text`): the means over the
    replications of `Replications`, or one run.
    """
    check_lang(lang)
    values = flat_kpis(data)
    chosen = list(keys) if keys is not None else list(values)
    rows = []
    for key in chosen:
        if key not in values:
            continue
        shown, unit = display_value(key, values[key])
        rows.append((key, "", shown, unit))
    table = pd.DataFrame(rows, columns=["kpi", "label", "value", "unit"])
    table["label"] = kpi_labels(table["kpi"], lang)
    table.attrs["basis"] = basis_text(replication_count(data), lang)
    return table


class Target:
    """One target: an operator and a bound in the KPI's internal unit (seconds, fractions)."""

    __slots__ = ("bound", "op", "text")

    def __init__(self, op: str, bound: float, text: str) -> None:
        self.op = op
        self.bound = bound
        self.text = text

    def met(self, value: float) -> bool | None:
        """Whether `value` meets the target (None when the value is missing)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if self.op in ("==", "="):
            return math.isclose(value, self.bound, rel_tol=1e-9, abs_tol=1e-9)
        return _OPS[self.op](value, self.bound)

    def __repr__(self) -> str:
        return f"Target({self.op!r}, {self.bound!r})"


def parse_target(key: str, spec: Any, *, before: float | None = None) -> Target:
    """Read a target such as ``"<= 120min"``, ``">= 90%"``, ``"== 0"`` or a bare number.

    Durations (``24h``, ``3d``, ``PT2H``) become seconds for time KPIs; ``90%`` becomes 0.9 for
    shares. A bare number is in the KPI's internal unit (seconds, fraction, count), and with no
    operator the direction is the improving one: ``<=`` when it is below the `before` value,
    ``>=`` when above (``<=`` when `before` is unknown).
    """
    if isinstance(spec, Target):
        return spec
    text = str(spec).strip()
    if isinstance(spec, int | float):
        op, body = None, text
    else:
        match = _TARGET.match(text)
        if not match:
            raise ValueError(f"target {key}: cannot read {spec!r}; write e.g. '<= 24h'")
        op, body = match.group(1), match.group(2)
    bound = _bound(key, body)
    if op is None:
        op = ">=" if before is not None and bound > before else "<="
    return Target(op, bound, text if op in text else f"{op} {text}")


def _bound(key: str, body: str) -> float:
    unit = unit_of(key)
    body = body.replace(",", ".").strip()
    if body.endswith("%"):
        number = float(body[:-1]) / 100.0
        return number if unit == "share" else number * 100.0
    try:
        return float(body)
    except ValueError:
        pass
    if unit == "s":
        try:
            return read_duration(body).seconds
        except DurationError as exc:
            raise ValueError(f"target {key}: {exc}") from None
    raise ValueError(f"target {key}: cannot read {body!r} as a number"
                     + (" or a duration" if unit == "s" else ""))


def before_target_after_table(
    before: Any,
    after: Any = None,
    *,
    targets: Mapping[str, Any] | None = None,
    keys: Iterable[str] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Before / target / after per KPI with the change and a verdict, in display units.

    `before` and `after` are anything `flat_kpis` reads (a `KPIReport`, a `SimulationResult`,
    `Replications`, a `Structure`, a dict of flat KPI values — merge dicts to combine KPIs
    with lean structure counts). `targets` maps flat KPI names to targets (see `parse_target`).
    Rows are `keys` (default: the targets' KPIs, then the standard KPIs present).

    Columns: ``kpi``, ``label``, ``before``, ``target`` (text as written), ``target_value``,
    ``after`` (hours, percent, counts), ``unit``, ``change`` (after / before − 1, in percent),
    ``met`` (True / False / None) and ``verdict`` (the word in `lang`).
    ``table.attrs["basis"]`` says what the values are (`basis_text`), per side when the two
    sides differ (one run before, a mean over replications after).
    """
    check_lang(lang)
    b = flat_kpis(before)
    a = flat_kpis(after)
    targets = dict(targets or {})
    if keys is None:
        present = set(b) | set(a)
        keys = list(targets) + [k for k in DEFAULT_KPIS if k in present and k not in targets]
    rows = []
    for key in keys:
        vb, va = b.get(key, math.nan), a.get(key, math.nan)
        if key not in b and key not in a and key not in targets:
            continue
        target = (parse_target(key, targets[key], before=None if math.isnan(vb) else vb)
                  if key in targets else None)
        shown_b, unit = display_value(key, vb)
        shown_a, _ = display_value(key, va)
        shown_t = display_value(key, target.bound)[0] if target else math.nan
        met = target.met(va) if target is not None else None
        change = (va / vb - 1.0) * 100.0 if vb and not math.isnan(vb) else math.nan
        verdict = (label("no_target", lang) if met is None
                   else label("met" if met else "not_met", lang))
        rows.append({
            "kpi": key, "label": "", "before": shown_b,
            "target": target.text if target else "", "target_value": shown_t,
            "after": shown_a, "unit": unit, "change": change, "met": met, "verdict": verdict,
        })
    table = pd.DataFrame(rows, columns=["kpi", "label", "before", "target", "target_value",
                                        "after", "unit", "change", "met", "verdict"])
    table["label"] = kpi_labels(table["kpi"], lang)
    bases = [basis_text(replication_count(x), lang) for x in (before, after) if x is not None]
    bases = [b for b in bases if b]
    if bases:
        table.attrs["basis"] = bases[0] if len(set(bases)) == 1 else " / ".join(bases)
    return table
