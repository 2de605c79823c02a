"""A plain, slow statement of the replay search of leanproc.mining._replay, to test the fast one
against: the same moves, costs, prunings and queue order, on markings kept as sorted lists of
(flow, origin) tokens rebuilt at every move, every state's tokens computed when it is pushed
and every mode checked for being enabled."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

from leanproc.mining._replay import DEVIATION, Replayer, TraceReplay

PROGRESS = DEVIATION // 2
MAX_EXPANSIONS = 60_000


def _fire(tokens: list[tuple[int, int]], takes: Sequence[int], gives: Sequence[int],
          given: int | None) -> tuple[list[tuple[int, int]], int]:
    """Tokens after taking the earliest token of each flow in `takes` and putting one on each
    of `gives` (with origin `given`, or the latest origin taken when None); that origin."""
    rest = sorted(tokens)
    origin = -1
    for f in takes:
        mine = [t for t in rest if t[0] == f]
        if mine:
            rest.remove(mine[0])
            origin = max(origin, mine[0][1])
    out = origin if given is None else given
    return sorted(rest + [(g, out) for g in gives]), origin


def reference_replay(replayer: Replayer, trace: Sequence[str]) -> TraceReplay:
    n = len(trace)
    modes = replayer.modes
    start_tokens = sorted((f, -1) for f in replayer.initial)
    start = (0, tuple(f for f, _ in start_tokens))
    # key -> (cost, previous key, (kind, mode or position, origin), tokens)
    table: dict = {start: (0, None, None, start_tokens)}
    tie = itertools.count()
    heap = [(0, 0, next(tie), start)]

    def push(key: tuple, cost: int, prev: tuple, move: tuple, tokens: list) -> None:
        if key not in table or cost < table[key][0]:
            table[key] = (cost, prev, move, tokens)
            heapq.heappush(heap, (cost - PROGRESS * key[0], cost, next(tie), key))

    expansions = 0
    while heap:
        _, cost, _, key = heapq.heappop(heap)
        if cost > table[key][0]:
            continue
        pos = key[0]
        tokens = table[key][3]
        if pos == n and not tokens:
            return _path(replayer, table, key, n, cost)
        expansions += 1
        if expansions > MAX_EXPANSIONS:
            break
        need = trace[pos] if pos < n else None
        if pos < n:
            push((pos + 1, key[1]), cost + DEVIATION, key, ("log", pos, -1), tokens)
        present = {f for f, _ in tokens}
        for k, mode in enumerate(modes):
            if not all(t in present for t in mode.takes):
                continue
            if mode.label is None:
                if replayer._useful(mode, need):
                    new, origin = _fire(tokens, mode.takes, mode.gives, None)
                    push((pos, tuple(f for f, _ in new)), cost + 1, key, ("silent", k, origin),
                         new)
                continue
            if mode.label == need:
                new, origin = _fire(tokens, mode.takes, mode.gives, pos)
                push((pos + 1, tuple(f for f, _ in new)), cost, key, ("sync", k, origin), new)
            new, origin = _fire(tokens, mode.takes, mode.gives, None)
            push((pos, tuple(f for f, _ in new)), cost + DEVIATION, key, ("model", k, origin),
                 new)
    return TraceReplay(enabled_by=[i - 1 for i in range(n)], ok=False)


def _path(replayer: Replayer, table: dict, key: tuple, n: int, cost: int) -> TraceReplay:
    out = TraceReplay(enabled_by=[i - 1 for i in range(n)], cost=cost)
    while table[key][1] is not None:
        _, prev, (kind, k, origin), _ = table[key]
        if kind == "log":
            out.log_moves.append(k)
        else:
            mode = replayer.modes[k]
            if kind == "sync":
                out.enabled_by[prev[0]] = origin
            if kind == "model":
                out.model_moves.append(mode.node)
            if mode.choice_flow is not None:
                choice = (mode.node, mode.choice_flow)
                out.chosen[choice] = out.chosen.get(choice, 0) + 1
        key = prev
    out.log_moves.sort()
    return out
