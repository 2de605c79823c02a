"""Numeric day-month dates (``01.02.2023``, ``01/02/2023 09:30``): which field is the day.

Russian office exports (1С, СЭД, ГИС) write ``dd.mm.yyyy[ HH:MM[:SS]]``; other tools write
``dd/mm/yyyy`` or ``mm/dd/yyyy``. pandas decides the order from the first value and reads the
rest the same way, or value by value, so ``01.02.2023`` became 2 January while
``13.02.2023`` in the same column became 13 February: wrong instants, no error. Here the order
is decided once for the whole column, never guessed:

* ``dayfirst=`` given: that order, and a value it cannot be (a month above 12) is an error;
* dotted dates are read day first. Writing month first with dots is no convention anywhere
  (Russia, Germany and the rest of continental Europe write ``dd.mm.yyyy``; the month-first
  convention, the US one, uses slashes), so a dotted column is unambiguous; a dotted value
  with a second field above 12 is reported as unreadable, not taken as evidence;
* slashed or dashed dates (``/``, ``-`` with the year last) follow the evidence of the whole
  column: a first field above 12 proves day first, a second field above 12 proves month
  first, both in one column is an error naming rows of each kind, and a column where every
  value reads both ways is refused with the fix (``dayfirst=`` or ``format=``).

Two-digit years are read as pandas' ``%y`` reads them (00-68: 2000s, 69-99: 1900s).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leanproc.eventlog._errors import UnparseableTimes

_PATTERN = (r"^\s*(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
            r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*$")
_SHOWN = 3


def day_month_parts(text: pd.Series) -> pd.DataFrame:
    """The fields of the values that are numeric day-month dates (other rows: all missing)."""
    return text.str.extract(_PATTERN)


def _assemble(parts: pd.DataFrame, day: str, month: str) -> pd.Series:
    """Naive datetimes from the fields; impossible dates (month 13, 31 February) are NaT."""
    digits = parts["year"].astype("int64").to_numpy()
    century = np.where(digits < 69, 2000, 1900)
    year = np.where(parts["year"].str.len().to_numpy() == 4, digits, century + digits)
    fields = pd.DataFrame({
        "year": year,
        "month": parts[month].astype("int64"),
        "day": parts[day].astype("int64"),
        "hour": parts["hour"].fillna("0").astype("int64"),
        "minute": parts["minute"].fillna("0").astype("int64"),
        "second": parts["second"].fillna("0").astype("int64"),
    })
    return pd.to_datetime(fields, errors="coerce")


def _order(parts: pd.DataFrame, dayfirst: bool | None, text: pd.Series) -> bool:
    """Whether these values (one separator kind) are day first; raises when undecidable."""
    if dayfirst is not None:
        return dayfirst
    if (parts["sep"] == ".").all():
        return True  # the dotted convention (see the module docstring)
    first, second = parts["a"].astype("int64"), parts["b"].astype("int64")
    day_proof = np.flatnonzero((first > 12).to_numpy())
    month_proof = np.flatnonzero((second > 12).to_numpy())
    index = parts.index.to_numpy()
    if day_proof.size and month_proof.size:
        shown = np.concatenate([index[day_proof[:_SHOWN]], index[month_proof[:_SHOWN]]])
        raise UnparseableTimes(
            shown,
            [str(text[i]) for i in shown],
            f"mix both orders: {day_proof.size} value(s) have a first field above 12 (day "
            f"first) and {month_proof.size} a second field above 12 (month first)",
            fix="correct the rows written in the other order in the source, or read the "
            "column yourself and pass a DataFrame",
        )
    if day_proof.size or month_proof.size:
        return bool(day_proof.size)
    example = str(text[index[0]]).strip()
    raise UnparseableTimes(
        index,
        [str(text[i]) for i in index[:_SHOWN]],
        f"read both day first and month first: none of its {len(index)} date(s) has a field "
        "above 12 to tell (leanproc does not guess)",
        fix=f"pass dayfirst=True if {example!r} is day/month/year or dayfirst=False if it is "
        "month/day/year, or the exact layout with time_format= (strptime codes, e.g. "
        "time_format='%d/%m/%Y %H:%M')",
    )


def read_day_month(text: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, pd.Series]:
    """(naive datetimes of the day-month values, which rows they are) of a text column.

    Dotted and slashed values in one column are decided separately (different conventions);
    positions in errors are positions in `text`. Impossible dates in the order decided (31
    February, a month above 12) are NaT, for the caller to report with other unreadable values.
    """
    parts = day_month_parts(text)
    matched = parts["a"].notna()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if not matched.any():
        return out, matched
    for dotted in (True, False):
        kind = parts[matched & ((parts["sep"] == ".") == dotted)]
        if kind.empty:
            continue
        first = _order(kind, dayfirst, text)
        day, month = ("a", "b") if first else ("b", "a")
        values = _assemble(kind, day, month)  # impossible dates stay NaT: reported later
        out.loc[kind.index] = values
    return out, matched
