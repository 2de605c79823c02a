"""Engine speed: activity instances per second and peak memory.

The model is the one the issue names: ten tasks in a row on five resource pools, each pool on
the Russian production calendar (ru-5x8), exponential arrivals in working time, triangular and
lognormal durations. Run:

    python benchmarks/bench_simulate.py            # 10,000 and 100,000 cases
    python benchmarks/bench_simulate.py 1000000    # any case counts
    python benchmarks/bench_simulate.py --stream 1000000   # streaming mode (no event log)

Each size runs in a fresh process so that peak memory (ru_maxrss) belongs to that run alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

TASKS = 10
POOLS = 5


def bpmn_text() -> str:
    sys.path.insert(0, "tests")
    from helpers.bpmn_text import chain

    return chain([f"Step {i + 1}" for i in range(TASKS)])


def scenario(cases: int) -> dict:
    return {
        "start": "2024-01-09T09:00+03:00",
        "calendar": "ru-5x8@Europe/Moscow",
        "arrivals": {"interarrival": {"exponential": {"mean": "1.2min"}}, "cases": cases,
                     "calendar": "ru-5x8@Europe/Moscow"},
        "resources": {f"pool {k}": {"count": 6} for k in range(POOLS)},
        "activities": {
            f"Step {i + 1}": {
                "resource": f"pool {i % POOLS}",
                "duration": ({"triangular": ["1min", "3min", "6min"]} if i % 2 else
                             {"lognormal": {"mean": "3min", "sd": "1min"}}),
            }
            for i in range(TASKS)
        },
    }


def run(cases: int, stream: bool = False) -> dict:
    from leanproc.bpmn import read_bpmn
    from leanproc.simulation.run import simulate

    model = read_bpmn(bpmn_text())
    t0 = time.perf_counter()
    result = simulate(scenario(cases), model, seed=1, keep_log=not stream)
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    k = result.kpi.as_dict()
    kpi_wall = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cases": cases, "activity_instances": result.events, "wall_s": round(wall, 2),
            "instances_per_s": round(result.events / wall), "kpi_s": round(kpi_wall, 2),
            "peak_mb": round(peak_mb), "lead_time_h": round(k["lead_time.mean"] / 3600, 2)}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run(int(sys.argv[2]), stream=sys.argv[3:] == ["--stream"])))
        return
    stream = "--stream" in sys.argv
    sizes = [int(a) for a in sys.argv[1:] if a != "--stream"] or [10_000, 100_000]
    print("mode:", "streaming (keep_log=False)" if stream else "full event log")
    print(f"{'cases':>9} {'instances':>10} {'wall s':>7} {'inst/s':>8} {'kpi s':>6} "
          f"{'peak MB':>8} {'lead h':>7}")
    for n in sizes:
        extra = ["--stream"] if stream else []
        out = subprocess.run([sys.executable, __file__, "--one", str(n), *extra], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['cases']:>9} {r['activity_instances']:>10} {r['wall_s']:>7} "
              f"{r['instances_per_s']:>8} {r['kpi_s']:>6} {r['peak_mb']:>8} {r['lead_time_h']:>7}")


if __name__ == "__main__":
    main()
