"""A 200-scenario sweep: in this process, on local processes (the default) and on Dask.

The grid is 10 staffing levels x 20 arrival rates of a three-step office process (300 cases per
point). Every executor must give the identical table; the script checks that and prints the
wall times:

    python benchmarks/bench_sweep.py            # needs the dask extra for the Dask column
"""

from __future__ import annotations

import sys
import time

import pandas as pd

sys.path.insert(0, "tests")


def main() -> None:
    from helpers.bpmn_text import chain
    from leanproc.bpmn import read_bpmn
    from leanproc.simulation.sweep import sweep

    model = read_bpmn(chain(["Register", "Check", "Decide"]))
    base = {
        "start": "2024-01-09T09:00+03:00",
        "calendar": "ru-5x8@Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "10min"}}, "cases": 300,
                     "calendar": "ru-5x8@Europe/Moscow"},
        "resources": {"clerk": {"count": 1}},
        "defaults": {"resource": "clerk", "duration": {"triangular": ["2min", "5min", "12min"]}},
    }
    grid = {
        "resources.clerk.count": list(range(1, 11)),
        "arrivals.interarrival": [{"exponential": {"mean": f"{m}min"}} for m in range(5, 25)],
    }
    timings = {}
    tables = {}
    for name, executor in (("local (one process)", "local"),
                           ("local processes (default)", None)):
        t0 = time.perf_counter()
        tables[name] = sweep(base, grid, model, seed=1, executor=executor)
        timings[name] = time.perf_counter() - t0
    try:
        import distributed
    except ImportError:
        print("dask not installed: pip install 'leanproc[dask]'")
    else:
        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            up = time.perf_counter() - t0
            t1 = time.perf_counter()
            tables["dask LocalCluster, 2 workers"] = sweep(base, grid, model, seed=1,
                                                           executor=client.get_executor())
            timings["dask LocalCluster, 2 workers"] = time.perf_counter() - t1
        print(f"(dask cluster start-up: {up:.1f} s, not counted)")
    reference = tables["local (one process)"]
    print(f"{len(reference)} runs ({reference['point'].nunique()} scenarios)")
    print(f"{'executor':<32} {'wall s':>8}  identical to one process")
    for name, seconds in timings.items():
        same = True
        try:
            pd.testing.assert_frame_equal(reference, tables[name])
        except AssertionError:
            same = False
        print(f"{name:<32} {seconds:>8.1f}  {same}")


if __name__ == "__main__":
    main()
