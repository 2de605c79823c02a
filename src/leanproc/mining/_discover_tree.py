"""A mined process tree as a BPMN model that is the same in every run.

pm4py's own tree-to-BPMN conversion names elements with random ids and orders them through
sets, so one log gave a different file (and, through the element order, a different
calibrated scenario and simulated log) in each process. Here the tree is first made canonical
— the children of a choice, a parallel block or an inclusive block are sorted by their content;
a sequence and a loop keep their order, which is meaningful — and then built with
`ModelBuilder`, each element's id derived from its position in the canonical tree
(``Activity_2_1``: second child of the root, its first child). The same tree thus gives the
same model, byte for byte once written, whatever the process's hash seed.

Blocks map to BPMN as usual: a sequence is a chain, a choice an exclusive split and join, a
parallel block a parallel split and join, an inclusive block inclusive gateways, a loop
``*(do, redo...)`` an exclusive join before `do` and an exclusive split after it that either
leaves or goes through one `redo` back to the join. A silent step (tau) is a plain flow.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.model import ProcessModel

__all__ = ["Tree", "canonical_tree", "tree_model"]

_OPS = {"->": "seq", "X": "xor", "+": "and", "O": "or", "*": "loop"}
_UNORDERED = ("xor", "and", "or")


@dataclass(frozen=True)
class Tree:
    """A process tree: `op` is ``task`` (with `label`), ``tau``, ``seq``, ``xor``, ``and``,
    ``or`` or ``loop``. Plain data, so that it also crosses a process boundary."""

    op: str
    label: str = ""
    children: tuple[Tree, ...] = ()

    def key(self) -> str:
        """A text that identifies the tree's content (the sort key of unordered children)."""
        if self.op == "task":
            return repr(self.label)
        if self.op == "tau":
            return "tau"
        return f"{self.op}({','.join(c.key() for c in self.children)})"


def canonical_tree(node: Any) -> Tree:
    """pm4py's `ProcessTree` as a canonical `Tree` (unordered children sorted by content)."""
    if not node.children:
        return Tree("tau") if node.label is None else Tree("task", str(node.label))
    op = _OPS[node.operator.value]
    children = tuple(canonical_tree(c) for c in node.children)
    if op in _UNORDERED:
        children = tuple(sorted(children, key=Tree.key))
    return Tree(op, children=children)


def tree_model(tree: Tree, *, name: str, layout: bool) -> ProcessModel:
    """The BPMN model of `tree`: one start, the tree's blocks, one end."""
    b = _Build(ModelBuilder(name, process_id="Process_1", pool=name))
    start = b.builder.start(id="StartEvent_1")
    end = b.builder.end(id="EndEvent_1")
    ends = b.block(tree, "0")
    if ends is None:
        b.flow(start, end)
    else:
        b.flow(start, ends[0])
        b.flow(ends[1], end)
    return b.builder.build(layout=layout)


class _Build:
    """Adds blocks to a `ModelBuilder`; `block` returns the (entry, exit) ids of what it built,
    or None for a block that is only silent steps."""

    def __init__(self, builder: ModelBuilder) -> None:
        self.builder = builder
        self.flows: set[tuple[str, str]] = set()

    def flow(self, source: str, target: str) -> None:
        # Two silent branches of one choice would be the same flow twice: one is enough.
        if (source, target) not in self.flows:
            self.flows.add((source, target))
            self.builder.flow(source, target, id=f"Flow_{source}_{target}")

    def block(self, tree: Tree, path: str) -> tuple[str, str] | None:
        if tree.op == "task":
            task = self.builder.task(tree.label, id=f"Activity_{path}")
            return task, task
        if tree.op == "tau":
            return None
        parts = [self.block(c, f"{path}_{i}") for i, c in enumerate(tree.children, 1)]
        if tree.op == "seq":
            return self._sequence(parts)
        if tree.op == "loop":
            return self._loop(parts, path)
        return self._split(tree.op, parts, path)

    def _sequence(self, parts: list[tuple[str, str] | None]) -> tuple[str, str] | None:
        real = [p for p in parts if p is not None]
        for (_, exit_), (entry, _) in itertools.pairwise(real):
            self.flow(exit_, entry)
        return (real[0][0], real[-1][1]) if real else None

    def _split(self, op: str, parts: list[tuple[str, str] | None],
               path: str) -> tuple[str, str] | None:
        if op == "and":
            parts = [p for p in parts if p is not None]  # a silent branch changes nothing
            if not parts:
                return None
            if len(parts) == 1:
                return parts[0]
        make = {"xor": self.builder.xor, "and": self.builder.parallel,
                "or": self.builder.inclusive}[op]
        split, join = make(id=f"Gateway_{path}_split"), make(id=f"Gateway_{path}_join")
        for p in parts:
            if p is None:
                self.flow(split, join)
            else:
                self.flow(split, p[0])
                self.flow(p[1], join)
        return split, join

    def _loop(self, parts: list[tuple[str, str] | None], path: str) -> tuple[str, str]:
        join = self.builder.xor(id=f"Gateway_{path}_loop")
        split = self.builder.xor(id=f"Gateway_{path}_again")
        body, redos = parts[0], parts[1:]
        if body is None:
            self.flow(join, split)
        else:
            self.flow(join, body[0])
            self.flow(body[1], split)
        for redo in redos:
            if redo is None:
                self.flow(split, join)
            else:
                self.flow(split, redo[0])
                self.flow(redo[1], join)
        return join, split
