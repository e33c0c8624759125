"""What the importer takes from a page is made to fit before it reaches a field.

- Numbers (a comment's score and votes): within the range the column holds on every database
  Django supports (an IntegerField is 32-bit on PostgreSQL, 64-bit on SQLite, so a value that
  SQLite would keep could not be restored into PostgreSQL). A tally out of range is dropped
  (left empty) with a note in the import report for the desk, and the page imports.
- Text: without control characters other than tab and newline (`articles.text`, the rule the
  comment API applies too). The raw document keeps the page's bytes; the stored fields do not
  carry ESC, BEL, DEL or C1 controls into the admin, the API or a terminal.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from articles.importer.comments import CommentBlock
from articles.importer.metadata import ArticleDraft
from articles.models import Comment
from articles.text import without_control_characters

# The draft's text fields that become an article's fields (or are shown in its report).
DRAFT_TEXT = tuple(f.name for f in dataclasses.fields(ArticleDraft) if f.type in ("str", str))
TALLY = {"score": "score", "votes_up": "up-votes", "votes_down": "down-votes"}


def portable_range(model: type[models.Model], name: str) -> tuple[int, int]:
    """The values the integer column `model.name` holds on every supported database."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def clean_draft(draft: ArticleDraft) -> ArticleDraft:
    """The draft with control characters removed from its text."""
    cleaned = copy.copy(draft)
    for name in DRAFT_TEXT:
        setattr(cleaned, name, without_control_characters(getattr(draft, name)))
    return cleaned


@dataclass(frozen=True)
class CommentFields:
    """A comment block's values as they will be stored, and what had to be dropped."""

    author_handle: str
    body: str
    posted_label: str
    quoted_text: str
    tally: dict[str, int | None]
    notes: list[str]


def comment_fields(block: CommentBlock) -> CommentFields:
    handle_length = Comment._meta.get_field("author_handle").max_length or 100
    label_length = Comment._meta.get_field("posted_label").max_length or 100
    tally: dict[str, Any] = {}
    notes = []
    for name, label in TALLY.items():
        value = getattr(block, name)
        low, high = portable_range(Comment, name)
        if value is not None and not low <= value <= high:
            notes.append(
                f"comment {block.position}: the page shows {value:,} {label}, outside what a "
                f"tally can hold ({low:,} to {high:,}); left empty, check it on the page"
            )
            value = None
        tally[name] = value
    return CommentFields(
        author_handle=without_control_characters(block.handle)[:handle_length],
        body=without_control_characters(block.body),
        posted_label=without_control_characters(block.posted_label)[:label_length],
        quoted_text=without_control_characters(block.quoted_text),
        tally=tally,
        notes=notes,
    )


__all__ = ["CommentFields", "clean_draft", "comment_fields", "portable_range"]
