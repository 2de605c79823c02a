"""Cross-check of lead times against pm4py on the textbook running example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leanproc.kpi import kpis

SHARED = Path(__file__).resolve().parents[2] / "shared"
XES = SHARED / "corpus" / "logs" / "running-example.xes"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.filterwarnings("ignore:Install the optional requirement:UserWarning"),
]


def to_one_schema(frame: pd.DataFrame) -> pd.DataFrame:
    """pm4py's dataframe -> the one log schema (completion-only log, no start times)."""
    out = frame[["case:concept:name", "concept:name", "time:timestamp", "org:resource"]].copy()
    out["case:concept:name"] = out["case:concept:name"].astype(str)
    if out["time:timestamp"].dt.tz is None:  # XES offsets are kept by pm4py; be sure anyway
        out["time:timestamp"] = out["time:timestamp"].dt.tz_localize("UTC")
    return out


@pytest.fixture(scope="module")
def running_example() -> pd.DataFrame:
    if not XES.exists():
        pytest.skip(f"{XES} is absent")
    pm4py = pytest.importorskip("pm4py")
    return pm4py.read_xes(str(XES))


def test_lead_times_match_pm4py_case_durations(running_example: pd.DataFrame) -> None:
    import pm4py

    report = kpis(to_one_schema(running_example))
    ours = report.per_case.set_index("case:concept:name")["lead"]
    assert len(ours) == 6
    theirs = {case: pm4py.stats.get_case_duration(running_example, case) for case in ours.index}
    for case, lead in ours.items():
        assert lead == pytest.approx(theirs[case], abs=1.0), case  # to the second
    assert sorted(ours) == pytest.approx(
        sorted(pm4py.stats.get_all_case_durations(running_example)), abs=1.0
    )
    # a completion-only log has no touch time: lead is all waiting
    assert report.processing.max == 0.0
    assert report.waiting.mean == pytest.approx(report.lead_time.mean)
