"""Helpers for the importer's tests."""

from __future__ import annotations

from typing import Any

from articles.importer.segmenter import Line, Segmentation

Row = tuple[str, str, dict[str, Any]]

# A small page that imports cleanly: a masthead, a headline, a byline, one paragraph.
GOOD = (
    "Japan Today\n"
    "Japan and US hold another round of tariff talks in Washington\n"
    "By A. Reporter\n"
    "Japan's negotiator Ryosei Akazawa met Commerce Secretary Howard Lutnick in Washington "
    "on Friday for talks on tariffs.\n"
)


def page(*rows: Row) -> Segmentation:
    """A segmented page from (class, text, extra) rows, so a test reads only the metadata."""
    return Segmentation(
        lines=[Line(i + 1, cls, text, extra) for i, (cls, text, extra) in enumerate(rows)],
        newline="\n",
    )


def page_with_comments(count: int) -> str:
    """GOOD with `count` tallied reader comments under it."""
    comments = "".join(
        f"Reader comment number {n} says the talks will fail again.\n\n{n} ( +{n} / -0 )\n\n"
        for n in range(1, count + 1)
    )
    return GOOD + f"\n{count} Comments\n\n" + comments
