"""``leanproc optimize scenario.yaml --vary PATH=VALUES ... --objective KPI``: the cheapest
staffing and working hours that meet the targets (`leanproc.optimize`).

The candidates are printed cheapest first, then the best and what is claimed about it; the
winning scenario is written as YAML with ``--out`` (its ``model:`` relative to that file).
Exit status 0 when a candidate is shown to meet every target with the stated confidence, 1
when none is, 2 for a command line or input that cannot be used. A progress bar (tqdm) counts
the simulation runs on stderr when it is a terminal, unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from leanproc.cli._common import (
    XLSX_HELP,
    XLSX_SUFFIXES,
    UsageError,
    check_output_file,
    input_files,
    positive_int,
    print_table,
    write_workbook_of,
)
from leanproc.cli._vary import parse_span, parse_vary

__all__ = ["register"]

# "KPI=COND" (lead_time.mean=<=24h; an activity's name may hold spaces): the KPI holds no
# comparison sign, and its "=" is not the first of "=="
_PAIR = re.compile(r"^\s*(?P<kpi>[^=<>!]+?)\s*=(?!=)(?P<cond>.+)$")
_EXECUTOR = re.compile(r"^(local|processes|(dask|tcp)://.+)$")


def _targets(args: argparse.Namespace) -> Any:
    """The targets of ``--targets`` (files, ``KPI=COND`` pairs or ``KPI <= X`` texts, in
    any mix) as one target set; without ``--targets``, the scenario's own ``targets:``."""
    from leanproc.targets.spec import TargetSet, parse_targets
    from leanproc.testing.gate import targets_for

    if not args.targets:
        from leanproc.scenario.loading import load_mapping

        data, _, _ = load_mapping(args.scenario)
        return parse_targets(data.get("targets"))

    found: list[Any] = []
    for item in args.targets:
        if Path(item).is_file():
            found += parse_targets(targets_for(item, args.scenario)).targets
        elif m := _PAIR.match(item):
            found += parse_targets({m["kpi"]: m["cond"].strip()}).targets
        elif "<" in item or ">" in item or "==" in item:
            found += parse_targets([item]).targets
        else:
            raise UsageError(f"--targets {item}: neither a file nor a target; give a targets "
                             f".yaml or KPI=COND, e.g. --targets lead_time.mean='<=24h'")
    return TargetSet(tuple(found))


def _check_args(args: argparse.Namespace) -> dict[str, Any]:
    """Everything that can be refused before a run: the decisions, the executor, the outputs.
    Returns the decisions."""
    if not Path(args.scenario).is_file():
        raise UsageError(f"{args.scenario}: no such scenario file")
    decisions = parse_vary(args.vary)
    if args.executor and not _EXECUTOR.match(args.executor):
        raise UsageError(f"--executor {args.executor}: give processes, local or "
                         f"dask://host:port")
    if args.out:
        check_output_file(args.out, "--out", (".yaml", ".yml"))
    if args.html:
        check_output_file(args.html, "--html", (".html", ".htm"))
    if args.xlsx:
        check_output_file(args.xlsx, "--xlsx", XLSX_SUFFIXES)
    return decisions


def _replications(text: str | None) -> tuple[int, int]:
    if text is None:
        return (5, 40)
    values = parse_span(text, flag=f"--replications {text}")
    if not all(isinstance(v, int) for v in values):
        raise UsageError(f"--replications {text}: give FIRST..MOST in whole runs, e.g. 5..40")
    return (values[0], values[-1])


class _Bar:
    """The `progress=` callback of `optimize` as a tqdm bar of simulation runs on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        self.enabled = enabled

    def __call__(self, state: dict[str, Any]) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm  # type: ignore[import-untyped]

            self.bar = tqdm(total=state.get("budget"), unit="run", file=sys.stderr,
                            leave=False, dynamic_ncols=True)
        self.bar.n = int(state.get("runs") or 0)
        self.bar.set_description(str(state.get("phase", "")))
        self.bar.set_postfix_str(f"{state.get('candidates', 0)} candidates", refresh=False)
        self.bar.refresh()
        if state.get("phase") == "done":
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def cmd_optimize(args: argparse.Namespace) -> int:
    decisions = _check_args(args)
    replications = _replications(args.replications)
    from leanproc.inputs import DEFAULT_SEED
    from leanproc.optimization import optimize

    quiet = args.quiet or args.no_progress
    bar = _Bar(enabled=not quiet and sys.stderr.isatty())
    try:
        result = optimize(args.scenario, decisions=decisions, targets=_targets(args),
                          objective=args.objective, constraints=args.constraint or None,
                          seed=DEFAULT_SEED if args.seed is None else args.seed,
                          executor=args.executor, budget=args.budget,
                          confidence=args.confidence, replications=replications,
                          until=args.until, progress=bar)
    finally:
        bar.close()
    print_result(result, args.lang)
    if args.out and result.best_scenario is not None:
        write_best(result, args.scenario, args.out)
        print(("сценарий лучшего варианта" if args.lang == "ru" else "best scenario")
              + f": {args.out}")
    elif args.out:
        print(f"leanproc: note: {args.out} not written: no candidate met the targets",
              file=sys.stderr)
    if args.html:
        from leanproc.report import html

        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        html(result, lang=args.lang, path=args.html)
        print(f"HTML: {args.html}")
    if args.xlsx:
        write_workbook_of(result, args.xlsx, args.lang,
                          input_files("scenario_file", args.scenario, args.lang))
    return 0 if result.best is not None else 1


def write_best(result: Any, scenario_file: str, out: str) -> None:
    """The winning scenario as YAML at `out`, its ``model:`` relative to `out`'s folder."""
    scenario = result.best_scenario.scenario
    if scenario.model and not Path(scenario.model).is_absolute():
        # the candidates are patched copies of the mapping read from `scenario_file`, so a
        # relative model path is relative to that file
        model = (Path(scenario_file).parent / scenario.model).resolve()
        scenario = scenario.model_copy(update={"model": str(model)})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    scenario.to_yaml(out)


def print_result(result: Any, lang: str) -> None:
    """The candidates, cheapest first, then the best and the claims."""
    import pandas as pd

    from leanproc._labels import localise_text, note_text
    from leanproc.optimization.view import candidate_rows, word

    print(word("title", lang) + f": {result.objective} — " + word("summary", lang).format(
        n=len(result.candidates), method=word(result.method, lang), runs=result.runs,
        seed=result.seed))
    columns, rows = candidate_rows(result, lang=lang)
    print_table(pd.DataFrame(rows, columns=columns), left=(-3, -1))
    if result.best is None:
        print(word("none", lang))
    else:
        shown = ", ".join(f"{k} = {v}" for k, v in result.best.items())
        print(f"{word('best', lang)}: {shown}")
    for line in result.statements:
        print(f"  - {localise_text(note_text(line, lang), lang)}")
    for line in result.notes:
        print(f"  ! {localise_text(note_text(line, lang), lang)}")


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text} must lie in [0.5, 1), e.g. 0.95")
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "optimize", parents=[common],
        help="the cheapest staffing / working hours that meet the targets",
        description="Search the decisions (--vary) for the candidate with the lowest mean "
                    "--objective among those shown to meet the targets with the stated "
                    "confidence (leanproc.optimize). Exit status 0 when one is found, 1 when "
                    "none meets the targets, 2 for a bad command line or input.")
    p.add_argument("scenario", help="the base scenario (.yaml); each candidate patches it")
    p.add_argument("--vary", action="append", required=True, metavar="PATH=VALUES",
                   help="a decision: a dotted scenario path and its values, a..b, a..b/step "
                        "or v1,v2,... (resources.clerk.count=1..10, "
                        "resources.clerk.calendar=ru-5x8,ru-2x12); repeat for more")
    p.add_argument("--constraint", action="append", metavar="EXPR",
                   help="a condition on the decisions, e.g. \"resources.clerk.count + "
                        "resources.lawyer.count <= 12\"; repeat for more")
    p.add_argument("--targets", nargs="+", metavar="FILE|KPI=COND",
                   help="a targets .yaml and / or KPI=COND pairs (lead_time.mean='<=24h') "
                        "(default: the scenario's own targets:)")
    p.add_argument("--until", metavar="WHEN",
                   help="end every run at an instant or after a duration from the start (e.g. "
                        "42d), as simulate --until: throughput per day then counts that period")
    p.add_argument("--objective", required=True, metavar="KPI",
                   help="the KPI to minimise: staff_cost.per_year, cost.per_case, "
                        "lead_time.p90, ...")
    p.add_argument("--budget", type=positive_int, metavar="RUNS",
                   help="the most simulation runs; the best found so far is returned when hit")
    p.add_argument("--confidence", type=_confidence, default=0.95,
                   help="joint confidence of the claims (default: 0.95)")
    p.add_argument("--replications", metavar="FIRST..MOST",
                   help="replications per candidate: first batch..most (default: 5..40)")
    p.add_argument("--executor", metavar="processes|local|dask://HOST:PORT",
                   help="where the runs go: processes (a process pool, the default), local "
                        "(this process, one run at a time) or a Dask scheduler; the answer is "
                        "the same on each")
    p.add_argument("--out", metavar="BEST.yaml", help="write the winning scenario here")
    p.add_argument("--html", metavar="OUT", help="also write the HTML report here")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_optimize)
