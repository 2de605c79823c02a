"""Waits through parallel blocks: calibrate -> simulate on every log of ../shared/corpus/logs.

For each log, the model (its BPMN file where the corpus has one, else `discover`) is
calibrated from the log, simulated (`REPLICATIONS` replications) and validated against the
same log in-sample (`validate_as_is`). The table gives the simulated vs real mean and median
lead time and their relative errors, the fitted mean wait of one activity (``--activity``,
default "Release Supplier's Invoice" of PurchasingExample) and, where the calibration reports
them, the parallel blocks whose branches never overlap in the log (``seq``), and the activity
`validate` ranks first as the cause of the lead-time deviation ("top cause").

    python benchmarks/calibration_waits.py                      # every log, 5 replications
    python benchmarks/calibration_waits.py --logs PurchasingExample --enablement model

Run it once on the code before a change and once after (PYTHONPATH) to compare. The miner
does not give the same model twice (element ids and flow order change, and with them the
simulation's random draws), so a discovered model is written to ``--models`` (default
benchmarks/results/discovered) and read back on the next run: before and after then simulate
the same model.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

LOGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "logs"
# name, log file, model file (None: discovered), time zone of the log's hours
CASES: tuple[tuple[str, str, str | None, str], ...] = (
    ("PurchasingExample", "PurchasingExample.csv.gz", None, "UTC"),
    ("LoanApp", "LoanApp_simplified_train.csv.gz", "LoanApp_simplified.resources.bpmn", "UTC"),
    ("receipt", "receipt.csv", "receipt.bpmn", "Europe/Amsterdam"),
    ("running-example", "running-example.csv", "running-example.bpmn", "UTC"),
    ("reviewing", "reviewing.xes", None, "UTC"),
    ("helpdesk", "helpdesk.xes.gz", None, "UTC"),
    ("roadtraffic100traces", "roadtraffic100traces.xes", None, "UTC"),
)
REPLICATIONS = 5
SEED = 1


def run(name: str, log_file: str, model_file: str | None, zone: str, *, replications: int,
        activity: str, options: dict[str, Any], models: Path) -> dict[str, Any]:
    """Calibrate, simulate and validate one log; the figures of one table row."""
    from leanproc.bpmn import read_bpmn, write_bpmn
    from leanproc.eventlog import read_log
    from leanproc.mining import discover, validate_as_is

    log = read_log(LOGS / log_file, timezone=zone)
    if model_file:
        model = read_bpmn(LOGS / model_file)
    else:
        mined = models / f"{name}.bpmn"
        if not mined.exists():
            models.mkdir(parents=True, exist_ok=True)
            write_bpmn(discover(log), mined)
        model = read_bpmn(mined)
    t0 = time.perf_counter()
    report = validate_as_is(model, log, replications=replications, seed=SEED, **options)
    seconds = time.perf_counter() - t0
    fits = report.calibration.fits
    wait = fits[(fits["element"] == activity) & (fits["what"] == "wait")]
    blocks = getattr(report.calibration, "parallel_blocks", None)
    sequential = (int((blocks["enablement"] == "previous").sum())
                  if blocks is not None and len(blocks) else 0)
    lt = report.lead_time
    return {
        "log": name, "model": "file" if model_file else "discovered",
        "mean_real_h": lt["mean_actual_h"], "mean_sim_h": lt["mean_projected_h"],
        "mean_err": lt["mean_projected_h"] / lt["mean_actual_h"] - 1,
        "median_real_h": lt["median_actual_h"], "median_sim_h": lt["median_projected_h"],
        "median_err": lt["median_projected_h"] / lt["median_actual_h"] - 1,
        "wait_h": float(wait["mean_h"].iloc[0]) if len(wait) else float("nan"),
        "sequential_blocks": sequential, "seconds": seconds,
        "top": _top_cause(report.activities),
        "notes": [n for n in report.calibration.notes if "parallel block" in n],
    }


def _top_cause(activities: Any) -> str:
    """The activity `validate` ranks first (largest impact on the lead time), with its impact."""
    ranked = activities.dropna(subset=["impact_h"])
    if ranked.empty:
        return "-"
    top = ranked.iloc[0]
    return f"{str(top['activity'])[:28]} ({float(top['impact_h']):+.3g} h)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    parser.add_argument("--logs", nargs="*", help="names of the logs to run (default: all)")
    parser.add_argument("--activity", default="Release Supplier's Invoice",
                        help="the activity whose fitted wait is shown")
    parser.add_argument("--enablement", default=None, help="calibrate's enablement option")
    parser.add_argument("--models", type=Path,
                        default=Path(__file__).resolve().parent / "results" / "discovered",
                        help="where discovered models are kept between runs")
    args = parser.parse_args(argv)
    if not LOGS.is_dir():
        print(f"no corpus at {LOGS}", file=sys.stderr)
        return 1
    options = {"enablement": args.enablement} if args.enablement else {}
    cases = [c for c in CASES if not args.logs or c[0] in args.logs]
    print(f"calibrate -> simulate ({args.replications} replications, seed {SEED}) -> validate "
          f"in-sample; hours; wait = fitted mean wait of {args.activity!r}")
    print(f"{'log':<21} {'model':<10} {'mean real':>9} {'mean sim':>9} {'err':>7} "
          f"{'med real':>9} {'med sim':>8} {'err':>7} {'wait':>7} {'seq':>3} {'time':>6}  "
          f"top cause")
    for case in cases:
        r = run(*case, replications=args.replications, activity=args.activity,
                options=options, models=args.models)
        print(f"{r['log']:<21} {r['model']:<10} {r['mean_real_h']:>9.2f} {r['mean_sim_h']:>9.2f} "
              f"{r['mean_err']:>+7.1%} {r['median_real_h']:>9.2f} {r['median_sim_h']:>8.2f} "
              f"{r['median_err']:>+7.1%} {r['wait_h']:>7.2f} {r['sequential_blocks']:>3} "
              f"{r['seconds']:>5.0f}s  {r['top']}", flush=True)
        for note in r["notes"]:
            print(f"    {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
