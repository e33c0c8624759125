"""Plain text from outside (an imported page, a reader's comment): one rule for the control
characters it may hold.

Tab and newline are text; every other control character (C0, DEL, C1: ESC, BEL, a carriage
return left alone, NEL…) is not. They would drive a terminal that prints the text, break
lines in logs and reports, and NUL cannot be stored in PostgreSQL. The importer removes them
from what it stores (the raw document keeps the page's bytes); the comment API refuses them,
since the person who sent them can send the text again.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def without_control_characters(text: str) -> str:
    """`text` with every control character but tab and newline removed."""
    return CONTROL_CHARACTERS.sub("", text)


def printable(text: str) -> str:
    """`text` for a one-line report, with control characters, line and paragraph separators,
    bidirectional overrides and undecodable bytes (the lone surrogates of a file name that is
    not UTF-8) escaped as Python writes them (a newline is `\\n`) and a backslash doubled:
    a file name cannot forge a report line or hide where it ends."""
    return "".join(_escaped(ch) for ch in text)


# Line and paragraph separators, and the bidirectional overrides that reorder what follows.
_INVISIBLE_LAYOUT = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_VISIBLE_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


def _escaped(ch: str) -> str:
    if ch in _VISIBLE_ESCAPES:
        return _VISIBLE_ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if ch in _INVISIBLE_LAYOUT or 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return ch


__all__ = [
    "CONTROL_CHARACTERS",
    "has_control_characters",
    "printable",
    "without_control_characters",
]
