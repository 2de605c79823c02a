"""Speed of the working-time calendar.

    python benchmarks/bench_calendar.py [--rows 1000000] [--calls 200000]

Measures, for ru-5x8@Asia/Tomsk over 2024-2025:
* `Calendar.working_seconds` on N pairs of instants (the KPI path: a million cases);
* `Calendar.add_working_array` on N instants;
* scalar `Timeline.add` / `Timeline.between` calls per second (the simulation engine's path);
* scalar `Calendar.add_working` calls per second, for comparison.
The best of three runs is reported (the first run also compiles the calendar).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from leanproc.calendar import Calendar


def best_of(fn, repeat: int = 3) -> tuple[float, float]:
    """(first run, best run) wall-clock seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times[0], min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()
    rng = np.random.default_rng(2024)
    lo = pd.Timestamp("2024-01-01T00:00+07:00").value
    hi = pd.Timestamp("2026-01-01T00:00+07:00").value

    # the first call pays for compiling: measure it on a fresh calendar
    cal = Calendar.parse("ru-5x8@Asia/Tomsk")
    assert cal is not None
    ends = np.sort(rng.integers(lo, hi, size=(args.rows, 2)), axis=1)
    a = pd.Series(pd.to_datetime(ends[:, 0], utc=True).tz_convert("Asia/Tomsk"))
    b = pd.Series(pd.to_datetime(ends[:, 1], utc=True).tz_convert("Asia/Tomsk"))
    first, best = best_of(lambda: cal.working_seconds(a, b))
    print(
        f"working_seconds, {args.rows:,} pairs over 2 years (tz-aware Series): "
        f"first {first:.3f} s (incl. compiling), best {best:.3f} s "
        f"= {args.rows / best / 1e6:.1f} M pairs/s"
    )

    a64 = ends[:, 0].astype("datetime64[ns]")
    b64 = ends[:, 1].astype("datetime64[ns]")
    _, best = best_of(lambda: cal.working_seconds(a64, b64))
    print(f"working_seconds, {args.rows:,} pairs (UTC datetime64 arrays): best {best:.3f} s")

    work = rng.uniform(0, 40 * 3600, args.rows)
    _, best = best_of(lambda: cal.add_working_array(a, work))
    print(f"add_working_array, {args.rows:,} rows, work 0-40 h: best {best:.3f} s")

    tl = cal.timeline("2024-01-01T09:00+07:00")
    year = 365 * 86400.0
    ts = (rng.uniform(0, year, args.calls)).tolist()
    ws = (rng.uniform(0, 8 * 3600, args.calls)).tolist()
    add = tl.add

    def run_add() -> None:
        for t, w in zip(ts, ws, strict=True):
            add(t, w)

    _, best = best_of(run_add)
    print(f"Timeline.add: {args.calls / best:,.0f} calls/s ({best / args.calls * 1e6:.2f} us/call)")

    between = tl.between

    def run_between() -> None:
        for t, w in zip(ts, ws, strict=True):
            between(t, t + w)

    _, best = best_of(run_between)
    print(f"Timeline.between: {args.calls / best:,.0f} calls/s")

    n_scalar = min(args.calls, 20_000)
    stamps = [pd.Timestamp(int(x), tz="UTC") for x in ends[:n_scalar, 0]]

    def run_scalar() -> None:
        for s, w in zip(stamps, ws[:n_scalar], strict=True):
            cal.add_working(s, w)

    _, best = best_of(run_scalar, repeat=1)
    print(f"Calendar.add_working (scalar, pandas Timestamps): {n_scalar / best:,.0f} calls/s")


if __name__ == "__main__":
    main()
