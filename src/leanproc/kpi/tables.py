"""The per-role and per-activity tables of a KPI report (`kpis`), from the parts of a log.

A part is the reduced form of one log or one chunk of whole cases (`leanproc.kpi.rows`); the
tables sum over parts exactly, so a chunked log gives the same tables as the whole.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from leanproc.kpi.rows import Part, working_seconds

__all__ = ["activity_names", "calendar_label", "per_activity_table", "utilisation_table"]

_NS = 1e9


def calendar_label(calendar: Any) -> str:
    """A calendar's name for reports (``"ru-5x8@Asia/Tomsk"``)."""
    return str(getattr(calendar, "name", None) or calendar)


def utilisation_table(
    parts: list[Part],
    lo: int,
    hi: int,
    caps: dict[str, int],
    role_cals: dict[str, Any],
    calendar: Any,
) -> tuple[dict[str, float], pd.DataFrame, list[str]]:
    """Busy time of each role's rows in the window over capacity x available time.

    Both in the same time: working time on the role's calendar (the main one unless
    ``calendars`` says otherwise), clock time for a role without one. The ratio is therefore at
    most 1 whenever each resource does one thing at a time — always so in a simulation, where
    it equals ``SimulationResult.utilisation`` over the same period — and the busy working
    hours are the labour hours ``leanproc.cost`` prices. A real log can exceed 1 (people
    working on several cases at once, or more people than ``capacity`` says): a note says so.
    """
    columns = ["role", "capacity", "busy", "available", "utilisation", "calendar"]
    notes: list[str] = []
    if not parts[0].has_roles:
        if caps:
            notes.append("utilisation unknown: the log has no org:role column")
        return {}, pd.DataFrame(columns=columns), notes
    busy_by_name: dict[str, int] = {}
    resources: dict[str, set[Any]] = {}
    for part in parts:  # roles in order of first appearance over the parts
        for role, busy in part.busy.items():
            busy_by_name[role] = busy_by_name.get(role, 0) + busy
        for role, seen in part.resources.items():
            resources.setdefault(role, set()).update(seen)
    distinct_by_name = {role: len(seen) for role, seen in resources.items()}
    role_keys = list(busy_by_name)
    names = role_keys + [r for r in caps if r not in set(role_keys)]
    if not any(p.any_interval for p in parts):
        notes.append("utilisation is zero everywhere: the log has no start_timestamp values")
    avail_cache: dict[int, float] = {}
    out: dict[str, float] = {}
    rows = []
    for name in names:  # one iteration per role: a handful, never per case
        cap = caps.get(name, distinct_by_name.get(name, 0))
        if cap <= 0:
            notes.append(
                f"utilisation of role {name!r} unknown: no org:resource values; "
                "pass capacity={...}"
            )
            continue
        cal = role_cals.get(name, calendar)
        if cal is None:
            available = (hi - lo) / _NS
        else:
            if id(cal) not in avail_cache:
                avail_cache[id(cal)] = float(
                    working_seconds(cal, np.array([lo]), np.array([hi]))[0]
                )
            available = avail_cache[id(cal)]
        b = busy_by_name.get(name, 0) / 10**9  # exact int ns -> correctly rounded seconds
        value = b / (cap * available) if available > 0 else float("nan")
        if value > 1.0:
            notes.append(
                f"utilisation of role {name!r} is {value:.1%}: its rows overlap more than "
                f"{cap} resource(s) can work; check capacity={{...}} or overlapping rows"
            )
        out[name] = value
        label = calendar_label(cal) if cal is not None else "24x7"
        rows.append((name, cap, b, cap * available, value, label))
    return out, pd.DataFrame(rows, columns=columns), notes


def activity_names(parts: list[Part]) -> pd.Index:
    """Activity names in order of first appearance over the parts."""
    if len(parts) == 1:
        return parts[0].activity_names
    seen: dict[Any, None] = {}
    for part in parts:
        seen.update(dict.fromkeys(part.activity_names))
    names: pd.Index = pd.Index(list(seen))
    return names


def per_activity_table(parts: list[Part], names: pd.Index, n_cohort: int) -> pd.DataFrame:
    """Count, waiting before start, processing and case share per activity (cohort rows)."""
    n_act = len(names)
    if len(parts) == 1:
        code, proc, wait = parts[0].activity_code, parts[0].proc, parts[0].wait
        cases = parts[0].activity_cases
    else:
        position = {name: k for k, name in enumerate(names)}
        maps = [np.array([position[a] for a in p.activity_names], dtype=np.int64)
                for p in parts]
        code = np.concatenate([m[p.activity_code] for m, p in zip(maps, parts, strict=True)])
        proc = np.concatenate([p.proc for p in parts])
        wait = None
        if any(p.wait is not None for p in parts):
            wait = np.concatenate([p.wait if p.wait is not None else np.full(p.proc.size, np.nan)
                                   for p in parts])
        cases = np.zeros(n_act, dtype=np.int64)
        for m, p in zip(maps, parts, strict=True):
            np.add.at(cases, m, p.activity_cases)
    # The activity codes as a categorical key: pandas groups by the codes as they are (no
    # hashing of 10 M keys, no frame to assemble) and lists every activity, even unseen ones.
    key = pd.CategoricalIndex(
        pd.Categorical.from_codes(code, dtype=pd.CategoricalDtype(list(range(n_act)))))
    waiting_mean = waiting_median = np.full(n_act, np.nan)
    if wait is not None:
        by_wait = pd.Series(wait).groupby(key, observed=False, sort=True)
        waiting_mean = by_wait.mean().to_numpy()
        waiting_median = by_wait.median().to_numpy()
        del by_wait
    by_proc = pd.Series(proc).groupby(key, observed=False, sort=True)
    stats = pd.DataFrame(
        {
            "activity": names,
            "count": np.bincount(code, minlength=n_act).astype(int),
            "waiting_mean": waiting_mean,
            "waiting_median": waiting_median,
            "processing_mean": by_proc.mean().to_numpy(),
            "processing_total": by_proc.sum(min_count=1).to_numpy(),
        }
    )
    stats["case_share"] = cases / max(n_cohort, 1)
    if parts[0].proc_working_ns is not None:
        total, rows = _activity_working(parts, names)
        stats["processing_working_mean"] = np.where(rows > 0, total / np.maximum(rows, 1),
                                                    np.nan)
        stats["processing_working_total"] = np.where(rows > 0, total, np.nan)
    return stats


def _activity_working(parts: list[Part], names: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Working seconds and rows with a start per activity, summed over the parts (exactly)."""
    position = {name: k for k, name in enumerate(names)}
    total_ns = [0] * len(names)
    rows = np.zeros(len(names), dtype=np.int64)
    for part in parts:
        sums, counts = part.proc_working_ns, part.proc_working_rows
        assert sums is not None and counts is not None
        for k, name in enumerate(part.activity_names):
            total_ns[position[name]] += sums[k]
            rows[position[name]] += counts[k]
    return np.array([t / 10**9 for t in total_ns], dtype=float), rows
