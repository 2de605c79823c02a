"""KPIs of a streaming run: what can be known without an event log.

A run with ``keep_log=False`` keeps one row per case (arrival, end, work seconds) and running
sums per activity (count, waiting before work, work). From those this module gives the KPIs a
long run is made for — lead time (clock and working), throughput, WIP, unfinished share,
per-activity means and utilisation — under the same flat names as `leanproc.kpi.KPIReport`, so
targets and replication summaries read both alike. Touch time here is the case's *work content*
(the sum of its activity durations): without the intervals, overlapping parallel work cannot be
merged, which is the one difference from the log-based figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leanproc.kpi.stats import Summary, summarize

_DAY = 86400.0


@dataclass
class StreamSummary:
    cases: int
    cases_finished: int
    lead_time: Summary
    lead_time_working: Summary | None
    work: Summary
    throughput_per_day: float
    arrival_rate_per_day: float
    wip_mean: float
    unfinished_share: float
    utilisation: dict[str, float]
    per_activity: pd.DataFrame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {"cases": self.cases, "cases_finished": self.cases_finished}
        out |= self.lead_time.as_dict("lead_time")
        if self.lead_time_working is not None:
            out |= self.lead_time_working.as_dict("lead_time_working")
        out |= self.work.as_dict("work")
        out["throughput.per_day"] = self.throughput_per_day
        out["arrival_rate.per_day"] = self.arrival_rate_per_day
        out["wip.mean"] = self.wip_mean
        out["unfinished_share"] = self.unfinished_share
        for pool, value in self.utilisation.items():
            out[f"utilisation.{pool}"] = value
        for name, row in self.per_activity.iterrows():
            out[f"activity.{name}.count"] = row["count"]
            out[f"activity.{name}.waiting.mean"] = row["waiting_mean"]
            out[f"activity.{name}.processing.mean"] = row["processing_mean"]
        return out

    def __str__(self) -> str:
        h = 3600.0
        lines = [
            f"streaming KPIs: {self.cases} cases, {self.cases_finished} finished",
            f"  lead time     mean {self.lead_time.mean / h:.2f} h, median "
            f"{self.lead_time.median / h:.2f} h, p90 {self.lead_time.p90 / h:.2f} h",
        ]
        if self.lead_time_working is not None:
            lines.append(f"  lead (working) mean {self.lead_time_working.mean / h:.2f} h")
        lines += [
            f"  work content  mean {self.work.mean / h:.2f} h",
            f"  throughput    {self.throughput_per_day:.2f} cases/day; WIP {self.wip_mean:.2f}",
            "  utilisation   " + ", ".join(f"{k} {v:.1%}" for k, v in self.utilisation.items()),
        ]
        return "\n".join(lines)


def stream_summary(cases: pd.DataFrame, activity_stats: pd.DataFrame,
                   utilisation: dict[str, float], calendar: Any, *,
                   horizon: pd.Timestamp | None, warmup: float) -> StreamSummary:
    """KPIs from the per-case table and the per-activity running sums of one run."""
    arrival = cases["arrival"]
    lo = arrival.min() + pd.Timedelta(seconds=warmup)
    end = cases["end"]
    hi = horizon if horizon is not None else end.max()
    cohort = (arrival >= lo).to_numpy()
    finished = end.notna().to_numpy()
    done = cohort & finished
    lead = cases["lead_time"].to_numpy(dtype=float)
    span_days = max((hi - lo).total_seconds(), 1e-9) / _DAY
    working = None
    if calendar is not None and done.any():
        working = summarize(np.asarray(calendar.working_seconds(arrival[done], end[done])))
    # time-average cases in the system over [lo, hi]: each case's stay clipped to the window
    a = arrival.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    stay_end = np.where(finished, end.to_numpy(dtype="datetime64[ns]").astype(np.int64),
                        pd.Timestamp(hi).value)
    overlap = np.clip(np.minimum(stay_end, pd.Timestamp(hi).value) - np.maximum(a, lo.value),
                      0, None)
    in_window_end = finished & (end >= lo).to_numpy() & (end <= hi).to_numpy()
    n_cohort = int(cohort.sum())
    return StreamSummary(
        cases=n_cohort,
        cases_finished=int(done.sum()),
        lead_time=summarize(lead[done]),
        lead_time_working=working,
        work=summarize(cases["work"].to_numpy(dtype=float)[done]),
        throughput_per_day=float(in_window_end.sum()) / span_days,
        arrival_rate_per_day=float(((arrival >= lo) & (arrival <= hi)).sum()) / span_days,
        wip_mean=float(overlap.sum()) / 1e9 / (span_days * _DAY),
        unfinished_share=float((cohort & ~finished).sum() / n_cohort) if n_cohort else np.nan,
        utilisation=utilisation,
        per_activity=activity_stats,
    )
