"""``leanproc check-model``: read a BPMN file, run the structural checks, show the lean counts.

The printout is for the analyst who drew the model: what the file holds (processes, pools and
lanes by name, elements by kind), the lean counts as a small table in the words of ``--lang``,
the reader's notes, and each finding with the element's name; a sequence flow reads
"source name → target name [flow id]", since a modeller knows the boxes, not the flow ids.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from typing import Any

from leanproc._labels import kpi_label, label

__all__ = ["flow_text", "register"]

# the lean counts worth a row, in this order (the names of `Structure.as_dict`)
_LEAN_ROWS = ("activities", "participants", "pools", "lanes", "handoffs", "pool_handoffs",
              "approvals", "client_actions", "paper_documents", "gateways", "events",
              "subprocesses", "value_adding", "business_value", "waste", "unclassified")
# `Structure.as_dict` says value_adding for the count; the label table calls it so (its
# value_adding is the time)
_LABEL_OF = {"value_adding": "value_adding_count"}


def _name(model: Any, node_id: str) -> str:
    """A flow node as a modeller knows it: its name in quotes, else its id."""
    node = model.nodes.get(node_id)
    return f"«{node.name}»" if node is not None and node.name else node_id


def flow_text(model: Any, flow_id: str) -> str:
    """A sequence or message flow as "«source» → «target» [id]"; an unknown id as it is."""
    flow = model.flows.get(flow_id) or model.message_flows.get(flow_id)
    if flow is None:
        return flow_id
    named = f" «{flow.name}»" if flow.name else ""
    return f"{_name(model, flow.source)} → {_name(model, flow.target)}{named} [{flow_id}]"


def _finding_text(model: Any, finding: Any) -> str:
    """A finding with its element named; flow ids inside the message read as their ends."""
    message = finding.message
    for fid in set(re.findall(r"[\w.-]+", message)) & set(model.flows):
        message = re.sub(rf"(?<![\w.-]){re.escape(fid)}(?![\w.-])", flow_text(model, fid),
                         message)
    where = ""
    if finding.element_id in model.flows or finding.element_id in model.message_flows:
        where = flow_text(model, finding.element_id) + ": "
    elif finding.element_id:
        where = (f"{_name(model, finding.element_id)} [{finding.element_id}]: "
                 if finding.element_name else f"{finding.element_id}: ")
    return f"{finding.severity} [{finding.code}] {where}{message}"


def _names(items: Any) -> str:
    names = [item.name or item.id for item in items]
    return f" ({', '.join(names)})" if names else ""


def _kind_word(tag: str, lang: str) -> str:
    """A BPMN element kind in `lang`; a kind without words keeps its BPMN name."""
    word = label(f"cli.model.kind.{tag}", lang)
    return tag if word == f"cli.model.kind.{tag}" else word


def print_model(model: Any, lang: str) -> None:
    """What the file holds and its lean counts (the findings come after, see the command)."""
    import pandas as pd

    from leanproc.cli._common import print_table

    title = model.name or next((p.name for p in model.processes.values() if p.name), None)
    print(f"{model.source}" + (f" — {title}" if title else ""))
    print(f"  {label('cli.model.processes', lang)}: {len(model.processes)}"
          f"{_names(model.processes.values())}")
    print(f"  {label('cli.model.pools', lang)}: {len(model.participants)}"
          f"{_names(model.participants.values())}")
    print(f"  {label('cli.model.lanes', lang)}: {len(model.lanes)}"
          f"{_names(model.lanes.values())}")
    kinds = Counter(node.tag for node in model.nodes.values())
    print(f"  {label('cli.model.elements', lang)}: {len(model.nodes)} ("
          + ", ".join(f"{_kind_word(tag, lang)} {n}" for tag, n in sorted(kinds.items()))
          + f"); "
          f"{label('cli.model.flows', lang)}: {len(model.flows)}, "
          f"{label('cli.model.message_flows', lang)}: {len(model.message_flows)}")
    if model.exporter:
        print(f"  {label('cli.model.exported', lang)}: {model.exporter} "
              f"{model.exporter_version or ''}".rstrip())
    try:
        structure = model.structure()
    except Exception as exc:  # the counts need a readable flow; the findings say why not
        print(f"  {label('cli.model.lean', lang)}: — ({exc})")
        return
    counts = structure.as_dict()
    rows = [(kpi_label(_LABEL_OF.get(key, key), lang), int(counts[key]))
            for key in _LEAN_ROWS if key in counts]
    print(f"\n{label('cli.model.lean', lang)}:")
    columns = [label("kpi", lang), label("cli.model.count", lang)]
    print_table(pd.DataFrame(rows, columns=columns), left=(0,))
    if structure.handoff_ids:
        print(f"\n{label('cli.model.handoffs', lang)}:")
        for fid in structure.handoff_ids:
            print(f"  {flow_text(model, fid)}")


def cmd_check_model(args: argparse.Namespace) -> int:
    """Exit 0 when the model has no error findings (warnings and reading notes are shown but
    pass), else 1. A certain deadlock (a parallel join of one exclusive split's branches) is an
    error."""
    from leanproc.bpmn import read_bpmn

    lang = args.lang
    model = read_bpmn(args.model)
    print_model(model, lang)
    if model.notes:  # cosmetic defects the reader tolerated, each naming its element
        print(f"\n{label('cli.model.notes', lang)}:")
        for note in model.notes:
            print(f"  {note}")
    findings = model.check()
    if findings:
        print(f"\n{label('cli.model.findings', lang)}:")
        for finding in findings:
            print(f"  {_finding_text(model, finding)}")
    print()
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(label("cli.model.errors", lang, n=len(errors), file=args.model))
        return 1
    warnings = label("cli.model.warnings", lang, n=len(findings)) if findings else ""
    print(label("cli.model.no_errors", lang) + warnings)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check-model", help="read a BPMN file and run the structural checks",
                       description="Read a BPMN 2.0 file, list structural problems naming "
                                   "their elements (flows as source → target), and show the "
                                   "lean counts. Exit 1 on errors.")
    p.add_argument("model", help="path to a .bpmn file")
    p.add_argument("--lang", choices=("en", "ru"), default="en",
                   help="language of the lean counts' labels (default: en)")
    p.set_defaults(func=cmd_check_model)
