"""``leanproc calibrate model.bpmn log.csv --out scenario.yaml``: a scenario fitted to a log.

The scenario is written as commented YAML for a person to review and edit (`Scenario.to_yaml`),
its ``model:`` pointing at the BPMN file from the scenario's folder; the calibration's summary
and notes (what could not be estimated, what was assumed) are printed, and its warnings (a model
that replays too little of the log) are also written to stderr, so that they are seen when
stdout goes to a file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leanproc.cli._common import UsageError
from leanproc.cli.discover import share

__all__ = ["register"]


def cmd_calibrate(args: argparse.Namespace) -> int:
    from leanproc.eventlog import read_log
    from leanproc.mining import calibrate

    out = Path(args.out)
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"--out {args.out}: the scenario is written as YAML: give a .yaml file")
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: the folder {out.parent} does not exist")
    log = read_log(args.log, timezone=args.timezone)
    result = calibrate(args.model, log, calendar=args.calendar, timezone=args.timezone,
                       name=args.name, min_fitness=args.min_fitness)
    scenario = result.scenario.model_copy(update={"model": str(Path(args.model).resolve())})
    scenario.to_yaml(out)
    for warning in result.warnings:
        print(f"leanproc: warning: {warning}", file=sys.stderr)
    print(result)
    print(f"scenario written to {out}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit a scenario to a real event log and write it as YAML",
        description="Calibrate a simulation scenario for a BPMN model from an event log "
                    "(arrivals, durations, waits, branch shares, pools and working hours) and "
                    "write it as commented YAML to review and edit; the notes say what could "
                    "not be estimated.")
    p.add_argument("model", help="the BPMN 2.0 model (.bpmn) the log's activities belong to")
    p.add_argument("log", help="the event log: .xes, .xes.gz, .csv, .parquet")
    p.add_argument("--out", required=True, metavar="SCENARIO",
                   help="where to write the scenario (.yaml)")
    p.add_argument("--calendar", metavar="CAL",
                   help="working hours to use instead of inferring them (e.g. ru-5x8)")
    p.add_argument("--timezone", metavar="ZONE",
                   help="zone of naive timestamps in the log (default UTC)")
    p.add_argument("--name", help="the scenario's name")
    p.add_argument("--min-fitness", type=share, default=0.5, metavar="SHARE",
                   help="refuse when the model replays less than this share of the log's "
                        "events (default 0.5; 0 calibrates whatever the fit)")
    p.set_defaults(func=cmd_calibrate)
