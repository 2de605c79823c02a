"""Small copies of the bundled example for CLI and gate tests (few cases: fast runs)."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import yaml

EXAMPLES = Path(str(resources.files("leanproc") / "examples"))
CI_GATE = Path(__file__).resolve().parents[2] / "examples" / "ci-gate"


def small_pair(folder: Path, cases: int = 60) -> tuple[Path, Path]:
    """The bundled AS-IS / TO-BE scenarios with `cases` cases, written to `folder`; their
    models are read from the installed package."""
    out = []
    for name in ("hello.yaml", "hello-to-be.yaml"):
        data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
        data["model"] = str(EXAMPLES / data["model"])
        data["arrivals"]["cases"] = cases
        path = folder / name.replace("hello", "small")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def copy_example(dest: Path) -> Path:
    """The ci-gate example copied to `dest` (tests edit the copy, never the example)."""
    shutil.copytree(CI_GATE, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return dest
