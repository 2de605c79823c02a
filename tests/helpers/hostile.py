"""Hostile inputs made on the fly, and a child process with a memory and a time bound.

A regression in a limit (an alias bomb expanded, a pool of 10**9 units allocated) must fail its
test by hitting a bound, not by making the suite swap or hang. The child gets an address-space
limit (RLIMIT_AS) and a timeout, both far above what a normal run needs on a busy machine:

* RLIMIT_AS 3 GB: the interpreter with numpy, scipy and pandas maps about 1.6 GB of address
  space (mostly reserved, untouched: a normal run keeps about 230 MB resident), while the
  nine-line alias bomb grew to 3.7 GB before this fix;
* 90 s: a refused input answers in a few seconds (imports included) even with both cores
  shared; the 10**9-case run went on for minutes.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from importlib import resources
from pathlib import Path

import leanproc

EXAMPLES = Path(str(resources.files("leanproc") / "examples"))
ADDRESS_SPACE = 3 * 1024**3
TIMEOUT_S = 90
_SRC = str(Path(leanproc.__file__).resolve().parents[1])


def example_scenario(folder: Path, name: str = "scenario.yaml",
                     replace: dict[str, str] | None = None, encoding: str = "utf-8") -> Path:
    """The bundled AS-IS scenario written to `folder` with each key of `replace` (a piece of
    its text) replaced, its model read from the installed package."""
    text = (EXAMPLES / "hello.yaml").read_text(encoding="utf-8")
    text = text.replace("model: hello.bpmn", f"model: {EXAMPLES / 'hello.bpmn'}")
    for old, new in (replace or {}).items():
        assert old in text, f"the example no longer contains {old!r}"
        text = text.replace(old, new)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`levels` lines, each a list of `width` aliases to the line before: width**levels
    values once expanded (9**9 = 387 million) from a few hundred bytes."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _bounded() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_bounded(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python <args>`` in `cwd` with leanproc from this tree, under the bounds above."""
    env = dict(os.environ, PYTHONPATH=_SRC, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("LEANPROC_DEBUG", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_S, preexec_fn=_bounded, check=False)


def run_cli(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``leanproc <argv>`` in a bounded child process."""
    return run_bounded(["-m", "leanproc", *argv], cwd)


def assert_one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit status 2, no traceback, one ``leanproc: error:`` line (a scenario error may list
    its problems under it) and each of `words` in the message; returns the error line."""
    err = result.stderr
    assert result.returncode == 2, (result.returncode, err[-2000:])
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith("leanproc: error:")]
    assert len(lines) == 1, err
    others = [line for line in err.splitlines()
              if line not in lines and not line.startswith(("  - ", "leanproc: note:"))]
    assert not others, err
    for word in words:
        assert word in err, (word, err)
    return lines[0]
