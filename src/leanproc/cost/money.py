"""Money at the edges: computations run in float roubles; display rounds to the kopeck.

Rounding happens once, when a figure is shown, with the half-up rule an accountant uses
(Python's round() rounds halves to even and sees 2.675 as 2.67499...). Going through the
shortest decimal repr of the float keeps 2.675 at 2.68.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["KOPECK", "kopecks", "rub"]

KOPECK = Decimal("0.01")


def kopecks(value: float) -> Decimal:
    """`value` roubles rounded half-up to the kopeck, as a Decimal (NaN stays NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Decimal("NaN")
    return Decimal(repr(float(value))).quantize(KOPECK, rounding=ROUND_HALF_UP)


def rub(value: float) -> str:
    """``1 234 567,89 руб.`` style text with a thin space as thousands separator."""
    d = kopecks(value)
    if d.is_nan():
        return "n/a"
    text = f"{d:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} руб."
