"""Size limits on what input controls: one mechanism for every reader and every run.

leanproc reads files that people e-mail to each other. Wherever the input decides how much
memory or time a call takes (YAML aliases, resource counts, decompressed bytes, columns,
attributes per XML element, cases without a horizon), the reader checks a `Limit` and, when it
is exceeded, raises the caller's `LeanprocError` subclass with a message that names the limit,
the value seen and how to raise it.

Every limit is declared here, in one table, so that `raised` and `limits` know all of them
before the reader that checks one is imported (``import leanproc`` loads almost nothing). The
code that checks a limit takes it by name::

    MAX_ALIASES = limit("yaml_aliases")

    MAX_ALIASES.check(count, ScenarioError, source="scenario.yaml")

A limit is raised for one process with the environment variable named in the message
(``LEANPROC_LIMIT_YAML_ALIASES=5000``), or for a block of code with `raised`::

    with raised(yaml_aliases=5000):
        Scenario.load("big.yaml")
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from leanproc.errors import LeanprocError, _ProblemList

__all__ = ["Limit", "limit", "limits", "raised"]

_REGISTRY: dict[str, Limit] = {}
_OVERRIDES: dict[str, int] = {}


@dataclass(frozen=True)
class Limit:
    """A named upper bound on something an input controls.

    Attributes:
        name: the identifier used in the environment variable and in `raised` (snake_case).
        default: the bound when nothing raises it; chosen far above any real process office's
            file, so that only a broken or hostile input meets it.
        what: what is counted, in words, for the error message ("YAML aliases in one file").
    """

    name: str
    default: int
    what: str

    def __post_init__(self) -> None:
        _REGISTRY[self.name] = self

    @property
    def env(self) -> str:
        return f"LEANPROC_LIMIT_{self.name.upper()}"

    @property
    def value(self) -> int:
        """The bound in force: `raised`, then the environment variable, then the default."""
        if self.name in _OVERRIDES:
            return _OVERRIDES[self.name]
        text = os.environ.get(self.env)
        if text is None:
            return self.default
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise LeanprocError(f"{self.env}={text!r} is not a whole number") from None
        if value <= 0:
            raise LeanprocError(f"{self.env}={text!r} must be positive")
        return value

    def message(self, seen: int | str) -> str:
        """The sentence an error gives: the limit, what was seen, how to raise it."""
        return (f"{self.what}: {seen} exceeds the limit of {self.value:,} (raise it with the "
                f"environment variable {self.env}=N or leanproc.limits.raised("
                f"{self.name}=N) if the input is trusted)")

    def check(self, seen: int, error: type[_ProblemList], *, source: str | None = None) -> None:
        """Raise `error` (naming `source`, e.g. the file) when `seen` is over the limit."""
        if seen > self.value:
            raise error(self.message(f"{seen:,}"), source=source)


# Each default is chosen far above any real process office's file or study, so that only a
# broken or hostile input meets it.
for _name, _default, _what in (
    # event logs
    ("log_decompressed_bytes", 8 << 30, "bytes a compressed log expands to (read whole)"),
    ("log_compression_ratio", 200,
     "times a compressed log expands (decompressed bytes per compressed byte)"),
    ("log_columns", 10_000, "columns (attribute keys) in one event log"),
    ("xes_event_attributes", 1_000, "attributes of one XES event"),
    ("xes_trace_bytes", 64 << 20, "bytes of XML in one XES trace"),
    ("xlsx_cells", 100_000_000, "cells (rows × columns) read from one Excel sheet"),
    # BPMN documents
    ("xml_attributes", 1_000, "attributes on one XML element of a BPMN document"),
    # scenarios
    ("scenario_bytes", 10_000_000, "scenario file size in bytes"),
    ("scenario_depth", 100, "nesting depth of the scenario's mappings and lists"),
    ("yaml_aliases", 1_000, "YAML aliases (*name) in one scenario"),
    ("yaml_nodes", 1_000_000, "values in the scenario once every YAML alias is expanded"),
    ("resource_units", 10_000, "units in one resource pool (count)"),
    # runs and costing
    ("cases_without_horizon", 1_000_000, "cases a run generates with no horizon and no until"),
    ("cases_per_year", 1_000_000_000, "cases per year (volume_per_year)"),
):
    Limit(_name, _default, _what)


def limit(name: str) -> Limit:
    """The declared limit called `name` (for the code that checks it)."""
    return _REGISTRY[name]


def limits() -> dict[str, int]:
    """Every declared limit and the value in force (for documentation and diagnostics)."""
    return {name: limit.value for name, limit in sorted(_REGISTRY.items())}


@contextmanager
def raised(**values: int) -> Iterator[None]:
    """Raise (or lower) limits by name for the code inside the ``with`` block."""
    unknown = sorted(set(values) - set(_REGISTRY))
    if unknown:
        raise LeanprocError(f"unknown limit(s) {unknown}; declared: {sorted(_REGISTRY)}")
    saved = dict(_OVERRIDES)
    _OVERRIDES.update(values)
    try:
        yield
    finally:
        _OVERRIDES.clear()
        _OVERRIDES.update(saved)
