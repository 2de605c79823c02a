"""The parser options every XML input is read with (BPMN files and XES logs alike).

Both come from users and other tools, so neither may reach the network, expand entities or load
a DTD (XXE, billion laughs); comments and processing instructions are dropped because nothing
reads them. One set, so the two readers cannot drift apart.
"""

from __future__ import annotations

from typing import Final, TypedDict


class _ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    remove_comments: bool
    remove_pis: bool


SAFE_PARSER_OPTIONS: Final[_ParserOptions] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
}
