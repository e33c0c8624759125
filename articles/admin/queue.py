"""The moderation queue's paginator and filters: it opens on pending comments, and nothing on
it counts or aggregates the whole comment table on a page load (counts come from a short-lived
cache that decisions clear)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.admin.params import parse_id
from articles.models import Article, Comment
from articles.services.moderation import articles_with_most_pending, status_counts


class CappedCountPaginator(Paginator):
    """Counts at most `cap + 1` rows of the filtered queue (`COUNT(*)` over a `LIMIT`), so a
    huge queue never costs a full count on a page load. Pages past the cap are not linked."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        object_list: Any = self.object_list
        if isinstance(object_list, QuerySet):
            return int(object_list[: self.cap + 1].count())
        return len(object_list)


class CommentStatusFilter(admin.SimpleListFilter):
    """Opens on pending comments; counts per status come from a short-lived cache."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        counts = status_counts()
        choices = [
            (status.value, f"{status.label} ({counts[status.value]})") for status in Comment.Status
        ]
        choices.append((self.ALL, f"All ({sum(counts.values())})"))
        return choices

    def value(self) -> str:
        return super().value() or Comment.Status.PENDING.value

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == self.ALL:
            return queryset
        if value not in Comment.Status.values:
            messages.error(
                request, f"Unknown status “{value}”: use {', '.join(Comment.Status.values)}."
            )
            return queryset.none()
        return queryset.filter(status=value)


class CommentArticleFilter(admin.SimpleListFilter):
    """The articles with the most pending comments (and the one selected), from a short-lived
    cache: no aggregate over the comment table on every page load."""

    title = "article"
    parameter_name = "article"
    shown = 15

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        choices = [
            (str(pk), f"{headline} ({pending} pending)")
            for pk, headline, pending in articles_with_most_pending(self.shown)
        ]
        pk = parse_id(self.value())
        if pk is not None and str(pk) not in dict(choices):
            article = Article.objects.filter(pk=pk).only("headline", "slug").first()
            if article is not None:
                choices.append((str(pk), str(article)))
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        pk = parse_id(value)
        if pk is None:
            messages.error(
                request, f"“{value}” is not an article id (ids are whole numbers, such as 12)."
            )
            return queryset.none()
        return queryset.filter(article_id=pk)


__all__ = ["CappedCountPaginator", "CommentArticleFilter", "CommentStatusFilter"]
