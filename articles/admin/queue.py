"""The moderation queue's paginator and filters: it opens on pending comments, and nothing on
it counts or aggregates the whole comment table on a page load (the numbers come from the cache
that decisions and new comments keep current, `articles.services.queue_counts`)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.admin.params import parse_id
from articles.models import Article, Comment
from articles.services.queue_counts import articles_with_most_pending, status_counts


class CappedCountPaginator(Paginator):
    """Pages through the first `cap` rows of the filtered queue, and never further, so neither
    counting nor paging ever walks the whole table.

    The count is `known_count` where the queue's cached numbers already say it (the status
    filter alone), else a `COUNT(*)` over a `LIMIT cap + 1` subquery. `capped` says whether
    rows lie past the cap. A page after the first is read in two steps in one statement: the
    ids of its rows (an index-only walk over the offset), then those rows with their joins
    (`WHERE id IN (SELECT id ... LIMIT n OFFSET m)`), so the deepest page costs about what
    the first does."""

    cap = 10_000

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        known_count: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.known_count = known_count

    @cached_property
    def _counted(self) -> int:
        if self.known_count is not None:
            return self.known_count
        object_list: Any = self.object_list
        if isinstance(object_list, QuerySet):
            return int(object_list[: self.cap + 1].count())
        return len(object_list)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap

    @property
    def total(self) -> int | None:
        """How many rows match, where known (the cached numbers), even past the cap."""
        return self.known_count

    def page(self, number: Any) -> Page:
        object_list: Any = self.object_list
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if (
            not bottom
            or not isinstance(object_list, QuerySet)
            or not connections[object_list.db].features.allow_sliced_subqueries_with_in
        ):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = object_list.values("pk")[bottom:top]
        return Page(object_list.filter(pk__in=ids), number, self)


def known_queue_count(request: HttpRequest) -> int | None:
    """How many comments the queue shows, from the cached numbers, when only the status
    filter narrows it (its usual state) and the number is past the paginator's cap (twice
    the cap for an estimate), where the pages stop at the cap whatever the exact number.
    Otherwise None, and the paginator counts (at most cap + 1 rows): a cached number that
    drifted never decides which pages exist."""
    if set(request.GET) - {CommentStatusFilter.parameter_name, PAGE_VAR, ORDER_VAR}:
        return None
    status = request.GET.get(CommentStatusFilter.parameter_name) or Comment.Status.PENDING
    counts = status_counts()
    if status == CommentStatusFilter.ALL:
        known = counts.total
    elif status in counts.by_status:
        known = counts[status]
    else:
        return None
    floor = CappedCountPaginator.cap * (2 if counts.estimated else 1)
    return known if known > floor else None


class CommentStatusFilter(admin.SimpleListFilter):
    """Opens on pending comments; counts per status come from the cached numbers (marked ≈
    where they are the planner's estimates)."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        counts = status_counts()
        about = "≈" if counts.estimated else ""
        choices = [
            (status.value, f"{status.label} ({about}{counts[status.value]:,})")
            for status in Comment.Status
        ]
        choices.append((self.ALL, f"All ({about}{counts.total:,})"))
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
    """The articles with the most pending comments (and the one selected), from the cached
    ranking: no aggregate over the comment table on a page load."""

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


__all__ = [
    "CappedCountPaginator",
    "CommentArticleFilter",
    "CommentStatusFilter",
    "known_queue_count",
]
