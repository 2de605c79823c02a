"""Events recorded at the same instant keep the log's order when a model is discovered."""

from __future__ import annotations

import pandas as pd

from leanproc import discover
from leanproc.bpmn.model import Kind
from leanproc.log import ACTIVITY, CASE, END


def test_same_day_events_in_a_fixed_order_give_a_sequence_not_a_parallel_block() -> None:
    rows = []
    for case in range(30):
        day = pd.Timestamp("2026-03-02", tz="UTC") + pd.Timedelta(days=case)
        # "Send" always comes before "Notify": half the cases show it in their times, the other
        # half record both on one date, written Send first. A name order would put "Notify"
        # first in those, and the miner, seeing both orders, would call them parallel.
        tied = case % 2 == 1
        send, notify = day + pd.Timedelta(hours=32), day + pd.Timedelta(hours=33)
        if tied:
            send = notify = day + pd.Timedelta(days=1)
        for activity, at in (("Create", day), ("Send", send), ("Notify", notify),
                             ("Close", day + pd.Timedelta(days=2))):
            rows.append({CASE: f"c{case}", ACTIVITY: activity, END: at})
    model = discover(pd.DataFrame(rows), layout=False)
    assert not [n for n in model.nodes.values() if n.kind is Kind.PARALLEL_GATEWAY]
