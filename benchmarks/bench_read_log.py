"""Reading a 1 M-event log and computing lead times: leanproc against pm4py, in the same run.

Generates a synthetic log (default 1,000,000 events in about 100,000 cases, completion times
only, as most real logs are) into a temporary directory, writes it as XES and as CSV, then
times:

* XES: ``leanproc.eventlog.read_log`` vs ``pm4py.read_xes`` (its default importer);
* CSV: ``read_log`` vs ``pandas.read_csv`` + ``pm4py.format_dataframe``;
* lead time per case: ``pm4py.stats.get_all_case_durations`` vs a vectorised pandas groupby
  (last completion - first start, or first completion when the start is unknown) on the log
  ``read_log`` returned; both results are checked equal to the second.

Each step runs once (the figures are seconds-scale); wall and CPU seconds are printed, and the
ratios at the end use CPU time, which other jobs on a shared machine do not inflate. Usage::

    python benchmarks/bench_read_log.py               # 1,000,000 events
    python benchmarks/bench_read_log.py --events 200000 --keep /tmp/logs
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leanproc.eventlog import read_log, write_log
from leanproc.log import ACTIVITY, CASE, END, RESOURCE, START

ACTIVITIES = [
    "Register application",
    "Check documents",
    "Request missing documents",
    "Receive documents",
    "Assess application",
    "Approve",
    "Reject",
    "Issue permit",
    "Notify applicant",
    "Archive",
]


def synthetic_log(events: int, cases: int, seed: int = 7) -> pd.DataFrame:
    """A log in the one schema: ``cases`` cases, ``events`` events, random walks of work."""
    rng = np.random.default_rng(seed)
    per_case = rng.multinomial(events - cases, np.full(cases, 1 / cases)) + 1  # >= 1 each
    case_of = np.repeat(np.arange(cases), per_case)
    arrivals = np.cumsum(rng.exponential(600.0, cases))  # a case every 10 min on average
    gaps = rng.exponential(3600.0, events)
    first = np.r_[True, case_of[1:] != case_of[:-1]]
    offsets = np.cumsum(gaps)
    offsets -= np.repeat(offsets[first] - gaps[first], per_case)  # restart per case
    seconds = arrivals[case_of] + offsets
    base = pd.Timestamp("2024-01-09 09:00", tz="Europe/Moscow")
    ends = base + pd.to_timedelta(np.round(seconds, 3), unit="s")
    return pd.DataFrame(
        {
            CASE: pd.array([f"case-{c}" for c in case_of], dtype="str"),
            ACTIVITY: pd.array(np.array(ACTIVITIES)[rng.integers(0, len(ACTIVITIES), events)]),
            END: ends,
            RESOURCE: pd.array([f"clerk#{r}" for r in rng.integers(0, 40, events)]),
        }
    )


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run fn once; print wall and CPU seconds; return the CPU seconds and the result.

    CPU time of this process is what the ratios use: the machine is shared, and other jobs
    stretch wall time without saying anything about either library.
    """
    gc.collect()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"  {label:<48} {wall:8.2f} s wall {cpu:8.2f} s CPU", flush=True)
    return cpu, result


def lead_times(log: pd.DataFrame) -> pd.Series:
    """Per-case lead time in seconds: last completion - first start (or first completion)."""
    begin = log[START].fillna(log[END])
    grouped = pd.DataFrame({CASE: log[CASE], "b": begin, "e": log[END]}).groupby(CASE, sort=False)
    return (grouped["e"].max() - grouped["b"].min()).dt.total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=None, help="default: events / 10")
    parser.add_argument("--keep", type=Path, default=None, help="write the logs here")
    parser.add_argument("--skip-pm4py-xes", action="store_true")
    args = parser.parse_args()
    cases = args.cases or max(1, args.events // 10)

    os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")
    import pm4py  # imported up front so that its ~2 s import is not charged to a step

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.events:,} events in {cases:,} cases -> {folder}")
        generated = synthetic_log(args.events, cases)
        xes, csv = folder / "bench.xes", folder / "bench.csv"
        timed("write_log -> XES", partial(write_log, generated, xes))
        timed("write_log -> CSV", partial(write_log, generated, csv))
        print(f"  XES {xes.stat().st_size / 1e6:.0f} MB, CSV {csv.stat().st_size / 1e6:.0f} MB")
        generated = None  # free it before the timed reads

        print("XES")
        t_ours, ours = timed("leanproc read_log", lambda: read_log(xes))
        if args.skip_pm4py_xes:
            t_pm = float("nan")
        else:
            t_pm, pm_xes = timed("pm4py.read_xes", lambda: pm4py.read_xes(str(xes)))
            assert len(pm_xes) == len(ours), (len(pm_xes), len(ours))
            del pm_xes

        print("CSV")
        t_ours_csv, ours_csv = timed("leanproc read_log", lambda: read_log(csv))

        def pm4py_csv() -> pd.DataFrame:
            frame = pd.read_csv(csv)
            return pm4py.format_dataframe(
                frame, case_id=CASE, activity_key=ACTIVITY, timestamp_key=END
            )

        t_pm_csv, pm_csv = timed("pandas.read_csv + pm4py.format_dataframe", pm4py_csv)
        assert len(pm_csv) == len(ours_csv)

        print("lead time per case")
        t_lead_pm, pm_durations = timed(
            "pm4py.stats.get_all_case_durations",
            lambda: pm4py.stats.get_all_case_durations(ours),
        )
        t_lead_ours, our_durations = timed(
            "pandas groupby (max end - min start)", lambda: lead_times(ours)
        )
        ours_sorted = np.sort(our_durations.to_numpy())
        worst = float(np.max(np.abs(ours_sorted - np.asarray(pm_durations))))
        print(f"  {len(ours_sorted):,} cases, largest difference {worst:.6f} s")
        assert worst < 1.0

        print("ratios (pm4py CPU time / leanproc CPU time)")
        print(f"  read XES         {t_pm / t_ours:6.1f}x   ({t_pm:.2f} s vs {t_ours:.2f} s)")
        print(
            f"  read CSV         {t_pm_csv / t_ours_csv:6.1f}x   "
            f"({t_pm_csv:.2f} s vs {t_ours_csv:.2f} s)"
        )
        print(
            f"  lead time        {t_lead_pm / t_lead_ours:6.1f}x   "
            f"({t_lead_pm:.2f} s vs {t_lead_ours:.2f} s)"
        )


if __name__ == "__main__":
    main()
