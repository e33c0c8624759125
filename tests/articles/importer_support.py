"""Helpers for the importer's tests."""

from __future__ import annotations

from typing import Any

from articles.importer.segmenter import Line, Segmentation

Row = tuple[str, str, dict[str, Any]]


def page(*rows: Row) -> Segmentation:
    """A segmented page from (class, text, extra) rows, so a test reads only the metadata."""
    return Segmentation(
        lines=[Line(i + 1, cls, text, extra) for i, (cls, text, extra) in enumerate(rows)],
        newline="\n",
    )
