"""Engine rules the semantic tests do not pin: which alternative pool serves a task, and
smaller rules a mutation run showed unguarded. Every expected value is worked out by hand
from the scenario in the test (the derivation is in each docstring); all cases arrive at
given instants and durations are fixed, so no randomness enters the answers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.bpmn_text import chain, flow_model
from leanproc.bpmn import read_bpmn
from leanproc.scenario import Scenario
from leanproc.simulation.compile import compile_model
from leanproc.simulation.engine import Engine
from leanproc.simulation.run import simulate
from leanproc.simulation.streams import StreamFactory

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


# ---- rules a mutation run showed unguarded ------------------------------------------------
def _review_with_timer(hours: int) -> str:
    """start -> Review (interrupting boundary timer of `hours` -> Escalation) -> end."""
    timer = f"<timerEventDefinition><timeDuration>PT{hours}H</timeDuration></timerEventDefinition>"
    return flow_model(
        [("S", "startEvent", None), ("A", "task", "Review"),
         ("B", "boundaryEvent:A", "Escalate"), ("X", "task", "Escalation"),
         ("E1", "endEvent", None), ("E2", "endEvent", None)],
        [("S", "A"), ("A", "E1"), ("B", "X"), ("X", "E2")], extra={"B": timer},
    )


def _raw(scenario: dict, bpmn: str):
    """The engine's own output (pool busy seconds are not in the event log)."""
    bound = Scenario.load(scenario).bind(read_bpmn(bpmn))
    return Engine(compile_model(bound), bound, StreamFactory(1)).run()


def test_an_activity_with_a_boundary_event_draws_the_same_durations_as_a_plain_one():
    """CRN: case k's first visit of "Review" draws value k of the duration stream whether or
    not the task has a boundary event (a timer of 100 h that never fires before the work
    ends), so both models give every case the same Review duration."""
    review = {"Review": {"duration": {"exponential": {"mean": "1h"}}}}
    scenario = {"start": START, "arrivals": {"interarrival": "1h", "cases": 20},
                "activities": review}
    plain = _by_case(simulate(scenario, read_bpmn(chain(["Review"])), seed=5))
    scenario["activities"] = {**review, "Escalation": {"duration": "0min"}}
    guarded = _by_case(simulate(scenario, read_bpmn(_review_with_timer(100)), seed=5))
    assert list(guarded["concept:name"].unique()) == ["Review"]  # the timer never fired
    work = (plain["time:timestamp"] - plain["start_timestamp"]).to_numpy()
    assert len(set(work)) == 20  # really random, so equality below is not a coincidence
    assert (work == (guarded["time:timestamp"] - guarded["start_timestamp"]).to_numpy()).all()


def test_work_cut_by_a_boundary_timer_counts_as_busy_until_the_cut():
    """One clerk, Review 3 h, an interrupting 1 h timer; the case arrives at 02:00 (7200 s
    into the run): the clerk worked 1 h (3600 s), and the log row runs 7200-10800 s."""
    raw = _raw({"start": START, "arrivals": {"times": ["2024-01-01T02:00+00:00"]},
                "resources": {"clerk": {"count": 1}},
                "activities": {"Review": {"resource": "clerk", "duration": "3h"},
                               "Escalation": {"duration": "0min"}}}, _review_with_timer(1))
    assert raw.pool_busy == [3600.0]
    review = list(raw.node_idx).index(raw.activity_names.index("Review"))
    assert (raw.start[review], raw.end[review]) == (7200.0, 10800.0)


def test_work_cut_before_its_shift_began_is_a_zero_length_row():
    """Saturday 10:00 on a 5-day calendar: the clerk is free but the work would start on
    Monday 09:00; the 1 h timer cuts it at Saturday 11:00. The row starts and ends at the cut
    (not on Monday) and the clerk was busy for 0 s."""
    saturday = "2024-03-02T10:00+03:00"
    raw = _raw({"start": saturday, "calendar": "ru-5x8@Europe/Moscow",
                "arrivals": {"times": [saturday]}, "resources": {"clerk": {"count": 1}},
                "activities": {"Review": {"resource": "clerk", "duration": "3h"},
                               "Escalation": {"duration": "0min"}}}, _review_with_timer(1))
    review = list(raw.node_idx).index(raw.activity_names.index("Review"))
    assert (raw.start[review], raw.end[review]) == (3600.0, 3600.0)
    assert raw.pool_busy == [0.0]


def test_multi_instance_count_from_the_bpmn_loop_cardinality():
    """No `instances` in the scenario: the BPMN's loopCardinality 2 (sequential) runs the
    1 h task twice per case, back to back: 2 rows a case and a 2 h lead time."""
    marker = ('<multiInstanceLoopCharacteristics isSequential="true">'
              "<loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>")
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Ask"), ("E", "endEvent", None)],
        [("S", "A"), ("A", "E")], extra={"A": marker}))
    result = simulate({"start": START, "arrivals": {"interarrival": "10h", "cases": 3},
                       "activities": {"Ask": {"duration": "1h"}}}, model, seed=1)
    assert len(result.log) == 6
    assert (result.cases["lead_time"] == 2 * 3600.0).all()


def test_multi_instance_count_drawn_from_a_distribution_is_rounded():
    """instances uniform on [2.6, 3.4]: every draw rounds to 3, so each case runs the 1 h task
    three times in sequence (3 h lead time)."""
    marker = '<multiInstanceLoopCharacteristics isSequential="true"/>'
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Ask"), ("E", "endEvent", None)],
        [("S", "A"), ("A", "E")], extra={"A": marker}))
    result = simulate({"start": START, "arrivals": {"interarrival": "10h", "cases": 4},
                       "activities": {"Ask": {"duration": "1h",
                                              "instances": {"uniform": [2.6, 3.4]}}}},
                      model, seed=1)
    assert len(result.log) == 12
    assert (result.cases["lead_time"] == 3 * 3600.0).all()


def test_streaming_mode_keeps_count_waiting_and_work_per_activity():
    """Three cases at once, one clerk, 1 h each: they wait 0, 1 and 2 h. Streaming sums:
    count 3, mean wait 1 h, mean work 1 h; each case's work content 1 h."""
    model = read_bpmn(chain(["Register"]))
    result = simulate({"start": START, "arrivals": {"times": [START] * 3},
                       "resources": {"clerk": {"count": 1}},
                       "activities": {"Register": {"resource": "clerk", "duration": "1h"}}},
                      model, seed=1, keep_log=False)
    stats = result.activity_stats
    assert stats is not None
    assert stats.loc["Register"].to_dict() == {"count": 3, "waiting_mean": 3600.0,
                                               "processing_mean": 3600.0}
    assert list(result.cases["work"]) == [3600.0] * 3


def test_a_timer_with_a_date_waits_until_that_date_and_no_longer():
    """An intermediate timer with timeDate 05:00: the case arriving at 00:00 starts "After"
    at 05:00; the case arriving at 06:00, past the date, goes straight on at 06:00."""
    timer = ("<timerEventDefinition><timeDate>2024-01-01T05:00:00Z</timeDate>"
             "</timerEventDefinition>")
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("W", "intermediateCatchEvent", "Until five"),
         ("A", "task", "After"), ("E", "endEvent", None)],
        [("S", "W"), ("W", "A"), ("A", "E")], extra={"W": timer}))
    result = simulate({"start": START, "arrivals": {"times": [START, "2024-01-01T06:00Z"]},
                       "activities": {"After": {"duration": "1h"}}}, model, seed=1)
    log = _by_case(result)
    assert list((log["start_timestamp"] - T0) / HOUR) == [5, 6]


@pytest.mark.parametrize("interrupting,expected", [(True, ["Review", "Escalation"]),
                                                   (False, ["Review", "Escalation", "Next"])])
def test_a_boundary_event_at_completion_interrupts_only_when_it_cancels(interrupting, expected):
    """A message boundary with probability 1 and no `after` happens as the work completes.
    Interrupting: the token leaves through it (Escalation, no Next); non-interrupting: it adds
    the Escalation branch and the token also goes on to Next."""
    cancel = "true" if interrupting else "false"
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Review"), ("N", "task", "Next"),
         ("B", "boundaryEvent:A", "Client objects"), ("X", "task", "Escalation"),
         ("E1", "endEvent", None), ("E2", "endEvent", None)],
        [("S", "A"), ("A", "N"), ("N", "E1"), ("B", "X"), ("X", "E2")],
        extra={"B": "<messageEventDefinition/>"},
    ).replace('attachedToRef="A"', f'attachedToRef="A" cancelActivity="{cancel}"'))
    result = simulate({"start": START, "arrivals": {"times": [START]},
                       "defaults": {"duration": "1h"},
                       "events": {"Client objects": {"probability": 1.0}}}, model, seed=1)
    assert sorted(result.log["concept:name"]) == sorted(expected)


@pytest.mark.parametrize("probability,notified", [(1.0, 1), (0.0, 0)])
def test_a_message_event_subprocess_starts_with_its_probability(probability, notified):
    """A non-interrupting message event subprocess, `after` 2 h, during a 5 h review: with
    probability 1 every case notifies the head once, with probability 0 never."""
    esp = ('<subProcess id="ESP" name="Client call" triggeredByEvent="true">'
           '<startEvent id="es" name="Client calls" isInterrupting="false">'
           "<messageEventDefinition/></startEvent>"
           '<task id="ea" name="Notify the head"/><endEvent id="ee"/>'
           '<sequenceFlow id="q1" sourceRef="es" targetRef="ea"/>'
           '<sequenceFlow id="q2" sourceRef="ea" targetRef="ee"/></subProcess>')
    model = read_bpmn(chain(["Long review"]).replace("</process>", esp + "</process>"))
    result = simulate({"start": START, "arrivals": {"interarrival": "10h", "cases": 3},
                       "activities": {"Long review": {"duration": "5h"},
                                      "Notify the head": {"duration": "30min"}},
                       "events": {"Client calls": {"probability": probability, "after": "2h"}}},
                      model, seed=1)
    assert (result.log["concept:name"] == "Notify the head").sum() == 3 * notified
    assert (result.cases["lead_time"] == 5 * 3600.0).all()  # non-interrupting: review ends


def _split(kind: str) -> str:
    """start -> split gateway -> Large / Urgent / Plain (flows "large", "urgent", "other") ->
    join gateway of the same kind -> end."""
    return flow_model(
        [("S", "startEvent", None), ("G", kind, "Route"), ("L", "task", "Large"),
         ("U", "task", "Urgent"), ("T", "task", "Plain"), ("J", kind, None),
         ("E", "endEvent", None)],
        [("S", "G"), ("G", "L", "large"), ("G", "U", "urgent"), ("G", "T", "other"),
         ("L", "J"), ("U", "J"), ("T", "J"), ("J", "E")],
    )


_ATTRS = {"amount": {"discrete": {1000: 0.5, 5000: 0.5}},
          "kind": {"discrete": {"urgent": 0.5, "normal": 0.5}}}
_CONDITIONS = {"large": "amount > 3000", "urgent": "kind == urgent", "other": "default"}


def _branches(result) -> pd.DataFrame:
    """Per case: its attributes and the set of branch tasks it ran."""
    log = result.log
    ran = log.groupby("case:concept:name")["concept:name"].agg(frozenset)
    cases = result.cases.set_index("case:concept:name")
    table = pd.DataFrame({"ran": ran.reindex(cases.index)})
    for attr in ("amount", "kind"):
        if f"case:{attr}" in cases:
            table[attr] = cases[f"case:{attr}"]
    return table


def test_exclusive_conditions_take_the_first_that_holds_else_the_default():
    """XOR with conditions in order large, urgent, default: amount 5000 -> Large (whatever the
    kind); else kind urgent -> Urgent; else Plain."""
    result = simulate({"start": START, "arrivals": {"interarrival": "1h", "cases": 40},
                       "case_attributes": _ATTRS, "defaults": {"duration": "10min"},
                       "gateways": {"Route": {"conditions": _CONDITIONS}}},
                      read_bpmn(_split("exclusiveGateway")), seed=3)
    for row in _branches(result).itertuples():
        expected = ("Large" if row.amount > 3000 else
                    "Urgent" if row.kind == "urgent" else "Plain")
        assert row.ran == {expected}, row


def test_inclusive_conditions_take_every_branch_that_holds_else_the_default():
    """OR with the same conditions: Large when amount > 3000, Urgent when urgent, both when
    both hold; the default branch (Plain) only when neither holds."""
    result = simulate({"start": START, "arrivals": {"interarrival": "1h", "cases": 40},
                       "case_attributes": _ATTRS, "defaults": {"duration": "10min"},
                       "gateways": {"Route": {"conditions": _CONDITIONS}}},
                      read_bpmn(_split("inclusiveGateway")), seed=3)
    table = _branches(result)
    assert len({(r.amount, r.kind) for r in table.itertuples()}) == 4  # every combination
    for row in table.itertuples():
        expected = {name for name, holds in (("Large", row.amount > 3000),
                                             ("Urgent", row.kind == "urgent")) if holds}
        assert row.ran == (expected or {"Plain"}), row


def test_inclusive_split_with_no_branch_drawn_takes_the_likeliest():
    """OR probabilities large 0.3, urgent 0.01, other 0.01 and no default flow: each branch is
    drawn on its own; when none is drawn (0.7 x 0.99 x 0.99 = 68.6 % of cases) the likeliest,
    Large, is taken. So Large runs in 0.3 + 0.686 = 98.6 % of cases and Urgent in 1 %. Over
    400 cases the binomial sd of the Large share is 0.6 points: it must exceed 95 %."""
    result = simulate({"start": START, "arrivals": {"interarrival": "1h", "cases": 400},
                       "defaults": {"duration": "10min"},
                       "gateways": {"Route": {"large": 0.3, "urgent": 0.01, "other": 0.01}}},
                      read_bpmn(_split("inclusiveGateway")), seed=3)
    ran = _branches(result)["ran"]
    assert ran.map(lambda r: "Large" in r).mean() > 0.95
    assert ran.map(lambda r: "Urgent" in r).mean() < 0.05


# ---- waits in working time ----------------------------------------------------------------

def test_a_wait_in_working_hours_pauses_outside_the_calendar():
    """One case arrives on Friday 2024-03-01 17:30 (UTC) with a wait of 1 working hour before
    a 10-minute task, calendar 5x8 (Mon-Fri 09:00-18:00, lunch 13:00-14:00): 30 working
    minutes on Friday, the other 30 on Monday from 09:00, so the task starts Monday 09:30.
    The same wait written in clock time (1h) starts the task on Friday at 18:30."""
    model = read_bpmn(chain(["Work"]))

    def start_of_work(wait: str) -> pd.Timestamp:
        run = simulate({
            "start": "2024-03-01T17:30+00:00", "calendar": "5x8",
            "arrivals": {"times": ["2024-03-01T17:30+00:00"]},
            "activities": {"Work": {"resource": [], "duration": "10min", "wait": wait}},
        }, model, seed=1)
        return pd.Timestamp(run.log["start_timestamp"].iloc[0])

    assert start_of_work("1wh") == pd.Timestamp("2024-03-04T09:30+00:00")
    assert start_of_work("1h") == pd.Timestamp("2024-03-01T18:30+00:00")
