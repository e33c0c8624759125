"""Reader comments and the moderation decisions taken on them. Never part of the reporting."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from articles.models.articles import Article, UUIDManager
from negotiations.models import choices_check


class CommentQuerySet(models.QuerySet["Comment"]):
    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self) -> CommentQuerySet:
        """The moderation queue: pending comments, oldest first."""
        return self.pending().order_by("created_at", "id")


class CommentManager(UUIDManager["Comment"]):
    pass


class CommentOrigin(models.TextChoices):
    IMPORTED = "imported", "Imported with the page"
    API = "api", "Submitted through the API"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class ReasonCode(models.TextChoices):
    """Why a comment was rejected or marked as spam: a preset code, with free text beside it."""

    OFF_TOPIC = "off_topic", "Off-topic"
    ABUSE = "abuse", "Abuse"
    SPAM = "spam", "Spam"
    PERSONAL_DATA = "personal_data", "Personal data"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


class Comment(models.Model):
    Origin = CommentOrigin

    Status = CommentStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    raw_document = models.ForeignKey(
        "articles.RawDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Order on the imported page."
    )
    author_handle = models.CharField(max_length=100, blank=True)
    body = models.TextField(help_text="Plain text; never rendered as HTML.")
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The time as the page showed it ('Today 06:39 pm JST').",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, db_index=True)
    score = models.IntegerField(null=True, blank=True)
    votes_up = models.PositiveIntegerField(null=True, blank=True)
    votes_down = models.PositiveIntegerField(null=True, blank=True)
    quoted_text = models.TextField(blank=True, help_text="Text the comment quotes.")
    quotes_comment = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quoted_by"
    )
    quotes_headline = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every decision.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]
        constraints = [
            choices_check("origin", CommentOrigin, "comment_origin_valid"),
            choices_check("status", CommentStatus, "comment_status_valid"),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_required"),
            models.CheckConstraint(condition=Q(version__gte=1), name="comment_version_positive"),
            models.CheckConstraint(
                condition=Q(origin="imported")
                | (Q(score__isnull=True) & Q(votes_up__isnull=True) & Q(votes_down__isnull=True)),
                name="comment_tally_only_when_imported",
            ),
            models.CheckConstraint(
                condition=Q(quotes_comment__isnull=True) | ~Q(quotes_comment=F("pk")),
                name="comment_not_quoting_itself",
            ),
            models.UniqueConstraint(
                fields=["raw_document", "position"], name="comment_position_unique_per_page"
            ),
        ]
        indexes = [
            # One per ordering the moderation queue offers, each with and without the status
            # filter, so every page is an index walk (a deep page an index-only one).
            # By age (the queue's order):
            models.Index(fields=["status", "created_at", "id"], name="comment_queue_idx"),
            models.Index(fields=["created_at", "id"], name="comment_created_idx"),
            # By number (the "#" column; without the status filter, the primary key):
            models.Index(fields=["status", "id"], name="comment_status_id_idx"),
            # One article's comments by status and age (the article filter, the API), and the
            # busiest articles' pending counts, index-only.
            models.Index(
                fields=["status", "article", "created_at", "id"], name="comment_status_article_idx"
            ),
        ]

    def __str__(self) -> str:
        who = self.author_handle or "anonymous"
        return f"{who} on {self.article_id}: {self.body[:40]}"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)


class ModerationDecision(models.Model):
    """Who moved which comment from which status to which, when, and why."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_decisions"
    )
    from_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    Reason = ReasonCode

    reason_code = models.CharField(
        max_length=20,
        choices=ReasonCode.choices,
        blank=True,
        help_text="Required to reject or mark as spam; “other” needs the reason in words.",
    )
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(db_index=True)
    undoes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undone_by",
        help_text="The decision this one took back (an undo); a decision is undone at most once.",
    )

    objects = UUIDManager["ModerationDecision"]()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            choices_check("from_status", Comment.Status, "decision_from_valid"),
            choices_check("to_status", Comment.Status, "decision_to_valid"),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="decision_changes_status"
            ),
            models.CheckConstraint(
                condition=Q(reason_code="") | Q(reason_code__in=ReasonCode.values),
                name="decision_reason_code_valid",
            ),
            models.CheckConstraint(
                condition=~Q(to_status__in=["rejected", "spam"]) | ~Q(reason_code=""),
                name="decision_reason_code_for_reject_and_spam",
            ),
            models.CheckConstraint(
                condition=Q(to_status__in=["rejected", "spam"]) | Q(reason_code=""),
                name="decision_reason_code_only_to_refuse",
            ),
            models.CheckConstraint(
                condition=~Q(reason_code="other") | ~Q(reason=""),
                name="decision_other_reason_in_words",
            ),
            models.CheckConstraint(
                condition=Q(undoes__isnull=True) | ~Q(undoes=F("pk")),
                name="decision_not_undoing_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} by {self.moderator_id}"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)
