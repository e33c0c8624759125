"""Run by tests/test_replica_routing.py in a process of its own, against a real primary
(DATABASE_URL) and its streaming replica (DATABASE_REPLICA_URL); prints one JSON line of
what it saw: which database served each read and write, and what the replica is."""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("NEWSROOM_API_READ_RATE", "100000/min")
os.environ.setdefault("NEWSROOM_API_COMMENT_RATE", "100000/min")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Source
    from newsroom.routers import PIN_COOKIE, pinned_to_primary

    call_command("migrate", database="default", verbosity=0)

    def caught_up() -> None:
        """Wait until the replica has replayed everything the primary has written."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with connections["replica"].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [target]
                )
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.1)
        raise SystemExit("the replica did not catch up in 30 s")

    def served(run: Any) -> dict[str, int]:
        """How many queries each database ran for `run()`."""
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            run()
        return {"default": len(primary), "replica": len(replica)}

    seen: dict[str, Any] = {}
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        seen["replica_in_recovery"] = cursor.fetchone()[0]

    outlet = Source.objects.create(name="Kyodo News", slug="kyodo", kind="outlet")
    seen["orm_write"] = served(
        lambda: Article.objects.create(
            headline="Akazawa and Lutnick meet again",
            slug="akazawa-lutnick",
            body="Japan's negotiator met the Commerce Secretary in Washington.",
            published_at=datetime.datetime(2025, 7, 22, 9, 0, tzinfo=datetime.UTC),
            published_time_known=True,
            outlet=outlet,
            status=Article.Status.PUBLISHED,
            version=1,
        )
    )
    caught_up()
    seen["orm_read"] = served(lambda: list(Article.objects.all()))
    seen["replica_has_the_write"] = (
        Article.objects.using("replica").filter(slug="akazawa-lutnick").exists()
    )

    def read_in_transaction() -> None:
        with transaction.atomic():
            list(Article.objects.all())

    seen["read_in_transaction"] = served(read_in_transaction)

    def read_pinned() -> None:
        with pinned_to_primary():
            list(Article.objects.all())

    seen["read_pinned"] = served(read_pinned)
    try:
        with transaction.atomic(using="replica"):
            Source.objects.using("replica").create(name="Nope", slug="nope", kind="outlet")
        seen["replica_refused_a_write"] = ""
    except Exception as error:
        seen["replica_refused_a_write"] = str(error).splitlines()[0]

    # The import worker claims its tasks on the primary (it opens a transaction on the
    # database a read of the queue names, then locks rows there).
    from django.db import router
    from django_tasks_db.models import DBTaskResult

    seen["task_queue_read_on"] = router.db_for_read(DBTaskResult)
    call_command("db_worker", batch=True, verbosity=0)
    seen["worker_ran"] = True

    client = Client()
    listing: dict[str, Any] = {}

    def get_list() -> None:
        response = client.get("/api/v1/articles/")
        listing["status"] = response.status_code
        listing["slugs"] = [item["slug"] for item in response.json()["results"]]

    seen["api_read"] = served(get_list)
    seen["api_read_result"] = dict(listing)
    posted: dict[str, Any] = {}

    def post_comment() -> None:
        response = client.post(
            "/api/v1/articles/akazawa-lutnick/comments/",
            {"author_name": "reader", "body": "The talks should go on."},
            content_type="application/json",
        )
        posted["status"] = response.status_code
        posted["pin_cookie"] = PIN_COOKIE in response.cookies

    seen["api_write"] = served(post_comment)
    seen["api_write_result"] = dict(posted)
    seen["api_read_after_write"] = served(get_list)  # the client carries the cookie now
    client.cookies.pop(PIN_COOKIE, None)
    seen["api_read_later"] = served(get_list)  # the cookie has expired
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
