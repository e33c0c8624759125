"""The API does exactly what its schema and README say: empty values are refused, text is
text, the schema declares what the server enforces, undeclared methods are 405."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.articles.api_support import (
    assert_problem,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import PublishedArticleFactory
from tests.negotiations.factories import MeetingFactory, RoundFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

SCHEMA = "/api/v1/schema/?format=json"


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    return client.get(SCHEMA).json()


# Empty values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/articles/", "format"),
        ("/api/v1/articles/", "ordering"),
        ("/api/v1/articles/", "measure"),
        ("/api/v1/articles/", "q"),
        ("/api/v1/articles/", "cursor"),
        ("/api/v1/articles/a/", "format"),
        ("/api/v1/articles/a/comments/", "ordering"),
        ("/api/v1/tariff-measures/", "in_force_on"),
        ("/api/v1/tariff-measures/", "country"),
        ("/api/v1/tariff-measures/", "status"),
        ("/api/v1/officials/", "country"),
        ("/api/v1/rounds/", "status"),
        ("/api/v1/rounds/1/", "negotiation"),
        ("/api/v1/meetings/", "date_from"),
        ("/api/v1/meetings/", "date_to"),
        ("/api/v1/timeline/", "date_from"),
        ("/api/v1/timeline/", "date_to"),
        ("/api/v1/schema/", "format"),
    ],
)
def test_an_empty_value_is_a_400_naming_the_parameter(client: Client, url: str, name: str):
    PublishedArticleFactory(slug="a")
    RoundFactory(number=1)
    body = assert_problem(client.get(f"{url}?{name}="), 400, name)
    assert "Empty value" in body["invalid_params"][0]["reason"]


@pytest.mark.parametrize(
    ("url", "query", "name"),
    [
        ("/api/v1/meetings/", "date_from=2025-5-1", "date_from"),
        ("/api/v1/meetings/", "date_to=%202025-05-01", "date_to"),
        ("/api/v1/timeline/", "date_from=2025-05-1", "date_from"),
        ("/api/v1/tariff-measures/", "in_force_on=0000-00-00", "in_force_on"),
        ("/api/v1/articles/", "published_from=0000-00-00", "published_from"),
        ("/api/v1/articles/", "published_to=%202025-05-01", "published_to"),
    ],
)
def test_a_date_is_yyyy_mm_dd_exactly(client: Client, url: str, query: str, name: str):
    assert_problem(client.get(f"{url}?{query}"), 400, name)


# Text fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        {"author_name": 12345, "body": "Numbers are not names."},
        {"author_name": "Reader", "body": 42},
        {"author_name": "Reader", "body": 4.2},
        {"author_name": "Reader", "body": True},
        {"author_name": "Reader", "body": "Fine.", "website": 0},
    ],
)
def test_the_comment_text_fields_take_strings_only(client: Client, sent: dict[str, Any]):
    article = PublishedArticleFactory()
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/", sent, content_type="application/json"
    )
    wrong = [name for name, value in sent.items() if not isinstance(value, str)]
    body = assert_problem(response, 400, *wrong)
    assert "string" in body["invalid_params"][0]["reason"]
    assert not article.comments.exists()


# The schema declares what the server enforces ------------------------------------------------


def test_the_comment_submission_schema_refuses_unknown_fields_as_the_server_does(
    client: Client, schema: dict[str, Any]
):
    submission = schema["components"]["schemas"]["CommentSubmissionRequest"]
    assert submission["additionalProperties"] is False
    article = PublishedArticleFactory()
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "Reader", "body": "Hello.", "extra": "x"},
        content_type="application/json",
    )
    assert_problem(response, 400, "extra")


def test_a_meetings_start_time_is_declared_as_the_local_time_it_is(
    client: Client, schema: dict[str, Any]
):
    """A wall-clock time at the meeting's place, without an offset (its zone is time_zone):
    not `format: time`, which is RFC 3339's and has one."""
    declared = schema["components"]["schemas"]["Meeting"]["properties"]["start_time"]
    assert "format" not in declared
    MeetingFactory(slug="m", start_time="10:30")
    served = client.get("/api/v1/meetings/m/").json()
    assert re.fullmatch(declared["pattern"], served["start_time"])
    assert served["time_zone"] and served["starts_at"].endswith(("Z", "+00:00"))


def test_every_string_query_parameter_declares_that_it_cannot_be_empty(schema: dict[str, Any]):
    strings = [
        (path, parameter)
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("type") == "string"
    ]
    assert len(strings) > 20
    assert [(p, q["name"]) for p, q in strings if q["schema"].get("minLength", 0) < 1] == []


def test_the_date_patterns_admit_dates_and_nothing_the_server_refuses(schema: dict[str, Any]):
    listing = schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
    instant = next(p for p in listing if p["name"] == "published_from")["schema"]["pattern"]
    measures = schema["paths"]["/api/v1/tariff-measures/"]["get"]["parameters"]
    day = next(p for p in measures if p["name"] == "in_force_on")["schema"]["pattern"]
    for pattern in (instant, day):
        assert re.search(pattern, "2025-05-01")
        assert re.search(pattern, "9999-12-31")
        for refused in ("0000-00-00", "0000-01-01", "2025-13-01", "2025-05-00", "2025-5-1"):
            assert not re.search(pattern, refused), (pattern, refused)
    assert re.search(instant, "2025-05-01T09:00:00+09:00")
    assert not re.search(instant, "2025-05-01T24:00:00+09:00")


# Undeclared methods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("TRACE", "/api/v1/articles/?unknown=1"),
        ("TRACE", "/api/v1/timeline/?date_from="),
        ("PUT", "/api/v1/articles/a/?format=xml"),
        ("DELETE", "/api/v1/articles/a/comments/?unknown=1"),
        ("TRACE", "/api/v1/schema/?unknown=1"),
        ("POST", "/api/v1/schema/?format="),
    ],
)
def test_an_undeclared_method_is_405_whatever_the_parameters(client: Client, method: str, url: str):
    PublishedArticleFactory(slug="a")
    response = client.generic(method, url)
    body = assert_problem(response, 405)
    assert body["title"] == "Method Not Allowed"
    assert response["Allow"]
    assert method not in response["Allow"]


def test_the_schemas_date_pattern_admits_exactly_the_calendars_days() -> None:
    """A day the month lacks (2025-02-31, 2023-02-29) is refused by the schema as by the
    server, so a request the schema calls valid never gets a 400."""
    import datetime
    import re

    from articles.api.filters import DATE_PATTERN

    for year in (1, 4, 100, 400, 1900, 2000, 2023, 2024, 2025, 2100, 2400, 9999):
        for month in range(0, 14):
            for day in range(0, 33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                try:
                    datetime.date.fromisoformat(text)
                    real = True
                except ValueError:
                    real = False
                assert bool(re.fullmatch(DATE_PATTERN, text)) == real, text
    assert not re.fullmatch(DATE_PATTERN, "0000-01-01")
