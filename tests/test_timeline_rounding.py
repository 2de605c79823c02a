"""Float rounding never moves a working-time end before its start (or a begin after its end).

Found by simulating a calibrated scenario: a wait of 3e-12 working seconds drawn while the
clock stood in a weekend ended on the Friday before, and SimPy refused the negative delay.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leanproc.calendar import Calendar


def _timeline():  # type: ignore[no-untyped-def]
    weekdays = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    return Calendar.parse({"hours": weekdays}, tz="UTC").timeline(
        pd.Timestamp("2011-01-02T21:00", tz="UTC"))


def test_tiny_work_from_any_instant_never_ends_before_it() -> None:
    timeline = _timeline()
    rng = np.random.default_rng(20240301)
    starts = rng.uniform(0, 4e7, 20_000)  # 15 months, weekends included
    works = 10 ** rng.uniform(-13, -5, starts.size)  # below and around the float resolution
    ends = np.array([timeline.add(float(t), float(w)) for t, w in zip(starts, works, strict=True)])
    assert (ends >= starts).all()
    assert (timeline.add_array(starts, works) >= starts).all()
    begins = np.array([timeline.add(float(t), -float(w))
                       for t, w in zip(starts, works, strict=True)])
    assert (begins <= starts).all()
    assert (timeline.add_array(starts, -works) <= starts).all()


def test_the_found_case() -> None:
    t = 589954.5742471064  # a Saturday evening in the run that failed
    assert _timeline().add(t, 3.195218426313845e-12) >= t
