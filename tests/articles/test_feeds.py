"""Atom feeds of published articles parse cleanly and list what they should."""

from __future__ import annotations

import datetime

import feedparser
import pytest

from tests.articles.api_support import (
    confirm,
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


def test_feeds_answer_if_modified_since(client):
    PublishedArticleFactory()
    first = client.get("/feeds/articles/")
    again = client.get("/feeds/articles/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
