"""Calibration's guard rail: does the model explain the log well enough to be calibrated from it?

Calibration estimates branch shares and enablement from the replay of the log on the model. A
log event the replay cannot place has no enabler (its wait is measured from the case start or
the previous row) and its case's choices are only partly counted; an activity of the log that
the model lacks is not simulated at all. So a model that replays little of its log gives a
scenario that runs but is wrong (a published BPMN against its own, differently named log
replayed 0 % of the cases and simulated a lead time half the real one), and that must not pass
quietly.

The measure is the share of the log's events the replay places on the model (`event_share`);
the share of cases replayed without any deviation is reported too, but one stray event spoils a
whole case, so on long noisy cases it says little about how much of the log the scenario rests
on. Below `MIN_FITNESS` (default of ``calibrate(min_fitness=)``) calibration refuses with a
`CalibrationError`; below `WARN_FITNESS` it warns.

Measured on ../shared/corpus/logs: each log with its own model replays 100 % of its events
(LoanApp, receipt, running example) and every mismatched pair of them 0 %; `discover`'s
default model replays 99.5-100 % of each of the seven logs; simplified models (the miner's
``noise_threshold=0.2``) replay 64 % (receipt), 87 % (reviewing), 92 % (helpdesk) and 98-100 %
of the others. So the refusal catches a model of another process without touching any model
mined from the log itself, and the warning marks the strongly simplified ones. Below half the
events a scenario rests more on assumptions than on the log; these bands have not been tried on
logs with heavy recording noise, where an honest model may replay less.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from leanproc.errors import CalibrationError

__all__ = ["MIN_FITNESS", "WARN_FITNESS", "check_fitness"]

MIN_FITNESS = 0.5
WARN_FITNESS = 0.9


def _listed(names: list[str], limit: int = 10) -> str:
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def check_fitness(summary: dict[str, Any], frame: pd.DataFrame, task_keys: set[str],
                  task_names: dict[str, str], *, min_fitness: float) -> tuple[str, ...]:
    """Raise `CalibrationError` when fewer than `min_fitness` of the events replay; return the
    warnings (empty when the fit is good).

    `frame` has calibration's ``activity`` and ``key`` (folded name) columns; `task_keys` the
    model's task names folded, `task_names` folded name -> the model's spelling.
    """
    events, cases = summary["event_share"], summary["fitting_share"]
    keys = set(frame["key"])
    only_log = sorted({a for a, k in zip(frame["activity"], frame["key"], strict=True)
                       if k not in task_keys})
    only_model = sorted(task_names[k] for k in task_keys - keys)
    missing = []
    if only_log:
        share = float((~frame["key"].isin(task_keys)).mean())
        missing.append(f"{len(only_log)} log activit(ies) not in the model ({share:.0%} of "
                       f"the events): {_listed(only_log)}")
    if only_model:
        missing.append(f"{len(only_model)} model task(s) never in the log: "
                       f"{_listed(only_model)}")
    fit = (f"the model replays {events:.1%} of the log's events ({cases:.1%} of the cases "
           f"without deviation)")
    if events < min_fitness:
        raise CalibrationError(
            [f"{fit}, below min_fitness={min_fitness:g}: a scenario calibrated on it would "
             f"simulate a different process", *missing,
             "fix: mine a model from this log (`leanproc discover log --out model.bpmn`, or "
             "leanproc.discover(log)), check that the model belongs to the log (activity "
             "names must match), or pass min_fitness=0 (--min-fitness 0) to calibrate anyway"],
            source="calibrate")
    if events < WARN_FITNESS:
        return (f"{fit}: branch shares and waits rest on that part only; consider a model "
                f"mined from this log (leanproc discover)", *missing)
    return ()
