"""The moderation queue as a moderator meets it: no aggregate over the comment table on a page
load (the article filter included), counts that follow decisions, the quote shown with the
comment it introduces, links that lead where they say, and titles that name the work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.services.moderation import approve_comment
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    ImportedCommentFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:articles_comment_changelist")


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator() -> Any:
    return role_user("Moderators", "mona")


def test_a_warm_queue_load_runs_no_aggregate_over_the_comments(moderator: Any) -> None:
    for article in ArticleFactory.create_batch(3):
        CommentFactory.create_batch(2, article=article)
    client = client_for(moderator)
    client.get(QUEUE)  # the first load of a minute computes the cached counts

    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE)

    assert response.status_code == 200
    on_comments = [q["sql"] for q in captured if "articles_comment" in q["sql"]]
    assert on_comments
    for sql in on_comments:
        assert "GROUP BY" not in sql.upper(), sql
        if "COUNT(" in sql.upper():
            # The only count is the paginator's, over a LIMITed subquery.
            assert re.search(r"SELECT COUNT\(\*\) FROM \(SELECT .* LIMIT \d+\)", sql), sql


def test_the_article_filter_lists_the_busiest_articles_and_follows_decisions(
    moderator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    busy = PublishedArticleFactory.create(headline="Busy article")
    quiet = PublishedArticleFactory.create(headline="Quiet article")
    busy_comments = CommentFactory.create_batch(3, article=busy)
    CommentFactory.create(article=quiet)
    client = client_for(moderator)

    html = client.get(QUEUE).content.decode()
    assert "Busy article (3 pending)" in html and "Quiet article (1 pending)" in html
    assert html.index("Busy article (3 pending)") < html.index("Quiet article (1 pending)")

    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(busy_comments[0], moderator=moderator)

    assert "Busy article (2 pending)" in client.get(QUEUE).content.decode()


def test_the_quote_is_shown_with_the_comment_it_introduces(moderator: Any) -> None:
    article = PublishedArticleFactory.create(headline="Akazawa and Lutnick talk twice")
    quoted = ImportedCommentFactory.create(
        article=article, author_handle="", body="America is not your friend."
    )
    replying = ImportedCommentFactory.create(
        article=article,
        author_handle="",
        body="That goes both ways.",
        quotes_comment=quoted,
        quoted_text="America is not your friend.",
    )
    unknown_source = ImportedCommentFactory.create(
        article=article, body="Two talks of 15 minutes?", quoted_text="about 15 minutes"
    )

    html = client_for(moderator).get(QUEUE).content.decode()

    def cell(comment: Any) -> str:
        start = html.index(f'name="seen-{comment.pk}"')
        row_start = html.rindex("<tr", 0, start)
        return html[row_start:start]

    reply = cell(replying)
    assert re.search(
        rf'<blockquote class="comment-quote"[^>]*><span class="quote-source">'
        rf"Quoting comment #{quoted.pk}:</span> America is not your friend.</blockquote>"
        rf'<div class="comment-body"[^>]*>That goes both ways.</div>',
        reply,
    )
    assert "Quoting:</span> about 15 minutes" in cell(unknown_source)
    assert "Quoting quoted text" not in html
    assert "comment-quote" not in cell(quoted)


def test_the_article_links_lead_to_the_article_and_to_its_comments(moderator: Any) -> None:
    article = PublishedArticleFactory.create(headline="Japan, US agree on 15% tariff")
    comment = CommentFactory.create(article=article)
    CommentFactory.create()
    client = client_for(moderator)

    page = client.get(reverse("admin:articles_comment_change", args=[comment.pk]))
    html = page.content.decode()
    its_comments = re.search(r'class="queue-article-filter" href="([^"]+)"', html)

    assert its_comments is not None
    assert its_comments.group(1) == f"{QUEUE}?article={article.pk}"
    filtered = client.get(its_comments.group(1).replace("&amp;", "&"))
    assert list(filtered.context["cl"].result_list) == [comment]
    assert reverse("admin:articles_article_change", args=[article.pk]) in html


def test_the_pages_say_what_they_are(moderator: Any) -> None:
    article = PublishedArticleFactory.create(headline="Japan, US agree on 15% tariff")
    comment = CommentFactory.create(article=article, author_handle="tokyo_reader")
    client = client_for(moderator)

    queue = client.get(QUEUE).content.decode()
    approved = client.get(QUEUE + "?status=approved").content.decode()
    page = client.get(reverse("admin:articles_comment_change", args=[comment.pk])).content.decode()
    editor_view = (
        client_for(role_user("Read-only"))
        .get(reverse("admin:articles_moderationdecision_changelist"))
        .status_code
    )

    assert "<h1>Moderation queue: pending comments, oldest first</h1>" in queue
    assert "<h1>Comments: approved</h1>" in approved
    assert f"<h1>Moderate comment #{comment.pk}</h1>" in page
    assert "By tokyo_reader on “Japan, US agree on 15% tariff”" in page
    assert f"&rsaquo; Comment #{comment.pk}" in page
    assert f"on {article.pk}:" not in page  # not the model's bare "on <id>" label
    assert editor_view == 403


def test_a_long_url_in_a_comment_wraps_instead_of_widening_the_queue(moderator: Any) -> None:
    CommentFactory.create(body="See https://example.org/" + "a" * 300)

    html = client_for(moderator).get(QUEUE).content.decode()

    # The rule lives in the queue's stylesheet (no inline style under the CSP).
    assert '<div class="comment-body">' in html and "moderation-queue.css" in html
    stylesheet = (
        Path(__file__).resolve().parents[2] / "articles/static/articles/moderation-queue.css"
    ).read_text(encoding="utf-8")
    assert re.search(r"\.comment-body \{[^}]*overflow-wrap: anywhere", stylesheet)
