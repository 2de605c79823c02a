"""Speed of ``kpis()`` on a generated log of 1,000,000 rows (100,000 cases x 10 activities).

Run from the repository root::

    python benchmarks/bench_kpi.py            # 100,000 cases
    python benchmarks/bench_kpi.py --cases 20000

Prints the seconds of each variant (best of ``--repeat`` runs) and the peak resident memory.
The log is built with numpy (not timed): Poisson arrivals over a year, ten sequential steps per
case with two of them in parallel, five roles with a handful of resources each.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from leanproc.kpi import kpis

TZ = "Europe/Moscow"
ROLES = ["intake", "clerk", "expert", "boss", "archive"]


def generate(n_cases: int, n_steps: int = 10, seed: int = 1) -> pd.DataFrame:
    """A log in the one schema with ``n_cases * n_steps`` rows."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2024-01-09 09:00", tz=TZ).value
    arrival = t0 + np.cumsum(rng.exponential(365 * 86400e9 / n_cases, n_cases)).astype(np.int64)
    n = n_cases * n_steps
    wait = rng.exponential(2 * 3600e9, n).astype(np.int64).reshape(n_cases, n_steps)
    work = rng.exponential(1800e9, n).astype(np.int64).reshape(n_cases, n_steps)
    enable = np.empty((n_cases, n_steps), dtype=np.int64)
    start = np.empty_like(enable)
    end = np.empty_like(enable)
    ready = arrival.copy()
    for k in range(n_steps):  # a loop over steps, not cases
        enable[:, k] = ready
        start[:, k] = ready + wait[:, k]
        end[:, k] = start[:, k] + work[:, k]
        # steps 3 and 4 run in parallel: step 4 is enabled with step 3
        if k != 3:
            ready = end[:, k] if k != 4 else np.maximum(end[:, 3], end[:, 4])
    case = np.repeat(np.arange(n_cases), n_steps)
    step = np.tile(np.arange(n_steps), n_cases)
    role = step % len(ROLES)
    ids = pd.Index([f"case-{i:06d}" for i in range(n_cases)])

    def col(a: np.ndarray) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(a.ravel().view("datetime64[ns]"), tz="UTC").tz_convert(TZ)

    return pd.DataFrame(
        {
            "case:concept:name": ids[case],
            "concept:name": pd.Index([f"step {k}" for k in range(n_steps)])[step],
            "enable_timestamp": col(enable),
            "start_timestamp": col(start),
            "time:timestamp": col(end),
            "org:role": pd.Index(ROLES)[role],
            "org:resource": [
                f"{ROLES[r]}#{x}" for r, x in zip(role, rng.integers(0, 4, n), strict=True)
            ],
        }
    )


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t = time.perf_counter()
    log = generate(args.cases)
    print(f"generated {len(log):,} rows, {args.cases:,} cases in {time.perf_counter() - t:.1f} s")

    from leanproc.calendar import Calendar

    ru = Calendar.parse("ru-5x8@Europe/Moscow")
    kpis(log.head(1000), ru)  # warm imports and the calendar's holiday tables
    variants = {
        "kpis(log)": lambda: kpis(log),
        "kpis(log, ru-5x8)": lambda: kpis(log, ru),
        "kpis(log, ru-5x8, sla, warmup, value_activities)": lambda: kpis(
            log, ru, sla=["24h", "3wd"], warmup="7d", value_activities=["step 2", "step 5"]
        ),
    }
    for name, fn in variants.items():
        print(f"{name:<52} {best_of(args.repeat, fn):6.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak_mb:,.0f} MB")
    report = kpis(log, ru, sla="3wd")
    print(report)


if __name__ == "__main__":
    main()
