"""Admin for the negotiation's record: officials and their aliases, rounds, meetings, measures.

This app knows nothing of articles: the coverage of these records (the articles linked to a
round, a meeting, an official or a measure) is added to these pages by `articles.admin`.

The admins are registered by `register(site)`, which `NegotiationsConfig.ready()` calls with
the desk's site; importing this module registers nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar, cast

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join

from negotiations.models import (
    Meeting,
    Negotiation,
    Official,
    OfficialAlias,
    Round,
    TariffMeasure,
    TariffMeasureQuerySet,
)

# Sources are https links; a URL typed without a scheme gets https, not http.
HTTPS_URLS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def percent(value: Decimal) -> str:
    """27.50 as "27.5", 25.00 as "25", 100 as "100" (not "1E+2")."""
    return f"{value.normalize():f}"


class OfficialAliasInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = OfficialAlias
    fields = ("alias", "kind", "note")
    extra = 0


class OfficialAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display: tuple[str, ...] = ("name", "country", "organisation", "title", "alias_list")
    list_filter = ("country", "organisation")
    search_fields = ("name", "slug", "organisation", "title", "aliases__alias")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OfficialAliasInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Official]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Aliases")
    def alias_list(self, obj: Official) -> str:
        return ", ".join(alias.alias for alias in obj.aliases.all())


class OfficialAliasAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("alias", "kind", "official", "note")
    list_filter = ("kind", "official")
    list_select_related = ("official",)
    search_fields = ("alias", "official__name")
    autocomplete_fields = ("official",)
    show_full_result_count = False


class RoundInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    view_on_site = False  # the record's URL is this admin page
    model = Round
    fields = ("number", "start_date", "end_date", "place", "status", "source_url")
    extra = 0
    show_change_link = True


class NegotiationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "slug", "round_count")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoundInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Negotiation]:
        return super().get_queryset(request).annotate(round_total=Count("rounds"))

    @admin.display(description="Rounds", ordering="round_total")
    def round_count(self, obj: Any) -> int:
        return int(obj.round_total)


class MeetingInline(admin.TabularInline):
    """A round's meetings; participants are edited on the meeting's own page."""

    formfield_overrides = HTTPS_URLS
    view_on_site = False  # the record's URL is this admin page

    model = Meeting
    fields = ("start_date", "start_time", "title", "mode", "duration_minutes", "place")
    extra = 0
    show_change_link = True


class RoundAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    view_on_site = False  # the record's URL is this admin page
    list_display: tuple[str, ...] = (
        "__str__",
        "negotiation",
        "start_date",
        "end_date",
        "place",
        "status",
    )
    list_display_links = ("__str__",)
    list_filter = ("status", "negotiation")
    list_select_related = ("negotiation",)
    search_fields = ("place", "summary", "note")
    autocomplete_fields = ("negotiation",)
    ordering = ("negotiation", "number")
    inlines = [MeetingInline]
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Round], search_term: str
    ) -> tuple[QuerySet[Round], bool]:
        """Editors find a round by its number ("4", "round 4") or by place and summary."""
        digits = search_term.lower().removeprefix("round").strip()
        if digits.isdigit():
            return queryset.filter(number=int(digits)), False
        return super().get_search_results(request, queryset, search_term)


class MeetingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    view_on_site = False  # the record's URL is this admin page
    list_display: tuple[str, ...] = (
        "start_date",
        "start_time",
        "title",
        "round",
        "mode",
        "duration",
        "place",
        "participant_names",
    )
    list_display_links = ("title",)
    list_filter = ("mode", "duration_approximate", "round")
    list_select_related = ("round",)
    search_fields = ("title", "slug", "place", "outcome", "participants__name")
    autocomplete_fields = ("round", "participants")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "start_date"
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        return super().get_queryset(request).prefetch_related("participants")

    @admin.display(description="Duration", ordering="duration_minutes")
    def duration(self, obj: Meeting) -> str:
        if obj.duration_minutes is None:
            return "—"
        return f"{'~' if obj.duration_approximate else ''}{obj.duration_minutes} min"

    @admin.display(description="Participants")
    def participant_names(self, obj: Meeting) -> str:
        return ", ".join(official.name for official in obj.participants.all())


class InForceOnFilter(admin.SimpleListFilter):
    """Measures in force on a date: pick one of the dates measures changed, or type any date."""

    title = "in force on"
    parameter_name = "in_force_on"
    template = "admin/negotiations/tariffmeasure/in_force_on_filter.html"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        today = timezone.localdate()
        days = {
            day
            for day in TariffMeasure.objects.order_by()
            .values_list("effective_on", flat=True)
            .distinct()
            if day is not None
        }
        choices = [(today.isoformat(), f"Today ({today:%d %b %Y})")]
        choices += [(day.isoformat(), f"{day:%d %b %Y}") for day in sorted(days)]
        selected = self.value()
        if selected and selected not in dict(choices):
            choices.append((selected, selected))
        return choices

    def choices(self, changelist: Any) -> Any:
        # The date form keeps the other filters of the page as hidden fields.
        self.other_params = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield from super().choices(changelist)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            messages.error(
                request,
                f"“{value}” is not a date: give the day as YYYY-MM-DD, for example 2025-06-10.",
            )
            return queryset.none()
        return cast(TariffMeasureQuerySet, queryset).in_force_on(day)


class TariffMeasureAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    view_on_site = False  # the record's URL is this admin page
    list_display: tuple[str, ...] = (
        "name",
        "rate",
        "product_scope",
        "legal_basis",
        "status_now",
        "effective_on",
        "ends_on",
        "superseded_by",
    )
    list_filter = (
        InForceOnFilter,
        "status",
        "product_scope",
        "legal_basis",
        "imposing_country",
        "affected_country",
    )
    list_select_related = ("superseded_by",)
    search_fields = ("name", "slug", "instrument", "note")
    autocomplete_fields = ("superseded_by",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields: ClassVar[tuple[str, ...]] = ("supersedes_list",)
    show_full_result_count = False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        context = dict(extra_context or {})
        value = request.GET.get(InForceOnFilter.parameter_name, "")
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass  # no date, or one the filter reports as not a date
        else:
            context.setdefault("title", f"Tariff measures in force on {day:%d %b %Y}")
        return super().changelist_view(request, context)

    @admin.display(description="Status now", ordering="status")
    def status_now(self, obj: TariffMeasure) -> str:
        """The measure's status today (a measure in force on an earlier day may since have
        been superseded)."""
        return obj.get_status_display()

    @admin.display(description="Rate", ordering="rate_percent")
    def rate(self, obj: TariffMeasure) -> str:
        return f"{percent(obj.rate_percent)}% ({obj.get_rate_application_display()})"

    @admin.display(description="Replaces")
    def supersedes_list(self, obj: TariffMeasure) -> str:
        if obj.pk is None:
            return "—"
        replaced = list(obj.supersedes.all())
        if not replaced:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((measure.get_absolute_url(), str(measure)) for measure in replaced),
        )


ADMINS: tuple[tuple[type[models.Model], type[admin.ModelAdmin[Any]]], ...] = (
    (Official, OfficialAdmin),
    (OfficialAlias, OfficialAliasAdmin),
    (Negotiation, NegotiationAdmin),
    (Round, RoundAdmin),
    (Meeting, MeetingAdmin),
    (TariffMeasure, TariffMeasureAdmin),
)


def register(site: AdminSite) -> None:
    """Register the record's admins on `site` (from `NegotiationsConfig.ready()`)."""
    for model, model_admin in ADMINS:
        site.register(model, model_admin)
