"""The progress bar: silent when output is not a terminal; results unchanged by it."""

from __future__ import annotations

import io

from helpers.cli_scenarios import small_pair
from leanproc._labels import localise_units
from leanproc.cli._common import Progress, ProgressExecutor, print_table
from leanproc.simulation.run import simulate


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_off_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    bar = Progress(3, "x", stream=stream)
    bar.update()
    bar.close()
    assert stream.getvalue() == ""  # also the case under pytest's captured stdout


def test_progress_draws_counts_and_wipes_itself_on_a_terminal():
    stream = _Tty()
    with Progress(4, "simulating", stream=stream, enabled=True, width=8) as bar:
        for _ in range(4):
            bar.update()
    text = stream.getvalue()
    assert "simulating [##......] 1/4" in text and "[########] 4/4" in text
    assert text.endswith("\r")  # the bar's line is blanked for the table that follows


def test_progress_executor_gives_the_same_results_as_no_executor(tmp_path):
    as_is, _ = small_pair(tmp_path, cases=30)
    bar = Progress(3, enabled=False)
    with_bar = simulate(as_is, seed=5, replications=3, executor=ProgressExecutor(bar))
    plain = simulate(as_is, seed=5, replications=3)
    assert bar.done == 3
    for a, b in zip(with_bar.results, plain.results, strict=True):
        assert a.log.equals(b.log)


def test_progress_executor_passes_exceptions_on():
    bar = Progress(1, enabled=False)

    def boom() -> None:
        raise RuntimeError("x")

    future = ProgressExecutor(bar).submit(boom)
    assert isinstance(future.exception(), RuntimeError) and bar.done == 1


def test_tables_align_and_units_translate():
    import pandas as pd

    out = io.StringIO()
    print_table(pd.DataFrame({"KPI": ["a", "long name"], "v": ["1.0 h", "12.5 h"],
                              "ok": ["✓ met", ""]}), file=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == "a           1.0 h  ✓ met"
    assert lines[2].rstrip() == "long name  12.5 h"
    assert localise_units("12.5 h [1.0 h .. 3 h]; 900.00 RUB", "ru") == \
        "12.5 ч [1.0 ч .. 3 ч]; 900.00 ₽"
