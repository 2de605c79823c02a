"""Real event logs: reading them into the one log schema, and writing logs out.

pm4py is imported only inside the functions that need it (its import takes about 2 s).
"""

from __future__ import annotations

from leanproc.mining.read import read_log
from leanproc.mining.write import write_log

__all__ = ["read_log", "write_log"]
