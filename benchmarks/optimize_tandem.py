"""The optimiser against queueing theory: tandem M/M/c lines whose optimum Erlang C gives.

Three stations in a line (Poisson arrivals every 60 s on average; exponential service of mean
90, 150 and 40 s; 100, 150 and 300 RUB per hour per server; no calendars: 24/7), 1 to 8
servers each (512 candidates). By Jackson's theorem the mean lead time is the sum over the
stations of the M/M/c mean wait (Erlang C) and the service time, so the cheapest staffing that
meets ``lead_time.mean <= T`` is known exactly for every T. For each target level the script

* runs the heuristic search with `--seeds` seeds and counts how often it returns the analytic
  optimum (the acceptance bar: 19 of 20);
* runs the exhaustive search (``exhaustive_limit`` above the grid) with the first
  `--exhaustive-seeds` seeds and checks that it returns what the heuristic returned;
* prints how far the optimum's lead time lies inside the target and how far the next-cheaper
  candidates lie outside it (the levels avoid optima within a hair of the bound);
* with ``--processes``, checks that local processes (executor=None) give the same table as
  running in this process.

    PYTHONPATH=src python benchmarks/optimize_tandem.py --seeds 20 --exhaustive-seeds 1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import pandas as pd

from helpers import tandem
from leanproc import optimize

IA, SERVICES, RATES = 60.0, [90.0, 150.0, 40.0], [100.0, 150.0, 300.0]
TOP = 8
LEVELS = (455.0, 545.0, 635.0, 1000.0)  # seconds; margins printed below


def run(level: float, seed: int, cases: int, *, exhaustive: bool = False,
        executor: str | None = "local", warmup: str | None = None
        ) -> tuple[tuple[int, ...] | None, int, float, object]:
    sc = tandem.scenario(IA, SERVICES, RATES, cases, warmup)
    t0 = time.perf_counter()
    r = optimize(sc, tandem.model(3),
                 decisions={f"resources.p{i + 1}.count": range(1, TOP + 1) for i in range(3)},
                 targets={"lead_time.mean": f"<= {level:g}s"}, objective="staff_cost.per_year",
                 seed=seed, executor=executor, exhaustive_limit=TOP ** 3 if exhaustive else 64)
    best = tuple(r.best.values()) if r.best is not None else None
    return best, r.runs, time.perf_counter() - t0, r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--exhaustive-seeds", type=int, default=1)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--levels", type=float, nargs="*", default=list(LEVELS))
    parser.add_argument("--warmup", default=None, help="e.g. 3h: cases starting earlier "
                        "are left out of the KPIs (the line starts empty)")
    parser.add_argument("--processes", action="store_true")
    args = parser.parse_args()
    grid = [range(1, TOP + 1)] * 3
    rows = []
    for level in args.levels:
        expected, lead, excess = tandem.analytic_optimum(IA, SERVICES, RATES, grid, level)
        print(f"target {level:g} s: analytic optimum {expected}, lead time {lead:.1f} s "
              f"({(level - lead) / level:.1%} inside); next-cheaper candidates at least "
              f"{excess:.1%} above the target", flush=True)
        hits, runs, secs = 0, [], []
        for seed in range(1, args.seeds + 1):
            best, n, t, _ = run(level, seed, args.cases, warmup=args.warmup)
            hits += best == expected
            runs.append(n)
            secs.append(t)
            print(f"  seed {seed}: heuristic {best}, {n} runs, {t:.0f} s", flush=True)
        agree = 0
        for seed in range(1, args.exhaustive_seeds + 1):
            full, n_full, t_full, _ = run(level, seed, args.cases, exhaustive=True,
                                          warmup=args.warmup)
            heur, _, _, _ = run(level, seed, args.cases, warmup=args.warmup)
            agree += full == heur
            print(f"  seed {seed}: exhaustive {full} ({n_full} runs, {t_full:.0f} s), "
                  f"heuristic {heur}", flush=True)
        rows.append({"target_s": level, "optimum": expected, "hits": f"{hits}/{args.seeds}",
                     "runs_mean": sum(runs) / max(len(runs), 1),
                     "seconds_mean": sum(secs) / max(len(secs), 1),
                     "exhaustive_agrees": f"{agree}/{args.exhaustive_seeds}"})
        print(rows[-1], flush=True)
    if args.processes:
        _, _, t_local, local = run(args.levels[0], 1, args.cases, warmup=args.warmup)
        _, _, t_pool, pool = run(args.levels[0], 1, args.cases, executor=None,
                                 warmup=args.warmup)
        same = local.table().equals(pool.table())  # type: ignore[attr-defined]
        print(f"local {t_local:.0f} s, processes {t_pool:.0f} s: same table: {same}")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
