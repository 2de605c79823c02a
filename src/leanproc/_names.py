"""Suggestions for a name that is not found: "did you mean", and look-alike letters.

Every place that looks a name up (scenario keys, model elements, improvements, KPI names, time
units) explains a miss with `did_you_mean`. Russian names are often typed on a keyboard switched
to Latin for one letter: ``Провeрка`` with a Latin ``e`` looks exactly like the model's
``Проверка`` but is another string. Two identical-looking names in an error would leave a person
puzzled, so when the unknown name equals a known one after folding look-alike Latin and Cyrillic
letters, the message names the position and both characters with their code points.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

__all__ = ["did_you_mean", "fold", "homoglyph_difference"]

# Latin letter -> the Cyrillic letter drawn the same way (lower and upper case)
_LATIN_TO_CYRILLIC = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
_TO_LATIN = {ord(c): lat for lat, c in _LATIN_TO_CYRILLIC.items()} | {ord("ё"): "e"}


def fold(text: str) -> str:
    """`text` with runs of white space made one space, case folded: how names are compared."""
    return " ".join(str(text).split()).casefold()


def _skeleton(text: str) -> str:
    """`text` folded, with every Cyrillic look-alike written as its Latin twin."""
    return fold(str(text).translate(_TO_LATIN))


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0].capitalize() if name else "unnamed"


def homoglyph_difference(word: str, known: str, *, owner: str = "the model") -> str | None:
    """Where `word` and `known` differ by a look-alike letter, in words; None when they don't.

    ``position 3: Latin 'e' (U+0065) where the model has Cyrillic 'е' (U+0435)``; positions
    count from 1 in `word` as written; `owner` is who holds the known name. Only names of the
    same length that look alike answer.
    """
    if word == known or len(word) != len(known) or _skeleton(word) != _skeleton(known):
        return None
    parts = []
    for i, (a, b) in enumerate(zip(word, known, strict=True), start=1):
        if a != b and a.casefold() != b.casefold():
            parts.append(f"position {i}: {_script(a)} {a!r} (U+{ord(a):04X}) where {owner} "
                         f"has {_script(b)} {b!r} (U+{ord(b):04X})")
    return "; ".join(parts) or None


def did_you_mean(word: str, candidates: Iterable[str], *, n: int = 2,
                 owner: str = "the model") -> str:
    """`` (did you mean 'X'?)``, a look-alike explanation, or nothing.

    Compared case- and space-insensitively; a name that only differs from a known one by Latin
    and Cyrillic look-alike letters gets the exact characters that differ instead of a guess.
    """
    pool = {fold(c): str(c) for c in candidates if c}
    for known in pool.values():
        diff = homoglyph_difference(" ".join(str(word).split()), " ".join(known.split()),
                                    owner=owner)
        if diff:
            return f" (it looks like {known!r} but differs at {diff})"
    folded = fold(word)
    close = difflib.get_close_matches(folded, list(pool), n=n, cutoff=0.6)
    if not close and len(folded) >= 3:
        close = [c for c in pool if c.startswith(folded)][:n]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(pool[c]) for c in close) + "?)"
