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

from helpers.permit import permit_model, permit_scenario
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


SCENARIO = permit_scenario(30)


def _run(log: Path, out: Path, hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", STEPS, str(log), str(out)], env=env, check=True,
                   capture_output=True, timeout=300)
    return {ext: hashlib.sha256(out.with_name(out.name + ext).read_bytes()).hexdigest()
            for ext in (".bpmn", ".yaml", ".csv")}


def test_discover_calibrate_simulate_give_the_same_bytes_in_any_process(tmp_path):
    log = tmp_path / "log.csv"
    simulate(SCENARIO, permit_model(), seed=3).log.to_csv(log, index=False)
    first = _run(log, tmp_path / "a", "1")
    second = _run(log, tmp_path / "b", "2024")
    assert first == second
