"""The exception types of leanproc: one per layer, each naming the place and the fix.

Every bad input ends in one of these. A message says *where* (file, element id and name, scenario
key, log row) and *what to do*; an exception that collects several problems lists them all, so a
user fixes a scenario in one pass rather than one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterable


class LeanprocError(Exception):
    """Base class of every error leanproc raises on purpose."""


class _ProblemList(LeanprocError):
    """An error that carries one or more located problems and prints them all."""

    def __init__(self, problems: str | Iterable[str], *, source: str | None = None) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            message = head + self.problems[0]
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{head}{len(self.problems)} problems:\n{lines}"
        super().__init__(message)


class BPMNError(_ProblemList):
    """A BPMN file that cannot be read: not XML, not BPMN 2.0, unsafe, or inconsistent."""


class ScenarioError(_ProblemList):
    """A scenario that does not fit its model or breaks a rule (all problems listed at once)."""


class LogError(_ProblemList):
    """An event log that cannot be read into the one log schema."""


class SimulationError(_ProblemList):
    """A model that cannot run to completion (deadlock, endless loop), naming the elements."""


class CalendarError(_ProblemList):
    """A working-time calendar that is malformed or cannot answer (e.g. no working time at all)."""


class CalibrationError(_ProblemList):
    """A model and a log that do not fit each other well enough to calibrate one from the other
    (the replay fitness, the activities found on one side only, and the fix)."""
