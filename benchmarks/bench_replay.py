"""Calibration's trace replay, timed and fingerprinted on every corpus log and the generated one.

For each log of ../shared/corpus/logs (with its BPMN model where the corpus has one, otherwise
with ``discover(log)``'s model) and for the 340-activity log of discover_scale.py, the script
runs ``calibrate(model, log, min_fitness=0)`` and prints: the calibrate wall seconds, the part
of them spent replaying trace variants, a hash of every variant's replay (alignment, enabled_by,
chosen branches, cost), a hash of the calibrated scenario's YAML, and the replay summary. Run it
on two versions of the code: equal hashes mean the replay and the calibration did not change.

    python benchmarks/bench_replay.py                  # corpus logs and the generated log
    python benchmarks/bench_replay.py --no-generated   # corpus logs only (about a minute)
    python benchmarks/bench_replay.py --only receipt
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

HERE = Path(__file__).resolve().parent
LOGS = HERE.parents[1] / "shared" / "corpus" / "logs"
# (name, log file, model file or None for the discovered model)
CASES = (
    ("LoanApp", "LoanApp_simplified_train.csv.gz", "LoanApp_simplified.resources.bpmn"),
    ("receipt", "receipt.csv", "receipt.bpmn"),
    ("running-example", "running-example.csv", "running-example.bpmn"),
    ("PurchasingExample", "PurchasingExample.csv.gz", None),
    ("reviewing", "reviewing.xes", None),
    ("helpdesk", "helpdesk.xes.gz", None),
    ("roadtraffic100traces", "roadtraffic100traces.xes", None),
)


class _Recorder:
    """Wraps Replayer.replay: the time spent replaying and every variant's result."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.results: list[tuple[Any, ...]] = []

    def install(self) -> None:
        from leanproc.mining import _replay

        original = _replay.Replayer.replay
        recorder = self

        def replay(self: Any, trace: Any) -> Any:
            t0 = time.perf_counter()
            res = original(self, trace)
            recorder.seconds += time.perf_counter() - t0
            recorder.results.append((tuple(trace), res.enabled_by, sorted(res.chosen.items()),
                                     res.log_moves, res.model_moves, res.cost, res.ok))
            return res

        _replay.Replayer.replay = replay  # type: ignore[method-assign]

    def reset(self) -> None:
        self.seconds = 0.0
        self.results = []


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_one(name: str, log: Any, model: Any, recorder: _Recorder) -> dict[str, Any]:
    from leanproc.mining import calibrate

    recorder.reset()
    t0 = time.perf_counter()
    fitted = calibrate(model, log, min_fitness=0.0)
    seconds = time.perf_counter() - t0
    row = {"log": name, "calibrate_s": seconds, "replay_s": recorder.seconds,
           "variants": len(recorder.results),
           "replay_sha": _sha(repr(sorted(recorder.results, key=lambda r: r[0]))),
           "yaml_sha": _sha(fitted.scenario.to_yaml()), "summary": fitted.replay}
    print(f"{name:22s} calibrate {seconds:7.2f} s  replay {recorder.seconds:7.2f} s  "
          f"{row['variants']:5d} variants  replay {row['replay_sha']}  yaml {row['yaml_sha']}  "
          f"{fitted.replay}", flush=True)
    return row


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-generated", action="store_true",
                        help="leave out the 340-activity generated log (about 2 minutes)")
    parser.add_argument("--only", help="run only the log of this name")
    args = parser.parse_args(argv)

    from leanproc.bpmn import read_bpmn
    from leanproc.eventlog import read_log
    from leanproc.mining import discover

    recorder = _Recorder()
    recorder.install()
    rows = []
    for name, log_file, model_file in CASES:
        if args.only and args.only != name:
            continue
        if not (LOGS / log_file).exists():
            print(f"{name}: {LOGS / log_file} absent, skipped")
            continue
        log = read_log(LOGS / log_file)
        model = read_bpmn(LOGS / model_file) if model_file else discover(log)
        rows.append(run_one(name, log, model, recorder))
    if not args.no_generated and args.only in (None, "generated"):
        sys.path.insert(0, str(HERE))
        from discover_scale import make_log

        log = make_log()
        rows.append(run_one("generated", log, discover(log), recorder))
    return rows


if __name__ == "__main__":
    main()
