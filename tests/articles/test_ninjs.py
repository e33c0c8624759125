"""Every demo article, as IPTC ninjs 3.1, validates against the official JSON Schema."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator, FormatChecker

from articles.models import Article
from tests.articles.api_support import (
    confirm,
    editor_client,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import (
    ArticleFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
    SourceFactory,
    WireFactory,
)
from tests.negotiations.factories import (
    MeetingFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

# IPTC's official ninjs 3.1 JSON Schema, copied unchanged from the design's shared/specs/ninjs/.
SCHEMA_PATH = Path(__file__).resolve().parent / "specs" / "ninjs-schema_3.1.json"
NINJS = "application/ninjs+json"

# jsonschema checks "uri" and "date-time" only with optional packages; check them here.
formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def is_rfc3339(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value or not (value.endswith("Z") or value[-6] in "+-"):
        raise ValueError(f"not an RFC 3339 date-time with offset: {value}")
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@formats.checks("uri", raises=ValueError)
def is_absolute_uri(value: object) -> bool:
    if isinstance(value, str) and not (urlsplit(value).scheme and urlsplit(value).netloc):
        raise ValueError(f"not an absolute URI: {value}")
    return True


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=formats)


def assert_valid(validator: Draft202012Validator, item: dict) -> None:
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def the_fullest_article() -> Article:
    """Every optional part the API emits: credits, wire, caption, all four kinds of link."""
    article = PublishedArticleFactory(
        headline="Akazawa, Lutnick meet for 130 minutes",
        dek="Fourth round of tariff talks in Washington",
        body="WASHINGTON — Japan's top negotiator met the commerce secretary.",
        byline="By A. Reporter",
        dateline="WASHINGTON",
        photo_caption="Ryosei Akazawa speaks to reporters.",
        photo_credit="Kyodo",
        copyright_line="© Kyodo",
        language="en",
        published_time_known=True,
        outlet=SourceFactory(url="https://japantoday.com/"),
        wire=WireFactory(),
    )
    rnd = RoundFactory(number=40)
    confirm(RoundLinkFactory, article, round=rnd)
    confirm(MeetingLinkFactory, article, meeting=MeetingFactory(round=rnd))
    confirm(OfficialLinkFactory, article, official=OfficialFactory(name="Ryosei Akazawa"))
    confirm(MeasureLinkFactory, article, measure=TariffMeasureFactory(name="Autos 25%"))
    return article


def load_demo() -> None:
    """The demo's articles: seeds imported, the desk's work applied."""
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_every_published_demo_article_is_valid_ninjs(client, reference_data, validator):
    load_demo()
    fullest = the_fullest_article()
    PublishedArticleFactory(dek="", body="", byline="", wire=None)  # the sparsest
    published = list(Article.objects.published().values_list("slug", flat=True))
    assert fullest.slug in published
    assert Article.objects.published().filter(raw_documents__isnull=False).count() >= 3  # demo
    for slug in published:
        response = client.get(f"/api/v1/articles/{slug}/", HTTP_ACCEPT=NINJS)
        assert response.status_code == 200
        assert response["Content-Type"] == NINJS
        assert_valid(validator, response.json())
    listed = client.get("/api/v1/articles/", {"format": "ninjs", "page_size": 100}).json()
    assert len(listed["results"]) == len(published)
    for item in listed["results"]:
        assert_valid(validator, item)


def test_ninjs_carries_what_the_record_states_and_nothing_else(client, validator):
    item = client.get(f"/api/v1/articles/{the_fullest_article().slug}/?format=ninjs").json()
    assert item["headlines"] == [{"role": "main", "value": "Akazawa, Lutnick meet for 130 minutes"}]
    assert {d["role"] for d in item["descriptions"]} == {"summary", "photo-caption", "photo-credit"}
    assert item["bodies"][0]["contentType"] == "text/plain"
    assert (item["by"], item["located"], item["copyrightNotice"]) == (
        "By A. Reporter",
        "WASHINGTON",
        "© Kyodo",
    )
    assert [s["role"] for s in item["infoSources"]] == ["publisher", "originator"]
    assert item["events"][0]["name"] == "Round 40"
    assert item["people"][0]["name"] == "Ryosei Akazawa"
    assert item["subjects"][0]["name"] == "Autos 25%"
    assert item["pubStatus"] == "usable"
    assert item["contentCreated"].endswith("Z") and "edNote" not in item
    sparse = PublishedArticleFactory(
        dek="",
        body="",
        byline="",
        wire=None,
        published_at=datetime.datetime(2025, 5, 30, 12, tzinfo=datetime.UTC),
        published_time_known=False,
    )
    bare = client.get(f"/api/v1/articles/{sparse.slug}/?format=ninjs").json()
    assert_valid(validator, bare)
    assert {"descriptions", "bodies", "by", "events", "people", "subjects"}.isdisjoint(bare)
    assert [s["role"] for s in bare["infoSources"]] == ["publisher"]
    # Only a date on the page: no invented time of day.
    assert "contentCreated" not in bare
    assert bare["edNote"] == "Published 2025-05-30; the page did not state the time."


def test_drafts_shown_to_editors_are_valid_ninjs_and_withheld(validator):
    ArticleFactory(slug="draft", headline="", published_at=None, outlet=None)
    item = editor_client().get("/api/v1/articles/draft/", HTTP_ACCEPT=NINJS).json()
    assert_valid(validator, item)
    assert item["pubStatus"] == "withheld"
    assert "headlines" not in item and "contentCreated" not in item
