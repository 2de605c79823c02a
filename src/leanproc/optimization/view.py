"""How an `OptimizationResult` shows itself: the notebook view and the figure."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leanproc import _palette as palette
from leanproc._display import STYLE, escape, table_html
from leanproc._labels import check_lang, localise_text, note_text
from leanproc._view import HTMLView, view_div
from leanproc.optimization.candidates import FEASIBLE, INFEASIBLE, UNCERTAIN

if TYPE_CHECKING:
    from leanproc.optimization.result import OptimizationResult

__all__ = ["candidate_rows", "plot", "result_view", "word"]

_WORDS = {
    "title": ("Optimisation", "Оптимизация"),
    "best": ("Best candidate", "Лучший вариант"),
    "none": ("No candidate was shown to meet every target.",
             "Ни один вариант не выполнил все цели с заданной уверенностью."),
    "candidates": ("Candidates evaluated", "Оценённые варианты"),
    "verdict": ("verdict", "итог"),
    "runs": ("replications", "прогонов"),
    "cut": ("cut", "отсечён"),
    FEASIBLE: ("feasible", "выполняет цели"),
    INFEASIBLE: ("infeasible", "не выполняет"),
    UNCERTAIN: ("uncertain", "не определено"),
    "not run": ("not run", "не запускался"),
    "front": ("Pareto front", "Парето-фронт"),
    "target": ("target", "цель"),
    "decision": ("decision", "решение"),
    "value": ("value", "значение"),
    "claims": ("What is claimed", "Что утверждается"),
    "objective": ("objective", "критерий"),
    "confidence": ("joint confidence", "совместная уверенность"),
    "method": ("search", "поиск"),
    "runs_total": ("simulation runs", "прогонов модели"),
    "exhaustive": ("exhaustive", "полный перебор"),
    "heuristic": ("heuristic", "эвристика"),
    "ci_low": ("95 % CI, low", "95 % ДИ, от"),
    "ci_high": ("95 % CI, high", "95 % ДИ, до"),
    "max_load": ("highest pool load", "наибольшая загрузка пула"),
    "rank": ("rank", "сравнение с лучшим"),
    "summary": ("{n} candidates evaluated ({method}), {runs} simulation runs, seed {seed}",
                "оценено вариантов: {n} ({method}), прогонов модели: {runs}, зерно {seed}"),
}
_COLOURS = {FEASIBLE: palette.AFTER, INFEASIBLE: palette.BEFORE, UNCERTAIN: palette.TARGET}


def _w(key: str, lang: str) -> str:
    return _WORDS[key][check_lang(lang)]


def result_view(result: OptimizationResult, *, lang: str = "en", top: int = 20) -> HTMLView:
    """The best candidate, the statements about it, and the `top` cheapest candidates."""
    parts = [f"<h4>{escape(_w('title', lang))}: {escape(result.objective)}</h4>"]
    if result.best is None:
        parts.append(f"<p>{escape(_w('none', lang))}</p>")
    else:
        items = "".join(f"<li>{escape(k)} = <b>{escape(v)}</b></li>"
                        for k, v in result.best.items())
        parts.append(f"<p>{escape(_w('best', lang))}:</p><ul>{items}</ul>")
    parts.append("<ul>" + "".join(f"<li>{escape(localise_text(note_text(s, lang), lang))}</li>"
                                  for s in [*result.statements, *result.notes]) + "</ul>")
    columns, rows = candidate_rows(result, lang=lang, top=top)
    parts.append(table_html(columns, rows, caption=_w("candidates", lang), lang=lang))
    return HTMLView(view_div(STYLE, "".join(parts)), title="OptimizationResult")


def candidate_rows(result: OptimizationResult, *, lang: str = "en", top: int | None = None
                   ) -> tuple[list[str], list[list[Any]]]:
    """The candidates as people read them, cheapest first (the `top` cheapest when given):
    the decisions, the objective and target KPIs in their units, the verdict in `lang`, the
    replications and why a candidate was cut. Returns the column titles and the rows."""
    table = result.table().sort_values(result.objective, kind="stable")
    if top is not None:
        table = table.head(top)
    kpis = list(dict.fromkeys([result.objective, *(t.measured for t in result.targets)]))
    columns = [*result.decisions, *kpis, _w("verdict", lang), _w("runs", lang), _w("cut", lang)]
    rows = []
    for _, row in table.iterrows():
        rows.append([*(row[d] for d in result.decisions),
                     *(localise_text(result.show(k, row[k]), lang) for k in kpis),
                     _w(row["verdict"], lang), int(row["replications"]), row["cut"]])
    return columns, rows


def word(key: str, lang: str = "en") -> str:
    """A word of the optimisation views (``best``, ``none``, a verdict...) in `lang`."""
    return _w(key, lang)


def plot(result: OptimizationResult, *, lang: str = "en") -> Any:
    """One panel per target: objective (y) against the target KPI (x, hours for times)."""
    import matplotlib.pyplot as plt

    targets = list(result.targets)
    fig, axes = plt.subplots(1, max(len(targets), 1), figsize=(5.5 * max(len(targets), 1), 4),
                             squeeze=False)
    table = result.table()
    simulated = table[table["replications"] > 0]
    front = result.front
    if not targets:
        axes[0][0].text(0.5, 0.5, "no targets", ha="center", transform=axes[0][0].transAxes)
    for ax, t in zip(axes[0], targets, strict=False):
        kpi = t.measured
        scale = 3600.0 if result.show(kpi, 3600.0).endswith(" h") else 1.0
        for verdict, colour in _COLOURS.items():
            pts = simulated[simulated["verdict"] == verdict]
            ax.scatter(pts[kpi] / scale, pts[result.objective], s=18, color=colour,
                       label=_w(verdict, lang))
        mine = front[front["target"] == t.text]
        ax.plot(mine[kpi] / scale, mine[result.objective], color=palette.TOTAL, lw=1)
        if math.isfinite(t.bound):
            ax.axvline(t.bound / scale, color=palette.TARGET_LINE, ls="--", lw=1)
        if result.best_candidate is not None:
            row = table.iloc[result.candidates.index(result.best_candidate)]
            ax.scatter([row[kpi] / scale], [row[result.objective]], s=120,
                       facecolors="none", edgecolors=palette.SAVING, linewidths=2,
                       label=_w("best", lang))
        ax.set_xlabel(f"{kpi}{', h' if scale == 3600.0 else ''}")
        ax.set_ylabel(result.objective)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
