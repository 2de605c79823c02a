"""Process mining on real event logs: calibrate a scenario, discover a model, check conformance,
validate a projection against what really happened.

Reading and writing logs is `leanproc.eventlog`. pm4py is imported only inside the functions
that need it (its import takes about 2 s).
"""

from __future__ import annotations

# Each function shares its name with its module, so they are imported here rather than lazily:
# a lazy attribute would be shadowed by the module as soon as anything imported it. None of these
# modules imports pm4py or scipy at import time.
from leanproc.mining.calibrate import Calibration, calibrate
from leanproc.mining.conformance import ConformanceReport, conformance
from leanproc.mining.discover import discover
from leanproc.mining.monitor import monitor
from leanproc.mining.monitor_report import MonitorReport
from leanproc.mining.validate import ValidationReport, validate, validate_as_is

__all__ = ["Calibration", "ConformanceReport", "MonitorReport", "ValidationReport", "calibrate",
           "conformance", "discover", "monitor", "validate", "validate_as_is"]
