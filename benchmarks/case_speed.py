"""Case speed on the corpus logs: real against simulated lead times and within-case likeness.

For each log of ../shared/corpus/logs: a scenario is calibrated (`calibrate`; a model is
discovered with `discover` where the corpus has none, and kept in results/case_speed_models/
so that every run uses the same one), simulated with `SEEDS`, and compared with the log:

* lead time per case (hours): median, p90 and mean, real and simulated (mean over the seeds);
* ``icc``: how alike one case's step times are, the share of the variance of the logarithm of
  the step times (previous completion in the case to this completion, at least a second)
  that lies between cases, after each activity's own mean is taken out; 0 for independent
  steps. ``lag1``: the correlation of consecutive steps' residuals within a case. Both are
  measured the same way on the real and on the simulated log;
* ``act_ks``: per activity, the Kolmogorov-Smirnov distance between the real and simulated
  durations (start to completion when the log has start times, else step times), averaged
  with the real counts as weights: how well each activity's own distribution is kept.

Run it once on the code before the change and once after, then compare:

    PYTHONPATH=<old tree>/src python benchmarks/case_speed.py --label before
    PYTHONPATH=src python benchmarks/case_speed.py --label after
    python benchmarks/case_speed.py --compare before after

Each run writes benchmarks/results/case_speed_<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
LOGS = HERE.parents[1] / "shared" / "corpus" / "logs"
RESULTS = HERE / "results"
SEEDS = (1, 2, 3)
# name, log file, model (None: discovered), time zone (None: the log's)
CASES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("receipt", "receipt.csv", "receipt.bpmn", "Europe/Amsterdam"),
    ("LoanApp", "LoanApp_simplified_train.csv.gz", "LoanApp_simplified.resources.bpmn", "UTC"),
    ("Purchasing", "PurchasingExample.csv.gz", None, None),
    ("running-example", "running-example.csv", "running-example.bpmn", None),
    ("reviewing", "reviewing.xes", None, None),
    ("helpdesk", "helpdesk.xes.gz", None, None),
    ("roadtraffic100", "roadtraffic100traces.xes", None, None),
)


def _steps(log: pd.DataFrame) -> pd.DataFrame:
    """Per event after a case's first: the case, the activity and the step time (seconds)."""
    from leanproc.log import ACTIVITY, CASE, END

    frame = log[[CASE, ACTIVITY, END]].dropna().sort_values([CASE, END], kind="stable")
    step = frame.groupby(CASE, sort=False)[END].diff().dt.total_seconds()
    return pd.DataFrame({"case": frame[CASE].astype(str).to_numpy(),
                         "activity": frame[ACTIVITY].astype(str).to_numpy(),
                         "t": step.to_numpy()}).dropna()


def likeness(log: pd.DataFrame) -> tuple[float, float]:
    """(icc, lag1) of the log's step times (module docstring)."""
    s = _steps(log)
    s = s[s["t"] >= 1.0].copy()
    s["r"] = np.log(s["t"]) - s.groupby("activity")["t"].transform(lambda t: np.log(t).mean())
    n = s.groupby("case")["r"].transform("size")
    s = s[n >= 2]
    if s["case"].nunique() < 3:
        return float("nan"), float("nan")
    g = s.groupby("case")["r"]
    m, size = g.mean(), g.size()
    vw = float(((s["r"] - g.transform("mean")) ** 2).sum()) / int(size.sum() - len(size))
    s2 = max(float(m.var(ddof=1)) - float((vw / size).mean()), 0.0)
    nxt = g.shift(-1)
    pair = pd.DataFrame({"a": s["r"], "b": nxt}).dropna()
    lag1 = float(np.corrcoef(pair["a"], pair["b"])[0, 1]) if len(pair) > 2 else float("nan")
    return s2 / (s2 + vw) if s2 + vw > 0 else float("nan"), lag1


def activity_ks(real: pd.DataFrame, sim: pd.DataFrame, *, has_start: bool) -> float:
    """Count-weighted mean over activities of the KS distance of their durations."""
    from scipy import stats

    from leanproc.log import ACTIVITY, END, START

    def durations(log: pd.DataFrame) -> pd.DataFrame:
        if has_start:
            return pd.DataFrame({"activity": log[ACTIVITY].astype(str),
                                 "t": (log[END] - log[START]).dt.total_seconds()}).dropna()
        return _steps(log)

    a, b = durations(real), durations(sim)
    total, weight = 0.0, 0
    for act, x in a.groupby("activity")["t"]:
        y = b.loc[b["activity"] == act, "t"]
        if len(x) >= 5 and len(y) >= 5:
            total += len(x) * float(stats.ks_2samp(x, y).statistic)
            weight += len(x)
    return total / weight if weight else float("nan")


def _discovered(name: str, log: pd.DataFrame) -> Any:
    """The discovered model of `log`, kept in results/ on first use: pm4py's miner does not
    give the same model in every process, and the runs to compare must share one."""
    import leanproc
    from leanproc.bpmn.writer import write_bpmn

    path = RESULTS / "case_speed_models" / f"{name}.bpmn"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bpmn(leanproc.discover(log), path)
    return leanproc.read_bpmn(path)


def run(name: str, log_file: str, bpmn: str | None, zone: str | None) -> dict[str, Any]:
    import leanproc
    from leanproc.log import START

    log = leanproc.read_log(LOGS / log_file, **({"timezone": zone} if zone else {}))
    model = leanproc.read_bpmn(LOGS / bpmn) if bpmn else _discovered(name, log)
    t0 = time.perf_counter()
    cal = leanproc.calibrate(model, log)
    speed = getattr(cal.scenario, "case_speed", None)
    real_lead = leanproc.kpis(log).per_case
    real_lead = real_lead.loc[real_lead["finished"], "lead"].to_numpy(dtype=float) / 3600.0
    has_start = START in log.columns and log[START].notna().any()
    rows = []
    for seed in SEEDS:
        result = leanproc.simulate(cal.scenario, model, seed=seed)
        lead = result.lead_times.to_numpy(dtype=float)
        icc, lag1 = likeness(result.log)
        rows.append({"median": float(np.median(lead)), "p90": float(np.percentile(lead, 90)),
                     "mean": float(lead.mean()), "icc": icc, "lag1": lag1,
                     "act_ks": activity_ks(log, result.log, has_start=has_start)})
    sim = {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}
    spread = {k: float(np.std([r[k] for r in rows])) for k in ("median", "p90", "mean")}
    icc, lag1 = likeness(log)
    return {
        "log": name, "cases": len(real_lead),
        "case_speed": speed.model_dump() if speed is not None else None,
        "real": {"median": float(np.median(real_lead)),
                 "p90": float(np.percentile(real_lead, 90)),
                 "mean": float(real_lead.mean()), "icc": icc, "lag1": lag1},
        "sim": sim, "sim_sd_over_seeds": spread, "seeds": list(SEEDS),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def measure(label: str, only: list[str]) -> None:
    out = RESULTS / f"case_speed_{label}.json"
    done: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    for case in CASES:
        if only and case[0] not in only:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            done[case[0]] = run(*case)
        print(json.dumps(done[case[0]]), flush=True)
        out.write_text(json.dumps(done, indent=1))


def compare(before: str, after: str) -> None:
    a = json.loads((RESULTS / f"case_speed_{before}.json").read_text())
    b = json.loads((RESULTS / f"case_speed_{after}.json").read_text())
    print(f"lead time (h), real | {before} | {after}, simulated means over seeds {SEEDS}; "
          f"icc and lag1 real | {before} | {after}; act_ks {before} | {after}")
    for name, r in b.items():
        if name not in a:
            continue
        ra, rb = a[name], r
        cells = [f"{name:<16}"]
        for k in ("median", "p90", "mean"):
            cells.append(f"{k} {rb['real'][k]:.3g} | {ra['sim'][k]:.3g} | {rb['sim'][k]:.3g}")
        for k in ("icc", "lag1"):
            cells.append(f"{k} {rb['real'][k]:.2f} | {ra['sim'][k]:.2f} | {rb['sim'][k]:.2f}")
        cells.append(f"act_ks {ra['sim']['act_ks']:.3f} | {rb['sim']['act_ks']:.3f}")
        cells.append(f"case_speed {rb['case_speed']}")
        print("  ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", help="name of this run's results file")
    parser.add_argument("--only", nargs="*", default=[], help="log names to run")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return 0
    if not LOGS.is_dir():
        print(f"no corpus at {LOGS}", file=sys.stderr)
        return 1
    measure(args.label or "run", args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
