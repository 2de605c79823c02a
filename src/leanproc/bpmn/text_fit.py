"""Fitting a label into a box: wrap at word boundaries, shrink the font, ellipsise last.

Kept free of matplotlib so the rules can be tested as plain functions: the caller passes
`measure`, the width of a string at a font size of 1 (in the same units as the box), and gets
back the lines and the size to draw them at. The rules, in order of preference:

1. wrap at spaces only, never inside a word, so that no word is broken in two;
2. shrink the font (down to `min_size`) until every line fits the width and the lines fit
   the height;
3. only when even the smallest size cannot hold the label, shorten it visibly with ``…``
   (a word wider than the box, or lines beyond the box's height) rather than cut it silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ELLIPSIS", "Fitted", "fit_text", "wrap_words"]

ELLIPSIS = "…"
_SHRINK = 0.92  # each step makes the font 8 % smaller: fine enough to use the room there is


def wrap_words(text: str, max_width: float,
               measure: Callable[[str], float] = len) -> list[str]:
    """`text` as lines no wider than `max_width`, broken at spaces only.

    Words are filled greedily; a word wider than `max_width` stands alone on its own line,
    whole (the caller decides whether to shrink or ellipsise it). Runs of whitespace count as
    one space. No word is ever lost or split: ``" ".join(lines).split() == text.split()``.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Fitted:
    """A label laid out for its box: the lines, the font size, and whether it had to be
    shortened with an ellipsis (only when nothing smaller than `min_size` was allowed)."""

    lines: list[str]
    size: float
    shortened: bool = False


def fit_text(text: str, width: float, height: float, *, size: float, min_size: float,
             measure: Callable[[str], float] = len, line_height: float = 1.2) -> Fitted:
    """Lay `text` out in a `width` x `height` box, starting at font `size`.

    `measure(s)` is the width of `s` at font size 1, so a line at size ``z`` is
    ``z * measure(line)`` wide and ``z * line_height`` tall. The largest size from `size` down
    to `min_size` at which the word-wrapped lines fit both ways is used; below that the label
    is drawn at `min_size` and shortened with ``…`` (see the module's rules).
    """
    if not text.split():
        return Fitted([], size)
    z = size
    while True:
        lines = wrap_words(text, width / z, measure)
        if _fits(lines, z, width, height, measure, line_height):
            return Fitted(lines, z)
        if z <= min_size:
            break
        z = max(min_size, z * _SHRINK)
    return Fitted(_shorten(lines, min_size, width, height, measure, line_height), min_size,
                  shortened=True)


def _fits(lines: list[str], size: float, width: float, height: float,
          measure: Callable[[str], float], line_height: float) -> bool:
    tall_enough = len(lines) * size * line_height <= height
    return tall_enough and all(size * measure(line) <= width for line in lines)


def _shorten(lines: list[str], size: float, width: float, height: float,
             measure: Callable[[str], float], line_height: float) -> list[str]:
    """The lines cut to the box at `size`: as many as fit in height (at least one), each
    no wider than the box, with ``…`` wherever text was left out."""
    room = max(1, int(height / (size * line_height)))
    kept = lines[:room]
    dropped = len(lines) > room
    out = []
    for i, line in enumerate(kept):
        last = i == len(kept) - 1
        tail = ELLIPSIS if (last and dropped) else ""
        out.append(_ellipsise(line, tail, size, width, measure))
    return out


def _ellipsise(line: str, tail: str, size: float, width: float,
               measure: Callable[[str], float]) -> str:
    """`line` + `tail`, with characters taken off the end (and ``…`` put in their place) until
    it is no wider than `width`; at least one character stays so the reader sees a start."""
    if size * measure(line + tail) <= width:
        return line + tail
    body = line
    while len(body) > 1 and size * measure(body.rstrip(" .,;:") + ELLIPSIS) > width:
        body = body[:-1]
    return body.rstrip(" .,;:") + ELLIPSIS
