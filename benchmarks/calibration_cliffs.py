"""Calendar cliffs and clock shifts in calibrated scenarios, on logs of ../shared/corpus/logs.

(a) Short log: one Monday of a log. LoanApp_simplified_train: the cases that start and end on
    its first Monday (2023-02-13, 10 cases, 07:00-14:53 UTC), calibrated on the log's own model;
    PurchasingExample: the events completed on its first Monday (2011-01-03, cases cut at
    midnight), calibrated on a model discovered from that day. Each scenario is simulated with
    `CASES` cases for `SEEDS` seeds; per seed, the cases whose lead time exceeds the day's
    longest real lead time by a week or more ("a week late": an arrival or a task deferred to a
    weekday the calendar wrongly closed), and the relative error of the mean lead time.
(b) LoanApp, whole log: the relative error of the simulated p90 lead time across `SEEDS` seeds
    (its spread is what a calendar cliff inflates).
(c) LoanApp, the clock that moves on 2023-03-27: the share of simulated completions (within
    the log's period) in an hour where the real log has none (same ISO week and hour of day, or
    a weekday without any), read as written (UTC) and with the zone of the log's clock
    (read_log(..., timezone="Europe/Madrid"), calibrate(..., timezone="UTC"): the work kept
    UTC hours while the log was written in Central European wall-clock time; see the
    Calibration note).

Lead time: a case's first start (or arrival) to its last completion, real and simulated alike.

    python benchmarks/calibration_cliffs.py                  # 20 seeds, 1000 cases
    python benchmarks/calibration_cliffs.py --seeds 5 --part a
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

LOGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "logs"
LOAN_MODEL = LOGS / "LoanApp_simplified.resources.bpmn"
LOAN_LOG = LOGS / "LoanApp_simplified_train.csv.gz"
PURCHASING_LOG = LOGS / "PurchasingExample.csv.gz"
CASES = 1000
SEEDS = 20
WEEK_H = 7 * 24.0


def _lead_real(log: pd.DataFrame) -> pd.Series:
    """Per case, hours from its first start (completion when it has none) to its last end."""
    end = log["time:timestamp"]
    start = log["start_timestamp"].fillna(end) if "start_timestamp" in log else end
    g = log.assign(s=start, e=end).groupby("case:concept:name", observed=True)
    return (g["e"].max() - g["s"].min()).dt.total_seconds() / 3600


def _lead_sim(result: Any) -> pd.Series:
    cases = result.cases.dropna(subset=["end"])
    return (cases["end"] - cases["arrival"]).dt.total_seconds() / 3600


def _with_cases(scenario: Any, cases: int) -> Any:
    """The calibrated scenario with `cases` arrivals and no horizon (the count decides)."""
    arrivals = scenario.arrivals.model_copy(update={"cases": cases, "horizon": None})
    return scenario.model_copy(update={"arrivals": arrivals})


def _first_monday(log: pd.DataFrame) -> pd.Timestamp:
    days = log["time:timestamp"].dt.normalize()
    return min(d for d in days.unique() if d.dayofweek == 0)


def short_logs() -> list[tuple[str, Any, pd.DataFrame]]:
    """(name, model, one-Monday log) for part (a)."""
    from leanproc import discover, read_bpmn, read_log

    out = []
    loan = read_log(LOAN_LOG)
    monday = _first_monday(loan)
    start = loan["start_timestamp"].fillna(loan["time:timestamp"])
    by_case = loan.assign(s=start).groupby("case:concept:name", observed=True)
    first, last = by_case["s"].transform("min"), by_case["time:timestamp"].transform("max")
    day = loan[(first.dt.normalize() == monday) & (last.dt.normalize() == monday)]
    out.append((f"LoanApp {monday:%Y-%m-%d}", read_bpmn(LOAN_MODEL), day.reset_index(drop=True)))
    purchasing = read_log(PURCHASING_LOG)
    monday = _first_monday(purchasing)
    day = purchasing[purchasing["time:timestamp"].dt.normalize() == monday]
    day = day.reset_index(drop=True)
    out.append((f"Purchasing {monday:%Y-%m-%d}", discover(day, layout=False), day))
    return out


def part_a(seeds: int, cases: int) -> None:
    from leanproc import calibrate, simulate

    for name, model, log in short_logs():
        real = _lead_real(log)
        fitted = calibrate(model, log)
        scenario = _with_cases(fitted.scenario, cases)
        late, errors = [], []
        t0 = time.perf_counter()
        for seed in range(seeds):
            lead = _lead_sim(simulate(scenario, model, seed=seed, keep_log=False))
            late.append(int((lead >= real.max() + WEEK_H).sum()))
            errors.append(lead.mean() / real.mean() - 1)
        span = f"{log['time:timestamp'].min():%H:%M}-{log['time:timestamp'].max():%H:%M}"
        print(f"(a) {name}: {real.size} cases {span} UTC; arrivals {fitted.arrivals['calendar']}")
        print(f"    cases a week late per {cases}: min {min(late)}, median "
              f"{int(np.median(late))}, max {max(late)}; mean lead time error: median "
              f"{np.median(errors):+.0%}, range {min(errors):+.0%} .. {max(errors):+.0%} "
              f"({time.perf_counter() - t0:.0f} s)")


def part_b(seeds: int) -> None:
    from leanproc import calibrate, read_bpmn, read_log, simulate

    model, log = read_bpmn(LOAN_MODEL), read_log(LOAN_LOG)
    real = _lead_real(log)
    fitted = calibrate(model, log)
    p90 = real.quantile(0.9)
    errors = [float(_lead_sim(simulate(fitted.scenario, model, seed=s, keep_log=False))
                    .quantile(0.9) / p90 - 1) for s in range(seeds)]
    print(f"(b) LoanApp p90 lead time {p90:.1f} h real; relative error over {seeds} seeds: "
          f"median {np.median(errors):+.1%}, range {min(errors):+.1%} .. {max(errors):+.1%}, "
          f"sd {np.std(errors, ddof=1):.1%}")


def _outside_share(real: pd.DataFrame, simulated: pd.DataFrame) -> float:
    """Share of simulated completions, inside the real log's period, in an (ISO week, hour of
    day) where the real log has no completion, or on a weekday it never works."""
    def bins(t: pd.Series) -> pd.Series:
        t = t.dt.tz_convert("UTC")
        iso = t.dt.isocalendar()
        return iso["year"].astype(str) + "-" + iso["week"].astype(str) + "-" + \
            t.dt.hour.astype(str)

    r, s = real["time:timestamp"], simulated["time:timestamp"]
    s = s[(s >= r.min()) & (s <= r.max())]
    seen, days = set(bins(r)), set(r.dt.tz_convert("UTC").dt.dayofweek)
    outside = ~bins(s).isin(seen) | ~s.dt.tz_convert("UTC").dt.dayofweek.isin(days)
    return float(outside.mean())


def part_c(seeds: int) -> None:
    from leanproc import calibrate, read_bpmn, read_log, simulate

    model = read_bpmn(LOAN_MODEL)
    for label, read_zone, zone in (("as written (UTC)", None, None),
                                   ("clock Europe/Madrid, timezone='UTC'", "Europe/Madrid",
                                    "UTC")):
        log = read_log(LOAN_LOG, timezone=read_zone) if read_zone else read_log(LOAN_LOG)
        fitted = calibrate(model, log, timezone=zone)
        shares = [_outside_share(log, simulate(fitted.scenario, model, seed=s).log)
                  for s in range(seeds)]
        calendars = sorted(set(fitted.pools["calendar"]))
        print(f"(c) LoanApp {label}: pool calendars {calendars}; completions in hours the log "
              f"has none: mean {np.mean(shares):.2%} (range {min(shares):.2%} .. "
              f"{max(shares):.2%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--part", choices=["a", "b", "c", "all"], default="all")
    args = parser.parse_args()
    if not LOGS.is_dir():
        raise SystemExit(f"{LOGS} is absent: the corpus is needed")
    warnings.simplefilter("ignore")
    if args.part in ("a", "all"):
        part_a(args.seeds, args.cases)
    if args.part in ("b", "all"):
        part_b(args.seeds)
    if args.part in ("c", "all"):
        part_c(args.seeds)


if __name__ == "__main__":
    main()
