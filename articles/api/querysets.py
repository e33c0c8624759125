"""The queries behind each response, shaped so the number of queries never grows with rows.

Article lists read plain rows (values()) plus one UNION query for the keys of every confirmed
link on the page; details read model instances with their confirmed links prefetched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import (
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from articles.models import (
    LINK_KINDS,
    Article,
    Comment,
    Correction,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
    Source,
)
from negotiations.models import Meeting, Official, Round, TariffMeasure

CONFIRMED = RoundLink.Status.CONFIRMED
PUBLISHED = Article.Status.PUBLISHED

LIST_COLUMNS = (
    "id",
    "slug",
    "headline",
    "dek",
    "byline",
    "dateline",
    "published_at",
    "published_time_known",
    "updated_at",
    "language",
    "outlet__slug",
    "outlet__name",
    "wire__slug",
    "wire__name",
)
EDITOR_COLUMNS = ("status", "needs_review", "version", "source_changed")


def visible_articles(*, editor: bool) -> QuerySet[Article]:
    """Editors see every article; everyone else, published ones only."""
    articles = Article.objects.all()
    return articles if editor else articles.published()


def article_rows(queryset: QuerySet[Article], *, editor: bool) -> QuerySet[Any]:
    columns = [*LIST_COLUMNS, *(EDITOR_COLUMNS if editor else ())]
    if "rank" in queryset.query.annotations:
        columns.append("rank")
    return queryset.values(*columns)


# Compiled SQL of page queries fully determined by a key (see fetch_values), per process:
# (database alias, SQL, parameters, the places of the slots' values in them, column names).
_COMPILED: dict[
    tuple[Any, ...], tuple[str, str, tuple[Any, ...], list[list[int]], list[str]] | None
] = {}


def fetch_values(
    build: Callable[..., QuerySet[Any]],
    key: tuple[Any, ...],
    *,
    slots: tuple[Sequence[Any], Sequence[Any]] | None = None,
) -> list[Any]:
    """The rows of the sliced values() queryset `build` makes, as dicts.

    `key` says that queryset is wholly determined by it (no filter: the same SQL and
    parameters every time), or, with `slots` (stand-ins, values), by it and the values that
    `build(values)` puts in the query (a cursor's position: the same SQL every time, the
    values as its parameters). On PostgreSQL its compiled SQL is then kept and run directly:
    building and compiling the queryset on every request took about as long as the database
    takes to answer it. With slots it is compiled once from `build(stand-ins)`, and each
    stand-in must turn up among the parameters as it was given (else the ORM runs every
    time). Only for queries whose columns need no converters (PostgreSQL returns them
    ready); anything else, and every other backend, goes through the ORM.
    """
    placeholders, values = slots if slots is not None else ((), ())
    args = (values,) if slots is not None else ()
    key = (router.db_for_read(Article), *key)
    if key not in _COMPILED:
        queryset = build(*args)
        if connections[queryset.db].vendor != "postgresql":
            return list(queryset)
        _COMPILED[key] = _compile(
            build(placeholders) if slots is not None else queryset, placeholders
        )
    compiled = _COMPILED[key]
    if compiled is None:
        return list(build(*args))
    alias, sql, params, places, names = compiled
    if places:
        given = list(params)
        for where, value in zip(places, values, strict=True):
            for i in where:
                given[i] = value
        params = tuple(given)
    db = connections[alias]
    with db.cursor() as cursor:
        if db.timezone is not None:
            # psycopg's own timestamptz loader (C in psycopg-binary) instead of Django's
            # Python subclass, which only re-labels the zone: Django has already set the
            # session's TimeZone to db.timezone, so both give the same aware instants.
            cursor.cursor.adapters.register_loader("timestamptz", _psycopg_timestamptz_loader())
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _compile(
    queryset: QuerySet[Any], placeholders: Sequence[Any]
) -> tuple[str, str, tuple[Any, ...], list[list[int]], list[str]] | None:
    """What fetch_values keeps for a queryset: None if it cannot be run as plain SQL."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    selected = [column for column, _, _ in compiler.select[: compiler.col_count]]
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    if compiler.get_converters(selected) or len(names) != len(selected):
        return None
    places = [
        [i for i, param in enumerate(params) if type(param) is type(stand_in) and param == stand_in]
        for stand_in in placeholders
    ]
    taken = [i for found in places for i in found]
    if not all(places) or len(taken) != len(set(taken)):
        return None  # a stand-in not found, or two alike (two keys of one kind): the ORM's way
    return queryset.db, sql, tuple(params), places, names


@functools.cache
def _psycopg_timestamptz_loader() -> type[Any]:
    """psycopg's default text loader for timestamptz (its C one with psycopg-binary)."""
    import psycopg
    from psycopg.pq import Format

    loader = psycopg.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
    assert loader is not None  # psycopg always has one
    return loader


# (kind, link model, the target's column that names it)
COVERAGE_KEYS = tuple((kind.plural, kind.model, kind.key) for kind in LINK_KINDS.values())


KINDS = tuple(kind for kind, _, _ in COVERAGE_KEYS)


def _link_tables(model: type[Model]) -> tuple[str, str, str]:
    """(link table, target table, the link's column pointing at the target)."""
    target_field = model._meta.get_field(model.target_field)  # type: ignore[attr-defined]
    target = target_field.related_model._meta.db_table  # type: ignore[union-attr]
    return model._meta.db_table, str(target), str(target_field.column)  # type: ignore[union-attr]


@functools.cache
def coverage_arrays_sql() -> str:
    """PostgreSQL: one row per article id of the array parameter, with one sorted array per
    kind (round numbers as integers, slugs in code-point order, as Python sorts them)."""
    arrays = []
    for kind, model, column in COVERAGE_KEYS:
        links, target, target_column = _link_tables(model)
        order = f't."{column}"' if column == "number" else f't."{column}" COLLATE "C"'
        arrays.append(
            # Only identifiers from model metadata and constants are formatted in.
            f'ARRAY(SELECT t."{column}" FROM "{links}" l '  # noqa: S608
            f'JOIN "{target}" t ON t.id = l."{target_column}" '
            f"WHERE l.article_id = a.id AND l.status = '{CONFIRMED}' ORDER BY {order}) AS {kind}"
        )
    columns = ", ".join(arrays)
    return f"SELECT a.id, {columns} FROM unnest(CAST(%s AS bigint[])) AS a(id)"  # noqa: S608


def coverage_union_sql(ids: list[int]) -> str:
    """Other backends: one UNION ALL over the four link tables, ids inlined as integers."""
    among = f"IN ({', '.join(str(int(i)) for i in ids)})"
    parts = []
    for kind, model, column in COVERAGE_KEYS:
        links, target, target_column = _link_tables(model)
        parts.append(
            # Only identifiers from model metadata, constants and integers are formatted in.
            f"SELECT l.article_id, '{kind}', t.{column} "  # noqa: S608
            f"FROM {links} l JOIN {target} t ON t.id = l.{target_column} "
            f"WHERE l.status = '{CONFIRMED}' AND l.article_id {among}"
        )
    return " UNION ALL ".join(parts)


def coverage_keys(ids: list[int]) -> dict[int, dict[str, list[Any]]]:
    """For each article id: the round numbers and meeting/official/measure slugs it reports
    through confirmed links, each list sorted. One query, written out rather than composed
    with the ORM: composing four querysets cost more than running them."""
    if not ids:
        return {}
    db = connections[router.db_for_read(Article) or "default"]  # the replica, if there is one
    if db.vendor == "postgresql":
        # The ids as one array literal: the statement's text is the same for every page, so
        # it is prepared once; the server sorts and groups, psycopg loads the arrays in C.
        with db.cursor() as cursor:
            cursor.execute(coverage_arrays_sql(), ["{" + ",".join(map(str, ids)) + "}"])
            return {row[0]: dict(zip(KINDS, row[1:], strict=True)) for row in cursor.fetchall()}
    keys: dict[int, dict[str, list[Any]]] = {i: {kind: [] for kind in KINDS} for i in ids}
    with db.cursor() as cursor:
        cursor.execute(coverage_union_sql(ids))
        for article_id, kind, key in cursor.fetchall():
            keys[article_id][kind].append(key)
    for item in keys.values():
        for values in item.values():
            values.sort()
    return keys


def with_coverage_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = coverage_keys([row["id"] for row in rows])
    for row in rows:
        row["coverage"] = keys[row["id"]]
    return rows


def article_detail(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Articles with outlet, wire, corrections and confirmed links (targets included)."""
    confirmed = {
        "roundlinks": RoundLink.objects.confirmed()
        .select_related("round__negotiation")
        .order_by("round__number", "id"),
        "meetinglinks": MeetingLink.objects.confirmed()
        .select_related("meeting")
        .order_by("meeting__start_date", "meeting__slug"),
        "officiallinks": OfficialLink.objects.confirmed()
        .select_related("official")
        .order_by("official__name", "id"),
        "measurelinks": MeasureLink.objects.confirmed()
        .select_related("measure")
        .order_by("measure__slug"),
    }
    return queryset.select_related("outlet", "wire").prefetch_related(
        *[
            Prefetch(name, queryset=qs, to_attr=f"confirmed_{name}")
            for name, qs in confirmed.items()
        ],
        Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id")),
    )


# The negotiation's record ------------------------------------------------------------------


def report_count(link_model: type[Model], target: str) -> Any:
    """Published articles reporting the record through confirmed links (a subquery)."""
    counted = (
        link_model._default_manager.filter(
            **{target: OuterRef("pk")}, status=CONFIRMED, article__status=PUBLISHED
        )
        .order_by()
        .values(target)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def reports(link_model: type[Model]) -> Prefetch:
    """The confirmed links from published articles, newest article first, as `reports`."""
    return Prefetch(
        "article_links",
        queryset=link_model._default_manager.filter(status=CONFIRMED, article__status=PUBLISHED)
        .select_related("article__outlet")
        .order_by("-article__published_at", "-article_id"),
        to_attr="reports",
    )


def sources() -> QuerySet[Source]:
    return Source.objects.order_by("name", "id")


def officials(*, detail: bool = False) -> QuerySet[Official]:
    queryset = (
        Official.objects.prefetch_related("aliases")
        .annotate(report_count=report_count(OfficialLink, "official"))
        .order_by("name", "id")
    )
    return queryset.prefetch_related(reports(OfficialLink)) if detail else queryset


def rounds(*, detail: bool = False) -> QuerySet[Round]:
    queryset = (
        Round.objects.select_related("negotiation")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("start_date")))
        .annotate(report_count=report_count(RoundLink, "round"))
        .order_by("start_date", "number", "id")
    )
    return queryset.prefetch_related(reports(RoundLink)) if detail else queryset


def meetings(*, detail: bool = False) -> QuerySet[Meeting]:
    queryset = (
        Meeting.objects.select_related("round")
        .prefetch_related(Prefetch("participants", queryset=Official.objects.order_by("slug")))
        .annotate(report_count=report_count(MeetingLink, "meeting"))
        .order_by("start_date", F("start_time").asc(nulls_first=True), "slug")
    )
    return queryset.prefetch_related(reports(MeetingLink)) if detail else queryset


def tariff_measures(*, detail: bool = False) -> QuerySet[TariffMeasure]:
    queryset = (
        TariffMeasure.objects.select_related("superseded_by")
        .prefetch_related(Prefetch("supersedes", queryset=TariffMeasure.objects.order_by("slug")))
        .annotate(report_count=report_count(MeasureLink, "measure"))
        .order_by(F("effective_on").asc(nulls_last=True), "slug")
    )
    return queryset.prefetch_related(reports(MeasureLink)) if detail else queryset


def approved_comments(article: Article) -> QuerySet[Comment]:
    return (
        Comment.objects.approved()
        .filter(article=article)
        .annotate(quotes_comment_uuid=F("quotes_comment__uuid"))
    )
