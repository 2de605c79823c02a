"""``leanproc compare``, ``ladder`` and ``report``: AS-IS against TO-BE, step by step, on paper.

Every replication goes through a `ProgressExecutor`, so long comparisons show a progress bar on
a terminal; results are the same with or without it.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc._display import fmt_fixed, fmt_money, localise_numbers
from leanproc._labels import kpi_label, label, unit_label
from leanproc.cli._common import (
    XLSX_HELP,
    XLSX_SUFFIXES,
    ProgressExecutor,
    UsageError,
    check_output_file,
    common_options,
    input_files,
    positive_float,
    positive_int,
    print_table,
    progress_for,
    write_workbook_of,
)
from leanproc.cli.run import run_scenario
from leanproc.inputs import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["comparison_table", "register", "run_comparison", "waterfall_table"]

_HEAD = {"en": ("KPI", "Before", "Target", "After", "Change", "Verdict"),
         "ru": ("Показатель", "Было", "Цель", "Стало", "Изменение", "Итог")}


def run_comparison(args: argparse.Namespace, as_is: Any, to_be: Any, *,
                   targets: Any = None, replications: int = 10,
                   volume: float | None = None) -> Any:
    """`leanproc.compare` with the CLI's seed and a progress bar over both sides."""
    from leanproc.comparison import compare
    from leanproc.testing.gate import targets_for

    if isinstance(targets, str):
        targets = targets_for(targets, to_be)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    with progress_for(args, 2 * replications, "simulating AS-IS and TO-BE") as bar:
        return compare(as_is, to_be, targets, replications=replications, seed=seed,
                       volume_per_year=volume, executor=ProgressExecutor(bar))


def comparison_table(comparison: Any, lang: str = "en", *, ci: bool = False) -> pd.DataFrame:
    """Было / Цель / Стало for a terminal: one row per KPI, means with their units (with 95 %
    CIs when `ci`), the relative change and the target verdict marked ✓ met, ✗ not met,
    ? uncertain. The numbers come from `Comparison.table`; only the text is made here."""
    import pandas as pd

    from leanproc._labels import unit_label
    from leanproc.comparison.display import verdict_mark

    table = comparison.table(lang=lang)
    head = _HEAD[lang]
    if table.empty:
        return pd.DataFrame(columns=list(head))

    def shown(r: dict[str, Any], name: str) -> str:
        unit = unit_label(r["unit"], lang)
        mean, low, high = r[name], r[f"{name}_low"], r[f"{name}_high"]
        if math.isnan(mean):
            return "n/a"
        text = _number(mean, lang)
        if ci and not (math.isnan(low) or low == high):
            text += f" [{_number(low, lang)} .. {_number(high, lang)}]"
        return f"{text} {unit}".rstrip()

    def target(r: dict[str, Any]) -> str:
        if not r["target"]:
            return ""
        return f"{r['target'].split(' ', 1)[0]} {_number(r['target_value'], lang)} " \
               f"{unit_label(r['unit'], lang)}".rstrip()

    rows = table.to_dict("records")
    return pd.DataFrame({
        head[0]: [r["label"] for r in rows],
        head[1]: [shown(r, "before") for r in rows],
        head[2]: [target(r) for r in rows],
        head[3]: [shown(r, "after") for r in rows],
        head[4]: ["n/a" if math.isnan(r["change_pct"])
                  else localise_numbers(f"{r['change_pct']:+.1f} %", lang) for r in rows],
        head[5]: [verdict_mark(r["verdict"], lang) for r in rows],
    })


def _number(value: float, lang: str) -> str:
    """A figure for the terminal: two decimals, thousands grouped, whole counts without; in
    the number format of `lang` («1 234,50» in Russian)."""
    return fmt_fixed(value, 0 if float(value).is_integer() else 2, lang)


def print_comparison(comparison: Any, lang: str, *, ci: bool = False) -> None:
    n = len(comparison.before_values)
    how = label("paired" if comparison.paired else "independent", lang)
    print(label("compare_head", lang).format(before=comparison.names[0],
                                             after=comparison.names[1], n=n, how=how))
    print_table(comparison_table(comparison, lang, ci=ci))
    s = comparison.saving_per_case()
    y = comparison.yearly_saving()
    if not math.isnan(s.mean):
        line = (f"{label('saving_per_case', lang)}: {fmt_money(s.mean, lang)} "
                f"[{fmt_fixed(s.low, 2, lang)} .. {fmt_fixed(s.high, 2, lang)}]")
        if not math.isnan(y.mean):
            line += (f"; {label('saving_per_year', lang)}: {fmt_money(y.mean, lang, decimals=0)}"
                     f" [{fmt_fixed(y.low, 0, lang)} .. {fmt_fixed(y.high, 0, lang)}]")
        print(line)


def _check_first(args: argparse.Namespace) -> None:
    """What can be refused at once is refused before any simulation runs."""
    if getattr(args, "html", None):
        check_output_file(args.html, "--html")
    if getattr(args, "xlsx", None):
        check_output_file(args.xlsx, "--xlsx", XLSX_SUFFIXES)
    if getattr(args, "volume", None) is not None:
        from leanproc.cost.calculator import check_volume

        check_volume(args.volume)


def cmd_compare(args: argparse.Namespace) -> int:
    _check_first(args)
    if args.improvements and not args.html:
        raise UsageError("--improvements draws the HTML report's waterfall: add --html out.html"
                         " (or see `leanproc ladder` for the ladder's table)")
    comparison = run_comparison(args, args.as_is, args.to_be, targets=args.targets,
                                replications=args.replications, volume=args.volume)
    print_comparison(comparison, args.lang, ci=args.ci)
    if args.html:
        write_report(comparison, args.html, lang=args.lang,
                     ladder=_report_ladder(args, args.as_is))
        print(f"{label('report_written', args.lang)}: {args.html}")
    if args.xlsx:
        files = {**input_files("as_is", args.as_is, args.lang),
                 **input_files("to_be", args.to_be, args.lang),
                 **input_files("targets_file", args.targets, args.lang)}
        write_workbook_of(comparison, args.xlsx, args.lang, files)
    return 0


# ----------------------------------------------------------------------------- ladder
def run_ladder(args: argparse.Namespace, files: list[str]) -> Any:
    """The improvement ladder of an improvements file (its own `as_is:` unless one is given)."""
    from leanproc.comparison import ladder, load_improvements
    from leanproc.comparison.ladder import resolve_path

    improvements_file = files[-1]
    data, imps, folder = load_improvements(improvements_file)
    replications = args.replications or _whole(data, "replications", 10, improvements_file)
    as_is = files[0] if len(files) == 2 else data.get("as_is")
    if as_is is None:
        raise UsageError(f"{improvements_file} has no 'as_is:' scenario: give it first, "
                         f"`leanproc ladder as-is.yaml {improvements_file}`")
    if len(files) == 1:
        as_is = resolve_path(as_is, folder)
    targets = data.get("targets")
    if isinstance(targets, str):
        targets = resolve_path(targets, folder)
    seed = args.seed if args.seed is not None else \
        _whole(data, "seed", DEFAULT_SEED, improvements_file, least=0)
    options: dict[str, Any] = {"lead_time_kpi": data.get("lead_time_kpi", "lead_time.mean")}
    if data.get("volume_per_year") is not None:
        options["volume_per_year"] = data["volume_per_year"]  # ladder checks it
    with progress_for(args, (len(imps) + 1) * replications, "simulating the ladder") as bar:
        return ladder(as_is, imps, targets=targets, replications=replications, seed=seed,
                      base_dir=folder, executor=ProgressExecutor(bar), **options)


def _whole(data: Any, key: str, default: int, file: str, *, least: int = 1) -> int:
    """A whole-number setting of an improvements file, or a one-line error naming it."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise UsageError(f"{file}: {key}: expected a whole number >= {least}, got {value!r}")
    return value


def waterfall_table(ladder: Any, lang: str = "en") -> pd.DataFrame:
    """The waterfall for a terminal: each improvement, the lead time after it, its saving with
    its 95 % CI, its share of the total saving, the cost saving per case, the claimed saving."""
    import pandas as pd

    kpi = ladder.lead_time_kpi
    table = ladder.waterfall([kpi, "cost.per_case"])
    h = unit_label("h", lang)

    def num(value: Any) -> str:
        return "" if value is None or math.isnan(value) else fmt_fixed(value, 2, lang)

    rows = []
    for r in table.to_dict("records"):
        rows.append({
            "#": r["step"],
            label("improvement", lang): r["improvement"],
            f"{label('lead_after', lang)}, {h}": num(r[f"{kpi}.after"]),
            f"{label('lead_saved', lang)}, {h}":
                f"{num(r[f'{kpi}.saving'])} [{num(r[f'{kpi}.saving_low'])} .. "
                f"{num(r[f'{kpi}.saving_high'])}]",
            label("share", lang): _pct(r.get(f"{kpi}.share"), lang),
            f"{label('saving_col', lang)}, {unit_label('RUB', lang)}":
                num(r.get("cost.per_case.saving")),
            f"{label('claimed', lang)}, {h}": num(r.get("claimed_lead_time_saved_h")),
        })
    return pd.DataFrame(rows)


def _pct(value: Any, lang: str = "en") -> str:
    if value is None or math.isnan(value):
        return ""
    # no "-0 %" for a zero saving
    return "0 %" if abs(value) < 0.005 else f"{fmt_fixed(value * 100, 0, lang)} %"


def cmd_ladder(args: argparse.Namespace) -> int:
    if len(args.files) > 2:
        raise UsageError("ladder takes [as-is.yaml] improvements.yaml: at most two files")
    _check_first(args)
    lad = run_ladder(args, args.files)
    kpi = lad.lead_time_kpi
    start, end = lad.level(0) / 3600.0, lad.level(len(lad.improvements)) / 3600.0
    n = len(lad.values[0])
    h = unit_label("h", args.lang)
    print(label("ladder_head", args.lang).format(
        n=n, kpi=kpi if args.lang == "en" else kpi_label(kpi, args.lang),
        start=f"{fmt_fixed(start, 2, args.lang)} {h}", end=f"{fmt_fixed(end, 2, args.lang)} {h}"))
    print_table(waterfall_table(lad, args.lang), left=(1,))
    if args.html:
        write_report(lad.comparison, args.html, lang=args.lang, ladder=lad)
        print(f"{label('report_written', args.lang)}: {args.html}")
    if args.xlsx:
        files = input_files("improvements_file", args.files[-1], args.lang)
        if len(args.files) == 2:
            files |= input_files("as_is", args.files[0], args.lang)
        write_workbook_of(lad, args.xlsx, args.lang, files)
    return 0


# ----------------------------------------------------------------------------- report
def _report_ladder(args: argparse.Namespace, as_is: str) -> Any:
    """The ladder of ``--improvements`` applied to `as_is`, for the report's waterfall (the
    report splits the change by activity when there is none)."""
    if not getattr(args, "improvements", None):
        return None
    return run_ladder(args, [as_is, args.improvements])


def write_report(subject: Any, path: str, *, lang: str, ladder: Any = None,
                 targets: Any = None, title: str | None = None) -> str:
    """The HTML report of a comparison, or of a single run / replications, written to `path`.

    Cost figures come from the process calculator of each side's first replication.
    """
    from leanproc.cost import process_cost
    from leanproc.report import html

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if hasattr(subject, "before_values"):  # a Comparison
        costs = {str(name): process_cost(side[0])
                 for name, side in zip(subject.names, (subject.before, subject.after),
                                       strict=True)}
        return html(subject, ladder=ladder, costs=costs, lang=lang, title=title, path=path)
    first = subject.results[0] if hasattr(subject, "results") else subject
    mapping = None
    if targets is not None:
        from leanproc.targets import parse_targets

        mapping = {t.kpi: t.text.split(" ", 1)[1] for t in parse_targets(targets)}
    return html(subject, targets=mapping, costs=process_cost(first), lang=lang, title=title,
                path=path)


def cmd_report(args: argparse.Namespace) -> int:
    if len(args.scenarios) > 2:
        raise UsageError("report takes one scenario (a simulation report) or two (AS-IS and "
                         "TO-BE, a comparison report)")
    _check_first(args)
    ladder = None
    if len(args.scenarios) == 2:
        subject = run_comparison(args, *args.scenarios, targets=args.targets,
                                 replications=args.replications or 10, volume=args.volume)
        print_comparison(subject, args.lang)
        ladder = _report_ladder(args, args.scenarios[0])
    else:
        if args.improvements:
            raise UsageError("--improvements needs AS-IS and TO-BE: `leanproc report "
                             "as-is.yaml to-be.yaml --improvements improvements.yaml --html …`")
        subject = run_scenario(args, args.scenarios[0], replications=args.replications or 1)
    write_report(subject, args.html, lang=args.lang, targets=args.targets, title=args.title,
                 ladder=ladder)
    print(f"{label('report_written', args.lang)}: {args.html}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("compare", parents=[common_options(replications=10)],
                       help="AS-IS against TO-BE: the Было / Цель / Стало table",
                       description="Simulate AS-IS and TO-BE with common random numbers and "
                                   "print before / target / after (Было / Цель / Стало) per "
                                   "KPI with the target verdicts (met only when the whole "
                                   "95%% CI meets the bound).")
    p.add_argument("as_is", help="AS-IS scenario .yaml")
    p.add_argument("to_be", help="TO-BE scenario .yaml")
    p.add_argument("--targets", metavar="FILE",
                   help="targets .yaml (default: the TO-BE scenario's `targets:`)")
    p.add_argument("--volume", type=positive_float, metavar="N",
                   help="cases per year for the yearly cost and labour figures")
    p.add_argument("--ci", action="store_true", help="show the 95%% confidence intervals")
    p.add_argument("--html", metavar="OUT", help="also write the HTML report here")
    p.add_argument("--improvements", metavar="FILE",
                   help="an improvements .yaml: the report's waterfall is then its ladder "
                        "(default: the change of lead time split by activity)")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("ladder", parents=[common_options(replications=None)],
                       help="the improvement ladder (waterfall) of an improvements file",
                       description="Apply the improvements of an improvements .yaml one by one "
                                   "to the AS-IS and show how much each saves (waterfall).")
    p.add_argument("files", nargs="+", metavar="[as-is.yaml] improvements.yaml",
                   help="the improvements file, optionally preceded by the AS-IS scenario "
                        "(default: the file's `as_is:`)")
    p.add_argument("--replications", "-n", type=positive_int, default=None,
                   help="paired replications per step (default: the file's, else 10)")
    p.add_argument("--html", metavar="OUT", help="also write the HTML report here")
    p.add_argument("--xlsx", metavar="OUT", help=XLSX_HELP)
    p.set_defaults(func=cmd_ladder)

    p = sub.add_parser("report", parents=[common_options(replications=None)],
                       help="the HTML report of a simulation or of a comparison",
                       description="Write a self-contained HTML report (figures inlined): of "
                                   "one scenario, or of AS-IS against TO-BE when two are given.")
    p.add_argument("scenarios", nargs="+", metavar="scenario.yaml",
                   help="one scenario, or AS-IS and TO-BE")
    p.add_argument("--html", metavar="OUT", required=True, help="the .html file to write")
    p.add_argument("--replications", "-n", type=positive_int, default=None,
                   help="replications (default: 1 for one scenario, 10 for a comparison)")
    p.add_argument("--targets", metavar="FILE", help="targets .yaml")
    p.add_argument("--volume", type=positive_float, metavar="N", help="cases per year")
    p.add_argument("--title", help="the report's title")
    p.add_argument("--improvements", metavar="FILE",
                   help="an improvements .yaml: the report's waterfall is then its ladder "
                        "(default: the change of lead time split by activity)")
    p.set_defaults(func=cmd_report)
