"""The HTML pieces every display shares (leanproc._display): escaping, tables, inlined figures."""

from __future__ import annotations

import base64
import math

import pytest

from leanproc._display import escape, figure_data_uri, fmt_number, img_html, table_html


def test_text_is_escaped_everywhere() -> None:
    page = table_html(["<b>KPI</b>"], [['"quoted" & <script>']], caption="a < b")
    assert "<script>" not in page and "<b>KPI</b>" not in page
    assert "&lt;b&gt;KPI&lt;/b&gt;" in page
    assert "&quot;quoted&quot; &amp; &lt;script&gt;" in page
    assert "<caption>a &lt; b</caption>" in page
    assert escape("it's") == "it&#x27;s"


def test_numbers_are_shortened_and_right_aligned_text_is_not() -> None:
    page = table_html(["k", "v"], [("Lead time", 12345.678), ("Flag", True), ("Gap", math.nan)])
    assert '<td class="num" style="text-align:right">12,346</td>' in page
    assert "<td>True</td>" in page  # a bool is not a number to align
    assert '<td class="num" style="text-align:right"></td>' in page  # NaN shows as empty
    assert "<td>Lead time</td>" in page


def test_cell_classes_are_added_per_cell() -> None:
    page = table_html(["k", "v"], [("a", 1)], cell_classes=[("met", "")])
    assert '<td class="met">a</td>' in page
    assert '<td class="num" style="text-align:right">1</td>' in page


@pytest.mark.parametrize(("value", "shown"), [
    (72, "72"), (72.0, "72"), (2.5, "2.5"), (0.0834, "0.08"), (0.004, "0.004"), (150.4, "150"),
    (12.34, "12.3"), (None, ""), (math.nan, ""),
])
def test_fmt_number(value: float | None, shown: str) -> None:
    assert fmt_number(value) == shown


class _Figure:
    """Stands in for a matplotlib figure: records what it was asked to save."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def savefig(self, fname, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.calls.append(kwargs)
        fname.write(b"PNGDATA")


def test_figures_are_inlined_as_data_uris() -> None:
    fig = _Figure()
    uri = figure_data_uri(fig, dpi=72)
    assert uri == "data:image/png;base64," + base64.b64encode(b"PNGDATA").decode("ascii")
    assert fig.calls == [{"format": "png", "dpi": 72}]
    assert figure_data_uri(fig, fmt="svg").startswith("data:image/svg+xml;base64,")
    assert img_html(fig).startswith('<img src="data:image/png;base64,')
    with pytest.raises(ValueError, match="png or svg"):
        figure_data_uri(fig, fmt="jpg")
