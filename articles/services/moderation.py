"""Moderation of reader comments: approve, reject, mark as spam.

Each decision is one atomic function taking the moderator as a keyword and the comment
version the moderator saw. The row is locked and the update is conditional
(`UPDATE ... WHERE id = ? AND version = ?`), so when two moderators decide on the same
comment at once exactly one decision is applied; the other is refused with `StaleDecision`,
never applied over it. Every applied decision writes a `ModerationDecision` row, with its
reason: a preset code (`ModerationDecision.Reason`, required to reject or mark as spam) and
free text (required with the code "other").

A moderator can take back their own last decision on a comment while it is fresh
(`undo_decision`, within `UNDO_WINDOW` and only while nothing happened to the comment since):
the undo is itself a decision row pointing at the one it undoes, so the log keeps both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from articles.models import Comment, ModerationDecision
from articles.models.comments import CommentStatus
from articles.services.audit import Actor, ServiceError, describe_time, require_perm
from articles.services.queue_counts import count_decision
from articles.signals import comment_was_moderated

UNDO_WINDOW = datetime.timedelta(minutes=2)
Reason = ModerationDecision.Reason
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


@dataclass(frozen=True)
class Choice:
    """What a moderator chose for one comment: the decision and its reason (code and words)."""

    to_status: CommentStatus
    reason_code: str = ""
    reason: str = ""


def reason_problem(to_status: str, reason_code: str, reason: str) -> str | None:
    """Why this reason does not do for this decision (a sentence to show), or None if it does.
    The one definition of the rule the database's constraints hold. Words without a code
    are kept under the code "other"."""
    if reason_code and reason_code not in Reason.values:
        return f"“{reason_code}” is not a reason; choose one of {', '.join(Reason.labels)}."
    if reason_code and to_status not in REASON_REQUIRED:
        return "A reason code goes with rejecting or marking as spam only."
    if to_status in REASON_REQUIRED and not reason_code and not reason.strip():
        verb = "reject" if to_status == Comment.Status.REJECTED else "mark as spam"
        return f"Choose a reason to {verb}: {', '.join(Reason.labels)}."
    if reason_code == Reason.OTHER and not reason.strip():
        return "Say in words why, with the reason “Other”."
    return None


@dataclass(frozen=True)
class ModerationSummary:
    pending: int
    oldest_pending: datetime.datetime | None
    oldest_pending_id: int | None
    decided_today: int
    decided_today_by_me: int


def moderation_summary(
    moderator: Actor, *, now: datetime.datetime | None = None
) -> ModerationSummary:
    """The moderator's inbox: pending comments and the oldest one's arrival, and the decisions
    taken since midnight (in the desk's time zone), all and the moderator's. Three queries,
    each on an index, whatever the size of the queue."""
    now = now or timezone.now()
    pending = Comment.objects.filter(status=Comment.Status.PENDING).aggregate(n=Count("pk"))["n"]
    oldest = Comment.objects.in_moderation().values_list("pk", "created_at").first()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = ModerationDecision.objects.filter(decided_at__gte=midnight, decided_at__lte=now)
    counts = today.aggregate(all=Count("pk"), mine=Count("pk", filter=Q(moderator_id=moderator.pk)))
    return ModerationSummary(
        pending=pending,
        oldest_pending=oldest[1] if oldest else None,
        oldest_pending_id=oldest[0] if oldest else None,
        decided_today=counts["all"],
        decided_today_by_me=counts["mine"],
    )


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
    reason_code: str = "",
    undoes: ModerationDecision | None = None,
) -> Comment:
    require_perm(moderator, "articles.moderate_comment", "moderate comments")
    reason = reason.strip()
    if reason and not reason_code and to_status in REASON_REQUIRED:
        reason_code = Reason.OTHER  # a reason given in words only
    problem = reason_problem(to_status, reason_code, reason)
    if problem:
        raise ModerationError(f"Nothing was decided on comment #{comment.pk}. {problem}")
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
            reason_code=reason_code,
            reason=reason,
            decided_at=timezone.now(),
            undoes=undoes,
        )
        # The queue's numbers follow the decision once it is committed: no recount.
        transaction.on_commit(
            partial(
                count_decision,
                article_id=current.article_id,
                from_status=current.status,
                to_status=to_status,
            ),
            robust=True,
        )
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
    comment: Comment,
    *,
    moderator: Actor,
    reason: str = "",
    expected_version: int | None = None,
    reason_code: str = "",
) -> Comment:
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.APPROVED,
        reason=reason,
        reason_code=reason_code,
        expected_version=expected_version,
    )


def reject_comment(
    comment: Comment,
    *,
    moderator: Actor,
    reason: str = "",
    expected_version: int | None = None,
    reason_code: str = "",
) -> Comment:
    """Reject with a reason code (or, given only words, the code "other")."""
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.REJECTED,
        reason=reason,
        reason_code=reason_code,
        expected_version=expected_version,
    )


def mark_spam(
    comment: Comment,
    *,
    moderator: Actor,
    reason: str = "",
    expected_version: int | None = None,
    reason_code: str = "",
) -> Comment:
    return _decide(
        comment,
        moderator=moderator,
        to_status=Comment.Status.SPAM,
        reason=reason,
        reason_code=reason_code,
        expected_version=expected_version,
    )


def decide(
    comment: Comment, choice: Choice, *, moderator: Actor, expected_version: int | None
) -> Comment:
    """Apply what the moderator chose (the queue's buttons, the comment page, bulk)."""
    return _decide(
        comment,
        moderator=moderator,
        to_status=choice.to_status,
        reason=choice.reason,
        reason_code=choice.reason_code,
        expected_version=expected_version,
    )


def undoable_decision(
    moderator: Actor, *, now: datetime.datetime | None = None
) -> ModerationDecision | None:
    """The moderator's last decision if it can still be undone (taken within UNDO_WINDOW, not
    an undo, and nothing decided on the comment since, an undo included); else None. One query."""
    now = now or timezone.now()
    later = ModerationDecision.objects.filter(
        comment_id=OuterRef("comment_id"), pk__gt=OuterRef("pk")
    )
    last: ModerationDecision | None = (
        ModerationDecision.objects.filter(moderator_id=moderator.pk, undoes__isnull=True)
        .filter(decided_at__gt=now - UNDO_WINDOW)
        .annotate(superseded=Exists(later))
        .select_related("comment", "comment__article")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if last is None or getattr(last, "superseded", False):
        return None
    return last


def undo_decision(
    decision: ModerationDecision, *, moderator: Actor, now: datetime.datetime | None = None
) -> Comment:
    """Take back `decision`: the comment returns to the status it had before, recorded as a
    decision that points at the one it undoes. Refused (ModerationError, nothing written) when
    it is not the moderator's own, is older than UNDO_WINDOW, is itself an undo, was undone
    already, or the comment was decided on again since."""
    require_perm(moderator, "articles.moderate_comment", "moderate comments")
    now = now or timezone.now()
    what = f"your decision on comment #{decision.comment_id}"
    if decision.moderator_id != moderator.pk:
        raise ModerationError("Not undone: only the moderator who took a decision can undo it.")
    if decision.undoes_id is not None:
        raise ModerationError(f"Not undone: {what} was itself an undo; decide the comment again.")
    if now - decision.decided_at > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        raise ModerationError(
            f"Not undone: {what} was taken at {describe_time(decision.decided_at)}, more than "
            f"{minutes} minutes ago. Open the comment and decide it again instead."
        )
    with transaction.atomic():
        current = (
            Comment.objects.select_for_update()
            .only("pk", "status", "version")
            .get(pk=decision.comment_id)
        )
        if ModerationDecision.objects.filter(undoes=decision).exists():
            raise ModerationError(f"Not undone: {what} was undone already.")
        later = ModerationDecision.objects.filter(
            comment_id=decision.comment_id, pk__gt=decision.pk
        )
        if later.exists() or current.status != decision.to_status:
            raise ModerationError(
                f"Not undone: comment #{decision.comment_id} was decided again after "
                f"{what}; reload the queue to see its current status."
            )
        back = Comment.Status(decision.from_status)
        return _decide(
            current,
            moderator=moderator,
            to_status=back,
            reason=f"Undid the decision of {describe_time(decision.decided_at)}.",
            reason_code=Reason.OTHER if back in REASON_REQUIRED else "",
            expected_version=current.version,
            undoes=decision,
        )


DECIDE = {
    Comment.Status.APPROVED: approve_comment,
    Comment.Status.REJECTED: reject_comment,
    Comment.Status.SPAM: mark_spam,
}
