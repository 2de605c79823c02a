"""The colours of every figure, so that "before" is the same grey and "after" the same blue in
the report, the notebook views and the post-monitoring chart (matplotlib colour strings)."""

from __future__ import annotations

__all__ = ["AFTER", "BEFORE", "INCREASE", "OVERLOAD", "PROJECTION", "SAVING", "SCENARIO_COLOURS",
           "TARGET", "TARGET_LINE", "TOTAL"]

BEFORE = "#8a8f98"
TARGET = "#e0a526"
AFTER = "#2b7bba"
TARGET_LINE = "#c0392b"
OVERLOAD = "#c0392b"
SAVING = "#3a9a5b"
INCREASE = "#c0392b"
TOTAL = "#4a5568"
PROJECTION = "#7b4fa0"
SCENARIO_COLOURS = (BEFORE, AFTER, PROJECTION, "#3a9a5b", "#d36f2a")
