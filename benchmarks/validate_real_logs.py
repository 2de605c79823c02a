"""Calibrate -> simulate -> validate on two real logs of ../shared/corpus/logs.

For each log: a scenario is calibrated from the log alone (plus its BPMN model), simulated
with `REPLICATIONS` independent replications, and validated against the same log. The table
gives the simulated vs real mean and median lead time, the Wasserstein distance and the
Kolmogorov-Smirnov statistic between the per-case lead times, and the arrival span (first to
last case start), simulated vs real. The bar (issue 5): mean lead time within 10 % of the real
log's, and arrivals spanning the same period.

    python benchmarks/validate_real_logs.py            # both logs, 5 replications
    python benchmarks/validate_real_logs.py --replications 10

receipt (WABO, a Dutch municipality) is read in Europe/Amsterdam, where its office hours are;
LoanApp (simulated by Prosimos) in UTC, as its timestamps are written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

LOGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "logs"
CASES = (
    ("receipt", "receipt.bpmn", "receipt.csv", "Europe/Amsterdam"),
    ("LoanApp", "LoanApp_simplified.resources.bpmn", "LoanApp_simplified_train.csv.gz", "UTC"),
)
REPLICATIONS = 5
SEED = 1


def run(name: str, bpmn: str, log_file: str, zone: str, replications: int) -> dict[str, float]:
    """Calibrate, simulate and validate one log; the figures of one table row."""
    from leanproc.bpmn import read_bpmn
    from leanproc.eventlog import read_log
    from leanproc.mining import validate_as_is

    model = read_bpmn(LOGS / bpmn)
    log = read_log(LOGS / log_file, timezone=zone)
    t0 = time.perf_counter()
    report = validate_as_is(model, log, replications=replications, seed=SEED)
    seconds = time.perf_counter() - t0
    lt, arr = report.lead_time, report.arrivals
    return {
        "log": name, "cases": report.calibration.arrivals["cases"],
        "mean_real_h": lt["mean_actual_h"], "mean_sim_h": lt["mean_projected_h"],
        "mean_dev": lt["mean_projected_h"] / lt["mean_actual_h"] - 1,
        "median_real_h": lt["median_actual_h"], "median_sim_h": lt["median_projected_h"],
        "wasserstein_h": lt["wasserstein_h"], "ks": lt["ks"],
        "span_real_d": arr["actual_span_days"], "span_sim_d": arr["projected_span_days"],
        "span_ratio": arr["projected_span_days"] / arr["actual_span_days"],
        "replay_fit": report.calibration.replay["fitting_share"], "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    args = parser.parse_args(argv)
    if not LOGS.is_dir():
        print(f"no corpus at {LOGS}", file=sys.stderr)
        return 1
    rows = [run(*case, args.replications) for case in CASES]
    head = (f"{'log':<8} {'cases':>5} {'mean real':>10} {'mean sim':>9} {'dev':>7} "
            f"{'med real':>9} {'med sim':>8} {'W1 (h)':>7} {'KS':>6} {'span real':>10} "
            f"{'span sim':>9} {'ratio':>6} {'fit':>5} {'time':>6}")
    print(f"calibrate -> simulate ({args.replications} replications, seed {SEED}) -> "
          f"validate; hours, days")
    print(head)
    for r in rows:
        print(f"{r['log']:<8} {r['cases']:>5} {r['mean_real_h']:>10.2f} {r['mean_sim_h']:>9.2f} "
              f"{r['mean_dev']:>+7.1%} {r['median_real_h']:>9.2f} {r['median_sim_h']:>8.2f} "
              f"{r['wasserstein_h']:>7.2f} {r['ks']:>6.3f} {r['span_real_d']:>10.2f} "
              f"{r['span_sim_d']:>9.2f} {r['span_ratio']:>6.3f} {r['replay_fit']:>5.0%} "
              f"{r['seconds']:>5.1f}s")
    ok = all(abs(r["mean_dev"]) <= 0.10 and abs(r["span_ratio"] - 1) <= 0.05 for r in rows)
    print("bar (mean within 10 %, span within 5 %):", "met" if ok else "NOT met")
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
