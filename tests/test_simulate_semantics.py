"""Token semantics of every element kind the engine runs, on small models with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.bpmn_text import chain, flow_model
from leanproc.bpmn import read_bpmn
from leanproc.errors import SimulationError
from leanproc.simulation.run import simulate

START = "2024-01-01T00:00+00:00"


def scenario(cases: int = 200, **parts) -> dict:
    base = {
        "start": START,
        "arrivals": {"interarrival": "1h", "cases": cases},
    }
    base.update(parts)
    return base


def hours(td_seconds) -> np.ndarray:
    return np.asarray(td_seconds, dtype=float) / 3600.0


def counts(result) -> pd.Series:
    return result.log["concept:name"].value_counts()


# ---- gateways ---------------------------------------------------------------------------------
def test_exclusive_split_frequencies_follow_probabilities():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("G", "exclusiveGateway", "OK?"),
         ("A", "task", "Accept"), ("R", "task", "Reject"),
         ("J", "exclusiveGateway", None), ("E", "endEvent", None)],
        [("S", "G"), ("G", "A", "yes"), ("G", "R", "no"), ("A", "J"), ("R", "J"), ("J", "E")],
    ))
    n = 4000
    result = simulate(scenario(n, defaults={"duration": "5min"},
                               gateways={"OK?": {"yes": 0.8, "no": 0.2}}), model, seed=1)
    share = counts(result)["Accept"] / n
    # binomial sd = sqrt(.8*.2/4000) = 0.0063: 4 sd
    assert share == pytest.approx(0.8, abs=0.025)
    assert result.cases["end"].notna().all()


def test_parallel_split_and_join_wait_for_both_branches():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("F", "parallelGateway", None),
         ("A", "task", "Short"), ("B", "task", "Long"),
         ("J", "parallelGateway", None), ("C", "task", "After"), ("E", "endEvent", None)],
        [("S", "F"), ("F", "A"), ("F", "B"), ("A", "J"), ("B", "J"), ("J", "C"), ("C", "E")],
    ))
    result = simulate(scenario(20, activities={"Short": {"duration": "1h"},
                                               "Long": {"duration": "3h"},
                                               "After": {"duration": "1h"}}), model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 4.0)
    assert counts(result)["After"] == 20


def test_inclusive_join_waits_only_for_activated_branches():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("F", "inclusiveGateway", "Which checks?"),
         ("A", "task", "Check A"), ("B", "task", "Check B"),
         ("J", "inclusiveGateway", None), ("E", "endEvent", None)],
        [("S", "F"), ("F", "A", "a"), ("F", "B", "b"), ("A", "J"), ("B", "J"), ("J", "E")],
    ))
    n = 2000
    result = simulate(scenario(n, activities={"Check A": {"duration": "1h"},
                                              "Check B": {"duration": "3h"}},
                               gateways={"Which checks?": {"a": 0.5, "b": 0.5}}), model, seed=2)
    assert result.cases["end"].notna().all()
    log = result.log
    per_case = log.groupby("case:concept:name", observed=True)["concept:name"].agg(set)
    lead = pd.Series(hours(result.cases["lead_time"]), index=result.cases["case:concept:name"])
    for case, acts in per_case.items():
        expected = 3.0 if "Check B" in acts else 1.0
        assert lead[case] == pytest.approx(expected)
    both = sum(1 for a in per_case if len(a) == 2)
    # each branch independently 0.5; when none is drawn the likeliest is taken
    assert both / n == pytest.approx(0.25, abs=0.04)


def test_event_based_gateway_is_a_race():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("G", "eventBasedGateway", None),
         ("M", "intermediateCatchEvent", "Reply received"),
         ("T", "intermediateCatchEvent", "Deadline"),
         ("A", "task", "Process reply"), ("B", "task", "Send reminder"),
         ("E1", "endEvent", None), ("E2", "endEvent", None)],
        [("S", "G"), ("G", "M"), ("G", "T"), ("M", "A"), ("T", "B"), ("A", "E1"), ("B", "E2")],
        extra={"M": "<messageEventDefinition/>",
               "T": "<timerEventDefinition><timeDuration>PT1H</timeDuration>"
                    "</timerEventDefinition>"},
    ))
    n = 4000
    result = simulate(scenario(n, defaults={"duration": "0min"},
                               events={"Reply received": {"after": {"exponential":
                                                                    {"mean": "1h"}}}}),
                      model, seed=3)
    share = counts(result).get("Process reply", 0) / n
    assert share == pytest.approx(1 - np.exp(-1), abs=0.03)  # P(Exp(1h) < 1h)
    lead = hours(result.cases["lead_time"])
    assert lead.max() <= 1.0 + 1e-9


def test_intermediate_timer_delays_the_token():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("T", "intermediateCatchEvent", "Cooling-off"),
         ("A", "task", "Register"), ("E", "endEvent", None)],
        [("S", "T"), ("T", "A"), ("A", "E")],
        extra={"T": "<timerEventDefinition/>"},
    ))
    result = simulate(scenario(10, activities={"Register": {"duration": "30min"}},
                               events={"Cooling-off": {"duration": "2d"}}), model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 48.5)


# ---- boundary events ---------------------------------------------------------------------------
def _boundary_model(interrupting: bool, definition: str) -> str:
    cancel = "true" if interrupting else "false"
    return flow_model(
        [("S", "startEvent", None), ("A", "task", "Review"),
         ("B", "boundaryEvent:A", "Escalate"), ("X", "task", "Escalation"),
         ("E1", "endEvent", None), ("E2", "endEvent", None)],
        [("S", "A"), ("A", "E1"), ("B", "X"), ("X", "E2")],
        extra={"B": definition},
    ).replace('attachedToRef="A"', f'attachedToRef="A" cancelActivity="{cancel}"')


TIMER_1H = "<timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>"


def test_interrupting_boundary_timer_cuts_the_activity():
    model = read_bpmn(_boundary_model(True, TIMER_1H))
    result = simulate(scenario(10, activities={"Review": {"duration": "3h"},
                                               "Escalation": {"duration": "30min"}}),
                      model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 1.5)
    reviews = result.log[result.log["concept:name"] == "Review"]
    work = (reviews["time:timestamp"] - reviews["start_timestamp"]).dt.total_seconds()
    assert np.allclose(work, 3600.0)  # logged up to the interruption


def test_non_interrupting_boundary_timer_adds_a_branch():
    model = read_bpmn(_boundary_model(False, TIMER_1H))
    result = simulate(scenario(10, activities={"Review": {"duration": "3h"},
                                               "Escalation": {"duration": "30min"}}),
                      model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 3.0)
    assert counts(result)["Escalation"] == 10


def test_error_boundary_fires_with_its_probability():
    model = read_bpmn(_boundary_model(True, "<errorEventDefinition/>"))
    n = 3000
    result = simulate(scenario(n, activities={"Review": {"duration": "1h"},
                                              "Escalation": {"duration": "1h"}},
                               events={"Escalate": {"probability": 0.3}}), model, seed=4)
    share = counts(result).get("Escalation", 0) / n
    assert share == pytest.approx(0.3, abs=0.03)


# ---- activities --------------------------------------------------------------------------------
def test_embedded_subprocess_runs_its_content():
    inner = ('<startEvent id="s1"/><task id="i1" name="Inner one"/>'
             '<task id="i2" name="Inner two"/><endEvent id="e1"/>'
             '<sequenceFlow id="x1" sourceRef="s1" targetRef="i1"/>'
             '<sequenceFlow id="x2" sourceRef="i1" targetRef="i2"/>'
             '<sequenceFlow id="x3" sourceRef="i2" targetRef="e1"/>')
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("SP", "subProcess", "Check documents"),
         ("A", "task", "Decide"), ("E", "endEvent", None)],
        [("S", "SP"), ("SP", "A"), ("A", "E")], extra={"SP": inner},
    ))
    result = simulate(scenario(10, defaults={"duration": "1h"}), model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 3.0)
    assert set(counts(result).index) == {"Inner one", "Inner two", "Decide"}


@pytest.mark.parametrize("sequential,expected", [("false", 1.0), ("true", 3.0)])
def test_multi_instance(sequential, expected):
    marker = f'<multiInstanceLoopCharacteristics isSequential="{sequential}"/>'
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Ask an agency"), ("E", "endEvent", None)],
        [("S", "A"), ("A", "E")], extra={"A": marker},
    ))
    result = simulate(scenario(5, resources={"clerk": {"count": 3}},
                               activities={"Ask an agency": {"duration": "1h", "instances": 3,
                                                             "resource": "clerk"}}),
                      model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), expected)
    assert counts(result)["Ask an agency"] == 15


def test_standard_loop_repeats_with_its_probability():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Fix"), ("E", "endEvent", None)],
        [("S", "A"), ("A", "E")], extra={"A": "<standardLoopCharacteristics/>"},
    ))
    n = 3000
    result = simulate(scenario(n, activities={"Fix": {"duration": "1min",
                                                      "loop": {"probability": 0.5, "max": 10}}}),
                      model, seed=2)
    # geometric number of runs, truncated at 10: mean = (1 - 0.5**10) / 0.5
    assert counts(result)["Fix"] / n == pytest.approx((1 - 0.5**10) / 0.5, rel=0.05)


def test_terminate_end_stops_the_other_branches():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("F", "parallelGateway", None),
         ("A", "task", "Quick"), ("B", "task", "Slow"),
         ("T", "endEvent", "Done"), ("E", "endEvent", None)],
        [("S", "F"), ("F", "A"), ("F", "B"), ("A", "T"), ("B", "E")],
        extra={"T": "<terminateEventDefinition/>"},
    ))
    result = simulate(scenario(10, activities={"Quick": {"duration": "1h"},
                                               "Slow": {"duration": "5h"}}), model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 1.0)


def test_call_activity_runs_the_called_process():
    text = chain(["Before"]).replace(
        "</definitions>",
        '<process id="Sub"><startEvent id="ss"/><task id="st" name="Called work"/>'
        '<endEvent id="se"/><sequenceFlow id="y1" sourceRef="ss" targetRef="st"/>'
        '<sequenceFlow id="y2" sourceRef="st" targetRef="se"/></process></definitions>',
    ).replace('<task id="T1" name="Before"></task>',
              '<callActivity id="T1" name="Before" calledElement="Sub"></callActivity>')
    result = simulate(scenario(5, activities={"Called work": {"duration": "2h"}}),
                      read_bpmn(text), seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 2.0)


# ---- resources and calendars -------------------------------------------------------------------
def test_a_pool_never_serves_more_than_its_capacity():
    model = read_bpmn(chain(["A", "B"]))
    result = simulate(scenario(300, resources={"clerk": {"count": 2}},
                               defaults={"resource": "clerk",
                                         "duration": {"exponential": {"mean": "50min"}}}),
                      model, seed=9)
    log = result.log
    for _, rows in log.groupby("org:resource", observed=True):
        rows = rows.sort_values("start_timestamp")
        assert (rows["start_timestamp"].iloc[1:].to_numpy()
                >= rows["time:timestamp"].iloc[:-1].to_numpy()).all()
    events = pd.concat([
        pd.DataFrame({"t": log["start_timestamp"], "d": 1}),
        pd.DataFrame({"t": log["time:timestamp"], "d": -1}),
    ]).sort_values(["t", "d"])
    assert events["d"].cumsum().max() <= 2


def test_work_pauses_off_shift_on_the_production_calendar():
    """Friday 17:30 with one working hour: 30 min on Friday (the day ends 18:00), 30 min on
    Monday, done 09:30; before a public holiday the shortened day and the holiday shift it."""
    model = read_bpmn(chain(["Register"]))
    base = {"start": "2024-03-01T09:00+07:00", "calendar": "ru-5x8",
            "resources": {"clerk": {"count": 1}},
            "activities": {"Register": {"resource": "clerk", "duration": "1h"}}}
    friday = simulate({**base, "arrivals": {"times": ["2024-03-01T17:30+07:00"]}}, model, seed=1)
    end = friday.cases["end"].iloc[0]
    assert end == pd.Timestamp("2024-03-04T09:30+07:00")
    # 7 March 2024 is a shortened pre-holiday day (ends 17:00) and 8 March a holiday
    holiday = simulate({**base, "arrivals": {"times": ["2024-03-07T16:30+07:00"]}}, model,
                       seed=1)
    assert holiday.cases["end"].iloc[0] == pd.Timestamp("2024-03-11T09:30+07:00")
    k = friday.kpi.as_dict()
    assert k["lead_time_working.mean"] == pytest.approx(3600.0)


# ---- failures are reported, never hang ---------------------------------------------------------
def test_exclusive_split_into_parallel_join_is_a_deadlock():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("G", "exclusiveGateway", "Route"),
         ("A", "task", "Left"), ("B", "task", "Right"),
         ("J", "parallelGateway", "Merge"), ("E", "endEvent", None)],
        [("S", "G"), ("G", "A", "l"), ("G", "B", "r"), ("A", "J"), ("B", "J"), ("J", "E")],
    ))
    with pytest.raises(SimulationError, match="Merge"):
        simulate(scenario(3, defaults={"duration": "1h"},
                          gateways={"Route": {"l": 0.5, "r": 0.5}}), model, seed=1)


def test_endless_loop_is_reported_with_its_elements():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "Rework"), ("G", "exclusiveGateway", "Again?"),
         ("E", "endEvent", None)],
        [("S", "A"), ("A", "G"), ("G", "A", "yes"), ("G", "E", "no")],
    ))
    with pytest.raises(SimulationError, match="Rework"):
        simulate(scenario(1, defaults={"duration": "0min"},
                          gateways={"Again?": {"yes": 1.0, "no": 0.0}}), model, seed=1,
                 max_steps=500)


# ---- reproducibility and common random numbers -------------------------------------------------
def test_same_seed_gives_identical_logs():
    model = read_bpmn(chain(["A", "B", "C"]))
    sc = scenario(200, resources={"r": {"count": 1}},
                  defaults={"resource": "r", "duration": {"triangular": ["5min", "20min", "1h"]}})
    one = simulate(sc, model, seed=42).log.to_csv(index=False)
    two = simulate(sc, model, seed=42).log.to_csv(index=False)
    other = simulate(sc, model, seed=43).log.to_csv(index=False)
    assert one == two
    assert one != other


def test_shared_elements_draw_common_random_numbers():
    """Removing a step leaves the other steps' durations case by case unchanged."""
    dist = {"lognormal": {"mean": "30min", "sd": "10min"}}
    as_is = read_bpmn(chain(["Register", "Approve", "Issue"]))
    to_be = read_bpmn(chain(["Register", "Issue"]))
    sc = scenario(300, defaults={"duration": dist})
    a = simulate(sc, as_is, seed=7).log
    b = simulate(sc, to_be, seed=7).log

    def durations(log, name):
        rows = log[log["concept:name"] == name].sort_values("case:concept:name")
        return (rows["time:timestamp"] - rows["start_timestamp"]).dt.total_seconds().to_numpy()

    np.testing.assert_allclose(durations(a, "Issue"), durations(b, "Issue"))
    np.testing.assert_allclose(durations(a, "Register"), durations(b, "Register"))


# ---- event subprocesses and links --------------------------------------------------------------
def _esp_model(interrupting: bool) -> str:
    flag = "true" if interrupting else "false"
    esp = (
        '<subProcess id="ESP" name="Deadline handling" triggeredByEvent="true">'
        f'<startEvent id="es" name="Deadline passed" isInterrupting="{flag}">'
        "<timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition>"
        "</startEvent>"
        '<task id="ea" name="Notify the head"/><endEvent id="ee"/>'
        '<sequenceFlow id="q1" sourceRef="es" targetRef="ea"/>'
        '<sequenceFlow id="q2" sourceRef="ea" targetRef="ee"/>'
        "</subProcess>"
    )
    return chain(["Long review"]).replace("</process>", esp + "</process>")


@pytest.mark.parametrize("interrupting,expected", [(True, 2.5), (False, 5.0)])
def test_timer_event_subprocess(interrupting, expected):
    """Review takes 5 h; after 2 h a timer event subprocess notifies the head (30 min)."""
    model = read_bpmn(_esp_model(interrupting))
    result = simulate(scenario(5, activities={"Long review": {"duration": "5h"},
                                              "Notify the head": {"duration": "30min"}}),
                      model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), expected)
    assert counts(result)["Notify the head"] == 5


def test_event_subprocess_does_not_fire_after_the_scope_ended():
    model = read_bpmn(_esp_model(False))
    result = simulate(scenario(5, activities={"Long review": {"duration": "1h"},
                                              "Notify the head": {"duration": "30min"}}),
                      model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 1.0)
    assert counts(result).get("Notify the head", 0) == 0


def test_link_events_jump_within_the_process():
    model = read_bpmn(flow_model(
        [("S", "startEvent", None), ("A", "task", "First"),
         ("LT", "intermediateThrowEvent", "to page 2"), ("LC", "intermediateCatchEvent", "page 2"),
         ("B", "task", "Second"), ("E", "endEvent", None)],
        [("S", "A"), ("A", "LT"), ("LC", "B"), ("B", "E")],
        extra={"LT": '<linkEventDefinition name="P2"/>', "LC": '<linkEventDefinition name="P2"/>'},
    ))
    result = simulate(scenario(5, defaults={"duration": "1h"}), model, seed=1)
    assert np.allclose(hours(result.cases["lead_time"]), 2.0)
    assert counts(result)["Second"] == 5


def test_work_items_withdrawn_while_queueing_are_reported():
    """One clerk, 2 h of work per case, patience 1 h: the second case gives up waiting."""
    model = read_bpmn(_boundary_model(True, TIMER_1H))
    result = simulate({"start": START, "arrivals": {"times": [START, START]},
                       "resources": {"clerk": {"count": 1}},
                       "activities": {"Review": {"duration": "2h", "resource": "clerk"},
                                      "Escalation": {"duration": "0min"}}}, model, seed=1)
    assert list(result.abandoned["concept:name"]) == ["Review"]
    gave_up = result.abandoned.iloc[0]
    assert gave_up["withdrawn"] - gave_up["enable_timestamp"] == pd.Timedelta(hours=1)
    assert counts(result)["Review"] == 1  # only the first case worked (and was interrupted)
