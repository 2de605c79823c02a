"""The text of a scenario file: UTF-8 (with or without a byte-order mark), or Windows Cyrillic.

Analysts write scenarios in whatever editor their office has; older Windows editors save
"ANSI", which on a Russian Windows is Windows-1251 (cp1251). Refusing such a file would only
make the user find an editor that can re-save it, so a file that is not UTF-8 is read as cp1251
when the result is plausibly Russian text, with a `ScenarioEncodingNote` that says so and how to
silence it. Any other bytes get a one-line error naming the encoding and the fix.

"Plausibly Russian" is checked because cp1251 decodes almost any byte sequence: every non-ASCII
character must be a Cyrillic letter or common Russian typography (№, «», dashes, …); no
Cyrillic letter may touch a Latin one (Western text such as ``café`` in Latin-1 reads as
``cafй``); and lowercase letters must not be outnumbered by capitals (KOI8-R read as cp1251
gives Cyrillic letters with the case swapped).
"""

from __future__ import annotations

import warnings

from leanproc.errors import ScenarioError

__all__ = ["ScenarioEncodingNote", "decode_scenario"]

# Russian typography that Windows-1251 carries besides letters
_PUNCTUATION = set("№«»–—…‘’‚“”„•°±§©®™\u00a0")


class ScenarioEncodingNote(UserWarning):
    """A scenario file was read in an encoding other than UTF-8 (the message says which)."""


def _is_cyrillic(char: str) -> bool:
    return "А" <= char <= "я" or char in "Ёё"


def _is_russian(text: str) -> bool:
    lower = upper = 0
    for before, char in zip(" " + text, text, strict=False):
        latin_next_to_cyrillic = (
            (_is_cyrillic(char) and before.isascii() and before.isalpha())
            or (_is_cyrillic(before) and char.isascii() and char.isalpha()))
        if latin_next_to_cyrillic:
            return False
        if char.isascii():
            continue
        if "а" <= char <= "я" or char == "ё":
            lower += 1
        elif "А" <= char <= "Я" or char == "Ё":
            upper += 1
        elif char not in _PUNCTUATION:
            return False
    return lower > 0 and lower >= upper


def decode_scenario(data: bytes, label: str | None) -> str:
    """The text of a scenario file's bytes: UTF-8, else plausible cp1251 (with a note)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        failure = exc
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if text and _is_russian(text):
        warnings.warn(ScenarioEncodingNote(
            f"{label or 'the scenario'}: not UTF-8, read as Windows-1251 (cp1251) Cyrillic; "
            f"save it as UTF-8 to make this note go away"), stacklevel=3)
        return text
    raise ScenarioError(
        f"line {line}: not UTF-8 text (byte 0x{data[failure.start]:02x} cannot start or continue "
        f"a character) and not Windows-1251 Cyrillic either: save the file as UTF-8",
        source=label)
