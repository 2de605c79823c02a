"""The one event-log schema shared by the simulator, real-log readers, KPIs and costing.

One row per activity instance. Column names follow pm4py so that a log moves between the two
without renaming. Timestamps are timezone-aware pandas datetimes.

=====================  ===========================================================  ==========
column                 meaning                                                      required
=====================  ===========================================================  ==========
case:concept:name      case id (string)                                             yes
concept:name           activity name (string)                                       yes
time:timestamp         completion instant                                           yes
start_timestamp        when work on the instance began (NaT when unknown)           no
enable_timestamp       when the work item became ready (NaT when unknown)           no
org:resource           who did it (resource unit, e.g. ``clerk#2``)                no
org:role               resource pool, lane or department                            no
cost                   cost of the instance in currency units                       no
case:arrival           when the case began (arrival), repeated on each row          no
=====================  ===========================================================  ==========

A case's start is its earliest instant: the earliest of ``case:arrival`` (when present) and
every ``enable_timestamp``, ``start_timestamp`` and ``time:timestamp`` of its events.
"""

from __future__ import annotations

CASE = "case:concept:name"
ACTIVITY = "concept:name"
END = "time:timestamp"
START = "start_timestamp"
ENABLE = "enable_timestamp"
RESOURCE = "org:resource"
ROLE = "org:role"
COST = "cost"
ARRIVAL = "case:arrival"

REQUIRED_COLUMNS = (CASE, ACTIVITY, END)
TIME_COLUMNS = (END, START, ENABLE, ARRIVAL)
ALL_COLUMNS = (CASE, ACTIVITY, END, START, ENABLE, RESOURCE, ROLE, COST, ARRIVAL)
