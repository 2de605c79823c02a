"""Writing an output file so that a failure or a kill never leaves half a file behind.

Every file leanproc writes (event logs, HTML reports, workbooks, scenarios, BPMN) goes through
`atomic_write`: the content is written to a temporary file in the target's own folder (so the
final rename stays on one file system), flushed and fsynced, then renamed over the target in
one step. A reader sees either the previous file, intact, or the complete new one; an
interrupted write leaves at most a ``.<name>.*.tmp`` file, removed when the write fails in
Python.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

from leanproc.errors import LeanprocError

__all__ = ["atomic_write"]


@overload
def atomic_write(path: str | os.PathLike[str], mode: Literal["w"] = ..., *,
                 encoding: str = ..., newline: str | None = ...
                 ) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_write(path: str | os.PathLike[str], mode: Literal["wb"], *,
                 encoding: str = ..., newline: str | None = ...
                 ) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *, encoding: str = "utf-8",
                 newline: str | None = None) -> contextlib.AbstractContextManager[IO[str]] | \
        contextlib.AbstractContextManager[IO[bytes]]:
    """A context manager giving a file object whose content replaces `path` on success.

    ``mode`` is ``"w"`` (text, `encoding`) or ``"wb"``. The target's folder must exist; the
    target itself may exist (it is replaced only when the block ends without an exception) but
    must not be a folder.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    return _atomic(Path(path), mode, encoding, newline)


@contextlib.contextmanager
def _atomic(target: Path, mode: str, encoding: str, newline: str | None) -> Iterator[IO[Any]]:
    if target.is_dir():
        raise LeanprocError(f"{target}: is a folder; give a file name to write to")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise LeanprocError(f"{target}: the folder {folder} does not exist; create it first")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        handle: IO[Any] = (os.fdopen(fd, "w", encoding=encoding, newline=newline)
                           if mode == "w" else os.fdopen(fd, "wb"))
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # keep the permissions an ordinary open() would have given a new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
