"""Articles (reporting only) and the corrections published on them."""

from __future__ import annotations

import datetime
import hashlib
import uuid
import zoneinfo
from typing import TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
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
            # What the importer could not establish, leaving out what publishing does not
            # need (a byline): that is listed apart, never counted as needing review.
            "importer": Q(
                *(~Q(needs_review=items) for items in ([], *OPTIONAL_REVIEW_SETS)),
                _connector=Q.AND,
            ),
        }

    def needing_review(self) -> ArticleQuerySet:
        """Articles missing a headline, a date or an outlet, with unconfirmed suggestions,
        with a changed raw page, or with fields the importer could not establish."""
        return self.filter(Q(*self.review_conditions().values(), _connector=Q.OR))

    def unique_slug(self, base: str, *, exclude_pk: int | None = None) -> str:
        """`base`, or `base-2`, `base-3`, ...: the first no other article holds."""
        return self.unique_slugs([base], exclude_pk=exclude_pk)[0]

    def unique_slugs(
        self, bases: list[str], *, exclude_pk: int | None = None, hold: bool = False
    ) -> list[str]:
        """`unique_slug` of each base, none given twice: one query for all of them (the
        importer's batches). With `hold`, inside a transaction, each base is locked until the
        transaction ends (PostgreSQL's advisory locks, in one order), so another process
        choosing a slug from the same base waits and then sees this one's: two import workers
        with one headline do not pick the same slug. SQLite has one writer at a time."""
        db = connections[self.db]
        if hold and db.vendor == "postgresql":
            keys = sorted({_lock_key(base) for base in bases})
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(k) FROM "
                    "(SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS ordered",
                    [keys],
                )
        condition = Q()
        for base in set(bases):
            condition |= Q(slug__startswith=base)
        others = Article.objects.filter(condition)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        taken = set(others.values_list("slug", flat=True))
        slugs = []
        for base in bases:
            slug, counter = base, 2
            while slug in taken:
                slug, counter = f"{base}-{counter}", counter + 1
            taken.add(slug)
            slugs.append(slug)
        return slugs

    def with_sources(self) -> ArticleQuerySet:
        return self.select_related("outlet", "wire")


def _lock_key(base: str) -> int:
    """A slug base as a signed 64-bit advisory lock key."""
    digest = hashlib.blake2b(f"article-slug:{base}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


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


# The zones the desk enters and shows an article's time in: the page's own. Names are IANA's;
# labels give the abbreviation the pages print.
TIME_ZONES = (
    ("Asia/Tokyo", "JST (Asia/Tokyo)"),
    ("America/New_York", "ET (America/New_York)"),
    ("UTC", "UTC"),
    ("Asia/Seoul", "KST (Asia/Seoul)"),
    ("Europe/London", "UK time (Europe/London)"),
)
ZONE_ABBREVIATIONS = {"Asia/Tokyo": "JST", "Asia/Seoul": "KST", "UTC": "UTC"}


# Statuses in which the article has been published: its slug is fixed.
SLUG_FIXED_STATUSES = (ArticleStatus.PUBLISHED.value, ArticleStatus.RETRACTED.value)

# Review items an editor may fill in but publishing does not need; listed apart.
OPTIONAL_REVIEW_ITEMS = (ReviewItem.BYLINE.value,)
# The needs_review values made of optional items only (the importer stores them in this order).
OPTIONAL_REVIEW_SETS = tuple([item] for item in OPTIONAL_REVIEW_ITEMS)


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
    time_zone = models.CharField(
        max_length=40,
        choices=TIME_ZONES,
        default="Asia/Tokyo",
        help_text="The zone the page states its time in; the time is entered and shown in it.",
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
            models.CheckConstraint(
                condition=Q(time_zone__in=[name for name, _ in TIME_ZONES]),
                name="article_time_zone_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.headline or f"[no headline] {self.slug}"

    def get_absolute_url(self) -> str:
        """The reader-facing page (a draft's preview, for staff only)."""
        return reverse("article-page", kwargs={"slug": self.slug})

    @property
    def slug_fixed(self) -> bool:
        """Once published (and after, retracted), the slug never changes: it is the public
        address. The database refuses a change too (trigger `article_slug_fixed`)."""
        return self.status in SLUG_FIXED_STATUSES

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_label(self) -> str:
        """The zone as the pages print it ("JST")."""
        if self.time_zone in ZONE_ABBREVIATIONS:
            return ZONE_ABBREVIATIONS[self.time_zone]
        local = self.published_at.astimezone(self.zone) if self.published_at else None
        return (local.tzname() if local else None) or self.time_zone

    def local_published_at(self) -> datetime.datetime | None:
        return self.published_at.astimezone(self.zone) if self.published_at else None

    def review_items(self) -> tuple[list[str], list[str]]:
        """The importer's review items as labels: (what an editor must establish, what is
        optional)."""
        labels = dict(ReviewItem.choices)
        required = [
            str(labels.get(item, item))
            for item in self.needs_review
            if item not in OPTIONAL_REVIEW_ITEMS
        ]
        optional = [
            str(labels.get(item, item))
            for item in self.needs_review
            if item in OPTIONAL_REVIEW_ITEMS
        ]
        return required, optional

    def missing_for_publication(self, *, has_confirmed_round: bool | None = None) -> list[str]:
        """What publishing still needs: the one definition of that rule. A headline, a
        published time, an outlet and a confirmed round link (looked up unless given)."""
        missing = []
        if not self.headline.strip():
            missing.append("a headline")
        if self.published_at is None:
            missing.append("a published time")
        if self.outlet_id is None:
            missing.append("an outlet")
        if has_confirmed_round is None:
            has_confirmed_round = (
                self.pk is not None and self.roundlinks.filter(status=LinkStatus.CONFIRMED).exists()
            )
        if not has_confirmed_round:
            missing.append("a confirmed round link")
        return missing

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
