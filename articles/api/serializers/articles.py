"""Articles: a lean list item (built from plain rows) and the full detail with its coverage.

Editor-only fields (status, needs_review, version, source_changed) are added only for
editors; anonymous responses never carry them, and the schema documents the public shape.
"""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers

from articles.api.links import iso, links_for
from articles.api.serializers.common import TIME_KNOWN_HELP, SourceRefSerializer

EDITOR_FIELDS = ("status", "needs_review", "version", "source_changed")


def is_editor(context: dict[str, Any]) -> bool:
    return bool(context.get("editor"))


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["correction", "clarification", "update"])
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class RoundCoverageSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    negotiation = serializers.SlugField()
    url = serializers.URLField()
    start_date = serializers.DateField()
    evidence = serializers.CharField(help_text="The sentence in the article supporting the link.")
    confirmed_at = serializers.DateTimeField()


class MeetingCoverageSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    evidence = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


class OfficialCoverageSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField()
    name = serializers.CharField()
    evidence = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


class MeasureCoverageSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField()
    name = serializers.CharField()
    evidence = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


class CoverageSerializer(serializers.Serializer):
    """What the article reports, through confirmed links only, each with its evidence."""

    rounds = RoundCoverageSerializer(many=True)
    meetings = MeetingCoverageSerializer(many=True)
    officials = OfficialCoverageSerializer(many=True)
    measures = MeasureCoverageSerializer(many=True)


class ArticleListSerializer(serializers.Serializer):
    """One article in a list. Built from a values() row plus the keys of its confirmed links."""

    slug = serializers.SlugField()
    url = serializers.URLField()
    headline = serializers.CharField()
    dek = serializers.CharField()
    byline = serializers.CharField()
    dateline = serializers.CharField()
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="Empty only on drafts, which only editors see."
    )
    published_time_known = serializers.BooleanField(help_text=TIME_KNOWN_HELP)
    updated_at = serializers.DateTimeField()
    language = serializers.CharField()
    outlet = SourceRefSerializer(allow_null=True)
    wire = SourceRefSerializer(allow_null=True, help_text="The wire credited, where one is.")
    rounds = serializers.ListField(child=serializers.IntegerField(), help_text="Round numbers.")
    meetings = serializers.ListField(child=serializers.SlugField(), help_text="Meeting slugs.")
    officials = serializers.ListField(child=serializers.SlugField(), help_text="Official slugs.")
    measures = serializers.ListField(child=serializers.SlugField(), help_text="Measure slugs.")
    comments_url = serializers.URLField(help_text="Approved reader comments on this article.")

    def to_representation(self, row: Any) -> dict[str, Any]:
        return list_items([row], links_for(self.context), editor=is_editor(self.context))[0]


def list_items(
    rows: list[dict[str, Any]], links: Any, *, editor: bool, rendered_utc: bool = False
) -> list[dict[str, Any]]:
    """The list's items, exactly as ArticleListSerializer documents them, built in one loop.

    The list endpoint calls this directly: a page is plain values() rows, so there is nothing
    for DRF's field machinery to do but cost time. URL prefixes are read once per page.
    With `rendered_utc`, UTC date-times are left for ApiJSONRenderer, which writes them in
    the same ISO 8601 form with "Z" (orjson's OPT_UTC_Z, in C); any other goes through iso().
    """
    articles, sources = links.prefix("article"), links.prefix("source")
    utc = datetime.UTC if rendered_utc else None
    items = []
    for row in rows:
        slug = row["slug"]
        keys = row["coverage"]
        outlet, wire = row["outlet__slug"], row["wire__slug"]
        published, updated = row["published_at"], row["updated_at"]
        if published is not None and published.tzinfo is not utc:
            published = iso(published)
        if updated.tzinfo is not utc:
            updated = iso(updated)
        item = {
            "slug": slug,
            "url": f"{articles}{slug}/",
            "headline": row["headline"],
            "dek": row["dek"],
            "byline": row["byline"],
            "dateline": row["dateline"],
            "published_at": published,
            "published_time_known": row["published_time_known"],
            "updated_at": updated,
            "language": row["language"],
            "outlet": None
            if outlet is None
            else {"slug": outlet, "name": row["outlet__name"] or "", "url": f"{sources}{outlet}/"},
            "wire": None
            if wire is None
            else {"slug": wire, "name": row["wire__name"] or "", "url": f"{sources}{wire}/"},
            "rounds": keys["rounds"],
            "meetings": keys["meetings"],
            "officials": keys["officials"],
            "measures": keys["measures"],
            "comments_url": f"{articles}{slug}/comments/",
        }
        if editor:
            item.update({field: row[field] for field in EDITOR_FIELDS})
        items.append(item)
    return items


def source_ref(links: Any, slug: str | None, name: str | None) -> dict[str, str] | None:
    if slug is None:
        return None
    return {"slug": slug, "name": name or "", "url": links.to("source", slug)}


class ArticleDetailSerializer(serializers.Serializer):
    """The whole article: reporting, credits, corrections and confirmed coverage."""

    slug = serializers.SlugField()
    url = serializers.URLField()
    headline = serializers.CharField()
    headline_by_editor = serializers.BooleanField(
        help_text="The page had no headline; an editor wrote this one."
    )
    dek = serializers.CharField()
    body = serializers.CharField(help_text="Reporting only: no comments, no page chrome.")
    byline = serializers.CharField()
    dateline = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    published_time_known = serializers.BooleanField(help_text=TIME_KNOWN_HELP)
    updated_at = serializers.DateTimeField()
    language = serializers.CharField()
    outlet = SourceRefSerializer(allow_null=True)
    wire = SourceRefSerializer(allow_null=True)
    photo_caption = serializers.CharField()
    photo_credit = serializers.CharField()
    copyright_line = serializers.CharField()
    comments_open = serializers.BooleanField()
    comments_url = serializers.URLField()
    corrections = CorrectionSerializer(many=True)
    coverage = CoverageSerializer()

    def to_representation(self, article: Any) -> dict[str, Any]:
        links = links_for(self.context)
        outlet, wire = article.outlet, article.wire
        data = {
            "slug": article.slug,
            "url": links.to("article", article.slug),
            "headline": article.headline,
            "headline_by_editor": article.headline_by_editor,
            "dek": article.dek,
            "body": article.body,
            "byline": article.byline,
            "dateline": article.dateline,
            "published_at": iso(article.published_at),
            "published_time_known": article.published_time_known,
            "updated_at": iso(article.updated_at),
            "language": article.language,
            "outlet": source_ref(links, outlet.slug, outlet.name) if outlet else None,
            "wire": source_ref(links, wire.slug, wire.name) if wire else None,
            "photo_caption": article.photo_caption,
            "photo_credit": article.photo_credit,
            "copyright_line": article.copyright_line,
            "comments_open": article.comments_open,
            "comments_url": links.comments(article.slug),
            "corrections": [
                {"kind": c.kind, "text": c.text, "created_at": iso(c.created_at)}
                for c in article.corrections.all()
            ],
            "coverage": coverage(article, links),
        }
        if is_editor(self.context):
            data.update({field: getattr(article, field) for field in EDITOR_FIELDS})
        return data


def coverage(article: Any, links: Any) -> dict[str, list[dict[str, Any]]]:
    """The confirmed links prefetched on `article` (see querysets.article_detail)."""

    def link(item: Any) -> dict[str, Any]:
        return {"evidence": item.evidence, "confirmed_at": iso(item.confirmed_at)}

    return {
        "rounds": [
            {
                "number": item.round.number,
                "negotiation": item.round.negotiation.slug,
                "url": links.to("round", item.round.number),
                "start_date": iso(item.round.start_date),
                **link(item),
            }
            for item in article.confirmed_roundlinks
        ],
        "meetings": [
            {
                "slug": item.meeting.slug,
                "url": links.to("meeting", item.meeting.slug),
                "title": item.meeting.title,
                "start_date": iso(item.meeting.start_date),
                **link(item),
            }
            for item in article.confirmed_meetinglinks
        ],
        "officials": [
            {
                "slug": item.official.slug,
                "url": links.to("official", item.official.slug),
                "name": item.official.name,
                **link(item),
            }
            for item in article.confirmed_officiallinks
        ],
        "measures": [
            {
                "slug": item.measure.slug,
                "url": links.to("measure", item.measure.slug),
                "name": item.measure.name,
                **link(item),
            }
            for item in article.confirmed_measurelinks
        ],
    }
