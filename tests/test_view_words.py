"""The one lookup of view words: `label` finds the per-view words of `leanproc._view_words`,
fills their fields, and every key a view asks for exists (a mistyped key would otherwise show
itself as the key text in a printout, since unknown keys pass through as user text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leanproc import _labels
from leanproc._labels import label
from leanproc._view_words import VIEW_WORDS

SRC = Path(__file__).resolve().parents[1] / "src" / "leanproc"
PREFIXES = ("view.", "xlsx.", "cli.")


def test_label_fills_fields_in_both_languages() -> None:
    assert label("cli.model.errors", "en", n=2, file="a.bpmn") == "2 error(s) in a.bpmn"
    assert label("cli.model.errors", "ru", n=2, file="a.bpmn") == "ошибок в a.bpmn: 2"
    # without fields the text comes back as stored, braces and all (callers format it later)
    assert label("basis_mean", "en") == "means over {n} replications"
    assert label("basis_mean", "ru", n=3) == "среднее по 3 прогонам"


def test_unknown_keys_still_pass_through_and_bad_language_is_refused() -> None:
    assert label("Моя операция", "ru") == "Моя операция"
    with pytest.raises(ValueError, match="lang must be one of"):
        label("view.cost.per_case", "de")


def test_view_words_are_namespaced_and_do_not_shadow_shared_labels() -> None:
    assert all(key.startswith(PREFIXES) for key in VIEW_WORDS)
    assert not set(VIEW_WORDS) & set(_labels._LABELS)


def test_every_view_key_named_in_the_source_exists() -> None:
    """Literal keys (``label("view.cost.head", …)``) and the templated ones of the cost and
    comparison workbooks (``f"xlsx.cost.{k}"``, checked through the names they are built from)
    are all in the table."""
    missing = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"""label\(\s*["']((?:view|xlsx|cli)\.[\w.]+)["']""", text):
            if key not in VIEW_WORDS:
                missing.append(f"{path.name}: {key}")
    assert not missing, missing
    from leanproc.cost import excel as cost_excel

    for key, _kind in cost_excel._HEADLINE:
        assert f"xlsx.cost.summary.{key}" in VIEW_WORDS
