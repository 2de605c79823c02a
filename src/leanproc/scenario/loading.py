"""Reading a scenario's text: YAML (with YAML 1.2 scalars) or JSON, from a file or a string.

PyYAML follows YAML 1.1, where ``yes`` / ``no`` / ``on`` / ``off`` are booleans and ``18:00`` is
the number 1080. Scenarios name gateway branches ``yes`` and ``no`` and write clock times, so the
loader here reads only ``true`` / ``false`` as booleans and only plain decimal numbers as numbers.
A key given twice in one mapping is an error with both lines, not a silent overwrite.
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

__all__ = ["load_mapping"]


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads booleans, ints and floats as YAML 1.2 does and refuses duplicates."""


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
    )
    if isinstance(source, os.PathLike) or looks_like_path:
        path = Path(source)
    elif not isinstance(source, str):
        raise ScenarioError(f"a scenario is a path, YAML / JSON text or a mapping, not "
                            f"{type(source).__name__}")
    label = str(path) if path else None
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ScenarioError(f"cannot read the scenario file: {exc.strerror or exc}",
                                source=label) from None
    else:
        text = source
    try:
        if path is not None and path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
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
