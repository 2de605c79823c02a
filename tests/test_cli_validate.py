"""`leanproc validate`: a projection against a real log, verdicts and exit status."""

from __future__ import annotations

from importlib.resources import files

from leanproc.cli import main

EXAMPLES = files("leanproc") / "examples"


def test_a_reality_like_the_projection_is_confirmed(tmp_path, capsys):
    real = tmp_path / "real.csv"
    assert main(["simulate", str(EXAMPLES / "hello-to-be.yaml"), "--seed", "7",
                 "--out", str(real), "--no-progress"]) == 0
    # 10 replications (the default): with 3 the interval one real period is expected in is too
    # wide to confirm the mean lead time, and the verdict is inconclusive
    status = main(["validate", str(EXAMPLES / "hello-to-be.yaml"), str(real), "-n", "10",
                   "--no-progress"])
    out = capsys.readouterr().out
    assert "lead_time.mean" in out and "-> confirmed" in out
    assert status == 0


def test_a_change_that_did_not_deliver_exits_1(tmp_path, capsys):
    """Reality kept the AS-IS process: the TO-BE projection is not confirmed."""
    real = tmp_path / "real.csv"
    assert main(["simulate", str(EXAMPLES / "hello.yaml"), "--out", str(real),
                 "--no-progress"]) == 0
    status = main(["validate", str(EXAMPLES / "hello-to-be.yaml"), str(real), "-n", "3",
                   "--no-progress"])
    out = capsys.readouterr().out
    assert "not confirmed" in out
    assert status == 1
