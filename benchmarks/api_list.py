#!/usr/bin/env python3
"""Benchmark: the article list endpoint (50 items) against a floor on a large PostgreSQL.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python benchmarks/api_list.py

DATABASE_URL names the PostgreSQL server; the benchmark creates its own database,
`newsroom_bench_<its process id>`, on it (never touching the one in the URL, nor another
run's), migrates it, fills it with the reference record, 20,000 articles (outlets, wires,
links to rounds, meetings, officials and measures) and 200,000 reader comments with COPY,
then times GET
/api/v1/articles/?page_size=50 answered two ways, side by side:

- the endpoint, called as a WSGI server (gunicorn) calls it: Django's WSGI application with
  the whole middleware stack, anonymous, the body read to the end;
- the floor: raw psycopg running the very SQL the endpoint issued (captured once), shaping
  the rows into the same JSON with plain dicts, and serialising with orjson.

Each comparison is its own pair, run in turn (endpoint, floor, endpoint, floor, ...) for
--repetitions rounds, and reported as the two medians and their ratio. The headline pair is
the endpoint as settings configure it (on PostgreSQL: server_side_binding with
prepare_threshold, so psycopg prepares Django's repeated queries as it prepares the floor's)
against the floor with psycopg's defaults; it runs first and alone. Then, under "compared":
the endpoint through Django's test Client (which adds its own instrumentation: template and
context capture, cookies); the endpoint against a floor that prepares nothing (planned every
time); and the endpoint with Django's default cursors (client-side binding, nothing prepared,
what settings fall back to behind a transaction pooler) against both floors.

Then the two DRF anchors, each mounted beside the project's URLs for this run only and
timed interleaved with the endpoint and the floor in the same rounds (endpoint, floor, DRF,
endpoint, ...), on the same page semantics (50 published articles, newest first, each with
the keys of its confirmed rounds, meetings, officials and measures) and checked to serve the
very same 50 items before any timing:

- "DRF by the book": a ModelViewSet with ModelSerializers (a nested one for the outlet and
  the wire, one per link kind for the links' targets), HyperlinkedIdentityFields for the
  URLs, CursorPagination, DRF's JSONRenderer, and the queryset as DRF's documentation
  recommends: select_related for the foreign keys, prefetch_related (with Prefetch) for the
  links and their targets;
- "DRF as the tutorial writes it": the same viewset and serializers with a bare queryset, no
  select_related and no prefetch_related, so each row fetches its outlet, wire, links and
  each link's target (N+1 queries).

Each is reported as its median, its ratio to the floor and to the endpoint ("we are N x
faster"), and its query count.

Then the deep page: the `next` links are followed from page 1 to cursor page 200 once (the
last page, if there are fewer, as in --quick), which must run as many queries as page 1; then
page 1 and page 200 are timed interleaved, reported as "deep" (their medians and ratio).

--quick runs it all small (200 articles, few rounds), for the suite's CI mode.

The last line printed is JSON: medians in milliseconds, the ratios, and the query count.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `benchmarks` is importable
BENCH_DB = f"newsroom_bench_{os.getpid()}"  # two runs at once never meet
URL = "/api/v1/articles/?page_size=50"
DEEP_PAGE = 200  # the cursor page timed against page 1 (the last page, if there are fewer)
KINDS = ("rounds", "meetings", "officials", "measures")


def fail(message: str) -> None:
    print(f"api_list: {message}", file=sys.stderr)
    sys.exit(2)


def server_urls() -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of the benchmark's own database)."""
    from benchmarks.server import database_urls

    needs = "this benchmark needs PostgreSQL (COPY, the search trigger, realistic plans)"
    return database_urls("api_list", needs, BENCH_DB)


def recreate_database(maintenance_url: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def drop_database(maintenance_url: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Production-like: debug off (no query log), persistent connections.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
    # One address sends every timed request: the read throttle still counts each one (its
    # cost is in the figures) but never refuses within the run.
    os.environ.setdefault("NEWSROOM_API_READ_RATE", "100000000/min")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Filling ----------------------------------------------------------------------------------

BODY = (
    "Japan's Economy Minister Ryosei Akazawa met Commerce Secretary Howard Lutnick in "
    "Washington for {minutes} minutes in round {round} of the tariff negotiations. "
    '"We agreed to accelerate the talks," Akazawa told reporters at the embassy. '
    "The two sides discussed tariffs on autos, auto parts, steel and aluminum, and "
    "investment. A statement called the talks frank and constructive. "
) * 4


def copy_rows(cursor: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into the model's table; columns left out take the field's default."""
    fields = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.column != "search_vector"
    ]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row[f.attname] if f.attname in row else f.get_default()
                if f.get_internal_type() == "JSONField":
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)


def fill(n_articles: int, n_comments: int) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from articles.models import (
        Article,
        Comment,
        MeasureLink,
        MeetingLink,
        OfficialLink,
        RoundLink,
        Source,
    )
    from negotiations.models import Meeting, Official, Round, TariffMeasure

    rng = random.Random(2025)
    call_command("migrate", verbosity=0)
    call_command(
        "loaddata",
        *sorted(str(p) for p in (ROOT / "fixtures" / "reference").glob("*.json")),
        verbosity=0,
    )
    editor = get_user_model().objects.create(username="bench-editor")
    outlets = list(Source.objects.filter(kind="outlet"))
    outlets += [
        Source.objects.create(name=f"Bench Outlet {i}", slug=f"bench-outlet-{i}", kind="outlet")
        for i in range(20)
    ]
    wires = list(Source.objects.filter(kind="wire"))
    rounds, meetings = list(Round.objects.all()), list(Meeting.objects.all())
    officials, measures = list(Official.objects.all()), list(TariffMeasure.objects.all())
    start = datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)

    t0 = time.perf_counter()
    articles = []
    for i in range(n_articles):
        rnd = rng.choice(rounds)
        published = start + datetime.timedelta(minutes=17 * i + rng.randint(0, 5))
        articles.append(
            {
                "headline": f"Akazawa and Lutnick hold round {rnd.number} talks, report {i}",
                "slug": f"bench-article-{i}",
                "dek": f"Report {i} on the tariff negotiations",
                "body": BODY.format(minutes=rng.randint(40, 140), round=rnd.number),
                "byline": "By A. Reporter" if i % 3 else "",
                "dateline": "WASHINGTON" if i % 2 else "TOKYO",
                "published_at": published,
                "published_time_known": bool(i % 4),
                "outlet_id": rng.choice(outlets).pk,
                "wire_id": rng.choice(wires).pk if i % 3 == 0 else None,
                "status": "published" if i % 10 else "draft",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        copy_rows(cursor, Article, articles)
        cursor.execute('SELECT id FROM "articles_article" ORDER BY id')
        ids = [row[0] for row in cursor.fetchall()]
        link_common = {
            "origin": "editor",
            "status": "confirmed",
            "evidence": "Akazawa met Lutnick in Washington for 130 minutes.",
            "confirmed_by_id": editor.pk,
            "confirmed_at": now,
            "created_at": now,
        }
        links: dict[Any, list[dict[str, Any]]] = {
            RoundLink: [],
            MeetingLink: [],
            OfficialLink: [],
            MeasureLink: [],
        }
        for article_id in ids:
            links[RoundLink].append(
                {**link_common, "article_id": article_id, "round_id": rng.choice(rounds).pk}
            )
            links[MeetingLink].append(
                {**link_common, "article_id": article_id, "meeting_id": rng.choice(meetings).pk}
            )
            for official in rng.sample(officials, 2):
                links[OfficialLink].append(
                    {**link_common, "article_id": article_id, "official_id": official.pk}
                )
            links[MeasureLink].append(
                {**link_common, "article_id": article_id, "measure_id": rng.choice(measures).pk}
            )
        for model, rows in links.items():
            copy_rows(cursor, model, rows)
        comments = [
            {
                "uuid": uuid.UUID(int=rng.getrandbits(128)),
                "article_id": rng.choice(ids),
                "author_handle": f"reader{i % 5000}",
                "body": f"Reader comment {i}: the talks should go on.",
                "posted_at": now,
                "origin": "api",
                "status": "approved" if i % 4 else "pending",
                "version": 1,
                "created_at": now,
            }
            for i in range(n_comments)
        ]
        copy_rows(cursor, Comment, comments)
        cursor.execute("ANALYZE")
    counts = {
        "articles": Article.objects.count(),
        "published": Article.objects.published().count(),
        "comments": Comment.objects.count(),
        "links": sum(len(rows) for rows in links.values()),
    }
    print(f"filled in {time.perf_counter() - t0:.1f}s: {counts}", flush=True)
    return counts


# Timing -----------------------------------------------------------------------------------


def capture_endpoint_sql(client: Any) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200, response.content[:500]
    return [q["sql"] for q in queries.captured_queries]


def floor(conn: Any, statements: list[str]) -> bytes:
    """The same SQL through raw psycopg, shaped into the same JSON, serialised by orjson."""
    import orjson

    base = "http://testserver/api/v1/"
    columns: list[str] = []
    page: list[Any] = []
    link_rows: list[Any] = []
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            names = [c.name for c in cursor.description]
            rows = cursor.fetchall()
            if "outlet__slug" in names:
                columns, page = names, rows
            elif names == ["id", *KINDS]:
                link_rows = rows
    # One row per article, one sorted array per kind (the database sorted them).
    coverage = {row[0]: dict(zip(KINDS, row[1:], strict=True)) for row in link_rows}
    items = []
    for values in page[:50]:
        row = dict(zip(columns, values, strict=True))
        keys = coverage[row["id"]]
        slug = row["slug"]
        outlet = row["outlet__slug"]
        wire = row["wire__slug"]
        items.append(
            {
                "slug": slug,
                "url": f"{base}articles/{slug}/",
                "headline": row["headline"],
                "dek": row["dek"],
                "byline": row["byline"],
                "dateline": row["dateline"],
                "published_at": row["published_at"],
                "published_time_known": row["published_time_known"],
                "updated_at": row["updated_at"],
                "language": row["language"],
                "outlet": outlet
                and {
                    "slug": outlet,
                    "name": row["outlet__name"],
                    "url": f"{base}sources/{outlet}/",
                },
                "wire": wire
                and {"slug": wire, "name": row["wire__name"], "url": f"{base}sources/{wire}/"},
                **keys,
                "comments_url": f"{base}articles/{slug}/comments/",
            }
        )
    # UTC date-times as "...Z", as the API writes them.
    body = {"next": None, "previous": None, "results": items}
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def interleave(repetitions: int, runs: dict[str, Any]) -> dict[str, float]:
    """Run each callable once per round, in turn, `repetitions` rounds; median ms of each."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repetitions):
        for name, run in runs.items():
            t0 = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - t0)
    return {name: median_ms(values) for name, values in samples.items()}


def wsgi_call(url: str) -> Any:
    """One GET of `url` through Django's WSGI application (`benchmarks.wsgi`), 200 expected."""
    from benchmarks.wsgi import wsgi_get

    return wsgi_get(url)


# The DRF anchors ------------------------------------------------------------------------

DRF_BOOK = "/bench/drf-book/articles/?page_size=50"
DRF_TUTORIAL = "/bench/drf-tutorial/articles/?page_size=50"


def mount_drf_contenders() -> None:
    """Mount the two DRF anchors beside the project's URLs (after them, so the endpoint's own
    resolution is unchanged), for this run only. Both serve the list's items exactly as the
    endpoint does; they differ only in the queryset."""
    from django.conf import settings
    from django.db.models import Manager, Prefetch
    from django.db.models.functions import Collate
    from django.urls import clear_url_caches, include, path
    from rest_framework import pagination, routers, serializers, viewsets
    from rest_framework.renderers import JSONRenderer

    from articles.models import LINK_KINDS, Article, Source

    confirmed = "confirmed"

    class SourceSerializer(serializers.ModelSerializer):
        url = serializers.HyperlinkedIdentityField(
            view_name="api:source-detail", lookup_field="slug"
        )

        class Meta:
            model = Source
            fields = ["slug", "name", "url"]

    class ConfirmedLinks(serializers.ListSerializer):
        """An article's links of one kind: the confirmed ones, by key (code-point order)."""

        def to_representation(self, data: Any) -> list[Any]:
            links = data.all() if isinstance(data, Manager) else data
            child = self.child
            assert child is not None
            return sorted(
                child.to_representation(link) for link in links if link.status == confirmed
            )

    def link_serializer(kind: Any) -> Any:
        """A nested serializer for one kind of link, represented by its target's key."""

        class LinkSerializer(serializers.ModelSerializer):
            class Meta:
                model = kind.model
                fields = [kind.target_field]
                list_serializer_class = ConfirmedLinks

            def to_representation(self, link: Any) -> Any:
                return getattr(getattr(link, kind.target_field), kind.key)

        LinkSerializer.__name__ = f"{kind.model.__name__}Serializer"
        return LinkSerializer

    link_fields = {
        kind.plural: link_serializer(kind)(many=True, read_only=True, source=kind.related_name)
        for kind in LINK_KINDS.values()
    }

    class ArticleSerializer(serializers.ModelSerializer):
        url = serializers.HyperlinkedIdentityField(
            view_name="api:article-detail", lookup_field="slug"
        )
        outlet = SourceSerializer(read_only=True)
        wire = SourceSerializer(read_only=True)
        rounds = link_fields["rounds"]
        meetings = link_fields["meetings"]
        officials = link_fields["officials"]
        measures = link_fields["measures"]
        comments_url = serializers.HyperlinkedIdentityField(
            view_name="api:article-comments", lookup_field="slug", lookup_url_kwarg="article_slug"
        )

        class Meta:
            model = Article
            fields = [
                "slug",
                "url",
                "headline",
                "dek",
                "byline",
                "dateline",
                "published_at",
                "published_time_known",
                "updated_at",
                "language",
                "outlet",
                "wire",
                "rounds",
                "meetings",
                "officials",
                "measures",
                "comments_url",
            ]

    class NewestFirst(pagination.CursorPagination):
        ordering = ("-published_at", "-id")
        page_size_query_param = "page_size"
        max_page_size = 100

    def prefetch(kind: Any) -> Prefetch:
        key = f"{kind.target_field}__{kind.key}"
        order = key if kind.key == "number" else Collate(key, "C")
        links = kind.model.objects.filter(status=confirmed)
        return Prefetch(
            kind.related_name, queryset=links.select_related(kind.target_field).order_by(order)
        )

    class ByTheBook(viewsets.ModelViewSet):
        """As DRF's documentation recommends: related rows fetched with the page."""

        queryset = (
            Article.objects.published()
            .select_related("outlet", "wire")
            .prefetch_related(*(prefetch(kind) for kind in LINK_KINDS.values()))
        )
        serializer_class = ArticleSerializer
        pagination_class = NewestFirst
        renderer_classes = [JSONRenderer]
        lookup_field = "slug"

    class AsTheTutorial(ByTheBook):
        """As DRF's tutorial writes a viewset: the bare queryset (N+1 queries)."""

        queryset = Article.objects.published()

    routes = []
    for prefix, viewset in (("drf-book", ByTheBook), ("drf-tutorial", AsTheTutorial)):
        router = routers.SimpleRouter()
        router.register("articles", viewset, basename=f"bench-{prefix}")
        routes.append(path(f"bench/{prefix}/", include(router.urls)))
    module = type(sys)("newsroom_bench_drf_urls")
    module.urlpatterns = [path("", include(settings.ROOT_URLCONF)), *routes]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def count_queries(run: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)


def deep_page_url(target: int = DEEP_PAGE) -> tuple[str, int]:
    """The URL of page `target` of the list (or of its last page, if it has fewer), found
    once by following the `next` links from page 1, and its page number."""
    url, number = URL, 1
    while number < target:
        following = json.loads(wsgi_call(url)())["next"]
        if not following:
            break
        url, number = following.removeprefix("http://testserver"), number + 1
    return url, number


def measure_deep_page(repetitions: int, page_1: Any, queries: int) -> dict[str, Any]:
    """Cursor page 200 against page 1 of the same list, interleaved (page 1, page 200, ...):
    a deep page must find its place as cheaply as the first (a keyset, no OFFSET)."""
    url, number = deep_page_url()
    deep = wsgi_call(url)
    for _ in range(5):
        deep()
    assert number > 1 and json.loads(deep())["results"], f"no page past page 1 ({number})"
    deep_queries = count_queries(deep)
    if deep_queries != queries:
        raise SystemExit(f"api_list: page {number} ran {deep_queries} queries, page 1 {queries}")
    medians = interleave(repetitions, {"page_1": page_1, "deep": deep})
    return {
        "page": number,
        "page_1_median_ms": medians["page_1"],
        "deep_median_ms": medians["deep"],
        "ratio": round(medians["deep"] / medians["page_1"], 2),
        "queries": deep_queries,
    }


def measure(repetitions: int, bench_url: str) -> dict[str, Any]:
    import psycopg
    from django.db import connection
    from django.test import Client

    mount_drf_contenders()
    client = Client()
    endpoint = wsgi_call(URL)

    def endpoint_test_client() -> None:
        assert client.get(URL).status_code == 200

    for _ in range(5):  # warm caches, the connection, the URL resolver
        endpoint()
        endpoint_test_client()
    assert json.loads(endpoint()) == client.get(URL).json()
    statements = capture_endpoint_sql(client)
    # psycopg's defaults: a statement run 5 times is prepared (planned once).
    prepared = psycopg.connect(bench_url, autocommit=True)
    # The same SQL planned every time, as Django's client-side-binding cursors send it.
    unprepared = psycopg.connect(bench_url, autocommit=True, prepare_threshold=None)
    for _ in range(10):
        floor(prepared, statements)
        floor(unprepared, statements)
    # The floor does the endpoint's work: the same 50 items, equal once parsed.
    served = json.loads(endpoint())["results"]
    assert len(served) == 50
    assert json.loads(floor(prepared, statements))["results"] == served
    # So do the DRF anchors, or the comparison would be of different work.
    drf_runs = {"by_the_book": wsgi_call(DRF_BOOK), "tutorial": wsgi_call(DRF_TUTORIAL)}
    drf_queries = {}
    for name, run in drf_runs.items():
        for _ in range(3):
            run()
        drift = json.loads(run())["results"]
        if drift != served:
            pairs = zip(drift, served, strict=False)
            first = next(((a, b) for a, b in pairs if a != b), (len(drift), len(served)))
            raise SystemExit(f"api_list: DRF {name} drifted from the endpoint: {first}")
        drf_queries[name] = count_queries(run)

    def against(run: Any, baseline: Any) -> dict[str, float]:
        """One side-by-side pair: medians and their ratio."""
        medians = interleave(repetitions, {"endpoint": run, "floor": baseline})
        return {
            "endpoint_median_ms": medians["endpoint"],
            "floor_median_ms": medians["floor"],
            "ratio": round(medians["endpoint"] / medians["floor"], 2),
        }

    def floor_prepared() -> bytes:
        return floor(prepared, statements)

    def floor_unprepared() -> bytes:
        return floor(unprepared, statements)

    # The headline pair first, alone, so no third contender shares its rounds.
    headline = against(endpoint, floor_prepared)
    # Each DRF anchor in the same rounds as the endpoint and the floor.
    drf: dict[str, dict[str, Any]] = {}
    for name, run in drf_runs.items():
        medians = interleave(
            repetitions, {"endpoint": endpoint, "floor": floor_prepared, name: run}
        )
        drf[name] = {
            "median_ms": medians[name],
            "endpoint_median_ms": medians["endpoint"],
            "floor_median_ms": medians["floor"],
            "ratio_to_floor": round(medians[name] / medians["floor"], 2),
            "we_are_faster": round(medians[name] / medians["endpoint"], 2),
            "queries": drf_queries[name],
        }
    deep = measure_deep_page(repetitions, endpoint, len(statements))
    compared = {
        "test_client": against(endpoint_test_client, floor_prepared),
        "floor_unprepared": against(endpoint, floor_unprepared),
    }
    options = connection.settings_dict.setdefault("OPTIONS", {})
    configured_options = {
        key: options.get(key) for key in ("server_side_binding", "prepare_threshold")
    }
    # For comparison, the same endpoint with Django's default cursors (client-side binding,
    # nothing prepared), which is what settings fall back to behind a transaction pooler
    # (DJANGO_DB_PREPARE_THRESHOLD=""); set against both floors.
    connection.close()
    options.pop("server_side_binding", None)
    options.pop("prepare_threshold", None)
    for _ in range(10):
        endpoint()
    compared["django_default_cursors"] = against(endpoint, floor_prepared)
    compared["django_default_cursors_floor_unprepared"] = against(endpoint, floor_unprepared)
    connection.close()
    options.update({k: v for k, v in configured_options.items() if v is not None})
    prepared.close()
    unprepared.close()
    return {
        "queries": len(statements),
        "repetitions": repetitions,
        **headline,
        "db_options": configured_options,
        "deep": deep,
        "drf": drf,
        "compared": compared,
    }


def print_drf(drf: dict[str, dict[str, Any]]) -> None:
    print(f"{'anchor':<14} {'median ms':>10} {'endpoint ms':>12} {'floor ms':>9} {'x floor':>8} ")
    for name, row in drf.items():
        print(
            f"DRF {name:<10} {row['median_ms']:>10} {row['endpoint_median_ms']:>12} "
            f"{row['floor_median_ms']:>9} {row['ratio_to_floor']:>8}  we are "
            f"{row['we_are_faster']}x faster, {row['queries']} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--quick", action="store_true", help="200 articles, 500 comments, 10 rounds (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.articles, args.comments, args.repetitions = 200, 500, 10
    started = time.perf_counter()
    if args.articles < 100:
        fail("--articles must be at least 100 (a page is 50)")

    maintenance, bench = server_urls()
    recreate_database(maintenance)
    try:
        setup_django(bench)
        counts = fill(args.articles, args.comments)
        figures = measure(args.repetitions, bench)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if args.keep:
            print(f"kept the database {BENCH_DB}", flush=True)
        else:
            drop_database(maintenance)
    seconds = round(time.perf_counter() - started, 1)
    print_drf(figures["drf"])
    deep = figures["deep"]
    print(
        f"cursor page {deep['page']}: {deep['deep_median_ms']} ms, page 1 "
        f"{deep['page_1_median_ms']} ms: {deep['ratio']}x, {deep['queries']} queries"
    )
    print(json.dumps({"url": URL, **counts, **figures, "seconds": seconds}))


if __name__ == "__main__":
    main()
