"""Naming BPMN elements from a scenario, reachability, and the list of problems found.

A scenario key names an element by id, or by name with white space and case folded; a name that
several elements of the section's kind carry is ambiguous (the message lists their ids). Unknown
names get the closest spellings as suggestions. `reachable_nodes` tells which elements a token can
reach: only those must have scenario data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from leanproc._names import did_you_mean, fold
from leanproc.bpmn.model import Activity, Kind, Node, ProcessModel

__all__ = ["NameResolver", "Problems", "closest", "fold", "kind_words", "node_list",
           "reachable_nodes"]


def closest(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'X'?)``, the look-alike letters that differ, or nothing."""
    return did_you_mean(word, candidates)


def node_list(nodes: list[Node]) -> str:
    """The first three nodes' labels (and how many more) for a message."""
    return ", ".join(n.label for n in nodes[:3]) + (f" and {len(nodes) - 3} more"
                                                    if len(nodes) > 3 else "")


def kind_words(node: Node) -> str:
    """``a gateway (inclusiveGateway)``: what a node is, for a message."""
    if node.kind.is_gateway:
        return f"a gateway ({node.tag})"
    if node.kind.is_event:
        return f"an event ({node.tag})"
    return f"an activity ({node.tag})"


def reachable_nodes(model: ProcessModel) -> set[str]:
    """Ids of flow nodes a token can reach from the start of any process.

    Entries of a process or subprocess are its start events and the nodes with no incoming
    flow (implicit starts, event subprocesses, link catch events), except boundary events and
    compensation handlers; boundary events are reachable with their activity.
    """
    nodes = model.nodes

    def entries(ids: Iterable[str]) -> list[str]:
        out = []
        for i in ids:
            n = nodes.get(i)
            if n is None or n.kind == Kind.BOUNDARY_EVENT:
                continue
            if isinstance(n, Activity) and n.is_for_compensation:
                continue
            if n.kind == Kind.START_EVENT or not n.incoming:
                out.append(i)
        return out

    stack: list[str] = []
    for process in model.processes.values():
        stack += entries(process.nodes)
    seen: set[str] = set()
    while stack:
        i = stack.pop()
        if i in seen or i not in nodes:
            continue
        seen.add(i)
        node = nodes[i]
        for f in node.outgoing:
            flow = model.flows.get(f)
            if flow is not None:
                stack.append(flow.target)
        if isinstance(node, Activity):
            stack += node.boundary_events
            stack += entries(node.children)
    return seen


class Problems:
    """Every problem of a scenario, each with its place, in the order found: the binder reports
    them all at once rather than stopping at the first."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.found)


Spec = TypeVar("Spec")


class NameResolver:
    """Finds the BPMN element a scenario key names; reports unknown, ambiguous and misplaced
    names to `problems`."""

    def __init__(self, model: ProcessModel, problems: Problems) -> None:
        self.model = model
        self.problems = problems

    def entries(self, section: str, entries: Mapping[str, Spec], accept: Callable[[Node], bool],
                kind: str) -> Iterator[tuple[str, str, Spec, Node]]:
        """(key, place, spec, node) of each entry of a scenario section whose key names a node
        `accept` takes; unknown names and a second entry for the same node are reported."""
        given: dict[str, str] = {}
        for key, spec in entries.items():
            where = f"{section}.{key}"
            node = self.resolve(key, where, accept, kind, section_hint)
            if node is None:
                continue
            if node.id in given:
                self.problems.add(where, f"{node.label} is already given as {section}."
                                         f"{given[node.id]}; merge the two entries")
                continue
            given[node.id] = key
            yield key, where, spec, node

    def resolve(self, key: str, where: str, accept: Callable[[Node], bool], kind: str,
                hint: Callable[[Node], str]) -> Node | None:
        """The node `key` names (id, else folded name) among those `accept` takes."""
        model = self.model
        node = model.nodes.get(key)
        if node is not None:
            if accept(node):
                return node
            self.problems.add(where, f"{node.label} is {kind_words(node)}, not {kind}"
                                     f"{hint(node)}")
            return None
        found = model.find(key)
        good = [n for n in found if accept(n)]
        if len(good) == 1:
            return good[0]
        if len(good) > 1:
            ids = ", ".join(f"{n.id} ({n.tag})" for n in good)
            self.problems.add(where, f"the name {key!r} is ambiguous: {ids} carry it; write the "
                                     f"id instead")
            return None
        if found:
            n = found[0]
            self.problems.add(where, f"{n.label} is {kind_words(n)}, not {kind}{hint(n)}")
            return None
        names = [n.name for n in model.nodes.values() if accept(n) and n.name]
        names += [n.id for n in model.nodes.values() if accept(n)]
        noun = kind.split(" ", 1)[-1]
        self.problems.add(where, f"no {noun} with the id or name {key!r} in the model"
                                 f"{closest(key, names)}")
        return None

    def key_of(self, node: Node) -> str:
        """How a message names an element the scenario does not mention: its name if unique."""
        if node.name and len(self.model.find(node.name)) == 1:
            return node.name
        return node.id


def section_hint(node: Node) -> str:
    """Where an element of `node`'s kind belongs in a scenario, for a misplaced key."""
    if node.kind.is_gateway:
        return "; gateways go under gateways:"
    if node.kind.is_event:
        return "; events go under events:"
    return "; activities go under activities:"
