"""`leanproc optimize`: reading --vary, the answer on a small tandem line, the files it writes
and its exit status.

The line is two M/M/c stations (helpers.tandem) on a 3 x 4 grid of head counts, small enough
to be searched exhaustively in seconds; the cheapest staffing whose Erlang C mean lead time
is at most 335 s is computed independently by `helpers.tandem.analytic_optimum`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from helpers import tandem
from leanproc.bpmn.writer import write_bpmn
from leanproc.cli import main
from leanproc.cli._common import UsageError
from leanproc.cli._vary import parse_vary
from leanproc.cli.optimize import _Bar

IA, SERVICES, RATES = 60.0, [90.0, 150.0], [100.0, 150.0]
VARY = ["--vary", "resources.p1.count=1..3", "--vary", "resources.p2.count=1..4"]


@pytest.fixture(scope="module")
def line(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tandem")
    (folder / "model").mkdir()
    write_bpmn(tandem.model(2), folder / "model" / "tandem.bpmn")
    sc = tandem.scenario(IA, SERVICES, RATES, 400)
    sc["model"] = "model/tandem.bpmn"
    (folder / "line.yaml").write_text(yaml.safe_dump(sc), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def solved(line: Path) -> tuple[int, Path, str]:
    out = line / "out"
    argv = [str(line / "line.yaml"), *VARY, "--targets", "lead_time.mean=<=335s",
            "--objective", "staff_cost.per_year", "--seed", "7", "--out", str(out / "best.yaml"),
            "--xlsx", str(out / "r.xlsx"), "--html", str(out / "r.html")]
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["optimize", *argv])
    return code, out, buf.getvalue()


def test_vary_reads_ranges_steps_lists_and_durations():
    got = parse_vary(["a.count=1..4", "b.count=2..10/4", "c.calendar=ru-5x8,ru-2x12",
                      "d.wait=10min..30min/10min", "e.share=0.5..0.9/0.2", "f.x=3,1.5,x"])
    assert got == {"a.count": [1, 2, 3, 4], "b.count": [2, 6, 10],
                   "c.calendar": ["ru-5x8", "ru-2x12"], "d.wait": ["10min", "20min", "30min"],
                   "e.share": [0.5, 0.7, 0.9], "f.x": [3, 1.5, "x"]}


@pytest.mark.parametrize(("item", "words"), [
    ("resources.p1.count", "PATH=a..b"),
    ("resources.p1.count=5..1", "smaller end first"),
    ("resources.p1.count=1..5/0", "greater than 0"),
    ("resources.p1.count=1..x", "not a range"),
    ("x.wait=10min..1h", "same unit"),
    ("x.wait=1..3,", "not a range"),
    ("x.calendar=a,,b", "empty value"),
])
def test_vary_errors_name_the_flag_and_the_fix(item: str, words: str):
    with pytest.raises(UsageError) as err:
        parse_vary([item])
    assert str(err.value).startswith(f"--vary {item}:") and words in str(err.value)


def test_finds_the_erlang_c_optimum_and_exits_0(solved):
    code, _, printed = solved
    expected, _, _ = tandem.analytic_optimum(IA, SERVICES, RATES, [range(1, 4), range(1, 5)],
                                             335.0)
    assert code == 0
    shown = ", ".join(f"resources.p{i + 1}.count = {c}" for i, c in enumerate(expected))
    assert f"Best candidate: {shown}" in printed
    assert "12 candidates evaluated (exhaustive)" in printed


def test_writes_the_best_scenario_with_its_model_relative_to_it(solved):
    from leanproc.scenario import Scenario

    _, out, _ = solved
    data = yaml.safe_load((out / "best.yaml").read_text(encoding="utf-8"))
    assert data["model"] == "../model/tandem.bpmn"
    bound = Scenario.load(out / "best.yaml").bind()
    expected, _, _ = tandem.analytic_optimum(IA, SERVICES, RATES, [range(1, 4), range(1, 5)],
                                             335.0)
    assert (bound.pools["p1"].count, bound.pools["p2"].count) == expected


def test_writes_the_workbook_and_the_html_page(solved):
    _, out, _ = solved
    book = load_workbook(out / "r.xlsx")
    assert book.sheetnames[:3] == ["Candidates evaluated", "Pareto front", "Best candidate"]
    rows = list(book["Candidates evaluated"].iter_rows(values_only=True))
    assert len(rows) == 1 + 12  # the header and every candidate of the 3 x 4 grid
    page = (out / "r.html").read_text(encoding="utf-8")
    assert "Best candidate" in page and "resources.p2.count" in page and "<img" in page


def test_exits_1_when_no_candidate_meets_the_targets(line: Path, capsys):
    # 240 s of service alone: no staffing brings the mean lead time under 100 s
    code = main(["optimize", str(line / "line.yaml"), "--vary", "resources.p1.count=3",
                 "--vary", "resources.p2.count=4", "--targets", "lead_time.mean <= 100s",
                 "--objective", "staff_cost.per_year", "--out", str(line / "none.yaml"),
                 "--lang", "ru"])
    assert code == 1
    assert "Ни один вариант не выполнил" in capsys.readouterr().out
    assert not (line / "none.yaml").exists()


@pytest.mark.parametrize(("extra", "words"), [
    (["--vary", "resources.p1.count=1..x"], "--vary resources.p1.count=1..x"),
    (["--vary", "resources.p9.count=1..2"], "unknown path 'resources.p9.count'"),
    (["--executor", "ftp://x"], "--executor ftp://x"),
    (["--xlsx", "out.csv"], "--xlsx out.csv"),
    (["--out", "best.txt"], "--out best.txt"),
    (["--targets", "nonsense"], "--targets nonsense"),
    (["--replications", "1.5..3"], "--replications"),
])
def test_usage_errors_exit_2_naming_the_flag(line: Path, capsys, extra, words):
    argv = ["optimize", str(line / "line.yaml"), "--vary", "resources.p1.count=1..2",
            "--objective", "staff_cost.per_year", "--targets", "lead_time.mean=<=335s", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("leanproc: error:") and words in err


def test_progress_bar_counts_runs_on_stderr(capsys):
    bar = _Bar(enabled=True)
    bar({"phase": "exhaustive", "runs": 5, "budget": 20, "candidates": 2})
    bar({"phase": "done", "runs": 20, "budget": 20, "candidates": 4})
    err = capsys.readouterr().err
    assert "20/20" in err and "4 candidates" in err
    quiet = _Bar(enabled=False)
    quiet({"phase": "exhaustive", "runs": 5, "budget": 20, "candidates": 2})
    assert capsys.readouterr().err == ""
