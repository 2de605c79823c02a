"""Real event logs: reading them into the one log schema, and writing logs out.

pm4py is imported only inside the functions that need it (its import takes about 2 s).
"""

from __future__ import annotations

from leanproc.mining.read import read_log
from leanproc.mining.write import write_log

__all__ = ["read_log", "write_log"]

# Calibration, discovery, conformance and validation load on first use (they pull in the
# simulator, scipy and, inside their functions, pm4py).
_LAZY = {
    "Calibration": "leanproc.mining.calibrate",
    "calibrate": "leanproc.mining.calibrate",
    "calibration": "leanproc.mining.calibrate",
    "discover": "leanproc.mining.discover",
    "ConformanceReport": "leanproc.mining.conformance",
    "conformance": "leanproc.mining.conformance",
    "ValidationReport": "leanproc.mining.validate",
    "validate": "leanproc.mining.validate",
    "validity": "leanproc.mining.validate",
}
__all__ += list(_LAZY)


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'leanproc.mining' has no attribute {name!r}")
