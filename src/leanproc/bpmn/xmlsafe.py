"""Safe loading and parsing of untrusted XML (BPMN files come from anyone's modeller).

The threats and what stops each one:

* **XXE** (``<!ENTITY x SYSTEM "file:///etc/passwd">`` or ``"http://…"``), **billion laughs**
  (nested entity expansion) and **quadratic blowup** (one huge entity referenced many times)
  all need a document type declaration. BPMN 2.0 never uses one, so any ``<!DOCTYPE`` in the
  prolog is rejected *before* the parser sees the document. The parser is configured defensively
  as well (no DTD loading, no entity resolution, no network, no huge-tree mode), so a declaration
  smuggled past the prolog scan still cannot expand anything.
* **Oversized input**: a file's size is checked with ``stat`` before it is read, and reading
  stops at the limit, so a 200 MB file costs one system call.
* **Deep nesting**: libxml2 without ``huge_tree`` refuses documents nested deeper than 256
  levels, which also bounds the recursion of the reader.
* **Attribute floods**: one element with tens of thousands of attributes parses in linear time,
  but every by-name attribute look-up scans them all; `MAX_ATTRIBUTES` bounds them per element
  (checked in one linear pass after parsing), and the reader never looks values up one by one
  over all attributes (see `_read_values.leanproc_attributes`).

Every failure is a `BPMNError` naming the source.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from leanproc._xml import SAFE_PARSER_OPTIONS
from leanproc.errors import BPMNError
from leanproc.limits import limit

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Default size limit of a BPMN document (50 MB; the largest real models are a few MB)."""

MAX_ATTRIBUTES = limit("xml_attributes")
"""Real modellers write at most a few dozen attributes on an element (vendor extensions
included); a thousand leaves ample room and bounds the cost of attribute look-ups."""

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_PROLOG_SCAN_CHARS = 1 << 16


def load_source(source: str | os.PathLike[str] | bytes, max_bytes: int) -> tuple[bytes, str]:
    """The raw bytes of `source` and a label naming it for messages.

    A ``str`` whose first non-blank character (after an optional BOM) is ``<`` is XML text;
    any other ``str`` or path-like is a file name. Raises `BPMNError` for a missing,
    unreadable or oversized file.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = "<bytes>"
        _check_size(len(data), max_bytes, label)
        return _trim_before_declaration(data), label
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        label = "<string>"
        text = source.lstrip("\ufeff \t\r\n")
        # lxml refuses str input that carries an encoding declaration; the text is already
        # decoded, so re-encode it as UTF-8 and make the declaration say so.
        data = _XML_DECL_ENCODING.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8", "replace")
        _check_size(len(data), max_bytes, label)
        return data, label
    if not isinstance(source, str | os.PathLike):
        raise BPMNError(
            f"cannot read a BPMN model from a {type(source).__name__}; "
            "pass a file path, XML text or bytes"
        )
    path = Path(source)
    label = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BPMNError("file not found; check the path", source=label) from None
    except OSError as exc:
        raise BPMNError(f"cannot access the file: {exc.strerror or exc}", source=label) from None
    _check_size(size, max_bytes, label)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # never more than the limit, even if the file grew
    except IsADirectoryError:
        raise BPMNError("is a directory, not a BPMN file", source=label) from None
    except OSError as exc:
        raise BPMNError(f"cannot read the file: {exc.strerror or exc}", source=label) from None
    _check_size(len(data), max_bytes, label)
    return _trim_before_declaration(data), label


def _trim_before_declaration(data: bytes) -> bytes:
    """Drop blank lines before the XML declaration (a common defect of hand-edited and
    generated files that XML forbids); only ASCII-compatible encodings can carry them."""
    body = data[3:] if data.startswith(_UTF8_BOM) else data
    if body[:1] in (b" ", b"\t", b"\r", b"\n"):
        stripped = body.lstrip(b" \t\r\n")
        if stripped.startswith(b"<?xml"):
            return stripped
    return data


def _check_size(size: int, max_bytes: int, label: str) -> None:
    if size > max_bytes:
        raise BPMNError(
            f"the document is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; "
            "pass a larger max_bytes if the file is trusted",
            source=label,
        )


def _prolog_text(data: bytes) -> str:
    """The start of the document decoded well enough to scan its prolog.

    UTF-16 needs real decoding; every other encoding a BPMN file uses (UTF-8, windows-1251,
    KOI8-R, ISO-8859-x) is ASCII-compatible, and the prolog's markup is ASCII.
    """
    head = data[: _PROLOG_SCAN_CHARS * 2]
    if head.startswith(_UTF16_BOMS) or head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        start = 2 if head.startswith(_UTF16_BOMS) else 0
        return head[start:].decode(codec, "replace")
    if head.startswith(_UTF8_BOM):
        head = head[3:]
    return head.decode("latin-1")


def reject_doctype(data: bytes, label: str) -> None:
    """Raise `BPMNError` when the prolog holds a document type declaration (or anything other
    than the XML declaration, comments, processing instructions and white space)."""
    text = _prolog_text(data)
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch in " \t\r\n":
            pos += 1
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return  # let the parser report the broken processing instruction
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return
            pos = end + 3
        elif text.startswith("<!", pos):
            what = "a DOCTYPE declaration" if text[pos + 2 : pos + 9].upper() == "DOCTYPE" \
                else "a markup declaration"
            raise BPMNError(
                f"the document starts with {what}; BPMN 2.0 never needs one and it can hide "
                "entity attacks (XXE, billion laughs), so it is refused. Remove the <!DOCTYPE …> "
                "block if the file is trusted",
                source=label,
            )
        else:
            return  # the root element (or text the parser will reject)


def _parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        **SAFE_PARSER_OPTIONS,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
    )


def parse_xml(data: bytes, label: str) -> etree._Element:
    """Parse `data` safely and return the root element; every failure is a `BPMNError`."""
    if not data.strip():
        raise BPMNError("the document is empty", source=label)
    reject_doctype(data, label)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise BPMNError(f"not well-formed XML: {_syntax_message(exc)}", source=label) from None
    except (ValueError, LookupError, UnicodeError, etree.LxmlError) as exc:
        raise BPMNError(f"cannot parse the XML: {exc}", source=label) from None
    if root is None:
        raise BPMNError("the document has no root element", source=label)
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        # Only reachable if the prolog scan was fooled (e.g. an encoding it does not know).
        raise BPMNError("the document carries a DOCTYPE declaration; refused", source=label)
    _check_attribute_counts(root, label)
    return root


def _check_attribute_counts(root: etree._Element, label: str) -> None:
    """Apply `MAX_ATTRIBUTES` to every element: one pass, `len` of an element's attributes
    costs a walk of its attribute list."""
    limit = MAX_ATTRIBUTES.value
    for el in root.iter():
        count = len(el.attrib)
        if count > limit:
            tag = etree.QName(el).localname if isinstance(el.tag, str) else "?"
            MAX_ATTRIBUTES.check(
                count, BPMNError, source=f"{label}, line {el.sourceline}, <{tag}>"
            )


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    msg = str(exc.msg or exc).strip()
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    # lxml appends "(<string>, line N)" style suffixes; keep the message and state the place once.
    msg = re.sub(r"\s*\((?:<string>|line \d+)[^)]*\)\s*$", "", msg)
    msg = re.sub(r",\s*line \d+, column \d+$", "", msg)
    if line:
        return f"{msg} (line {line}" + (f", column {column})" if column else ")")
    return msg
