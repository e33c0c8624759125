"""Editing together: the open article page polls who else has it open and whether a newer
version was saved since it was opened, with a link to the diff."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.services.workflow import save_article
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def presence_url(article: object) -> str:
    return reverse("admin:articles_article_presence", args=[article.pk])  # type: ignore[attr-defined]


def test_each_editor_sees_who_else_has_the_article_open() -> None:
    article = ArticleFactory.create()
    alice = client_for(role_user("Editors", "alice"))
    bob = client_for(role_user("Editors", "bob"))

    first = alice.post(presence_url(article), {"loaded_version": "1"}).json()
    second = bob.post(presence_url(article), {"loaded_version": "1"}).json()
    again = alice.post(presence_url(article), {"loaded_version": "1"}).json()

    assert first == {"others": [], "newer": None}
    assert second["others"] == ["alice"]
    assert again["others"] == ["bob"]


def test_a_newer_version_saved_meanwhile_is_named_with_a_link_to_the_diff() -> None:
    article = ArticleFactory.create(dek="")
    alice = role_user("Editors", "alice")
    bob = client_for(role_user("Editors", "bob"))
    page = bob.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'id="presence"' in page and 'data-loaded-version="1"' in page
    assert "articles/presence.js" in page

    article.dek = "Alice's summary"
    save_article(article, editor=alice, expected_version=1, changed_fields=["dek"])
    article.dek = "Alice again"
    save_article(article, editor=alice, expected_version=2, changed_fields=["dek"])
    state = bob.post(presence_url(article), {"loaded_version": "1"}).json()

    assert state["newer"]["version"] == 3
    assert state["newer"]["saved_by"] == "alice"
    assert state["newer"]["diff_url"].startswith(
        reverse("admin:articles_article_compare", args=[article.pk]) + "?version_id1="
    )
    diff = bob.get(state["newer"]["diff_url"])
    assert diff.status_code == 200 and "Alice again" in diff.content.decode()


def test_presence_takes_post_from_desk_users_only() -> None:
    article = ArticleFactory.create()
    assert client_for(role_user("Editors")).get(presence_url(article)).status_code == 405
    assert client_for(role_user("Moderators")).post(presence_url(article)).status_code == 403
