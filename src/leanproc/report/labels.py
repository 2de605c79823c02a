"""Report labels in English and Russian (the table lives in `leanproc._labels`).

The table sits at the bottom of the package so that every layer — the process model's and a
simulation result's notebook views as well as the report — labels things with the same words.
"""

from __future__ import annotations

from leanproc._labels import (
    LANGS,
    check_lang,
    kpi_label,
    kpi_labels,
    label,
    localise_units,
    note_text,
    unit_label,
    working_form,
)

__all__ = ["LANGS", "check_lang", "kpi_label", "kpi_labels", "label", "localise_units",
           "note_text", "unit_label", "working_form"]
