"""Replaying log traces on a BPMN model: which flows each case took, and what enabled each event.

Calibration needs two things a plain event log does not state: how often each outgoing flow of
an exclusive split was taken (branch probabilities, also through gateways that lead to other
gateways, skips and loops), and when each activity instance became ready (the completion of the
activity that handed it its token, not merely the previous row: in a parallel block the previous
row belongs to the other branch).

pm4py's alignments give both, but on the unreduced Petri net of a mined model (hundreds of
silent transitions) they take minutes. This module replays directly on the sequence-flow graph:
a best-first search per trace variant over (position in the trace, tokens on flows), where a
move that matches the next event costs 0, a silent move (gateway, event) costs 1 and a deviation
(skipping an event of the log, or firing a model activity the log lacks) costs `DEVIATION`. Two
prunings keep it fast on mined models with dozens of silent gateways: a silent move is tried only
if it brings a token strictly closer (in silent steps) to an input of the next activity of the
trace, or to an end; and the search order rewards progress along the trace, so it dives to the
end of the trace, cheapest moves first at each position, instead of exploring every interleaving
of concurrent tokens. The result is a complete replay with few silent steps and as few
deviations as the search finds: an approximate alignment, restricted to flat models. On the
receipt log's mined model (79 nodes, 116 variants) the replay takes about 0.3 s; on an earlier
mined model of it (103 nodes) pm4py's token replay of the unreduced net took 19 s and fitted
12 % of the cases. The search's own costs are kept low by numbering the markings it meets and
keeping the moves out of each (traces of a log revisit the same few), by keeping tokens sorted
as moves change them, and by working out a state's tokens only when it is expanded.

Semantics (BPMN token game): an activity or event takes one token from any incoming flow and
puts one on every outgoing flow; an exclusive, inclusive, complex or event-based gateway takes
one token and puts one on one outgoing flow (inclusive splits are thus read as exclusive ones:
an approximation the calibration report notes); a parallel gateway takes one from every
incoming flow and puts one on every outgoing flow. Expanded subprocesses are passed through as
one silent step (their content is not replayed); boundary events never fire.

Tokens carry an *origin*: the position, in the trace, of the event whose completion produced
them (-1: the case start). Since a trace is ordered by completion, the latest of several origins
is the largest position, so a join's origin is the maximum of its inputs'.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from leanproc.bpmn.model import Activity, Kind, ProcessModel

__all__ = ["DEVIATION", "Replayer", "TraceReplay", "fold"]

DEVIATION = 1000
_MAX_EXPANSIONS = 60_000
# Progress bonus per replayed event in the search order: the search dives towards the end of
# the trace (uniform cost among moves at the same position) instead of exploring every cheap
# interleaving first. Half a deviation, so a log move never looks like progress.
_PROGRESS = DEVIATION // 2

# Markings a Replayer keeps numbered, with the moves out of them, from one search to the next
# (beyond, it starts afresh before the next search). Measured: helpdesk's discovered model
# meets 30,572 markings of about 6 flows (14 MB), the 340-activity generated log 23,059 of
# about 45 flows (16 MB); so 50,000 stay well under 100 MB.
_MARKINGS_KEPT = 50_000
# A search state's key: (position in the trace, marking number).
_Key = tuple[int, int]
# A marking: its (flow, origin) pairs, sorted.
_Tokens = tuple[tuple[int, int], ...]
# A search state's entry: [cost, previous key, move kind ("start", "log", "sync", "silent",
# "model"), mode index (the event's position for a log move), the previous state's tokens,
# this state's tokens (None until it is expanded), the latest origin the move took].
_Entry = list[Any]
# Below every origin (-1 is the case start): (flow, _NO_ORIGIN) sorts before flow's tokens.
_NO_ORIGIN = -2

_CHOICE = (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY, Kind.COMPLEX_GATEWAY,
           Kind.EVENT_BASED_GATEWAY)


def fold(text: str) -> str:
    """How activity names are compared between a model and a log: spaces and case folded."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class _Mode:
    """One way a node can fire: consume `takes`, produce `gives` (flow indices)."""

    node: str
    takes: tuple[int, ...]
    gives: tuple[int, ...]
    label: str | None  # folded activity name; None for silent moves
    choice_flow: str | None  # the outgoing flow chosen at a split, if this mode is a choice


@dataclass
class TraceReplay:
    """The cheapest replay of one trace variant.

    `enabled_by[i]` is the position of the event whose completion enabled event i (-1: the case
    start); `chosen` counts (gateway id, flow id) choices at splits; `log_moves` are positions
    of events the model could not replay, `model_moves` the model activities fired without a
    log event; `ok` is False when the search gave up (the variant is then left out of counts).
    """

    enabled_by: list[int]
    chosen: dict[tuple[str, str], int] = field(default_factory=dict)
    log_moves: list[int] = field(default_factory=list)
    model_moves: list[str] = field(default_factory=list)
    cost: int = 0
    ok: bool = True

    @property
    def fits(self) -> bool:
        return self.ok and not self.log_moves and not self.model_moves


class Replayer:
    """Compiles a flat BPMN model once and replays trace variants on it (one at a time: the
    markings it meets are kept from one trace to the next, so one Replayer is not shared
    between threads)."""

    def __init__(self, model: ProcessModel) -> None:
        self.model = model
        self.flow_index: dict[str, int] = {}
        self.notes: list[str] = []
        modes: list[_Mode] = []
        initial: list[int] = []
        n_virtual = itertools.count()

        def flow(fid: str) -> int:
            return self.flow_index.setdefault(fid, len(self.flow_index))

        top = [n for n in model.nodes.values() if n.parent_id is None]
        nested = [n for n in model.nodes.values() if n.parent_id is not None]
        if nested:
            self.notes.append(f"{len(nested)} element(s) inside subprocesses are not replayed: "
                              f"each subprocess counts as one silent step")
        for node in top:
            if node.kind == Kind.BOUNDARY_EVENT:
                continue
            ins = [flow(f) for f in node.incoming if f in model.flows]
            outs = [flow(f) for f in node.outgoing if f in model.flows]
            label = None
            if node.kind in (Kind.TASK, Kind.CALL_ACTIVITY) and node.name:
                label = fold(node.name)
            if not ins:
                if node.kind == Kind.START_EVENT:
                    initial.extend(outs)
                    continue
                if isinstance(node, Activity) and node.is_for_compensation:
                    continue
                virtual = flow(f"__entry_{next(n_virtual)}")
                initial.append(virtual)
                ins = [virtual]
            if node.kind == Kind.PARALLEL_GATEWAY:
                modes.append(_Mode(node.id, tuple(ins), tuple(outs), None, None))
            elif node.kind in _CHOICE and len(outs) > 1:
                ids = [f for f in node.outgoing if f in model.flows]
                for i in ins:
                    for fid in ids:
                        modes.append(_Mode(node.id, (i,), (self.flow_index[fid],), None, fid))
            else:
                for i in ins:
                    modes.append(_Mode(node.id, (i,), tuple(outs), label, None))
        self.modes = modes
        self.initial = tuple(sorted(initial))
        # for `_enabled`: per flow, the modes taking only from it, and the modes that also
        # need tokens on other flows (parallel joins), with the set of flows they need
        self._single: list[list[int]] = [[] for _ in self.flow_index]
        self._joins: dict[int, list[int]] = {}
        self._needs: dict[int, frozenset[int]] = {}
        for k, m in enumerate(modes):
            needs = frozenset(m.takes)
            if len(needs) == 1:
                self._single[m.takes[0]].append(k)
            else:
                self._needs[k] = needs
                for f in needs:
                    self._joins.setdefault(f, []).append(k)
        self.labels = {m.label for m in modes if m.label is not None}
        # Silent moves are only tried when they bring a token closer to what the trace needs
        # next (an input flow of the next activity, or an end): this keeps the search to the
        # few markings that matter instead of every interleaving of concurrent tokens.
        self._toward: dict[str | None, dict[int, int]] = {}
        ends = {f for m in modes if m.label is None and not m.gives for f in m.takes}
        self._toward[None] = self._backward(ends)
        for label in self.labels:
            inputs = {f for m in modes if m.label == label for f in m.takes}
            self._toward[label] = self._backward(inputs)
        self._useful_cache: dict[str | None, frozenset[int]] = {}
        # the markings met so far, numbered, and the moves out of each (`_successors`)
        self._marking_ids: dict[tuple[int, ...], int] = {}
        self._markings: list[tuple[int, ...]] = []
        self._successor_lists: list[list[tuple[int, str | None, int]] | None] = []
        if any(n.kind == Kind.INCLUSIVE_GATEWAY and len(n.outgoing) > 1 for n in top):
            self.notes.append("inclusive splits are replayed as exclusive choices")

    def _backward(self, goal: set[int]) -> dict[int, int]:
        """Silent steps from each flow to the nearest flow in `goal` (flows that cannot reach
        it are absent)."""
        dist = dict.fromkeys(goal, 0)
        frontier = list(goal)
        while frontier:
            nxt = []
            for m in self.modes:
                if m.label is not None:
                    continue
                best = min((dist[g] for g in m.gives if g in dist), default=None)
                if best is None:
                    continue
                for t in m.takes:
                    if t not in dist:
                        dist[t] = best + 1
                        nxt.append(t)
            frontier = nxt
        return dist

    def _useful(self, mode: _Mode, need: str | None) -> bool:
        """Whether a silent `mode` moves a token strictly closer to what is needed next."""
        if need is None and not mode.gives:
            return True
        dist = self._toward.get(need)
        if not dist:
            return False
        here = min((dist.get(t, 1 << 30) for t in mode.takes), default=1 << 30)
        there = min((dist.get(g, 1 << 30) for g in mode.gives), default=1 << 30)
        return there < here

    def _useful_modes(self, need: str | None) -> frozenset[int]:
        """The silent modes `_useful` for `need`, worked out once per activity name."""
        found = self._useful_cache.get(need)
        if found is None:
            found = self._useful_cache[need] = frozenset(
                k for k, m in enumerate(self.modes) if m.label is None and self._useful(m, need))
        return found

    # ------------------------------------------------------------------------------------------
    def replay(self, trace: Sequence[str]) -> TraceReplay:
        """The cheapest replay of `trace` (folded activity names, in completion order).

        A search state is keyed by (position in the trace, marking number: `_marking`). Most
        states pushed are never expanded (a model move costs a deviation), so a state's tokens
        with their origins are worked out only when it is expanded, from its parent's tokens
        and the move (`_Entry`); the key alone is computed at push time.
        """
        if len(self._markings) > _MARKINGS_KEPT:  # start afresh, between two searches
            self._marking_ids.clear()
            self._markings.clear()
            self._successor_lists.clear()
        n = len(trace)
        start = (0, self._marking(self.initial))
        table: dict[_Key, _Entry] = {
            start: [0, None, "start", -1, (), tuple((f, -1) for f in self.initial), -1]}
        tie = itertools.count()
        heap: list[tuple[int, int, int, _Key]] = [(0, 0, next(tie), start)]
        expansions = 0

        def push(key: _Key, cost: int, prev: _Key, kind: str, k: int, tokens: _Tokens) -> None:
            """Record and queue a state, unless it was reached as cheaply before (the first of
            equally cheap paths is kept). The queue order: cost less the progress bonus, then
            cost, then the order of pushing."""
            known = table.get(key)
            if known is None or cost < known[0]:
                table[key] = [cost, prev, kind, k, tokens, tokens if kind == "log" else None, -1]
                heapq.heappush(heap, (cost - _PROGRESS * key[0], cost, next(tie), key))

        while heap:
            _, cost, _, key = heapq.heappop(heap)
            entry = table[key]
            if cost > entry[0]:
                continue
            pos, marking = key
            tokens = entry[5] if entry[5] is not None else self._tokens_of(entry)
            if pos == n and not tokens:
                return self._result(key, table, n, cost)
            expansions += 1
            if expansions > _MAX_EXPANSIONS:
                break
            need = trace[pos] if pos < n else None
            # a log move: the event at `pos` is not in the model's behaviour here
            if pos < n:
                push((pos + 1, marking), cost + DEVIATION, key, "log", pos, tokens)
            useful = self._useful_modes(need)
            for k, label, after in self._successors(marking):
                if label is None:
                    if k in useful:
                        push((pos, after), cost + 1, key, "silent", k, tokens)
                    continue
                if label == need:
                    push((pos + 1, after), cost, key, "sync", k, tokens)
                push((pos, after), cost + DEVIATION, key, "model", k, tokens)
        return TraceReplay(enabled_by=[i - 1 for i in range(n)], ok=False)

    def _marking(self, flows: tuple[int, ...]) -> int:
        """The number of the marking with tokens on `flows` (sorted): search keys hold it
        rather than the flows, as a key is hashed at every push."""
        found = self._marking_ids.get(flows)
        if found is None:
            found = self._marking_ids[flows] = len(self._markings)
            self._markings.append(flows)
            self._successor_lists.append(None)
        return found

    def _tokens_of(self, entry: _Entry) -> _Tokens:
        """The tokens of an expanded state reached by a mode's move (kept in `entry`, with the
        origin the move took): the parent's, less one token (the earliest) from each flow the
        mode takes, plus one on each flow it gives, whose origin is the event matched by a
        sync move and otherwise the latest origin taken."""
        _, prev, kind, k, parent_tokens, _, _ = entry
        mode = self.modes[k]
        rest = list(parent_tokens)
        origin = -1
        for f in mode.takes:
            i = bisect.bisect_left(rest, (f, _NO_ORIGIN))
            if i < len(rest) and rest[i][0] == f:
                origin = max(origin, rest.pop(i)[1])
        given = prev[0] if kind == "sync" else origin
        for g in mode.gives:
            bisect.insort(rest, (g, given))
        tokens = entry[5] = tuple(rest)
        entry[6] = origin
        return tokens

    def _successors(self, marking: int) -> list[tuple[int, str | None, int]]:
        """(mode index, label, marking after it fires) for each mode enabled in `marking`, in
        index order. Traces of one log revisit the same few markings (on the 340-activity
        generated log, 200 variants expand 100,000 states over 1,507 distinct markings), so
        this is worked out once per marking."""
        found = self._successor_lists[marking]
        if found is None:
            flows = self._markings[marking]
            found = self._successor_lists[marking] = [
                (k, self.modes[k].label,
                 self._marking(_moved(flows, self.modes[k].takes, self.modes[k].gives)))
                for k in self._enabled(flows)]
        return found

    def _enabled(self, flows: tuple[int, ...]) -> list[int]:
        """The modes that can fire with tokens on `flows`, in index order."""
        present = set(flows)
        single = self._single
        out = [k for f in present for k in single[f]]
        joins = {k for f in present.intersection(self._joins) for k in self._joins[f]}
        out.extend(k for k in joins if self._needs[k] <= present)
        out.sort()
        return out

    def _result(self, key: _Key, table: dict[_Key, _Entry], n: int, cost: int) -> TraceReplay:
        out = TraceReplay(enabled_by=[i - 1 for i in range(n)], cost=cost)
        while True:
            _, prev, kind, k, _, _, origin = table[key]
            if prev is None:
                break
            if kind == "log":
                out.log_moves.append(k)
            else:  # every state on the path was expanded, so `origin` is known
                mode = self.modes[k]
                if kind == "sync":
                    out.enabled_by[prev[0]] = origin
                elif kind == "model":
                    out.model_moves.append(mode.node)
                if mode.choice_flow is not None:
                    choice = (mode.node, mode.choice_flow)
                    out.chosen[choice] = out.chosen.get(choice, 0) + 1
            key = prev
        out.log_moves.sort()
        return out


def _moved(flows: tuple[int, ...], takes: tuple[int, ...],
           gives: tuple[int, ...]) -> tuple[int, ...]:
    """The sorted flows holding a token after a move that takes from `takes` and gives to
    `gives` (a flow listed twice in `takes` loses two tokens, if it has them)."""
    rest = list(flows)
    for f in takes:
        i = bisect.bisect_left(rest, f)
        if i < len(rest) and rest[i] == f:
            del rest[i]
    for g in gives:
        bisect.insort(rest, g)
    return tuple(rest)
