"""The archive-certificate project's CI gate: the build fails when a model change breaks a
target of the project card.

The fixtures come from the leanproc pytest plugin (installed with leanproc): each scenario is
simulated once per test session and shared by every test that asks for it. In CI, trade
rigour for speed with ``pytest --leanproc-replications 5`` (the gate file says 10).
"""

from __future__ import annotations

from pathlib import Path

from leanproc.testing import assert_targets

ROOT = Path(__file__).resolve().parents[1]
AS_IS = ROOT / "scenarios" / "as-is.yaml"
TO_BE = ROOT / "scenarios" / "to-be.yaml"


def test_gate_file(leanproc_gate):
    """Every target of targets.yaml (the same file `leanproc gate` reads) is met."""
    report = leanproc_gate(ROOT / "targets.yaml")
    assert report.passed, str(report)


def test_nine_of_ten_requests_within_three_working_days(leanproc_simulation):
    """A stricter in-house rule than the project card: ВПП p90 within three working days."""
    assert_targets(leanproc_simulation(TO_BE), {"lead_time_working.p90": "<= 3wd"})


def test_to_be_at_least_halves_the_cost_per_request(leanproc_comparison):
    """The whole 95 % CI of the paired saving is above half the AS-IS cost per request."""
    comparison = leanproc_comparison(AS_IS, TO_BE)
    before = comparison.side("cost.per_case", "before").mean
    saving = comparison.saving_per_case()
    assert saving.low > 0.5 * before, (
        f"saving per request {saving.mean:,.0f} RUB [{saving.low:,.0f} .. {saving.high:,.0f}] "
        f"is not above half the AS-IS cost ({before:,.0f} RUB)")
