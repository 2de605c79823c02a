"""``leanproc discover log.csv --out model.bpmn``: a process model mined from an event log.

The model (`leanproc.discover`: rare activities and variants filtered, pm4py's inductive miner,
ids derived from the content so the same log gives the same file) is written as BPMN; what the
filters left out and how the model was mined are printed, so a reader knows what the model
does not contain before calibrating a scenario on it.
"""

from __future__ import annotations

import argparse
import math

from leanproc.cli._common import check_output_file

__all__ = ["register", "share"]


def share(text: str) -> float:
    """argparse type: a share in [0, 1]."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} must be a share between 0 and 1")
    return value


def cmd_discover(args: argparse.Namespace) -> int:
    from leanproc.bpmn.writer import write_bpmn
    from leanproc.eventlog import read_log
    from leanproc.mining import discover

    check_output_file(args.out, "--out", (".bpmn",))
    log = read_log(args.log, timezone=args.timezone)
    model = discover(log, noise_threshold=args.noise, min_activity_share=args.min_activity_share,
                     variant_coverage=args.variant_coverage, drop_chaotic=not args.keep_chaotic,
                     time_budget=None if args.time_budget == 0 else args.time_budget,
                     name=args.name)
    write_bpmn(model, args.out)
    for note in model.notes:
        print(note)
    print(f"model with {len(model.activities)} activities written to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "discover",
        help="mine a BPMN model from an event log",
        description="Mine a BPMN model from an event log (pm4py's inductive miner after "
                    "leaving out rare activities) and write it; prints what was left out.")
    p.add_argument("log", help="the event log: .xes, .xes.gz, .csv, .parquet")
    p.add_argument("--out", required=True, metavar="MODEL", help="where to write the model "
                   "(.bpmn)")
    p.add_argument("--min-activity-share", type=share, default=0.01, metavar="SHARE",
                   help="leave out activities in fewer than this share of the cases "
                        "(default 0.01; 0 keeps all)")
    p.add_argument("--variant-coverage", type=share, default=1.0, metavar="SHARE",
                   help="keep the most frequent variants up to this share of the cases "
                        "(default 1: all)")
    p.add_argument("--keep-chaotic", action="store_true",
                   help="keep activities recorded at any point of a case (by default left out "
                        "on logs of over 60 activities: they fit no block)")
    p.add_argument("--noise", type=share, default=0.0, metavar="SHARE",
                   help="the inductive miner's noise threshold (default 0: every kept trace "
                        "fits)")
    p.add_argument("--time-budget", type=float, default=60.0, metavar="SECONDS",
                   help="processor seconds the full miner may take on a log of over 60 activities "
                        "(default 60; 0: no limit)")
    p.add_argument("--timezone", metavar="ZONE",
                   help="zone of naive timestamps in the log (default UTC)")
    p.add_argument("--name", help="the process name written into the model")
    p.set_defaults(func=cmd_discover)
