"""Reading a scenario's text: YAML (with YAML 1.2 scalars) or JSON, from a file or a string.

PyYAML follows YAML 1.1, where ``yes`` / ``no`` / ``on`` / ``off`` are booleans and ``18:00`` is
the number 1080. Scenarios name gateway branches ``yes`` and ``no`` and write clock times, so the
loader here reads only ``true`` / ``false`` as booleans and only plain decimal numbers as numbers.
A key given twice in one mapping is an error with both lines, not a silent overwrite.

Scenario files travel by e-mail, so reading one must not let its content decide how much memory
or time the reader takes: the file's size, the nesting depth, the number of YAML aliases and the
number of nodes once every alias is expanded are each a `Limit`. The expanded size is counted on
the composed node graph, before any Python object is built, so nine lines of nested aliases (a
"billion laughs") are refused in milliseconds instead of growing to gigabytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from leanproc.errors import ScenarioError
from leanproc.limits import limit
from leanproc.scenario.encoding import decode_scenario

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "load_mapping"]

MAX_BYTES = limit("scenario_bytes")
MAX_DEPTH = limit("scenario_depth")
MAX_ALIASES = limit("yaml_aliases")
MAX_NODES = limit("yaml_nodes")


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads booleans, ints and floats as YAML 1.2 does, refuses duplicates and
    checks the size limits while composing, before anything is constructed."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.label: str | None = None
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES.value:
                raise ScenarioError(f"line {self._line()}: "
                                    f"{MAX_ALIASES.message(f'{self._aliases:,}')}",
                                    source=self.label)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH.value:
                raise ScenarioError(f"line {self._line()}: "
                                    f"{MAX_DEPTH.message(f'at least {self._depth:,}')}",
                                    source=self.label)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _line(self) -> int:
        """The line of the event about to be composed (the stubs leave peek_event untyped)."""
        event: Any = getattr(self, "peek_event")()  # noqa: B009
        return int(event.start_mark.line) + 1

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expanded_size(node, self.label)
        return self.construct_document(node)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expanded_size(root: yaml.Node, label: str | None) -> None:
    """Refuse a node graph whose aliases expand past `MAX_NODES`, or that contains itself.

    Each node's expanded size is 1 + its children's, computed once per node (aliases share
    nodes) by an explicit stack, so neither time nor Python's recursion depends on the input.
    """
    limit = MAX_NODES.value
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limit:
                seen = f"at least {sizes[key]:,}"
                raise ScenarioError(f"line {node.start_mark.line + 1}: {MAX_NODES.message(seen)}",
                                    source=label)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise ScenarioError(f"line {node.start_mark.line + 1}: an alias refers to a value "
                                f"that contains it, which would repeat forever: remove the "
                                f"alias", source=label)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _json_depth(value: Any) -> int:
    """The nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict)
                                                  else item))
    return deepest


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode,
                       deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key {key!r} (first at line {seen[key] + 1}): merge the two entries",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _string_keys(value: Any) -> Any:
    """Mappings with str keys throughout (YAML may give ints, dates; JSON gives only str)."""
    if isinstance(value, Mapping):
        return {(k if isinstance(k, str) else _key_text(k)): _string_keys(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_string_keys(v) for v in value]
    return value


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "yes" if key else "no"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    if isinstance(key, date):
        return key.isoformat()
    return str(key)


def load_mapping(source: Any) -> tuple[dict[str, Any], Path | None, str | None]:
    """(the scenario mapping, its folder, a label for messages) from a path, text or dict."""
    if isinstance(source, Mapping):
        return _string_keys(dict(source)), None, None
    path: Path | None = None
    looks_like_path = isinstance(source, str) and "\n" not in source and (
        source.strip().lower().endswith((".yaml", ".yml", ".json")) or os.path.isfile(source)
        or os.path.isdir(source)
    )
    if isinstance(source, os.PathLike) or looks_like_path:
        path = Path(source)
    elif not isinstance(source, str):
        raise ScenarioError(f"a scenario is a path, YAML / JSON text or a mapping, not "
                            f"{type(source).__name__}")
    label = str(path) if path else None
    if path is not None:
        text = _read(path, label)
    else:
        MAX_BYTES.check(len(source.encode("utf-8")), ScenarioError)
        text = source
    try:
        if path is not None and path.suffix.lower() == ".json":
            data = _load_json(text, label)
        else:
            loader = _Loader(text)  # a SafeLoader subclass
            loader.label = label
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}",
                            source=label) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{where}not valid YAML: {what}", source=label) from None
    if data is None:
        data = {}
    if isinstance(data, str) and path is None:
        raise ScenarioError(f"{data!r} is neither a scenario file that exists nor scenario text "
                            f"(a mapping of keys: name, model, start, arrivals, ...)")
    if not isinstance(data, Mapping):
        raise ScenarioError(f"a scenario is a mapping of keys (name, model, start, arrivals, "
                            f"...), got {type(data).__name__}", source=label)
    return _string_keys(dict(data)), (path.resolve().parent if path else None), label


def _read(path: Path, label: str | None) -> str:
    if path.is_dir():
        raise ScenarioError("is a folder, not a file: give the .yaml / .json file inside it",
                            source=label)
    try:
        MAX_BYTES.check(path.stat().st_size, ScenarioError, source=label)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES.value + 1)  # the file may grow after stat
    except OSError as exc:
        raise ScenarioError(f"cannot read the scenario file: {exc.strerror or exc}",
                            source=label) from None
    MAX_BYTES.check(len(data), ScenarioError, source=label)
    return decode_scenario(data, label)


def _load_json(text: str, label: str | None) -> Any:
    try:
        data = json.loads(text)
    except RecursionError:  # the C parser nests on the stack: too deep for any limit
        raise ScenarioError(f"{MAX_DEPTH.what}: deeper than the JSON parser can follow (the "
                            f"limit is {MAX_DEPTH.value:,}): flatten the file",
                            source=label) from None
    MAX_DEPTH.check(_json_depth(data), ScenarioError, source=label)
    return data
