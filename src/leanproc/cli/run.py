"""``leanproc simulate`` and ``leanproc cost``: one scenario, its KPIs, its event log, its cost."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from leanproc._display import fmt_fixed, localise_numbers
from leanproc._labels import kpi_labels, label, unit_label
from leanproc.cli._common import (
    LOG_SUFFIXES,
    XLSX_HELP,
    XLSX_SUFFIXES,
    ProgressExecutor,
    UsageError,
    check_output_file,
    common_options,
    input_files,
    positive_float,
    print_table,
    progress_for,
    shown_cells,
    write_workbook_of,
)
from leanproc.inputs import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register", "run_scenario"]



def run_scenario(args: argparse.Namespace, scenario: Any, *, replications: int = 1,
                 keep_log: bool = True, until: str | None = None) -> Any:
    """Simulate with a progress bar over the replications (one run needs none)."""
    from leanproc.simulation.run import simulate

    seed = DEFAULT_SEED if args.seed is None else args.seed
    if replications == 1:
        return simulate(scenario, seed=seed, until=until, keep_log=keep_log)
    with progress_for(args, replications, "simulating") as bar:
        return simulate(scenario, seed=seed, replications=replications, until=until,
                        keep_log=keep_log, executor=ProgressExecutor(bar))


def summary_table(replications: Any, lang: str) -> pd.DataFrame:
    """KPI means and 95 % CIs over replications, in hours and percent, labelled."""
    import pandas as pd

    from leanproc.kpi.display import display_value

    summary = replications.summary()
    rows = []
    for key, r in summary.iterrows():
        key = str(key)
        if key.startswith("activity.") or key.endswith((".n", ".ci_low", ".ci_high")):
            continue
        mean, unit = display_value(key, float(r["mean"]))
        low, high = display_value(key, float(r["ci_low"]))[0], \
            display_value(key, float(r["ci_high"]))[0]
        ci = "" if math.isnan(low) or low == high else \
            localise_numbers(f"{low:,.4g} .. {high:,.4g}", lang)
        rows.append({"kpi": key, "mean": localise_numbers(f"{mean:,.4g}", lang), "95% CI": ci,
                     "unit": unit_label(unit, lang)})
    table = pd.DataFrame(rows, columns=["kpi", "mean", "95% CI", "unit"])
    table.insert(0, "KPI", kpi_labels(table["kpi"], lang))
    table = table.drop(columns="kpi")
    if lang == "ru":
        table.columns = ["Показатель", "Среднее", "95% ДИ", "Ед."]
    return table


def result_line(result: Any, lang: str) -> str:
    """One simulation run in a line of `lang` (the English form is the result's repr)."""
    finished = int(result.cases["end"].notna().sum())
    lead = f"{fmt_fixed(result.cases['lead_time'].mean() / 3600.0, 2, lang)} " \
        f"{unit_label('h', lang)}"
    return label("sim_result", lang).format(
        cases=len(result.cases), finished=finished, instances=len(result.log), lead=lead,
        seed=result.seed)


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.stream and args.out:
        raise UsageError("--out needs the event log, which --stream does not keep: drop one")
    if args.out:
        check_output_file(args.out, "--out", LOG_SUFFIXES)
    if args.xlsx:
        check_output_file(args.xlsx, "--xlsx", XLSX_SUFFIXES)
    result = run_scenario(args, args.scenario, replications=args.replications,
                          keep_log=not args.stream, until=args.until)
    if args.replications > 1:
        print(label("runs_of", args.lang).format(n=args.replications, scenario=args.scenario))
        print_table(summary_table(result, args.lang))
        first = result.results[0]
    else:
        print(result if args.lang == "en" else result_line(result, args.lang))
        print(label("one_run", args.lang))
        print(result.kpi.to_text(args.lang))
        first = result
    if args.out:
        from leanproc.eventlog import write_log

        written = write_log(first.log, args.out)
        which = label("first_run", args.lang) if args.replications > 1 else ""
        print(label("log_written", args.lang).format(
            which=which, events=fmt_fixed(len(first.log), 0, args.lang), path=written))
    if args.xlsx:
        write_workbook_of(result, args.xlsx, args.lang,
                          input_files("scenario_file", args.scenario, args.lang))
    return 0


def cmd_cost(args: argparse.Namespace) -> int:
    from leanproc.cost import process_cost
    from leanproc.cost.calculator import check_volume

    check_volume(args.volume)  # before the simulation, not after it
    if args.xlsx:
        check_output_file(args.xlsx, "--xlsx", XLSX_SUFFIXES)
    result = run_scenario(args, args.scenario)
    report = process_cost(result, volume_per_year=args.volume)
    per_year = args.volume is not None
    table = report.fsa_table(lang=args.lang, per_year=per_year)
    title = label("fsa_title", args.lang)
    if per_year:
        title += ", " + label("fsa_per_year", args.lang).format(
            volume=fmt_fixed(args.volume, 0, args.lang))
    print(f"{title}: {args.scenario}")
    print_table(shown_cells(table, args.lang))
    print()
    print(report.to_text(args.lang))
    if args.xlsx:
        from leanproc._workbook import basis_text

        # keys of leanproc._labels, translated on the sheet
        parameters = {**input_files("scenario_file", args.scenario, args.lang),
                      "random_seed": result.seed, "values_are": basis_text(1, args.lang)}
        write_workbook_of(report, args.xlsx, args.lang, parameters)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    with_reps = common_options(replications=1)
    p = sub.add_parser("simulate", parents=[with_reps],
                       help="simulate a scenario and print its KPIs",
                       description="Simulate a scenario (YAML / JSON) on its BPMN model and "
                                   "print lead time (ВПП), waiting, PCE, throughput, WIP, "
                                   "utilisation. With --replications N, means and 95%% CIs.")
    p.add_argument("scenario", help="scenario .yaml / .json (its `model:` names the BPMN file)")
    p.add_argument("--out", metavar="LOG",
                   help="write the event log: .csv, .csv.gz, .parquet, .xes or .xes.gz")
    p.add_argument("--stream", action="store_true",
                   help="keep per-case summaries only (long runs: memory does not grow with "
                        "the log); the KPIs are the same")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.add_argument("--until", metavar="WHEN",
                   help="stop at an instant or after a duration from the start (e.g. 42d); "
                        "cases in progress count as unfinished")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("cost", parents=[common],
                       help="the process calculator: the ФСА table of a scenario",
                       description="Simulate a scenario and price it with its resource rates: "
                                   "the activity-based costing (ФСА) table, cost per case and "
                                   "per year, labour hours (трудозатраты), FTE.")
    p.add_argument("scenario", help="scenario .yaml / .json")
    p.add_argument("--volume", type=positive_float, metavar="N",
                   help="cases per year for the yearly figures (default: estimated from the "
                        "arrival rate)")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.set_defaults(func=cmd_cost)
