"""Coverage of one run's lead-time interval at M/M/1, utilisation 0.8.

The true mean lead time (sojourn) of M/M/1 is 1 / (mu - lambda): 300 s with a 60 s mean
service and utilisation 0.8. For each seed one run is simulated with leanproc (FIFO queue, one
server, the first hours cut as warm-up); its lead-time interval is checked against 300 s.
Printed: the coverage and mean half-width of the batch-means interval (`kpi.stats`), of the
t interval over cases that treats them as independent, and the half-width an interval would
need to match the spread of the run means between seeds (1.96 x their standard deviation).

    PYTHONPATH=src python benchmarks/coverage_batch_means.py --seeds 200 --cases 3000
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers.bpmn_text import chain
from leanproc import read_bpmn, simulate
from leanproc.kpi.stats import confidence_interval

MEAN_SERVICE = 60.0
RHO = 0.8


def scenario(cases: int, warmup: str) -> dict[str, object]:
    lam = RHO / MEAN_SERVICE
    return {
        "start": "2024-01-01T00:00+00:00",
        "arrivals": {"interarrival": {"exponential": {"mean": f"{1 / lam}s"}}, "cases": cases},
        "resources": {"server": {"count": 1}},
        "activities": {"Serve": {"resource": "server",
                                 "duration": {"exponential": {"mean": f"{MEAN_SERVICE}s"}}}},
        "warmup": warmup,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--warmup", default="4h")
    args = parser.parse_args()
    truth = 1.0 / (1.0 / MEAN_SERVICE - RHO / MEAN_SERVICE)
    model = read_bpmn(chain(["Serve"]))
    spec = scenario(args.cases, args.warmup)
    means, bm_hits, bm_half, iid_hits, iid_half, none = [], 0, [], 0, [], 0
    for seed in range(1, args.seeds + 1):
        report = simulate(spec, model, seed=seed).kpi
        lead = report.lead_time
        means.append(lead.mean)
        if math.isnan(lead.ci_low):
            none += 1
        else:
            bm_hits += lead.ci_low <= truth <= lead.ci_high
            bm_half.append((lead.ci_high - lead.ci_low) / 2)
        per_case = report.per_case
        _, lo, hi = confidence_interval(per_case.loc[per_case["finished"], "lead"])
        iid_hits += lo <= truth <= hi
        iid_half.append((hi - lo) / 2)
    spread = 1.96 * float(np.std(means, ddof=1))
    given = args.seeds - none
    print(f"M/M/1 rho={RHO}, {args.cases} cases per run, warm-up {args.warmup}, "
          f"{args.seeds} seeds; true mean lead time {truth:.0f} s; mean of run means "
          f"{np.mean(means):.1f} s")
    print(f"  spread between runs (1.96 sd of run means): {spread:.1f} s")
    print(f"  batch means: interval given in {given}/{args.seeds} runs, coverage "
          f"{bm_hits / max(given, 1):.3f}, mean half-width {np.mean(bm_half):.1f} s "
          f"({np.mean(bm_half) / spread:.2f} x spread)")
    print(f"  iid over cases: coverage {iid_hits / args.seeds:.3f}, mean half-width "
          f"{np.mean(iid_half):.1f} s ({spread / np.mean(iid_half):.1f} x narrower than spread)")


if __name__ == "__main__":
    main()
