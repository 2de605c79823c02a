"""``write_log``: a log in the one schema -> CSV, Parquet or XES (the simulator's ``--out``).

* CSV (``.csv``, ``.csv.gz``): ISO 8601 timestamps with their UTC offsets; read it back with
  ``read_log(path, timezone=<zone>)`` to get the same zone (a CSV cannot name a zone);
* Parquet (``.parquet``): the frame as it is, zone included;
* XES (``.xes``, ``.xes.gz``): one trace per case; each row becomes a ``complete`` event plus
  a ``start`` event when ``start_timestamp`` is known and a ``schedule`` event when
  ``enable_timestamp`` is, so that pm4py and :func:`~leanproc.eventlog.read.read_log` both read
  the intervals back.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leanproc.errors import LogError
from leanproc.log import REQUIRED_COLUMNS


def write_log(log: pd.DataFrame, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``log`` to ``path`` in the format its suffix (or ``format=``) names; return it."""
    path = Path(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in log.columns]
    if missing:
        raise LogError(
            f"cannot write a log without {', '.join(missing)}. Fix: read or build it with "
            "leanproc so it has the schema columns.",
            source=str(path),
        )
    name = path.name.lower()
    fmt = (format or "").lower()
    if not fmt:
        if name.endswith((".xes", ".xes.gz")):
            fmt = "xes"
        elif name.endswith((".csv", ".csv.gz")):
            fmt = "csv"
        elif name.endswith((".parquet", ".pq")):
            fmt = "parquet"
        else:
            raise LogError(
                "unknown output format. Fix: end the name in .csv, .csv.gz, .parquet, .xes or "
                ".xes.gz, or pass format='csv' | 'parquet' | 'xes'.",
                source=str(path),
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        from leanproc.eventlog.xes import iso_text

        # pandas formats aware timestamps value by value; ISO text is 20x faster to write
        text = {
            c: iso_text(log[c])
            for c in log.columns
            if pd.api.types.is_datetime64_any_dtype(log[c].dtype)
        }
        log.assign(**text).to_csv(path, index=False)
    elif fmt == "parquet":
        clean = log.copy(deep=False)
        clean.attrs = {}  # attrs are run metadata, not data; keep the file portable
        clean.to_parquet(path, index=False)
    elif fmt == "xes":
        from leanproc.eventlog.xes import write_xes

        write_xes(log, path)
    else:
        raise LogError(f"unknown format {fmt!r}. Fix: use csv, parquet or xes.", source=str(path))
    return path
