"""``leanproc check-model``: read a BPMN file, run the structural checks, show the lean counts."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def cmd_check_model(args: argparse.Namespace) -> int:
    """Exit 0 when the model has no error findings (warnings and reading notes are shown but
    pass), else 1. A certain deadlock (a parallel join of one exclusive split's branches) is an
    error."""
    from leanproc.bpmn import read_bpmn
    from leanproc.cli._texts import model_text, model_verdict

    model = read_bpmn(args.model)
    findings = model.check()
    # the reading notes are cosmetic defects the reader tolerated, each naming its element
    print("\n".join(model_text(model, findings, args.lang)))
    errors = [f for f in findings if f.severity == "error"]
    print(model_verdict(findings, len(errors), args.model, args.lang))
    return 1 if errors else 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check-model", help="read a BPMN file and run the structural checks",
                       description="Read a BPMN 2.0 file, list structural problems with their "
                                   "element ids, and show the lean counts. Exit 1 on errors.")
    p.add_argument("model", help="path to a .bpmn file")
    p.add_argument("--lang", choices=("en", "ru"), default="en",
                   help="language of the output (default: en)")
    p.set_defaults(func=cmd_check_model)
