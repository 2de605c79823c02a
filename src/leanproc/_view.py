"""One way for every result object to show itself in Jupyter, in English or Russian.

A result (`Comparison`, `Ladder`, `CostReport`, `KPIReport`) has ``display(lang="en")``,
which returns an `HTMLView`; its ``_repr_html_`` shows ``display()`` in English. So a notebook
cell ending in ``comparison`` shows the English view and ``comparison.display(lang="ru")`` the
Russian one, with nothing global to set. Like `leanproc._display`, this module imports nothing
from leanproc.
"""

from __future__ import annotations

__all__ = ["VIEW_CSS", "HTMLView", "view_div"]

# Jupyter shows the HTML without the report's style sheet: the views carry the little they
# need, scoped to their own wrapper so a notebook's other tables keep their look. Verdict
# classes (lp-met, lp-not-met, ...) colour a verdict; the mark beside it reads without colour.
VIEW_CSS = (".lp-view td,.lp-view th{padding:2px 8px}"
            ".lp-view td.num{text-align:right}.lp-view td:not(:first-child){white-space:nowrap}"
            ".lp-view caption{text-align:left;font-weight:bold;padding:4px 0}"
            ".lp-view tbody tr:nth-child(even){background:#f5f6f8}"
            ".lp-met{color:#1a7f37;font-weight:bold}.lp-not-met{color:#c62828;font-weight:bold}"
            ".lp-uncertain{color:#b26a00;font-weight:bold}.lp-no-data{color:#666}")


def view_div(style: str, body: str) -> str:
    """`body` in the views' wrapper: its inline `style` (font size) and the scoped CSS."""
    return f"<div class='lp-view' style='{style}'><style>{VIEW_CSS}</style>{body}</div>"


class HTMLView:
    """Ready HTML that Jupyter shows as is; ``str()`` and ``repr()`` stay short."""

    def __init__(self, html: str, *, title: str) -> None:
        self.html = html
        self.title = title

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<{self.title}: HTML view, {len(self.html):,} characters>"
