"""Moderation of reader comments: approve, reject, mark as spam.

Each decision is one atomic function taking the moderator as a keyword and the comment
version the moderator saw. The row is locked and the update is conditional
(`UPDATE ... WHERE id = ? AND version = ?`), so when two moderators decide on the same
comment at once exactly one decision is applied; the other is refused with `StaleDecision`,
never applied over it. Every applied decision writes a `ModerationDecision` row.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from articles.models import Article, Comment, ModerationDecision
from articles.models.comments import CommentStatus
from articles.services.audit import Actor, ServiceError, describe_time, require_perm
from articles.signals import comment_was_moderated

STATUS_COUNTS_KEY = "articles:comment-status-counts"
BUSIEST_ARTICLES_KEY = "articles:comment-busiest-articles"
STATUS_COUNTS_TTL = 60  # seconds; decisions invalidate it at once, new comments within a minute

REASON_REQUIRED = {Comment.Status.REJECTED, Comment.Status.SPAM}
VERB = {
    Comment.Status.APPROVED: "approved",
    Comment.Status.REJECTED: "rejected",
    Comment.Status.SPAM: "marked as spam",
    Comment.Status.PENDING: "returned to pending",
}


class ModerationError(ServiceError):
    pass


class StaleDecision(ModerationError):
    """Another moderator decided on the comment after this moderator's view was loaded."""


def status_counts() -> dict[str, int]:
    """Comments per status, cached so the queue does not count the whole table on every load."""
    counts: dict[str, int] | None = cache.get(STATUS_COUNTS_KEY)
    if counts is None:
        rows = Comment.objects.order_by().values_list("status").annotate(n=Count("pk"))
        counts = {status: 0 for status in Comment.Status.values}
        counts.update(dict(rows))
        cache.set(STATUS_COUNTS_KEY, counts, STATUS_COUNTS_TTL)
    return counts


def articles_with_most_pending(limit: int = 15) -> list[tuple[int, str, int]]:
    """(article id, headline, pending comments) of the articles with the most pending comments,
    cached like the status counts: the queue's article filter must not aggregate the comment
    table on every page load."""
    busiest: list[tuple[int, str, int]] | None = cache.get(BUSIEST_ARTICLES_KEY)
    if busiest is None:
        rows = list(
            Comment.objects.filter(status=Comment.Status.PENDING)
            .order_by()
            .values_list("article")
            .annotate(n=Count("pk"))
            .order_by("-n", "article")[:limit]
        )
        names = {
            article.pk: str(article)
            for article in Article.objects.filter(pk__in=[pk for pk, _ in rows]).only(
                "pk", "headline", "slug"
            )
        }
        busiest = [(pk, names.get(pk, f"#{pk}"), n) for pk, n in rows]
        cache.set(BUSIEST_ARTICLES_KEY, busiest, STATUS_COUNTS_TTL)
    return busiest


def forget_status_counts() -> None:
    """Drop the cached counts (per status, per article); the next page load recounts."""
    cache.delete_many([STATUS_COUNTS_KEY, BUSIEST_ARTICLES_KEY])


def _stale_message(comment_pk: int, expected: int, current: Comment) -> str:
    last: ModerationDecision | None = (
        ModerationDecision.objects.filter(comment_id=comment_pk)
        .select_related("moderator")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if last is None:
        what = f"it changed (now {current.get_status_display().lower()})"
    else:
        what = (
            f"{last.moderator.get_username()} {VERB[Comment.Status(last.to_status)]} it at "
            f"{describe_time(last.decided_at)}"
        )
    return (
        f"Not applied to comment #{comment_pk}: {what} after your view was loaded "
        f"(you saw version {expected}, it is now version {current.version}). "
        "Reload the queue to see the current decision."
    )


def explain_stale(comment_pk: int, expected_version: int) -> str | None:
    """Why a decision taken on `expected_version` would be refused, or None if it would not."""
    current = Comment.objects.filter(pk=comment_pk).only("pk", "status", "version").first()
    if current is None:
        return f"Comment #{comment_pk} no longer exists."
    if current.version == expected_version:
        return None
    return _stale_message(comment_pk, expected_version, current)


def check_not_stale(comment_pk: int, expected_version: int) -> None:
    """Refuse (`StaleDecision`) if the comment moved on from the version the moderator saw.

    Locks the row until the surrounding transaction ends."""
    current = Comment.objects.select_for_update().only("pk", "status", "version").get(pk=comment_pk)
    if current.version != expected_version:
        raise StaleDecision(_stale_message(comment_pk, expected_version, current))


def _decide(
    comment: Comment,
    *,
    moderator: Actor,
    to_status: CommentStatus,
    reason: str,
    expected_version: int | None,
) -> Comment:
    require_perm(moderator, "articles.moderate_comment", "moderate comments")
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        verb = "reject" if to_status == Comment.Status.REJECTED else "mark as spam"
        raise ModerationError(
            f"Give a reason to {verb} comment #{comment.pk}; it is kept with the decision."
        )
    expected = comment.version if expected_version is None else expected_version
    with transaction.atomic():
        current = (
            Comment.objects.select_for_update()
            .only("pk", "status", "version", "article_id")
            .get(pk=comment.pk)
        )
        if current.version != expected:
            raise StaleDecision(_stale_message(comment.pk, expected, current))
        if current.status == to_status:
            raise ModerationError(f"Comment #{comment.pk} is already {VERB[to_status]}.")
        updated = Comment.objects.filter(pk=comment.pk, version=expected).update(
            status=to_status, version=F("version") + 1
        )
        if updated != 1:  # only where the row lock is a no-op (SQLite)
            current.refresh_from_db(fields=["status", "version"])
            raise StaleDecision(_stale_message(comment.pk, expected, current))
        ModerationDecision.objects.create(
            comment_id=comment.pk,
            moderator_id=moderator.pk,
            from_status=current.status,
            to_status=to_status,
            reason=reason,
            decided_at=timezone.now(),
        )
        # Now, and again once committed, in case a page load recounted in between.
        forget_status_counts()
        transaction.on_commit(forget_status_counts)
        comment_was_moderated(
            comment_id=comment.pk,
            article_id=current.article_id,
            from_status=current.status,
            to_status=to_status,
        )
    comment.status = to_status
    comment.version = expected + 1
    return comment


def approve_comment(
    comment: Comment, *, moderator: Actor, reason: str = "", expected_version: int | None = None
) -> Comment:
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.APPROVED,
        reason=reason,
        expected_version=expected_version,
    )


def reject_comment(
    comment: Comment, *, moderator: Actor, reason: str, expected_version: int | None = None
) -> Comment:
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.REJECTED,
        reason=reason,
        expected_version=expected_version,
    )


def mark_spam(
    comment: Comment, *, moderator: Actor, reason: str, expected_version: int | None = None
) -> Comment:
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.SPAM,
        reason=reason,
        expected_version=expected_version,
    )


DECIDE = {
    Comment.Status.APPROVED: approve_comment,
    Comment.Status.REJECTED: reject_comment,
    Comment.Status.SPAM: mark_spam,
}
