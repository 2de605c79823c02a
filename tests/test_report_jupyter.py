"""Jupyter renderers, and the promise that `import leanproc` does not load matplotlib."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("matplotlib")

import leanproc
from leanproc.report import jupyter

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tomsk-onboarding"


def _spec(cases: int = 12) -> dict:
    spec = yaml.safe_load((EXAMPLE / "to-be.scenario.yaml").read_text(encoding="utf-8"))
    spec["model"] = str(EXAMPLE / spec["model"])
    spec["arrivals"]["cases"] = cases
    return spec


def test_import_leanproc_does_not_load_matplotlib() -> None:
    code = ("import sys, leanproc, leanproc.report; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_result_html_has_kpis_and_a_figure() -> None:
    result = leanproc.simulate(_spec(), seed=3)
    page = jupyter.result_html(result, lang="ru")
    # the scenario has a calendar: the working lead time first, the clock one marked
    assert "ВПП (рабочее время), среднее" in page and "Загрузка: Служба ИТ" in page
    assert page.index("ВПП (рабочее время), среднее") < page.index(
        "ВПП (календарное время), среднее")
    assert page.count("data:image/png;base64,") == 1
    assert ".kpi.per_activity" in page


def test_replications_html_shows_confidence_intervals() -> None:
    reps = leanproc.simulate(_spec(), seed=3, replications=2)
    page = jupyter.replications_html(reps)
    assert "2 replications" in page and "95 % CI" in page
    assert "Lead time (working), mean" in page and "Lead time (clock), mean" in page
    assert "…" in page


def test_model_html_with_and_without_diagram() -> None:
    model = leanproc.read_bpmn(EXAMPLE / "as-is.bpmn")
    page = jupyter.model_html(model)
    assert "Организация рабочего места сотрудника" in page and "Hand-offs" in page
    # the lean count of roles (the seven lanes) next to the one pool
    assert "<td>Participants</td><td class=\"num\" style=\"text-align:right\">7</td>" in page
    assert "<td>Pools</td><td class=\"num\" style=\"text-align:right\">1</td>" in page
    assert "data:image/png;base64," in page
    bare = leanproc.read_bpmn(
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        b'targetNamespace="t"><process id="p"><task id="t" name="Work"/></process>'
        b'</definitions>')
    page = jupyter.model_html(bare, lang="ru")
    assert "Операции" in page and "<img" not in page


def test_objects_show_themselves_without_the_report_package() -> None:
    # the model and the results sit below leanproc.report: their notebook views must not
    # pull it in (that import was the cycle bpmn / simulation -> report -> ... -> bpmn)
    code = (
        "import sys, yaml, leanproc\n"
        f"spec = yaml.safe_load(open({str(EXAMPLE / 'to-be.scenario.yaml')!r}, "
        "encoding='utf-8'))\n"
        f"spec['model'] = {str(EXAMPLE)!r} + '/' + spec['model']\n"
        "spec['arrivals']['cases'] = 6\n"
        "model = leanproc.read_bpmn(spec['model'])\n"
        "reps = leanproc.simulate(spec, seed=1, replications=2)\n"
        "pages = [model._repr_html_(), reps._repr_html_(), reps[0]._repr_html_()]\n"
        "print(all('<table>' in p for p in pages), "
        "sorted(m for m in sys.modules if m.startswith('leanproc.report')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "True []"


def test_the_notebook_hooks_use_the_renderers_of_this_module() -> None:
    model = leanproc.read_bpmn(EXAMPLE / "as-is.bpmn")
    assert model._repr_html_() == jupyter.model_html(model)
    reps = leanproc.simulate(_spec(), seed=3, replications=2)
    assert reps._repr_html_() == jupyter.replications_html(reps)
    # the lead-time figure of a run is drawn anew each time: compare the page around it
    strip = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
    page = reps[0]._repr_html_()
    assert strip.sub("<png>", page) == strip.sub("<png>", jupyter.result_html(reps[0]))
    assert page.count("data:image/png;base64,") == 1
