"""The `leanproc` command (also `python -m leanproc`).

Errors a user can fix print one clear line and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from leanproc.errors import LeanprocError


def _example(name: str) -> Path:
    return Path(str(resources.files("leanproc") / "examples" / name))


def cmd_check_model(args: argparse.Namespace) -> int:
    from leanproc.bpmn import read_bpmn

    model = read_bpmn(args.model)
    print(model.summary())
    findings = model.check()
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        print(f"  {f}")
    s = model.structure()
    print(f"  structure: {s}")
    return 1 if errors else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from leanproc.simulate.run import simulate

    result = simulate(args.scenario, seed=args.seed, replications=args.replications)
    if args.replications > 1:
        print(result.summary().to_string())  # type: ignore[union-attr]
        return 0
    print(result)
    print(result.kpi)  # type: ignore[union-attr]
    if args.out:
        from leanproc.mining import write_log

        write_log(result.log, args.out)  # type: ignore[union-attr]
        print(f"event log written to {args.out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Read the bundled example, check it, simulate it and print its KPIs."""
    from leanproc.bpmn import read_bpmn
    from leanproc.simulate.run import simulate

    model_path = _example("hello.bpmn")
    model = read_bpmn(model_path)
    print(model.summary())
    print(f"  structure: {model.structure()}")
    for f in model.check():
        print(f"  {f}")
    scenario = _example("hello.yaml")
    result = simulate(scenario, seed=1)
    print()
    print(result)
    print(result.kpi)  # type: ignore[union-attr]
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.log.to_csv(out / "hello-log.csv", index=False)  # type: ignore[union-attr]
        print(f"\nevent log written to {out / 'hello-log.csv'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leanproc",
        description="Lean process analytics: BPMN models, simulation, KPIs and costs.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check-model", help="read a BPMN file and run the structural checks")
    p.add_argument("model", help="path to a .bpmn file")
    p.set_defaults(func=cmd_check_model)

    p = sub.add_parser("simulate", help="simulate a scenario and print its KPIs")
    p.add_argument("scenario", help="scenario .yaml / .json")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--replications", type=int, default=1)
    p.add_argument("--out", help="write the event log (.csv, .parquet or .xes)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("demo", help="run the bundled example end to end")
    p.add_argument("--out", help="folder for the demo's outputs")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except LeanprocError as exc:
        print(f"leanproc: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"leanproc: error: file not found: {exc.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
