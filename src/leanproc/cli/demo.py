"""``leanproc demo``: the bundled example end to end, in well under a minute.

Reads the bundled AS-IS model (a taxi-permit department) and checks it, compares it with the
bundled TO-BE (registration and the head's approval gone), prints Было / Цель / Стало, and
writes the HTML report and both event logs to ``--out`` (default ``./leanproc-demo``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leanproc._labels import label
from leanproc.cli._common import UsageError, common_options, example_path
from leanproc.cli.compare import print_comparison, run_comparison, write_report

__all__ = ["register"]

AS_IS, TO_BE = "hello.yaml", "hello-to-be.yaml"


def cmd_demo(args: argparse.Namespace) -> int:
    from leanproc.bpmn import read_bpmn
    from leanproc.eventlog import write_log

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: is a file; give a folder for the report and logs")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("hello.bpmn", "hello-to-be.bpmn"):
        model = read_bpmn(example_path(name))
        problems = [f for f in model.check() if f.severity == "error"]
        errors = (label("demo_errors", args.lang).format(n=len(problems)) if problems
                  else label("demo_no_errors", args.lang))
        print(label("demo_model", args.lang).format(
            name=model.name, n=model.structure().activities, errors=errors))
    print()
    comparison = run_comparison(args, example_path(AS_IS), example_path(TO_BE),
                                replications=args.replications)
    print_comparison(comparison, args.lang)
    print()
    report = out / "report.html"
    write_report(comparison, str(report), lang=args.lang)
    written = [report]
    for side, results in (("as-is", comparison.before), ("to-be", comparison.after)):
        written.append(write_log(results[0].log, out / f"{side}-log.csv"))
    print(label("written", args.lang) + ":")
    for path in written:
        print(f"  {path}")
    print(label("open_report", args.lang) + report.resolve().as_uri())
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common_options(replications=5)],
                       help="run the bundled example end to end",
                       description="Compare the bundled AS-IS and TO-BE taxi-permit models, "
                                   "print Было / Цель / Стало and write the HTML report and "
                                   "the event logs.")
    p.add_argument("--out", default="leanproc-demo", metavar="DIR",
                   help="folder for the report and event logs (default: ./leanproc-demo)")
    p.set_defaults(func=cmd_demo)


