"""Where the shared corpus lies beside the repository, and the event logs the tests read from it
(tests using it skip cleanly when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
LOGS = SHARED / "corpus" / "logs"
LOG_NAMES = [
    "receipt.csv",
    "receipt.parquet",
    "running-example.csv",
    "running-example.xes",
    "reviewing.xes",
    "roadtraffic100traces.xes",
    "helpdesk.xes.gz",
    "LoanApp_simplified_train.csv.gz",
    "PurchasingExample.csv.gz",
]
