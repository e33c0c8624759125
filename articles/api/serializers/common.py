"""Fields and shapes shared by every resource: self links, references, provenance, problems."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.links import iso, links_for


@extend_schema_field(OpenApiTypes.URI)
class SelfLink(serializers.Field):
    """The absolute API URL of the object itself, e.g. .../meetings/<slug>/."""

    def __init__(self, kind: str, key: str = "slug", **kwargs: Any) -> None:
        self.kind, self.key = kind, key
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return links_for(self.context).to(self.kind, getattr(value, self.key))


class SourceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="This source in the API.")


TIME_KNOWN_HELP = (
    "False when the page gave only a date: published_at is then that date at 12:00 UTC and "
    "its time of day means nothing."
)


class ArticleRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField()
    headline = serializers.CharField()
    published_at = serializers.DateTimeField()
    published_time_known = serializers.BooleanField(help_text=TIME_KNOWN_HELP)
    outlet = serializers.SlugField(allow_null=True, help_text="Slug of the publishing outlet.")


class ReportSerializer(serializers.Serializer):
    """A published article that reports the record, through a confirmed coverage link."""

    article = ArticleRefSerializer()
    evidence = serializers.CharField(help_text="The sentence in the article supporting the link.")
    confirmed_at = serializers.DateTimeField(help_text="When an editor confirmed the link.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        article = instance.article
        links = links_for(self.context)
        return {
            "article": {
                "slug": article.slug,
                "url": links.to("article", article.slug),
                "headline": article.headline,
                "published_at": iso(article.published_at),
                "published_time_known": article.published_time_known,
                "outlet": article.outlet.slug if article.outlet_id else None,
            },
            "evidence": instance.evidence,
            "confirmed_at": iso(instance.confirmed_at),
        }


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The query parameter or body field.")
    # "in" is a Python keyword, so the schema name is set in ProblemSerializer.get_fields.
    reason = serializers.CharField(help_text="Why it was refused, and what is accepted.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["in"] = serializers.ChoiceField(choices=["query", "body", "path", "header"])
        return fields


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem (application/problem+json): the format of every error."""

    type = serializers.CharField(
        help_text="URI of the problem type (documented under /api/v1/problems/) or about:blank."
    )
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    invalid_params = InvalidParamSerializer(many=True, required=False)
