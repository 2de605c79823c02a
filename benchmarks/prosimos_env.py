"""Create (once) the separate virtual environment that holds Prosimos for the benchmark.

Prosimos pins pandas < 3 and other versions that clash with leanproc's environment, so it lives
in its own venv, by default /tmp/prosimos-venv (outside the repository; set PROSIMOS_VENV to
move it, PROSIMOS_SPEC to install another version).

    python benchmarks/prosimos_env.py          # create if missing, print its python
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from side_venv import ensure_venv

DEFAULT_VENV = Path(os.environ.get("PROSIMOS_VENV", "/tmp/prosimos-venv"))
SPEC = os.environ.get("PROSIMOS_SPEC", "prosimos==2.1.0")  # the version the results report


def ensure_prosimos(venv: Path = DEFAULT_VENV) -> tuple[Path, str]:
    """(the venv's python, Prosimos' version), creating the venv and installing if needed."""
    return ensure_venv(venv, SPEC, module="prosimos.simulation_engine", dist="prosimos")


if __name__ == "__main__":
    python, version = ensure_prosimos()
    print(f"{python} (prosimos {version})")
