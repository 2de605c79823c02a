"""Real event logs: reading them into the one log schema, and writing logs out.

pm4py is imported only inside the functions that need it (its import takes about 2 s).
"""

from __future__ import annotations

from leanproc.mining.read import read_log
from leanproc.mining.write import write_log

__all__ = ["read_log", "write_log"]

# Calibration, discovery, conformance and validation. Imported here, not lazily: each function
# shares its name with its module, and a lazy attribute would be shadowed by the module as soon
# as anything imported it. None of these modules imports pm4py or scipy at import time.
from leanproc.mining.calibrate import Calibration, calibrate
from leanproc.mining.conformance import ConformanceReport, conformance
from leanproc.mining.discover import discover
from leanproc.mining.validate import ValidationReport, validate, validate_as_is

__all__ += ["Calibration", "ConformanceReport", "ValidationReport", "calibrate", "conformance",
            "discover", "validate", "validate_as_is"]
