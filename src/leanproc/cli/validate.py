"""``leanproc validate``: post-monitoring (постмониторинг) — did the change deliver?

The projection is a scenario (usually the TO-BE) simulated with replications; the reality is an
event log read with `read_log`. Every KPI gets a verdict (confirmed / not confirmed /
inconclusive, as `leanproc.mining.validate` defines them); the exit status is 1 when any KPI is
not confirmed, so a scheduled job can flag a change that did not deliver.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leanproc.cli._common import UsageError, common_options
from leanproc.cli.run import run_scenario

__all__ = ["register"]


def cmd_validate(args: argparse.Namespace) -> int:
    from leanproc.eventlog import read_log
    from leanproc.inputs import log_zone
    from leanproc.mining import validate

    if Path(args.log).is_dir():  # refused before the projection is simulated
        raise UsageError(f"{args.log}: is a folder; give the event log file")
    projection = run_scenario(args, args.projection, replications=args.replications)
    bound = projection.results[0].bound if args.replications > 1 else projection.bound
    actual = read_log(args.log, timezone=args.timezone or log_zone(bound.calendar))
    report = validate(projection, actual, targets=args.targets, calendar=bound.calendar)
    from leanproc._labels import label
    from leanproc.cli._texts import validation_text

    print(label("validation_run", args.lang).format(projection=args.projection,
                                                    n=args.replications, log=args.log))
    print(validation_text(report, args.lang))
    return 1 if (report.table["verdict"] == "not confirmed").any() else 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "validate", parents=[common_options(replications=10)],
        help="post-monitoring: a projection (scenario) against a real event log",
        description="Simulate the projection scenario, read the real log (XES, CSV, Parquet) "
                    "and give each KPI a verdict: confirmed, not confirmed or inconclusive; "
                    "with lead-time tests (Mann-Whitney, KS, Wasserstein) and the activities "
                    "that moved most. Exit status 1 when a KPI is not confirmed.")
    p.add_argument("projection", help="the projected scenario .yaml (e.g. the TO-BE)")
    p.add_argument("log", help="the real event log: .xes, .xes.gz, .csv, .parquet")
    p.add_argument("--targets", metavar="FILE", help="targets .yaml whose KPIs join the table")
    p.add_argument("--timezone", metavar="ZONE",
                   help="zone of naive timestamps in the log (default: the scenario "
                        "calendar's zone, else UTC)")
    p.set_defaults(func=cmd_validate)
