"""A separate virtual environment for a peer tool a benchmark compares with (created once).

Peers such as Prosimos and log-distance-measures pin pandas < 3 and other versions that clash
with leanproc's environment, so each lives in its own venv outside the repository and talks to
leanproc's side through files. `prosimos_env.py` and `distance_env.py` name the venv and the
package; this module creates, installs and checks it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _works(python: Path, module: str, dist: str) -> str | None:
    """`dist`'s version if `module` imports in that interpreter, else None."""
    if not python.is_file():
        return None
    probe = f"import importlib.metadata as m, {module}; print(m.version({dist!r}))"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_venv(venv: Path, spec: str, *, module: str, dist: str) -> tuple[Path, str]:
    """(the venv's python, `dist`'s version), creating `venv` and installing `spec` (a pip
    requirement) if `module` does not import there yet."""
    python = _python(venv)
    version = _works(python, module, dist)
    if version:
        return python, version
    print(f"creating {venv} with {spec} (a few minutes) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", spec],
                          capture_output=True, text=True)
    version = _works(python, module, dist)
    if done.returncode != 0 or not version:
        tail = "\n".join((done.stderr or done.stdout).splitlines()[-15:])
        raise RuntimeError(f"pip install {spec} into {venv} failed (exit {done.returncode}):\n"
                           f"{tail}")
    return python, version
