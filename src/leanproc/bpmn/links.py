"""Which link catch event each link throw event jumps to: one rule for the checks and the
simulation.

BPMN 2.0 (section 10.5.6) uses a pair of link events as an off-page connector: a token reaching
a link throw event continues at the matching link catch event, and both must be on the same
process level (the same process, or the inside of the same subprocess). The standard pairs them
by the link event definitions' names, but tools name the definitions differently (one generates
``LinkEventDefinition_1``, another copies the event's label), so real files are paired by the
first of these rules that finds exactly one catch event, looking only at the throw's level:

1. a catch event whose link definition has the throw's link definition name;
2. a catch event with the same event name (the label the modeller typed);
3. the level has exactly one link throw and one link catch event: they belong together.

Several throws may lead to one catch. A throw that a rule matches with several catches is
*ambiguous*, one that no rule pairs is *unpaired*; both are problems naming the candidates,
reported as errors by `check_model` and refused by the simulation compiler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from leanproc.bpmn.model import Event, Kind, ProcessModel

__all__ = ["LinkPairing", "pair_links"]


@dataclass(frozen=True, slots=True)
class LinkPairing:
    """`targets` maps each paired throw event's id to its catch event's id; `problems` lists
    (throw event id, message) for the ambiguous and unpaired throws, in document order."""

    targets: Mapping[str, str]
    problems: tuple[tuple[str, str], ...]


def _link_name(event: Event) -> str | None:
    for d in event.definitions:
        if d.type == "link":
            return d.name
    return None


def _is_link(event: Event) -> bool:
    return any(d.type == "link" for d in event.definitions)


def _describe(event: Event) -> str:
    parts = [event.id]
    if event.name:
        parts.append(f"named {event.name!r}")
    link = _link_name(event)
    if link:
        parts.append(f"link {link!r}")
    return " ".join(parts)


def pair_links(model: ProcessModel) -> LinkPairing:
    """Pair the link events of `model` by the rules of this module."""
    throws: dict[tuple[str, str | None], list[Event]] = {}
    catches: dict[tuple[str, str | None], list[Event]] = {}
    for node in model.nodes.values():
        if not isinstance(node, Event) or not _is_link(node):
            continue
        level = (node.process_id, node.parent_id)
        if node.kind is Kind.INTERMEDIATE_THROW:
            throws.setdefault(level, []).append(node)
        elif node.kind is Kind.INTERMEDIATE_CATCH:
            catches.setdefault(level, []).append(node)

    targets: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for level, level_throws in throws.items():
        level_catches = catches.get(level, [])
        for throw in level_throws:
            found, problem = _match(throw, level_throws, level_catches)
            if found is not None:
                targets[throw.id] = found.id
            else:
                problems.append((throw.id, problem))
    return LinkPairing(MappingProxyType(targets), tuple(problems))


def _match(throw: Event, level_throws: list[Event],
           level_catches: list[Event]) -> tuple[Event | None, str]:
    """The catch event for `throw`, or None and the reason."""
    rules = (
        ("link definition name", _link_name(throw), _link_name),
        ("event name", throw.name, lambda e: e.name),
    )
    for what, key, key_of in rules:
        if not key:
            continue
        found = [c for c in level_catches if key_of(c) == key]
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, (
                f"link throw event {_describe(throw)} is ambiguous: the catch events "
                f"{', '.join(_describe(c) for c in found)} all have the {what} {key!r}; "
                "rename all but one"
            )
    if len(level_throws) == 1 and len(level_catches) == 1:
        return level_catches[0], ""
    if level_catches:
        candidates = "; the catch events on its level are " + ", ".join(
            _describe(c) for c in level_catches)
    else:
        candidates = "; there is no link catch event on its level"
    return None, (
        f"link throw event {_describe(throw)} has no matching link catch event in the same "
        f"process level{candidates}; give the pair the same link name"
    )
