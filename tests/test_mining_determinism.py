"""The same log gives the same discovered model, calibrated scenario and (with the same seed)
simulated log in any process: each step runs in two fresh interpreters with different hash
seeds (set and dict order of strings differs between them) and the bytes are compared."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pm4py")

from leanproc.bpmn.builder import ModelBuilder
from leanproc.simulation.run import simulate

SRC = Path(__file__).resolve().parents[1] / "src"

STEPS = """
import sys
from leanproc.bpmn.writer import write_bpmn
from leanproc.eventlog import read_log
from leanproc.mining import calibrate, discover
from leanproc.simulation.run import simulate

log = read_log(sys.argv[1])
model = discover(log)
out = sys.argv[2]
write_bpmn(model, out + ".bpmn")
scenario = calibrate(model, log).scenario
scenario.to_yaml(out + ".yaml")
simulate(scenario, model, seed=11).log.to_csv(out + ".csv", index=False)
"""


def _model():
    b = ModelBuilder("permit")
    start, take, split = b.start("in"), b.task("Take application"), b.parallel("split")
    check, pay, join = b.task("Check documents"), b.task("Take payment"), b.parallel("join")
    ok, issue, refuse = b.xor("complete?"), b.task("Issue permit"), b.task("Refuse")
    b.sequence(start, take, split)
    for a, c in ((split, check), (split, pay), (check, join), (pay, join), (join, ok)):
        b.flow(a, c)
    b.flow(ok, issue, name="yes")
    b.flow(ok, refuse, name="no")
    b.flow(issue, b.end("done"))
    b.flow(refuse, b.end("refused"))
    return b.build()


SCENARIO = {
    "start": "2024-03-04T09:00+07:00", "calendar": "5x8",
    "arrivals": {"interarrival": {"exponential": {"mean": "1h"}}, "cases": 30},
    "resources": {"clerk": {"count": 2}},
    "defaults": {"duration": {"uniform": ["5min", "20min"]}, "resource": "clerk"},
    "gateways": {"complete?": {"yes": 0.8, "no": 0.2}},
}


def _run(log: Path, out: Path, hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", STEPS, str(log), str(out)], env=env, check=True,
                   capture_output=True, timeout=300)
    return {ext: hashlib.sha256(out.with_name(out.name + ext).read_bytes()).hexdigest()
            for ext in (".bpmn", ".yaml", ".csv")}


def test_discover_calibrate_simulate_give_the_same_bytes_in_any_process(tmp_path):
    log = tmp_path / "log.csv"
    simulate(SCENARIO, _model(), seed=3).log.to_csv(log, index=False)
    first = _run(log, tmp_path / "a", "1")
    second = _run(log, tmp_path / "b", "2024")
    assert first == second
