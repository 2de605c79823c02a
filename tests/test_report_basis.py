"""Every table says what it shows: a mean over N replications or one run, never both silently."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import leanproc
from leanproc.report import html
from leanproc.report.tables import basis_text, kpi_table, per_activity_mean

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tomsk-onboarding"


def _spec(name: str, cases: int = 20) -> dict:
    spec = yaml.safe_load((EXAMPLE / f"{name}.scenario.yaml").read_text(encoding="utf-8"))
    spec["model"] = str(EXAMPLE / spec["model"])
    spec["arrivals"]["cases"] = cases
    return spec


@pytest.fixture(scope="module")
def reps():
    return leanproc.simulate(_spec("as-is"), seed=3, replications=3)


def test_basis_texts() -> None:
    assert basis_text(10) == "mean over 10 replications"
    assert basis_text(1) == "one run"
    assert basis_text(5, replication=1) == "one run (replication 1)"
    assert basis_text(10, "ru") == "среднее по 10 прогонам"
    assert basis_text(0) == ""  # plain values: unknown, so nothing is claimed


def test_kpi_table_of_replications_is_their_mean(reps) -> None:
    table = kpi_table(reps, keys=["pce"])
    assert table.attrs["basis"] == "mean over 3 replications"
    pces = [r.kpi.pce for r in reps.results]
    assert table["value"].iloc[0] == pytest.approx(100 * sum(pces) / 3)
    assert kpi_table(reps.results[0], keys=["pce"]).attrs["basis"] == "one run"


def test_per_activity_mean_weights_each_replication_by_its_instances(reps) -> None:
    mean = per_activity_mean(reps).set_index("activity")
    tables = [r.kpi.per_activity.assign(activity=lambda t: t["activity"].astype(str))
              .set_index("activity") for r in reps.results]
    name = mean.index[0]
    counts = [t.at[name, "count"] for t in tables if name in t.index]
    waits = [t.at[name, "waiting_mean"] for t in tables if name in t.index]
    assert mean.at[name, "count"] == pytest.approx(sum(counts) / 3)
    assert mean.at[name, "waiting_mean"] == pytest.approx(
        sum(c * w for c, w in zip(counts, waits, strict=True)) / sum(counts))


def _captions(page: str) -> list[str]:
    """What each table and figure says it shows (the basis, before any "; " detail)."""
    found = re.findall(r"<(?:caption|figcaption)>(.*?)</(?:caption|figcaption)>", page)
    return [c.split("; ", 1)[0] for c in found]


def test_report_of_replications_labels_every_table_and_agrees_with_its_summary(reps) -> None:
    after = leanproc.simulate(_spec("to-be"), seed=3, replications=3)
    page = html(reps, after, dpi=30)
    captions = _captions(page)
    assert captions.count("mean over 3 replications") >= 4  # summary, 2 per-activity, KPIs
    assert "one run (replication 1)" in captions  # the figures drawn from one run's log
    # every caption says which: the plain ones are just that, the longer ones (the waterfall by
    # activity, the Gantt chart of sample cases) say it among what they show
    assert all("mean over 3 replications" in c or "one run (replication 1)" in c
               for c in captions)
    # the KPI table below the summary shows the same PCE as the summary (the 0.23 vs
    # 0.14 came from the summary averaging and the table showing replication 1)
    tables = pd.read_html(io.StringIO(page))
    means = [100 * sum(r.kpi.pce for r in side.results) / 3 for side in (reps, after)]
    # the KPI table (AS-IS, TO-BE, unit) is the last table that has the row
    # (clock): the scenario has a calendar, so the working-time PCE is shown beside it
    pce = "Process cycle efficiency (clock)"
    kpis = [t for t in tables if pce in set(t.iloc[:, 0])][-1]
    row = kpis[kpis.iloc[:, 0] == pce].iloc[0]
    assert [float(row.iloc[1]), float(row.iloc[2])] == pytest.approx(means, rel=0.01)


def test_report_of_one_run_says_one_run() -> None:
    one = leanproc.simulate(_spec("as-is"), seed=3)
    captions = _captions(html(one, dpi=30))
    assert captions and set(captions) == {"one run"}


def test_per_activity_tables_show_working_processing_and_say_so(reps) -> None:
    """With a calendar a task's processing is its working time (a 90-minute task paused
    overnight is 1.5 h, not the clock hours it spans); the caption says which."""
    page = html(reps, dpi=30)
    found = re.findall(r"<caption>(.*?)</caption>", page)
    assert "mean over 3 replications; processing in working time" in found
    tables = pd.read_html(io.StringIO(page))
    table = next(t for t in tables if "Mean processing (working time), h" in t.columns)
    expected = per_activity_mean(reps).set_index("activity")["processing_working_mean"] / 3600
    shown = table.set_index("Activity")["Mean processing (working time), h"]
    # the page rounds (leanproc._display.fmt_number): 2 decimals below 10, 1 below 100, so
    # the shown value is within half its last digit
    for name, hours in expected.items():
        half_digit = 0.005 if hours < 10 else 0.05 if hours < 100 else 0.5
        assert float(shown[str(name)]) == pytest.approx(hours, abs=half_digit + 1e-12)


def test_replication_summary_cuts_intervals_at_zero() -> None:
    from leanproc.simulation.result import Replications

    class _Run:  # stands for a SimulationResult: only its flat KPI values are read
        def __init__(self, value: float) -> None:
            self.kpi = type("K", (), {"as_dict": lambda _self: {"wip.mean": value}})()

    summary = Replications([_Run(v) for v in (0.1, 0.2, 0.1, 9.0)]).summary()
    row = summary.loc["wip.mean"]
    assert row["ci_low"] == 0.0 and bool(row["cut_at_zero"])
    assert row["half_width"] > row["mean"]  # the uncut t interval did reach below zero
    assert not math.isnan(row["ci_high"])
