"""Big logs: read, KPIs and cost of a 10,000,000-event Parquet log within the machine's memory.

Generates a synthetic log (default 10,000,000 events in about 1,000,000 cases, 20 activities,
50 resources in 6 roles, start and completion times in Europe/Moscow) into a temporary folder
as Parquet, written with pyarrow row group by row group (one group per 100,000 cases) with
dictionary-encoded strings, as a process-mining export would be. The generator never holds
more than one row group in memory.

Then each step runs in a fresh Python process, so that its peak memory is its own:

* ``read``   ``read_log(parquet)``;
* ``kpis``   ``read_log`` then ``kpis(log, "ru-5x8@Europe/Moscow", sla="24h")``, then (after
  the figures are taken) WIP and mean lead time recomputed with plain pandas: the log's
  summed case time is thousands of case-years, past the 292 years of an int64 nanosecond
  sum, so this checks that no sum wraps around;
* ``cost``   ``read_log`` then ``process_cost(log, scenario)`` with one pool per role;
* ``chunked`` ``kpis(read_log(parquet, chunked=True), ...)``: the KPIs computed chunk by chunk
  (whole cases per chunk), for logs that would not fit in memory whole.

For each step the table gives the wall seconds of the step itself (after the read, for kpis
and cost), the resident memory before it (the log in memory) and the process's peak resident
memory (``VmHWM`` from ``/proc/self/status``, which includes the read). Usage::

    python benchmarks/bench_big_log.py                      # 10,000,000 events
    python benchmarks/bench_big_log.py --events 1000000     # a quick look
    python benchmarks/bench_big_log.py --keep /tmp/big      # keep (and reuse) the Parquet file
    python benchmarks/bench_big_log.py --steps read kpis    # some steps only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

TZ = "Europe/Moscow"
CALENDAR = "ru-5x8@Europe/Moscow"
ROLES = {  # role -> (resources, cost per hour)
    "registrar": (8, 520.0),
    "clerk": (14, 610.0),
    "expert": (12, 890.0),
    "lawyer": (6, 1150.0),
    "head": (4, 1600.0),
    "archivist": (6, 430.0),
}
N_ACTIVITIES = 20
CASES_PER_GROUP = 100_000
STEPS = ("read", "kpis", "cost", "chunked")


def activity_names() -> list[str]:
    return [f"Step {k:02d}" for k in range(N_ACTIVITIES)]


def role_of_activity() -> list[str]:
    """Each activity is done by one role; the roles take turns along the process."""
    roles = list(ROLES)
    return [roles[k % len(roles)] for k in range(N_ACTIVITIES)]


def resource_names() -> dict[str, list[str]]:
    return {role: [f"{role}#{i + 1}" for i in range(count)] for role, (count, _) in ROLES.items()}


# ------------------------------------------------------------------------------ generating


def _group(rng: np.random.Generator, first_case: int, n_cases: int, t0: float,
           mean_gap_s: float, events_per_case: float) -> tuple[dict[str, Any], float]:
    """One row group: ``n_cases`` cases from ``first_case`` on, arrivals after ``t0`` (s)."""
    # events per case: 1 + Poisson, so the mean is events_per_case and every case has one
    per_case = 1 + rng.poisson(events_per_case - 1, n_cases)
    n = int(per_case.sum())
    arrivals = t0 + np.cumsum(rng.exponential(mean_gap_s, n_cases))
    case_of = np.repeat(np.arange(n_cases), per_case)
    first = np.r_[True, case_of[1:] != case_of[:-1]]
    # a random walk through the activities: mostly forward, sometimes back (rework)
    step = rng.integers(1, 3, n)
    step[rng.random(n) < 0.1] = -3
    step[first] = 0
    pos = np.cumsum(step)
    pos -= np.repeat(pos[first], per_case)
    activity = (pos % N_ACTIVITIES).astype(np.int32)
    wait = rng.exponential(3 * 3600.0, n)
    # ~50 s of work per event: a million cases a year keep the 50 resources about busy
    work = rng.gamma(2.0, 25.0, n)
    wait[first] = rng.exponential(600.0, int(first.sum()))
    gap = np.cumsum(wait + work)
    gap -= np.repeat(gap[first] - (wait[first] + work[first]), per_case)
    end_s = arrivals[case_of] + gap
    start_s = end_s - work
    roles = role_of_activity()
    role_index = {r: i for i, r in enumerate(ROLES)}
    role = np.array([role_index[roles[a]] for a in range(N_ACTIVITIES)], dtype=np.int32)[activity]
    offsets = np.cumsum([0] + [c for c, _ in ROLES.values()])[:-1]
    counts = np.array([c for c, _ in ROLES.values()])
    resource = (offsets[role] + (rng.random(n) * counts[role]).astype(np.int64)).astype(np.int32)
    columns = {
        "case": (first_case + case_of).astype(np.int64),
        "activity": activity,
        "start": np.round(start_s * 1e6).astype(np.int64),
        "end": np.round(end_s * 1e6).astype(np.int64),
        "resource": resource,
        "role": role,
    }
    return columns, float(arrivals[-1])


def generate(path: Path, events: int, cases: int, seed: int = 11) -> None:
    """Write the synthetic log to ``path`` as Parquet, one row group per 100,000 cases."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    year_s = 365 * 86400.0
    t0 = float(np.datetime64("2024-01-09T06:00", "s").astype(np.int64))  # 09:00 Moscow
    mean_gap = year_s / cases
    per_case = events / cases
    ts = pa.timestamp("us", tz=TZ)
    dict_type = pa.dictionary(pa.int32(), pa.string())
    schema = pa.schema([
        ("case:concept:name", dict_type),
        ("concept:name", dict_type),
        ("start_timestamp", ts),
        ("time:timestamp", ts),
        ("org:resource", dict_type),
        ("org:role", dict_type),
    ])
    names = pa.array(activity_names())
    resources = pa.array([r for group in resource_names().values() for r in group])
    roles = pa.array(list(ROLES))
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for first in range(0, cases, CASES_PER_GROUP):
            n_cases = min(CASES_PER_GROUP, cases - first)
            cols, t0 = _group(rng, first, n_cases, t0, mean_gap, per_case)
            ids, case_codes = np.unique(cols["case"], return_inverse=True)
            case_dict = pa.array([f"C{i:07d}" for i in ids])
            table = pa.table(
                {
                    "case:concept:name": pa.DictionaryArray.from_arrays(
                        pa.array(case_codes.astype(np.int32)), case_dict),
                    "concept:name": pa.DictionaryArray.from_arrays(
                        pa.array(cols["activity"]), names),
                    "start_timestamp": pa.array(cols["start"], type=ts),
                    "time:timestamp": pa.array(cols["end"], type=ts),
                    "org:resource": pa.DictionaryArray.from_arrays(
                        pa.array(cols["resource"]), resources),
                    "org:role": pa.DictionaryArray.from_arrays(pa.array(cols["role"]), roles),
                },
                schema=schema,
            )
            writer.write_table(table, row_group_size=len(table))
            written += len(table)
    print(f"wrote {written:,} events, {cases:,} cases -> {path} "
          f"({path.stat().st_size / 1e6:,.0f} MB)", flush=True)


def scenario() -> tuple[Any, dict[str, Any]]:
    """A chain model of the 20 activities and a scenario with one pool per role."""
    from leanproc.bpmn.builder import ModelBuilder

    builder = ModelBuilder("Big log")
    nodes = [builder.start("Received")]
    nodes += [builder.task(name) for name in activity_names()]
    nodes.append(builder.end("Done"))
    builder.sequence(*nodes)
    roles = role_of_activity()
    spec = {
        "start": "2024-01-09T09:00",
        "timezone": TZ,
        "calendar": "ru-5x8",
        "arrivals": {"interarrival": {"exponential": {"mean": "30min"}}, "cases": 10},
        "resources": {
            role: {"count": count, "cost_per_hour": rate}
            for role, (count, rate) in ROLES.items()
        },
        "activities": {
            name: {"resource": roles[k], "duration": "30min",
                   **({"cost_per_execution": 15.0} if k % 5 == 0 else {})}
            for k, name in enumerate(activity_names())
        },
        "fixed_costs": {"per_case": 120},
    }
    return builder.build(layout=False), spec


# ------------------------------------------------------------------------------ one step


def _status(field: str) -> int:
    """A ``/proc/self/status`` memory field in bytes (VmHWM: peak resident, VmRSS: now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def run_step(step: str, path: Path) -> dict[str, Any]:
    """Run one step in this (fresh) process; return its figures."""
    from leanproc.eventlog import read_log
    from leanproc.kpi import kpis

    out: dict[str, Any] = {"step": step}
    if step == "chunked":
        from leanproc.calendar import Calendar

        cal = Calendar.parse(CALENDAR)
        rss0 = _status("VmRSS")
        t = time.perf_counter()
        report = kpis(read_log(path, chunked=True), cal, sla="24h")
        out.update(seconds=time.perf_counter() - t, rss_before=rss0)
        out["result"] = _kpi_summary(report)
        out["peak"] = _status("VmHWM")
        return out
    rss0 = _status("VmRSS")
    t = time.perf_counter()
    log = read_log(path)
    read_s = time.perf_counter() - t
    out.update(read_seconds=read_s, rows=len(log), log_bytes=int(log.memory_usage(deep=True).sum()))
    if step == "read":
        out.update(seconds=read_s, rss_before=rss0)
        out["dtypes"] = {c: str(d) for c, d in log.dtypes.items()}
    elif step == "kpis":
        from leanproc.calendar import Calendar

        cal = Calendar.parse(CALENDAR)
        rss1 = _status("VmRSS")
        t = time.perf_counter()
        report = kpis(log, cal, sla="24h")
        out.update(seconds=time.perf_counter() - t, rss_before=rss1)
        out["result"] = _kpi_summary(report)
        out["peak"] = _status("VmHWM")  # before the check, which needs memory of its own
        out["check"] = _independent_check(log, report)
    elif step == "cost":
        from leanproc.cost import process_cost
        from leanproc.scenario import Scenario

        model, spec = scenario()
        bound = Scenario.load(spec).bind(model)
        rss1 = _status("VmRSS")
        t = time.perf_counter()
        cost = process_cost(log, bound, volume_per_year=1_000_000)
        out.update(seconds=time.perf_counter() - t, rss_before=rss1)
        out["result"] = {"cases": cost.cases, "mean": cost.mean, "total": cost.total,
                         "labour_hours": cost.labour_hours}
    else:
        raise SystemExit(f"unknown step {step!r}")
    out.setdefault("peak", _status("VmHWM"))
    return out


def _independent_check(log: Any, report: Any) -> dict[str, float]:
    """WIP and mean lead time recomputed with plain pandas in float seconds.

    The log's summed case time is thousands of case-years, far past the 292 years an int64
    sum of nanoseconds holds, so this also checks that no sum in kpis() wraps around. A case
    starts at its earliest instant and ends at its last completion (every case is finished).
    """
    import pandas as pd

    first = log[["start_timestamp", "time:timestamp"]].min(axis=1)
    frame = pd.DataFrame({"case": log["case:concept:name"], "first": first,
                          "end": log["time:timestamp"]})
    by_case = frame.groupby("case", observed=True, sort=False)
    start = by_case["first"].min()
    end = by_case["end"].max()
    stay_s = (end - start).dt.total_seconds().to_numpy()
    window_s = (end.max() - start.min()).total_seconds()
    wip = float(stay_s.sum()) / window_s
    lead = float(stay_s.mean())
    return {
        "case_years": float(stay_s.sum()) / (365.25 * 86_400),
        "wip.mean": wip,
        "wip_rel_error": abs(report.wip_mean / wip - 1.0),
        "lead_time.mean": lead,
        "lead_rel_error": abs(report.lead_time.mean / lead - 1.0),
    }


def _kpi_summary(report: Any) -> dict[str, float]:
    flat = report.as_dict()
    keys = ("cases", "lead_time.mean", "lead_time.median", "lead_time_working.mean",
            "processing_working.mean", "wip.mean", "sla_share(24h)", "utilisation.clerk")
    return {k: flat[k] for k in keys if k in flat}


# ------------------------------------------------------------------------------ driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=None, help="default: events / 10")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the Parquet file (reused when it is already there)")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)  # child process
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.file)), flush=True)
        return

    cases = args.cases or max(1, args.events // 10)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"big-{args.events}-{cases}.parquet"
        if not path.exists():
            t = time.perf_counter()
            generate(path, args.events, cases)
            print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)
        results = []
        for step in args.steps:
            t = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--step", step, "--file", str(path)],
                capture_output=True, text=True, check=False,
            )
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"step {step} failed ({done.returncode})")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["process_seconds"] = time.perf_counter() - t
            results.append(result)
            print(json.dumps(result), flush=True)
        _table(results)


def _table(results: list[dict[str, Any]]) -> None:
    gb = 1024**3
    print()
    print("| step | read s | step s | process s | RSS before step GB | peak (VmHWM) GB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        read_s = f"{r['read_seconds']:.1f}" if "read_seconds" in r else "-"
        print(f"| {r['step']} | {read_s} | {r['seconds']:.1f} | {r['process_seconds']:.1f} | "
              f"{r['rss_before'] / gb:.2f} | {r['peak'] / gb:.2f} |")
    for r in results:
        if "result" in r:
            print(f"{r['step']}: {r['result']}")
        if "check" in r:
            print(f"{r['step']}, independent pandas check: {r['check']}")
        if "log_bytes" in r and r["step"] == "read":
            print(f"read: {r['rows']:,} rows, frame {r['log_bytes'] / gb:.2f} GB, "
                  f"dtypes {r['dtypes']}")


if __name__ == "__main__":
    main()
