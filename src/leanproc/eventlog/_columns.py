"""Mapping a source's column names onto the one log schema.

An explicit ``columns`` mapping (source name -> schema name) is applied first. Then each schema
column still absent is looked up among common aliases, compared without case, spaces,
underscores or hyphens: ``case_id`` / ``Case ID``, ``activity`` / ``Activity``, ``end_time`` /
``Complete Timestamp``, ``start_time`` / ``Start Timestamp``, ``resource``, ``role``... A
schema name present in the source always wins over an alias, and the first alias in the lists
below wins over later ones. The mapping used is returned so that the reader can report it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from leanproc._names import did_you_mean
from leanproc.errors import LogError
from leanproc.log import (
    ACTIVITY,
    ARRIVAL,
    CASE,
    COST,
    ENABLE,
    END,
    REQUIRED_COLUMNS,
    RESOURCE,
    ROLE,
    START,
)

LIFECYCLE = "lifecycle:transition"

# The headers of Russian office exports (1С, СЭД, ГИС registers), compared like every alias.
# Unlike the English aliases, which are listed by preference, any two of these present in one
# file are an error: "Заявка" next to "Номер заявки", or "Дата начала" next to "Время начала"
# (a date and a time of day in two columns), cannot be told apart by name.
RUSSIAN: dict[str, tuple[str, ...]] = {
    CASE: ("номер заявки", "заявка", "номер обращения", "кейс", "дело"),
    ACTIVITY: ("операция", "этап", "действие", "задача"),
    START: ("начало", "дата начала", "время начала"),
    END: ("окончание", "дата окончания", "завершение", "время окончания"),
    RESOURCE: ("исполнитель", "сотрудник", "ответственный"),
    ROLE: ("роль", "должность", "подразделение"),
    COST: ("стоимость", "затраты"),
}

ALIASES: dict[str, tuple[str, ...]] = {
    CASE: ("case_id", "caseid", "case id", "case", "case_concept_name", "trace_id", "trace id",
           *RUSSIAN[CASE]),
    ACTIVITY: ("activity", "activity_name", "activity name", "task", "task_name", "concept_name",
               *RUSSIAN[ACTIVITY]),
    END: (
        "end_time",
        "end_timestamp",
        "end timestamp",
        "complete timestamp",
        "complete_timestamp",
        "completion_time",
        "completion timestamp",
        "timestamp",
        "time_timestamp",
        "event_time",
        "end",
        *RUSSIAN[END],
    ),
    START: ("start_time", "start timestamp", "start_timestamp", "starttime", "start",
            *RUSSIAN[START]),
    ENABLE: (
        "enabled_time",
        "enable_time",
        "enabled_timestamp",
        "enabled timestamp",
        "enablement_time",
    ),
    RESOURCE: ("resource", "org_resource", "performer", "executor", *RUSSIAN[RESOURCE]),
    ROLE: ("role", "org_role", *RUSSIAN[ROLE]),
    COST: ("cost", "costs", *RUSSIAN[COST]),
    ARRIVAL: ("arrival", "arrival_time", "case_arrival"),
    LIFECYCLE: ("lifecycle", "transition", "lifecycle_transition", "event_type"),
}


def _norm(name: str) -> str:
    """A name as aliases are compared: no case, ё as е, runs of spaces, _ and - as one."""
    return re.sub(r"[\s_\-]+", " ", str(name).strip().lower().replace("ё", "е"))


def _ambiguous_russian(by_norm: dict[str, str], taken: set[str], order: list[str]
                       ) -> list[str]:
    """Problems for schema columns that two Russian headers of the file would both fill
    (named in the file's order)."""
    problems = []
    for target, aliases in RUSSIAN.items():
        if target in taken:
            continue
        hits = sorted((by_norm[_norm(a)] for a in aliases if _norm(a) in by_norm),
                      key=order.index)
        if len(hits) > 1:
            problems.append(
                f"columns {hits[0]!r} and {hits[1]!r} could both be {target!r}. Fix: pass "
                f"columns={{{hits[0]!r}: {target!r}}} (or the other one), and rename or drop "
                "the column you do not mean."
            )
    return problems


def map_columns(
    found: Iterable[object], columns: Mapping[str, str] | None, *, source: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (explicit, recognised): two dicts source name -> schema name.

    Raises :class:`LogError` when the explicit mapping names absent columns or two source
    columns would end up with the same name.
    """
    found_names = [str(c) for c in found]
    present = set(found_names)
    explicit = dict(columns or {})
    problems: list[str] = []
    for src, dst in explicit.items():
        if src in present:
            continue
        if dst in present and src in (*REQUIRED_COLUMNS, START, ENABLE, RESOURCE, ROLE, COST):
            problems.append(
                f"columns maps {src!r} -> {dst!r}, but the mapping goes source -> schema: "
                f"did you mean {{{dst!r}: {src!r}}}?"
            )
        else:
            hint = did_you_mean(src, found_names, n=1, owner="the source")
            problems.append(f"columns names {src!r}, which the source does not have{hint}")
    if problems:
        problems.append(f"columns found: {', '.join(map(repr, found_names))}")
        raise LogError(problems, source=source)

    final = {src: explicit.get(src, src) for src in found_names}
    taken = set(final.values())
    by_norm: dict[str, str] = {}
    for name in found_names:
        if name not in explicit:
            by_norm.setdefault(_norm(name), name)
    problems = _ambiguous_russian(by_norm, taken, found_names)
    if problems:
        raise LogError(problems, source=source)
    recognised: dict[str, str] = {}
    for target, aliases in ALIASES.items():
        if target in taken:
            continue
        for alias in aliases:
            column = by_norm.get(_norm(alias))
            if column is not None and column not in recognised and final[column] == column:
                if column in (CASE, ACTIVITY, END, START, ENABLE, RESOURCE, ROLE, COST,
                              LIFECYCLE):
                    continue  # already a schema name in its own right
                recognised[column] = target
                final[column] = target
                taken.add(target)
                break

    seen: dict[str, str] = {}
    for src, dst in final.items():
        if dst in seen:
            problems.append(
                f"columns {seen[dst]!r} and {src!r} would both become {dst!r}. Fix: map one "
                "of them to another name in columns=, or drop it before reading."
            )
        seen[dst] = src
    if problems:
        raise LogError(problems, source=source)
    return {k: v for k, v in explicit.items() if k != v}, recognised


# words that hint at a column's role when its name is no known alias (also Russian exports)
_HINTS = {
    CASE: ("case", "trace", "ticket", "order", "request", "id", "номер", "заявк", "дело"),
    ACTIVITY: ("activ", "task", "step", "action", "event", "операц", "этап", "действ"),
    END: ("time", "date", "end", "complete", "finish", "when", "stamp", "дата", "время"),
}
_FRIENDLY = {CASE: "case id", ACTIVITY: "activity", END: "completion time"}


def _closest(target: str, candidates: list[str]) -> str | None:
    """The candidate most likely meant for ``target``: by alias similarity, then by hint."""
    normalised = {_norm(c): c for c in candidates}
    for wanted in (target, *ALIASES.get(target, ())):
        close = difflib.get_close_matches(_norm(wanted), list(normalised), n=1, cutoff=0.75)
        if close:
            return normalised[close[0]]
    for hint in _HINTS.get(target, ()):
        for c in candidates:
            if hint in c.lower():
                return c
    return None


def missing_required(
    names: Iterable[str], original: Iterable[object], *, source: str
) -> LogError | None:
    """A LogError naming the required columns absent, the columns found and a mapping to try."""
    names = set(names)
    absent = [c for c in REQUIRED_COLUMNS if c not in names]
    if not absent:
        return None
    found = [str(c) for c in original]
    suggestion: dict[str, str] = {}
    for target in absent:
        free = [c for c in found if c in names and c not in suggestion]  # still unmapped
        best = _closest(target, free)
        suggestion[best or f"<your {_FRIENDLY[target]} column>"] = target
    fix = ", ".join(f"{k!r}: {v!r}" for k, v in suggestion.items())
    return LogError(
        f"missing required column(s) {', '.join(absent)}; columns found: "
        f"{', '.join(map(repr, found)) or 'none'}. Fix: pass columns={{{fix}}} "
        "(source name -> schema name).",
        source=source,
    )
