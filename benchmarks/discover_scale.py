"""Discovery and calibration on a log with hundreds of activities, timed.

Generates a synthetic but process-like event log: a random block-structured process of
``--activities`` activities (default 320) in stages run one after another, each stage a short
sequence, an exclusive choice with skewed shares (some with a skip), a parallel block of two or
three branches, or a rework loop; plus a few rare activities inserted into about 1 % of the
cases, as real logs carry. Cases arrive on weekdays during office hours, each activity takes a
lognormal time of one of the stage's resources, and parallel branches run at the same time.

Then ``discover(log)`` and ``calibrate(model, log)`` run on it and the script prints the wall
seconds of each, what discovery dropped, and the calibration's replay fitness. Usage::

    python benchmarks/discover_scale.py                       # 320 activities, 1,000 cases
    python benchmarks/discover_scale.py --activities 400 --cases 2000
    python benchmarks/discover_scale.py --write /tmp/big.csv  # keep the log

Measured on the 2-core development machine (shared, load about 2-3), defaults: 174,039 events,
1,000 cases, 340 activities, 1,000 variants; discover 10.1 s (7 rare and 10 side-task
activities left out, 0.86 % of the events; the inductive miner used 9 processor seconds in
its child process), calibrate 37.8 s (97.7 s before the replay kept its markings sorted and
numbered: benchmarks/bench_replay.py), replaying 99.1 % of the events (17.7 % of the cases
without any deviation: the recording noise touches most long cases); 47.8 s in all. Without
the side-task filter the inductive miner did not finish in 5 minutes.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

_START = pd.Timestamp("2024-01-08 09:00", tz="Europe/Moscow")


@dataclass(frozen=True)
class _Block:
    """One node of the generated process tree: ``act`` (a leaf), ``seq``, ``xor``, ``and``,
    ``loop`` (children[0] the body, children[1] the rework, repeated with `p`)."""

    op: str
    name: str = ""
    children: tuple[_Block, ...] = ()
    weights: tuple[float, ...] = ()
    p: float = 0.0


def _process(n_activities: int, rng: np.random.Generator) -> tuple[_Block, list[str]]:
    """A random block-structured process of `n_activities` named activities."""
    made: list[str] = []

    def act(stage: int, i: int) -> _Block:
        name = f"S{stage:02d} activity {i:02d}"
        made.append(name)
        return _Block("act", name)

    stages: list[_Block] = []
    stage = 0
    while len(made) < n_activities:
        stage += 1
        kind = rng.choice(["seq", "xor", "and", "loop"], p=[0.15, 0.55, 0.15, 0.15])
        counter = iter(range(1, 100))
        if kind == "seq":
            stages.append(_Block("seq", children=tuple(act(stage, next(counter))
                                                       for _ in range(rng.integers(2, 5)))))
        elif kind == "xor":
            k = int(rng.integers(2, 5))
            branches = [_Block("seq", children=tuple(act(stage, next(counter))
                                                     for _ in range(rng.integers(1, 4))))
                        for _ in range(k)]
            if rng.random() < 0.3:  # an optional stage: some cases skip it
                branches.append(_Block("seq"))
            w = rng.dirichlet(np.full(len(branches), 1.5))
            stages.append(_Block("xor", children=tuple(branches), weights=tuple(w)))
        elif kind == "and":
            branches = [_Block("seq", children=tuple(act(stage, next(counter))
                                                     for _ in range(rng.integers(1, 4))))
                        for _ in range(int(rng.integers(2, 4)))]
            stages.append(_Block("and", children=tuple(branches)))
        else:
            body = _Block("seq", children=tuple(act(stage, next(counter))
                                                for _ in range(rng.integers(1, 3))))
            stages.append(_Block("loop", children=(body, act(stage, next(counter))),
                                 p=float(rng.uniform(0.1, 0.3))))
    return _Block("seq", children=tuple(stages)), made


def make_log(*, activities: int = 320, cases: int = 1000, rare: int = 12,
             n_floating: int = 10, seed: int = 7) -> pd.DataFrame:
    """The generated log in leanproc's schema (case, activity, start, completion, resource)."""
    rng = np.random.default_rng(seed)
    tree, names = _process(activities, rng)
    mean_h = {n: float(rng.uniform(0.2, 3.0)) for n in names}
    rare_names = [f"Rare exception {i:02d}" for i in range(1, rare + 1)]
    floating = [f"Side task {i:02d}" for i in range(1, n_floating + 1)]
    rows: list[tuple[str, str, pd.Timestamp, pd.Timestamp, str]] = []

    def play(block: _Block, case: str, t: float) -> float:
        """Append the rows of `block` starting at `t` (hours since _START); its end."""
        if block.op == "act":
            work = rng.lognormal(np.log(mean_h[block.name]), 0.5)
            wait = rng.exponential(0.5)
            start = t + wait
            end = start + work
            rows.append((case, block.name, start, end,
                         f"{block.name.split()[0]}-{int(rng.integers(1, 4))}"))
            return end
        if block.op == "seq":
            for child in block.children:
                t = play(child, case, t)
            return t
        if block.op == "xor":
            k = int(rng.choice(len(block.children), p=np.asarray(block.weights)))
            return play(block.children[k], case, t)
        if block.op == "and":
            return max(play(child, case, t) for child in block.children)
        t = play(block.children[0], case, t)
        while rng.random() < block.p:
            t = play(block.children[1], case, t)
            t = play(block.children[0], case, t)
        return t

    arrivals = np.cumsum(rng.exponential(3.0, size=cases))
    for i, at in enumerate(arrivals):
        case = f"case-{i + 1:05d}"
        first = len(rows)
        end = play(tree, case, float(at))
        if rng.random() < 0.01:
            rows.append((case, str(rng.choice(rare_names)), end + 0.1, end + 0.5, "rare-1"))
        for name in floating:  # side tasks done whenever someone gets to them
            if rng.random() < 0.15:
                at_h = float(rng.uniform(at, end))
                rows.append((case, name, at_h, at_h + 0.2, "office-1"))
        _disorder(rows, first, rng)
    frame = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "start",
                                        "end", "org:resource"])
    frame["start_timestamp"] = _START + pd.to_timedelta(frame.pop("start"), unit="h")
    frame["time:timestamp"] = _START + pd.to_timedelta(frame.pop("end"), unit="h")
    return frame.sort_values(["case:concept:name", "time:timestamp"],
                             kind="stable").reset_index(drop=True)


def _disorder(rows: list[Any], first: int, rng: np.random.Generator) -> None:
    """Recording noise in the case's rows ``rows[first:]``, as real logs have: in 10 % of the
    cases two neighbouring events were recorded in the wrong order, in 3 % one was not
    recorded at all."""
    n = len(rows) - first
    if n > 2 and rng.random() < 0.10:
        i = first + int(rng.integers(0, n - 1))
        a, b = rows[i], rows[i + 1]
        rows[i], rows[i + 1] = (*a[:2], b[2], b[3], a[4]), (*b[:2], a[2], a[3], b[4])
    if n > 2 and rng.random() < 0.03:
        del rows[first + int(rng.integers(0, n))]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=320)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", metavar="CSV", help="also write the generated log here")
    args = parser.parse_args(argv)

    from leanproc.mining import calibrate, discover

    log = make_log(activities=args.activities, cases=args.cases, seed=args.seed)
    if args.write:
        log.to_csv(args.write, index=False)
    print(f"log: {len(log)} events, {log['case:concept:name'].nunique()} cases, "
          f"{log['concept:name'].nunique()} activities, "
          f"{log.groupby('case:concept:name')['concept:name'].agg(tuple).nunique()} variants")
    t0 = time.perf_counter()
    found = discover(log)
    t1 = time.perf_counter()
    print(f"discover: {t1 - t0:.1f} s, {len(found.activities)} activities in the model")
    for note in found.notes:
        print(f"  {note}")
    fitted = calibrate(found, log)
    t2 = time.perf_counter()
    r = fitted.replay
    print(f"calibrate: {t2 - t1:.1f} s; replay fitness {r['fitting_share']:.1%} of cases, "
          f"{r['event_share']:.1%} of events")
    print(f"total: {t2 - t0:.1f} s")
    for warning in fitted.warnings:
        print(f"  warning: {warning}")
    return {"discover_s": t1 - t0, "calibrate_s": t2 - t1, **r}


if __name__ == "__main__":
    main()
