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
receipt log's mined model (103 nodes, 116 variants) every case replays, in about 2.6 s, where
pm4py's token replay of the unreduced net takes 19 s and fits 12 % of the cases.

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

from leanproc.bpmn.model import Activity, Kind, ProcessModel

__all__ = ["DEVIATION", "Replayer", "TraceReplay", "fold"]

DEVIATION = 1000
_MAX_EXPANSIONS = 60_000
# Progress bonus per replayed event in the search order: the search dives towards the end of
# the trace (uniform cost among moves at the same position) instead of exploring every cheap
# interleaving first. Half a deviation, so a log move never looks like progress.
_PROGRESS = DEVIATION // 2

# A marking: (flow, origin) pairs sorted; a search entry: (cost, previous key, move, tokens).
_Tokens = tuple[tuple[int, int], ...]
_Entry = tuple[int, "tuple[int, tuple[int, ...]] | None", "tuple | None", _Tokens]

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
    """Compiles a flat BPMN model once and replays trace variants on it."""

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
        self._single: dict[int, list[int]] = {}
        self._joins: dict[int, list[int]] = {}
        self._needs: dict[int, frozenset[int]] = {}
        for k, m in enumerate(modes):
            needs = frozenset(m.takes)
            if len(needs) == 1:
                self._single.setdefault(m.takes[0], []).append(k)
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

        A search state is keyed by (position in the trace, sorted flows holding a token); its
        entry in `table` holds (cost, previous key, move, tokens), the tokens being the
        (flow, origin) pairs of the cheapest path found to it, sorted. Keeping them sorted
        as moves add and remove tokens (bisection, no re-sorting) makes the flows tuple the
        state's key as it stands; which of two equally cheap paths is kept, and the order
        in which states are expanded, follow from the push order alone.
        """
        n = len(trace)
        start = (0, self.initial)
        table: dict[tuple[int, tuple[int, ...]], _Entry] = {
            start: (0, None, None, tuple((f, -1) for f in self.initial))}
        tie = itertools.count()
        heap: list[tuple[int, int, int, tuple[int, tuple[int, ...]]]] = [(0, 0, next(tie), start)]
        modes = self.modes
        enabled_cache: dict[tuple[int, ...], list[int]] = {}

        def push(key: tuple[int, tuple[int, ...]], tokens: _Tokens, cost: int,
                 prev: tuple[int, tuple[int, ...]], move: tuple) -> None:
            entry = table.get(key)
            if entry is None or cost < entry[0]:
                table[key] = (cost, prev, move, tokens)
                heapq.heappush(heap, (cost - _PROGRESS * key[0], cost, next(tie), key))

        expansions = 0
        while heap:
            _, cost, _, key = heapq.heappop(heap)
            if cost > table[key][0]:
                continue
            pos, flows = key
            tokens = table[key][3]
            if pos == n and not tokens:
                return self._result(key, table, n, cost)
            expansions += 1
            if expansions > _MAX_EXPANSIONS:
                break
            # a log move: the event at `pos` is not in the model's behaviour here
            need = trace[pos] if pos < n else None
            if pos < n:
                push((pos + 1, flows), tokens, cost + DEVIATION, key, ("log", pos))
            useful = self._useful_modes(need)
            enabled = enabled_cache.get(flows)
            if enabled is None:
                enabled = enabled_cache[flows] = self._enabled(flows)
            for k in enabled:
                mode = modes[k]
                label = mode.label
                if label is None and k not in useful:
                    continue
                rest_flows, rest_tokens, origin = _consume(flows, tokens, mode.takes)
                if label is not None and label == need:
                    new_flows, new_tokens = _give(rest_flows, rest_tokens, mode.gives, pos)
                    push((pos + 1, new_flows), new_tokens, cost, key, ("sync", k, origin))
                step = DEVIATION if label is not None else 1
                new_flows, new_tokens = _give(rest_flows, rest_tokens, mode.gives, origin)
                push((pos, new_flows), new_tokens, cost + step, key,
                     ("model" if label is not None else "silent", k, origin))
        return TraceReplay(enabled_by=[i - 1 for i in range(n)], ok=False)

    def _enabled(self, flows: tuple[int, ...]) -> list[int]:
        """The modes that can fire with tokens on `flows`, in index order."""
        present = set(flows)
        out = []
        joins = set()
        for f in present:
            out.extend(self._single.get(f, ()))
            joins.update(self._joins.get(f, ()))
        out.extend(k for k in joins if self._needs[k] <= present)
        out.sort()
        return out

    def _result(self, key: tuple, table: dict, n: int, cost: int) -> TraceReplay:
        out = TraceReplay(enabled_by=[i - 1 for i in range(n)], cost=cost)
        while True:
            _, prev, move, _ = table[key]
            if prev is None:
                break
            kind = move[0]
            if kind == "log":
                out.log_moves.append(move[1])
            else:
                mode = self.modes[move[1]]
                if kind == "sync":
                    out.enabled_by[prev[0]] = move[2]
                elif kind == "model":
                    out.model_moves.append(mode.node)
                if mode.choice_flow is not None:
                    k = (mode.node, mode.choice_flow)
                    out.chosen[k] = out.chosen.get(k, 0) + 1
            key = prev
        out.log_moves.sort()
        return out


def _consume(flows: tuple[int, ...], tokens: _Tokens,
             takes: tuple[int, ...]) -> tuple[list[int], list[tuple[int, int]], int]:
    """The flows and tokens left after taking one token from each flow in `takes` (the
    earliest origin first: the first of the flow's run, as tokens are sorted), and the latest
    origin taken."""
    rest_flows = list(flows)
    rest = list(tokens)
    origin = -1
    for f in takes:
        i = bisect.bisect_left(rest_flows, f)
        if i < len(rest_flows) and rest_flows[i] == f:
            if rest[i][1] > origin:
                origin = rest[i][1]
            del rest_flows[i], rest[i]
    return rest_flows, rest, origin


def _give(rest_flows: list[int], rest: list[tuple[int, int]], gives: tuple[int, ...],
          origin: int) -> tuple[tuple[int, ...], _Tokens]:
    """`rest` plus one token of `origin` on each flow in `gives`, kept sorted (the lists are
    not changed: a sync move and a model move of one mode both start from them)."""
    flows = rest_flows.copy()
    tokens = rest.copy()
    for g in gives:
        token = (g, origin)
        i = bisect.bisect_right(tokens, token)
        tokens.insert(i, token)
        flows.insert(i, g)
    return tuple(flows), tuple(tokens)
