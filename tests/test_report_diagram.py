"""The BPMN diagram drawn from DI: shapes per element kind, colouring, errors.

The fixture, fixtures/report/drawing.bpmn, is a small hand-drawn model holding every kind the
drawing tells apart (parallel and exclusive gateways, a loop back, a data object, a black-box
pool reached by a message flow) with English names; it is a drawing fixture, not a model of a
seed case (the onboarding case's model is examples/tomsk-onboarding)."""

from __future__ import annotations

from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon  # noqa: E402

from leanproc.bpmn.reader import read_bpmn  # noqa: E402
from leanproc.errors import BPMNError  # noqa: E402
from leanproc.report.diagram import diagram, has_diagram, resolve_values  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "report"
NO_DI = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <process id="P"><startEvent id="S"/><task id="T" name="Work"/><endEvent id="E"/>
    <sequenceFlow id="f1" sourceRef="S" targetRef="T"/>
    <sequenceFlow id="f2" sourceRef="T" targetRef="E"/></process>
</definitions>"""


@pytest.fixture(scope="module")
def model():
    return read_bpmn(FIXTURES / "drawing.bpmn")


def _gid(fig, prefix: str) -> list:
    return [a for a in fig.axes[0].get_children()
            if (a.get_gid() or "").startswith(prefix)]


def test_every_element_kind_is_drawn(model) -> None:
    fig = diagram(model)
    tasks = _gid(fig, "task:")
    assert {a.get_gid() for a in tasks} == {f"task:{a.id}" for a in model.activities}
    assert all(isinstance(a, FancyBboxPatch) for a in tasks)  # rounded boxes
    events = _gid(fig, "event:")
    assert len(events) == 2 and all(isinstance(a, Circle) for a in events)
    # the end event is drawn with the thick border
    end = next(a for a in events if a.get_gid() == "event:End")
    start = next(a for a in events if a.get_gid() == "event:Start")
    assert end.get_linewidth() > 2 * start.get_linewidth()
    gateways = _gid(fig, "gateway:")
    assert len(gateways) == 4 and all(isinstance(a, Polygon) for a in gateways)
    assert all(len(g.get_xy()) == 5 for g in gateways)  # a closed diamond
    flows = _gid(fig, "flow:")
    assert len(flows) == len(model.flows)
    # one arrow head per sequence flow, plus the message flow and the data association
    arrows = [a for a in fig.axes[0].patches if isinstance(a, FancyArrowPatch)]
    assert len(arrows) == len(model.flows) + 2
    assert len(_gid(fig, "message:")) == 1
    texts = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts}
    # names are wrapped but all there; pools and lanes carry their names
    for name in ("Candidate appointed", "Regional administration", "HR department",
                 "New employee", "Workplace ready?", "yes", "no"):
        assert name in texts
    assert "Sign appointment order" in texts
    assert not fig.axes[0].axison


def test_long_names_are_wrapped_inside_the_box(model) -> None:
    fig = diagram(model)
    text = next(t for t in fig.axes[0].texts if "internal" in t.get_text())
    lines = text.get_text().split("\n")
    assert len(lines) >= 3
    assert " ".join(lines) == "Send the order to services by internal mail"


def test_activities_coloured_by_value_with_colour_bar(model) -> None:
    values = {"Set up workstation": 20.0, "Task_Sign": 10.0, "Register in payroll": 0.0}
    fig = diagram(model, values, lang="ru")
    assert len(fig.axes) == 2  # the drawing and the colour bar
    bar = fig.axes[1]
    assert bar.get_xlabel() == "Среднее ожидание, ч"
    cmap = matplotlib.colormaps["YlOrRd"]
    by_id = {a.get_gid(): a for a in _gid(fig, "task:")}
    hottest = by_id["task:Task_Setup"].get_facecolor()
    assert matplotlib.colors.same_color(hottest, cmap(1.0))
    assert matplotlib.colors.same_color(by_id["task:Task_Sign"].get_facecolor(), cmap(0.5))
    # an activity without a value is greyed, not coloured as zero
    assert matplotlib.colors.to_hex(by_id["task:Task_Check"].get_facecolor()) == "#f5f5f5"
    assert "20 ч" in {t.get_text() for t in fig.axes[0].texts}


def test_values_from_a_per_activity_table_and_shared_scale(model) -> None:
    import pandas as pd

    table = pd.DataFrame({"activity": ["Set up workstation"], "count": [3],
                          "waiting_mean": [7200.0], "processing_mean": [600.0]})
    fig = diagram(model, table, vmax=4.0)
    cmap = matplotlib.colormaps["YlOrRd"]
    (setup,) = [a for a in _gid(fig, "task:Task_Setup")]
    assert matplotlib.colors.same_color(setup.get_facecolor(), cmap(0.5))  # 2 h of 4 h


def test_unknown_value_names_are_listed(model) -> None:
    with pytest.raises(BPMNError) as err:
        resolve_values(model, {"Set up workstaton": 1.0, "Nope": 2.0})
    text = str(err.value)
    assert "'Set up workstaton'" in text and "'Nope'" in text
    assert "Set up workstation" in text  # the names that would have worked


def test_model_without_di_is_a_clear_error() -> None:
    bare = read_bpmn(NO_DI)
    assert not has_diagram(bare)
    with pytest.raises(BPMNError, match="no diagram coordinates"):
        diagram(bare)


def test_draws_into_callers_axes(model) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    assert diagram(model, ax=ax) is fig
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # DI's y axis points down


def test_the_model_draws_itself_from_plain_numbers_only(model) -> None:
    # leanproc.bpmn sits below the KPIs: a KPI table is the report's to convert, and passing
    # one to the model's own drawing says where to go instead of colouring nothing
    import pandas as pd

    from leanproc.bpmn import drawing

    table = pd.DataFrame({"activity": ["Set up workstation"], "waiting_mean": [7200.0]})
    with pytest.raises(TypeError, match=r"leanproc\.report\.diagram"):
        drawing.diagram(model, table)
    series = pd.Series({"Set up workstation": 2.0})
    fig = drawing.diagram(model, series, vmax=4.0)
    (setup,) = _gid(fig, "task:Task_Setup")
    assert matplotlib.colors.same_color(setup.get_facecolor(),
                                        matplotlib.colormaps["YlOrRd"](0.5))
