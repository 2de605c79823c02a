"""Targets as data: parsing with located errors, statistical verdicts, structural counts."""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from leanproc.errors import ScenarioError
from leanproc.targets import TargetsNotMet, evaluate, parse_targets


def test_the_issue_examples_parse() -> None:
    ts = parse_targets({
        "lead_time.mean": "<= 24h", "lead_time.p90": "<= 3wd", "approvals": 0,
        "paper_documents": "== 0", "cost.per_case": "<= 900 RUB", "sla_share(24h)": ">= 0.9",
        "throughput.per_day": ">= 30",
    })
    by = {t.kpi: t for t in ts}
    assert by["lead_time.mean"].bound == 24 * 3600
    assert by["lead_time.p90"].measured == "lead_time_working.p90"  # working-day bound
    assert by["lead_time.p90"].bound_for(8 * 3600).bound == 24 * 3600
    assert (by["approvals"].op, by["approvals"].bound) == ("==", 0)
    assert by["cost.per_case"].bound == 900
    assert by["sla_share(24h)"].bound == 0.9
    assert ts.sla_deadlines == ["24h"]
    assert parse_targets(["sla_share(24h) >= 90%"]).targets[0].bound == pytest.approx(0.9)
    assert parse_targets({"cost.per_case": "<= 1 200,50 руб"}).targets[0].bound == 1200.5


def test_all_problems_at_once_and_unknown_kpis_list_the_known() -> None:
    with pytest.raises(ScenarioError) as err:
        parse_targets({"lead_tme.mean": "<= 2h", "approvals": "<= many", "pce": "abc",
                       "processing.mean": "<= 2wd"})
    text = str(err.value)
    assert "4 problems" in text
    assert "did you mean 'lead_time.mean'" in text
    assert "Known KPIs:" in text and "paper_documents" in text and "cost.per_case" in text
    assert "processing.mean" in text and "working time" in text


def test_targets_import_without_matplotlib_or_the_simulator() -> None:
    code = ("import sys, leanproc.targets; "
            "print(any(m.startswith(('matplotlib', 'simpy')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def _table(**columns: list[float]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_verdicts_use_the_confidence_bound() -> None:
    # mean 23.5 h, but replications spread widely: the CI crosses 24 h
    wide = _table(**{"lead_time.mean": [h * 3600 for h in (20, 27, 21, 26, 23.5)]})
    narrow = _table(**{"lead_time.mean": [h * 3600 for h in (23.4, 23.5, 23.6, 23.5, 23.5)]})
    far = _table(**{"lead_time.mean": [h * 3600 for h in (30, 31, 29, 30, 30)]})
    target = {"lead_time.mean": "<= 24h"}
    assert evaluate(wide, target)["lead_time.mean"].verdict == "uncertain"
    assert evaluate(narrow, target)["lead_time.mean"].verdict == "met"
    assert evaluate(far, target)["lead_time.mean"].verdict == "not met"
    report = evaluate(wide, target)
    assert not report.passed
    with pytest.raises(TargetsNotMet, match=r"lead_time\.mean"):
        report.check()
    assert evaluate(narrow, target).check().passed


def test_exact_counts_and_missing_data() -> None:
    report = evaluate({"approvals": 2.0, "paper_documents": 3.0},
                      {"approvals": 0, "paper_documents": "<= 3", "fte": ">= 1"})
    assert report["approvals"].verdict == "not met"
    assert report["paper_documents"].verdict == "met"
    assert report["fte"].verdict == "no data" and math.isnan(report["fte"].value)
    table = report.table(lang="ru")
    assert list(table["Итог"]) == ["не достигнута", "достигнута", "нет данных"]


def test_the_subject_comes_first_and_the_old_order_is_named() -> None:
    import leanproc

    values = _table(**{"lead_time.mean": [h * 3600 for h in (23.4, 23.5, 23.6)]})
    target = {"lead_time.mean": "<= 24h"}
    assert leanproc.evaluate_targets(values, target)["lead_time.mean"].verdict == "met"
    with pytest.raises(ScenarioError, match=r"targets= is a DataFrame: the subject comes first"):
        leanproc.evaluate_targets(target, values)


def test_targets_from_a_file_and_from_text(tmp_path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text("targets:\n  lead_time.mean: '<= 120min'\n  approvals: 0\n",
                    encoding="utf-8")
    ts = parse_targets(path)
    assert [t.kpi for t in ts] == ["lead_time.mean", "approvals"]
    assert ts.targets[0].bound == 7200
    with pytest.raises(ScenarioError, match=r"targets\[0\]"):
        parse_targets(["lead_time.mean about 2h"])


def test_working_forms_are_targets_with_units() -> None:
    ts = {t.kpi: t for t in parse_targets({
        "processing_working.mean": "<= 2h", "waiting_working.p90": "<= 3wd",
        "value_adding_working.mean": ">= 90min", "pce_working": ">= 50%",
        "lead_time_working.mean": "<= 16wh",
    })}
    assert (ts["processing_working.mean"].unit, ts["processing_working.mean"].bound) == (
        "time", 7200)
    assert ts["processing_working.mean"].measured == "processing_working.mean"
    assert ts["processing_working.mean"].bound_text == "<= 2.00 h"
    # working units on a working form compare that form itself
    assert ts["waiting_working.p90"].measured == "waiting_working.p90"
    assert ts["waiting_working.p90"].bound_for(8 * 3600).bound == 24 * 3600
    assert ts["lead_time_working.mean"].bound == 16 * 3600
    assert ts["value_adding_working.mean"].bound == 5400
    assert (ts["pce_working"].unit, ts["pce_working"].bound) == ("share", 0.5)
    assert ts["pce_working"].show(0.25) == "25.0 %"


def test_working_units_on_a_clock_measure_name_the_working_form() -> None:
    with pytest.raises(ScenarioError, match=r"processing_working\.mean"):
        parse_targets({"processing.mean": "<= 2wh"})
