"""ModelBuilder and the automatic layout: round trip, DI completeness and geometry, errors."""

from __future__ import annotations

import itertools

import pytest

from leanproc.bpmn import Bounds, Kind, ProcessModel, read_bpmn, write_bpmn
from leanproc.bpmn.builder import ModelBuilder
from leanproc.errors import BPMNError


def _certificate() -> ModelBuilder:
    """Two lanes, a decision, a loop back, a boundary timer, documents, an external pool."""
    b = ModelBuilder("Выдача справки", process_id="Process_certificate")
    b.lane("Заявитель")
    start = b.start("Нужна справка")
    apply = b.task("Подать заявление", documents=["Заявление", "Паспорт"])
    b.lane("Специалист МФЦ")
    take = b.task("Принять документы", kind="userTask", documents=["Заявление"])
    check = b.xor("Документы полные?")
    issue = b.task("Выдать справку", produces=["Справка"])
    timeout = b.boundary(issue, "Срок истёк", timer="P3D")
    refuse = b.end("Отказ")
    b.lane("Руководитель")
    sign = b.task("Подписать справку", kind="manualTask")
    done = b.end("Справка выдана")
    b.sequence(start, apply, take, check)
    b.flow(check, issue, name="да")
    b.flow(check, refuse, name="нет")
    b.flow(timeout, refuse)
    b.flow(issue, sign)
    b.flow(sign, take, name="на доработку")
    b.flow(sign, done)
    archive = b.pool("Архив")
    b.message(issue, archive, name="Запрос")
    return b


def _wide() -> ModelBuilder:
    """A fork into four parallel branches of different lengths, joined again."""
    b = ModelBuilder("Параллельные проверки")
    b.lane("Отдел")
    start, fork, join, end = b.start(), b.parallel(), b.parallel(), b.end()
    b.flow(start, fork)
    for i, length in enumerate((1, 3, 2, 1)):
        steps = [b.task(f"Проверка {i}.{k}") for k in range(length)]
        b.sequence(fork, *steps, join)
    b.flow(join, end)
    return b


MODELS = {"certificate": _certificate, "wide": _wide}


@pytest.fixture(params=sorted(MODELS))
def model(request: pytest.FixtureRequest) -> ProcessModel:
    return MODELS[request.param]().build()


def test_round_trip_equal(model: ProcessModel) -> None:
    again = read_bpmn(write_bpmn(model))
    assert again == model
    assert write_bpmn(again) == write_bpmn(model)


def test_every_element_is_drawn(model: ProcessModel) -> None:
    (diagram,) = model.diagrams
    shaped = [s.element for s in diagram.shapes]
    drawn = [e.element for e in diagram.edges]
    assert len(shaped) == len(set(shaped)) and len(drawn) == len(set(drawn))
    refs = [d for d in model.data.values() if d.tag == "dataObjectReference"]
    assert set(shaped) == {*model.nodes, *model.lanes, *model.participants, *(d.id for d in refs)}
    associations = {da.id for da in model.data_associations}
    assert set(drawn) == {*model.flows, *model.message_flows, *associations}
    for e in diagram.edges:
        assert len(e.waypoints) >= 2
        for (x0, y0), (x1, y1) in itertools.pairwise(e.waypoints):
            assert x0 == x1 or y0 == y1, f"{e.element}: edges are orthogonal"
    assert diagram.plane_element == model.collaboration_id


def _inside(inner: Bounds, outer: Bounds) -> bool:
    return (outer.x <= inner.x and inner.x + inner.width <= outer.x + outer.width
            and outer.y <= inner.y and inner.y + inner.height <= outer.y + outer.height)


def _overlap(a: Bounds, b: Bounds) -> bool:
    return (a.x < b.x + b.width and b.x < a.x + a.width
            and a.y < b.y + b.height and b.y < a.y + a.height)


def test_shapes_inside_their_lane_and_pool(model: ProcessModel) -> None:
    bounds = {s.element: s.bounds for s in model.diagrams[0].shapes}
    for node in model.nodes.values():
        if node.lane_id is not None:
            assert _inside(bounds[node.id], bounds[node.lane_id]), node.label
        pool = model.pool_of(node.id)
        assert pool is not None and _inside(bounds[node.id], bounds[pool.id]), node.label
    for lane in model.lanes.values():
        pool = next(p for p in model.participants.values() if p.process_id == lane.process_id)
        assert _inside(bounds[lane.id], bounds[pool.id])
    for da in model.data_associations:  # a document is drawn in its task's lane
        ref = da.sources[0] if da.direction == "in" else da.target
        lane = model.nodes[da.owner].lane_id
        assert ref is not None and lane is not None and _inside(bounds[ref], bounds[lane])


def test_no_two_shapes_overlap(model: ProcessModel) -> None:
    shapes = [s for s in model.diagrams[0].shapes
              if s.element not in model.lanes and s.element not in model.participants]
    for a, b in itertools.combinations(shapes, 2):
        pair = {a.element, b.element}
        hosts = {getattr(model.nodes.get(x), "attached_to", None) for x in pair}
        if pair & hosts:  # a boundary event sits on its activity's edge by design
            continue
        assert not _overlap(a.bounds, b.bounds), f"{a.element} overlaps {b.element}"
    lanes = [s for s in model.diagrams[0].shapes if s.element in model.lanes]
    pools = [s for s in model.diagrams[0].shapes if s.element in model.participants]
    for group in (lanes, pools):
        for a, b in itertools.combinations(group, 2):
            assert not _overlap(a.bounds, b.bounds)


def test_layers_follow_the_flow() -> None:
    """Left to right by longest path; a gateway's branches stacked; the loop drawn backwards."""
    m = _certificate().build()
    x = {s.element: s.bounds.x + s.bounds.width / 2 for s in m.diagrams[0].shapes}
    y = {s.element: s.bounds.y + s.bounds.height / 2 for s in m.diagrams[0].shapes}
    for f in m.flows.values():
        if m.nodes[f.source].kind is Kind.BOUNDARY_EVENT or f.name == "на доработку":
            continue
        assert x[f.source] < x[f.target], f"{f.id} runs left to right"
    issue, refuse = m.node("Выдать справку").id, m.node("Отказ").id
    check = m.node("Документы полные?").id
    assert y[issue] == y[check] < y[refuse]  # first branch straight on, second one below
    back = next(f for f in m.flows.values() if f.name == "на доработку")
    edge = next(e for e in m.diagrams[0].edges if e.element == back.id)
    assert edge.waypoints[-1][0] == x[back.target]  # enters the target from below
    w = _wide().build()
    xs = {s.element: s.bounds.x for s in w.diagrams[0].shapes}
    ys = {s.element: s.bounds.y for s in w.diagrams[0].shapes}
    firsts = [w.node(f"Проверка {i}.0").id for i in range(4)]
    assert len({xs[n] for n in firsts}) == 1 and len({ys[n] for n in firsts}) == 4
    joins = [g for g in w.gateways if len(g.incoming) > 1]
    assert xs[joins[0].id] > xs[w.node("Проверка 1.2").id]  # after the longest branch


def test_lean_tags_and_documents() -> None:
    b = ModelBuilder("Согласование")
    b.lane("Гражданин")
    s = b.start()
    a = b.task("Подать заявление", documents=["Заявление"])
    b.lane("Отдел")
    b.document("Скан паспорта")
    t = b.task("Проверить", documents=["Заявление", "Скан паспорта"], value="waste")
    v = b.task("Утвердить решение", approval=True)
    u = b.task("Внести в реестр", approval=False, client=False, value="value")
    b.sequence(s, a, t, v, u, b.end())
    st = b.build().structure()
    assert (st.activities, st.client_actions, st.approvals) == (4, 1, 1)
    assert st.paper_documents == 1  # the scan is electronic by name; Заявление counted once
    assert (st.waste, st.value_adding, st.lanes, st.pools) == (1, 1, 2, 1)
    assert st.participants == 2  # the citizen and the department: the two lanes


def test_black_box_pool_and_message_flow() -> None:
    m = _certificate().build()
    archive = next(p for p in m.participants.values() if p.name == "Архив")
    assert archive.process_id is None and len(m.processes) == 1
    st = m.structure()
    assert st.pool_handoffs == 1
    # three lanes of the main pool and the archive, drawn as a black-box pool
    assert (st.participants, st.pools, st.lanes) == (4, 2, 3)


def test_mistakes_are_reported_together() -> None:
    b = ModelBuilder("Ошибки")
    b.lane("Отдел")
    b.task("Висит в воздухе")
    b.end("Конец")
    with pytest.raises(BPMNError) as err:
        b.build()
    text = str(err.value)
    assert "no start event" in text and "'Висит в воздухе'" in text and "'Конец'" in text
    assert "no incoming flow" in text and "no outgoing flow" in text


@pytest.mark.parametrize("call, message", [
    (lambda b: b.task("X", kind="humanTask"), "unknown task kind"),
    (lambda b: b.task("X", lane="Нет такой"), "no lane or pool"),
    (lambda b: b.task("X", value="useful"), "value must be one of"),
    (lambda b: b.gateway("X", kind="orGateway"), "unknown gateway kind"),
    (lambda b: b.flow(b.start(), "Activity_99"), "no flow node"),
    (lambda b: b.flow(b.end(), b.end()), "end event has no outgoing"),
    (lambda b: b.start(id="Lane_1"), "already used"),
    (lambda b: b.catch("X", trigger="message", timer="P1D"), "needs trigger='timer'"),
    (lambda b: b.message(b.start(), b.end()), "same pool"),
])
def test_bad_calls_raise_bpmn_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    b = ModelBuilder("Ошибки")
    b.lane("Отдел")
    with pytest.raises(BPMNError, match=message):
        call(b)


def test_nodes_need_a_lane_when_the_pool_has_lanes() -> None:
    b = ModelBuilder("Без дорожки")
    b.lane("Отдел")
    pool = next(iter(b._pools))
    with pytest.raises(BPMNError, match="must go into one of them"):
        b.task("X", lane=pool)


def test_no_lanes_and_no_layout() -> None:
    b = ModelBuilder("Просто")
    b.sequence(b.start(), b.task("Шаг"), b.end())
    m = b.build(layout=False)
    assert m.diagrams == () and not m.lanes and len(m.participants) == 1
    assert read_bpmn(write_bpmn(m)) == m
    laid = b.build()
    assert read_bpmn(write_bpmn(laid)) == laid


def test_document_declared_after_use_keeps_one_object() -> None:
    b = ModelBuilder("Документы")
    b.lane("Отдел")
    s = b.start()
    t = b.task("Принять", documents=["Заявление"])
    assert b.document("Заявление", electronic=True) == b.document("Заявление")
    with pytest.raises(BPMNError, match="both electronic and paper"):
        b.document("Заявление", electronic=False)
    b.sequence(s, t, b.end())
    st = b.build().structure()
    assert st.paper_documents == 0


def test_lane_named_again_becomes_current() -> None:
    b = ModelBuilder("Дорожки")
    first = b.lane("Отдел")
    b.lane("Руководитель")
    assert b.lane("Отдел") == first
    s = b.start()
    b.sequence(s, b.task("Шаг"), b.end())
    m = b.build()
    assert len(m.lanes) == 2 and len(m.lanes[first].members) == 3
