"""notebooks/walkthrough.ipynb runs from top to bottom, so it never rots.

Jupyter's kernel machinery (nbclient, ipykernel) is not a dependency; the notebook's code cells
are executed here in order, in one namespace, the way a kernel would: the last expression of a
cell is displayed through its ``_repr_html_`` (so the rich displays are exercised too), and
matplotlib draws off-screen.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"


def _display(value: Any, shown: list[str]) -> None:
    """What Jupyter shows for a value: its HTML when it has one, else its repr."""
    if value is None:
        return
    html = getattr(value, "_repr_html_", None)
    shown.append(html() if callable(html) else repr(value))


def run_notebook(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Execute every code cell of `path`; return the namespace and the displayed outputs."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown: list[str] = []
    namespace: dict[str, Any] = {"__name__": "__main__",
                                 "display": lambda v: _display(v, shown)}
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source, filename=f"{path.name}[{i}]")
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body, []), f"{path.name}[{i}]", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f"{path.name}[{i}]", "eval"),
                         namespace)
            _display(value, shown)
    return namespace, shown


def test_the_walkthrough_runs_and_shows_what_it_promises(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(NOTEBOOK.parent)
    monkeypatch.setenv("LEANPROC_NOTEBOOK_OUT", str(tmp_path))
    ns, shown = run_notebook(NOTEBOOK)

    # the project card: four approvals (the scenario untags the courier step the model's
    # names count) and 27 paper documents go, the working lead time target is met, and the
    # report is written
    comparison = ns["comparison"]
    assert comparison.side("approvals", "before").mean == 4
    assert comparison.side("paper_documents", "before").mean == 27
    report = comparison.target_report()
    assert report.passed, str(report)
    assert (tmp_path / "taxi-permit-report.html").stat().st_size > 50_000
    assert any("<table" in s for s in shown)  # rich displays rendered
    assert len(ns["lad"].improvements) == 5


def test_the_notebook_is_kept_without_outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")
