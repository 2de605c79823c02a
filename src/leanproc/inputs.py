"""What every public function accepts as a model, a log or a scenario, and the default seed.

The README's "API conventions" section states the rule; this module is its one implementation,
so that ``calibrate("model.bpmn", "log.csv")`` works as ``simulate("scenario.yaml")`` does and
a wrong argument fails the same way everywhere: a `LeanprocError` subclass naming the function,
the argument and what it may be.

* a model: a BPMN file path, BPMN XML (``str`` starting with ``<``, or ``bytes``) or a
  `ProcessModel` (`as_model`);
* a log: an event log file path (read with `read_log`'s defaults, zone-less times in the
  calendar's zone) or a DataFrame in the one log schema (`as_log`);
* a scenario: a YAML / JSON path or text, a mapping, a `Scenario` or a `BoundScenario`
  (`as_scenario`, and `as_bound` when it must be bound to its model).

Heavy modules (the BPMN reader, pandas, the log reader) are imported inside the functions so
that importing this module stays cheap for ``import leanproc``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from leanproc.errors import BPMNError, LogError, ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from leanproc.bpmn.model import ProcessModel
    from leanproc.scenario.plans import BoundScenario
    from leanproc.scenario.spec import Scenario

__all__ = ["DEFAULT_SEED", "as_bound", "as_log", "as_model", "as_scenario", "check_log_zone",
           "log_zone"]

# The seed of every function that draws random numbers when the caller gives none: simulate,
# sweep, compare, ladder, validate_as_is, the gate and the CLI. A fixed default means the same
# inputs give the same numbers on every run and machine, and a simulation and a comparison of the
# same scenario agree. Pass another seed (or ``seed=None`` to `simulate` for a fresh random one)
# to see how much the figures move.
DEFAULT_SEED = 20240301

_PATH_TYPES = str | os.PathLike


def _kind(value: Any) -> str:
    return type(value).__name__


def as_model(value: Any, *, caller: str, argument: str = "model") -> ProcessModel:
    """A `ProcessModel` from a model, a BPMN path, or BPMN XML as text or bytes."""
    from leanproc.bpmn.model import ProcessModel

    if isinstance(value, ProcessModel):
        return value
    if isinstance(value, _PATH_TYPES | bytes):
        from leanproc.bpmn.reader import read_bpmn

        return read_bpmn(value)
    raise BPMNError(f"{argument}= must be a BPMN file path, BPMN XML (str or bytes) or a "
                    f"ProcessModel (read_bpmn), not {_kind(value)}", source=caller)


def as_log(value: Any, *, caller: str, argument: str = "log", calendar: Any = None,
           timezone: str | None = None) -> pd.DataFrame:
    """An event log in the one schema from a DataFrame or a log file path.

    A path is read with `read_log`'s defaults (format from the suffix); timestamps without a
    zone are read as wall-clock time of `timezone`, else of `calendar`'s zone when the
    calculation has a calendar (an office's log records its own local time, and the calendar
    says which), else as UTC. Call `read_log` yourself for a column mapping or other options.
    A DataFrame read earlier whose zone-less timestamps were taken as UTC by default is refused
    beside a zone other than UTC (see `check_log_zone`).
    """
    import pandas as pd

    from leanproc.log import ACTIVITY, CASE, END

    zone = timezone if timezone not in (None, "UTC") else log_zone(calendar)
    if isinstance(value, _PATH_TYPES):
        from leanproc.eventlog.read import read_log

        value = read_log(value, timezone=zone)
    if not isinstance(value, pd.DataFrame):
        hint = (": pass its .log" if isinstance(getattr(value, "log", None), pd.DataFrame)
                else "")
        raise LogError(f"{argument}= must be an event log file path or a DataFrame in the log "
                       f"schema (read_log), not {_kind(value)}{hint}", source=caller)
    missing = [c for c in (CASE, ACTIVITY, END) if c not in value.columns]
    if missing:
        raise LogError(f"{argument}= lacks the column(s) {missing}: read it with read_log(...) "
                       f"or rename the columns to the log schema", source=caller)
    check_log_zone(value, zone, caller=caller)
    return value


def log_zone(calendar: Any) -> str | None:
    """The zone zone-less log timestamps are read in beside `calendar` (a `Calendar`): its
    IANA name, or None (read_log's default, UTC) without a calendar or for a UTC one."""
    tz = getattr(calendar, "tz", None)
    name = getattr(tz, "key", None) or (str(tz) if tz is not None else None)
    return None if name in (None, "UTC") else name


def check_log_zone(log: Any, zone: str | None, *, caller: str) -> None:
    """Refuse a log whose zone-less timestamps `read_log` took as UTC for want of a
    ``timezone=`` when the calculation counts hours in another `zone` (a calendar's, or the one
    the caller names): each such timestamp would sit hours off the working day (09:00 in Tomsk
    read as 09:00 UTC is 16:00 there), and every working-time figure would be wrong without a
    sign. The fix is one argument."""
    info = getattr(log, "attrs", {}).get("leanproc") or {}
    if zone in (None, "UTC") or not info.get("naive_timezone_assumed") \
            or info.get("timezone") != "UTC":
        return  # no zone to clash with, no zone-less times, or the caller named the log's zone
    raise LogError(
        f"{info['naive_timestamps']:,} timestamp(s) of this log have no zone and were read as "
        f"UTC (read_log without timezone=), but hours are counted in {zone}: read it with "
        f"read_log(..., timezone={zone!r}) (or pass the file path, which is read in that "
        f"zone), or give timezone='UTC' if the log really records UTC",
        source=caller,
    )


def as_scenario(value: Any, *, caller: str,
                argument: str = "scenario") -> Scenario | BoundScenario:
    """A `Scenario` (or the given `BoundScenario`) from a path, YAML / JSON text or a mapping."""
    from leanproc.scenario.plans import BoundScenario
    from leanproc.scenario.spec import Scenario

    if isinstance(value, Scenario | BoundScenario):
        return value
    if isinstance(value, Mapping | str | os.PathLike):
        return Scenario.load(value)
    raise ScenarioError(f"{argument}= must be a scenario file path, YAML / JSON text, a "
                        f"mapping, a Scenario or a BoundScenario, not {_kind(value)}",
                        source=caller)


def as_bound(value: Any, model: Any = None, *, caller: str,
             argument: str = "scenario") -> BoundScenario:
    """`as_scenario`, bound to `model` (any `as_model` input) or to the scenario's ``model:``.

    An already bound scenario is returned as it is: it carries its model.
    """
    from leanproc.scenario.plans import BoundScenario

    scenario = as_scenario(value, caller=caller, argument=argument)
    if isinstance(scenario, BoundScenario):
        return scenario
    return scenario.bind(None if model is None else as_model(model, caller=caller))
