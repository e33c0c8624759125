"""Helpers shared by the API tests: editors, tokens, confirmed links, problem checks.
(Named test_api_* to stay within the API tests' files; it holds no tests.)"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from articles.models import Article
from tests.articles.factories import (
    MeasureLinkFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
    UserFactory,
)

PROBLEM = "application/problem+json"
CONFIRMED_AT = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Throttle counters and validator generations from other tests must not leak in."""
    cache.clear()
    yield
    cache.clear()


def editor(username: str = "api-editor") -> Any:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def editor_client(username: str = "api-editor") -> Client:
    token = Token.objects.create(user=editor(username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def confirmer() -> Any:
    # Looked up first: building a user hashes a password, which is slow on purpose.
    User = get_user_model()
    return User.objects.filter(username="confirmer").first() or UserFactory(username="confirmer")


def confirm(factory: Any, article: Article, **target: Any) -> Any:
    """A confirmed coverage link, as an editor leaves it."""
    return factory(
        article=article,
        status="confirmed",
        origin="editor",
        confirmed_by=confirmer(),
        confirmed_at=CONFIRMED_AT,
        **target,
    )


def covered_article(*, round: Any, meeting: Any, official: Any, measure: Any, **kw: Any) -> Any:
    """A published article with one confirmed link of every kind."""
    article = PublishedArticleFactory(**kw)
    confirm(RoundLinkFactory, article, round=round, evidence=f"Round {round.number} evidence.")
    confirm(MeetingLinkFactory, article, meeting=meeting, evidence="Meeting evidence.")
    confirm(OfficialLinkFactory, article, official=official, evidence="Official evidence.")
    confirm(MeasureLinkFactory, article, measure=measure, evidence="Measure evidence.")
    return article


def assert_problem(response: Any, status: int, *names: str) -> dict[str, Any]:
    """An RFC 9457 problem with this status, naming exactly these parameters (if any)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    if names:
        assert sorted(p["name"] for p in body["invalid_params"]) == sorted(names)
        assert all(p["reason"] for p in body["invalid_params"])
    return body


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]
