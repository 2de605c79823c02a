"""Working hours inferred from when things happen in a log: weekly hours and closed dates.

For each weekday, the hours are the span holding the central `coverage` share of the observed
instants (local wall-clock time), widened to whole `step`s (30 minutes by default): a handful of
late-evening completions do not make an evening shift. A weekday with fewer than `min_day_share`
of the busiest weekday's instants is a day off. A date inside the observed period on which
nothing happens, although that weekday normally sees at least `closed_if_expected` instants,
is a closed date (a holiday, an office closure): the chance of a quiet day by luck is then below
e^-7 ≈ 0.1 %. A week that is open nearly round the clock becomes no calendar at all (24x7).

Hours may change inside the observed period (summer hours, or clocks that moved with daylight
saving time while the log stayed in UTC). When the log is dense enough (`dense_week` instants in
a week), each week's span is computed; runs of at least
`min_regime_weeks` consecutive weeks with the same span are regimes. With two or three regimes
the commonest gives the weekly hours (from its weeks only) and the dates of the others become
date exceptions with their regime's hours; sparse weeks join the nearest dense week's regime.
More regimes than that is noise, and the whole period gets one set of hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["WorkHours", "infer_hours"]

_DAY = 86400
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class WorkHours:
    """Weekly hours (weekday -> (start, end) seconds after midnight), closed dates and dates
    with other hours (a second regime)."""

    weekly: dict[int, tuple[int, int]]
    timezone: str
    closed: list[date] = field(default_factory=list)
    n: int = 0
    special: dict[date, tuple[int, int]] = field(default_factory=dict)

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


def _span(x: np.ndarray, tail: float, step: int) -> tuple[int, int]:
    lo = int(math.floor(np.quantile(x, tail) / step) * step)
    hi = int(math.ceil(np.quantile(x, 1 - tail) / step) * step)
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
                min_regime_weeks: int = 3) -> WorkHours:
    """Working hours in `timezone` from the instants work was seen (see the module docstring)."""
    times = pd.DatetimeIndex(pd.Series(instants).dropna()).tz_convert(timezone)
    n = len(times)
    if n == 0:
        return WorkHours({d: (0, _DAY) for d in range(7)}, timezone, n=0)
    all_times = times
    special: dict[date, tuple[int, int]] = {}
    tail = (1 - coverage) / 2
    regimes = _regimes(times, tail, step, dense_week, min_regime_weeks)
    if regimes is not None:
        regime, spans = regimes
        for moved in pd.DatetimeIndex(times[regime != 0].normalize().unique()):
            r = int(regime[np.flatnonzero(times.normalize() == moved)[0]])
            special[moved.date()] = spans[r]
        times = times[regime == 0]
    tod = _tod(times)
    weekday = times.day_of_week.to_numpy()
    counts = np.bincount(weekday, minlength=7)
    busiest = counts.max()
    weekly: dict[int, tuple[int, int]] = {}
    for day in range(7):
        if counts[day] < max(3, min_day_share * busiest):
            continue
        weekly[day] = _span(tod[weekday == day], tail, step)
    if not weekly:  # too few instants to tell: every day, all day
        weekly = {d: (0, _DAY) for d in range(7)}
    all_counts = np.bincount(all_times.day_of_week.to_numpy(), minlength=7)
    closed = _closed_dates(all_times, weekly, all_counts, closed_if_expected)
    special = {d: sp for d, sp in special.items() if d.weekday() in weekly}
    return WorkHours(weekly, timezone, closed, n, special)


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
