"""Revision history of articles with their coverage links: a link change is in the article's
history, with a readable diff, and reverting restores the links (and removes later ones)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, CoverageLink, RoundLink
from articles.services.history import BASELINE_COMMENT
from tests.articles.admin_support import client_for, form_data, role_user
from tests.articles.factories import ArticleFactory, RoundLinkFactory
from tests.negotiations.factories import RoundFactory

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def save_page(client: Client, article: Article, **changes: Any) -> Any:
    """Open the article's page and save it as a browser would, with `changes` applied."""
    data = form_data(client.get(change_url(article)).content, "article_form")
    data.update(changes)
    data["_continue"] = "Save and continue editing"
    return client.post(change_url(article), data)


def versions(article: Article) -> list[Version]:
    return list(Version.objects.get_for_object(article).select_related("revision").order_by("pk"))


@pytest.fixture
def editor_client() -> Client:
    return client_for(role_user("Editors", "editor"))


def test_accepting_a_link_is_a_revision_of_the_article_with_a_diff(editor_client: Client) -> None:
    article = ArticleFactory.create(headline="Akazawa in Washington")
    link = RoundLinkFactory.create(article=article, round=RoundFactory.create(number=4))
    assert save_page(editor_client, article).status_code == 302  # revision 1: link suggested

    response = save_page(editor_client, article, **{"roundlinks-0-decision": "accept"})

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == CoverageLink.Status.CONFIRMED
    baseline, first, second = versions(article)
    assert baseline.revision.comment == BASELINE_COMMENT
    assert "Changed status for round link" in second.revision.comment
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200
    compare = editor_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    html = compare.content.decode()
    assert compare.status_code == 200
    changed = re.findall(r"<h3>(\w+)", html)
    assert changed == ["roundlinks"]  # only the link changed; outlet and wire did not
    assert re.search(r"<del>[^<]*Round 4[^<]*\(suggested\)</del>", html)
    assert re.search(r"<ins>[^<]*Round 4[^<]*\(confirmed\)</ins>", html)


def test_reverting_restores_the_links_and_keeps_version_and_status_current(
    editor_client: Client,
) -> None:
    article = ArticleFactory.create(headline="First headline")
    suggested = RoundLinkFactory.create(article=article, round=RoundFactory.create(number=4))
    save_page(editor_client, article)
    first = versions(article)[0]
    extra_round = RoundFactory.create(number=5)
    save_page(
        editor_client,
        article,
        headline="Second headline",
        **{
            "roundlinks-0-decision": "reject",
            "roundlinks-TOTAL_FORMS": "2",
            "roundlinks-1-round": str(extra_round.pk),
            "roundlinks-1-evidence": "the fifth round of talks",
        },
    )
    assert RoundLink.objects.filter(article=article).count() == 2
    live_version = Article.objects.get(pk=article.pk).version

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    preview = editor_client.get(revision_url)
    assert preview.status_code == 200
    # Previewing changes nothing.
    assert Article.objects.get(pk=article.pk).headline == "Second headline"
    data = form_data(preview.content, "article_form")
    assert data["headline"] == "First headline"
    assert data["loaded_version"] == str(live_version)

    response = editor_client.post(revision_url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert article.version == live_version + 1
    assert article.status == Article.Status.DRAFT
    links = list(RoundLink.objects.filter(article=article))
    assert [(link.pk, link.status) for link in links] == [
        (suggested.pk, CoverageLink.Status.SUGGESTED)
    ]
    assert "Reverted" in versions(article)[-1].revision.comment


def test_reverting_does_not_unpublish_an_article(editor_client: Client) -> None:
    article = ArticleFactory.create(status=Article.Status.IN_REVIEW, headline="Draft headline")
    save_page(editor_client, article)
    first = versions(article)[0]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    data = form_data(editor_client.get(revision_url).content, "article_form")
    editor_client.post(revision_url, data)

    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_revert_from_a_stale_page_is_refused(editor_client: Client) -> None:
    article = ArticleFactory.create(headline="One")
    save_page(editor_client, article)
    save_page(editor_client, article, headline="Two")
    first = versions(article)[0]
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    data = form_data(editor_client.get(revision_url).content, "article_form")
    save_page(client_for(role_user("Editors", "other")), article, headline="Three")

    response = editor_client.post(revision_url, data)

    assert response.status_code == 200
    assert "other" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline == "Three"


def test_a_moderator_cannot_revert(editor_client: Client) -> None:
    article = ArticleFactory.create(headline="One")
    save_page(editor_client, article)
    save_page(editor_client, article, headline="Two")
    first = versions(article)[0]
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    data = form_data(editor_client.get(revision_url).content, "article_form")

    response = client_for(role_user("Moderators")).post(revision_url, data)

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == "Two"
