"""``leanproc compare``, ``ladder`` and ``report``: AS-IS against TO-BE, step by step, on paper.

Every replication goes through a `ProgressExecutor`, so long comparisons show a progress bar on
a terminal; results are the same with or without it.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leanproc.cli._common import (
    ProgressExecutor,
    UsageError,
    check_output_file,
    common_options,
    positive_float,
    positive_int,
    print_table,
    progress_for,
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
        text = _number(mean)
        if ci and not (math.isnan(low) or low == high):
            text += f" [{_number(low)} .. {_number(high)}]"
        return f"{text} {unit}".rstrip()

    def target(r: dict[str, Any]) -> str:
        if not r["target"]:
            return ""
        return f"{r['target'].split(' ', 1)[0]} {_number(r['target_value'])} " \
               f"{unit_label(r['unit'], lang)}".rstrip()

    rows = table.to_dict("records")
    return pd.DataFrame({
        head[0]: [r["label"] for r in rows],
        head[1]: [shown(r, "before") for r in rows],
        head[2]: [target(r) for r in rows],
        head[3]: [shown(r, "after") for r in rows],
        head[4]: ["n/a" if math.isnan(r["change_pct"]) else f"{r['change_pct']:+.1f} %"
                  for r in rows],
        head[5]: [verdict_mark(r["verdict"], lang) for r in rows],
    })


def _number(value: float) -> str:
    """A figure for the terminal: two decimals, thousands grouped, whole counts without."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def print_comparison(comparison: Any, lang: str, *, ci: bool = False) -> None:
    n = len(comparison.before_values)
    how = ("paired, common random numbers" if comparison.paired else "independent runs")
    if lang == "ru":
        how = "парные прогоны, общие случайные числа" if comparison.paired else \
            "независимые прогоны"
        print(f"{comparison.names[0]} → {comparison.names[1]}: среднее по {n} прогонам, {how}")
    else:
        print(f"{comparison.names[0]} -> {comparison.names[1]}: means over {n} replications, "
              f"{how}")
    print_table(comparison_table(comparison, lang, ci=ci))
    s = comparison.saving_per_case()
    y = comparison.yearly_saving()
    if not math.isnan(s.mean):
        money = "руб." if lang == "ru" else "RUB"
        what = ("экономия на случай" if lang == "ru" else "saving per case")
        year = ("в год" if lang == "ru" else "per year")
        line = f"{what}: {s.mean:,.2f} {money} [{s.low:,.2f} .. {s.high:,.2f}]"
        if not math.isnan(y.mean):
            line += f"; {year}: {y.mean:,.0f} {money} [{y.low:,.0f} .. {y.high:,.0f}]"
        print(line)


def _check_first(args: argparse.Namespace) -> None:
    """What can be refused at once is refused before any simulation runs."""
    if getattr(args, "html", None):
        check_output_file(args.html, "--html")
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
        print(("отчёт" if args.lang == "ru" else "report") + f": {args.html}")
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
    ru = lang == "ru"
    h = "ч" if ru else "h"
    rows = []
    for r in table.to_dict("records"):
        claimed = r.get("claimed_lead_time_saved_h")
        cost = r.get("cost.per_case.saving")
        rows.append({
            "#": r["step"],
            ("Мероприятие" if ru else "Improvement"): r["improvement"],
            (f"ВПП после, {h}" if ru else f"lead time after, {h}"): f"{r[f'{kpi}.after']:,.2f}",
            (f"ВПП снижено на, {h}" if ru else f"saved, {h}"):
                f"{r[f'{kpi}.saving']:,.2f} [{r[f'{kpi}.saving_low']:,.2f} .. "
                f"{r[f'{kpi}.saving_high']:,.2f}]",
            ("Доля" if ru else "share"): _pct(r.get(f"{kpi}.share")),
            ("Экономия на случай, руб." if ru else "saving per case, RUB"):
                "" if cost is None or math.isnan(cost) else f"{cost:,.2f}",
            (f"Заявлено, {h}" if ru else f"claimed, {h}"):
                "" if claimed is None or math.isnan(claimed) else f"{claimed:,.2f}",
        })
    return pd.DataFrame(rows)


def _pct(value: Any) -> str:
    if value is None or math.isnan(value):
        return ""
    return "0%" if abs(value) < 0.005 else f"{value:.0%}"  # no "-0%" for a zero saving


def cmd_ladder(args: argparse.Namespace) -> int:
    if len(args.files) > 2:
        raise UsageError("ladder takes [as-is.yaml] improvements.yaml: at most two files")
    _check_first(args)
    lad = run_ladder(args, args.files)
    kpi = lad.lead_time_kpi
    start, end = lad.level(0) / 3600.0, lad.level(len(lad.improvements)) / 3600.0
    n = len(lad.values[0])
    if args.lang == "ru":
        print(f"Лестница улучшений (среднее по {n} парным прогонам), {kpi}: {start:,.2f} ч → "
              f"{end:,.2f} ч")
    else:
        print(f"Improvement ladder (means over {n} paired replications), {kpi}: "
              f"{start:,.2f} h -> {end:,.2f} h")
    print_table(waterfall_table(lad, args.lang), left=(1,))
    if args.html:
        write_report(lad.comparison, args.html, lang=args.lang, ladder=lad)
        print(("отчёт" if args.lang == "ru" else "report") + f": {args.html}")
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
    print(("отчёт" if args.lang == "ru" else "report") + f": {args.html}")
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
