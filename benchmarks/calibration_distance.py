"""How close a discovered + calibrated AS-IS model comes to held-out data, next to the noise floor.

    python benchmarks/calibration_distance.py                          # every corpus log, 5 seeds
    python benchmarks/calibration_distance.py --logs receipt.csv --seeds 2

For each event log of ../shared/corpus/logs the cases are ordered by arrival (a case's earliest
instant, the log schema's rule); the first 80 % train, the last 20 % test. The model is the
corpus BPMN drawn for that log where there is one (`BPMN_FOR`), else `leanproc.discover(train)`;
`leanproc.calibrate(model, train)` fits the scenario. The scenario then simulates as many cases as
the test holds, from the test's first arrival (its arrivals' ``cases`` set to the test's count,
the fitted ``horizon`` removed, its ``start`` moved), once per seed.

Each simulated log is compared with the test log with the distances Simod reports, from the
``log-distance-measures`` package (run in its own venv: distance_env.py, log_distances.py): the
3-gram distribution distance (0..1) and the earth mover's distances, in hours, of the absolute
event times, the circadian (weekday x hour) event times, the event times relative to their case's
start, the cycle times and the case arrivals.

The noise floor is the same distances between the test log and real data the model did not
produce: a window of as many consecutive train cases as the test has (a random window per seed;
consecutive, so the arrival rate and the queues between cases are the real ones, which a random
sample of scattered cases would thin out). For the absolute and arrival distances the window is
shifted so that its first arrival is the test's; for the others it is shifted by whole weeks only,
so that weekdays and hours of the day stay what they were. A model can hardly beat the floor; the
ratio model / floor says how many times the floor its error is.

Logs without a start time on every row (completion-only, or start recorded for some events only)
are compared on completions only: the start column of every log compared, the simulated one too,
is the completion, since the real start is unknown.

What the floor does not hold: the test cases are the last of the log, and a log extracted while
cases were running ends with cases cut short or only the quick ones finished; the train windows,
earlier, do not have that bias, and neither does the simulation. The context line under each
table (mean cycle time and events per case of the test, the simulation and the floor) shows it.

Repeatability: with a corpus BPMN the figures repeat exactly; with a discovered model they vary
from run to run by about their sd over seeds, since `discover` gives unnamed elements (gateways)
new random ids on each call and the simulation's random streams of unnamed elements are keyed by
id.

Results: a table per log on stdout, benchmarks/results/calibration_distance.md and .json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from distance_env import ensure_ldm  # noqa: E402

import leanproc  # noqa: E402
from leanproc.log import ACTIVITY, ARRIVAL, CASE, ENABLE, END, RESOURCE, START  # noqa: E402

CORPUS = HERE.parents[1] / "shared" / "corpus" / "logs"
RESULTS = HERE / "results" / "calibration_distance.md"
LOGS = ("LoanApp_simplified_train.csv.gz", "PurchasingExample.csv.gz", "receipt.csv",
        "running-example.csv", "reviewing.xes", "helpdesk.xes.gz", "roadtraffic100traces.xes")
# the corpus BPMN drawn for a log (same activity names); the other logs get discover(train)
BPMN_FOR = {"LoanApp_simplified_train.csv.gz": "LoanApp_simplified.resources.bpmn",
            "receipt.csv": "receipt.bpmn", "running-example.csv": "running-example.bpmn"}
TRAIN_SHARE = 0.8
METRICS = ("ngram_3", "absolute_emd_h", "circadian_emd_h", "relative_emd_h", "cycle_time_emd_h",
           "arrival_emd_h")
WEEK = pd.Timedelta(days=7)


def case_arrivals(log: pd.DataFrame) -> pd.Series:
    """Each case's arrival: its earliest instant over every time column (the schema's rule)."""
    cols = [c for c in (ARRIVAL, ENABLE, START, END) if c in log.columns]
    return log[cols].min(axis=1).groupby(log[CASE]).min().sort_values(kind="stable")


def split(log: pd.DataFrame, cap: int | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(train, test, arrivals in order) by case arrival; `cap` keeps the last `cap` cases."""
    arrivals = case_arrivals(log)
    if cap is not None and len(arrivals) > cap:
        arrivals = arrivals.iloc[-cap:]
    n_train = round(TRAIN_SHARE * len(arrivals))
    if not 1 <= n_train < len(arrivals):
        raise ValueError(f"{len(arrivals)} cases cannot be split {TRAIN_SHARE:.0%} / rest")
    train_ids, test_ids = arrivals.index[:n_train], arrivals.index[n_train:]
    return (log[log[CASE].isin(train_ids)], log[log[CASE].isin(test_ids)], arrivals)


def to_metric_frame(log: pd.DataFrame, *, use_start: bool,
                    shift: pd.Timedelta | None = None) -> pd.DataFrame:
    """The columns the metrics read: case, activity, start, end, resource (times in UTC)."""
    shift = pd.Timedelta(0) if shift is None else shift
    end = pd.to_datetime(log[END], utc=True)
    start = pd.to_datetime(log[START], utc=True) if use_start and START in log else end
    frame = pd.DataFrame({
        "case": log[CASE].astype(str).to_numpy(),
        "activity": log[ACTIVITY].astype(str).to_numpy(),
        "start": (start.fillna(end) + shift).to_numpy(),
        "end": (end + shift).to_numpy(),
        "resource": (log[RESOURCE].astype(str).to_numpy() if RESOURCE in log
                     else np.full(len(log), "")),
    })
    return frame[frame["end"].notna()]


def shape(frame: pd.DataFrame) -> dict[str, float]:
    """Context for the distances: mean cycle time (first start to last end) and events per case."""
    by_case = frame.groupby("case")
    cycle = (by_case["end"].max() - by_case["start"].min()).dt.total_seconds()
    return {"mean_cycle_h": float(cycle.mean()) / 3600, "events_per_case": len(frame) / len(cycle)}


def write(frame: pd.DataFrame, path: Path) -> str:
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S.%f%z")
    return str(path)


def fit_model(name: str, train: pd.DataFrame) -> tuple[Any, Any, str]:
    """(model, calibration, which model) for the train log."""
    if name in BPMN_FOR:
        model, source = leanproc.read_bpmn(CORPUS / BPMN_FOR[name]), BPMN_FOR[name]
    else:
        model, source = leanproc.discover(train), "discover(train)"
    return model, leanproc.calibrate(model, train), source


def test_scenario(scenario: Any, *, cases: int, start: pd.Timestamp) -> Any:
    """The calibrated scenario moved to the test period: `cases` arrivals from `start`."""
    arrivals = scenario.arrivals.model_copy(update={"cases": cases, "horizon": None})
    spec = scenario.model_copy(update={"arrivals": arrivals})
    # `start` goes through validation (text -> the schema's instant type) by reloading one field
    return spec.model_copy(update={"start": type(scenario).model_validate(
        {"start": str(start.tz_convert(scenario.timezone or "UTC"))}).start})


def times_label(log: pd.DataFrame) -> str:
    share = float(log[START].notna().mean()) if START in log else 0.0
    if share == 1.0:
        return "start and end times"
    return "completion times only" + (f" (start on {share:.0%} of rows)" if share else "")


def run_log(name: str, *, seeds: int, cap: int | None, work: Path) -> dict[str, Any]:
    """The CSVs to compare for one log, the timings and what was done; raises on failure."""
    log = leanproc.read_log(CORPUS / name)
    use_start = START in log and bool(log[START].notna().all())
    train, test, arrivals = split(log, cap)
    n_test = test[CASE].nunique()
    first_test = arrivals.iloc[len(arrivals) - n_test]
    out: dict[str, Any] = {"log": name, "cases": len(arrivals), "cases_in_log": log[CASE].nunique(),
                           "train_cases": train[CASE].nunique(), "test_cases": n_test,
                           "times": times_label(log), "pairs": []}
    stem = work / name.split(".")[0]
    test_frame = to_metric_frame(test, use_start=use_start)
    out["test_shape"] = shape(test_frame)
    test_csv = write(test_frame, Path(f"{stem}-test.csv"))

    step = "fit"
    try:
        t0 = time.perf_counter()
        model, calibration, out["model"] = fit_model(name, train)
        out["fit_s"] = time.perf_counter() - t0
        out["calibration_notes"] = list(calibration.notes)
        out["replay_fitting_share"] = float(calibration.replay["fitting_share"])
        scenario = test_scenario(calibration.scenario, cases=n_test, start=first_test)
        step = "simulate"
        out["simulate_s"] = []
        for seed in range(seeds):
            t0 = time.perf_counter()
            result = leanproc.simulate(scenario, model, seed=seed)
            out["simulate_s"].append(time.perf_counter() - t0)
            sim = to_metric_frame(result.log, use_start=use_start)
            path = write(sim, Path(f"{stem}-sim{seed}.csv"))
            out["pairs"].append({"side": "leanproc", "seed": seed, "test": test_csv,
                                 "other": path, "other_abs": path,
                                 "cases": int(sim["case"].nunique()), **shape(sim)})
    except Exception as exc:  # a broken log is a result to report, not a crash
        out["error"] = {"step": step, "type": type(exc).__name__, "message": str(exc)[:600]}

    train_order = arrivals.iloc[:len(arrivals) - n_test]
    for seed in range(seeds):
        lo = int(np.random.default_rng(seed).integers(0, len(train_order) - n_test + 1))
        ids = train_order.index[lo:lo + n_test]
        window = train[train[CASE].isin(ids)]
        gap = first_test - train_order.iloc[lo]
        weeks = WEEK * math.floor(gap / WEEK)
        floor = to_metric_frame(window, use_start=use_start, shift=weeks)
        same_hours = write(floor, Path(f"{stem}-floor{seed}.csv"))
        aligned = write(to_metric_frame(window, use_start=use_start, shift=gap),
                        Path(f"{stem}-floor{seed}-abs.csv"))
        out["pairs"].append({"side": "floor", "seed": seed, "test": test_csv,
                             "other": same_hours, "other_abs": aligned, "cases": len(ids),
                             **shape(floor)})
    return out


def measure(runs: list[dict[str, Any]], work: Path) -> None:
    """Run log_distances.py in the log-distance-measures venv on every pair, in place."""
    python, version = ensure_ldm()
    pairs = [p for r in runs for p in r["pairs"]]
    jobs, answers = work / "jobs.json", work / "distances.json"
    jobs.write_text(json.dumps(pairs))
    subprocess.run([str(python), str(HERE / "log_distances.py"), str(jobs), str(answers)],
                   check=True)
    for pair, distances in zip(pairs, json.loads(answers.read_text()), strict=True):
        pair.update(distances)
    for r in runs:
        r["ldm_version"] = version


def summarise(run: dict[str, Any]) -> dict[str, Any]:
    """Per metric: mean and sd over seeds for each side, and their ratio."""
    table: dict[str, Any] = {}
    for metric in METRICS:
        row: dict[str, Any] = {}
        for side in ("leanproc", "floor"):
            values = [p[metric] for p in run["pairs"] if p["side"] == side and metric in p]
            row[side] = ((float(np.mean(values)), float(np.std(values, ddof=1))
                          if len(values) > 1 else 0.0) if values else None)
        lp, fl = row["leanproc"], row["floor"]
        row["ratio"] = lp[0] / fl[0] if lp and fl and fl[0] > 0 else None
        table[metric] = row
    return table


def context(run: dict[str, Any]) -> str:
    """One line: mean cycle time and events per case of the test, the simulation, the floor."""
    def mean_of(side: str, key: str) -> str:
        values = [p[key] for p in run["pairs"] if p["side"] == side]
        return f"{np.mean(values):.4g}" if values else "—"

    test = run["test_shape"]
    return (f"Mean cycle time (h): test {test['mean_cycle_h']:.4g}, leanproc "
            f"{mean_of('leanproc', 'mean_cycle_h')}, floor {mean_of('floor', 'mean_cycle_h')}; "
            f"events per case: test {test['events_per_case']:.3g}, leanproc "
            f"{mean_of('leanproc', 'events_per_case')}, floor "
            f"{mean_of('floor', 'events_per_case')}.")


def markdown(runs: list[dict[str, Any]], command: str, elapsed: float) -> str:
    def cell(v: tuple[float, float] | None) -> str:
        return "—" if v is None else f"{v[0]:.4g} ± {v[1]:.2g}"

    lines = [f"# Calibrated AS-IS model vs held-out data (log-distance-measures "
             f"{runs[0].get('ldm_version', '?')})", "", f"`{command}`", "",
             f"{platform.node()}, Python {platform.python_version()}, total {elapsed:.0f} s. "
             f"Train: first {TRAIN_SHARE:.0%} of cases by arrival; test: the rest. "
             "leanproc: model fitted on train, simulated from the test's first arrival for "
             "the test's number of cases. Floor: a window of as many consecutive train cases "
             "(shifted to the test's start for the absolute and arrival distances). "
             "3-gram: 0..1; the others: Wasserstein distance in hours. Mean ± sd over seeds; "
             "ratio = leanproc / floor.", ""]
    for run in runs:
        head = (f"## {run['log']}: {run['cases']} cases ({run['train_cases']} train, "
                f"{run['test_cases']} test), {run['times']}, model {run.get('model', '—')}")
        lines += [head, ""]
        if run["cases"] < run["cases_in_log"]:
            lines += [f"Capped: the last {run['cases']} of {run['cases_in_log']} cases.", ""]
        if "fit_s" in run:
            sims = run.get("simulate_s") or [float("nan")]
            lines += [f"fit (discover + calibrate) {run['fit_s']:.1f} s; simulate "
                      f"{np.mean(sims):.2f} s per seed; simulated cases per seed "
                      f"{sorted({p['cases'] for p in run['pairs'] if p['side'] == 'leanproc'})}; "
                      f"{run['replay_fitting_share']:.1%} of train cases replay on the model",
                      ""]
        lines += [context(run), ""]
        if "error" in run:
            e = run["error"]
            lines += [f"**leanproc failed at {e['step']}**: {e['type']}: {e['message']}", ""]
        lines += ["| metric | leanproc | floor | ratio |", "|---|---|---|---|"]
        for metric, row in run["summary"].items():
            ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}"
            lines.append(f"| {metric} | {cell(row['leanproc'])} | {cell(row['floor'])} "
                         f"| {ratio} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", nargs="+", default=list(LOGS), choices=LOGS, metavar="LOG")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-cases", type=int, default=5000,
                        help="use only the last N cases of a larger log (bounds the run time)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown file; .json beside")
    args = parser.parse_args()
    command = "python " + " ".join(shlex.quote(a) for a in
                                   [os.path.relpath(sys.argv[0], HERE.parent), *sys.argv[1:]])
    print(command, flush=True)
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="calibration-distance-") as tmp:
        runs = []
        for name in args.logs:
            print(f"{name} ...", file=sys.stderr, flush=True)
            runs.append(run_log(name, seeds=args.seeds, cap=args.max_cases, work=Path(tmp)))
        measure(runs, Path(tmp))
    for run in runs:
        run["summary"] = summarise(run)
        for p in run["pairs"]:  # the temporary paths mean nothing once the run is over
            for key in ("test", "other", "other_abs"):
                p.pop(key)
    elapsed = time.perf_counter() - t0
    text = markdown(runs, command, elapsed)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(
        {"command": command, "elapsed_s": elapsed, "runs": runs}, indent=1, default=str))


if __name__ == "__main__":
    main()
