"""Domain signals: what the desk's services tell the rest of the system once a change is committed.

- `article_changed(sender=Article, article_id, change)`: an article, its coverage links or its
  corrections changed (created, saved, moved in the workflow, imported, a link confirmed,
  rejected, added or revised, a correction added). `change` names it ("saved", "published",
  "link confirmed", "imported", ...).
- `comment_moderated(sender=Comment, comment_id, article_id, from_status, to_status)`: a
  moderator's decision was applied to a reader comment.

Each service function sends its signal exactly once, with `send_on_commit`: receivers hear of
a change only after its transaction commits, and never of one that rolled back. A submitted
(pending) comment is neither: it is in no response until a moderator decides on it.

Receivers only react (invalidate caches, notify); they are no part of any workflow, and one
that fails does not undo the committed change (`send_robust`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from articles.models import Article, Comment

logger = logging.getLogger(__name__)

article_changed = Signal()
comment_moderated = Signal()


def send_on_commit(signal: Signal, sender: type[Any], **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits (at once outside any transaction);
    nothing is sent if it rolls back."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r of a domain signal failed", receiver, exc_info=result)

    transaction.on_commit(send)


def article_was_changed(article_id: int, change: str) -> None:
    send_on_commit(article_changed, Article, article_id=article_id, change=change)


def comment_was_moderated(
    *, comment_id: int, article_id: int, from_status: str, to_status: str
) -> None:
    send_on_commit(
        comment_moderated,
        Comment,
        comment_id=comment_id,
        article_id=article_id,
        from_status=from_status,
        to_status=to_status,
    )


__all__ = [
    "article_changed",
    "article_was_changed",
    "comment_moderated",
    "comment_was_moderated",
    "send_on_commit",
]
