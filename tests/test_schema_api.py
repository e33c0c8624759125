"""The live OpenAPI schema: valid, browsable offline, and true to what the API answers.

Schemathesis generates requests from the schema against the app in process (its WSGI
application, no server): its coverage phase (boundary values, empty and malformed values,
unknown parameters, undeclared methods) and a bounded, derandomized number of fuzzed cases per
operation. Every check it has runs on every answer: no server error; documented status,
content type, headers and body; schema-valid requests accepted and schema-invalid ones refused;
undeclared methods answered 405.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.articles.api_support import covered_article, fresh_cache  # noqa: F401
from tests.articles.factories import CommentFactory, PublishedArticleFactory
from tests.negotiations.factories import (
    MeetingFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

SCHEMA_URL = "/api/v1/schema/?format=json"


def test_the_schema_is_openapi_3_and_documents_problems(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/articles/{slug}/" in schema["paths"]
    listing = schema["paths"]["/api/v1/articles/"]["get"]
    assert "application/problem+json" in listing["responses"]["400"]["content"]
    assert "application/ninjs+json" in listing["responses"]["200"]["content"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"round", "meeting", "official", "measure", "q", "cursor", "page_size"} <= names


def test_the_schema_endpoint_refuses_and_errs_like_every_other(client):
    assert client.get("/api/v1/schema/?format=yaml&lang=en").status_code == 200
    for response, name in [
        (client.get("/api/v1/schema/", {"format": "xml"}), "format"),
        (client.get("/api/v1/schema/", {"foo": "1"}), "foo"),
    ]:
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert [p["name"] for p in response.json()["invalid_params"]] == [name]
    refused = client.post("/api/v1/schema/")
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 405  # JSON, not an OpenAPI YAML rendering


def test_the_docs_work_offline_from_packaged_assets(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Requests through the bare WSGI app must not close the test's database connection at
    request end (Django's test Client does the same), or PostgreSQL loses the test's data."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def known(db: None, fresh_cache: None, same_connection: None) -> dict[str, Any]:  # noqa: F811
    """A little of everything, so generated requests also meet real records."""
    rnd = RoundFactory(number=1)
    meeting = MeetingFactory(slug="talks", round=rnd)
    official, measure = OfficialFactory(slug="akazawa"), TariffMeasureFactory(slug="autos")
    article = covered_article(
        round=rnd, meeting=meeting, official=official, measure=measure, slug="covered"
    )
    CommentFactory(article=article, status="approved")
    PublishedArticleFactory(slug="plain", dek="", wire=None)
    return {
        "slug": "covered",
        "article_slug": "covered",
        "number": 1,
        "meeting": "talks",
        "official": "akazawa",
        "measure": "autos",
        "outlet": article.outlet.slug,
        "negotiation": rnd.negotiation.slug,
    }


# Loaded when the module is collected (pytest-django has set Django up by then; building the
# schema reads no database). schemathesis.pytest.from_fixture would be lazier, but it does not
# work with pytest 9 (it rewrites the private Node._nodeid).
api_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@api_schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_find_no_server_error_and_no_schema_breach(
    case: Any, known: dict[str, Any]
) -> None:
    """Every check schemathesis has, positive and negative data alike."""
    seed_known_data(case, known)
    case.call_and_validate()


# Query parameters that name a record: a slug the schema admits but no record has is refused
# with a 400 naming it (the README's contract), so schema-valid requests name real ones.
REFERENCES = {
    "meeting": "meeting",
    "official": "official",
    "measure": "measure",
    "outlet": "outlet",
    "wire": "outlet",
    "negotiation": "negotiation",
}


def seed_known_data(case: Any, known: dict[str, Any]) -> None:
    """What the schema cannot say, for requests generated as valid: which slugs exist, which
    strings are cursors (opaque, from `next`/`previous` links), and that relevance orders
    search results only. Invalid requests go out as generated."""
    if case.meta is None or not case.meta.generation.mode.is_positive or not case.query:
        return
    for name, record in REFERENCES.items():
        if name in case.query:
            case.query[name] = known[record]
    case.query.pop("cursor", None)
    if case.query.get("ordering") == "relevance" and not str(case.query.get("q", "")).strip():
        case.query["q"] = "talks"


def test_every_read_endpoint_conforms_with_real_records(known: dict[str, Any]) -> None:
    """Generated slugs mostly miss; these requests hit real records on every GET route."""
    details = {
        "/api/v1/articles/{slug}/": {"slug": "covered"},
        "/api/v1/articles/{article_slug}/comments/": {"article_slug": "covered"},
        "/api/v1/sources/{slug}/": {"slug": known["outlet"]},
        "/api/v1/officials/{slug}/": {"slug": "akazawa"},
        "/api/v1/rounds/{number}/": {"number": 1},
        "/api/v1/meetings/{slug}/": {"slug": "talks"},
        "/api/v1/tariff-measures/{slug}/": {"slug": "autos"},
    }
    calls = 0
    for operation in api_schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "GET":
            continue
        path = details.get(op.path, {})
        formats = ["json", "ninjs"] if op.path.startswith("/api/v1/articles/{slug}") else ["json"]
        for fmt in formats:
            case = op.Case(path_parameters=path, query={"format": fmt})
            response = case.call_and_validate()
            assert response.status_code == 200, (op.path, response.text[:300])
            calls += 1
    assert calls >= 12
