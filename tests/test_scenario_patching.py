"""The scenario merge rule: sections and named entries merge, values are replaced whole."""

from __future__ import annotations

from leanproc.comparison import apply_patch
from leanproc.scenario import Scenario
from leanproc.scenario.patching import merge_patch

FITTED = {
    "arrivals": {"interarrival": {"exponential": {"mean": "30min"}}, "cases": 50},
    "resources": {"clerk": {"count": 2, "calendar": "ru-5x8", "cost_per_hour": 500}},
    "activities": {
        "Проверка документов": {"duration": {"lognormal": {"mean": "20min", "sd": "5min"}},
                                "resource": "clerk"},
    },
    "gateways": {"Решение": {"одобрить": 0.8, "отказать": 0.2}},
    "targets": {"lead_time.mean": "<= 24h"},
}


def test_a_new_distribution_replaces_the_fitted_one_whole() -> None:
    patch = {"activities": {"Проверка документов": {"duration": {"exponential":
                                                                   {"mean": "10min"}}}}}
    out = merge_patch(FITTED, patch)
    entry = out["activities"]["Проверка документов"]
    assert entry["duration"] == {"exponential": {"mean": "10min"}}  # not two distributions
    assert entry["resource"] == "clerk"  # the entry's other fields stay
    Scenario.load(out)  # and it still loads


def test_resource_fields_merge_and_gateway_shares_replace() -> None:
    patch = {"resources": {"clerk": {"count": 3}},
             "gateways": {"Решение": {"одобрить": 1.0}},
             "targets": {"cost.per_case": "<= 900"}}
    out = merge_patch(FITTED, patch)
    assert out["resources"]["clerk"] == {"count": 3, "calendar": "ru-5x8", "cost_per_hour": 500}
    assert out["gateways"]["Решение"] == {"одобрить": 1.0}  # no leftover "отказать": 0.2
    assert out["targets"] == {"lead_time.mean": "<= 24h", "cost.per_case": "<= 900"}


def test_entry_names_match_as_binding_matches_them_and_none_deletes() -> None:
    patch = {"activities": {"проверка  ДОКУМЕНТОВ": {"resource": None}},
             "arrivals": {"cases": None}}
    out = merge_patch(FITTED, patch)
    assert list(out["activities"]) == ["Проверка документов"]
    assert "resource" not in out["activities"]["Проверка документов"]



def test_neither_input_is_changed_and_the_ladder_uses_the_same_rule() -> None:
    patch = {"resources": {"clerk": {"count": 5}}}
    before = repr(FITTED)
    assert apply_patch(FITTED, patch) == merge_patch(FITTED, patch)
    assert repr(FITTED) == before
