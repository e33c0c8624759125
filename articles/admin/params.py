"""Numbers the admin reads from a request (an article id in the query string, the version a
page was opened at): one rule, so a value that is no such number gets a clear message instead
of an error page."""

from __future__ import annotations

# The largest id or version any of our integer columns holds (a 64-bit BigAutoField).
LARGEST = 2**63 - 1


def parse_id(raw: str | None) -> int | None:
    """The positive whole number `raw` spells in ASCII digits ("12"), else None.

    `str.isdigit()` is no test: it is true of "²" (which `int()` refuses) and of digits in
    other scripts; a value past the 64-bit range would overflow the database driver."""
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= LARGEST else None


__all__ = ["LARGEST", "parse_id"]
