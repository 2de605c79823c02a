"""``leanproc check-model``: read a BPMN file, run the structural checks, show the lean counts."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def cmd_check_model(args: argparse.Namespace) -> int:
    """Exit 0 when the model has no error findings (warnings and reading notes are shown but
    pass), else 1. A certain deadlock (a parallel join of one exclusive split's branches) is an
    error."""
    from leanproc.bpmn import read_bpmn

    model = read_bpmn(args.model)
    print(model.summary())
    for note in model.notes:  # cosmetic defects the reader tolerated, each naming its element
        print(f"  note: {note}")
    findings = model.check()
    for finding in findings:
        print(f"  {finding}")
    print(f"  structure: {model.structure()}")
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(f"{len(errors)} error(s) in {args.model}")
        return 1
    print("no errors" + (f" ({len(findings)} warning(s))" if findings else ""))
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check-model", help="read a BPMN file and run the structural checks",
                       description="Read a BPMN 2.0 file, list structural problems with their "
                                   "element ids, and show the lean counts. Exit 1 on errors.")
    p.add_argument("model", help="path to a .bpmn file")
    p.set_defaults(func=cmd_check_model)
