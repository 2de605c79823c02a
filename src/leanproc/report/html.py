"""A self-contained HTML report: one file, figures inlined, opens in any browser with no server.

Nothing in the page refers outside itself — no CDN, no web fonts, no scripts, no links to
fetch — so it can be mailed, archived with a decision, or opened on an offline machine.
Figures are inlined as base64 PNG (or SVG) ``data:`` URIs; tables are plain HTML.

Two ways in: `Report` to compose a page section by section, and `html` to get the standard
AS-IS / TO-BE report from simulation results in one call.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from leanproc import __version__
from leanproc._display import escape as _e
from leanproc._display import localise_numbers
from leanproc._display import table_html as _table_html
from leanproc.atomic import atomic_write
from leanproc.bpmn.drawing import UNITS_PER_INCH
from leanproc.report import _mpl
from leanproc.report import figures as F
from leanproc.report._comparison_figures import add_gantt, add_waterfall
from leanproc.report.adapters import comparison_frame, cost_by_activity
from leanproc.report.data import (
    activity_values,
    kpi_report_of,
    lead_time_hours,
    per_activity_of,
    processing_form,
)
from leanproc.report.diagram import diagram, has_diagram
from leanproc.report.labels import check_lang, kpi_labels, label, note_text, unit_label
from leanproc.report.monitor import is_monitor_report, monitor_page
from leanproc.report.optimization import is_optimization_result, optimization_page
from leanproc.report.tables import (
    basis_text,
    before_target_after_table,
    flat_kpis,
    kpi_table,
    parse_target,
    per_activity_mean,
    replication_count,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from leanproc.cost import CostReport

__all__ = ["Report", "html"]

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial,
       sans-serif; margin: 0; background: #f4f5f7; color: #1f2933; line-height: 1.45; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; background: #fff;
       box-shadow: 0 0 12px rgba(0,0,0,.06); }
header { border-bottom: 3px solid #2b7bba; margin-bottom: 20px; padding-bottom: 10px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 30px 0 10px; border-bottom: 1px solid #e1e4e8;
     padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 8px; }
.meta { color: #616e7c; font-size: 13px; }
p { margin: 6px 0 10px; }
figure { margin: 14px 0 22px; }
figure img { max-width: 100%; height: auto; display: block; border: 1px solid #eef0f2; }
figcaption { color: #52606d; font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 14px; }
th, td { border: 1px solid #d9dde2; padding: 5px 10px; }
th { background: #eef1f4; text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafbfc; }
td.met { background: #e3f4e8 !important; color: #1d6b36; font-weight: 600; }
td.not-met { background: #fbe5e3 !important; color: #a12a1f; font-weight: 600; }
td.better { color: #1d6b36; }
td.lp-met { color: #1d6b36; font-weight: 600; } td.lp-not-met { color: #a12a1f; font-weight: 600; }
td.worse { color: #a12a1f; }
.notes li { margin: 3px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0 18px; }
.card { border: 1px solid #d9dde2; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .v { font-size: 22px; font-weight: 600; }
.card .k { color: #616e7c; font-size: 12px; }
.card.met { border-color: #3a9a5b; } .card.not-met { border-color: #c0392b; }
footer { margin-top: 36px; color: #7b8794; font-size: 12px; }
"""


def _num(value: Any, lang: str = "en") -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, int | float):
        return _mpl.fmt_number(float(value), lang)
    return _e(value)


class Report:
    """A report page built section by section; `to_html` returns (and optionally writes) it.

    >>> r = Report("Taxi permit", lang="ru")                          # doctest: +SKIP
    >>> r.heading("Итоги"); r.table(frame); r.figure(fig, "ВПП")      # doctest: +SKIP
    >>> r.to_html("report.html")                                     # doctest: +SKIP
    """

    def __init__(self, title: str | None = None, *, lang: str = "en",
                 subtitle: str | None = None, notes: Iterable[str] = (), dpi: int = 110,
                 ) -> None:
        check_lang(lang)
        self.lang = lang
        self.dpi = dpi
        self.title = title or label("report", lang)
        self.subtitle = subtitle
        self.notes = list(notes)
        self._parts: list[str] = []

    # ---- sections ----------------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> Report:
        level = min(max(level, 2), 4)
        self._parts.append(f"<h{level}>{_e(text)}</h{level}>")
        return self

    def paragraph(self, text: str) -> Report:
        self._parts.append(f"<p>{_e(text)}</p>")
        return self

    def figure(self, fig: Figure, caption: str | None = None, *, fmt: str = "png",
               dpi: int | None = None) -> Report:
        """Inline `fig` as a ``data:`` URI (PNG by default, or ``fmt="svg"``)."""
        uri = _mpl.figure_data_uri(fig, fmt=fmt, dpi=dpi or self.dpi)
        alt = _e(caption or fig.get_suptitle() or "figure")
        cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
        self._parts.append(f'<figure><img src="{uri}" alt="{alt}">{cap}</figure>')
        return self

    def table(self, frame: pd.DataFrame, caption: str | None = None, *,
              index: bool = False) -> Report:
        """A DataFrame as a plain table; numbers right-aligned and shortened."""
        self._parts.append(table_html(frame, caption=caption, index=index, lang=self.lang))
        return self

    def comparison(self, table: pd.DataFrame, caption: str | None = None) -> Report:
        """A `before_target_after_table` with coloured verdicts."""
        self._parts.append(comparison_html(table, lang=self.lang, caption=caption))
        return self

    def raw(self, fragment: str) -> Report:
        """An HTML fragment as is (the caller answers for its being self-contained)."""
        self._parts.append(fragment)
        return self

    def add_notes(self, notes: Iterable[str]) -> Report:
        self.notes.extend(notes)
        return self

    # ---- output ------------------------------------------------------------------------
    def body_html(self) -> str:
        """The sections alone (for Jupyter), without the page around them."""
        notes = ""
        if self.notes:
            items = "".join(f"<li>{_e(note_text(n, self.lang))}</li>" for n in self.notes)
            notes = f"<h2>{_e(label('notes', self.lang))}</h2><ul class='notes'>{items}</ul>"
        return "\n".join(self._parts) + notes

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """The whole page as text; written to `path` (UTF-8) when given."""
        now = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        sub = f"<div class='meta'>{_e(self.subtitle)}</div>" if self.subtitle else ""
        page = (
            "<!DOCTYPE html>\n"
            f"<html lang=\"{self.lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<header><h1>{_e(self.title)}</h1>{sub}"
            f"<div class='meta'>{_e(label('generated', self.lang))} {_e(__version__)}, "
            f"{_e(now)}</div></header>\n"
            f"{self.body_html()}\n"
            f"<footer>leanproc {_e(__version__)}</footer>\n</main>\n</body>\n</html>\n"
        )
        if path is not None:
            # atomic: an interrupted write leaves the previous report, not half a page
            with atomic_write(path, "w", encoding="utf-8") as out:
                out.write(page)
        return page

    def _repr_html_(self) -> str:
        return f"<div><h2>{_e(self.title)}</h2>{self.body_html()}</div>"


# ------------------------------------------------------------------------ table rendering
def table_html(frame: pd.DataFrame, *, caption: str | None = None, index: bool = False,
               cell_classes: Sequence[Sequence[str]] | None = None,
               lang: str = "en") -> str:
    """A DataFrame as an HTML table: escaped text, numbers right-aligned and shortened, in
    the number format of `lang`."""
    cols = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    rows = [([idx] if index else []) + list(row) for idx, row in frame.iterrows()]
    return _table_html(cols, rows, caption=caption, cell_classes=cell_classes, lang=lang)


def comparison_html(table: pd.DataFrame, *, lang: str = "en", caption: str | None = None,
                    ) -> str:
    """A before / target / after table with verdicts coloured (met green, not met red)."""
    check_lang(lang)
    head = [label("kpi", lang), label("before", lang), label("target", lang),
            label("after", lang), label("unit", lang), label("change", lang),
            label("verdict", lang)]
    rows = []
    records: Iterable[Any] = table.itertuples(index=False)  # named tuples of the table's columns
    for r in records:
        unit = unit_label(r.unit, lang) if r.unit else ""
        target = _target_text(r, lang)
        change = "" if r.change is None or math.isnan(r.change) else \
            localise_numbers(f"{r.change:+,.0f} %", lang)
        verdict_cls = {True: "met", False: "not-met"}.get(r.met, "")
        mark = {True: "✓ ", False: "✗ "}.get(r.met, "")
        rows.append(
            f"<tr><td>{_e(r.label)}</td><td class='num'>{_num(r.before, lang)}</td>"
            f"<td class='num'>{_e(target)}</td><td class='num'>{_num(r.after, lang)}</td>"
            f"<td>{_e(unit)}</td><td class='num'>{_e(change)}</td>"
            f"<td class='{verdict_cls}'>{_e(mark + r.verdict)}</td></tr>"
        )
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    ths = "".join(f"<th>{_e(h)}</th>" for h in head)
    return (f"<table class='comparison'>{cap}<thead><tr>{ths}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _target_text(row: Any, lang: str) -> str:
    """The target as the reader wants it: the operator and the bound in display units."""
    if not row.target:
        return ""
    value = row.target_value
    if value is None or math.isnan(value):
        return str(row.target)
    op = str(row.target).split()[0] if str(row.target)[:1] in "<>=≤≥!" else ""
    op = {"<=": "≤", ">=": "≥", "==": "="}.get(op, op)
    return f"{op} {_mpl.fmt_number(value, lang)}".strip()


# ------------------------------------------------------------------------ the standard report
def html(
    before: Any,
    after: Any = None,
    *,
    targets: Mapping[str, Any] | None = None,
    ladder: Mapping[str, float] | Sequence[tuple[str, float]] | None = None,
    costs: Mapping[str, CostReport | pd.DataFrame] | CostReport | pd.DataFrame | None = None,
    models: Sequence[Any] | None = None,
    keys: Iterable[str] | None = None,
    names: Sequence[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    notes: Iterable[str] = (),
    lang: str = "en",
    dpi: int = 110,
    path: str | os.PathLike[str] | None = None,
) -> str:
    """The standard report of an AS-IS run (`before`) and, optionally, a TO-BE run (`after`).

    `before` / `after` are `SimulationResult` s or `Replications`. `before` may instead be a
    `Comparison` (leave `after` out): its table, means over replications and target verdicts
    make the summary. With several replications the summary, the KPI table and the
    per-activity tables are means over all of them; the figures drawn from one run's log
    (diagram colours, utilisation, dotted chart) show replication 1 and say so in their
    captions. Every table's caption states which it is.

    `targets` maps flat KPI names to targets (``"<= 24h"``); the scenario's own targets are
    used when not given. `ladder` is the improvement waterfall: a `Ladder`, or named lead-time
    savings in hours from the AS-IS mean to the TO-BE mean (a gap becomes "Other"); without
    one, a comparison's waterfall splits the change of the mean lead time by activity
    (`decomposition`). A comparison also gets a Gantt chart of six sample cases of replication
    1, AS-IS over TO-BE (`gantt`). `costs` is
    a `CostReport` or a cost table (rows activities, columns pools; see `figures.cost_bars`),
    or ``{caption: either}``. `models` overrides the models drawn (default: the runs' own
    models, when they have diagram coordinates). `dpi` sets the resolution of the inlined
    figures. Returns the page; writes it to `path` when given.

    `before` may also be a `MonitorReport` (leave `after` out): the page is then its
    post-monitoring section — the change, before / after, the verdicts, the control chart and
    the periods (`leanproc.report.monitor`). An `OptimizationResult` likewise gives its own
    page: the best, the claims, the figure and the candidates (`leanproc.report.optimization`).
    """
    check_lang(lang)
    if is_monitor_report(before):
        return monitor_page(before, title=title, subtitle=subtitle, lang=lang, dpi=dpi,
                            path=path)
    if is_optimization_result(before):
        return optimization_page(before, title=title, subtitle=subtitle, lang=lang, dpi=dpi,
                                 path=path)
    given_table = None
    if hasattr(before, "target_report") and hasattr(before, "before_values"):  # a Comparison
        from leanproc.simulation.result import Replications

        comparison = before
        given_table = comparison_frame(comparison, kpis=keys, lang=lang)
        # both sides whole, so that every table below averages the same replications as the
        # comparison's summary does
        before, after = Replications(list(comparison.before)), Replications(list(comparison.after))
        if not names and tuple(comparison.names) != ("AS-IS", "TO-BE"):
            names = list(comparison.names)  # the defaults get the labels of `lang` below
        if targets is None:
            targets = {t.kpi: t.text for t in comparison.targets}
    runs = [x for x in (before, after) if x is not None]
    names = list(names) if names else [label("as_is", lang), label("to_be", lang)][:len(runs)]
    one = [r.results[0] if hasattr(r, "results") else r for r in runs]
    counts = [replication_count(r) for r in runs]
    averaged = basis_text(max(counts), lang)  # the tables: means over all replications
    # the figures from one run's log: which run, when there are several
    drawn_from = basis_text(1, lang, replication=1) if max(counts) > 1 else None
    if targets is None:
        targets = _scenario_targets(one[-1])
    reports = [_kpis_for(r, targets) for r in one]
    flat = [_with_structure(flat_kpis(rep) if not hasattr(r, "results") else flat_kpis(r), x)
            for r, rep, x in zip(runs, reports, one, strict=True)]
    report = Report(title or _default_title(one, lang), lang=lang, subtitle=subtitle,
                    notes=notes, dpi=dpi)

    # summary: the comparison table and the headline cards
    report.heading(label("summary", lang))
    numeric_targets = {k: v for k, v in (targets or {}).items()
                       if k in flat[0] or (len(flat) > 1 and k in flat[1])}
    if after is not None or numeric_targets:
        table = given_table if given_table is not None else before_target_after_table(
            flat[0], flat[1] if len(flat) > 1 else None, targets=numeric_targets, keys=keys,
            lang=lang)
        report.raw(_cards(table, lang))
        report.comparison(table, caption=averaged)
        if after is not None:
            shown = [*numeric_targets, "lead_time_working.mean", "lead_time.mean",
                     "lead_time.p90", "waiting_working.mean", "waiting.mean",
                     "throughput.per_day", "wip.mean"]
            bars = table[table["kpi"].isin(shown)]
            frame = bars.set_index("label")[["before", "target_value", "after", "unit"]]
            frame = frame.rename(columns={"target_value": "target"})
            report.figure(F.before_target_after_bars(frame, lang=lang))
    else:
        report.table(_kpi_display(kpi_table(runs[0] if counts[0] > 1 else reports[0], keys=keys,
                                            lang=lang), lang), caption=averaged)

    # lead time
    report.heading(label("lead_time", lang))
    lead_target = (targets or {}).get("lead_time.mean") or (targets or {}).get("lead_time.p90")
    target_h = _target_hours(lead_target)
    series = [lead_time_hours(r) for r in runs]
    # days once cases run for about a working week; hours are what shorter cases speak in
    unit = "d" if max(float(s.median()) if len(s) else 0.0 for s in series) > 120 else "h"
    report.figure(F.lead_time_distribution(
        series[0], series[1] if len(series) > 1 else None,
        target=None if target_h is None else target_h * (1 / 24 if unit == "d" else 1),
        unit=unit, names=names, lang=lang))
    add_waterfall(report, ladder=ladder, runs=runs, reports=reports, counts=counts, flat=flat,
                  unit=unit, names=names, lang=lang)
    add_gantt(report, one=one, names=names, counts=counts, lang=lang)

    # where the time goes
    drawn = list(models) if models is not None else [
        getattr(getattr(r, "bound", None), "model", None) for r in one
    ]
    pictures = [(m, r, n) for m, r, n in zip(drawn, reports, names, strict=False)
                if m is not None and has_diagram(m)]
    if pictures:
        report.heading(label("diagram", lang))
        coloured = []
        for model, rep, _ in pictures:
            values = activity_values(rep, "waiting")
            keep = [bool(model.find(k)) or k in model.nodes for k in values.index]
            coloured.append(values[keep])
        # one colour scale and one drawing scale for all diagrams, so that the same colour
        # means the same waiting time and the same box size the same thing on both pictures
        top = max((float(v.max()) for v in coloured if len(v)), default=1.0)
        spans = [_diagram_span(m) for m, _, _ in pictures]
        # the drawing's own scale for wide diagrams, so that their labels stay readable
        widest = min(32.0, max(11.0, max(spans) / UNITS_PER_INCH))
        for (model, _, name), values, span in zip(pictures, coloured, spans, strict=True):
            width = max(4.0, widest * span / max(spans))
            report.figure(diagram(model, values, lang=lang, vmax=top, width=width,
                                  title=model.name or name), caption=drawn_from,
                          dpi=round(dpi * 1.2))

    # resources and cost
    util = {n: rep.utilisation for n, rep in zip(names, reports, strict=True) if rep.utilisation}
    if util:
        report.heading(label("utilisation_title", lang))
        report.figure(F.utilisation_bars(util if len(util) > 1 else next(iter(util.values())),
                                         lang=lang), caption=drawn_from)
    if costs is not None:
        report.heading(label("cost", lang))
        items = costs.items() if isinstance(costs, Mapping) else [(None, costs)]
        for caption, given in items:
            frame = given if isinstance(given, pd.DataFrame) else cost_by_activity(given)
            report.figure(F.cost_bars(frame, lang=lang, title=caption))

    # details
    report.heading(label("per_activity", lang))
    for name, rep, run, n in zip(names, reports, runs, counts, strict=True):
        report.heading(name, 3)
        table = per_activity_mean(run) if n > 1 else per_activity_of(rep)
        report.table(_activity_display(table, lang),
                     caption=f"{basis_text(n, lang)}; {_processing_words(table, lang)}")
    report.heading(label("kpis", lang))
    report.table(_kpis_side_by_side([r if n > 1 else rep for r, rep, n
                                     in zip(runs, reports, counts, strict=True)], names, lang),
                 caption=averaged)
    for name, rep in zip(names, reports, strict=True):
        report.add_notes(f"{name}: {n}" for n in getattr(rep, "notes", ()))
    logged = [(n, x) for n, x in zip(names, one, strict=True) if len(getattr(x, "log", ()))]
    if logged:  # streaming runs keep no log to draw
        report.heading(label("dotted_chart", lang))
    for name, x in logged:
        report.figure(F.dotted_chart(x, max_cases=60, lang=lang,
                                     title=f"{label('dotted_chart', lang)}: {name}"),
                      caption=drawn_from)
    return report.to_html(path)


def _diagram_span(model: Any) -> float:
    """Width of a model's first drawn diagram in diagram units."""
    dia = next(d for d in model.diagrams if d.shapes)
    xs = [v for s in dia.shapes for v in (s.bounds.x, s.bounds.x + s.bounds.width)]
    return max(xs) - min(xs) if xs else 1.0


def _common_prefix(texts: Sequence[str]) -> str:
    """The longest leading text all `texts` share, character by character."""
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _kpis_for(result: Any, targets: Mapping[str, Any] | None) -> Any:
    """The run's KPIs, with the SLA shares the targets ask for (``sla_share(24h)``)."""
    sla = [k[len("sla_share("):-1] for k in (targets or {})
           if k.startswith("sla_share(") and k.endswith(")")]
    if sla and hasattr(result, "kpis") and not getattr(result, "streaming", False):
        return result.kpis(sla=sla)
    return kpi_report_of(result)


def _default_title(results: Sequence[Any], lang: str) -> str:
    """``Process report: <name>``, the name the runs share (``Onboarding, AS-IS`` and
    ``Onboarding, TO-BE`` -> ``Onboarding``)."""
    found = []
    for result in results:
        bound = getattr(result, "bound", None)
        name = getattr(getattr(bound, "scenario", None), "name", None) or getattr(
            getattr(bound, "model", None), "name", None)
        if name:
            found.append(str(name))
    if not found:
        return label("report", lang)
    name = found[0]
    if len(found) > 1:
        common = _common_prefix(found).rstrip(" ,;:-–—(")
        name = common if len(common) >= 3 else " / ".join(found)
    return f"{label('report', lang)}: {name}"


def _scenario_targets(result: Any) -> dict[str, Any]:
    bound = getattr(result, "bound", None)
    targets = getattr(bound, "targets", None)
    return dict(targets) if targets else {}


def _with_structure(values: dict[str, float], result: Any) -> dict[str, float]:
    """KPIs plus the lean structure counts of the run's model (approvals, hand-offs…), by the
    same function as comparisons and targets (`structure_counts`: the scenario's tags apply)."""
    from leanproc.targets.measures import structure_counts

    bound = getattr(result, "bound", None)
    if bound is None or getattr(bound, "model", None) is None:
        return values
    try:
        counts = structure_counts(bound)
    except Exception:  # a structure the counts cannot read must not cost the whole report
        return values
    return {**counts, **values}


def _target_hours(spec: Any) -> float | None:
    if spec is None:
        return None
    try:
        return parse_target("lead_time.mean", spec).bound / 3600.0
    except (ValueError, Exception):
        return None


def _kpis_side_by_side(reports: Sequence[Any], names: Sequence[str], lang: str,
                       ) -> pd.DataFrame:
    """Every KPI of every run in one table, without the n / CI rows (the summary has the
    headline figures; the full flat values are one `as_dict()` away)."""
    tables = [kpi_table(rep, lang=lang).set_index("kpi") for rep in reports]
    keys: list[str] = []
    for t in tables:
        keys += [k for k in t.index if k not in keys
                 and not k.endswith((".n", ".ci_low", ".ci_high"))]
    out = pd.DataFrame({label("kpi", lang): kpi_labels(keys, lang)})
    for name, t in zip(names, tables, strict=True):
        value = t["value"].astype(float)
        out[name] = [float(value[k]) if k in t.index else math.nan for k in keys]
    units = {k: u for t in tables for k, u in t["unit"].items()}
    out[label("unit", lang)] = [unit_label(units.get(k, ""), lang) for k in keys]
    return out


def _kpi_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = table[["label", "value", "unit"]].copy()
    out["unit"] = [unit_label(u, lang) for u in out["unit"]]
    out.columns = [label("kpi", lang), label("value", lang), label("unit", lang)]
    return out


def _processing_words(per_activity: pd.DataFrame, lang: str) -> str:
    """Which processing time a per-activity table shows, for its caption."""
    working = processing_form(per_activity) == "processing_working"
    return label("processing_in_working" if working else "processing_in_clock", lang)


def _activity_display(per_activity: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Instances, mean waiting and mean processing per activity, in hours; processing in
    working time when the table has it (with a calendar), else in clock time."""
    h = unit_label("h", lang)
    processing = processing_form(per_activity)
    out = pd.DataFrame({
        label("activity", lang): per_activity["activity"].astype(str),
        label("instances", lang): per_activity["count"].astype(float),
        f"{label('waiting_h', lang).rsplit(',', 1)[0]}, {h}":
            per_activity["waiting_mean"] / 3600.0,
        f"{label(processing + '_h', lang).rsplit(',', 1)[0]}, {h}":
            per_activity[f"{processing}_mean"] / 3600.0,
    })
    return out.sort_values(out.columns[2], ascending=False)


def _cards(table: pd.DataFrame, lang: str) -> str:
    """Headline cards: the targeted KPIs (or lead time) with before -> after."""
    rows = table[table["target"] != ""]
    if rows.empty:  # the lead time, in working time when there is a calendar
        rows = table[table["kpi"] == "lead_time_working.mean"]
    if rows.empty:
        rows = table[table["kpi"] == "lead_time.mean"]
    cards = []
    records: Iterable[Any] = rows.head(6).itertuples(index=False)
    for r in records:
        unit = unit_label(r.unit, lang) if r.unit else ""
        cls = {True: " met", False: " not-met"}.get(r.met, "")
        after = "" if r.after is None or math.isnan(r.after) else (
            f" → {_mpl.fmt_number(r.after, lang)}")
        cards.append(
            f"<div class='card{cls}'><div class='k'>{_e(r.label)}</div>"
            f"<div class='v'>{_num(r.before, lang)}{_e(after)} {_e(unit)}</div>"
            f"<div class='k'>{_e(label('target', lang))}: {_e(_target_text(r, lang))} {_e(unit)}"
            f" · {_e(r.verdict)}</div></div>"
        )
    return f"<div class='cards'>{''.join(cards)}</div>" if cards else ""
