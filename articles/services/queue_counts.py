"""The moderation queue's numbers: comments per status, and the articles with most pending.

A page load never counts the comment table. The numbers live in the cache, one entry per
status, and the writers keep them current: each decision moves one comment from one status
to another (`count_decision`), and new comments add to pending (`count_arrivals`), both once
their transaction has committed. Only a cold cache (the first load, an eviction, and once a
`COUNTS_TTL`, to let go of drift from writes that bypass the writers) computes them again:
exactly on a small table, and on a large PostgreSQL table from the planner's statistics (rows
times each status's share, kept fresh by autovacuum's ANALYZE), which costs one catalog read;
those are marked as estimates.

The busiest articles (pending comments per article, the article filter's choices) are one
cached list (the top `BUSIEST_KEPT`) that decisions and arrivals adjust in place; an article
not on it that gains pending comments is counted by the writer (one indexed count of that
article's pending comments) and ranked in. A cold cache recomputes the list from an index-only
scan of the pending comments (`comment_status_article_idx`), not from the table. Adjustments
are read-modify-write and may lose one to a concurrent decision, and an unlisted article that
comes to outrank a listed one as the listed one's comments are decided shows only at the next
recomputation; `COUNTS_TTL` bounds how long such drift lasts.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from articles.models import Article, Comment

COUNT_KEY = "articles:comment-count:{}"
ESTIMATED_KEY = "articles:comment-count-estimated"
BUSIEST_ARTICLES_KEY = "articles:comment-busiest-articles"
# Seconds. The writers keep the numbers current; this bounds drift from writes that bypass
# them (a deleted article's comments, a restore from a backup).
COUNTS_TTL = 60
ESTIMATE_ABOVE = 200_000  # rows: a comment table larger than this is estimated, not counted
BUSIEST_KEPT = 30  # articles kept in the cached ranking (the filter shows fewer)


@dataclass(frozen=True)
class StatusCounts:
    """Comments per status (every status present), and whether they are estimates."""

    by_status: dict[str, int]
    estimated: bool

    def __getitem__(self, status: str) -> int:
        return self.by_status[status]

    def get(self, status: str, default: int = 0) -> int:
        return self.by_status.get(status, default)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def _keys() -> dict[str, str]:
    return {status: COUNT_KEY.format(status) for status in Comment.Status.values}


def status_counts() -> StatusCounts:
    """Comments per status, from the cache; computed only when the cache has none."""
    keys = _keys()
    cached = cache.get_many([*keys.values(), ESTIMATED_KEY])
    if all(key in cached for key in keys.values()) and ESTIMATED_KEY in cached:
        return StatusCounts({s: int(cached[k]) for s, k in keys.items()}, cached[ESTIMATED_KEY])
    estimate = _estimated_counts()
    counts = estimate if estimate is not None else _exact_counts()
    cache.set_many(
        {**{keys[s]: n for s, n in counts.items()}, ESTIMATED_KEY: estimate is not None},
        COUNTS_TTL,
    )
    return StatusCounts(counts, estimate is not None)


def _exact_counts() -> dict[str, int]:
    counts = dict.fromkeys(Comment.Status.values, 0)
    counts.update(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return counts


def _estimated_counts() -> dict[str, int] | None:
    """On PostgreSQL, for a table past ESTIMATE_ABOVE rows: its planner statistics (row
    estimate times each status's most-common-value frequency). None where there are none."""
    if connection.vendor != "postgresql":
        return None
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.most_common_vals::text::text[], s.most_common_freqs "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname AND s.attname = 'status' "
            "WHERE c.oid = to_regclass(%s)",
            [table],
        )
        row = cursor.fetchone()
    if row is None or row[0] < ESTIMATE_ABOVE or row[1] is None:
        return None
    rows, values, frequencies = row
    counts = dict.fromkeys(Comment.Status.values, 0)
    for value, frequency in zip(values, frequencies, strict=True):
        if value in counts:
            counts[value] = round(rows * frequency)
    return counts


def articles_with_most_pending(limit: int = 15) -> list[tuple[int, str, int]]:
    """(article id, headline, pending comments) of the articles with the most pending
    comments, most first, from the cache; computed (index-only) when the cache has none."""
    busiest: list[tuple[int, str, int]] | None = cache.get(BUSIEST_ARTICLES_KEY)
    if busiest is None:
        rows = list(
            Comment.objects.filter(status=Comment.Status.PENDING)
            .order_by()
            .values_list("article")
            .annotate(n=Count("pk"))
            .order_by("-n", "article")[: max(limit, BUSIEST_KEPT)]
        )
        names = {
            article.pk: str(article)
            for article in Article.objects.filter(pk__in=[pk for pk, _ in rows]).only(
                "pk", "headline", "slug"
            )
        }
        busiest = [(pk, names.get(pk, f"#{pk}"), n) for pk, n in rows]
        cache.set(BUSIEST_ARTICLES_KEY, busiest, COUNTS_TTL)
    return busiest[:limit]


def _adjust(key: str, delta: int) -> None:
    with suppress(ValueError):  # not cached: the next load computes it
        cache.incr(key, delta)


def _adjust_busiest(article_id: int, delta: int) -> None:
    busiest: list[tuple[int, str, int]] | None = cache.get(BUSIEST_ARTICLES_KEY)
    if busiest is None:
        return
    if any(pk == article_id for pk, _, _ in busiest):
        adjusted = [(pk, name, n + delta if pk == article_id else n) for pk, name, n in busiest]
    elif delta > 0:
        # Unlisted, and gaining: it may now outrank the last listed article.
        pending = Comment.objects.filter(article_id=article_id, status=Comment.Status.PENDING)
        article = Article.objects.filter(pk=article_id).only("pk", "headline", "slug").first()
        if article is None:
            return
        adjusted = [*busiest, (article_id, str(article), pending.count())]
    else:
        return  # fewer pending on an unlisted article changes nothing listed
    adjusted = [entry for entry in adjusted if entry[2] > 0]
    adjusted.sort(key=lambda entry: (-entry[2], entry[0]))
    cache.set(BUSIEST_ARTICLES_KEY, adjusted[:BUSIEST_KEPT], COUNTS_TTL)


def count_decision(*, article_id: int, from_status: str, to_status: str) -> None:
    """A committed decision moved one comment from `from_status` to `to_status`."""
    _adjust(COUNT_KEY.format(from_status), -1)
    _adjust(COUNT_KEY.format(to_status), 1)
    if Comment.Status.PENDING in (from_status, to_status):
        _adjust_busiest(article_id, 1 if to_status == Comment.Status.PENDING else -1)


def count_arrivals(*, article_id: int, pending: int) -> None:
    """`pending` new comments on an article have been committed."""
    if pending:
        _adjust(COUNT_KEY.format(Comment.Status.PENDING), pending)
        _adjust_busiest(article_id, pending)


def forget_status_counts() -> None:
    """Drop every cached number; the next page load computes them again."""
    cache.delete_many([*_keys().values(), ESTIMATED_KEY, BUSIEST_ARTICLES_KEY])


__all__ = [
    "StatusCounts",
    "articles_with_most_pending",
    "count_arrivals",
    "count_decision",
    "forget_status_counts",
    "status_counts",
]
