"""The order of a log's rows: by case (numeric ids numerically), completion, start, source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leanproc.log import CASE, END, START


def _case_key(case: pd.Series) -> np.ndarray:
    """An int64 sort key of case ids: the number when every id is an integer, else the rank.

    For a categorical column the ids are examined once per category, not once per row, and
    ranked by their text (the categories' own order is the source's, not the text's).
    """
    if isinstance(case.dtype, pd.CategoricalDtype):
        codes = np.asarray(case.array.codes, dtype=np.int64)
        names = case.cat.categories.astype("str")
        used = np.zeros(len(names), dtype=bool)
        used[codes] = True  # no missing case ids by now
        if bool(names[used].str.fullmatch(r"\d{1,18}").all()):
            numbers = np.zeros(len(names), dtype=np.int64)
            numbers[used] = names[used].astype("int64")
            return numbers[codes]
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names.to_numpy(dtype=object), kind="stable")] = np.arange(len(names))
        return rank[codes]
    if bool(case.str.fullmatch(r"\d{1,18}").all()):
        return case.astype("int64").to_numpy()
    case_key, _ = pd.factorize(case, sort=True)
    return np.asarray(case_key, dtype=np.int64)


def sorted_events(frame: pd.DataFrame, row: str) -> pd.DataFrame:
    """Rows by case (numeric ids numerically), completion, start, source order (`row`)."""
    keys = (
        frame[row].to_numpy(),
        frame[START].array.asi8,
        frame[END].array.asi8,
        _case_key(frame[CASE]),
    )
    if _in_order(keys):
        return frame  # exports usually are sorted: no sort, no copy of every column
    return frame.iloc[np.lexsort(keys)]


def _in_order(keys: tuple[np.ndarray, ...]) -> bool:
    """Whether rows already ascend by ``keys`` (last key first, as np.lexsort reads them).

    One linear pass over adjacent rows, against the n log n of a sort.
    """
    ok = None
    for key in keys:  # least significant first: "ahead on this key, or tied and ok so far"
        a, b = key[:-1], key[1:]
        ahead = b > a
        ok = ahead if ok is None else ahead | ((b == a) & ok)
    return ok is None or bool(ok.all())
