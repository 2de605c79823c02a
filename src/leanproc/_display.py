"""HTML pieces every leanproc object uses to show itself in Jupyter and in reports.

This module sits at the bottom of the package: it imports nothing from leanproc and nothing
heavy (no pandas, no matplotlib), so the process model, a simulation result and the report
pages can all build their HTML from it without importing one another. A figure is anything
with matplotlib's ``savefig``; the caller draws it, this module only inlines it.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = ["STYLE", "THOUSANDS_RU", "escape", "figure_data_uri", "fmt_fixed", "fmt_money",
           "fmt_number", "img_html", "localise_numbers", "table_html"]

# Russian groups digits with a narrow no-break space (1 234,5) and writes a decimal comma;
# English keeps 1,234.5. One separator everywhere: terminal, HTML, notebook, figures.
THOUSANDS_RU = "\u202f"
# the currency sign after a sum of money, per language
_CURRENCY = {"en": "RUB", "ru": "₽"}

# The font size of every notebook view, so that a model and a result look alike.
STYLE = "font-size:13px"


class SavesFigure(Protocol):
    """What this module needs of a figure: matplotlib's `Figure.savefig`."""

    def savefig(self, fname: Any, **kwargs: Any) -> None: ...


def escape(text: object) -> str:
    """`text` as HTML text, quotes included (safe inside attributes too)."""
    return html.escape(str(text), quote=True)


def _localise(text: str, lang: str) -> str:
    """An English-formatted number (``1,234.5``) in the digits of `lang` (``1 234,5``)."""
    if lang != "ru":
        return text
    return text.replace(",", THOUSANDS_RU).replace(".", ",")


def fmt_number(value: float | None, lang: str = "en") -> str:
    """A short human number: ``72``, ``2.5``, ``0.083``, ``12,340`` (Russian: ``2,5``,
    ``12 340``); empty for None / NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    a = abs(value)
    if a >= 1000:
        text = f"{value:,.0f}"
    elif a >= 100 or float(value).is_integer():
        text = f"{value:.0f}"
    else:
        text = f"{value:.1f}" if a >= 10 else f"{value:.2f}" if a >= 0.01 else f"{value:.2g}"
        if "." in text and "e" not in text:
            text = text.rstrip("0").rstrip(".")
    return _localise(text, lang)


def fmt_fixed(value: float | None, decimals: int = 2, lang: str = "en") -> str:
    """`value` with `decimals` digits after the point and grouped thousands (``1,234.50`` /
    ``1 234,50``); ``n/a`` / ``н/д`` for None and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "н/д" if lang == "ru" else "n/a"
    return _localise(f"{value:,.{decimals}f}", lang)


def fmt_money(value: float | None, lang: str = "en", *, decimals: int = 2) -> str:
    """A sum of roubles: ``2,393.64 RUB`` / ``2 393,64 ₽``."""
    return f"{fmt_fixed(value, decimals, lang)} {_CURRENCY.get(lang, 'RUB')}"


# a number as Python's "{:,}" formats it: digits grouped by commas, an optional fraction
_EN_NUMBER = re.compile(r"(?<![\w.,])([-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+−]?\d+\.\d+)"
                        r"(?![\w]|\.\d)")


def localise_numbers(text: str, lang: str) -> str:
    """Every English-formatted number inside `text` rewritten for `lang` (``3,044.97 ₽`` ->
    ``3 044,97 ₽``), for text that other layers formatted before it reaches a view."""
    if lang != "ru":
        return text
    return _EN_NUMBER.sub(lambda m: _localise(m.group(1), lang), text)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object, lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if _is_number(value):
        return fmt_number(float(value), lang)  # type: ignore[arg-type]  # _is_number checked it
    return escape(value)


def table_html(columns: Sequence[object], rows: Iterable[Sequence[object]], *,
               caption: str | None = None,
               cell_classes: Sequence[Sequence[str]] | None = None,
               lang: str = "en") -> str:
    """A table from a header and rows: escaped text, numbers right-aligned and shortened.

    `cell_classes` gives extra CSS classes per cell (same shape as `rows`), e.g. to colour a
    verdict. Numbers are written in the number format of `lang`. They are aligned inline as
    well as by class, because Jupyter shows the table without the report's style sheet.
    """
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for i, row in enumerate(rows):
        tds = []
        for j, value in enumerate(row):
            extra = cell_classes[i][j] if cell_classes else ""
            numeric = _is_number(value)
            cls = " ".join(c for c in ("num" if numeric else "", extra) if c)
            attr = (f' class="{cls}"' if cls else "") + (
                ' style="text-align:right"' if numeric else "")
            tds.append(f"<td{attr}>{_cell(value, lang)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
            "</table>")


def figure_data_uri(fig: SavesFigure, *, fmt: str = "png", dpi: int = 110) -> str:
    """The figure as a ``data:`` URI (PNG or SVG), to inline in HTML with no external file."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be png or svg, not {fmt!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def img_html(fig: SavesFigure, *, dpi: int = 80) -> str:
    """The figure as an inline PNG ``<img>`` that shrinks to the width it is given."""
    return (f'<img src="{figure_data_uri(fig, dpi=dpi)}" '
            'style="max-width:100%;height:auto" alt="figure">')
