"""Create (once) the separate virtual environment that holds Prosimos for the benchmark.

Prosimos pins pandas < 3 and other versions that clash with leanproc's environment, so it lives
in its own venv, by default /tmp/prosimos-venv (outside the repository; set PROSIMOS_VENV to
move it, PROSIMOS_SPEC to install another version).

    python benchmarks/prosimos_env.py          # create if missing, print its python
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEFAULT_VENV = Path(os.environ.get("PROSIMOS_VENV", "/tmp/prosimos-venv"))
SPEC = os.environ.get("PROSIMOS_SPEC", "prosimos==2.1.0")  # the version the results report


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _works(python: Path) -> str | None:
    """Prosimos' version if it imports in that interpreter, else None."""
    if not python.is_file():
        return None
    probe = ("import importlib.metadata as m, prosimos.simulation_engine; "
             "print(m.version('prosimos'))")
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_prosimos(venv: Path = DEFAULT_VENV) -> tuple[Path, str]:
    """(the venv's python, Prosimos' version), creating the venv and installing if needed."""
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
    python, version = ensure_prosimos()
    print(f"{python} (prosimos {version})")
