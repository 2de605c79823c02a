"""The replay search gives the same result as a plain statement of it (tests/helpers/
replay_reference.py) on random block-structured models and noisy traces: same alignment,
enabled_by, chosen branches and cost, ties broken alike."""

from __future__ import annotations

import random

import pytest

from helpers.replay_reference import reference_replay
from leanproc.bpmn.builder import ModelBuilder
from leanproc.mining._discover_tree import Tree, tree_model
from leanproc.mining._replay import Replayer

LABELS = "abcdefg"  # few labels, so that a model often has the same one twice


def _tree(rng: random.Random, depth: int) -> Tree:
    if depth == 0 or rng.random() < 0.3:
        return Tree("tau") if rng.random() < 0.1 else Tree("task", rng.choice(LABELS))
    op = rng.choice(["seq", "xor", "and", "or", "loop"])
    width = 2 if op == "loop" else rng.randint(2, 3)
    return Tree(op, children=tuple(_tree(rng, depth - 1) for _ in range(width)))


def _play(tree: Tree, rng: random.Random) -> list[str]:
    """One run of `tree` (an inclusive block runs a random non-empty subset of its children)."""
    if tree.op == "task":
        return [tree.label]
    if tree.op == "tau":
        return []
    if tree.op == "seq":
        return [a for c in tree.children for a in _play(c, rng)]
    if tree.op == "xor":
        return _play(rng.choice(tree.children), rng)
    if tree.op == "loop":
        out = _play(tree.children[0], rng)
        while rng.random() < 0.3:
            out += _play(tree.children[1], rng) + _play(tree.children[0], rng)
        return out
    runs = [_play(c, rng) for c in tree.children]
    if tree.op == "or":
        runs = rng.sample(runs, rng.randint(1, len(runs)))
    out: list[str] = []
    while any(runs):  # interleave the branches at random
        run = rng.choice([r for r in runs if r])
        out.append(run.pop(0))
    return out


def _noisy(trace: list[str], rng: random.Random) -> list[str]:
    """Recording noise: a swapped pair, a missing event, an unknown or repeated one."""
    trace = list(trace)
    for _ in range(rng.randint(0, 2)):
        kind = rng.choice(["swap", "drop", "add"])
        if kind == "swap" and len(trace) > 1:
            i = rng.randrange(len(trace) - 1)
            trace[i], trace[i + 1] = trace[i + 1], trace[i]
        elif kind == "drop" and trace:
            del trace[rng.randrange(len(trace))]
        else:
            trace.insert(rng.randint(0, len(trace)), rng.choice(LABELS + "z"))
    return trace


@pytest.mark.parametrize("seed", range(8))
def test_replay_equals_the_reference_search(seed: int) -> None:
    rng = random.Random(seed)
    compared = 0
    for _ in range(5):
        tree = Tree("seq", children=(_tree(rng, 3), _tree(rng, 3)))
        replayer = Replayer(tree_model(tree, name="p", layout=False))
        for _ in range(6):
            trace = _noisy(_play(tree, rng), rng)
            if len(trace) > 14:  # keeps the plain search fast
                continue
            fast, plain = replayer.replay(trace), reference_replay(replayer, trace)
            assert vars(fast) == vars(plain), (tree, trace)
            compared += 1
    assert compared >= 15


def test_a_flow_holding_two_tokens_hands_on_the_earliest_first() -> None:
    # a parallel split whose two branches both enter task A (an activity takes a token from
    # any incoming flow), followed by B: after A, A the flow into B holds two tokens, and the
    # first B is the one the first A enabled
    b = ModelBuilder("two tokens")
    start, split, task_a, task_b, end = (b.start(), b.parallel(), b.task("A"), b.task("B"),
                                         b.end())
    for source, target in [(start, split), (split, task_a), (split, task_a), (task_a, task_b),
                           (task_b, end)]:
        b.flow(source, target)
    replayer = Replayer(b.build(layout=False))
    for trace in (["a", "a", "b", "b"], ["a", "b", "a", "b"]):
        fast = replayer.replay(trace)
        assert fast.fits
        assert vars(fast) == vars(reference_replay(replayer, trace))
    assert replayer.replay(["a", "a", "b", "b"]).enabled_by == [-1, -1, 0, 1]
