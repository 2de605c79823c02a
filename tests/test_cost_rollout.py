"""Rollout effect (тиражирование): arithmetic, ranges, errors, and the seed's orders of
magnitude from stated inputs."""

from __future__ import annotations

import pytest

from leanproc.cost import RolloutLevel, rollout
from leanproc.cost.rollout import load_rollout
from leanproc.errors import ScenarioError


def test_effect_is_saving_times_offices_times_adoption() -> None:
    r = rollout((500_000, 400_000, 600_000), [
        RolloutLevel("one", 1),
        {"name": "region", "offices": 57, "adoption": {"expected": 0.5, "low": 0.4,
                                                      "high": 0.6}},
        {"name": "country", "offices": [85, 57], "adoption": [0.4, 0.6]},
    ])
    assert r.effect("one") == (500_000, 400_000, 600_000)
    mean, low, high = r.effect("region")
    assert mean == pytest.approx(14_250_000)
    assert low == pytest.approx(400_000 * 57 * 0.4)
    assert high == pytest.approx(600_000 * 57 * 0.6)
    assert r.effect("country")[0] == pytest.approx(500_000 * 85 * 57 * 0.5)
    assert "M RUB" in str(r) and "bn RUB" in str(r)


def test_seed_figures_from_stated_inputs() -> None:
    """0.5 M per office, 57 offices per region, 85 regions, half adopting: 14.3 M and 1.2 bn."""
    r = load_rollout({"levels": [
        {"name": "municipality", "offices": 1},
        {"name": "half of region", "offices": 57, "adoption": 0.5},
        {"name": "all regions", "offices": [85, 57], "adoption": 0.5},
    ]}, saving_per_office=500_000)
    assert r.effect("half of region")[0] / 1e6 == pytest.approx(14.3, abs=0.1)
    assert r.effect("all regions")[0] / 1e9 == pytest.approx(1.2, abs=0.05)


@pytest.mark.parametrize("levels, fragment", [
    ([{"name": "x", "offices": 3, "adoption": 1.5}], r"share in \[0, 1\]"),
    ([{"name": "x", "offices": "many"}], "offices"),
    ([{"name": "x", "offices": 1, "adoptoin": 0.5}], "unknown key"),
    ([], "at least one level"),
])
def test_errors_name_the_level(levels, fragment) -> None:
    with pytest.raises(ScenarioError, match=fragment):
        rollout(1000, levels)


def test_saving_forms() -> None:
    assert rollout({"mean": 10, "low": 5}, [RolloutLevel("a", 2)]).effect("a") == (20, 10, 20)
    with pytest.raises(ScenarioError, match="saving_per_office"):
        rollout("lots", [RolloutLevel("a", 1)])
