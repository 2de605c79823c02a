"""The ``leanproc`` command (also ``python -m leanproc``).

One module per command group: `model` (check-model), `run` (simulate, cost), `calibrate`,
<<<<<<< HEAD
`discover`, `compare` (compare, ladder, report), `validate` and `monitor` (post-monitoring),
`gate` (the CI gate), `demo`. Errors a user can fix — a bad file, a missing file, a bad argument —
=======
`compare` (compare, ladder, report), `validate` and `monitor` (post-monitoring), `optimize`, `gate`
(the CI gate), `demo`. Errors a user can fix — a bad file, a missing file, a bad argument —
>>>>>>> opt-cli
print one clear message without a traceback and exit with status 2; ``check-model``,
``validate``, ``monitor``, ``optimize`` and ``gate`` exit 1 when the model has errors, a KPI
is not confirmed or a target is missed (no candidate meets them).

The command modules import the library (pandas, the simulator, pm4py…) inside the command
functions, so that ``leanproc --help`` and a mistyped argument answer at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn, TextIO

from leanproc import __version__
from leanproc.cli import (
    calibrate,
    compare,
    demo,
    discover,
    gate,
    model,
    monitor,
    optimize,
    run,
    validate,
)
from leanproc.cli._common import UsageError, common_options
from leanproc.errors import LeanprocError

__all__ = ["build_parser", "main"]

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"leanproc: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leanproc",
        description="Lean process analytics: BPMN models, simulation, KPIs (ВПП, НЗП, PCE), "
                    "process cost, AS-IS / TO-BE comparison and CI gates on targets.",
        epilog="`leanproc demo` runs the bundled example; `leanproc <command> --help` for "
               "each command's options.",
    )
    parser.add_argument("--version", action="version", version=f"leanproc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="<command>",
                                parser_class=_Parser)
    common = common_options()
    for module in (model, run, compare, validate, monitor, calibrate, discover, optimize, gate,
                   demo):
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _show_note
        try:
            return int(args.func(args))
        except (LeanprocError, UsageError) as exc:
            _error(str(exc))
        except FileNotFoundError as exc:
            _error(f"file not found: {exc.filename or exc}")
        except IsADirectoryError as exc:
            _error(f"{exc.filename}: is a folder; give a file")
        except OSError as exc:  # permissions, a full disk, a file where a folder should be
            _error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except MemoryError:
            _error("out of memory: the input asks for more than this machine has; reduce "
                   "cases, replications or resource counts")
        except RecursionError:
            _error("the input is nested too deeply to process")
        except KeyboardInterrupt:
            print("leanproc: interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # a defect in leanproc, not in the input: say so in one line
            if os.environ.get("LEANPROC_DEBUG"):
                raise
            _error(f"internal error {type(exc).__name__}: {exc} (a leanproc defect; set "
                   f"LEANPROC_DEBUG=1 for the traceback and report it)")
    return EXIT_USAGE


def _error(message: str) -> None:
    print(f"leanproc: error: {message}", file=sys.stderr)


def _show_note(message: Warning | str, category: type[Warning], filename: str, lineno: int,
               file: TextIO | None = None, line: str | None = None) -> None:
    """leanproc's own notes as one ``leanproc: note:`` line; other warnings as Python shows
    them."""
    from leanproc.scenario.encoding import ScenarioEncodingNote

    if issubclass(category, ScenarioEncodingNote):
        print(f"leanproc: note: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
