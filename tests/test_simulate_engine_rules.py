"""Engine rules the semantic tests do not pin: which alternative pool serves a task, and
smaller rules a mutation run showed unguarded. Every expected value is worked out by hand
from the scenario in the test (the derivation is in each docstring); all cases arrive at
given instants and durations are fixed, so no randomness enters the answers.
"""

from __future__ import annotations

import pandas as pd

from helpers.bpmn_text import chain
from leanproc.bpmn import read_bpmn
from leanproc.simulation.run import simulate

START = "2024-01-01T00:00+00:00"
T0 = pd.Timestamp(START)
HOUR = pd.Timedelta(hours=1)


def _work(pools: list[str], counts: dict[str, int], cases: int, duration: object = "1h"):
    """`cases` cases arrive together at START for one task "Work" on the alternative `pools`."""
    model = read_bpmn(chain(["Work"]))
    return simulate({
        "start": START,
        "arrivals": {"times": [START] * cases},
        "resources": {name: {"count": n} for name, n in counts.items()},
        "activities": {"Work": {"resource": pools, "duration": duration}},
    }, model, seed=1)


def _by_case(result) -> pd.DataFrame:
    log = result.log.copy()
    log["case"] = log["case:concept:name"].astype(int)
    return log.sort_values("case").reset_index(drop=True)


# ---- alternative pools --------------------------------------------------------------------
# The rule (resources.choose_pool): the pool with the lowest load = queue length - free
# units, i.e. the most free units while any is free, else the shortest queue; ties go to the
# pool listed first. Units of a pool are taken in order (#1 first).

def test_alternative_pools_prefer_the_most_free_units_then_the_first_listed():
    """A (1 unit), B (2 units), resource [A, B], three cases at once.
    case 1: load A = -1, B = -2 -> B (B#1); case 2: A = -1, B = -1, a tie -> A (listed first);
    case 3: A = 0, B = -1 -> B (B#2). Nobody waits: all work from START to START + 1 h."""
    log = _by_case(_work(["A", "B"], {"A": 1, "B": 2}, 3))
    assert list(log["org:resource"]) == ["B#1", "A", "B#2"]
    assert list(log["org:role"]) == ["B", "A", "B"]
    assert (log["start_timestamp"] == T0).all()
    assert (log["time:timestamp"] == T0 + HOUR).all()


def test_the_listed_order_breaks_ties():
    """The same pools listed [B, A]: case 1: B = -2, A = -1 -> B#1; case 2: B = -1, A = -1,
    a tie -> B (now listed first) -> B#2; case 3: B = 0, A = -1 -> A."""
    log = _by_case(_work(["B", "A"], {"A": 1, "B": 2}, 3))
    assert list(log["org:resource"]) == ["B#1", "B#2", "A"]


def test_with_every_unit_busy_the_shortest_queue_wins():
    """A and B with 1 unit each, 1 h of work, five cases at once.
    case 1: A = -1, B = -1 -> A (first); case 2: A = 0, B = -1 -> B;
    case 3: A = 0, B = 0 -> A, queued; case 4: A = 1, B = 0 -> B, queued;
    case 5: A = 1, B = 1 -> A, queued behind case 3.
    So A serves cases 1, 3, 5 at 0-1 h, 1-2 h, 2-3 h and B cases 2, 4 at 0-1 h, 1-2 h."""
    log = _by_case(_work(["A", "B"], {"A": 1, "B": 1}, 5))
    assert list(log["org:resource"]) == ["A", "B", "A", "B", "A"]
    assert list((log["start_timestamp"] - T0) / HOUR) == [0, 0, 1, 1, 2]
    assert list((log["time:timestamp"] - T0) / HOUR) == [1, 1, 2, 2, 3]
    # every case was enabled at START: the wait is the start
    assert (log["enable_timestamp"] == T0).all()


def test_the_chosen_pool_sets_the_duration():
    """durations by pool A 1 h, B 3 h; two cases at once, one unit each: case 1 ties -> A,
    ends at 1 h; case 2: A busy (load 0) vs B free (-1) -> B, ends at 3 h."""
    log = _by_case(_work(["A", "B"], {"A": 1, "B": 1}, 2,
                         duration={"by_resource": {"A": "1h", "B": "3h"}}))
    assert list(log["org:resource"]) == ["A", "B"]
    assert list((log["time:timestamp"] - T0) / HOUR) == [1, 3]


def test_one_duration_applies_to_whichever_pool_serves():
    """A single `duration` (2 h) and two free pools: case 1 ties -> A, case 2 -> B (A busy);
    both take 2 h."""
    log = _by_case(_work(["A", "B"], {"A": 1, "B": 1}, 2, duration="2h"))
    assert list(log["org:resource"]) == ["A", "B"]
    assert list((log["time:timestamp"] - T0) / HOUR) == [2, 2]
