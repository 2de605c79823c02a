"""The exception the timestamp parsers raise for the reader to turn into a LogError."""

from __future__ import annotations

import numpy as np


class UnparseableTimes(Exception):
    """Positions (0-based, within the series) whose non-empty values are not timestamps.

    `reason` says what is wrong with them and `fix` what to do; without a `fix` the reader
    gives its general advice.
    """

    def __init__(self, positions: np.ndarray, examples: list[str], reason: str = "",
                 *, fix: str = "") -> None:
        super().__init__(reason)
        self.positions = positions
        self.examples = examples
        self.reason = reason
        self.fix = fix
