"""Event logs in and out: XES, CSV, Parquet, SQL and DataFrames read into the one log schema
(`leanproc.log`), chunked reading of logs bigger than memory, and writing logs back.

Everything that computes on a log (`leanproc.kpi`, `leanproc.cost`, `leanproc.mining`) sits
above this package; it depends only on the schema and the errors.
"""

from __future__ import annotations

from leanproc.eventlog.read import read_log
from leanproc.eventlog.write import write_log

__all__ = ["read_log", "write_log"]
