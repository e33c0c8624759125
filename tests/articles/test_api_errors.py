"""Every API error is an RFC 9457 problem; CORS lets configured origins read the API."""

from __future__ import annotations

import pytest
from django.test import Client

from articles.api import querysets
from tests.articles.api_support import (
    assert_problem,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import PublishedArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_unknown_paths_and_records_are_404_problems(client):
    assert "/api/v1/schema/" in assert_problem(client.get("/api/v1/nothing/here/"), 404)["detail"]
    assert_problem(client.get("/api/v1/articles/no-such-article/"), 404)
    assert_problem(client.get("/api/v1/articles/no-such-article/comments/"), 404)
    assert_problem(client.get("/api/v1/problems/no-such-problem/"), 404)
    moved = client.get("/api/v1/articles", {"page_size": 5})
    assert (moved.status_code, moved["Location"]) == (301, "/api/v1/articles/?page_size=5")
    body = assert_problem(client.post("/api/v1/articles/x/comments", {}), 404)
    assert "final slash" in body["detail"]


def test_writes_to_read_only_endpoints_are_405_problems(client):
    article = PublishedArticleFactory()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/articles/", {}, content_type="application/json")
        body = assert_problem(response, 405)
        assert body["title"] == "Method Not Allowed"
    assert_problem(client.delete(f"/api/v1/articles/{article.slug}/comments/"), 405)


def test_an_unsatisfiable_accept_header_is_a_406_problem(client):
    assert_problem(client.get("/api/v1/articles/", HTTP_ACCEPT="text/csv"), 406)
    ninjs = client.get("/api/v1/articles/", HTTP_ACCEPT="application/ninjs+json")
    assert ninjs["Content-Type"] == "application/ninjs+json"
    assert_problem(client.get("/api/v1/meetings/", {"format": "ninjs"}), 400, "format")


def test_a_bad_token_is_a_401_problem_with_a_challenge():
    response = Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/articles/")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_an_unexpected_failure_is_a_500_problem_that_reveals_nothing(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(querysets, "meetings", broken)
    body = assert_problem(client.get("/api/v1/meetings/"), 500)
    assert "secret" not in body["detail"]


def test_cors_lets_configured_origins_read_but_not_write(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    PublishedArticleFactory()
    allowed = client.get("/api/v1/articles/", HTTP_ORIGIN="https://app.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    exposed = {h.strip().lower() for h in allowed["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "retry-after"} <= exposed
    stranger = client.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in stranger
    preflight = client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_head_answers_like_get_without_a_body(client):
    PublishedArticleFactory(slug="a")
    for url in ["/api/v1/articles/", "/api/v1/articles/a/", "/api/v1/timeline/"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert head["ETag"] == get["ETag"]
