"""The editor's inbox on the admin's landing page: what needs review grouped by reason with
counts (a byline alone counted apart), suggested links per kind, changed raw pages, recent
imports, the editor's own drafts; the same queries for 1 row or 50."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.services.workflow import save_article
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory, RawDocumentFactory, RoundLinkFactory

pytestmark = pytest.mark.django_db


def inbox_html(client: object) -> str:
    html = client.get(reverse("admin:index")).content.decode()  # type: ignore[attr-defined]
    match = re.search(r'<section class="module editor-inbox".*?</section>', html, re.S)
    assert match, "no inbox on the landing page"
    return match.group(0)


def test_the_inbox_groups_what_needs_review_and_lists_the_editors_drafts() -> None:
    editor = role_user("Editors", "erin")
    ArticleFactory.create(outlet=None)
    ArticleFactory.create(outlet=None, published_at=None)
    ArticleFactory.create(needs_review=["byline"])  # optional only: not "needing review"
    RoundLinkFactory.create()
    ArticleFactory.create(source_changed=True)
    RawDocumentFactory.create(file_name="wire-0723.txt", import_report={"outcome": "created"})
    mine = ArticleFactory.create(headline="Erin's draft on round seven")
    mine.dek = "Changed"
    save_article(mine, editor=editor, expected_version=1, changed_fields=["dek"])
    ArticleFactory.create(headline="Someone else's draft")

    html = inbox_html(client_for(editor))

    assert "Articles needing review: 4</a>" in html
    assert "Missing outlet</a>: 2" in html
    assert "Missing published time</a>: 1" in html
    assert "Unconfirmed link suggestions</a>: 1" in html
    assert "Changed raw pages: 1" in html
    assert "1 without a byline" in html
    assert "Round links</a>: 1" in html
    assert "wire-0723.txt" in html and "created" in html
    assert "Erin&#x27;s draft on round seven" in html
    assert "Someone else" not in html


def test_moderators_see_no_editor_inbox() -> None:
    html = client_for(role_user("Moderators")).get(reverse("admin:index")).content.decode()
    assert "editor-inbox" not in html


def _queries(rows: int, name: str) -> int:
    editor = role_user("Editors", name)
    for n in range(rows):
        article = ArticleFactory.create(outlet=None, needs_review=["byline"])
        RoundLinkFactory.create(article=article)
        RawDocumentFactory.create(article=article, import_report={"outcome": "created"})
        article.dek = f"Draft {n}"
        save_article(article, editor=editor, expected_version=1, changed_fields=["dek"])
    client = client_for(editor)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_queries_for_1_or_50_rows() -> None:
    assert _queries(1, "one") == _queries(50, "fifty")
    assert Article.objects.count() == 51
