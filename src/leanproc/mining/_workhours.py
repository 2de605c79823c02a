"""Working hours inferred from when things happen in a log: weekly hours and closed dates.

Open weekdays. A weekday is judged by its rate: instants per date of that weekday inside the
observed period, against the median rate of the weekdays the period covers (the median, not the
busiest, so one busy weekday does not close the others). It is open when its rate is at least
`min_day_share` (10 %) of the median. It is closed only on evidence: its rate is below that
share AND the median rate would have put at least `closed_if_expected` (7) instants on its
dates, so that seeing (almost) none by luck is unlikely (Poisson: e^-7 ≈ 0.1 % for none).
Otherwise it is unknown: it is open if the `fallback` hours open it (a pool follows the
office's week) or, without them, if it is in the usual week (Monday to Friday open, Saturday
and Sunday closed), with the hours pooled over the open weekdays. So one Monday of log gives
Monday to Friday, not Monday alone.

Hours of an open weekday: the span holding the central `coverage` share of its instants (local
wall-clock time), widened to whole `step`s (30 minutes by default): a handful of late-evening
completions do not make an evening shift. Each end is first pushed out by
`edge_expected` x span / n: beyond an end seen from n instants, a stretch that long would hold
`edge_expected` (3) instants if open, so finding none there is a 5 % chance (e^-3); on large
logs that is seconds, on a day of log an hour. A weekday with fewer than `min_day_instants`
(50) instants, where that push exceeds a step on an 8-hour day, takes the span pooled over all
open weekdays; so do all weekdays of a log shorter than a week (weekday-uniform hours).

A date inside the observed period on which nothing happens, although that weekday normally sees
at least `closed_if_expected` instants, is a closed date (a holiday, an office closure): the
chance of a quiet day by luck is then below e^-7 ≈ 0.1 %. A week that is open nearly round the
clock becomes no calendar at all (24x7).

Hours may change inside the observed period (summer hours, or clocks that moved with daylight
saving time while the log stayed in UTC). When the log is dense enough (`dense_week` instants in
a week), each week's span is computed; runs of at least
`min_regime_weeks` consecutive weeks with the same span are regimes. With two or three regimes
the commonest gives the weekly hours (from its weeks only) and the dates of the others become
date exceptions with their regime's hours; sparse weeks join the nearest dense week's regime.
More regimes than that is noise, and the whole period gets one set of hours. A sparser series
(a pool) whose `fallback` hours moved by a whole clock shift on some dates is read with the same
shift on those dates. When the log's zone is UTC or a fixed offset and the hours move by one
hour within a week of a daylight-saving change of a common zone, a note says so and suggests
``timezone=`` (`_dst`); the zone is never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from leanproc.mining._dst import dst_notes

__all__ = ["WorkHours", "infer_hours"]


_DAY = 86400
# A log with this many instants on at most two times of day (midnight, and midnight moved by a
# daylight-saving change) records dates only: by luck, ten clock readings to the second would
# not share two values.
_DATES_ONLY_MIN = 10
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_USUAL_WEEK = {0, 1, 2, 3, 4}  # Monday to Friday: what a weekday the log cannot tell follows


@dataclass
class WorkHours:
    """Weekly hours (weekday -> (start, end) seconds after midnight), closed dates, dates
    with other hours (a second regime) and notes on what the log could not tell."""

    weekly: dict[int, tuple[int, int]]
    timezone: str
    closed: list[date] = field(default_factory=list)
    n: int = 0
    special: dict[date, tuple[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def clock_shift(self) -> int | None:
        """Seconds by which every dated exception moves its weekday's hours, when they all move
        by the same whole shift (clocks moved, hours did not); None otherwise."""
        shifts = set()
        for d, (a, b) in self.special.items():
            s, e = self.weekly.get(d.weekday(), (a, b))
            shifts.add((a - s, b - e))
        if len(shifts) != 1:
            return None
        start, end = shifts.pop()
        return start if start == end != 0 else None

    @property
    def round_the_clock(self) -> bool:
        return len(self.weekly) == 7 and all(e - s >= 23 * 3600 for s, e in self.weekly.values())

    @property
    def week_share(self) -> float:
        """Share of the 168 hours of a week that are working hours."""
        return sum(e - s for s, e in self.weekly.values()) / (7 * _DAY)

    def spec(self) -> dict[str, Any] | None:
        """The scenario's mapping form (``hours``, ``timezone``, ``exceptions``); None = 24x7."""
        if self.round_the_clock:
            return None
        hours: dict[str, list[str]] = {}
        for day in sorted(self.weekly):
            s, e = self.weekly[day]
            hours[_DAY_NAMES[day]] = [f"{_clock(s)}-{_clock(e)}"]
        out: dict[str, Any] = {"hours": hours, "timezone": self.timezone}
        exceptions: dict[str, list[str]] = {
            d.isoformat(): [f"{_clock(a)}-{_clock(b)}"] for d, (a, b) in sorted(
                self.special.items())}
        exceptions.update({d.isoformat(): [] for d in self.closed})
        if exceptions:
            out["exceptions"] = dict(sorted(exceptions.items()))
        return out

    def calendar(self) -> Any:
        """The `Calendar` (None for 24x7)."""
        from leanproc.calendar import Calendar

        spec = self.spec()
        return None if spec is None else Calendar.parse(spec)

    def describe(self) -> str:
        if self.round_the_clock:
            return "24x7"
        parts = [f"{_DAY_NAMES[d]} {_clock(s)}-{_clock(e)}" for d, (s, e) in
                 sorted(self.weekly.items())]
        closed = f"; {len(self.closed)} closed date(s)" if self.closed else ""
        if self.special:
            spans = sorted({f"{_clock(a)}-{_clock(b)}" for a, b in self.special.values()})
            closed += f"; {len(self.special)} date(s) with other hours ({', '.join(spans)})"
        return ", ".join(parts) + f" ({self.timezone}){closed}"


def _clock(sec: int) -> str:
    return "24:00" if sec >= _DAY else f"{sec // 3600:02d}:{sec % 3600 // 60:02d}"


def _tod(times: pd.DatetimeIndex) -> np.ndarray:
    return (times.hour * 3600 + times.minute * 60 + times.second).to_numpy()


def _span(x: np.ndarray, tail: float, step: int, edge_expected: float = 0.0,
          small: int = 0) -> tuple[int, int]:
    """The central span of `x`, on whole steps; from fewer than `small` instants each end is
    first pushed out by `edge_expected` x width / n (module docstring). From more, the push is
    under a step on an 8-hour day and only moves ends that sit on a step by a minute."""
    q_lo, q_hi = float(np.quantile(x, tail)), float(np.quantile(x, 1 - tail))
    pad = edge_expected * (q_hi - q_lo) / len(x) if len(x) < small else 0.0
    lo = int(math.floor((q_lo - pad) / step) * step)
    hi = int(math.ceil((q_hi + pad) / step) * step)
    return max(lo, 0), min(max(hi, lo + step), _DAY)


def _regimes(times: pd.DatetimeIndex, tail: float, step: int, dense_week: int,
             min_weeks: int) -> tuple[np.ndarray, dict[int, tuple[int, int]]] | None:
    """Per instant, its regime (0 = the commonest), and each regime's span; None if one."""
    week = ((times.normalize() - pd.to_timedelta(times.day_of_week, unit="D"))
            .tz_localize(None).to_numpy())
    weeks, inverse = np.unique(week, return_inverse=True)
    tod = _tod(times)
    spans: list[tuple[int, int] | None] = []
    for k in range(len(weeks)):
        x = tod[inverse == k]
        spans.append(_span(x, tail, step) if len(x) >= dense_week else None)
    dense = [k for k, sp in enumerate(spans) if sp is not None]
    if len(dense) < 2 * min_weeks:
        return None
    for i in range(1, len(dense) - 1):  # one odd week between two alike is noise
        a, b, c = (spans[dense[j]] for j in (i - 1, i, i + 1))
        if a == c != b:
            spans[dense[i]] = a
    runs: list[tuple[tuple[int, int], list[int]]] = []
    for k in dense:
        if runs and runs[-1][0] == spans[k]:
            runs[-1][1].append(k)
        else:
            runs.append((spans[k], [k]))  # type: ignore[arg-type]
    if len(runs) < 2 or len(runs) > 3 or any(len(ks) < min_weeks for _, ks in runs):
        return None
    by_span: dict[tuple[int, int], int] = {}
    for sp, ks in runs:
        by_span[sp] = by_span.get(sp, 0) + len(ks)
    order = sorted(by_span, key=lambda sp: -by_span[sp])
    label = {sp: i for i, sp in enumerate(order)}
    week_regime = np.zeros(len(weeks), dtype=int)
    dense_arr = np.asarray(dense)
    for k in range(len(weeks)):  # sparse weeks: the nearest dense week's regime
        nearest = dense_arr[np.argmin(np.abs(dense_arr - k))]
        week_regime[k] = label[spans[nearest]]
    return week_regime[inverse], {i: sp for sp, i in label.items()}


def infer_hours(instants: pd.Series | pd.DatetimeIndex, timezone: str, *,
                coverage: float = 0.98, step: int = 1800, min_day_share: float = 0.1,
                closed_if_expected: float = 7.0, dense_week: int = 200,
                min_regime_weeks: int = 3, min_day_instants: int = 50,
                edge_expected: float = 3.0, fallback: WorkHours | None = None) -> WorkHours:
    """Working hours in `timezone` from the instants work was seen (see the module docstring).

    `fallback`: the hours that decide what these instants cannot tell (whether an unknown
    weekday is open, a clock shift on dates); None: the usual Monday-to-Friday week.
    """
    times = pd.DatetimeIndex(pd.Series(instants).dropna()).tz_convert(timezone)
    n = len(times)
    if n == 0:
        if fallback is not None:
            return WorkHours(dict(fallback.weekly), timezone, list(fallback.closed), 0,
                             dict(fallback.special))
        return WorkHours({d: (0, _DAY) for d in range(7)}, timezone, n=0)
    if n >= _DATES_ONLY_MIN and len(np.unique(_tod(times))) <= 2:
        return WorkHours({d: (0, _DAY) for d in range(7)}, timezone, n=n, notes=[
            f"the log's times fall on at most two times of day ({timezone}): it records "
            f"dates, not times of day, so no working hours are inferred (24x7)"])
    all_times = times
    special: dict[date, tuple[int, int]] = {}
    notes: list[str] = []
    tail = (1 - coverage) / 2
    regimes = _regimes(times, tail, step, dense_week, min_regime_weeks)
    shift = fallback.clock_shift if fallback is not None else None
    if regimes is not None:
        regime, spans = regimes
        for moved in pd.DatetimeIndex(times[regime != 0].normalize().unique()):
            r = int(regime[np.flatnonzero(times.normalize() == moved)[0]])
            special[moved.date()] = spans[r]
        times = times[regime == 0]
        notes += dst_notes(all_times, regime, spans, timezone)
    elif shift is not None and fallback is not None:
        # Read the dates whose clock moved (in the fallback) back onto the usual clock.
        moved_dates = np.array([d in fallback.special for d in times.date], dtype=bool)
        times = times.where(~moved_dates, times - pd.Timedelta(seconds=shift))
    first, last = all_times.min().normalize(), all_times.max().normalize()
    short = (last - first).days + 1 < 7
    weekly, day_notes = _weekly(times, first, last, tail=tail, step=step, short=short,
                                min_day_share=min_day_share, closed_if_expected=closed_if_expected,
                                min_day_instants=min_day_instants, edge_expected=edge_expected,
                                fallback=fallback)
    notes += day_notes
    if regimes is None and shift is not None and fallback is not None:
        special = {d: (min(max(weekly[d.weekday()][0] + shift, 0), _DAY),
                       min(max(weekly[d.weekday()][1] + shift, 0), _DAY))
                   for d in fallback.special if d.weekday() in weekly}
    all_counts = np.bincount(all_times.day_of_week.to_numpy(), minlength=7)
    closed = _closed_dates(all_times, weekly, all_counts, closed_if_expected)
    special = {d: sp for d, sp in special.items() if d.weekday() in weekly}
    return WorkHours(weekly, timezone, closed, n, special, notes)


def _weekly(times: pd.DatetimeIndex, first: pd.Timestamp, last: pd.Timestamp, *, tail: float,
            step: int, short: bool, min_day_share: float, closed_if_expected: float,
            min_day_instants: int, edge_expected: float,
            fallback: WorkHours | None) -> tuple[dict[int, tuple[int, int]], list[str]]:
    """Open weekdays and their hours (module docstring), with notes on weekdays the log could
    not tell."""
    tod = _tod(times)
    weekday = times.day_of_week.to_numpy()
    counts = np.bincount(weekday, minlength=7)
    every = pd.date_range(first, last, freq="D").day_of_week
    dates = np.bincount(every, minlength=7)
    covered = dates > 0
    rate = np.where(covered, counts / np.maximum(dates, 1), 0.0)
    reference = float(np.median(rate[covered]))
    verdict: dict[int, str] = {}
    for day in range(7):
        if covered[day] and counts[day] > 0 and rate[day] >= min_day_share * reference:
            verdict[day] = "open"
        elif covered[day] and reference * dates[day] >= closed_if_expected:
            verdict[day] = "closed"
        else:
            verdict[day] = "unknown"
    evidenced = [d for d in range(7) if verdict[d] == "open"]
    if not evidenced:  # too few instants to tell anything: every day, all day
        return {d: (0, _DAY) for d in range(7)}, []
    pooled = _span(tod[np.isin(weekday, evidenced)], tail, step, edge_expected,
                   min_day_instants)
    weekly: dict[int, tuple[int, int]] = {}
    for day in evidenced:
        own = counts[day] >= min_day_instants and not short
        weekly[day] = _span(tod[weekday == day], tail, step) if own else pooled
    unknown = [d for d in range(7) if verdict[d] == "unknown"]
    week = set(fallback.weekly) if fallback is not None else _USUAL_WEEK
    for day in unknown:  # open as in the fallback's (or the usual) week, on the pooled hours
        if day in week:
            weekly[day] = pooled
    notes = []
    if short:
        notes.append(f"working hours from {(last - first).days + 1} day(s) of log, shorter "
                     f"than a week: the same hours on every working weekday")
    if unknown and fallback is None:
        opened = ", ".join(_DAY_NAMES[d] for d in unknown if d in weekly) or "none"
        shut = ", ".join(_DAY_NAMES[d] for d in unknown if d not in weekly) or "none"
        notes.append(f"too little log to tell whether {', '.join(_DAY_NAMES[d] for d in unknown)}"
                     f" are working days: taken as the usual week (open with the other "
                     f"weekdays' hours: {opened}; closed: {shut})")
    return dict(sorted(weekly.items())), notes


def _closed_dates(times: pd.DatetimeIndex, weekly: dict[int, tuple[int, int]],
                  counts: np.ndarray, expected_min: float) -> list[date]:
    days = pd.DatetimeIndex(times.normalize().unique())
    first, last = times.min().normalize(), times.max().normalize()
    every = pd.date_range(first, last, freq="D")
    seen = set(days.date)
    n_weeks = {d: int((every.day_of_week == d).sum()) for d in range(7)}
    out = []
    for day in every:
        wd = day.day_of_week
        if wd not in weekly or day.date() in seen or not n_weeks[wd]:
            continue
        if counts[wd] / n_weeks[wd] >= expected_min:
            out.append(day.date())
    return out
