"""AS-IS against TO-BE: paired comparison, the improvement ladder, model edits.

>>> from leanproc.comparison import compare, ladder
>>> c = compare("as-is.yaml", "to-be.yaml", replications=20)   # doctest: +SKIP
>>> print(c.table(lang="ru"))                                    # doctest: +SKIP

Targets live in `leanproc.targets` (importable on their own, for CI gates).
"""

from leanproc.comparison.edits import remove_elements
from leanproc.comparison.ladder import (
    Improvement,
    Ladder,
    apply_patch,
    ladder,
    ladder_from_file,
    load_improvements,
)
from leanproc.comparison.paired import DEFAULT_KPIS, Comparison, compare
from leanproc.comparison.stats import Interval, difference

__all__ = [
    "DEFAULT_KPIS",
    "Comparison",
    "Improvement",
    "Interval",
    "Ladder",
    "apply_patch",
    "compare",
    "difference",
    "ladder",
    "ladder_from_file",
    "load_improvements",
    "remove_elements",
]
