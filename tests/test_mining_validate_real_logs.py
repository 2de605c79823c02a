"""Calibrate -> simulate -> validate on two real logs of ../shared/corpus/logs (skipped when the
corpus is absent). The figures and the full table: benchmarks/validate_real_logs.py.

The bar (issue 5): the simulated mean lead time within 10 % of the real log's, and the simulated
arrivals spanning the same period. Why 10 % is a fair bar and not a loose one: the real mean is
itself a sample mean, with a standard error of sd / sqrt(n) = 7.5 % of it for receipt (1434
cases, heavy tail: sd 367 h for a mean of 130 h) and 2.8 % for LoanApp (1000 cases, sd 17.9 h
for 14.1 h); a calibrated model cannot be asked to be closer to one sample than that sample is
to its own process. The simulated mean has its own noise: with 3 replications its standard
error is about 7.5 % / sqrt(3) = 4.3 % for receipt, a large part of the bar (seeds 1-3 gave
116 to 134 h), so receipt, heavy-tailed, runs 5 replications (3.4 %); LoanApp's 3 give 1.6 %.
Arrival spans are held to 5 %: the number of cases and the horizon come from
the log, so only the random sum of the inter-arrival times moves the last arrival.
"""

from __future__ import annotations

from pathlib import Path

import pytest

LOGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "logs"

pytestmark = pytest.mark.skipif(not LOGS.is_dir(), reason="../shared/corpus/logs is absent")

CASES = [  # model, log, zone, replications, whether the lead-time distribution tests reject
    ("receipt.bpmn", "receipt.csv", "Europe/Amsterdam", 5, True),
    ("LoanApp_simplified.resources.bpmn", "LoanApp_simplified_train.csv.gz", "UTC", 3, False),
]


@pytest.mark.parametrize(("bpmn", "log_file", "zone", "replications", "shape_rejected"), CASES,
                         ids=["receipt", "LoanApp"])
def test_calibrated_simulation_reproduces_the_real_log(bpmn, log_file, zone, replications,
                                                       shape_rejected):
    from leanproc.bpmn import read_bpmn
    from leanproc.eventlog import read_log
    from leanproc.mining import validate_as_is

    model = read_bpmn(LOGS / bpmn)
    log = read_log(LOGS / log_file, timezone=zone)
    report = validate_as_is(model, log, replications=replications, seed=1)
    lt, arrivals = report.lead_time, report.arrivals
    assert lt["mean_projected_h"] == pytest.approx(lt["mean_actual_h"], rel=0.10)
    assert arrivals["projected_span_days"] == pytest.approx(arrivals["actual_span_days"],
                                                            rel=0.05)
    assert report.calibration.replay["fitting_share"] == 1.0  # every case replays on the model
    row = report.table.set_index("kpi").loc["lead_time.mean"]
    assert row["expected_low"] <= row["actual"] <= row["expected_high"]  # the mean: reproduced
    # the shape is another matter on receipt: Kolmogorov-Smirnov rejects equality of the
    # lead-time distributions (median 18 h simulated against 0.8 h real), so the projection
    # is not "confirmed", only "inconclusive" (README, "validate" verdicts). On LoanApp the
    # pools follow the hour the log's clock moved in March, and neither test rejects (KS p
    # 0.11, Mann-Whitney p 0.38 with seed 1); before, pools open across both clocks left
    # completions in hours the log has none and KS rejected (p 0.03).
    assert bool(row["tests_reject"]) is shape_rejected
    assert report.verdict("lead_time.mean") == ("inconclusive" if shape_rejected
                                                else "confirmed")
