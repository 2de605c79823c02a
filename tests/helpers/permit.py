"""A small permit process for the mining tests: an application, two checks side by side, a
choice to issue or refuse; and a scenario that simulates logs of it."""

from __future__ import annotations

from typing import Any

from leanproc.bpmn.builder import ModelBuilder
from leanproc.bpmn.model import ProcessModel


def permit_model() -> ProcessModel:
    b = ModelBuilder("permit")
    start, take, split = b.start("in"), b.task("Take application"), b.parallel("split")
    check, pay, join = b.task("Check documents"), b.task("Take payment"), b.parallel("join")
    ok, issue, refuse = b.xor("complete?"), b.task("Issue permit"), b.task("Refuse")
    b.sequence(start, take, split)
    for a, c in ((split, check), (split, pay), (check, join), (pay, join), (join, ok)):
        b.flow(a, c)
    b.flow(ok, issue, name="yes")
    b.flow(ok, refuse, name="no")
    b.flow(issue, b.end("done"))
    b.flow(refuse, b.end("refused"))
    return b.build()


def permit_scenario(cases: int) -> dict[str, Any]:
    """Arrivals every hour on average, two clerks on a 5x8 week, 80 % of permits issued."""
    return {
        "start": "2024-03-04T09:00+07:00", "calendar": "5x8",
        "arrivals": {"interarrival": {"exponential": {"mean": "1h"}}, "cases": cases},
        "resources": {"clerk": {"count": 2}},
        "defaults": {"duration": {"uniform": ["5min", "20min"]}, "resource": "clerk"},
        "gateways": {"complete?": {"yes": 0.8, "no": 0.2}},
    }
