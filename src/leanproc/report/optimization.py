"""The optimisation section of the HTML report: one `OptimizationResult` as a page.

`optimization_page` is what ``leanproc.report.html(result, ...)`` returns for an optimisation
result: the best candidate and what is claimed about it, the figure of the objective against
each target KPI (`OptimizationResult.plot`) and the candidates, cheapest first. The table and
the words are those of the notebook view (`leanproc.optimization.view`), so both read alike.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from leanproc._display import escape
from leanproc._display import table_html as rows_html
from leanproc._labels import note_text
from leanproc.optimization.view import candidate_rows, word
from leanproc.report.labels import check_lang

if TYPE_CHECKING:
    from leanproc.optimization.result import OptimizationResult

__all__ = ["is_optimization_result", "optimization_page"]


def is_optimization_result(subject: object) -> bool:
    """Whether `subject` is an `OptimizationResult` (what `report.html` takes as its subject)."""
    from leanproc.optimization.result import OptimizationResult

    return isinstance(subject, OptimizationResult)


def optimization_page(result: OptimizationResult, *, title: str | None = None,
                      subtitle: str | None = None, lang: str = "en", dpi: int = 110,
                      path: str | os.PathLike[str] | None = None) -> str:
    """The report page of one `OptimizationResult`; written to `path` when given."""
    from leanproc.report.html import Report

    check_lang(lang)
    page = Report(title or f"{word('title', lang)}: {result.objective}", lang=lang,
                  subtitle=subtitle, dpi=dpi)
    page.paragraph(word("summary", lang).format(n=len(result.candidates),
                                                method=word(result.method, lang),
                                                runs=result.runs, seed=result.seed))
    if result.best is None:
        page.raw(f"<div class='cards'><div class='card not-met'><div class='v'>"
                 f"{escape(word('none', lang))}</div></div></div>")
    else:
        cards = "".join(f"<div class='card met'><div class='k'>{escape(k)}</div>"
                        f"<div class='v'>{escape(v)}</div></div>"
                        for k, v in result.best.items())
        page.heading(word("best", lang))
        page.raw(f"<div class='cards'>{cards}</div>")
    claims = [*result.statements, *result.notes]
    if claims:
        page.heading(word("claims", lang))
        page.raw("<ul>" + "".join(f"<li>{escape(note_text(s, lang))}</li>" for s in claims)
                 + "</ul>")
    if result.targets:
        page.figure(result.plot(lang=lang), caption=f"{result.objective} / "
                    + ", ".join(t.text for t in result.targets))
    columns, rows = candidate_rows(result, lang=lang)
    page.raw(rows_html(columns, rows, caption=word("candidates", lang), lang=lang))
    return page.to_html(path)
