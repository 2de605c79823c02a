"""`Scenario.to_yaml`: a scenario as the YAML file a person edits, and loads back unchanged.

Each section comes with a comment saying what it holds and in which units; keys follow the
scenario format's order (the schema's), and within a section the order of the scenario.
Durations are written in human units (``90min``, ``2h``, ``3wd``); distributions in the scenario
format, as they were written or calibrated (``{gamma: {mean: 12.5, sd: 4.1}, unit: min}``).
Numbers are written in full, so loading the file gives back an equal scenario.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from leanproc.atomic import atomic_write
from leanproc.durations import Duration, format_duration, read_duration
from leanproc.errors import ScenarioError

if TYPE_CHECKING:
    from leanproc.scenario.spec import Scenario

__all__ = ["scenario_yaml", "write_scenario"]

# what each section is, for the comment above it
SECTION_NOTES: dict[str, str] = {
    "name": "The scenario's name, shown in reports.",
    "description": "What the scenario describes and where its figures come from.",
    "model": "The BPMN 2.0 file of the process, relative to this file.",
    "start": "When the simulation starts (ISO 8601 date and time, with offset or timezone).",
    "timezone": "IANA time zone of naive times and of the calendars' clock hours.",
    "calendar": "Default working calendar (a preset such as ru-5x8, or a name from "
                "calendars:); omitted = round the clock.",
    "calendars": "Named working calendars: a preset, or weekly hours per day.",
    "arrivals": "How cases arrive: time between arrivals (a distribution of durations) or a "
                "rate (base per hour / day, times weekday, hour and month factors), how many "
                "cases and / or over what horizon.",
    "case_attributes": "Attributes drawn for each case (numbers or categories) that gateway "
                       "conditions can test.",
    "resources": "Resource pools: count of people, calendar, cost (cost_per_hour in roubles, "
                 "or monthly_salary with payroll_taxes and overhead as fractions).",
    "defaults": "What activities without their own data get.",
    "activities": "Per activity (by name or id): resource pool, duration of the work and wait "
                  "before it (distributions of durations: s, min, h, d clock time; wh, wd "
                  "working time), value class, approvals, paper documents.",
    "gateways": "Per gateway: branch probabilities (fractions that sum to 1) or conditions "
                "on case attributes.",
    "events": "Per event: a timer's duration, a boundary event's probability and the time "
              "after which it fires.",
    "fixed_costs": "Costs per case on top of the resources' time, in roubles.",
    "case_speed": "Per-case factors with mean 1 that multiply all of a case's work times "
                  "(duration) and waits (wait): the spread sigma of each; fast cases stay fast.",
    "targets": "Goals checked after a run, e.g. lead_time.mean: \"<= 2h\".",
    "warmup": "Clock time at the start left out of the KPIs (a duration).",
}

UNITS_NOTE = ("Durations: a number and a unit, e.g. 90min, 1.5h, 2d, 3wd; units s, min, h, d, w "
              "(clock time) and wh, wd (working time), or in Russian с, мин, ч, д, нед, рч, рд.")


def _plain(value: Any, place: str) -> Any:
    """`value` as plain YAML data: durations in human units, instants in ISO 8601."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float | np.floating):
        number = float(value)  # 40000 rather than 40000.0; loading makes it a float again
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, Duration):
        return format_duration(value)
    if isinstance(value, timedelta):  # pandas Timedelta too
        return format_duration(read_duration(value))
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{place}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, f"{place}[{i}]") for i, v in enumerate(value)]
    raise ScenarioError(f"{place}: a {type(value).__name__} cannot be written to YAML; give it "
                        f"in the scenario format (e.g. a calendar preset name or a "
                        f"distribution mapping)")


def _model_relative_to(scenario: Scenario, folder: Path | None) -> str | None:
    """``model:`` as seen from the file written into `folder`."""
    path = scenario.model_path
    if path is None or folder is None:
        return scenario.model
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def _data(scenario: Scenario, folder: Path | None) -> dict[str, Any]:
    # what was set, not what differs from the default: ``resource: null`` (no resource) is
    # not the same as no ``resource:`` key (the default pool)
    dumped = scenario.model_dump(mode="python", exclude_unset=True)
    if scenario.start is not None:
        dumped["start"] = scenario.start.isoformat()
    data: dict[str, Any] = {}
    for key in type(scenario).model_fields:
        if key not in dumped:
            continue
        value = _model_relative_to(scenario, folder) if key == "model" else dumped[key]
        if isinstance(value, float) and math.isnan(value):
            continue
        data[key] = _plain(value, key)
    return data


def _dump(key: str, value: Any) -> str:
    # a section's innermost mappings and lists inline ({mean: 2h}), the section itself not
    inline = None if isinstance(value, Mapping | list) else False
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=inline)


def _comment(text: str) -> str:
    words, lines, line = text.split(), [], "#"
    for word in words:
        if len(line) + 1 + len(word) > 98:
            lines.append(line)
            line = "#"
        line += " " + word
    return "\n".join([*lines, line]) + "\n"


def scenario_yaml(scenario: Scenario, *, folder: Path | None = None) -> str:
    """The scenario as commented YAML text; a relative ``model:`` is made relative to
    `folder` (the folder the text will be saved in) when given."""
    data = _data(scenario, folder)
    title = f"leanproc scenario: {scenario.name}" if scenario.name else "leanproc scenario"
    parts = [_comment(title) + _comment(UNITS_NOTE)]
    for key, value in data.items():
        parts.append(_comment(SECTION_NOTES[key]) + _dump(key, value))
    return "\n".join(parts)


def write_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write `scenario` as commented YAML to `path` (all or nothing) and return the path."""
    target = Path(path)
    text = scenario_yaml(scenario, folder=target.parent)
    with atomic_write(target) as handle:
        handle.write(text)
    return target
