"""Articles as IPTC ninjs 3.1 (News in JSON), valid against the official JSON Schema.

Why 3.x rather than 2.1: 3.x is IPTC's current line, its plural, role-typed `headlines`,
`descriptions` and `bodies` hold a dek, a photo caption and a plain-text body without
inventing markup, and `infoSources` with roles keeps the outlet apart from the wire.

Only what the record states is emitted: empty fields are left out, never filled with guesses.
Coverage goes where ninjs expects it: meetings and rounds as `events`, officials as `people`,
tariff measures as `subjects`, each with its API URI.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from articles.api.links import Links, iso, links_for

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"

PUB_STATUS = {
    "published": "usable",
    "retracted": "canceled",
    "draft": "withheld",
    "in_review": "withheld",
}


def _text(value: str, role: str, content_type: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"role": role, "value": value}
    if content_type:
        item["contentType"] = content_type
    return item


def article_to_ninjs(article: Any, links: Links) -> dict[str, Any]:
    """One article (with the prefetches of querysets.article_detail) as a ninjs object."""
    data: dict[str, Any] = {
        "uri": links.to("article", article.slug),
        "type": "text",
        "representationType": "full",
        "profile": "newsroom-article",
        "version": str(article.version),
        "firstCreated": iso(article.created_at),
        "versionCreated": iso(article.updated_at),
        "pubStatus": PUB_STATUS[article.status],
        "language": article.language,
        "slugline": article.slug,
        "altIds": [{"role": "newsroom-slug", "value": article.slug}],
    }
    if article.published_at and article.published_time_known:
        data["contentCreated"] = iso(article.published_at)
    elif article.published_at:
        # ninjs wants a full date-time; the page gave only the date, so no time is invented.
        day = article.published_at.date().isoformat()
        data["edNote"] = f"Published {day}; the page did not state the time."
    if article.headline:
        data["headlines"] = [_text(article.headline, "main")]
    descriptions = []
    if article.dek:
        descriptions.append(_text(article.dek, "summary"))
    if article.photo_caption:
        descriptions.append(_text(article.photo_caption, "photo-caption"))
    if article.photo_credit:
        descriptions.append(_text(article.photo_credit, "photo-credit"))
    if descriptions:
        data["descriptions"] = descriptions
    if article.body:
        body = _text(article.body, "main", "text/plain")
        body["charCount"] = len(article.body)
        body["wordCount"] = len(article.body.split())
        data["bodies"] = [body]
    if article.byline:
        data["by"] = article.byline
    if article.dateline:
        data["located"] = article.dateline
    if article.copyright_line:
        data["copyrightNotice"] = article.copyright_line
    sources = []
    for source, role in ((article.outlet, "publisher"), (article.wire, "originator")):
        if source is not None:
            entry = {"name": source.name, "role": role, "literal": source.slug}
            entry["uri"] = links.to("source", source.slug)
            sources.append(entry)
    if sources:
        data["infoSources"] = sources
    events = [
        {
            "id": f"round-{link.round.negotiation.slug}-{link.round.number}",
            "name": f"Round {link.round.number}",
            "rel": "reports",
            "uri": links.to("round", link.round.number),
        }
        for link in article.confirmed_roundlinks
    ] + [
        {
            "id": link.meeting.slug,
            "name": link.meeting.title,
            "rel": "reports",
            "uri": links.to("meeting", link.meeting.slug),
        }
        for link in article.confirmed_meetinglinks
    ]
    if events:
        data["events"] = events
    people = [
        {
            "name": link.official.name,
            "rel": "covers",
            "literal": link.official.slug,
            "uri": links.to("official", link.official.slug),
        }
        for link in article.confirmed_officiallinks
    ]
    if people:
        data["people"] = people
    subjects = [
        {
            "name": link.measure.name,
            "rel": "reports",
            "literal": link.measure.slug,
            "uri": links.to("measure", link.measure.slug),
        }
        for link in article.confirmed_measurelinks
    ]
    if subjects:
        data["subjects"] = subjects
    return data


class NinjsTextSerializer(serializers.Serializer):
    role = serializers.CharField()
    value = serializers.CharField()
    contentType = serializers.CharField(required=False)


class NinjsBodySerializer(NinjsTextSerializer):
    charCount = serializers.IntegerField(required=False)
    wordCount = serializers.IntegerField(required=False)


class NinjsRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    uri = serializers.URLField()
    rel = serializers.CharField(required=False)
    role = serializers.CharField(required=False)
    literal = serializers.CharField(required=False)
    id = serializers.CharField(required=False)


class NinjsAltIdSerializer(serializers.Serializer):
    role = serializers.CharField()
    value = serializers.CharField()


class NinjsSerializer(serializers.Serializer):
    """An article as IPTC ninjs 3.1 (the subset this API emits; optional parts only when known).

    Validate against the official schema: http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json
    """

    uri = serializers.URLField()
    type = serializers.ChoiceField(choices=["text"])
    representationType = serializers.ChoiceField(choices=["full"])
    profile = serializers.CharField()
    version = serializers.CharField()
    firstCreated = serializers.DateTimeField()
    versionCreated = serializers.DateTimeField()
    contentCreated = serializers.DateTimeField(
        required=False, help_text="Publication time, only when the page stated it."
    )
    edNote = serializers.CharField(
        required=False, help_text="Says so when the page gave a date but no time."
    )
    pubStatus = serializers.ChoiceField(choices=["usable", "withheld", "canceled"])
    language = serializers.CharField()
    slugline = serializers.CharField()
    altIds = NinjsAltIdSerializer(many=True)
    headlines = NinjsTextSerializer(many=True, required=False)
    descriptions = NinjsTextSerializer(many=True, required=False)
    bodies = NinjsBodySerializer(many=True, required=False)
    by = serializers.CharField(required=False)
    located = serializers.CharField(required=False)
    copyrightNotice = serializers.CharField(required=False)
    infoSources = NinjsRefSerializer(many=True, required=False)
    events = NinjsRefSerializer(many=True, required=False)
    people = NinjsRefSerializer(many=True, required=False)
    subjects = NinjsRefSerializer(many=True, required=False)

    def to_representation(self, article: Any) -> dict[str, Any]:
        return article_to_ninjs(article, links_for(self.context))
