"""Calibration's guard rail: a model that replays too little of the log is refused with the share,
the activities on one side only and the fix; a middling fit is calibrated with loud warnings;
the corpus logs pass with their own models and are refused with each other's."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("pm4py")

from helpers.corpus import LOGS
from leanproc.bpmn.builder import ModelBuilder
from leanproc.cli import main
from leanproc.errors import CalibrationError
from leanproc.mining import calibrate
from leanproc.simulation.run import simulate

SCENARIO = {
    "start": "2024-03-04T09:00+07:00", "calendar": "5x8",
    "arrivals": {"interarrival": {"exponential": {"mean": "1h"}}, "cases": 30},
    "resources": {"clerk": {"count": 2}},
    "defaults": {"duration": {"uniform": ["5min", "20min"]}, "resource": "clerk"},
}


def _model():
    b = ModelBuilder("permit")
    b.sequence(b.start("in"), b.task("Take application"), b.task("Check documents"),
               b.task("Take payment"), b.task("Issue permit"), b.end("done"))
    return b.build()


@pytest.fixture(scope="module")
def model_and_log():
    model = _model()
    return model, simulate(SCENARIO, model, seed=5).log


def _with_calls(log: pd.DataFrame) -> pd.DataFrame:
    """One "Call applicant" (not in the model) right after each case's first event: 1 event in
    5 does not replay."""
    first = log.sort_values("time:timestamp").groupby("case:concept:name").head(1).copy()
    first["concept:name"] = "Call applicant"
    first["time:timestamp"] += pd.Timedelta(seconds=1)
    if "start_timestamp" in first:
        first["start_timestamp"] = first["time:timestamp"]
    return pd.concat([log, first], ignore_index=True)


def _renamed(log: pd.DataFrame) -> pd.DataFrame:
    """Three of the four activities renamed: 1 event in 4 replays."""
    names = {"Take application": "Intake", "Check documents": "Review",
             "Take payment": "Billing"}
    return log.assign(**{"concept:name": log["concept:name"].astype(str).replace(names)})


def test_a_log_of_the_model_calibrates_without_warnings(model_and_log):
    model, log = model_and_log
    fitted = calibrate(model, log)
    assert fitted.warnings == []
    assert fitted.replay["event_share"] == 1.0


def test_a_middling_fit_warns_first(model_and_log):
    model, log = model_and_log
    fitted = calibrate(model, _with_calls(log))
    assert fitted.replay["event_share"] == pytest.approx(0.8)
    assert "80.0% of the log's events" in fitted.warnings[0]
    assert "Call applicant" in " ".join(fitted.warnings)
    assert str(fitted).startswith("WARNING: the model replays 80.0%")
    html = fitted._repr_html_()
    assert html.index("Call applicant") < html.index("<pre>")


def test_a_poor_fit_is_refused_with_the_share_the_names_and_the_fix(model_and_log):
    model, log = model_and_log
    with pytest.raises(CalibrationError) as err:
        calibrate(model, _renamed(log))
    text = str(err.value)
    assert "25.0% of the log's events" in text
    assert "Billing, Intake, Review" in text  # log activities the model lacks
    assert "Check documents, Take application, Take payment" in text  # and the other way
    assert "leanproc discover" in text and "min_fitness=0" in text


def test_min_fitness_overrides_the_refusal(model_and_log):
    model, log = model_and_log
    fitted = calibrate(model, _renamed(log), min_fitness=0.2)
    assert fitted.replay["event_share"] == pytest.approx(0.25)
    assert fitted.warnings


def test_the_command_line_prints_the_refusal_and_the_warnings(model_and_log, tmp_path, capsys):
    from leanproc.bpmn.writer import write_bpmn

    model, log = model_and_log
    write_bpmn(model, tmp_path / "m.bpmn")
    _renamed(log).to_csv(tmp_path / "bad.csv", index=False)
    _with_calls(log).to_csv(tmp_path / "calls.csv", index=False)
    out = str(tmp_path / "s.yaml")
    assert main(["calibrate", str(tmp_path / "m.bpmn"), str(tmp_path / "bad.csv"),
                 "--out", out]) == 2
    assert "min_fitness" in capsys.readouterr().err
    assert main(["calibrate", str(tmp_path / "m.bpmn"), str(tmp_path / "calls.csv"),
                 "--out", out]) == 0
    assert "leanproc: warning: the model replays 80.0%" in capsys.readouterr().err


# ---- the corpus: each log with its model, and the mismatched pairs ----------------------------

PAIRS = {"LoanApp_simplified_train.csv.gz": "LoanApp_simplified.resources.bpmn",
         "receipt.csv": "receipt.bpmn", "running-example.csv": "running-example.bpmn"}


def _replay_share(model_file: str, log_file: str) -> float:
    from leanproc.eventlog import read_log
    from leanproc.mining._calibrate_log import prepare_events, replay_log

    events = prepare_events(read_log(LOGS / log_file), None)
    summary = replay_log(_read(model_file), events.frame).summary
    return float(summary["event_share"])


def _read(model_file: str):
    from leanproc.bpmn.reader import read_bpmn

    return read_bpmn(LOGS / model_file)


@pytest.mark.parametrize(("log_file", "model_file"), sorted(PAIRS.items()))
def test_corpus_logs_replay_fully_on_their_own_models(log_file, model_file):
    if not (LOGS / log_file).exists():
        pytest.skip("the shared corpus is not available")
    assert _replay_share(model_file, log_file) == 1.0


@pytest.mark.parametrize(("log_file", "model_file"), [
    ("running-example.csv", "receipt.bpmn"),
    ("running-example.csv", "LoanApp_simplified.resources.bpmn"),
    ("LoanApp_simplified_train.csv.gz", "running-example.bpmn"),
])
def test_corpus_logs_are_refused_with_another_model(log_file, model_file):
    if not (LOGS / log_file).exists():
        pytest.skip("the shared corpus is not available")
    with pytest.raises(CalibrationError, match=r"0\.0% of the log's events"):
        calibrate(_read(model_file), LOGS / log_file)
