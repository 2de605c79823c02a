"""Figure plumbing shared by the report modules: figures without pyplot, one palette.

Figures are made with `matplotlib.figure.Figure` directly, never through pyplot: no global
figure registry fills up in a long-running process, no GUI backend is touched, and nothing is
ever shown — the caller saves the figure, embeds it or lets Jupyter display it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

# fmt_number and figure_data_uri live with the HTML helpers every display shares
from leanproc._display import figure_data_uri, fmt_number

# one palette for every figure (re-exported: the report's modules take it from here)
from leanproc._palette import (
    AFTER,
    BEFORE,
    INCREASE,
    OVERLOAD,
    SAVING,
    SCENARIO_COLOURS,
    TARGET,
    TARGET_LINE,
    TOTAL,
)

__all__ = [
    "AFTER", "BEFORE", "INCREASE", "OVERLOAD", "SAVING", "SCENARIO_COLOURS", "TARGET",
    "TARGET_LINE", "TOTAL", "bar_labels", "figure_data_uri", "figure_png", "fmt_number",
    "new_axes", "new_figure",
]

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure



def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The caller's Axes and its figure, or a new figure with one Axes of `figsize` inches."""
    if ax is not None:
        # ax.figure may be a SubFigure; its .figure is the root figure on every matplotlib
        # version we support (get_figure(root=True) only exists from 3.10)
        return ax.figure.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A fresh figure with constrained layout (no pyplot)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def figure_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def bar_labels(ax: Axes, bars: Any, texts: list[str], *, fontsize: float = 8,
               horizontal: bool = False) -> None:
    """Value labels on the outer end of each bar (skipping empty texts)."""
    for bar, text in zip(bars, texts, strict=True):
        if not text:
            continue
        if horizontal:
            x = bar.get_x() + bar.get_width()
            y = bar.get_y() + bar.get_height() / 2
            ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=fontsize)
        else:
            x = bar.get_x() + bar.get_width() / 2
            y = bar.get_y() + bar.get_height()
            ax.annotate(text, (x, y), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=fontsize)
