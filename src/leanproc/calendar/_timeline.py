"""`Timeline`: a calendar as float seconds since an epoch, for the simulation engine's hot loop.

The engine asks "when does this activity finish" once per activity instance, so the scalar
methods use `bisect` over plain Python lists of floats (a numpy scalar costs more than the search
itself). The lists are copies of the calendar's compiled intervals shifted to the epoch:
``S[i]``, ``E[i]`` (span bounds) and ``C[i]`` (working seconds in ``[epoch, S[i])``, negative
before the epoch). When a question reaches past what is compiled, the calendar compiles further
(doubling its span) and the lists are rebuilt, so the caller never names a horizon.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pandas.api.typing import NaTType

from leanproc.errors import CalendarError

if TYPE_CHECKING:
    from leanproc.calendar._core import Calendar

_NS = 1_000_000_000
_FIRST_DAYS = 400  # compiled at once on creation: a simulation usually runs for months
# float sums of seconds can land a hair past a span's end; within this many seconds the work is
# taken to end with the span rather than at the start of the next one
_EPS = 1e-6


class Timeline:
    """Working time as float seconds since `epoch` (a tz-aware instant).

    ``W(t)`` is the working time in ``[epoch, t)`` (negative before the epoch).
    """

    def __init__(self, calendar: Calendar, epoch: Any) -> None:
        ts = pd.Timestamp(epoch)
        if isinstance(ts, NaTType):
            raise CalendarError("timeline epoch is NaT: give the simulation start instant")
        if ts.tzinfo is None:
            ts = ts.tz_localize("UTC")
        self.calendar = calendar
        self.epoch: pd.Timestamp = ts.tz_convert(calendar.tz)
        self._epoch_ns = int(ts.value)
        self._version = -1
        calendar._ensure(self._epoch_ns - 86_400 * _NS, self._epoch_ns + _FIRST_DAYS * 86_400 * _NS)
        self._refresh()

    def __repr__(self) -> str:
        return f"Timeline({self.calendar.name!r}, epoch={self.epoch.isoformat()})"

    # ------------------------------------------------------------------ compiled lists

    def _refresh(self) -> None:
        cal = self.calendar
        e0 = self._epoch_ns
        w0 = cal._work(e0)
        self._Sa = (cal._s - e0) / _NS
        self._Ea = (cal._e - e0) / _NS
        self._Csa = (cal._cs - w0) / _NS
        self._Cea = (cal._ce - w0) / _NS
        self._La = cal._len / _NS
        self._S: list[float] = self._Sa.tolist()
        self._E: list[float] = self._Ea.tolist()
        self._Cs: list[float] = self._Csa.tolist()
        self._Ce: list[float] = self._Cea.tolist()
        self._L: list[float] = self._La.tolist()
        self._n = len(self._S)
        self._w_before = self._Cs[0] if self._n else 0.0
        self._lo = (cal._lo - e0) / _NS
        self._hi = (cal._hi - e0) / _NS
        self._version = cal._version

    def _to_ns(self, t: float) -> int:
        if not math.isfinite(t):
            raise CalendarError(f"timeline instant {t!r} is not a finite number of seconds")
        return self._epoch_ns + round(t * _NS)

    def _cover(self, lo: float, hi: float) -> None:
        self.calendar._ensure(self._to_ns(lo), self._to_ns(hi))
        if self._version != self.calendar._version:
            self._refresh()

    def _grow(self, t: float) -> None:
        self.calendar._grow_forward(self._to_ns(t))
        self._refresh()

    def _grow_back(self, t: float) -> None:
        self.calendar._grow_backward(self._to_ns(t))
        self._refresh()

    # ------------------------------------------------------------------ scalar operations

    def work_at(self, t: float) -> float:
        """W(t): working seconds in [epoch, t)."""
        if not self._lo <= t < self._hi:
            self._cover(t, t)
        i = bisect_right(self._S, t) - 1
        if i < 0:
            return self._w_before
        d = t - self._S[i]
        span = self._L[i]
        return self._Cs[i] + (d if d < span else span)

    def between(self, a: float, b: float) -> float:
        """Working seconds in [a, b) (negative when b < a)."""
        return self.work_at(b) - self.work_at(a)

    def is_working(self, t: float) -> bool:
        """Whether t lies inside working time."""
        if not self._lo <= t < self._hi:
            self._cover(t, t)
        i = bisect_right(self._S, t) - 1
        return i >= 0 and t < self._E[i]

    def next_working(self, t: float) -> float:
        """The first working instant at or after t (t itself inside working time)."""
        if not self._lo <= t < self._hi:
            self._cover(t, t)
        while True:
            i = bisect_right(self._E, t)
            if i < self._n:
                s = self._S[i]
                return t if t > s else s
            self._grow(t)

    def add(self, t: float, work: float) -> float:
        """The instant when `work` working seconds started at t are done.

        Zero work returns t; work that ends with a span returns the span's end; negative work
        returns the latest instant from which that much work ends at t.
        """
        if work <= 0.0:
            return t if work == 0.0 else self._sub(t, -work)
        while True:
            # work_at inlined: this is the engine's hottest call
            if not self._lo <= t < self._hi:
                self._cover(t, t)
            S = self._S
            i = bisect_right(S, t) - 1
            if i < 0:
                target = self._w_before + work
            else:
                d = t - S[i]
                span = self._L[i]
                target = self._Cs[i] + (d if d < span else span) + work
            j = bisect_left(self._Ce, target)
            if j and target - self._Ce[j - 1] < _EPS and self._E[j - 1] > t:
                return self._E[j - 1]
            if j < self._n:
                # never before t: when t lies in a gap, a target a rounding error above the
                # previous span's cumulative end can sort into that span (work of 1e-12 s
                # would otherwise end days before it started)
                end = S[j] + (target - self._Cs[j])
                return end if end >= t else t
            self._grow(t)

    def _sub(self, t: float, work: float) -> float:
        while True:
            target = self.work_at(t) - work
            j = bisect_right(self._Cs, target) - 1
            if j >= 0 and target >= self._w_before:
                begin = self._S[j] + (target - self._Cs[j])
                return begin if begin <= t else t  # never after t (as `add`, mirrored)
            self._grow_back(t)

    # ------------------------------------------------------------------ array operations

    def _work_vec(self, t: np.ndarray) -> np.ndarray:
        if self._n == 0:
            return np.zeros(t.shape)
        i = np.searchsorted(self._Sa, t, side="right") - 1
        ic = np.maximum(i, 0)
        w = self._Csa[ic] + np.clip(t - self._Sa[ic], 0.0, self._La[ic])
        return np.where(i >= 0, w, self._w_before)

    def _cover_array(self, *arrays: np.ndarray) -> None:
        finite = [a[np.isfinite(a)] for a in arrays]
        finite = [a for a in finite if a.size]
        if not finite:
            return
        lo = min(float(a.min()) for a in finite)
        hi = max(float(a.max()) for a in finite)
        if not (self._lo <= lo and hi < self._hi):
            self._cover(lo, hi)

    def between_array(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`between` for arrays of float seconds (NaN in, NaN out)."""
        a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        self._cover_array(a, b)
        ok = np.isfinite(a) & np.isfinite(b)
        out = np.full(a.shape, np.nan)
        out[ok] = self._work_vec(b[ok]) - self._work_vec(a[ok])
        return out

    def add_array(self, t: np.ndarray, work: np.ndarray) -> np.ndarray:
        """`add` for arrays of float seconds (NaN in, NaN out)."""
        t, w = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(work, dtype=float))
        self._cover_array(t)
        ok = np.isfinite(t) & np.isfinite(w)
        out = np.full(t.shape, np.nan)
        tg, wg = t[ok], w[ok]
        res = tg.copy()
        pos, neg = wg > 0, wg < 0
        while True:
            target = self._work_vec(tg) + wg
            jp = np.searchsorted(self._Cea, target, side="left")
            late = pos & (jp >= self._n)
            # a target within _EPS of the previous span's end finishes with that span
            prev = np.maximum(jp - 1, 0)
            if self._n:
                at_end = (jp > 0) & (target - self._Cea[prev] < _EPS) & (self._Ea[prev] > tg)
                late &= ~at_end
            if late.any():
                self._grow(float(tg[late].max()))
                continue
            jn = np.searchsorted(self._Csa, target, side="right") - 1
            early = neg & ((jn < 0) | (target < self._w_before))
            if early.any():
                self._grow_back(float(tg[early].min()))
                continue
            break
        if self._n:
            jpc = np.minimum(jp, self._n - 1)
            fwd = np.where(at_end, self._Ea[prev], self._Sa[jpc] + (target - self._Csa[jpc]))
            jnc = np.maximum(jn, 0)
            back = self._Sa[jnc] + (target - self._Csa[jnc])
            # as in `add` and `_sub`: a rounding error never moves an end before its start
            res = np.where(pos, np.maximum(fwd, tg), np.where(neg, np.minimum(back, tg), tg))
        out[ok] = res
        return out
