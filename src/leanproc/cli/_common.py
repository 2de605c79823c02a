"""What every command shares: options, the progress bar, tables for a terminal, example files.

The progress bar is written here rather than taken from a library because it needs to do one
thing only: count finished replications on stderr when a person is watching, and stay silent
(no control characters) when output goes to a file, a pipe or a CI log.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import Executor, Future
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from leanproc.inputs import DEFAULT_SEED

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LOG_SUFFIXES",
    "XLSX_HELP",
    "XLSX_SUFFIXES",
    "Progress",
    "ProgressExecutor",
    "UsageError",
    "check_output_file",
    "common_options",
    "example_path",
    "input_files",
    "positive_int",
    "print_table",
    "progress_for",
    "seed",
    "shown_cells",
    "write_workbook_of",
]


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit status 2, one line)."""


def example_path(name: str) -> Path:
    """A file of the bundled example (``src/leanproc/examples``), installed as package data."""
    return Path(str(resources.files("leanproc") / "examples" / name))


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0, with a decimal point or comma (``1,5``) and optional
    thousands spaces (``12 000``)."""
    try:
        value = float("".join(text.split()).replace("\u202f", "").replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be a finite number greater than 0")
    return value


def seed(text: str) -> int:
    """argparse type: a random seed, a whole number >= 0 (what numpy's generators accept)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: a seed is a whole number >= 0")
    return value


# the suffixes `leanproc.eventlog.write_log` knows, checked before a long simulation
LOG_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq", ".xes", ".xes.gz")


# the Excel workbook of `--xlsx` (`to_excel` of a result, a comparison, a ladder, a cost report)
XLSX_SUFFIXES = (".xlsx",)
XLSX_HELP = "also write an Excel workbook (.xlsx) here: the tables and a parameters sheet"


def input_files(key: str, path: str | None, lang: str) -> dict[str, str]:
    """A workbook's parameter row naming an input file (``Было (AS-IS): Файл сценария``)."""
    if not path:
        return {}
    from leanproc._labels import label

    what = label("scenario_file", lang)
    title = label(key, lang) if key.endswith("_file") else f"{label(key, lang)}: {what}"
    return {title: str(path)}


def write_workbook_of(subject: Any, path: str, lang: str, parameters: dict[str, Any]) -> None:
    """`subject.to_excel` at `path` (its folders made, as for ``--html``), then say where."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    subject.to_excel(path, lang=lang, parameters=parameters)
    print(("книга Excel" if lang == "ru" else "Excel workbook") + f": {path}")


def check_output_file(path: str, option: str, suffixes: tuple[str, ...] = ()) -> None:
    """Refuse an output path that cannot be written, before any work is done.

    A folder, a suffix outside `suffixes` (when given) or a parent that is a file would
    otherwise fail only after the whole simulation has run.
    """
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name to write to")
    if suffixes and not target.name.lower().endswith(suffixes):
        raise UsageError(f"{option} {path}: unknown format; end the name in "
                         f"{', '.join(suffixes[:-1])} or {suffixes[-1]}")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{option} {path}: {parent} is a file, not a folder")
            break


def common_options(*, replications: int | None = None, lang: bool = True,
                   ) -> argparse.ArgumentParser:
    """A parent parser with the options most commands take (``--lang``, ``--seed``…)."""
    p = argparse.ArgumentParser(add_help=False)
    if lang:
        p.add_argument("--lang", choices=("en", "ru"), default="en",
                       help="language of table labels and reports (default: en)")
    p.add_argument("--seed", type=seed, default=None,
                   help=f"random seed; the same seed gives the same numbers (default: "
                        f"{DEFAULT_SEED})")
    if replications is not None:
        p.add_argument("--replications", "-n", type=positive_int, default=replications,
                       help=f"independent simulation runs (default: {replications})")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (it is off anyway when output is not a terminal)")
    return p


# ----------------------------------------------------------------------------- progress
class Progress:
    """A one-line progress bar on `stream`: ``label [#####.....] 5/10 0:03``.

    Disabled (every method a no-op) unless both stdout and `stream` are terminals, so logs,
    pipes and CI output stay clean.
    """

    def __init__(self, total: int, label: str = "", *, stream: TextIO | None = None,
                 enabled: bool | None = None, width: int = 30) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = _is_tty(sys.stdout) and _is_tty(self.stream)
        self.enabled = enabled
        self.width = width
        self.done = 0
        self._t0 = time.monotonic()

    def update(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if not self.enabled:
            return
        filled = round(self.width * self.done / self.total)
        secs = int(time.monotonic() - self._t0)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} "
                          f"{secs // 60}:{secs % 60:02d}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            # wipe the bar so the table printed next starts on a clean line
            self.stream.write("\r" + " " * (len(self.label) + self.width + 24) + "\r")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class ProgressExecutor(Executor):
    """An executor that runs each task at once, in this process, and ticks a `Progress`.

    `simulate`, `compare` and `ladder` hand every replication to their `executor`; giving
    them this one reports progress without any change to how (or in what order) they run, so
    results are identical to a run without it.
    """

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        self.progress.update()
        return future


def progress_for(args: argparse.Namespace, total: int, label: str) -> Progress:
    """A progress bar for `total` replications, off with ``--no-progress`` or no terminal."""
    enabled = None if not getattr(args, "no_progress", False) else False
    return Progress(total, label, enabled=enabled)


# ----------------------------------------------------------------------------- tables
def shown_cells(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numbers of `frame` as text in the number format of `lang`: money (Decimal) to the
    kopeck, whole numbers grouped, other floats with up to four decimals (``0,1667``)."""
    from decimal import Decimal

    from leanproc._display import fmt_fixed, localise_numbers

    def cell(value: Any) -> Any:
        if isinstance(value, Decimal):
            return "" if value.is_nan() else fmt_fixed(float(value), 2, lang)
        if isinstance(value, bool) or not isinstance(value, int | float) or _missing(value):
            return value
        if float(value).is_integer():
            return fmt_fixed(float(value), 0, lang)
        return localise_numbers(f"{value:,.4f}".rstrip("0"), lang)

    return frame.apply(lambda column: column.map(cell))


def print_table(frame: pd.DataFrame, *, file: TextIO | None = None,
                left: tuple[int, ...] = (0, -1)) -> None:
    """A DataFrame as aligned text without the index: columns `left` (by position) flush
    left — names and verdicts read better so — the others (figures) flush right."""
    out = file if file is not None else sys.stdout
    if frame.empty:
        print("(no rows)", file=out)
        return
    ncol = len(frame.columns)
    lefts = {i % ncol for i in left}
    cells = [[str(c) for c in frame.columns]]
    cells += [["" if _missing(v) else str(v) for v in row]
              for row in frame.itertuples(index=False)]
    widths = [max(len(r[j]) for r in cells) for j in range(ncol)]
    for r in cells:
        parts = [r[j].ljust(widths[j]) if j in lefts else r[j].rjust(widths[j])
                 for j in range(ncol)]
        print("  ".join(parts).rstrip(), file=out)


def _missing(value: Any) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
