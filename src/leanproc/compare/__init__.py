"""AS-IS against TO-BE: paired comparison, the improvement ladder, model edits.

>>> from leanproc.compare import compare, ladder
>>> c = compare("as-is.yaml", "to-be.yaml", replications=20)   # doctest: +SKIP
>>> print(c.table(lang="ru"))                                    # doctest: +SKIP

Targets live in `leanproc.targets` (importable on their own, for CI gates).
"""

from leanproc._callable import make_callable
from leanproc.compare.comparison import DEFAULT_KPIS, Comparison, compare
from leanproc.compare.edits import remove_elements
from leanproc.compare.ladder import (
    Improvement,
    Ladder,
    apply_patch,
    ladder,
    ladder_from_file,
    load_improvements,
)
from leanproc.compare.stats import Interval, difference

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

# `leanproc.compare(...)` is the flat API; the package is callable as that function
make_callable(__name__, "leanproc.compare.comparison:compare")
