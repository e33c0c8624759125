"""The negotiation's record and the sources: small read-only tables with their provenance,
and the timeline that puts rounds, meetings and measure changes in date order."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api import querysets
from articles.api.filters import (
    MeetingFilterSet,
    OfficialFilterSet,
    RoundFilterSet,
    SourceFilterSet,
    TariffMeasureFilterSet,
    TimelineParams,
    date_schema,
)
from articles.api.links import Links, iso
from articles.api.problems import AmbiguousRound, InvalidParam, InvalidParameters
from articles.api.schema import JSON_FORMAT, read
from articles.api.serializers.records import (
    MeetingDetailSerializer,
    MeetingSerializer,
    OfficialDetailSerializer,
    OfficialSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    SourceSerializer,
    TariffMeasureDetailSerializer,
    TariffMeasureSerializer,
    TimelineEntrySerializer,
)
from articles.api.views.base import SLUG, ApiViewSet
from negotiations.models import Meeting, Negotiation, Round, TariffMeasure


class RecordViewSet(ApiViewSet):
    """A small read-only table: the whole filtered list, or one record with its provenance."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset = self.filter_queryset(self.get_queryset())
        not_modified = self.not_modified(queryset)
        if not_modified is not None:
            return not_modified
        return Response(self.get_serializer(queryset, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset = self.detail_queryset()
        not_modified = self.not_modified(queryset)
        found = self.fingerprint_rows.get("n", 0)
        if found == 0:
            raise NotFound(f"No {self.noun()} '{self.lookup_value()}'.")
        if found > 1:
            self.refuse_ambiguous(queryset)
        if not_modified is not None:
            return not_modified
        return Response(self.get_serializer(queryset.get()).data)

    def refuse_ambiguous(self, queryset: QuerySet[Any]) -> None:
        raise NotFound(f"'{self.lookup_value()}' names several records.")


def record_schema(list_serializer: Any, detail_serializer: Any, noun: str) -> Any:
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {noun}",
            parameters=[JSON_FORMAT],
            responses=read(list_serializer(many=True)),
        ),
        retrieve=extend_schema(
            summary=f"One of the {noun}, with the published articles that report it",
            parameters=[JSON_FORMAT],
            responses=read(detail_serializer, detail=True),
        ),
    )


@record_schema(SourceSerializer, SourceSerializer, "sources (outlets and wires)")
class SourceViewSet(RecordViewSet):
    """Outlets that publish pages and wires whose copy they carry."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.sources()


@record_schema(OfficialSerializer, OfficialDetailSerializer, "officials")
class OfficialViewSet(RecordViewSet):
    """Officials in the talks, with every spelling seen in coverage."""

    serializer_class = OfficialSerializer
    detail_serializer_class = OfficialDetailSerializer
    filterset_class = OfficialFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.officials(detail=self.action == "retrieve")


@extend_schema_view(
    list=extend_schema(
        summary="List rounds",
        parameters=[JSON_FORMAT],
        responses=read(RoundSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One round by number, with the published articles that report it",
        parameters=[
            JSON_FORMAT,
            OpenApiParameter(
                "negotiation",
                {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                description="Negotiation slug, needed only if several have this round number.",
            ),
        ],
        responses=read(RoundDetailSerializer, detail=True),
    ),
)
class RoundViewSet(RecordViewSet):
    """Negotiation rounds, by number."""

    serializer_class = RoundSerializer
    detail_serializer_class = RoundDetailSerializer
    filterset_class = RoundFilterSet
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,5}"
    detail_params = frozenset({"negotiation"})

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.rounds(detail=self.action == "retrieve")

    def detail_queryset(self) -> QuerySet[Any]:
        queryset = super().detail_queryset()
        negotiation = self.request.query_params.get("negotiation")
        if not negotiation:
            return queryset
        if not SLUG.fullmatch(negotiation) or not Negotiation.objects.filter(slug=negotiation):
            raise InvalidParameters.from_params(
                [InvalidParam("negotiation", "No negotiation has this slug.")]
            )
        return queryset.filter(negotiation__slug=negotiation)

    def refuse_ambiguous(self, queryset: QuerySet[Any]) -> None:
        slugs = sorted(queryset.values_list("negotiation__slug", flat=True))
        raise AmbiguousRound(
            f"Round {self.lookup_value()} exists in several negotiations; add "
            f"negotiation=<slug>, one of: {', '.join(slugs)}.",
            invalid_params=[InvalidParam("negotiation", f"Needed: one of {', '.join(slugs)}.")],
        )


@record_schema(MeetingSerializer, MeetingDetailSerializer, "meetings")
class MeetingViewSet(RecordViewSet):
    """Meetings between officials, with their round, time, length and mode."""

    serializer_class = MeetingSerializer
    detail_serializer_class = MeetingDetailSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.meetings(detail=self.action == "retrieve")


@record_schema(TariffMeasureSerializer, TariffMeasureDetailSerializer, "tariff measures")
class TariffMeasureViewSet(RecordViewSet):
    """Tariff measures: who imposes what on which goods, on what legal basis, from when."""

    serializer_class = TariffMeasureSerializer
    detail_serializer_class = TariffMeasureDetailSerializer
    filterset_class = TariffMeasureFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.tariff_measures(detail=self.action == "retrieve")


@extend_schema_view(
    list=extend_schema(
        summary="Rounds, meetings and tariff-measure changes, in date order",
        parameters=[
            JSON_FORMAT,
            OpenApiParameter(
                "kind", str, enum=["round", "meeting", "measure"], description="Only this kind."
            ),
            OpenApiParameter("date_from", date_schema("Entries on or after this date.")),
            OpenApiParameter("date_to", date_schema("Entries on or before it.")),
        ],
        responses=read(TimelineEntrySerializer(many=True)),
    )
)
class TimelineViewSet(ApiViewSet):
    """One stable shape for every entry: kind, date, title, url."""

    serializer_class = TimelineEntrySerializer
    filter_backends = []
    list_params = frozenset(TimelineParams.base_fields)

    def get_queryset(self) -> QuerySet[Any]:
        return querysets.rounds()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        params = TimelineParams(request.query_params)
        if not params.is_valid():
            raise InvalidParameters.from_params(
                [
                    InvalidParam(name, " ".join(map(str, errs)))
                    for name, errs in params.errors.items()
                ]
            )
        not_modified = self.not_modified(None)
        if not_modified is not None:
            return not_modified
        entries = timeline_entries(Links(request))
        kind = params.cleaned_data["kind"]
        start, end = params.cleaned_data["date_from"], params.cleaned_data["date_to"]
        selected = [
            entry
            for entry in entries
            if (not kind or entry["kind"].startswith(kind))
            and (start is None or entry["date"] >= start)
            and (end is None or entry["date"] <= end)
        ]
        order = {"round": 0, "meeting": 1, "measure_effective": 2, "measure_ended": 3}
        selected.sort(key=lambda e: (e["date"], order[e["kind"]], e["title"]))
        return Response([{**entry, "date": iso(entry["date"])} for entry in selected])


def timeline_entries(links: Links) -> list[dict[str, Any]]:
    """Every round, meeting and measure change, unsorted, dates as dates."""
    entries: list[dict[str, Any]] = []
    for rnd in Round.objects.order_by("start_date", "number"):
        where = f", {rnd.place}" if rnd.place else ""
        entries.append(
            {
                "kind": "round",
                "date": rnd.start_date,
                "title": f"Round {rnd.number}{where}",
                "url": links.to("round", rnd.number),
            }
        )
    for meeting in Meeting.objects.order_by("start_date", "slug"):
        entries.append(
            {
                "kind": "meeting",
                "date": meeting.start_date,
                "title": meeting.title,
                "url": links.to("meeting", meeting.slug),
            }
        )
    measures = TariffMeasure.objects.exclude(effective_on__isnull=True, ends_on__isnull=True)
    for measure in measures.order_by("slug"):
        url = links.to("measure", measure.slug)
        if measure.effective_on:
            title = f"{measure.name}: takes effect"
            entries.append(
                {
                    "kind": "measure_effective",
                    "date": measure.effective_on,
                    "title": title,
                    "url": url,
                }
            )
        if measure.ends_on:
            title = f"{measure.name}: ends"
            entries.append(
                {"kind": "measure_ended", "date": measure.ends_on, "title": title, "url": url}
            )
    return entries
