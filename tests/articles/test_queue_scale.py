"""The moderation queue at scale: a page load costs the same few queries for 1 comment or 1,000,
on every status filter and on the deepest page the queue links; pages stop at the paginator's
cap; a deep page shows the rows an offset would. And benchmarks/moderation_queue.py keeps
working (its quick mode, on PostgreSQL)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.queue import CappedCountPaginator
from articles.models import Article, Comment
from articles.services import queue_counts
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "admin:articles_comment_changelist"
FILTERS = ["pending", "approved", "rejected", "spam", "all"]
MAX_QUERIES = 5  # the user, their permissions, the undo offer, the count, the page


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator() -> Any:
    return role_user("Moderators", "mona")


def add_comments(article: Article, n: int) -> None:
    """n comments, the statuses in turn, a second apart; written in bulk, as no writer of the
    desk writes them, so the queue's cached numbers are dropped afterwards."""
    start = datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    statuses = list(Comment.Status.values)
    Comment.objects.bulk_create(
        Comment(
            article=article,
            author_handle=f"reader{i}",
            body=f"Comment {i} on the talks.",
            origin=Comment.Origin.API,
            status=statuses[i % len(statuses)],
        )
        for i in range(n)
    )
    first = Comment.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    for comment in Comment.objects.filter(article=article).only("pk"):
        Comment.objects.filter(pk=comment.pk).update(
            created_at=start + datetime.timedelta(seconds=comment.pk - first)
        )
    queue_counts.forget_status_counts()


def url_for(status: str, page: int | None = None) -> str:
    query = [] if status == "pending" else [f"status={status}"]
    if page is not None:
        query.append(f"p={page}")
    return reverse(QUEUE) + ("?" + "&".join(query) if query else "")


def load(client: Client, url: str) -> tuple[int, Any]:
    """The queries of a warm page load (the first load fills the cached numbers)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


def deepest_page(html: str) -> int:
    return max([1, *(int(p) for p in re.findall(r'href="\?(?:[^"]*&amp;)?p=(\d+)', html))])


@pytest.mark.parametrize("status", FILTERS)
def test_page_1_costs_the_same_few_queries_for_1_or_1000_comments(
    status: str, moderator: Any
) -> None:
    article = ArticleFactory.create()
    add_comments(article, 4)  # one in each status
    client = client_for(moderator)
    few, small = load(client, url_for(status))

    add_comments(article, 1000)
    many, large = load(client, url_for(status))

    assert few == many <= MAX_QUERIES
    assert len(small.context["cl"].result_list) == (4 if status == "all" else 1)
    assert len(large.context["cl"].result_list) == 50


@pytest.mark.parametrize("status", FILTERS)
def test_the_deepest_linked_page_costs_what_page_1_does_and_shows_the_rows_an_offset_would(
    status: str, moderator: Any
) -> None:
    article = ArticleFactory.create()
    add_comments(article, 1004)
    client = client_for(moderator)
    first, response = load(client, url_for(status))
    deepest = deepest_page(response.content.decode())
    assert deepest == (21 if status == "all" else 6)  # 1,004 or 251 comments, 50 a page

    queries, deep = load(client, url_for(status, deepest))

    assert queries == first <= MAX_QUERIES
    matching = Comment.objects.order_by("created_at", "id")
    if status != "all":
        matching = matching.filter(status=status)
    offset = (deepest - 1) * 50
    assert [c.pk for c in deep.context["cl"].result_list] == [
        c.pk for c in matching[offset : offset + 50]
    ]


def test_a_deep_page_reads_its_ids_first_in_the_same_statement(moderator: Any) -> None:
    add_comments(ArticleFactory.create(), 400)
    client = client_for(moderator)

    client.get(url_for("pending", 2))  # the first load fills the cached numbers
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url_for("pending", 2))

    statements = [q["sql"] for q in captured.captured_queries]
    page = [sql for sql in statements if re.search(r"\bIN \(SELECT .* LIMIT 50 OFFSET 50\)", sql)]
    assert len(page) == 1, statements
    assert len(response.context["cl"].result_list) == 50


def test_pages_stop_at_the_cap_and_say_how_many_there_are(
    moderator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CappedCountPaginator, "cap", 100)
    add_comments(ArticleFactory.create(), 1004)  # 251 pending
    client = client_for(moderator)

    _, response = load(client, url_for("pending"))
    with CaptureQueriesContext(connection) as captured:
        client.get(url_for("pending", 2))

    html = response.content.decode()
    assert deepest_page(html) == 2
    assert "The first 100 of 251 comments, in pages" in html
    # The cached numbers say there are more than the cap: the queue is not counted.
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert client.get(url_for("pending", 3))["Location"].endswith("?e=1")


# PostgreSQL: the planner's estimate when the table is large.


@pytest.mark.postgres
def test_a_large_table_s_numbers_are_the_planner_s_estimates_marked_as_such(
    requires_postgres: None, moderator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_comments(ArticleFactory.create(), 400)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Comment._meta.db_table}")
    monkeypatch.setattr(queue_counts, "ESTIMATE_ABOVE", 100)

    with CaptureQueriesContext(connection) as captured:
        counts = queue_counts.status_counts()

    assert counts.estimated
    assert counts.by_status == {status: 100 for status in Comment.Status.values}
    assert len(captured.captured_queries) == 1
    assert "GROUP BY" not in captured.captured_queries[0]["sql"].upper()
    html = client_for(moderator).get(url_for("pending")).content.decode()
    assert "Pending (≈100)" in html and "All (≈400)" in html


# The benchmark.


@pytest.mark.postgres
def test_the_queue_benchmark_quick_mode_runs_and_reports_its_figures(
    requires_postgres: None,
) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "moderation_queue.py"), "--quick"],
        cwd=ROOT,  # DATABASE_URL names the PostgreSQL server the tests run on
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["comments"] == 2000
    assert figures["by_status"]["pending"] == 200
    cases = {row["case"]: row for row in figures["cases"]}
    assert len(cases) == 9
    for status in FILTERS:
        row = cases[f"page 1, {status}"]
        assert row["rows"] == 50 and row["queries"] <= MAX_QUERIES, row
        assert row["ms"] > 0 and row["anchor_ms"] > 0
        assert row["ratio"] == round(row["ms"] / row["anchor_ms"], 2)
    for status in ("pending", "all"):
        deep = cases[f"deepest linked, {status}"]
        assert "p=" in deep["url"] and deep["rows"] > 0
        assert deep["queries"] == cases[f"page 1, {status}"]["queries"]
    assert "goals_met" in figures and figures["seconds"] > 0


def test_the_queue_benchmark_refuses_sqlite() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "moderation_queue.py"), "--quick"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "needs PostgreSQL" in result.stderr
