"""Create (once) the separate virtual environment that holds log-distance-measures.

log-distance-measures (the event-log distances Simod reports) pins pandas < 3, which clashes
with leanproc's environment, so it lives in its own venv, by default /tmp/ldm-venv (outside the
repository; set LDM_VENV to move it, LDM_SPEC to install another version). Only
benchmarks/log_distances.py runs in it; the two environments exchange CSV files.

    python benchmarks/distance_env.py          # create if missing, print its python
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEFAULT_VENV = Path(os.environ.get("LDM_VENV", "/tmp/ldm-venv"))
SPEC = os.environ.get("LDM_SPEC", "log-distance-measures==2.2.0")  # the version the results report


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _works(python: Path) -> str | None:
    """log-distance-measures' version if it imports in that interpreter, else None."""
    if not python.is_file():
        return None
    probe = ("import importlib.metadata as m, log_distance_measures; "
             "print(m.version('log-distance-measures'))")
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_ldm(venv: Path = DEFAULT_VENV) -> tuple[Path, str]:
    """(the venv's python, log-distance-measures' version), creating the venv if needed."""
    python = _python(venv)
    version = _works(python)
    if version:
        return python, version
    print(f"creating {venv} with {SPEC} (a few minutes) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", SPEC],
                          capture_output=True, text=True)
    version = _works(python)
    if done.returncode != 0 or not version:
        tail = "\n".join((done.stderr or done.stdout).splitlines()[-15:])
        raise RuntimeError(f"pip install {SPEC} into {venv} failed (exit {done.returncode}):\n"
                           f"{tail}")
    return python, version


if __name__ == "__main__":
    python, version = ensure_ldm()
    print(f"{python} (log-distance-measures {version})")
