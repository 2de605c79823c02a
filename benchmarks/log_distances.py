"""The event-log distances Simod reports, for calibration_distance.py (run in the venv that
distance_env.py creates: log-distance-measures needs pandas < 3).

    <ldm-venv>/bin/python benchmarks/log_distances.py jobs.json answers.json

jobs.json is a list of pairs {"test": csv, "other": csv, "other_abs": csv}; each CSV has the
columns case, activity, start, end, resource (ISO times). answers.json gets, per pair in order,
the distances named as in calibration_distance.METRICS, computed with the arguments Simod uses:
3-gram distribution distance (normalised, 0..1), and the Wasserstein distances (in hours, one-hour
bins) of the absolute event times (start and end), circadian event times (start and end), event
times relative to the case start (start and end), cycle times and case arrivals. The absolute and
arrival distances read "other_abs" (the same log moved to the test's period when it is real data
from another period); the others read "other". This script imports nothing from leanproc.
"""

from __future__ import annotations

import datetime
import json
import sys
from functools import cache

import pandas as pd
from log_distance_measures.absolute_event_distribution import absolute_event_distribution_distance
from log_distance_measures.case_arrival_distribution import case_arrival_distribution_distance
from log_distance_measures.circadian_event_distribution import (
    circadian_event_distribution_distance,
)
from log_distance_measures.config import AbsoluteTimestampType, EventLogIDs, discretize_to_hour
from log_distance_measures.cycle_time_distribution import cycle_time_distribution_distance
from log_distance_measures.n_gram_distribution import n_gram_distribution_distance
from log_distance_measures.relative_event_distribution import relative_event_distribution_distance

IDS = EventLogIDs(case="case", activity="activity", start_time="start", end_time="end",
                  resource="resource")
BOTH = AbsoluteTimestampType.BOTH


@cache
def read(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"case": str, "activity": str, "resource": str})
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    return frame


def distances(test: pd.DataFrame, other: pd.DataFrame, other_abs: pd.DataFrame) -> dict:
    hour = datetime.timedelta(hours=1)
    return {
        "ngram_3": n_gram_distribution_distance(test, IDS, other, IDS, n=3),
        "absolute_emd_h": absolute_event_distribution_distance(test, IDS, other_abs, IDS, BOTH,
                                                               discretize_to_hour),
        "circadian_emd_h": circadian_event_distribution_distance(test, IDS, other, IDS, BOTH),
        "relative_emd_h": relative_event_distribution_distance(test, IDS, other, IDS, BOTH,
                                                               discretize_to_hour),
        "cycle_time_emd_h": cycle_time_distribution_distance(test, IDS, other, IDS, hour),
        "arrival_emd_h": case_arrival_distribution_distance(test, IDS, other_abs, IDS,
                                                            discretize_to_hour),
    }


def main() -> None:
    jobs_path, answers_path = sys.argv[1:3]
    with open(jobs_path) as fh:
        jobs = json.load(fh)
    answers = []
    for job in jobs:
        other = read(job["other"])
        empty = other.empty or read(job["test"]).empty
        answers.append({} if empty else {k: float(v) for k, v in distances(
            read(job["test"]), other, read(job["other_abs"])).items()})
    with open(answers_path, "w") as fh:
        json.dump(answers, fh)


if __name__ == "__main__":
    main()
