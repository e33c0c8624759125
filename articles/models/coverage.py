"""Coverage links: which rounds, meetings, officials and measures an article reports.

Each link is its own row with its origin, the sentence that supports it, and who confirmed it
when. Links are editorial facts; rejected suggestions stay, so a re-import does not revive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.conf import settings
from django.db import models
from django.db.models import Q

from negotiations.models import Meeting, Official, Round, TariffMeasure, choices_check


class CoverageLinkQuerySet(models.QuerySet[Any]):
    def confirmed(self) -> CoverageLinkQuerySet:
        return self.filter(status=CoverageLink.Status.CONFIRMED)

    def suggested(self) -> CoverageLinkQuerySet:
        return self.filter(status=CoverageLink.Status.SUGGESTED)

    def rejected(self) -> CoverageLinkQuerySet:
        return self.filter(status=CoverageLink.Status.REJECTED)


class CoverageLinkManager(models.Manager[Any]):
    def get_by_natural_key(self, article_slug: str, *target_key: Any) -> Any:
        target_field = self.model.target_field
        target_model = self.model._meta.get_field(target_field).related_model
        target = target_model._default_manager.get_by_natural_key(*target_key)
        return self.get(article__slug=article_slug, **{target_field: target})


class LinkOrigin(models.TextChoices):
    SUGGESTED = "suggested", "Suggested by the importer"
    EDITOR = "editor", "Added by an editor"


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class LinkBasis(models.TextChoices):
    """Why the importer suggested a link: what it matched in the evidence sentence."""

    ALIAS = "alias", "Name or alias"
    SPELLING = "spelling", "Close spelling of a name"
    ORDINAL = "ordinal", "Round ordinal"
    DATE = "date", "Article date within the round"
    RATE = "rate", "Rate + product"
    DURATION = "duration", "Meeting length and participants"


class CoverageLink(models.Model):
    """What every kind of link shares. Concrete links add the target and its constraints."""

    Origin = LinkOrigin

    Status = LinkStatus

    Basis = LinkBasis

    target_field: ClassVar[str]

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EDITOR)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    evidence = models.TextField(help_text="The sentence in the article that supports the link.")
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        blank=True,
        help_text="Why the importer suggested the link; empty for an editor's own link.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="The importer's reason as it worded it."
    )
    matched = models.JSONField(
        default=list,
        blank=True,
        help_text="The words of the evidence the importer matched, highlighted on the desk.",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoverageLinkManager.from_queryset(CoverageLinkQuerySet)()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.article} → {getattr(self, self.target_field)} ({self.status})"

    def natural_key(self) -> tuple[Any, ...]:
        target = getattr(self, self.target_field)
        return (self.article.slug, *target.natural_key())

    @property
    def target(self) -> models.Model:
        return getattr(self, self.target_field)


def link_constraints(prefix: str, target_field: str) -> list[models.BaseConstraint]:
    """The invariants every link table carries, named for that table."""
    return [
        models.UniqueConstraint(fields=["article", target_field], name=f"{prefix}_one_per_article"),
        choices_check("origin", CoverageLink.Origin, f"{prefix}_origin_valid"),
        choices_check("status", CoverageLink.Status, f"{prefix}_status_valid"),
        models.CheckConstraint(
            condition=Q(basis="") | Q(basis__in=LinkBasis.values), name=f"{prefix}_basis_valid"
        ),
        models.CheckConstraint(condition=~Q(evidence=""), name=f"{prefix}_evidence_required"),
        models.CheckConstraint(
            condition=~Q(status="confirmed")
            | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
            name=f"{prefix}_confirmed_has_confirmer",
        ),
    ]


class RoundLink(CoverageLink):
    target_field = "round"
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="article_links")

    class Meta:
        ordering = ["article", "round"]
        constraints = link_constraints("roundlink", "round")


class MeetingLink(CoverageLink):
    target_field = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="article_links")

    class Meta:
        ordering = ["article", "meeting"]
        constraints = link_constraints("meetinglink", "meeting")


class OfficialLink(CoverageLink):
    target_field = "official"
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="article_links")

    class Meta:
        ordering = ["article", "official"]
        constraints = link_constraints("officiallink", "official")


class MeasureLink(CoverageLink):
    target_field = "measure"
    measure = models.ForeignKey(
        TariffMeasure, on_delete=models.PROTECT, related_name="article_links"
    )

    class Meta:
        ordering = ["article", "measure"]
        constraints = link_constraints("measurelink", "measure")


@dataclass(frozen=True)
class LinkKind:
    """One kind of coverage link: its name (the importer's suggestion kind, the import report's
    and the API's word for it), its table, and the target field that names a target in the API
    (a round's number, the others' slugs)."""

    name: str
    model: type[CoverageLink]
    key: str

    @property
    def plural(self) -> str:
        """The name of the kind's list in the API's coverage ("rounds")."""
        return f"{self.name}s"

    @property
    def target_field(self) -> str:
        return self.model.target_field

    @property
    def target_column(self) -> str:
        """The link's attribute holding the target's id ("round_id")."""
        return str(self.model._meta.get_field(self.target_field).attname)  # type: ignore[union-attr]

    @property
    def target_model(self) -> type[models.Model]:
        return cast(type[models.Model], self.model._meta.get_field(self.target_field).related_model)

    @property
    def related_name(self) -> str:
        """The article's accessor for its links of this kind ("roundlinks")."""
        return f"{self.model._meta.model_name}s"


# The one registry of coverage-link kinds, in the order the desk, the importer and the API list
# them. Code that treats links alike reads it (or LINK_MODELS, its tables) rather than naming
# the four kinds again.
LINK_KINDS: dict[str, LinkKind] = {
    kind.name: kind
    for kind in (
        LinkKind("round", RoundLink, key="number"),
        LinkKind("meeting", MeetingLink, key="slug"),
        LinkKind("official", OfficialLink, key="slug"),
        LinkKind("measure", MeasureLink, key="slug"),
    )
}
LINK_MODELS: tuple[type[CoverageLink], ...] = tuple(kind.model for kind in LINK_KINDS.values())
