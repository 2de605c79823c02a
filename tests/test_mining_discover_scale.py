"""Discovery: the rare-activity and variant filters and what they report, the canonical tree built
as BPMN (same content, same bytes; the blocks replay the traces they stand for), and the time
budget's fallback."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

pytest.importorskip("pm4py")

from leanproc.bpmn.writer import write_bpmn
from leanproc.mining import discover
from leanproc.mining._discover_filter import filter_log
from leanproc.mining._discover_tree import Tree, tree_model
from leanproc.mining._replay import Replayer, fold
from leanproc.mining.discover import to_pm4py_frame

T0 = pd.Timestamp("2024-03-04 09:00", tz="UTC")


def _log(traces: list[tuple[str, ...]]) -> pd.DataFrame:
    rows = [(f"c{i:03d}", a, T0 + pd.Timedelta(hours=i * 10 + j))
            for i, trace in enumerate(traces) for j, a in enumerate(trace)]
    return pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "time:timestamp"])


# 100 cases: 60 A B D, 30 A C D, 9 A C B D (B and C in either order), 1 A X D (X is rare)
TRACES = [("A", "B", "D")] * 60 + [("A", "C", "D")] * 30 + [("A", "C", "B", "D")] * 9 \
    + [("A", "X", "D")]


def test_rare_activities_are_left_out_and_counted():
    kept = filter_log(to_pm4py_frame(_log(TRACES)), min_activity_share=0.02,
                      variant_coverage=1.0)
    assert kept.dropped_activities == (("X", 1),)
    assert kept.dropped_events == 1 and kept.events == 3 * 91 + 4 * 9
    assert kept.kept_cases == kept.cases == 100  # the case stays, as A D
    assert "X (1 cases)" in " ".join(kept.notes())


def test_variant_coverage_keeps_the_most_frequent_variants():
    kept = filter_log(to_pm4py_frame(_log(TRACES)), min_activity_share=0.0,
                      variant_coverage=0.9)
    assert (kept.variants, kept.kept_variants, kept.kept_cases) == (4, 2, 90)
    assert kept.dropped_events == 9 * 4 + 3
    assert "2 of 4 variants left out" in " ".join(kept.notes())


def test_nothing_dropped_says_nothing():
    kept = filter_log(to_pm4py_frame(_log(TRACES[:90])), min_activity_share=0.01,
                      variant_coverage=1.0)
    assert kept.notes() == () and kept.dropped_events == 0


@pytest.mark.parametrize("options", [{"min_activity_share": 1.0}, {"variant_coverage": 0.0}])
def test_bad_filter_options_are_refused(options):
    with pytest.raises(ValueError, match=next(iter(options))):
        discover(_log(TRACES), **options)


def test_discover_reports_what_it_left_out():
    model = discover(_log(TRACES), min_activity_share=0.02, layout=False)
    assert {n.name for n in model.activities} == {"A", "B", "C", "D"}
    assert any("X (1 cases)" in n for n in model.notes)
    assert any("inductive miner" in n for n in model.notes)


def _task(label: str) -> Tree:
    return Tree("task", label)


def test_unordered_children_do_not_change_the_file():
    a = Tree("seq", children=(_task("A"), Tree("xor", children=(_task("B"), _task("C"))),
                              _task("D")))
    b = Tree("seq", children=(_task("A"), Tree("xor", children=(_task("C"), _task("B"))),
                              _task("D")))
    assert a.key() != b.key()  # as given; canonical_tree sorts pm4py's children
    from leanproc.mining._discover_tree import canonical_tree

    class _Node:  # the two attributes canonical_tree reads from pm4py's ProcessTree
        def __init__(self, operator=None, label=None, children=()):
            self.operator, self.label, self.children = operator, label, list(children)

    class _Op:
        def __init__(self, value):
            self.value = value

    def node(t: Tree) -> _Node:
        if t.op == "task":
            return _Node(label=t.label)
        ops = {"seq": "->", "xor": "X"}
        return _Node(_Op(ops[t.op]), children=[node(c) for c in t.children])

    ca, cb = canonical_tree(node(a)), canonical_tree(node(b))
    assert ca == cb
    assert write_bpmn(tree_model(ca, name="p", layout=True)) == \
        write_bpmn(tree_model(cb, name="p", layout=True))


def test_ids_come_from_positions_in_the_tree():
    tree = Tree("seq", children=(_task("A"), Tree("and", children=(_task("B"), _task("C")))))
    model = tree_model(tree, name="p", layout=False)
    assert {n.id: n.name for n in model.activities} == {"Activity_0_1": "A",
                                                        "Activity_0_2_1": "B",
                                                        "Activity_0_2_2": "C"}


@pytest.mark.parametrize(("tree", "fits", "does_not_fit"), [
    # a choice with a silent branch: D may be skipped
    (Tree("seq", children=(_task("A"), Tree("xor", children=(Tree("tau"), _task("D"))))),
     [("A",), ("A", "D")], [("D",), ("A", "D", "D")]),
    # a parallel block: either order
    (Tree("and", children=(_task("B"), _task("C"))), [("B", "C"), ("C", "B")], [("B",)]),
    # a loop: do (A), then (redo B, do A) any number of times
    (Tree("loop", children=(_task("A"), _task("B"))), [("A",), ("A", "B", "A", "B", "A")],
     [("A", "B"), ("B", "A")]),
    # a loop with a silent redo: A repeated
    (Tree("loop", children=(_task("A"), Tree("tau"))), [("A",), ("A", "A", "A")], [()]),
])
def test_blocks_replay_the_traces_they_stand_for(tree, fits, does_not_fit):
    replayer = Replayer(tree_model(tree, name="p", layout=False))
    for trace in fits:
        assert replayer.replay([fold(a) for a in trace]).fits, trace
    for trace in does_not_fit:
        assert not replayer.replay([fold(a) for a in trace]).fits, trace


def test_a_miner_over_its_time_budget_falls_back(monkeypatch):
    # the module, not the function of the same name that leanproc.mining exports
    module = importlib.import_module("leanproc.mining.discover")
    monkeypatch.setattr(module, "_IN_PROCESS_ACTIVITIES", 0)  # use the child process here
    model = module.discover(_log(TRACES), min_activity_share=0.02, time_budget=0.001,
                            layout=False)
    assert any("did not finish within time_budget=0.001 processor s" in n for n in model.notes)
    assert {n.name for n in model.activities} == {"A", "B", "C", "D"}


def test_an_activity_recorded_anywhere_in_a_long_process_is_left_out_as_chaotic():
    # 80 steps in a fixed order; "Side" recorded after a different step in each case, so it
    # neighbours up to 160 distinct activities, where each step neighbours 2 or 3
    steps = tuple(f"Step {i:02d}" for i in range(1, 81))
    traces = [(*steps[:k], "Side", *steps[k:]) for k in range(1, 81)]
    kept = filter_log(to_pm4py_frame(_log(traces)), min_activity_share=0.0,
                      variant_coverage=1.0)
    assert [a for a, _ in kept.chaotic] == ["Side"]
    assert kept.dropped_events == 80
    assert "Side (" in " ".join(kept.notes())
    keep_all = filter_log(to_pm4py_frame(_log(traces)), min_activity_share=0.0,
                          variant_coverage=1.0, drop_chaotic=False)
    assert keep_all.chaotic == () and keep_all.dropped_events == 0


def test_a_short_process_has_no_chaotic_activities():
    # the same pattern on 20 steps: "Side" neighbours at most 38 < 60, which only logs of more
    # than 60 activities can exceed (all corpus logs have 27 or fewer)
    steps = tuple(f"Step {i:02d}" for i in range(1, 21))
    traces = [(*steps[:k], "Side", *steps[k:]) for k in range(1, 21)]
    kept = filter_log(to_pm4py_frame(_log(traces)), min_activity_share=0.0,
                      variant_coverage=1.0)
    assert kept.chaotic == ()


def test_the_command_line_writes_the_model_and_prints_what_was_left_out(tmp_path, capsys):
    from leanproc.cli import main

    _log(TRACES).to_csv(tmp_path / "log.csv", index=False)
    out = tmp_path / "mined.bpmn"
    assert main(["discover", str(tmp_path / "log.csv"), "--out", str(out),
                 "--min-activity-share", "0.02"]) == 0
    printed = capsys.readouterr().out
    assert "X (1 cases)" in printed and "4 activities written" in printed
    assert out.read_bytes().startswith(b"<?xml")
    assert main(["discover", str(tmp_path / "log.csv"), "--out", str(tmp_path / "m.txt")]) == 2
    assert ".bpmn" in capsys.readouterr().err
