"""What discovery mines from: the log without its rarest activities and variants, and a record of
what was left out.

Three filters, applied in this order:

* activities seen in fewer than `min_activity_share` of the cases are removed from the traces
  (the cases stay, without those events): an activity one case in a hundred shows is an
  exception a mined model cannot place reliably, and each such activity multiplies the
  inductive miner's work when it fits no block;
* then (`drop_chaotic`) activities recorded at any point of a case: an activity directly next
  to (before or after) more than ``max(60, half the other activities)`` distinct activities.
  In a block-structured process an activity's neighbours are those of its own and the
  adjacent blocks, a few dozen at most (at most 29 in the generated 340-activity log of
  ``benchmarks/discover_scale.py``, 26 in the corpus logs, whose 27 activities or fewer can
  never pass 60); a side task done whenever someone gets to it neighbours half the process
  (190-231 there). Such an activity fits no block, and it is what sends the inductive
  miner into fall-throughs that take hours on hundreds of activities;
* then the trace variants are ranked by their number of cases (ties by the variant itself, so
  the choice does not depend on the order of the log) and the most frequent kept until they
  cover `variant_coverage` of the cases; the cases of the other variants are left out.

Everything is counted, so that `discover` can say what its model does not contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from leanproc.log import ACTIVITY, CASE

__all__ = ["LogFilter", "chaotic_activities", "filter_log"]


@dataclass(frozen=True)
class LogFilter:
    """The filtered frame and what the filters dropped.

    `dropped_activities`: (name, cases it occurs in), most frequent first; `chaotic`: (name,
    distinct neighbours), most neighbours first. `variants` counts
    the variants once rare activities are removed, `kept_variants` those kept of them; `cases`
    counts the log's cases, `kept_cases` those left;
    `dropped_events` counts rows removed by either filter, out of `events`.
    """

    frame: pd.DataFrame
    dropped_activities: tuple[tuple[str, int], ...]
    chaotic: tuple[tuple[str, int], ...]
    activities: int
    variants: int
    kept_variants: int
    cases: int
    kept_cases: int
    events: int
    dropped_events: int

    @property
    def dropped_event_share(self) -> float:
        return self.dropped_events / self.events if self.events else 0.0

    def notes(self) -> tuple[str, ...]:
        """What was left out, in words (empty when nothing was)."""
        out = []
        if self.dropped_activities:
            names = ", ".join(f"{a} ({n} cases)" for a, n in self.dropped_activities[:10])
            more = len(self.dropped_activities) - 10
            out.append(f"discover: {len(self.dropped_activities)} of {self.activities} "
                       f"activities left out as rare: {names}"
                       + (f" and {more} more" if more > 0 else ""))
        if self.chaotic:
            names = ", ".join(f"{a} ({n} neighbours)" for a, n in self.chaotic[:10])
            more = len(self.chaotic) - 10
            out.append(f"discover: {len(self.chaotic)} activities left out as recorded at any "
                       f"point of a case (directly next to too many distinct activities to fit "
                       f"a block): {names}" + (f" and {more} more" if more > 0 else ""))
        if self.kept_variants < self.variants:
            out.append(f"discover: {self.variants - self.kept_variants} of {self.variants} "
                       f"variants left out as infrequent ({self.cases - self.kept_cases} of "
                       f"{self.cases} cases)")
        if self.dropped_events:
            out.append(f"discover: {self.dropped_event_share:.2%} of the log's events "
                       f"({self.dropped_events} of {self.events}) are not in the mined model's "
                       f"input")
        return tuple(out)


def _neighbours(frame: pd.DataFrame) -> pd.Series:
    """Per activity, how many distinct activities directly precede or follow it in a case."""
    following = frame.groupby(CASE, sort=False)[ACTIVITY].shift(-1)
    pairs = pd.DataFrame({"a": frame[ACTIVITY], "b": following}).dropna().drop_duplicates()
    after = pairs.groupby("a")["b"].nunique()
    before = pairs.groupby("b")["a"].nunique()
    return after.add(before, fill_value=0).astype(int)


def chaotic_activities(frame: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    """Activities next to more than ``max(60, half the other activities)`` distinct ones."""
    counts = _neighbours(frame)
    limit = max(60, (frame[ACTIVITY].nunique() - 1) / 2)
    found = counts[counts > limit]
    return tuple(sorted(((str(a), int(n)) for a, n in found.items()),
                        key=lambda item: (-item[1], item[0])))


def filter_log(frame: pd.DataFrame, *, min_activity_share: float, variant_coverage: float,
               drop_chaotic: bool = True) -> LogFilter:
    """Filter `frame` (pm4py's three columns, sorted by case and time) as the module says."""
    if not 0.0 <= min_activity_share < 1.0:
        raise ValueError(f"min_activity_share={min_activity_share!r}: give a share of the cases "
                         f"in [0, 1), e.g. 0.01")
    if not 0.0 < variant_coverage <= 1.0:
        raise ValueError(f"variant_coverage={variant_coverage!r}: give a share of the cases in "
                         f"(0, 1], e.g. 1.0 to keep every variant")
    events = len(frame)
    cases = frame[CASE].nunique()
    per_activity = frame.drop_duplicates([CASE, ACTIVITY])[ACTIVITY].value_counts()
    rare = per_activity[per_activity < min_activity_share * cases]
    dropped = tuple(sorted(((str(a), int(n)) for a, n in rare.items()),
                           key=lambda item: (-item[1], item[0])))
    kept = frame[~frame[ACTIVITY].isin(rare.index)]
    chaotic = chaotic_activities(kept) if drop_chaotic else ()
    if chaotic:
        kept = kept[~kept[ACTIVITY].isin([a for a, _ in chaotic])]

    traces = kept.groupby(CASE, sort=True)[ACTIVITY].agg(tuple)
    counts = traces.value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    keep: set[Any] = set()
    covered = 0
    for variant, n in ranked:
        if covered >= variant_coverage * len(traces):
            break
        keep.add(variant)
        covered += int(n)
    kept_cases = traces.index[[v in keep for v in traces]]
    kept = kept[kept[CASE].isin(kept_cases)].reset_index(drop=True)
    return LogFilter(frame=kept, dropped_activities=dropped, chaotic=chaotic,
                     activities=len(per_activity), variants=len(counts),
                     kept_variants=len(keep), cases=int(cases), kept_cases=len(kept_cases),
                     events=events, dropped_events=events - len(kept))
