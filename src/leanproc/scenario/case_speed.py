"""``case_speed:``: how much faster or slower one case is than another, across its activities.

In real processes a case that goes fast at one step tends to go fast at the next (a simple
application, a prompt customer, a routine request). Activity durations drawn independently of
each other lose that: every case becomes an average of fast and slow steps, and the lead-time
distribution comes out too narrow around its mean (a median far above the real one). A case
speed factor restores it: each case draws one factor, and every duration it draws is multiplied
by it.

    case_speed: {duration: 0.9}              # each case's work times x a factor, sigma 0.9
    case_speed: {duration: 0.9, wait: 0.45}  # and its waits x a second factor, sigma 0.45

Each value is the spread sigma of a lognormal factor ``exp(sigma * Z - sigma**2 / 2)`` with
``Z`` standard normal: the factor's *mean* is 1, so every activity's mean duration (and the
mean lead time, up to resource contention) stays what its distribution says, while cases
spread out: with sigma 0.9 the middle 80 % of cases run between 0.32 and 3.2 times as long as
the median case. 0 (the default) is no factor. The ``duration`` factor multiplies the work times
of the case's activities; the ``wait`` factor, drawn independently of it, multiplies their
``wait:`` delays (extraneous waiting: a customer, a document). They are separate because the
logs show them separately (work and waits of one case need not be slow together), and
``calibrate`` fits each from the log (`leanproc.mining.calibrate`). Each factor has its own
random stream, so adding one leaves every other draw of a seed unchanged.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from leanproc.scenario.durations import SpecError

__all__ = ["MAX_SIGMA", "CaseSpeedSpec", "speed_factor"]

# sigma 3 puts the median case at exp(-4.5) ~ 1 % of the mean, and 1 case in 1000 above 100
# times the mean: beyond that the factor describes no process, only a mistake in the number
MAX_SIGMA = 3.0


def _sigma(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecError(f"expected the factor's spread sigma, a number such as 0.6 (0 = no "
                        f"factor), got {value!r}")
    sigma = float(value)
    if not math.isfinite(sigma) or not 0 <= sigma <= MAX_SIGMA:
        raise SpecError(f"sigma must be between 0 (no factor) and {MAX_SIGMA:g}, got {value!r}: "
                        f"it is the spread of the logarithm of the factor (0.6 puts the "
                        f"middle 80 % of cases between 0.46 and 2.2 times the median case)")
    return sigma


Sigma = Annotated[float, BeforeValidator(_sigma)]


class CaseSpeedSpec(BaseModel):
    """``case_speed: {duration: sigma, wait: sigma}`` (module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    duration: Sigma = 0.0
    wait: Sigma = 0.0

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        if value is None or isinstance(value, Mapping | CaseSpeedSpec):
            return value
        raise SpecError(f"expected the spreads of the factors, e.g. {{duration: 0.6}} or "
                        f"{{duration: 0.6, wait: 0.4}} (which times they multiply is part of the "
                        f"setting), got {value!r}")

    @property
    def active(self) -> bool:
        """Whether any factor is drawn (a sigma above 0)."""
        return self.duration > 0 or self.wait > 0


def speed_factor(sigma: float, z: float) -> float:
    """The factor of a case whose standard normal draw is `z`: lognormal with mean 1."""
    return math.exp(sigma * z - 0.5 * sigma * sigma)
