"""Daylight saving seen in a log kept in UTC: working hours that move by one hour on the week a
common zone changes its clocks.

An office keeps local time; a log written in UTC (or a fixed offset) then shows its hours one
hour earlier in summer. `_workhours` finds the regimes (runs of weeks with the same span);
this module only says when a change of regime matches a daylight-saving change, so calibration
can suggest ``timezone=``. It never picks a zone: several zones share each rule, and the office's
own zone is the caller's to give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["dst_notes"]

# One family of zones per rule for changing the clocks (the zones of a family change on the
# same dates); the first is used to find the dates, the rest are named as examples.
_RULES: dict[str, tuple[str, ...]] = {
    "EU summer time": ("Europe/Berlin", "Europe/London", "Europe/Helsinki"),
    "North American daylight time": ("America/New_York", "America/Chicago",
                                     "America/Los_Angeles"),
    "south-east Australian daylight time": ("Australia/Sydney", "Australia/Melbourne"),
    "New Zealand daylight time": ("Pacific/Auckland",),
}
_SLACK_DAYS = 7  # a change of regime is located to the week (sparse weeks join a neighbour)


def _fixed(timezone: str) -> bool:
    """A zone without daylight saving of its own (where a shift would come from elsewhere)."""
    return timezone.upper() in ("UTC", "GMT", "Z") or timezone.startswith("Etc/")


def _changes(zone: str, first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp,
                                                                                  int]]:
    """(day, change of UTC offset in seconds) for each clock change of `zone` in the period."""
    days = pd.date_range(first.tz_convert("UTC").normalize() - pd.Timedelta(days=_SLACK_DAYS + 1),
                         last.tz_convert("UTC").normalize() + pd.Timedelta(days=_SLACK_DAYS + 1),
                         freq="D") + pd.Timedelta(hours=12)
    local = days.tz_convert(zone).tz_localize(None)
    offset = (local - days.tz_localize(None)).total_seconds().to_numpy().astype(int)
    at = np.flatnonzero(np.diff(offset))
    return [(days[int(i) + 1].normalize(), int(offset[i + 1] - offset[i])) for i in at]


def dst_notes(times: pd.DatetimeIndex, regime: np.ndarray, spans: dict[int, tuple[int, int]],
              timezone: str) -> list[str]:
    """A note when every change of regime in `times` (per instant, labels into `spans`) moves
    the hours by one hour in the direction and on the week of one rule's clock changes."""
    if not _fixed(timezone) or len(times) == 0:
        return []
    order = np.argsort(times.asi8, kind="stable")
    t, r = times[order], regime[order]
    day = t.normalize()
    at = np.flatnonzero(r[1:] != r[:-1])  # the last instant before each change of regime
    if len(at) == 0:
        return []
    moves = []
    for i in map(int, at):
        a, b = spans[int(r[i])], spans[int(r[i + 1])]
        shift = b[0] - a[0]
        if shift != b[1] - a[1] or abs(shift) != 3600:
            return []  # hours that changed otherwise are not a clock change
        moves.append((day[i], day[i + 1], shift, a, b))
    for rule, zones in _RULES.items():
        changes = _changes(zones[0], t[0], t[-1])
        for sign in (-1, 1):
            if all(any(before - pd.Timedelta(days=_SLACK_DAYS) <= when
                       <= after + pd.Timedelta(days=_SLACK_DAYS) and shift == sign * change
                       for when, change in changes)
                   for before, after, shift, _, _ in moves):
                return [_note(moves[0], rule, zones, timezone, work_local=sign < 0)]
    return []


def _note(move: tuple[pd.Timestamp, pd.Timestamp, int, tuple[int, int], tuple[int, int]],
          rule: str, zones: tuple[str, ...], timezone: str, *, work_local: bool) -> str:
    """Clocks going forward (offset +1 h) bring hours kept in local time one hour earlier in
    UTC (`work_local`); hours that move the other way are hours kept on a clock without
    summer time in a log written in local wall-clock time and read as UTC."""
    head = (f"working hours move by one hour from {move[1]:%Y-%m-%d} "
            f"({_span_text(move[3])} -> {_span_text(move[4])} {timezone}), on the week clocks "
            f"change for {rule} (e.g. {', '.join(zones)}): ")
    if work_local:
        advice = (f"the log's times look like {timezone} while the work kept local time; pass "
                  f"calibrate(..., timezone='<the office's zone>') to read one local calendar")
    else:
        advice = (f"the log's times look like local wall-clock times read as {timezone}, while "
                  f"the work kept a clock without summer time; read the log with "
                  f"read_log(..., timezone='<the zone of its clock>') and calibrate with "
                  f"timezone='UTC' (or the work's own zone) for one calendar")
    return (head + advice + f". Calibrated meanwhile as dated exceptions in {timezone} (the "
            f"zone is not guessed)")


def _span_text(span: tuple[int, int]) -> str:
    return "-".join(f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in span)
