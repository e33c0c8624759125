"""Coverage links in admin.

- On an article: one inline per kind of link (round, meeting, official, measure) with
  autocomplete, the evidence, origin, status and who confirmed it when; existing rows take an
  accept/reject decision (see `ArticleAdmin.save_formset`).
- Each link table has its own changelist where suggestions are accepted or rejected in bulk:
  the actions work on the selection or, with "select all", on everything the filters match.
- On a round, a meeting, an official and a measure: the articles covering it, by link status,
  with counts. `negotiations` knows nothing of articles, so the record admins are extended here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles.admin.base import ServiceAuditedAdmin
from articles.admin.bulk import apply_each, report_refusals
from articles.forms import CoverageLinkInlineForm
from articles.models import (
    LINK_KINDS,
    CoverageLink,
    LinkKind,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
)
from articles.services.coverage import add_link, confirm_link, reject_link
from negotiations.admin import MeetingAdmin, OfficialAdmin, RoundAdmin, TariffMeasureAdmin
from negotiations.models import Meeting, Official, Round, TariffMeasure

STATUS_ORDER = Case(
    When(status=CoverageLink.Status.SUGGESTED, then=Value(0)),
    When(status=CoverageLink.Status.CONFIRMED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def has_confirm_permission(request: HttpRequest) -> bool:
    return request.user.has_perm("articles.confirm_coverage")


# On the article page.


class CoverageLinkInline(admin.TabularInline):
    """Links of one kind on the article page; suggestions first."""

    form = CoverageLinkInlineForm
    extra = 0
    can_delete = False  # a wrong link is rejected, so a re-import does not suggest it again
    readonly_fields = ("origin", "link_status", "confirmed_by", "confirmed_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            self.model.target_field,
            "evidence",
            "origin",
            "link_status",
            "decision",
            "seen_status",
            "confirmed_by",
            "confirmed_at",
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("article", self.model.target_field, "confirmed_by")
            .annotate(status_order=STATUS_ORDER)
            .order_by("status_order", "pk")
        )

    @admin.display(description="Status")
    def link_status(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "Confirmed when saved"  # an editor's own link needs no second look
        return str(obj.get_status_display())


def _link_inline(kind: LinkKind) -> type[CoverageLinkInline]:
    """The article page's inline for one kind of link, its target picked by autocomplete."""
    return type(
        f"{kind.model.__name__}Inline",
        (CoverageLinkInline,),
        {"model": kind.model, "autocomplete_fields": (kind.target_field,), "__module__": __name__},
    )


# One inline per kind in the registry, in its order.
LINK_INLINES = [_link_inline(kind) for kind in LINK_KINDS.values()]


# The link tables' own pages: bulk decisions over a filtered selection.


LINK_READONLY = ("origin", "status", "confirmed_by", "confirmed_at")


class CoverageLinkAdmin(ServiceAuditedAdmin):
    """A link table's changelist; subclasses name their target in the filters and fields."""

    list_display = (
        "article_link",
        "target_display",
        "status",
        "origin",
        "evidence_excerpt",
        "confirmed_by",
        "confirmed_at",
    )
    list_display_links = ("target_display",)
    search_fields = ("article__headline", "article__slug", "evidence")
    actions = ["accept_selected", "reject_selected"]
    show_full_result_count = False
    readonly_fields = LINK_READONLY

    @property
    def target_field(self) -> str:
        return str(self.model.target_field)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).order_by("-created_at", "-pk")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions are actions; the evidence is revised on the article page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_confirm_permission(self, request: HttpRequest) -> bool:
        return has_confirm_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        created = add_link(
            obj.article,
            editor=request.user,
            target=getattr(obj, self.target_field),
            evidence=obj.evidence,
        )
        obj.pk = created.pk

    @admin.display(description="Article", ordering="article__headline")
    def article_link(self, obj: Any) -> str:
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.article))

    @admin.display(description="Covers")
    def target_display(self, obj: Any) -> str:
        return str(obj.target)

    @admin.display(description="Evidence")
    def evidence_excerpt(self, obj: Any) -> str:
        return Truncator(obj.evidence).chars(140)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Any], decide: Any, done: str
    ) -> None:
        links = queryset.select_related("article", self.target_field, "confirmed_by")
        outcome = apply_each(links, lambda link: decide(link, editor=request.user))
        if outcome.applied:
            plural = "s" if outcome.applied != 1 else ""
            messages.success(request, f"{done} {outcome.applied} link{plural}.")
        report_refusals(request, outcome.refused)

    @admin.action(description="Accept the selected links", permissions=["confirm"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, confirm_link, "Accepted")

    @admin.action(description="Reject the selected links", permissions=["confirm"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, reject_link, "Rejected")


class RoundLinkAdmin(CoverageLinkAdmin):
    list_filter = ("status", "origin", "round", "article__status")
    list_select_related = ("article", "round", "confirmed_by")
    autocomplete_fields = ("article", "round")
    fields = ("article", "round", "evidence", *LINK_READONLY)


class MeetingLinkAdmin(CoverageLinkAdmin):
    list_filter = ("status", "origin", "meeting", "article__status")
    list_select_related = ("article", "meeting", "confirmed_by")
    autocomplete_fields = ("article", "meeting")
    fields = ("article", "meeting", "evidence", *LINK_READONLY)


class OfficialLinkAdmin(CoverageLinkAdmin):
    list_filter = ("status", "origin", "official", "article__status")
    list_select_related = ("article", "official", "confirmed_by")
    autocomplete_fields = ("article", "official")
    fields = ("article", "official", "evidence", *LINK_READONLY)


class MeasureLinkAdmin(CoverageLinkAdmin):
    list_filter = ("status", "origin", "measure", "article__status")
    list_select_related = ("article", "measure", "confirmed_by")
    autocomplete_fields = ("article", "measure")
    fields = ("article", "measure", "evidence", *LINK_READONLY)


# On the record pages: the articles covering a round, meeting, official or measure.


class CoverageOfRecordInline(admin.TabularInline):
    """The articles linked to a record, suggestions first; links are edited on the article."""

    fields = ("article", "status", "origin", "evidence", "confirmed_by", "confirmed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("article", "confirmed_by", self.model.target_field)
            .annotate(status_order=STATUS_ORDER)
            .order_by("status_order", "-article__published_at", "pk")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _count_links(link_model: Any, status: str) -> Coalesce:
    target = link_model.target_field
    counted = (
        link_model.objects.filter(**{target: OuterRef("pk")}, status=status)
        .order_by()
        .values(target)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class CoverageCountsMixin:
    """Counts of covering articles by link status, on the changelist and the record's page."""

    link_model: Any

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.annotate(
            confirmed_articles_n=_count_links(self.link_model, CoverageLink.Status.CONFIRMED),
            suggested_articles_n=_count_links(self.link_model, CoverageLink.Status.SUGGESTED),
        )

    @admin.display(description="Confirmed articles", ordering="confirmed_articles_n")
    def confirmed_articles(self, obj: Any) -> int:
        return int(obj.confirmed_articles_n)

    @admin.display(description="Suggested articles", ordering="suggested_articles_n")
    def suggested_articles(self, obj: Any) -> int:
        return int(obj.suggested_articles_n)

    @admin.display(description="Coverage by link status")
    def coverage_counts(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "—"
        target = self.link_model.target_field
        counts = dict(
            self.link_model.objects.filter(**{target: obj.pk})
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        changelist = reverse(f"admin:articles_{self.link_model._meta.model_name}_changelist")
        return format_html_join(
            " · ",
            '<a href="{}?{}__id__exact={}&amp;status__exact={}">{}: {}</a>',
            (
                (
                    changelist,
                    target,
                    obj.pk,
                    status.value,
                    status.label,
                    counts.get(status.value, 0),
                )
                for status in CoverageLink.Status
            ),
        )


def _coverage_inline(link_model: Any, record_name: str) -> type[CoverageOfRecordInline]:
    return type(
        f"{link_model.__name__}CoverageInline",
        (CoverageOfRecordInline,),
        {
            "model": link_model,
            "fk_name": link_model.target_field,
            "verbose_name": "covering article",
            "verbose_name_plural": f"articles covering this {record_name}",
        },
    )


class CoveredRoundAdmin(CoverageCountsMixin, RoundAdmin):
    link_model = RoundLink
    inlines = [*RoundAdmin.inlines, _coverage_inline(RoundLink, "round")]
    readonly_fields = (*RoundAdmin.readonly_fields, "coverage_counts")
    list_display = (*RoundAdmin.list_display, "confirmed_articles", "suggested_articles")


class CoveredMeetingAdmin(CoverageCountsMixin, MeetingAdmin):
    link_model = MeetingLink
    inlines = [*MeetingAdmin.inlines, _coverage_inline(MeetingLink, "meeting")]
    readonly_fields = (*MeetingAdmin.readonly_fields, "coverage_counts")
    list_display = (*MeetingAdmin.list_display, "confirmed_articles", "suggested_articles")


class CoveredOfficialAdmin(CoverageCountsMixin, OfficialAdmin):
    link_model = OfficialLink
    inlines = [*OfficialAdmin.inlines, _coverage_inline(OfficialLink, "official")]
    readonly_fields = (*OfficialAdmin.readonly_fields, "coverage_counts")
    list_display = (*OfficialAdmin.list_display, "confirmed_articles", "suggested_articles")


class CoveredTariffMeasureAdmin(CoverageCountsMixin, TariffMeasureAdmin):
    link_model = MeasureLink
    inlines = [*TariffMeasureAdmin.inlines, _coverage_inline(MeasureLink, "measure")]
    readonly_fields = (*TariffMeasureAdmin.readonly_fields, "coverage_counts")
    list_display = (*TariffMeasureAdmin.list_display, "confirmed_articles", "suggested_articles")


# The negotiation's record with its coverage: these replace `negotiations.admin`'s own pages.
COVERED_ADMINS: tuple[tuple[type[Model], type[admin.ModelAdmin[Any]]], ...] = (
    (Round, CoveredRoundAdmin),
    (Meeting, CoveredMeetingAdmin),
    (Official, CoveredOfficialAdmin),
    (TariffMeasure, CoveredTariffMeasureAdmin),
)


__all__ = [
    "COVERED_ADMINS",
    "LINK_INLINES",
    "MeasureLinkAdmin",
    "MeetingLinkAdmin",
    "OfficialLinkAdmin",
    "RoundLinkAdmin",
    "has_confirm_permission",
]
