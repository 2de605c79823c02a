"""How simulation results show themselves in Jupyter: the main KPIs and the lead times.

`SimulationResult._repr_html_` and `Replications._repr_html_` call the functions here. The
HTML pieces come from `leanproc._display`, the words from `leanproc._labels` and the KPI units
from `leanproc.kpi.display`, so a result shows itself without the report layer (which sits
above the simulator). matplotlib is imported only when the histogram is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from leanproc._display import STYLE, escape, fmt_number, img_html, table_html
from leanproc._labels import check_lang, kpi_labels, label, unit_label
from leanproc._palette import BEFORE
from leanproc.kpi.display import DEFAULT_KPIS, display_value, flat_kpis

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from leanproc.simulation.result import Replications, SimulationResult

__all__ = ["draw_lead_time_histogram", "lead_time_histogram", "replications_html",
           "result_html"]

_COLOUR = BEFORE  # the grey the report's figures give a single (AS-IS) run


def result_html(result: SimulationResult, *, lang: str = "en", figure: bool = True) -> str:
    """One simulation run: a headline, the main KPIs, utilisation and the lead-time histogram."""
    check_lang(lang)
    cases = result.cases
    finished = int(cases["end"].notna().sum()) if "end" in cases else len(cases)
    head = (f"{label('simulation', lang)}: {fmt_number(len(cases), lang)} "
            f"{label('cases', lang).lower()}, {fmt_number(finished, lang)} "
            f"{label('finished', lang)}, {fmt_number(result.events, lang)} "
            f"{label('activity_instances', lang)}; {label('seed', lang)} {result.seed}, "
            f"#{result.replication}")
    values = flat_kpis(result.kpi)
    keys = [k for k in DEFAULT_KPIS + tuple(k for k in values if k.startswith("utilisation."))
            if k in values]
    rows = []
    for key, words in zip(keys, kpi_labels(keys, lang), strict=True):
        shown, unit = display_value(key, values[key])
        rows.append((words, shown, unit_label(unit, lang)))
    table = table_html([label("kpi", lang), label("value", lang), label("unit", lang)], rows,
                       lang=lang)
    picture = ""
    if figure and len(result.lead_times):
        picture = img_html(lead_time_histogram(result.lead_times, lang=lang))
    hint = ("<code>.log</code>, <code>.cases</code>, <code>.kpi.per_activity</code>, "
            "<code>.kpi.as_dict()</code>")
    return (f"<div style='{STYLE}'><p><b>{escape(head)}</b></p>"
            f"<div style='display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start'>"
            f"<div>{table}</div><div style='max-width:520px'>{picture}</div></div>"
            f"<p style='color:#666'>DataFrames: {hint}</p></div>")


def replications_html(replications: Replications, *, lang: str = "en") -> str:
    """Independent replications: each KPI's mean with its 95 % confidence interval."""
    check_lang(lang)
    summary = replications.summary()
    keys = [k for k in DEFAULT_KPIS if k in summary.index]
    keys += [k for k in summary.index if k.startswith("utilisation.")]
    stats = summary[["mean", "ci_low", "ci_high"]].astype(float).to_dict("index")
    rows: list[tuple[Any, ...]] = []
    for key, words in zip(keys, kpi_labels(keys, lang), strict=True):
        row = stats[key]
        mean, unit = display_value(key, float(row["mean"]))
        low, _ = display_value(key, float(row["ci_low"]))
        high, _ = display_value(key, float(row["ci_high"]))
        rows.append((words, mean, f"{fmt_number(low, lang)} … {fmt_number(high, lang)}",
                     unit_label(unit, lang)))
    table = table_html([label("kpi", lang), label("mean", lang), label("ci95", lang),
                        label("unit", lang)], rows, lang=lang)
    head = f"{len(replications)} {label('replications', lang)}"
    return (f"<div style='{STYLE}'><p><b>{escape(head)}</b></p>{table}"
            "<p style='color:#666'>DataFrames: <code>.summary()</code>, <code>.values()</code>, "
            "<code>[i].log</code></p></div>")


def lead_time_histogram(hours: pd.Series, *, lang: str = "en", bins: int = 30) -> Figure:
    """Lead times (hours) of one run as a histogram of shares of cases, with the mean in the
    legend — the report's lead-time histogram for a single run."""
    from matplotlib.figure import Figure

    check_lang(lang)
    fig = Figure(figsize=(6, 3.8), layout="constrained")
    ax = fig.add_subplot()
    if draw_lead_time_histogram(ax, [hours], [label("simulation", lang)], [_COLOUR],
                                lang=lang, bins=bins):
        ax.legend(fontsize=8)
    return fig


def draw_lead_time_histogram(ax: Axes, samples: Sequence[Any], names: Sequence[str],
                             colours: Sequence[str], *, unit: str = "h", lang: str = "en",
                             bins: int = 30) -> bool:
    """Draw lead-time histograms on `ax`: one per sample (values in `unit`), heights as shares
    of cases so samples of different sizes compare, on bin edges shared by all samples, each
    legend entry with its mean; axis labels, title and grid. The one drawing of the lead-time
    histogram: a result's notebook view and the report's `lead_time_distribution` call it.

    Non-finite values are left out. Returns whether anything was drawn; the caller adds the
    legend (after its own lines, such as a target).
    """
    from matplotlib.ticker import PercentFormatter

    u = unit_label(unit, lang)
    finite = [v[np.isfinite(v)] for v in (np.asarray(s, dtype=float) for s in samples)]
    everything = np.concatenate(finite) if finite else np.empty(0)
    edges: int | list[float] = (np.histogram_bin_edges(everything, bins=bins).tolist()
                                if len(everything) else bins)
    for values, name, colour in zip(finite, names, colours, strict=True):
        if len(values):
            legend = (f"{name} ({label('mean', lang).lower()} "
                      f"{fmt_number(float(values.mean()), lang)} {u})")
            ax.hist(values, bins=edges, weights=np.full(len(values), 1.0 / len(values)),
                    color=colour, alpha=0.55, label=legend, histtype="stepfilled",
                    edgecolor=colour)
    ax.set_xlabel(f"{label('lead_time', lang)}, {u}")
    ax.set_ylabel(label("share_of_cases", lang))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_title(label("lead_time_dist", lang))
    ax.grid(alpha=0.3)
    return len(everything) > 0
