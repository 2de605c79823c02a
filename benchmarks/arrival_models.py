"""Which arrival model calibration chooses on each corpus log, and what it does to the months.

For every event log of ../shared/corpus/logs, `calibrate` (on a model discovered from the log)
compares a stationary rate with rate profiles (weekday x hour, monthly level, both) by 5-fold
cross-validation over weeks; the table gives the choice and the held-out log-likelihood per
arrival of each model (rates per hour; higher is better). For the logs named with --months the
calibrated arrivals are then simulated (a one-task process, so only the arrivals matter) with
the stationary model (``arrivals="stationary"``, the former behaviour) and with the chosen one,
and the cases started per calendar month are compared with the log's (mean of the replications).

    python benchmarks/arrival_models.py                      # all logs, months of PurchasingExample
    python benchmarks/arrival_models.py --logs receipt.csv --months receipt.csv --replications 10

receipt (WABO, a Dutch municipality) is read in Europe/Amsterdam, where its office hours are;
the others in the zone their timestamps are written in.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

LOGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "logs"
ALL = ("LoanApp_simplified_train.csv.gz", "PurchasingExample.csv.gz", "receipt.csv",
       "running-example.csv", "reviewing.xes", "helpdesk.xes.gz", "roadtraffic100traces.xes")
ZONES = {"receipt.csv": "Europe/Amsterdam"}
ONE_TASK = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <process id="P" isExecutable="true">
    <startEvent id="S"/><task id="A" name="A"/><endEvent id="E"/>
    <sequenceFlow id="f1" sourceRef="S" targetRef="A"/>
    <sequenceFlow id="f2" sourceRef="A" targetRef="E"/>
  </process>
</definitions>
"""


def calibrated(log_file: str, mode: str) -> tuple[object, object]:
    """(the log, its calibration) with arrivals `mode`."""
    from leanproc import read_log
    from leanproc.mining import calibrate, discover

    log = read_log(LOGS / log_file, timezone=ZONES.get(log_file))
    return log, calibrate(discover(log), log, arrivals=mode)


def monthly(starts: object) -> object:
    import pandas as pd

    return pd.Series(pd.DatetimeIndex(starts).strftime("%Y-%m")).value_counts().sort_index()


def case_starts(log: object) -> object:
    """Per case its first instant (arrival, enablement, start or completion), the rule
    calibration uses."""
    import pandas as pd

    from leanproc import log as schema

    cols = [c for c in (schema.ARRIVAL, schema.ENABLE, schema.START, schema.END)
            if c in log.columns]  # type: ignore[attr-defined]
    first = log[cols].min(axis=1)  # type: ignore[index]
    return pd.Series(first).groupby(log[schema.CASE]).min()  # type: ignore[index]


def simulated_months(calibration: object, replications: int) -> object:
    """Cases started per month, mean over `replications`, for the calibrated arrivals."""
    import pandas as pd
    import yaml

    from leanproc import read_bpmn, simulate
    from leanproc.scenario import Scenario

    # through the YAML a user would edit: also checks the arrivals section reads back
    data = yaml.safe_load(calibration.scenario.to_yaml())  # type: ignore[attr-defined]
    keep = {k: data[k] for k in ("start", "timezone", "calendar", "calendars", "arrivals")
            if k in data}
    scenario = Scenario.load({**keep, "defaults": {"duration": "0min"}})
    runs = simulate(scenario, read_bpmn(ONE_TASK), seed=1, replications=replications)
    counts = [monthly(r.cases["arrival"].dt.tz_convert(scenario.timezone or "UTC"))
              for r in runs.results]
    return pd.concat(counts, axis=1).fillna(0).mean(axis=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", nargs="*", default=list(ALL))
    parser.add_argument("--months", nargs="*", default=["PurchasingExample.csv.gz"])
    parser.add_argument("--replications", type=int, default=5)
    args = parser.parse_args(argv)
    if not LOGS.is_dir():
        print(f"no corpus at {LOGS}", file=sys.stderr)
        return 1
    print("| log | cases | chosen | stationary | weekday x hour | monthly level | both | s |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.logs:
        t0 = time.perf_counter()
        log, cal = calibrated(name, "fit")
        a = cal.arrivals  # type: ignore[attr-defined]
        s = a.get("heldout_loglik") or {}
        cells = [f"{s[m]:.3f}" if m in s else "-" for m in
                 ("stationary", "weekday x hour", "monthly level",
                  "weekday x hour + monthly level")]
        print(f"| {name} | {a['cases']} | {a.get('model', 'stationary')} | "
              f"{' | '.join(cells)} | {time.perf_counter() - t0:.1f} |")
        if name in args.months:
            import pandas as pd

            real = monthly(case_starts(log).dt.tz_convert(cal.scenario.timezone or "UTC"))
            _, before = calibrated(name, "stationary")
            table = pd.DataFrame({"real": real,
                                  "stationary": simulated_months(before, args.replications),
                                  "chosen": simulated_months(cal, args.replications)}).fillna(0)
            print(f"\n{name}: cases started per month, real vs simulated (mean of "
                  f"{args.replications} replications)\n")
            print("| month | real | stationary | chosen |\n|---|---|---|---|")
            for month, row in table.iterrows():
                print(f"| {month} | {row['real']:.0f} | {row['stationary']:.1f} | "
                      f"{row['chosen']:.1f} |")
            err = {c: float((table[c] - table["real"]).abs().sum()) for c in
                   ("stationary", "chosen")}
            print(f"\nsum of |simulated - real| over months: stationary {err['stationary']:.1f},"
                  f" chosen {err['chosen']:.1f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
