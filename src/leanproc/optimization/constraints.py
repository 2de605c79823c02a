"""Constraints on decisions: a callable, or expressions read safely with `ast`.

``"resources.clerk.count + resources.lawyer.count <= 12"`` is parsed, never evaluated by
Python: only decision paths, numbers, text constants (to compare a categorical decision),
``+ - * /``, comparisons and ``and`` / ``or`` / ``not`` are allowed, so a constraint file
cannot run code. A callable receives the candidate as a dict of path -> value and returns a
bool.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from leanproc._names import did_you_mean
from leanproc.errors import ScenarioError

__all__ = ["Constraint", "parse_constraints"]

Constraint = Callable[[Mapping[str, Any]], bool]

_BIN: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMP: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}


def _dotted(node: ast.AST) -> str | None:
    """``resources.clerk.count`` from its Attribute chain; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


class _Expression:
    """One parsed constraint; calling it evaluates the checked tree on a candidate."""

    def __init__(self, text: str, paths: Iterable[str]) -> None:
        self.text = text
        known = list(paths)
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ScenarioError(f"constraint {text!r}: not an expression ({exc.msg}); write "
                                f"e.g. 'resources.clerk.count + resources.lawyer.count <= 12'"
                                ) from None
        self._check(tree.body, known)
        self.tree = tree.body

    def _check(self, node: ast.AST, known: list[str]) -> None:
        if (path := _dotted(node)) is not None:
            if path not in known:
                hint = did_you_mean(path, known, owner="the decisions")
                raise ScenarioError(f"constraint {self.text!r}: {path!r} is not a decision"
                                    f"{hint}; decisions: {', '.join(known)}")
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str) \
                and not isinstance(node.value, bool):
            return
        if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            children: list[ast.AST] = [node.left, node.right]
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub | ast.UAdd):
            children = [node.operand]
        elif isinstance(node, ast.BoolOp):
            children = list(node.values)
        elif isinstance(node, ast.Compare) and all(type(op) in _CMP for op in node.ops):
            children = [node.left, *node.comparators]
        else:
            raise ScenarioError(f"constraint {self.text!r}: {ast.unparse(node)!r} is not "
                                f"allowed; use decision paths, numbers, + - * /, comparisons "
                                f"and and / or / not")
        for child in children:
            self._check(child, known)

    def __call__(self, point: Mapping[str, Any]) -> bool:
        return bool(self._value(self.tree, point))

    def _value(self, node: ast.AST, point: Mapping[str, Any]) -> Any:
        if (path := _dotted(node)) is not None:
            return point[path]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.BinOp):
            return _BIN[type(node.op)](self._value(node.left, point),
                                       self._value(node.right, point))
        if isinstance(node, ast.UnaryOp):
            value = self._value(node.operand, point)
            if isinstance(node.op, ast.Not):
                return not value
            return -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.BoolOp):
            values = (self._value(v, point) for v in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        assert isinstance(node, ast.Compare)  # the only node _check lets through here
        left = self._value(node.left, point)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self._value(right_node, point)
            if not _CMP[type(op)](left, right):
                return False
            left = right
        return True

    def __repr__(self) -> str:
        return f"constraint {self.text!r}"


def parse_constraints(constraints: Any, paths: Iterable[str]) -> list[Constraint]:
    """The constraints as callables: one callable, one expression, or a list of either."""
    if constraints is None:
        return []
    items = constraints if isinstance(constraints, list | tuple) else [constraints]
    known = list(paths)
    out: list[Constraint] = []
    for item in items:
        if isinstance(item, str):
            out.append(_Expression(item, known))
        elif callable(item):
            out.append(item)
        else:
            raise ScenarioError(f"optimize: constraints= takes expressions (text) or callables "
                                f"(dict -> bool), not {type(item).__name__}")
    return out
