"""Write walkthrough.ipynb from the cells below (the notebook is kept without outputs, so its
diffs stay readable; open it in Jupyter and run all). Run: ``python make_walkthrough.py``."""

from __future__ import annotations

import json
from pathlib import Path

CELLS: list[tuple[str, str]] = [
    ("markdown", """\
# leanproc: an analyst's walkthrough

A process office is asked: *what will the change do to the lead time (ВПП), labour
(трудозатраты) and cost of the process — and does the TO-BE meet the project card's targets
(Цель)?* This notebook answers that for a real seed case, the taxi permit of
`examples/taxi-permit` (Tomsk: 3200 working minutes → 120, four approvals → none, 27 paper
documents → none), in seven steps:

1. read the BPMN model and check it;
2. simulate the AS-IS scenario;
3. compute the KPIs;
4. cost the process (ФСА, the process calculator);
5. compare AS-IS with TO-BE: Было / Цель / Стало;
6. the improvement ladder: what each measure saves;
7. the HTML report, and the same targets as a CI check.

Replications are kept low (3) so the notebook runs in seconds; use 20 or more for decisions."""),
    ("code", """\
import os
from pathlib import Path

import leanproc
from leanproc.comparison import ladder_from_file

# the repository root, whether Jupyter was started in notebooks/ or at the root
ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
TAXI = ROOT / "examples" / "taxi-permit"
OUT = Path(os.environ.get("LEANPROC_NOTEBOOK_OUT", ROOT / "out"))  # where reports go
OUT.mkdir(parents=True, exist_ok=True)
leanproc.__version__"""),
    ("markdown", """\
## 1. The model

`read_bpmn` reads BPMN 2.0 from any modeller (Camunda, bpmn.io, Business Studio exports…)
without touching the network. `check()` lists structural problems with element ids;
`structure()` counts what a lean analyst counts: activities, hand-offs between lanes,
approvals, client actions, paper documents. It recognises approvals by their names
(«Согласовать…», «Подписать…»); the scenario may correct a tag — here «Передать комплект на
согласование» is a courier step, `approval: false`, so the project counts four approvals."""),
    ("code", """\
model = leanproc.read_bpmn(TAXI / "as-is.bpmn")
print(model.summary())
print("problems:", model.check() or "none")
s = model.structure()
print(f"activities {s.activities}, hand-offs {s.handoffs}, approvals {s.approvals}")
model  # in Jupyter: a summary table and the diagram"""),
    ("markdown", """\
## 2. Simulate the AS-IS

The scenario (`as-is.scenario.yaml`) holds what the diagram does not: arrivals, staff and
salaries, the working calendar (`ru-5x8`: the Russian production calendar), activity
durations and waits. See `leanproc.scenario.spec` for every key. The same seed gives
the same numbers."""),
    ("code", """\
as_is = leanproc.simulate(TAXI / "as-is.scenario.yaml", seed=1)
print(as_is)
as_is.log.head()  # the event log: the same columns read_log gives for real data"""),
    ("markdown", """\
## 3. KPIs

Lead time (ВПП) in clock and working time, processing and waiting time, PCE, throughput, WIP
(НЗП), utilisation, SLA share. The same function runs on real logs (`leanproc.read_log`)."""),
    ("code", """\
k = as_is.kpis(sla=["8wd"])  # share of cases done within eight working days
print(f"ВПП (working time), mean: {k.lead_time_working.mean / 3600:.1f} h")
print(f"SLA share within 8 working days: {k.sla_share['8wd']:.0%}")
k.display(lang="ru")  # the English view is just `k`; every result has display(lang=...)"""),
    ("markdown", """\
## 4. The process cost (ФСА)

Salaries become hourly rates over the year's working-hours fund; each activity is priced by
the time it took. 210 permits a year is the office's volume."""),
    ("code", """\
cost = leanproc.process_cost(as_is, volume_per_year=210)
cost.display(lang="ru")  # cost by activity and by role; cost.fsa_table(lang="ru") for ФСА"""),
    ("markdown", """\
## 5. AS-IS against TO-BE: Было / Цель / Стало

`compare` runs both sides with common random numbers (the same applicants arrive at the same
times on both sides), so the change gets a narrow paired confidence interval. A target is
*met* only when its whole 95 % interval meets the bound."""),
    ("code", """\
comparison = leanproc.compare(TAXI / "as-is.scenario.yaml", TAXI / "to-be.scenario.yaml",
                              targets=TAXI / "targets.yaml", replications=3,
                              volume_per_year=210)
comparison.display(lang="ru")  # comparison.table() holds the same figures as numbers"""),
    ("code", """\
table = comparison.table(lang="ru")  # hours, %, roubles; the unit in its own column
table[["label", "unit", "before", "target", "after", "change_pct", "verdict"]]"""),
    ("code", """\
print(comparison.target_report())
print(f"saving per year: {comparison.yearly_saving().mean:,.0f} RUB, "
      f"FTE freed: {comparison.fte_freed().mean:.2f}")"""),
    ("markdown", """\
## 6. The improvement ladder

`improvements.yaml` lists the measures of the project card; each step applies one more to the
AS-IS. The savings add up exactly to the total, so the waterfall shows what each measure is
worth (and whether the claimed saving holds)."""),
    ("code", """\
lad = ladder_from_file(TAXI / "improvements.yaml", replications=3)
print(lad)
lad.display(lang="ru")  # lad.table(): the same steps as numbers, in hours"""),
    ("markdown", """\
## 7. The report, and the targets as a check

One self-contained HTML file (figures inlined; opens with no server), in Russian for the
steering committee. The last cell is what a CI pipeline runs: `assert_targets` fails with the
KPI named when a model change breaks a target (see `examples/ci-gate`)."""),
    ("code", """\
from leanproc.report import html

page = html(comparison, ladder=lad, lang="ru", path=OUT / "taxi-permit-report.html")
print(f"{OUT / 'taxi-permit-report.html'}: {len(page) / 1e6:.1f} MB")"""),
    ("code", """\
from leanproc.testing import assert_targets

assert_targets(comparison)  # the TO-BE meets targets.yaml, or this raises naming the KPI"""),
]


def notebook() -> dict:
    cells = []
    for i, (kind, text) in enumerate(CELLS):
        cell = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {},
                "source": text.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    path = Path(__file__).with_name("walkthrough.ipynb")
    path.write_text(json.dumps(notebook(), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    print(f"wrote {path}")
