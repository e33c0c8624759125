"""Query parameters: FilterSets for each list, full-text search, and the strict filter backend.

Filters on coverage (round, meeting, official, measure) follow confirmed links only, the same
links the API shows. Slugs are checked: an unknown slug is a 400 naming the parameter, not an
empty list that looks like an answer.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from articles.api.problems import InvalidParam, InvalidParameters
from articles.models import LINK_KINDS, Article, RoundLink, Source
from articles.search import SEARCH_CANDIDATES, search_articles
from negotiations.models import (
    Country,
    Meeting,
    Negotiation,
    Official,
    Round,
    TariffMeasure,
)

CONFIRMED = RoundLink.Status.CONFIRMED
SEARCH_MAX_LENGTH = 200


class StrictFilterBackend(DjangoFilterBackend):
    """Invalid filter values are a 400 problem that names each parameter."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None or filterset_class.base_filters.keys().isdisjoint(
            request.query_params
        ):
            return queryset  # no filter given: skip building a form that filters nothing
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            params = [
                InvalidParam(name, " ".join(str(m) for m in messages))
                for name, messages in filterset.errors.items()
            ]
            raise InvalidParameters.from_params(params)
        return filterset.qs


def choices_message(choices: type[Any]) -> dict[str, str]:
    return {"invalid_choice": f"Must be one of: {', '.join(choices.values)}."}


def slug_filter(model: type[Model], help_text: str, **kwargs: Any) -> Any:
    """A filter on a record's slug; an unknown slug is refused with a clear reason."""
    name = model._meta.verbose_name
    schema = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "description": help_text}
    return extend_schema_field(schema)(
        django_filters.ModelChoiceFilter(
            queryset=model._default_manager.all(),
            to_field_name="slug",
            error_messages={"invalid_choice": f"No {name} has this slug."},
            help_text=help_text,
            **kwargs,
        )
    )


class OfficialChoiceField(django_filters.fields.ModelChoiceField):
    """An official named by slug or by any alias (Akazawa, 赤沢, Rutnick), case-insensitively."""

    def to_python(self, value: Any) -> Official | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text and "\x00" not in text:  # PostgreSQL text cannot hold NUL: no name has one
            first_the_slug = Case(When(slug=text, then=Value(0)), default=Value(1))
            found = (
                Official.objects.filter(Q(slug=text) | Q(aliases__alias__iexact=text))
                .order_by(first_the_slug, "pk")
                .first()
            )
            if found is not None:
                return found
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class OfficialFilter(django_filters.ModelChoiceFilter):
    field_class = OfficialChoiceField


def official_filter(help_text: str, **kwargs: Any) -> Any:
    """An official by slug or alias; an unknown name is refused with a clear reason."""
    schema = {"type": "string", "minLength": 1, "maxLength": 200, "description": help_text}
    return extend_schema_field(schema)(
        OfficialFilter(
            queryset=Official.objects.all(),
            error_messages={"invalid_choice": "No official has this slug or alias."},
            help_text=help_text,
            **kwargs,
        )
    )


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


def integer_filter(help_text: str, minimum: int, maximum: int, **kwargs: Any) -> Any:
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum, "description": help_text}
    return extend_schema_field(schema)(
        IntegerFilter(
            min_value=minimum,
            max_value=maximum,
            help_text=help_text,
            **kwargs,
        )
    )


# What InstantField reads, as a pattern: years 0001-9999, the days each month has (29
# February in leap years only: the Gregorian rule), hours 00-23, minutes and seconds 00-59. The
# schema states exactly the dates the server takes, so a generated "valid" date is one.
_YEAR = r"([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|"
    r"02-(0[1-9]|1[0-9]|2[0-8]))"
)
_DAY = rf"({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)"
INSTANT_PATTERN = rf"^{_DAY}([T ]{_CLOCK}{_OFFSET})?$"
DATE_PATTERN = rf"^{_DAY}$"


class IsoDateField(forms.DateField):
    """YYYY-MM-DD exactly (strptime alone would take 2025-5-1, and the form strips spaces)."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not re.fullmatch(DATE_PATTERN, value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


def date_schema(help_text: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN, "description": help_text}


def date_filter(help_text: str, **kwargs: Any) -> Any:
    return extend_schema_field(date_schema(help_text))(IsoDateFilter(help_text=help_text, **kwargs))


def choice_filter(choices: Any, help_text: str, **kwargs: Any) -> Any:
    return django_filters.ChoiceFilter(
        choices=choices.choices,
        error_messages=choices_message(choices),
        help_text=help_text,
        **kwargs,
    )


class InstantField(forms.Field):
    """A date (YYYY-MM-DD, a whole UTC day) or a date-time that states its UTC offset."""

    default_error_messages = {
        "invalid": (
            "Enter a date (2025-05-01, read as a UTC day) or a date-time with a UTC offset "
            "(2025-05-01T09:00:00+09:00)."
        ),
        "naive": "This date-time has no UTC offset; add one, e.g. +00:00 or +09:00.",
        "range": "This date-time is outside years 1 to 9999 once in UTC.",
    }

    def to_python(self, value: Any) -> datetime.date | datetime.datetime | None:
        if value in self.empty_values:
            return None
        text = str(value)  # exactly as given: " 2025-05-01" is not a date
        try:
            moment = parse_datetime(text) if "T" in text or " " in text else None
            day = None if moment else parse_date(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if moment is not None:
            if moment.tzinfo is None:
                raise forms.ValidationError(self.error_messages["naive"], code="naive")
            try:
                return moment.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["range"], code="range") from None
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class InstantFilter(django_filters.Filter):
    field_class = InstantField


def instant_filter(help_text: str, **kwargs: Any) -> Any:
    schema = {
        "type": "string",
        "description": help_text,
        "pattern": INSTANT_PATTERN,
    }
    return extend_schema_field(schema)(InstantFilter(help_text=help_text, **kwargs))


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def linked(queryset: QuerySet[Any], link_model: type[Model], **lookups: Any) -> QuerySet[Any]:
    """Articles with a confirmed link of this kind matching `lookups` (no duplicate rows)."""
    links = link_model._default_manager.filter(article=OuterRef("pk"), status=CONFIRMED, **lookups)
    return queryset.filter(Exists(links))


# FilterSets --------------------------------------------------------------------------------


class ArticleFilterSet(django_filters.FilterSet):
    round = integer_filter(
        "Round number: articles with a confirmed link to that round.", 1, 32767, method="by_round"
    )
    meeting = slug_filter(Meeting, "Meeting slug: articles reporting that meeting.", method="by")
    official = official_filter(
        "Official's slug or any of their aliases (Akazawa, 赤沢, ラトニック): articles covering "
        "that official.",
        method="by",
    )
    measure = slug_filter(TariffMeasure, "Tariff-measure slug: articles on it.", method="by")
    outlet = slug_filter(Source, "Source slug of the outlet that published the page.")
    wire = slug_filter(Source, "Source slug of the wire credited for the copy.")
    published_from = instant_filter(
        "Published at or after: a date (start of that UTC day) or a date-time with offset.",
        method="by_published_from",
    )
    published_to = instant_filter(
        "Published at or before: a date (the whole UTC day) or a date-time with offset.",
        method="by_published_to",
    )
    language = extend_schema_field({"type": "string", "maxLength": 10})(
        django_filters.CharFilter(
            max_length=10, help_text="Language code as stored, e.g. en or ja."
        )
    )
    status = choice_filter(
        Article.Status, "Editorial status. Anonymous clients only ever see published articles."
    )
    q = extend_schema_field(
        {
            "type": "string",
            "maxLength": SEARCH_MAX_LENGTH,
            "description": (
                'Full-text search in headline, dek and body: words, "quoted phrases", '
                "a OR b, -excluded, in any script (Japanese terms such as 関税 or 赤沢 match "
                "where they occur, also inside longer runs). Ranked by relevance among the "
                f"newest {SEARCH_CANDIDATES:,} matches; comments are never searched."
            ),
        }
    )(django_filters.CharFilter(max_length=SEARCH_MAX_LENGTH, method="searched_last"))

    _links = {name: kind.model for name, kind in LINK_KINDS.items()}

    class Meta:
        model = Article
        fields: list[str] = []

    def by(self, queryset: QuerySet[Any], name: str, value: Model) -> QuerySet[Any]:
        return linked(queryset, self._links[name], **{name: value})

    def by_round(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return linked(queryset, RoundLink, round__number=value)

    def by_published_from(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        moment = value if isinstance(value, datetime.datetime) else start_of(value)
        return queryset.filter(published_at__gte=moment)

    def by_published_to(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return queryset.filter(published_at__lte=value)
        if value == datetime.date.max:  # the whole last day there is
            end_of_time = datetime.datetime.max.replace(tzinfo=datetime.UTC)
            return queryset.filter(published_at__lte=end_of_time)
        return queryset.filter(published_at__lt=start_of(value + datetime.timedelta(days=1)))

    def searched_last(self, queryset: QuerySet[Article], name: str, value: str) -> Any:
        return queryset  # see filter_queryset: the search needs every other filter first

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        q = (self.form.cleaned_data.get("q") or "").strip()
        if not q:
            return queryset
        # Ordering by relevance (the default with q) ranks a bounded set of the newest
        # matches; an explicit time ordering pages through every match by index.
        ordering = self.request.GET.get("ordering") if self.request else None
        return search_articles(queryset, q, bounded=ordering in (None, "", "relevance"))


class MeetingFilterSet(django_filters.FilterSet):
    round = integer_filter("Round number.", 1, 32767, field_name="round__number")
    official = official_filter(
        "Official's slug or any of their aliases: meetings they took part in.", method="by"
    )
    date_from = date_filter(
        "Meetings on or after this date.", field_name="start_date", lookup_expr="gte"
    )
    date_to = date_filter(
        "Meetings on or before this date.", field_name="start_date", lookup_expr="lte"
    )
    mode = choice_filter(Meeting.Mode, "How the meeting was held.")

    class Meta:
        model = Meeting
        fields: list[str] = []

    def by(self, queryset: QuerySet[Any], name: str, value: Official) -> QuerySet[Any]:
        return queryset.filter(participants=value)


class TariffMeasureFilterSet(django_filters.FilterSet):
    country = choice_filter(Country, "Imposed by or affecting this country.", method="by_country")
    imposing_country = choice_filter(Country, "Country imposing the measure.")
    affected_country = choice_filter(Country, "Country whose goods it applies to.")
    product_scope = choice_filter(TariffMeasure.ProductScope, "Goods covered.")
    legal_basis = choice_filter(TariffMeasure.LegalBasis, "Legal basis.")
    status = choice_filter(TariffMeasure.Status, "Current status.")
    in_force_on = date_filter("Measures that applied on this date.", method="by_day")

    class Meta:
        model = TariffMeasure
        fields: list[str] = []

    def by_country(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(imposing_country=value) | Q(affected_country=value))

    def by_day(self, queryset: Any, name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.in_force_on(value)


class RoundFilterSet(django_filters.FilterSet):
    negotiation = slug_filter(Negotiation, "Negotiation slug.")
    status = choice_filter(Round.Status, "Round status.")

    class Meta:
        model = Round
        fields: list[str] = []


class OfficialFilterSet(django_filters.FilterSet):
    country = choice_filter(Country, "Country the official serves.")

    class Meta:
        model = Official
        fields: list[str] = []


class SourceFilterSet(django_filters.FilterSet):
    kind = choice_filter(Source.Kind, "Outlet or wire.")

    class Meta:
        model = Source
        fields: list[str] = []


class TimelineParams(forms.Form):
    """The timeline is built in Python from three small tables, so a plain form checks it."""

    kind = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in ("round", "meeting", "measure")],
        error_messages={"invalid_choice": "Must be one of: round, meeting, measure."},
    )
    date_from = IsoDateField(required=False)
    date_to = IsoDateField(required=False)
