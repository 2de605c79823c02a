"""``leanproc monitor``: post-monitoring (постмониторинг) of one event log that spans a change.

The KPI per period, its XmR control chart, the change point (given with ``--change`` or
detected) and each side's figures with intervals; with ``--projection`` (a scenario, simulated
here as ``validate`` does) or ``--targets`` the after-period gets verdicts. Exit status 1 when
a target is not met after the change, so a scheduled job can flag a change that did not hold.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from leanproc.cli._common import (
    XLSX_HELP,
    XLSX_SUFFIXES,
    UsageError,
    check_output_file,
    common_options,
    input_files,
    write_workbook_of,
)

__all__ = ["register"]

KPIS = ("lead_time", "lead_time_working", "waiting", "waiting_working", "throughput", "cost")
_SLA = re.compile(r"sla_share\(\s*[\d.]+\s*[a-z]+\s*\)")


def _check_args(args: argparse.Namespace) -> tuple[Any, Any]:
    """Refuse what cannot work before the log is read: the KPI, the period, the change date,
    the output files. Returns the change instant (or None) and the period."""
    import pandas as pd

    if args.kpi not in KPIS and not _SLA.fullmatch(args.kpi):
        raise UsageError(
            f"--kpi {args.kpi}: unknown KPI; one of {', '.join(KPIS)} or "
            f"sla_share(<deadline>), e.g. sla_share(24h)"
        )
    try:
        pd.tseries.frequencies.to_offset(args.freq)
    except ValueError:
        raise UsageError(
            f"--freq {args.freq}: not a period; use D (day), W (week), MS (month) or QS (quarter)"
        ) from None
    change = None
    if args.change:
        try:
            change = pd.Timestamp(args.change)
        except ValueError:
            raise UsageError(
                f"--change {args.change}: not a date; write it as 2025-03-01 or 2025-03-01T09:00"
            ) from None
    if Path(args.log).is_dir():
        raise UsageError(f"{args.log}: is a folder; give the event log file")
    if args.html:
        check_output_file(args.html, "--html", (".html", ".htm"))
    if args.xlsx:
        check_output_file(args.xlsx, "--xlsx", XLSX_SUFFIXES)
    return change, args.freq


def cmd_monitor(args: argparse.Namespace) -> int:
    change, freq = _check_args(args)
    from leanproc.calendar import Calendar
    from leanproc.eventlog import read_log
    from leanproc.inputs import log_zone
    from leanproc.mining.monitor import monitor

    zone = args.timezone or log_zone(Calendar.parse(args.calendar))
    log = read_log(args.log, timezone=zone)
    projection = None
    if args.projection:
        from leanproc.cli.run import run_scenario

        projection = run_scenario(args, args.projection, replications=args.replications)
    report = monitor(
        log,
        kpi=args.kpi,
        freq=freq,
        change=change,
        calendar=args.calendar,
        projection=projection,
        targets=args.targets,
    )
    print(monitor_text(report, args.lang))
    if args.html:
        from leanproc.report import html

        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        html(report, lang=args.lang, path=args.html)
        print(f"HTML: {args.html}")
    if args.xlsx:
        files = {
            **input_files("view.monitor.log_file", args.log, args.lang),
            **input_files("targets_file", args.targets, args.lang),
            **input_files("to_be", args.projection, args.lang),
        }
        write_workbook_of(report, args.xlsx, args.lang, files)
    return 1 if report.targets_met is False else 0


def monitor_text(report: Any, lang: str) -> str:
    """The terminal summary: the periods, the change, before → after with intervals, the
    verdicts and the notes."""
    from leanproc._display import fmt_number
    from leanproc._labels import kpi_label, label, note_text, unit_label
    from leanproc.mining.monitor_display import (
        change_text,
        chart_text,
        comparison_rows,
        freq_text,
        head_text,
        kpi_scale,
        target_text,
        validation_rows,
        verdict_text,
    )

    def shown(value: float | None, unit: str) -> str:
        u = unit_label(unit, lang)
        return "" if value is None else f"{fmt_number(value, lang)}{' ' + u if u else ''}"

    def interval(low: float | None, high: float | None) -> str:
        if low is None or high is None:
            return ""
        return f" [{fmt_number(low, lang)} … {fmt_number(high, lang)}]"

    factor, unit = kpi_scale(report.kpi)
    values = report.periods["value"]
    lines = [
        head_text(report, lang),
        label("view.monitor.periods_line", lang).format(
            n=len(report.periods),
            freq=freq_text(report.freq, lang),
            cases=int(report.periods["cases"].sum()),
            kpi=kpi_label(report.kpi, lang),
            first=shown(float(values.iloc[0]) * factor, unit) if len(values) else "",
            last=shown(float(values.iloc[-1]) * factor, unit) if len(values) else "",
        ),
        chart_text(report, lang),
        change_text(report, lang),
    ]
    for r in comparison_rows(report):
        change = r["relative_change"]
        pct = "" if change is None else f" ({fmt_number(change * 100.0, lang)} %)"
        lines.append(
            f"  {kpi_label(r['kpi'], lang)}: {shown(r['before'], r['unit'])}"
            f"{interval(r['before_low'], r['before_high'])} → "
            f"{shown(r['after'], r['unit'])}"
            f"{interval(r['after_low'], r['after_high'])}{pct}"
        )
    for r in validation_rows(report):
        bound = target_text(str(r["target"]), lang)
        target = f", {label('target', lang).lower()} {bound}" if r["target"] else ""
        lines.append(
            f"  {kpi_label(r['kpi'], lang)}: {label('view.monitor.projected', lang).lower()} "
            f"{shown(r['projected'], r['unit'])}, {label('view.monitor.actual', lang).lower()} "
            f"{shown(r['actual'], r['unit'])}{target} -> "
            f"{verdict_text(r['verdict'], lang)}"
        )
    met = report.targets_met
    if met is not None:
        lines.append(
            label("view.monitor.targets_ok" if met else "view.monitor.targets_missed", lang)
        )
    lines += [f"  {label('notes', lang)}: {note_text(n, lang)}" for n in report.notes]
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "monitor",
        parents=[common_options(replications=10)],
        help="post-monitoring: a KPI per period from one log spanning a change",
        description="Read the event log (XES, CSV, Parquet), chart the KPI per period as an "
        "XmR control chart, find the change point (or take --change) and compare "
        "the periods before and after with intervals; with --projection or "
        "--targets, give the after-period verdicts. Exit status 1 when a target "
        "is not met after the change.",
    )
    p.add_argument("log", help="the event log: .xes, .xes.gz, .csv, .parquet")
    p.add_argument(
        "--kpi",
        default="lead_time",
        help=f"the KPI to monitor: {', '.join(KPIS)} or sla_share(24h) (default: lead_time)",
    )
    p.add_argument(
        "--freq", default="W", help="the period: D, W (default), MS (month), QS (quarter)"
    )
    p.add_argument(
        "--change", metavar="DATE", help="when the change was made (default: detected from the log)"
    )
    p.add_argument(
        "--calendar", metavar="SPEC", help="working calendar for working-time KPIs, e.g. ru-5x8"
    )
    p.add_argument(
        "--projection",
        metavar="SCENARIO",
        help="the projected scenario .yaml (e.g. the TO-BE), simulated with -n "
        "replications, to judge the after-period against",
    )
    p.add_argument("--targets", metavar="FILE", help="targets .yaml for the after-period")
    p.add_argument(
        "--timezone", metavar="ZONE",
        help="zone of naive timestamps in the log (default: the --calendar's zone, else UTC)"
    )
    p.add_argument("--html", metavar="OUT", help="also write the HTML report here")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.set_defaults(func=cmd_monitor)
