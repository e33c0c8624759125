"""Articles (reporting only) and the corrections published on them."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from articles.models.coverage import LINK_MODELS, LinkStatus
from negotiations.models import Meeting, Official, Round, SlugManager, TariffMeasure, choices_check

_M = TypeVar("_M", bound=models.Model)


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def drafts(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.DRAFT)

    @staticmethod
    def review_conditions() -> dict[str, Q]:
        """What puts an article on the desk's "needs review" list, by name."""
        open_suggestions = [
            Exists(model.objects.filter(article=OuterRef("pk"), status=LinkStatus.SUGGESTED))
            for model in LINK_MODELS
        ]
        return {
            "headline": Q(headline=""),
            "published_at": Q(published_at__isnull=True),
            "outlet": Q(outlet__isnull=True),
            "suggestions": Q(*open_suggestions, _connector=Q.OR),
            "source_changed": Q(source_changed=True),
            "importer": ~Q(needs_review=[]),
        }

    def needing_review(self) -> ArticleQuerySet:
        """Articles missing a headline, a date or an outlet, with unconfirmed suggestions,
        with a changed raw page, or with fields the importer could not establish."""
        return self.filter(Q(*self.review_conditions().values(), _connector=Q.OR))

    def with_sources(self) -> ArticleQuerySet:
        return self.select_related("outlet", "wire")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


class ReviewItem(models.TextChoices):
    """Fields the importer could not establish from the page itself."""

    HEADLINE = "headline", "Headline"
    PUBLISHED_AT = "published_at", "Published time"
    OUTLET = "outlet", "Outlet"
    BYLINE = "byline", "Byline"
    BODY = "body", "Body"


class Article(models.Model):
    Status = ArticleStatus

    ReviewItem = ReviewItem

    headline = models.CharField(max_length=300, blank=True)
    headline_by_editor = models.BooleanField(
        default=False, help_text="Tick when the page had no headline and an editor wrote this one."
    )
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Reporting only: no comments, no page chrome.")
    byline = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_time_known = models.BooleanField(
        default=False,
        help_text=(
            "The page stated the time of day and its zone. When it gave only a date, "
            "published_at holds that date at 12:00 UTC and this stays off."
        ),
    )
    outlet = models.ForeignKey(
        "articles.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_articles",
    )
    wire = models.ForeignKey(
        "articles.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wire_articles",
        help_text="The wire credited for the copy, where one is.",
    )
    photo_caption = models.TextField(blank=True)
    photo_credit = models.CharField(max_length=300, blank=True)
    copyright_line = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, default="en", db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    needs_review = models.JSONField(
        default=list,
        blank=True,
        help_text="What the importer could not find on the page and an editor must establish.",
    )
    source_changed = models.BooleanField(
        default=False, help_text="A changed version of the raw page arrived after import."
    )
    comments_open = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)

    rounds = models.ManyToManyField(Round, through="articles.RoundLink", related_name="articles")
    meetings = models.ManyToManyField(
        Meeting, through="articles.MeetingLink", related_name="articles"
    )
    officials = models.ManyToManyField(
        Official, through="articles.OfficialLink", related_name="articles"
    )
    measures = models.ManyToManyField(
        TariffMeasure, through="articles.MeasureLink", related_name="articles"
    )

    objects = SlugManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, unpublish and retract articles"),
            ("confirm_coverage", "Can confirm or reject suggested coverage links"),
        ]
        constraints = [
            choices_check("status", ArticleStatus, "article_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (~Q(headline="") & Q(published_at__isnull=False) & Q(outlet__isnull=False)),
                name="article_published_has_headline_time_outlet",
            ),
            models.CheckConstraint(
                condition=Q(wire__isnull=True) | ~Q(wire=F("outlet")),
                name="article_wire_differs_from_outlet",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.headline or f"[no headline] {self.slug}"

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_article_change", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class UUIDManager(models.Manager[_M]):
    """Looks records up by their natural key, a UUID."""

    def get_by_natural_key(self, uuid_value: str) -> _M:
        return self.get(uuid=uuid_value)


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class Correction(models.Model):
    Kind = CorrectionKind

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = UUIDManager["Correction"]()

    class Meta:
        ordering = ["article", "created_at", "id"]
        constraints = [
            choices_check("kind", CorrectionKind, "correction_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_required"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article}"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)
