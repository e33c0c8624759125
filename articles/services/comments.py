"""Reader comment submission: a new comment waits, pending, in the moderation queue."""

from __future__ import annotations

import unicodedata
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Comment
from articles.services.queue_counts import count_arrivals
from articles.text import has_control_characters

AUTHOR_MAX_LENGTH = Comment._meta.get_field("author_handle").max_length or 100


class CommentsClosed(Exception):
    """The article takes no comments now; `reason` says why, for the person who sent one."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def visible(character: str) -> bool:
    """Not a space, a separator or an invisible format mark (zero-width space, joiners)."""
    return not character.isspace() and unicodedata.category(character) not in {"Cf", "Zs"}


def comment_max_length() -> int:
    return int(getattr(settings, "NEWSROOM_API_COMMENT_MAX_LENGTH", 5000))


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not any(visible(character) for character in text):
        raise ValidationError({field: "Must not be empty (or only spaces and invisible marks)."})
    if has_control_characters(text):
        # One rule with the importer (articles.text); refused rather than removed, so the
        # sender knows their text was not taken as sent.
        raise ValidationError({field: "Must be plain text, without control characters."})
    if len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters; this has {len(text)}."})
    return text


@transaction.atomic
def submit_comment(article: Article, *, author_name: str, body: str) -> Comment:
    """Store a reader's comment as pending, invisible until a moderator approves it.

    The reader is the actor; they are anonymous, so the comment itself (origin "api", its
    posting time) is the record of the submission. The article is re-read under a row lock,
    so a comment never lands on an article closed or unpublished in the meantime.

    Raises CommentsClosed if the article is not published or its comments are closed, and
    ValidationError (by field) for an empty, too long or non-plain-text name or body.
    Nothing is stored when either is raised.
    """
    name = _clean_text(author_name, field="author_name", max_length=AUTHOR_MAX_LENGTH)
    text = _clean_text(body, field="body", max_length=comment_max_length())
    current = Article.objects.select_for_update().only("status", "comments_open").get(pk=article.pk)
    if current.status != Article.Status.PUBLISHED:
        raise CommentsClosed("This article is not published, so it takes no comments.")
    if not current.comments_open:
        raise CommentsClosed("Comments on this article are closed.")
    comment = Comment(
        article=current,
        author_handle=name,
        body=text,
        origin=Comment.Origin.API,
        status=Comment.Status.PENDING,
        posted_at=timezone.now(),
    )
    comment.save()
    # The queue's cached per-status counts must include the newcomer.
    transaction.on_commit(partial(count_arrivals, article_id=current.pk, pending=1), robust=True)
    return comment
