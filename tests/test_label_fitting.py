"""Labels in boxes: wrapped at word boundaries, shrunk before shortened, nothing lost.

The rules are plain functions (`leanproc.bpmn.text_fit`), tested here with character counts as
the width measure; the last tests check the drawing of a wide real diagram
(examples/firewood-supply, Russian names, nine lanes) keeps every word of every name."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leanproc.bpmn.text_fit import ELLIPSIS, fit_text, wrap_words

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

RU = "Согласовать проект разрешения с юридическим отделом"
EN = "Send the order to services by internal mail"


@pytest.mark.parametrize("text", [RU, EN, "Приём запроса о выписке из ЕГРН",
                                  "Обеспечение дровами семей военнослужащих (AS-IS)"])
@pytest.mark.parametrize("width", [6, 10, 14, 25])
def test_wrapping_keeps_every_word_whole_and_in_order(text: str, width: int) -> None:
    lines = wrap_words(text, width)
    assert " ".join(lines).split() == text.split()
    words = set(text.split())
    for line in lines:
        # a line is either within the width or one word that is wider than it on its own
        assert len(line) <= width or line in words


def test_wrapping_fills_lines_greedily() -> None:
    assert wrap_words(RU, 20) == ["Согласовать проект", "разрешения с", "юридическим отделом"]
    assert wrap_words(EN, 16) == ["Send the order", "to services by", "internal mail"]


def test_a_word_longer_than_the_line_stands_alone_uncut() -> None:
    assert wrap_words("Регистрация межведомственного запроса", 8) == [
        "Регистрация", "межведомственного", "запроса"]


def test_whitespace_runs_and_empty_text() -> None:
    assert wrap_words("  a\n b\tc  ", 3) == ["a b", "c"]
    assert wrap_words("   ", 10) == []


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Z")),
                        min_size=1, max_size=15), min_size=1, max_size=12),
       st.integers(1, 40))
def test_no_text_is_lost_for_any_words(words: list[str], width: int) -> None:
    text = " ".join(words)
    assert " ".join(wrap_words(text, width)).split() == text.split()


def test_fitting_shrinks_the_font_before_shortening() -> None:
    # 2 lines of 12 characters at size 1 fit a 12 x 2.4 box only at size 1; the label starts
    # at size 2 and must come down rather than lose words
    laid = fit_text("Согласовать проект", 12, 2.4, size=2.0, min_size=0.5)
    assert not laid.shortened
    assert laid.lines == ["Согласовать", "проект"]
    assert laid.size * max(len(line) for line in laid.lines) <= 12
    assert len(laid.lines) * laid.size * 1.2 <= 2.4


def test_fitting_keeps_the_largest_size_that_fits() -> None:
    laid = fit_text("ab cd", 10, 10, size=2.0, min_size=0.5)
    assert laid == fit_text("ab cd", 10, 10, size=2.0, min_size=2.0)
    assert laid.size == 2.0 and laid.lines == ["ab cd"]


def test_a_word_too_long_at_the_smallest_size_is_ellipsised_not_split() -> None:
    laid = fit_text("Межведомственное взаимодействие", 6, 10, size=1.0, min_size=1.0)
    assert laid.shortened
    assert laid.lines[0].endswith(ELLIPSIS) and "Межведомственное".startswith(
        laid.lines[0][:-1])
    assert all(len(line) <= 6 for line in laid.lines)
    assert len(laid.lines) == 2  # the second word is not dropped, shortened too


def test_lines_beyond_the_height_end_in_an_ellipsis() -> None:
    laid = fit_text("one two three four five six", 9, 2.4, size=1.0, min_size=1.0)
    assert laid.shortened
    assert len(laid.lines) == 2 and laid.lines[-1].endswith(ELLIPSIS)


# --------------------------------------------------------------------- a wide real diagram
def _drawn_words(fig) -> list[str]:
    return [w for t in fig.axes[0].texts for w in t.get_text().split()]


def test_a_wide_russian_diagram_keeps_every_name_whole() -> None:
    pytest.importorskip("matplotlib")
    from leanproc.bpmn.drawing import diagram
    from leanproc.bpmn.reader import read_bpmn

    model = read_bpmn(EXAMPLES / "firewood-supply" / "as-is.bpmn")
    fig = diagram(model, lang="ru")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert not any(ELLIPSIS in t for t in texts)
    drawn = [" ".join(t.split()) for t in texts]
    names = [a.name for a in model.activities if a.name]
    names += [lane.name for lane in model.lanes.values() if lane.name]
    assert len(model.lanes) >= 8
    for name in names:  # every name is drawn, whole, as one text, its words in order
        assert " ".join(name.split()) in drawn, name


def test_lane_names_are_rotated_and_fit_the_lane_height() -> None:
    pytest.importorskip("matplotlib")
    from leanproc.bpmn.drawing import diagram
    from leanproc.bpmn.reader import read_bpmn

    model = read_bpmn(EXAMPLES / "firewood-supply" / "as-is.bpmn")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = diagram(model, lang="ru")
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    to_pixels = ax.transData.transform
    shapes = {s.element: s.bounds for d in model.diagrams for s in d.shapes}
    for lane_id, lane in model.lanes.items():
        text = next(t for t in ax.texts if " ".join(t.get_text().split()) == lane.name)
        assert text.get_rotation() == 90
        b = shapes[lane_id]
        (_, top), (_, bottom) = to_pixels([(b.x, b.y), (b.x, b.y + b.height)])
        extent = text.get_window_extent(renderer)
        assert extent.height <= abs(bottom - top), lane.name
