"""leanproc vs Prosimos, side by side, on the same BPMN models and Prosimos parameters.

    python benchmarks/bench_vs_prosimos.py                 # 10 000 and 100 000 cases
    python benchmarks/bench_vs_prosimos.py --cases 2000    # a quick look

For each model (Prosimos-format BPMN files from the shared corpus) the parameters are Prosimos
JSON in benchmarks/prosimos_models/ (written by this script when missing: roles, calendars, six
kinds of duration law, branch probabilities, staffing for about 75 % utilisation). leanproc reads
them with `leanproc.interop.from_prosimos`; Prosimos 2.x runs them in its own virtual
environment (prosimos_env.py creates it). Each run is a fresh child process that reports the
wall time of the simulation call and its peak memory: VmHWM, the peak resident set since the
child's exec (its ``ru_maxrss`` would also count the parent's pages copied at fork). Both
tools produce the full event log: Prosimos writes it to CSV, leanproc keeps it in memory as a
DataFrame. Events are activity instances (log rows).

Lead times per case (last completion minus arrival, clock time) are compared with a two-sample
Kolmogorov-Smirnov test. Where the semantics match (24x7 calendars) both samples should come
from one distribution. Lead times of successive cases are correlated (they share queues), so
the test's p-value, which assumes independent draws, comes out too small; the yardstick is the
KS distance between two leanproc runs with different seeds (column "KS D lp/lp"). With working
calendars Prosimos moves an arrival that falls outside the arrival calendar to its opening while
leanproc carries the gap over, so a small difference is expected there.

Results: a table on stdout and benchmarks/results/vs_prosimos.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from prosimos_env import ensure_prosimos  # noqa: E402

CORPUS = HERE.parents[1] / "shared" / "corpus" / "bpmn" / "other"
ASSETS = CORPUS / "AutomatedProcessImprovement+Prosimos" / "testing_scripts" / "assets"
PARAMS = HERE / "prosimos_models"
RESULTS = HERE / "results" / "vs_prosimos.md"
START = "2024-01-01T00:00:00.000000+00:00"  # a Monday; Prosimos' starting_at format

# key -> (BPMN in the corpus, calendar of resources and arrivals)
MODELS = {
    "purchasing": (ASSETS / "PurchasingExampleQBP.bpmn", "24x7"),
    "credit": (ASSETS / "demo_example" / "Credit_Application_Simulation.bpmn", "24x7"),
    "loan-9-17": (ASSETS / "LoanApp_sequential_9-5.bpmn", "office"),
}
MEAN_GAP = 600.0  # seconds between arrivals (in open time)
TARGET_UTILISATION = 0.75

LEANPROC_CHILD = r"""
import json, sys, time, warnings
def peak_mb():
    # VmHWM: the peak RSS of this process since exec (ru_maxrss would also count the parent's
    # memory copied at fork, before exec)
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024
t0 = time.perf_counter()
import numpy as np
from leanproc.bpmn.reader import read_bpmn
from leanproc.interop import from_prosimos
from leanproc.simulation.run import simulate
t1 = time.perf_counter()
bpmn, params, cases, seed, out, start = sys.argv[1:7]
warnings.simplefilter("ignore")
model = read_bpmn(bpmn)
scenario = from_prosimos(params, model, cases=int(cases), start=start[:19])
result = simulate(scenario, model, seed=int(seed))
t2 = time.perf_counter()
np.save(out, result.cases["lead_time"].to_numpy())
print(json.dumps({"import_s": t1 - t0, "run_s": t2 - t1, "events": len(result.log),
                  "cases": len(result.cases), "peak_mb": peak_mb()}))
"""

PROSIMOS_CHILD = r"""
import json, sys, time
def peak_mb():
    # VmHWM: the peak RSS of this process since exec (ru_maxrss would also count the parent's
    # memory copied at fork, before exec)
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024
t0 = time.perf_counter()
import numpy as np
from prosimos.simulation_engine import run_simulation
t1 = time.perf_counter()
bpmn, params, cases, seed, out, start = sys.argv[1:7]
np.random.seed(int(seed))  # Prosimos draws from numpy's global generator
run_simulation(bpmn, params, int(cases), stat_out_path=None, log_out_path=out, starting_at=start)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "run_s": t2 - t1, "peak_mb": peak_mb()}))
"""


NOTES = """
Reading the table:

- Both tools run one after the other in the same conditions; on a shared machine absolute
  times are slower than on an idle one, the ratios hold. leanproc's run includes building the
  log DataFrame and the per-case table.
- KS: "KS D lp/lp" is the distance between two leanproc runs that differ only in the seed, i.e.
  what chance alone gives with correlated lead times. On the 24x7 models the leanproc/Prosimos
  distance should be of that size. With working calendars (loan-9-17) a small real difference
  is expected: Prosimos moves an arrival that falls
  outside the arrival calendar to the opening instant, leanproc carries the rest of the gap over
  the closed hours, so Prosimos has slightly more arrivals right at opening time.
- The p-values assume independent draws, which queueing lead times are not; they are shown for
  completeness only.
"""


# ---- parameters ---------------------------------------------------------------------------------

def _periods(calendar: str) -> list[dict[str, str]]:
    if calendar == "24x7":
        return [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00.000",
                 "endTime": "23:59:59.999"}]
    return [{"from": "MONDAY", "to": "FRIDAY", "beginTime": "09:00:00", "endTime": "17:00:00"}]


def _law(i: int) -> dict:
    """Six kinds of law in turn, means 5 to 20 minutes (current Prosimos convention)."""
    mean = 300.0 + 150.0 * (i % 7)

    def p(*v: float) -> list[dict[str, float]]:
        return [{"value": float(x)} for x in v]

    kind = i % 6
    if kind == 0:
        return {"distribution_name": "expon", "distribution_params": p(mean, 0, 20 * mean)}
    if kind == 1:
        return {"distribution_name": "norm", "distribution_params": p(mean, 0.3 * mean, 0,
                                                                      3 * mean)}
    if kind == 2:
        return {"distribution_name": "lognorm",
                "distribution_params": p(mean, (0.5 * mean) ** 2, 0, 20 * mean)}
    if kind == 3:
        return {"distribution_name": "gamma",
                "distribution_params": p(mean, (0.6 * mean) ** 2, 0, 20 * mean)}
    if kind == 4:
        return {"distribution_name": "uniform", "distribution_params": p(0.5 * mean, 1.5 * mean)}
    return {"distribution_name": "fix", "distribution_params": p(mean)}


def _branching(model) -> list[dict]:
    """Forward branches share 80 %, branches back towards the start 20 % (loops end)."""
    from leanproc.bpmn.model import Kind

    depth: dict[str, int] = {}
    frontier = [n.id for n in model.events if n.kind == Kind.START_EVENT]
    for n in frontier:
        depth[n] = 0
    while frontier:
        nxt = []
        for nid in frontier:
            for f in model.nodes[nid].outgoing:
                t = model.flows[f].target
                if t not in depth:
                    depth[t] = depth[nid] + 1
                    nxt.append(t)
        frontier = nxt
    out = []
    for g in model.gateways:
        if g.kind not in (Kind.EXCLUSIVE_GATEWAY, Kind.INCLUSIVE_GATEWAY) or len(g.outgoing) < 2:
            continue
        back = [f for f in g.outgoing if depth.get(model.flows[f].target, 0) <= depth[g.id]]
        ahead = [f for f in g.outgoing if f not in back]
        if not back or not ahead:
            shares = {f: 1 / len(g.outgoing) for f in g.outgoing}
        else:
            shares = {**{f: 0.2 / len(back) for f in back}, **{f: 0.8 / len(ahead) for f in ahead}}
        out.append({"gateway_id": g.id, "probabilities": [{"path_id": f, "value": v}
                                                          for f, v in shares.items()]})
    return out


def make_params(bpmn: Path, calendar: str) -> dict:
    """Prosimos parameters for `bpmn`: three roles, staffed for ~75 % utilisation."""
    from leanproc.bpmn.model import Kind
    from leanproc.bpmn.reader import read_bpmn
    from leanproc.interop import from_prosimos
    from leanproc.simulation.run import simulate

    model = read_bpmn(bpmn)
    tasks = [n for n in model.activities if n.kind == Kind.TASK]
    roles = [f"role_{k + 1}" for k in range(min(3, len(tasks)))]
    role_of = {t.id: roles[i % len(roles)] for i, t in enumerate(tasks)}

    def params(amounts: dict[str, int]) -> dict:
        return {
            "resource_profiles": [{"id": r, "name": r, "resource_list": [{
                "id": r, "name": r, "amount": amounts[r], "cost_per_hour": 20 + 10 * k,
                "calendar": calendar, "assigned_tasks": [t for t, x in role_of.items() if x == r]}]}
                for k, r in enumerate(roles)],
            "resource_calendars": [{"id": calendar, "name": calendar,
                                    "time_periods": _periods(calendar)}],
            "arrival_time_distribution": {"distribution_name": "expon", "distribution_params": [
                {"value": MEAN_GAP}, {"value": 0.0}, {"value": 20 * MEAN_GAP}]},
            "arrival_time_calendar": _periods(calendar),
            "gateway_branching_probabilities": _branching(model),
            "task_resource_distribution": [{"task_id": t.id, "resources": [
                {"resource_id": role_of[t.id], **_law(i)}]} for i, t in enumerate(tasks)],
        }

    # staffing: visits per case from a run without queues, times each task's mean duration
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        probe = from_prosimos(params(dict.fromkeys(roles, 500)), model, cases=3000)
        result = simulate(probe, model, seed=1)
    bound = result.bound
    work = dict.fromkeys(roles, 0.0)
    counts = result.log["concept:name"].astype(str).value_counts()
    for t in tasks:
        plan = bound.activities[t.id]
        visits = counts.get(t.name or t.id, 0) / len(result.cases)
        work[role_of[t.id]] += visits * plan.duration.mean()
    amounts = {r: max(1, math.ceil(w / MEAN_GAP / TARGET_UTILISATION)) for r, w in work.items()}
    return params(amounts)


def ensure_params() -> dict[str, Path]:
    PARAMS.mkdir(exist_ok=True)
    out = {}
    for key, (bpmn, calendar) in MODELS.items():
        path = PARAMS / f"{key}.json"
        if not path.is_file():
            path.write_text(json.dumps(make_params(bpmn, calendar), indent=1) + "\n")
        out[key] = path
    return out


# ---- runs ---------------------------------------------------------------------------------------

def run_child(python: str, code: str, args: list[str]) -> dict:
    """Run `code` in a child: its JSON line (times, peak RSS) plus the process's wall time."""
    t0 = time.perf_counter()
    done = subprocess.run([python, "-c", code, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    return {**stats, "process_s": wall}


def prosimos_lead_times(csv: Path) -> tuple[np.ndarray, int]:
    import pandas as pd

    log = pd.read_csv(csv, usecols=["case_id", "enable_time", "end_time"])
    for col in ("enable_time", "end_time"):
        log[col] = pd.to_datetime(log[col], format="ISO8601", utc=True)
    per_case = log.groupby("case_id").agg(first=("enable_time", "min"), last=("end_time", "max"))
    return (per_case["last"] - per_case["first"]).dt.total_seconds().to_numpy(), len(log)


def bench(key: str, bpmn: Path, params: Path, cases: int, prosimos_python: str,
          tmp: Path, seed: int = 42) -> dict:
    lp_out = tmp / f"{key}-{cases}-leanproc.npy"
    ps_out = tmp / f"{key}-{cases}-prosimos.csv"
    common = [str(bpmn), str(params), str(cases), str(seed)]
    lp = run_child(sys.executable, LEANPROC_CHILD, [*common, str(lp_out), START])
    lp_other = tmp / f"{key}-{cases}-leanproc-other.npy"
    run_child(sys.executable, LEANPROC_CHILD,
              [str(bpmn), str(params), str(cases), str(seed + 1), str(lp_other), START])
    ps = run_child(prosimos_python, PROSIMOS_CHILD, [*common, str(ps_out), START])
    lead_ps, events_ps = prosimos_lead_times(ps_out)
    lead_lp = np.load(lp_out)
    ps_out.unlink()
    from scipy.stats import ks_2samp

    ks = ks_2samp(lead_lp, lead_ps)
    ks_lp = ks_2samp(lead_lp, np.load(lp_other))
    return {
        "model": key, "cases": cases, "calendar": MODELS[key][1],
        "lp_events": lp["events"], "ps_events": events_ps,
        "lp_run_s": lp["run_s"], "ps_run_s": ps["run_s"],
        "lp_process_s": lp["process_s"], "ps_process_s": ps["process_s"],
        "lp_peak_mb": lp["peak_mb"], "ps_peak_mb": ps["peak_mb"],
        "lp_eps": lp["events"] / lp["run_s"], "ps_eps": events_ps / ps["run_s"],
        "lp_lead_h": float(np.mean(lead_lp)) / 3600, "ps_lead_h": float(np.mean(lead_ps)) / 3600,
        "ks_d": float(ks.statistic), "ks_p": float(ks.pvalue),
        "ks_d_lp": float(ks_lp.statistic),
    }


# ---- report -------------------------------------------------------------------------------------

def table(rows: list[dict]) -> str:
    head = ("| model | cases | calendars | events (lp / ps) | events/s leanproc "
            "| events/s Prosimos | speed ratio | wall s (lp / ps) | peak MB (lp / ps) "
            "| memory ratio | mean lead h (lp / ps) | KS D lp/ps | KS p | KS D lp/lp |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['cases']:,} | {r['calendar']} | {r['lp_events']:,} / "
            f"{r['ps_events']:,} | {r['lp_eps']:,.0f} | {r['ps_eps']:,.0f} | "
            f"{r['lp_eps'] / r['ps_eps']:.1f}x | {r['lp_run_s']:.1f} / {r['ps_run_s']:.1f} | "
            f"{r['lp_peak_mb']:.0f} / {r['ps_peak_mb']:.0f} | "
            f"{r['lp_peak_mb'] / r['ps_peak_mb']:.2f} | {r['lp_lead_h']:.2f} / "
            f"{r['ps_lead_h']:.2f} | {r['ks_d']:.4f} | {r['ks_p']:.3g} | {r['ks_d_lp']:.4f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--models", nargs="+", default=list(MODELS))
    ap.add_argument("--no-write", action="store_true", help="do not write the results file")
    args = ap.parse_args()
    missing = [str(MODELS[k][0]) for k in args.models if not MODELS[k][0].is_file()]
    if missing:
        sys.exit(f"the shared corpus is missing: {missing}")
    python, version = ensure_prosimos()
    params = ensure_params()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-prosimos-") as tmp:
        for cases in args.cases:
            for key in args.models:
                row = bench(key, MODELS[key][0], params[key], cases, str(python), Path(tmp))
                rows.append(row)
                print(f"{key:12s} {cases:>7,} cases: leanproc {row['lp_run_s']:7.1f} s "
                      f"{row['lp_peak_mb']:6.0f} MB | Prosimos {row['ps_run_s']:7.1f} s "
                      f"{row['ps_peak_mb']:6.0f} MB | KS D {row['ks_d']:.4f} "
                      f"(lp/lp {row['ks_d_lp']:.4f})", flush=True)
    text = table(rows)
    print()
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        import leanproc

        RESULTS.write_text(
            f"# leanproc vs Prosimos\n\n`python benchmarks/bench_vs_prosimos.py "
            f"--cases {' '.join(map(str, args.cases))}` on {time.strftime('%Y-%m-%d')}, "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; leanproc {getattr(leanproc, '__version__', '?')}, "
            f"Prosimos {version}. Seed 42 for both. Wall = the simulation call in the child "
            f"(model and parameter reading included, interpreter start and imports excluded); "
            f"peak MB = the child's peak resident set (VmHWM). lp = leanproc, ps = Prosimos. "
            f"KS D lp/lp: leanproc seed 42 against seed 43, the distance chance alone gives."
            f"\n\n{text}\n{NOTES}")
        print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
