"""The negotiation's record: officials, rounds, meetings and tariff measures.

This app knows nothing of articles; coverage of these records lives in `articles`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """A CheckConstraint that keeps `field` within its TextChoices at the database level."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Country(models.TextChoices):
    JAPAN = "JP", "Japan"
    UNITED_STATES = "US", "United States"


class SlugManager(models.Manager[Any]):
    """Looks records up by their natural key, a unique slug."""

    def get_by_natural_key(self, slug: str) -> Any:
        return self.get(slug=slug)


class OfficialQuerySet(models.QuerySet["Official"]):
    def with_aliases(self) -> OfficialQuerySet:
        return self.prefetch_related("aliases")


class Official(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = models.CharField(max_length=2, choices=Country.choices, db_index=True)
    organisation = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300, help_text="Role held during the 2025 talks.")
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True, help_text="Titles or names coverage gets wrong, and why.")

    objects = SlugManager.from_queryset(OfficialQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [choices_check("country", Country, "official_country_valid")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class OfficialAliasManager(models.Manager["OfficialAlias"]):
    def get_by_natural_key(self, alias: str) -> OfficialAlias:
        return self.get(alias=alias)

    def resolve(self, spelling: str) -> Official | None:
        """The official a spelling seen in coverage stands for, case-insensitively."""
        alias = self.select_related("official").filter(alias__iexact=spelling.strip()).first()
        return alias.official if alias else None


class AliasKind(models.TextChoices):
    CANONICAL = "canonical", "Canonical name"
    MISSPELLING = "misspelling", "Misspelling"
    TRANSLITERATION = "transliteration", "Transliteration"
    FAMILY_NAME_FIRST = "family_name_first", "Family name first"
    SHORT_FORM = "short_form", "Short form"
    NATIVE_SCRIPT = "native_script", "Name in another script"


class OfficialAlias(models.Model):
    Kind = AliasKind

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    objects = OfficialAliasManager()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "official aliases"
        constraints = [
            models.UniqueConstraint(Lower("alias"), name="officialalias_alias_unique_ci"),
            models.CheckConstraint(condition=~Q(alias=""), name="officialalias_alias_not_blank"),
            choices_check("kind", AliasKind, "officialalias_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.official_id and self.official.name}"

    def natural_key(self) -> tuple[str]:
        return (self.alias,)

    natural_key.dependencies = ["negotiations.official"]  # type: ignore[attr-defined]


class Negotiation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class RoundQuerySet(models.QuerySet["Round"]):
    def held(self) -> RoundQuerySet:
        return self.filter(status=Round.Status.HELD)

    def on(self, day: datetime.date) -> RoundQuerySet:
        """Rounds whose dates include `day`."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__gte=day) | Q(end_date__isnull=True, start_date=day)
        )

    def with_article_count(self) -> RoundQuerySet:
        """Annotate `article_count`: distinct articles linked to the round (any link status).

        The reverse relation is declared by `articles`; this app only names it.
        """
        return self.annotate(article_count=models.Count("article_links__article", distinct=True))


class RoundManager(models.Manager["Round"]):
    def get_by_natural_key(self, negotiation_slug: str, number: int) -> Round:
        return self.get(negotiation__slug=negotiation_slug, number=number)


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class Round(models.Model):
    Status = RoundStatus

    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    summary = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, help_text="The source this record follows.")
    other_source_urls = models.JSONField(default=list, blank=True)
    note = models.TextField(
        blank=True, help_text="Where sources disagree, and which one we follow."
    )

    objects = RoundManager.from_queryset(RoundQuerySet)()

    class Meta:
        ordering = ["negotiation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="round_end_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(source_url=""), name="round_source_url_required"),
            choices_check("status", RoundStatus, "round_status_valid"),
        ]
        indexes = [models.Index(fields=["status"], name="round_status_idx")]

    def __str__(self) -> str:
        return f"Round {self.number} ({self.start_date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("admin:negotiations_round_change", args=[self.pk])

    def natural_key(self) -> tuple[str, int]:
        return (self.negotiation.slug, self.number)

    natural_key.dependencies = ["negotiations.negotiation"]  # type: ignore[attr-defined]


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"


class Meeting(models.Model):
    Mode = MeetingMode

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    start_date = models.DateField(db_index=True)
    start_time = models.TimeField(null=True, blank=True, help_text="Local time, where reported.")
    time_zone = models.CharField(
        max_length=64, default="America/New_York", help_text="IANA zone of the place."
    )
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    duration_approximate = models.BooleanField(
        default=False, help_text="Reported as 'about', 'over' or 'some' minutes."
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField(Official, related_name="meetings", blank=True)
    outcome = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, help_text="The source this record follows.")
    other_source_urls = models.JSONField(default=list, blank=True)
    note = models.TextField(
        blank=True, help_text="Where sources disagree, and which one we follow."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["start_date", "start_time", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="meeting_duration_positive",
            ),
            models.CheckConstraint(condition=~Q(source_url=""), name="meeting_source_url_required"),
            models.CheckConstraint(condition=~Q(time_zone=""), name="meeting_time_zone_required"),
            choices_check("mode", MeetingMode, "meeting_mode_valid"),
        ]
        indexes = [models.Index(fields=["mode"], name="meeting_mode_idx")]

    def __str__(self) -> str:
        return f"{self.start_date:%d %b %Y}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("admin:negotiations_meeting_change", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware start time, or None where the time of day was not reported."""
        if self.start_time is None:
            return None
        return datetime.datetime.combine(
            self.start_date, self.start_time, tzinfo=zoneinfo.ZoneInfo(self.time_zone)
        )


class TariffMeasureQuerySet(models.QuerySet["TariffMeasure"]):
    def in_force_on(self, day: datetime.date) -> TariffMeasureQuerySet:
        """Measures that applied on `day`: effective on or before it and not yet ended.

        A measure that never took effect (threatened, announced) has no effective date; one
        suspended the day it started ends that same day and so is in force on no day.
        """
        return self.filter(effective_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=day)
        )

    def affecting(self, country: str) -> TariffMeasureQuerySet:
        return self.filter(affected_country=country)


class ProductScope(models.TextChoices):
    ALL_GOODS = "all_goods", "All goods"
    AUTOS = "autos", "Autos"
    AUTO_PARTS = "auto_parts", "Auto parts"
    STEEL = "steel", "Steel"
    ALUMINUM = "aluminum", "Aluminum"
    OTHER = "other", "Other"


class LegalBasis(models.TextChoices):
    SECTION_232 = "section_232", "Section 232"
    IEEPA = "ieepa", "IEEPA"
    NONE = "none", "None (threat or announcement)"
    OTHER = "other", "Other"


class RateApplication(models.TextChoices):
    ADDED = "added", "Added on top of the MFN rate"
    INCLUSIVE = "inclusive", "Inclusive of the MFN rate"
    METAL_CONTENT = "metal_content", "On the metal content"
    UNSTATED = "unstated", "Not stated by the source"


class MeasureStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    THREATENED = "threatened", "Threatened"
    IN_FORCE = "in_force", "In force"
    SUSPENDED = "suspended", "Suspended"
    SUPERSEDED = "superseded", "Superseded"
    STRUCK_DOWN = "struck_down", "Struck down"


class TariffMeasure(models.Model):
    ProductScope = ProductScope

    LegalBasis = LegalBasis

    RateApplication = RateApplication

    Status = MeasureStatus

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    imposing_country = models.CharField(max_length=2, choices=Country.choices, default="US")
    affected_country = models.CharField(max_length=2, choices=Country.choices, default="JP")
    product_scope = models.CharField(max_length=20, choices=ProductScope.choices, db_index=True)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices, db_index=True)
    instrument = models.CharField(max_length=200, help_text="Proclamation or order number.")
    rate_percent = models.DecimalField(max_digits=7, decimal_places=2)
    rate_application = models.CharField(max_length=20, choices=RateApplication.choices)
    announced_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True, db_index=True)
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text="The measure that replaced this one.",
    )
    source_url = models.URLField(max_length=500, help_text="The primary source.")
    other_source_urls = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    objects = SlugManager.from_queryset(TariffMeasureQuerySet)()

    class Meta:
        ordering = ["effective_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__gte=0) & Q(rate_percent__lte=1000),
                name="tariffmeasure_rate_0_1000",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(ends_on__gte=F("effective_on")),
                name="tariffmeasure_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | ~Q(superseded_by=F("pk")),
                name="tariffmeasure_not_superseding_itself",
            ),
            models.CheckConstraint(
                condition=~Q(source_url=""), name="tariffmeasure_source_url_required"
            ),
            choices_check("imposing_country", Country, "tariffmeasure_imposing_valid"),
            choices_check("affected_country", Country, "tariffmeasure_affected_valid"),
            choices_check("product_scope", ProductScope, "tariffmeasure_scope_valid"),
            choices_check("legal_basis", LegalBasis, "tariffmeasure_basis_valid"),
            choices_check("rate_application", RateApplication, "tariffmeasure_application_valid"),
            choices_check("status", MeasureStatus, "tariffmeasure_status_valid"),
        ]

    def __str__(self) -> str:
        # "25%" and "27.5%" whether the rate came from the database (25.00) or was just set (25).
        return f"{self.name} ({Decimal(self.rate_percent).normalize():f}%)"

    def get_absolute_url(self) -> str:
        return reverse("admin:negotiations_tariffmeasure_change", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
