"""Hostile and broken scenarios in the library: each limit refuses with a located
`LeanprocError` that names it, and real scenarios (aliases, Cyrillic, long runs) still load.

The limits are exercised at small values with `raised`, so each test shows both sides of the
bound quickly; the full-size hostile files run in bounded child processes (helpers/hostile.py).
"""

from __future__ import annotations

import math
import warnings
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.hostile import alias_bomb, example_scenario, run_bounded
from leanproc.calendar import Calendar
from leanproc.cost.calculator import check_volume
from leanproc.errors import CalendarError, LeanprocError, ScenarioError, SimulationError
from leanproc.kpi import confidence_interval
from leanproc.limits import raised
from leanproc.scenario import Scenario, parse_condition
from leanproc.scenario.distributions import Uniform
from leanproc.scenario.durations import LONGEST, SpecError, read_duration
from leanproc.scenario.encoding import ScenarioEncodingNote
from leanproc.scenario.loading import load_mapping
from leanproc.simulation.capacity import capacity
from leanproc.simulation.result import seconds_to_timestamps
from leanproc.simulation.run import simulate
from leanproc.targets import parse_targets

FEW = {"cases: 400": "cases: 20"}


# ---------------------------------------------------------------- YAML size limits
_LOAD = """
import sys
from leanproc.errors import ScenarioError
from leanproc.scenario import Scenario
try:
    Scenario.load(sys.argv[1])
except ScenarioError as exc:
    print(exc)
    sys.exit(3)
"""


def test_the_loader_refuses_a_billion_laughs_within_bounds(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(alias_bomb())
    result = run_bounded(["-c", _LOAD, "bomb.yaml"], tmp_path)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "bomb.yaml: line " in result.stdout and "yaml_nodes=N" in result.stdout


def test_expanded_values_are_counted_through_aliases() -> None:
    text = alias_bomb(levels=3, width=3)  # 3 + 9 + 27 leaves under 1 + 3 + 9 lists
    with raised(yaml_nodes=40), pytest.raises(ScenarioError, match="yaml_nodes"):
        load_mapping(text)
    with raised(yaml_nodes=200):
        data, _, _ = load_mapping(text)
    assert data["a2"] == [[["lol"] * 3] * 3] * 3  # aliases still mean what YAML says


def test_alias_count_and_self_reference() -> None:
    shared = "d: &d 10min\nx: *d\ny: *d\nz: *d\n"
    assert load_mapping(shared)[0]["z"] == "10min"
    with raised(yaml_aliases=2), pytest.raises(ScenarioError, match=r"line 4: .*yaml_aliases"):
        load_mapping(shared)
    with pytest.raises(ScenarioError, match="contains it"):
        load_mapping("a: &a {b: *a}\n")


def test_nesting_depth_yaml_and_json(tmp_path: Path) -> None:
    nested = "a: " + "[" * 3 + "]" * 3 + "\n"  # the mapping and three lists: depth 4
    with raised(scenario_depth=4):
        load_mapping(nested)
    with raised(scenario_depth=3), pytest.raises(ScenarioError, match="scenario_depth"):
        load_mapping(nested)
    json_file = tmp_path / "s.json"
    json_file.write_text('{"a": [[[]]]}')
    with raised(scenario_depth=3), pytest.raises(ScenarioError, match="scenario_depth"):
        load_mapping(json_file)
    json_file.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ScenarioError, match="nesting depth"):
        load_mapping(json_file)


def test_file_and_text_size(tmp_path: Path) -> None:
    path = example_scenario(tmp_path)
    size = path.stat().st_size
    with raised(scenario_bytes=size):
        Scenario.load(path)
    with raised(scenario_bytes=size - 1), \
            pytest.raises(ScenarioError, match=rf"scenario.yaml: .*{size:,}.*scenario_bytes"):
        Scenario.load(path)
    with raised(scenario_bytes=10), pytest.raises(ScenarioError, match="scenario_bytes"):
        load_mapping("name: eleven bytes")


# ---------------------------------------------------------------- encodings
def test_utf8_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    plain = Scenario.load(example_scenario(tmp_path, "a.yaml"))
    bom = Scenario.load(example_scenario(tmp_path, "b.yaml", encoding="utf-8-sig"))
    assert bom.name == plain.name and list(bom.resources) == list(plain.resources)


def test_cp1251_loads_with_a_note(tmp_path: Path) -> None:
    plain = Scenario.load(example_scenario(tmp_path, "a.yaml"))
    with pytest.warns(ScenarioEncodingNote, match="b.yaml: not UTF-8, read as Windows-1251"):
        windows = Scenario.load(example_scenario(tmp_path, "b.yaml", encoding="cp1251"))
    assert windows.name == plain.name and windows.activities == plain.activities
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a UTF-8 file gives no note
        Scenario.load(tmp_path / "a.yaml")


@pytest.mark.parametrize("content", [
    # KOI8-R bytes read as cp1251 are Cyrillic with the case swapped
    "name: Выдача разрешения\n".encode("koi8-r"),
    # Western text in Latin-1: 'é' reads as the Cyrillic 'й' inside a Latin word
    "name: café\n".encode("latin-1"),
    # 0x98 is no character in Windows-1251 either
    b"name: \x98\n",
])
def test_other_encodings_get_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.yaml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=r"other.yaml: line 1: not UTF-8 .* save the file "
                                            r"as UTF-8"):
        Scenario.load(path)


# ---------------------------------------------------------------- values out of range
@pytest.mark.parametrize("value", ["1e300h", "1e999h", "PT1e300H", "26100w",
                                   timedelta(days=200_000)])
def test_durations_longer_than_timestamps_can_hold(value) -> None:
    with pytest.raises(SpecError, match="longer than 500 years"):
        read_duration(value)


def test_the_longest_duration_is_allowed() -> None:
    assert read_duration("26000w").seconds == 26000 * 7 * 86400 <= LONGEST
    assert read_duration(500 * 365, unit="d").seconds == LONGEST


def test_an_overlong_duration_is_located(tmp_path: Path) -> None:
    path = example_scenario(tmp_path, replace={"    duration: 20min": "    duration: 1e300h"})
    with pytest.raises(ScenarioError,
                       match=r"activities\.Уведомить об отказе\.duration: '1e300h' is longer"):
        Scenario.load(path)


@pytest.mark.parametrize("start", ["9999-12-31T09:00", "1600-01-01T00:00", "2261-01-01T00:00"])
def test_start_outside_the_calendar_years(tmp_path: Path, start: str) -> None:
    path = example_scenario(tmp_path, replace={"start: 2024-03-04T09:00": f"start: {start}"})
    with pytest.raises(ScenarioError, match=rf"start: {start} lies outside the years 1680 "):
        Scenario.load(path)


def test_a_horizon_past_the_calendar_years_is_located(tmp_path: Path) -> None:
    path = example_scenario(tmp_path, replace={"cases: 400": "horizon: 13000w"})  # ~249 years
    with pytest.raises(ScenarioError, match=r"arrivals\.horizon: ends after 2260"):
        Scenario.load(path).bind()


def test_resource_units(tmp_path: Path) -> None:
    path = example_scenario(tmp_path, replace={"{count: 2,": "{count: 6,"})
    with raised(resource_units=6):
        Scenario.load(path)
    with raised(resource_units=5), pytest.raises(
            ScenarioError, match=r"resources\.Специалист отдела лицензирования\.count: .*"
                                 r"6 exceeds the limit of 5 .*resource_units"):
        Scenario.load(path)


def test_cases_without_a_time_bound(tmp_path: Path) -> None:
    path = example_scenario(tmp_path, replace=FEW)
    with raised(cases_without_horizon=19), \
            pytest.raises(SimulationError, match=r"arrivals\.cases: .*20 exceeds.*until"):
        simulate(path)
    with raised(cases_without_horizon=19):
        bounded = simulate(path, until="2d")  # a time bound lifts the case cap
    assert 0 < len(bounded.cases) <= 20
    with raised(cases_without_horizon=20):
        assert len(simulate(path).cases) == 20


@pytest.mark.parametrize("kwargs, words", [
    ({"seed": -1}, "seed must be a whole number >= 0"),
    ({"seed": 1.5}, "seed must be a whole number"),
    ({"replications": 0}, "replications must be a whole number >= 1"),
    ({"until": "0d"}, "not after the start"),
    ({"until": "1900-01-01T00:00"}, "not after the start"),
    ({"until": "2300-01-01"}, "before 2260"),
    ({"until": "1000000000d"}, "longer than 500 years"),
    ({"until": -5.0}, "not after the start"),
])
def test_run_arguments_fail_before_running(tmp_path: Path, kwargs, words) -> None:
    with pytest.raises(SimulationError, match=words):
        simulate(example_scenario(tmp_path, replace=FEW), **kwargs)


def test_timestamps_never_wrap_round() -> None:
    epoch = pd.Timestamp("2024-03-04T09:00", tz="Asia/Tomsk")
    ok = seconds_to_timestamps(np.array([0.0, np.nan, 86400.0]), epoch)
    assert ok[2] - ok[0] == pd.Timedelta(days=1) and pd.isna(ok[1])
    with pytest.raises(SimulationError, match="past 2262-04-11"):
        seconds_to_timestamps(np.array([0.0, 300 * 365 * 86400.0]), epoch)


@pytest.mark.parametrize("volume", [1e308, math.inf, math.nan, -1.0, 0])
def test_yearly_volume(volume: float) -> None:
    with pytest.raises(ScenarioError, match="volume_per_year"):
        check_volume(volume)
    check_volume(1e9)
    check_volume(None)


# ---------------------------------------------------------------- LeanprocError, not builtins
def test_public_readers_raise_leanproc_errors(tmp_path: Path) -> None:
    with pytest.raises(LeanprocError, match="cannot read the condition"):
        parse_condition("amount >> 3")
    with pytest.raises(LeanprocError, match="first bound"):
        Uniform(low=5.0, high=1.0)
    with pytest.raises(LeanprocError, match="between 0 and 1"):
        confidence_interval([1.0, 2.0], level=95)
    with pytest.raises(ScenarioError, match=r"targets\[0\]: unknown KPI 'lead_tme.mean'"):
        parse_targets(["lead_tme.mean <= 2h"])
    with pytest.raises(ScenarioError, match="labour hours are hours of work"):
        parse_targets({"labour_hours.per_case": "<= 2wd"})
    with pytest.raises(CalendarError, match="is not a span"):
        Calendar.parse({"hours": {"mon": ["nine to five"]}})
    with pytest.raises(CalendarError, match="timezone"):
        Calendar({0: []}, tz="Mars/Olympus")
    streamed = simulate(example_scenario(tmp_path, replace=FEW), keep_log=False)
    with pytest.raises(SimulationError, match="keep_log=True"):
        capacity(streamed)
