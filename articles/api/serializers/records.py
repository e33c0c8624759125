"""The negotiation's record and the sources, each with its provenance where it has one."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers.common import ReportSerializer, SelfLink
from articles.models import Source
from negotiations.models import Meeting, Official, OfficialAlias, Round, TariffMeasure

REPORT_COUNT_HELP = "How many published articles report this, through confirmed links."


class SourceSerializer(serializers.ModelSerializer):
    url = SelfLink("source")
    homepage = serializers.CharField(source="url", help_text="The outlet's site, where known.")
    aliases = serializers.ListField(
        child=serializers.CharField(), help_text="Other names seen in mastheads and credits."
    )

    class Meta:
        model = Source
        fields = ["slug", "url", "name", "kind", "homepage", "aliases"]
        read_only_fields = fields


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficialAlias
        fields = ["alias", "kind"]
        read_only_fields = fields


class OfficialSerializer(serializers.ModelSerializer):
    url = SelfLink("official")
    source_url = serializers.CharField(
        read_only=True, help_text="The source for the title held, or empty where none is kept."
    )
    aliases = AliasSerializer(many=True, read_only=True)
    report_count = serializers.IntegerField(read_only=True, help_text=REPORT_COUNT_HELP)

    class Meta:
        model = Official
        fields = [
            "slug",
            "url",
            "name",
            "country",
            "organisation",
            "title",
            "source_url",
            "note",
            "aliases",
            "report_count",
        ]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    url = SelfLink("round", key="number")
    negotiation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    other_source_urls = serializers.ListField(child=serializers.CharField(), read_only=True)
    meetings: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    report_count = serializers.IntegerField(read_only=True, help_text=REPORT_COUNT_HELP)

    class Meta:
        model = Round
        fields = [
            "number",
            "url",
            "negotiation",
            "start_date",
            "end_date",
            "place",
            "status",
            "summary",
            "source_url",
            "other_source_urls",
            "note",
            "meetings",
            "report_count",
        ]
        read_only_fields = fields


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time at a place, without an offset: the place's zone is another field.
    (OpenAPI's `format: time` is RFC 3339's, which requires an offset.)"""


class MeetingSerializer(serializers.ModelSerializer):
    url = SelfLink("meeting")
    start_time = LocalTimeField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Local time at the meeting's place, in `time_zone` (no offset: it follows from "
            "the zone and the date), where reported. `starts_at` is the instant."
        ),
    )
    round: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )
    starts_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Aware start, where the time was reported."
    )
    participants: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    other_source_urls = serializers.ListField(child=serializers.CharField(), read_only=True)
    report_count = serializers.IntegerField(read_only=True, help_text=REPORT_COUNT_HELP)

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "url",
            "title",
            "round",
            "start_date",
            "start_time",
            "time_zone",
            "starts_at",
            "duration_minutes",
            "duration_approximate",
            "mode",
            "place",
            "participants",
            "outcome",
            "source_url",
            "other_source_urls",
            "note",
            "report_count",
        ]
        read_only_fields = fields


class TariffMeasureSerializer(serializers.ModelSerializer):
    url = SelfLink("measure")
    superseded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    supersedes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    other_source_urls = serializers.ListField(child=serializers.CharField(), read_only=True)
    report_count = serializers.IntegerField(read_only=True, help_text=REPORT_COUNT_HELP)

    class Meta:
        model = TariffMeasure
        fields = [
            "slug",
            "url",
            "name",
            "imposing_country",
            "affected_country",
            "product_scope",
            "legal_basis",
            "instrument",
            "rate_percent",
            "rate_application",
            "announced_on",
            "effective_on",
            "ends_on",
            "status",
            "superseded_by",
            "supersedes",
            "source_url",
            "other_source_urls",
            "note",
            "report_count",
        ]
        read_only_fields = fields


def with_reports(serializer: type[serializers.ModelSerializer]) -> type[Any]:
    """The detail shape: the list shape plus `reported_by`, the provenance."""

    class Detail(serializer):  # type: ignore[valid-type,misc]
        reported_by = ReportSerializer(
            many=True,
            read_only=True,
            source="reports",
            help_text="Published articles reporting this, newest first, each with its evidence.",
        )

        class Meta(serializer.Meta):  # type: ignore[name-defined]
            fields = [*serializer.Meta.fields, "reported_by"]
            read_only_fields = fields

    Detail.__name__ = serializer.__name__.replace("Serializer", "DetailSerializer")
    Detail.__qualname__ = Detail.__name__
    return Detail


OfficialDetailSerializer = with_reports(OfficialSerializer)
RoundDetailSerializer = with_reports(RoundSerializer)
MeetingDetailSerializer = with_reports(MeetingSerializer)
TariffMeasureDetailSerializer = with_reports(TariffMeasureSerializer)


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["round", "meeting", "measure_effective", "measure_ended"]
    )
    date = serializers.DateField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The record in the API.")
