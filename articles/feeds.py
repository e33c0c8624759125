"""Atom feeds of published articles: all of them, and those reporting one round.

Included under /feeds/ by the root URLconf (this module carries its own `urlpatterns`).
Entries link to the article in the API: the desk has no public HTML pages, and the original
page's address is not part of the record. Each entry's author is the byline, or the outlet
when the page gave none; its categories are the rounds, officials and measures it reports.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_list_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition

from articles.api.caching import CONTENT, Validators, compute_validators
from articles.api.views.articles import article_list_fingerprint
from articles.models import Article, OfficialLink, RoundLink
from negotiations.models import Round

CONFIRMED = RoundLink.Status.CONFIRMED


def feed_size() -> int:
    return int(getattr(settings, "NEWSROOM_API_FEED_SIZE", 50))


def published_for_feed(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return (
        queryset.published()  # type: ignore[attr-defined]
        .select_related("outlet")
        .prefetch_related(
            Prefetch(
                "roundlinks",
                queryset=RoundLink.objects.confirmed().select_related("round"),
                to_attr="feed_rounds",
            ),
            Prefetch(
                "officiallinks",
                queryset=OfficialLink.objects.confirmed().select_related("official"),
                to_attr="feed_officials",
            ),
        )
        .order_by("-published_at", "-id")
    )


class ArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsroom: Japan–US tariff negotiations, 2025"
    subtitle = "Published articles, newest first."

    def link(self) -> str:
        return reverse("api:article-list")

    def items(self) -> QuerySet[Article]:
        return published_for_feed(Article.objects.all())[: feed_size()]

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str | None:  # type: ignore[override]
        return item.dek or None

    def item_link(self, item: Article) -> str:
        return reverse("api:article-detail", kwargs={"slug": item.slug})

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        # A page that gave only a date has no publication time to state.
        return item.published_at if item.published_time_known else None

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        if item.byline:
            return item.byline
        return item.outlet.name if item.outlet else None

    def item_categories(self, item: Article) -> list[str]:
        rounds = [f"Round {link.round.number}" for link in item.feed_rounds]  # type: ignore[attr-defined]
        people = [link.official.name for link in item.feed_officials]  # type: ignore[attr-defined]
        return [*sorted(rounds), *sorted(people)]

    def item_copyright(self, item: Article) -> str | None:
        return item.copyright_line or None


class RoundFeed(ArticlesFeed):
    """Published articles with a confirmed link to round `number`."""

    def get_object(self, request: HttpRequest, number: int) -> list[Round]:
        return get_list_or_404(Round.objects.order_by("negotiation__slug"), number=number)

    def title(self, obj: list[Round]) -> str:  # type: ignore[override]
        first = obj[0]
        where = f", {first.place}" if first.place else ""
        return f"Newsroom: round {first.number} of the Japan–US tariff talks{where}"

    def subtitle(self, obj: list[Round]) -> str:  # type: ignore[override]
        return f"Published articles reporting round {obj[0].number}, newest first."

    def link(self, obj: list[Round]) -> str:  # type: ignore[override]
        return reverse("api:round-detail", kwargs={"number": obj[0].number})

    def items(self, obj: list[Round]) -> QuerySet[Article]:  # type: ignore[override]
        links = RoundLink.objects.filter(article=OuterRef("pk"), round__in=obj, status=CONFIRMED)
        return published_for_feed(Article.objects.filter(Exists(links)))[: feed_size()]


def validators(request: HttpRequest, **kwargs: Any) -> Validators:
    """The feeds' ETag and Last-Modified, as the API computes them: the newest article id and
    change over every article (publishing and retracting both move it, and a retraction
    takes an entry out) and the content generation (a confirmed link, an official's name).
    Read once per request."""
    found = getattr(request, "_newsroom_feed_validators", None)
    if found is None:
        rows = article_list_fingerprint()  # the article list's own
        found = compute_validators(parts=(request.path, "atom"), rows=rows, scopes=(CONTENT,))
        request._newsroom_feed_validators = found  # type: ignore[attr-defined]
    return found


def conditional(feed: Feed) -> Any:
    """The feed behind ETag/Last-Modified checks. Django's Feed sets Last-Modified to its
    newest entry's date, which is not what changes when an entry leaves the feed; that
    header is dropped so condition() sends the validator it compares against."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = feed(request, **kwargs)
        del response["Last-Modified"]
        return response

    return condition(
        etag_func=lambda request, **kwargs: validators(request).etag,
        last_modified_func=lambda request, **kwargs: validators(request).last_modified,
    )(view)


urlpatterns = [
    path("articles/", conditional(ArticlesFeed()), name="feed"),
    path("rounds/<int:number>/", conditional(RoundFeed()), name="round-feed"),
]
