"""Atom feeds of published articles parse cleanly and list what they should."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.utils import timezone

from articles.services.workflow import retract_article
from tests.articles.api_support import (
    confirm,
    editor,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import (
    ArticleFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
)
from tests.negotiations.factories import OfficialFactory, RoundFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def parse(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_articles_feed_lists_published_articles_newest_first(client):
    older = PublishedArticleFactory(
        headline="Older", published_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)
    )
    newer = PublishedArticleFactory(
        headline="Newer <& co>",
        dek="Talks resume",
        byline="",
        published_at=datetime.datetime(2025, 5, 2, 8, 30, tzinfo=datetime.UTC),
        published_time_known=True,
    )
    ArticleFactory(headline="A draft")
    confirm(OfficialLinkFactory, newer, official=OfficialFactory(name="Ryosei Akazawa"))
    feed = parse(client.get("/feeds/articles/"))
    assert [e.title for e in feed.entries] == ["Newer <& co>", "Older"]
    first = feed.entries[0]
    assert first.link.endswith(f"/api/v1/articles/{newer.slug}/")
    assert first.summary == "Talks resume"
    assert first.author == newer.outlet.name  # no byline: the outlet
    assert feed.entries[1].author == older.byline
    assert [t.term for t in first.tags] == ["Ryosei Akazawa"]
    assert first.published_parsed[:5] == (2025, 5, 2, 8, 30)
    assert "published" not in feed.entries[1]  # the page gave no time: none is invented


def test_a_round_feed_lists_articles_confirmed_to_report_that_round(client):
    round_4 = RoundFactory(number=4, place="Washington, D.C.")
    reported = PublishedArticleFactory(headline="Round four")
    confirm(RoundLinkFactory, reported, round=round_4)
    RoundLinkFactory(article=PublishedArticleFactory(headline="Suggested only"), round=round_4)
    PublishedArticleFactory(headline="Unrelated")
    feed = parse(client.get("/feeds/rounds/4/"))
    assert [e.title for e in feed.entries] == ["Round four"]
    assert "round 4" in feed.feed.title and "Washington" in feed.feed.title
    assert [t.term for t in feed.entries[0].tags] == ["Round 4"]
    assert client.get("/feeds/rounds/99/").status_code == 404


def test_feeds_answer_conditional_requests(client):
    PublishedArticleFactory()
    for url in ("/feeds/articles/", "/feeds/rounds/4/"):
        if url.endswith("/4/"):
            confirm(RoundLinkFactory, PublishedArticleFactory(), round=RoundFactory(number=4))
        first = client.get(url)
        assert first.status_code == 200
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_retraction_changes_the_feeds_validators(client, monkeypatch):
    """Retracting goes through QuerySet.update() (no signal) and takes the entry out: the
    feed must not answer 304 to a client holding the copy that still lists it."""
    article = PublishedArticleFactory(headline="To be retracted")
    first = client.get("/feeds/articles/")
    assert [e.title for e in parse(first).entries] == ["To be retracted"]
    later = timezone.now() + datetime.timedelta(seconds=5)  # Last-Modified counts seconds
    monkeypatch.setattr(timezone, "now", lambda: later)
    retract_article(article, editor=editor(), reason="Wrong figures.")

    by_date = client.get("/feeds/articles/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert parse(by_date).entries == []
    by_tag = client.get("/feeds/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_tag.status_code == 200
    assert by_date["Last-Modified"] != first["Last-Modified"]
