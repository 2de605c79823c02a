"""Create (once) the separate virtual environment that holds log-distance-measures.

log-distance-measures (the event-log distances Simod reports) pins pandas < 3, which clashes
with leanproc's environment, so it lives in its own venv, by default /tmp/ldm-venv (outside the
repository; set LDM_VENV to move it, LDM_SPEC to install another version). Only
benchmarks/log_distances.py runs in it; the two environments exchange CSV files.

    python benchmarks/distance_env.py          # create if missing, print its python
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from side_venv import ensure_venv

DEFAULT_VENV = Path(os.environ.get("LDM_VENV", "/tmp/ldm-venv"))
SPEC = os.environ.get("LDM_SPEC", "log-distance-measures==2.2.0")  # the version the results report


def ensure_ldm(venv: Path = DEFAULT_VENV) -> tuple[Path, str]:
    """(the venv's python, log-distance-measures' version), creating it if needed."""
    return ensure_venv(venv, SPEC, module="log_distance_measures", dist="log-distance-measures")


if __name__ == "__main__":
    python, version = ensure_ldm()
    print(f"{python} (log-distance-measures {version})")
