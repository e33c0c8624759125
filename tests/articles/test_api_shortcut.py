"""The 304 shortcut (articles/api/shortcut.py): an anonymous conditional GET of the API is
answered from one cache call, with no database query, before sessions, authentication and the
view; a change announced by a service or the record's signals is seen at once; anything else
is seen by the full check once the entry expires; signed-in and keyed requests never take it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.api import shortcut
from articles.models import Article
from articles.services.workflow import retract_article
from tests.articles.admin_support import make_superuser
from tests.articles.api_support import fresh_cache  # noqa: F401
from tests.articles.factories import PublishedArticleFactory
from tests.negotiations.factories import OfficialFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

LIST = "/api/v1/articles/"


def conditional(client: Client, url: str, etag: str, **extra: Any) -> tuple[int, int]:
    """(status, queries) of a conditional GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag, **extra)
    return response.status_code, len(queries.captured_queries)


def test_a_conditional_get_is_answered_before_the_view_with_the_views_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    PublishedArticleFactory()
    client = Client()
    first = client.get(LIST)

    def no_view(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the view ran for a 304 the shortcut should answer")

    monkeypatch.setattr("articles.api.views.base.get_conditional_response", no_view)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert len(queries.captured_queries) == 0
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert again[header] == first[header]
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in again["Vary"].split(",")}
    monkeypatch.undo()
    # Weak and listed ETags match as the view would match them.
    assert conditional(client, LIST, f'"other", W/{first["ETag"]}')[0] == 304
    assert conditional(client, LIST, '"other"')[0] == 200


def test_a_change_a_service_announces_is_seen_at_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = PublishedArticleFactory()
    client = Client()
    url = f"{LIST}{article.slug}/"
    etag = client.get(url)["ETag"]
    assert conditional(client, url, etag) == (304, 0)

    with django_capture_on_commit_callbacks(execute=True):  # announced once committed
        retract_article(article, editor=make_superuser("chief"), reason="Wrong figures.")

    status, _ = conditional(client, url, etag)
    assert status != 304  # retracted: the page changed (or went away)


def test_a_record_change_is_seen_at_once() -> None:
    official = OfficialFactory(slug="akazawa", name="Ryosei Akazawa")
    client = Client()
    url = "/api/v1/officials/akazawa/"
    etag = client.get(url)["ETag"]
    assert conditional(client, url, etag) == (304, 0)
    official.name = "Akazawa Ryosei"
    official.save()  # edited as a plain model in admin: its save bumps the generation
    assert conditional(client, url, etag)[0] == 200


def test_a_change_behind_every_signal_is_seen_once_the_entry_expires() -> None:
    article = PublishedArticleFactory()
    client = Client()
    url = f"{LIST}{article.slug}/"
    etag = client.get(url)["ETag"]
    Article.objects.filter(pk=article.pk).update(headline="Changed behind its back", version=2)

    assert conditional(client, url, etag) == (304, 0)  # within the entry's lifetime
    request = RequestFactory().get(url)
    key = shortcut.entry_key(request)
    assert key is not None
    cache.delete(key)  # the entry expires (NEWSROOM_API_SHORTCUT_SECONDS)
    status, queries = conditional(client, url, etag)
    assert status == 200 and queries >= 1  # the full check read the rows and saw it


def test_signed_in_and_keyed_requests_and_other_accepts_never_take_it() -> None:
    PublishedArticleFactory()
    client = Client()
    etag = client.get(LIST)["ETag"]

    def took_it(**extra: Any) -> bool:
        return conditional(client, LIST, etag, **extra) == (304, 0)

    assert took_it()
    assert not took_it(HTTP_AUTHORIZATION="Api-Key abc.def")  # refused by authentication
    assert not took_it(HTTP_ACCEPT="text/html")  # another page: its own entry
    client.cookies["sessionid"] = "whatever"
    assert not took_it()


def test_turned_off_it_answers_nothing(settings: Any) -> None:
    settings.NEWSROOM_API_SHORTCUT_SECONDS = 0
    PublishedArticleFactory()
    client = Client()
    etag = client.get(LIST)["ETag"]
    status, queries = conditional(client, LIST, etag)
    assert status == 304 and queries == 1  # the view's full check


def test_preconditions_and_the_host_are_still_the_views_to_check() -> None:
    PublishedArticleFactory()
    client = Client()
    etag = client.get(LIST)["ETag"]
    assert conditional(client, LIST, etag, HTTP_IF_MATCH='"nope"')[0] == 412
    assert conditional(client, LIST, etag, HTTP_HOST="evil.example")[0] == 400


def test_a_full_anonymous_get_reads_the_cache_once_and_writes_only_the_throttle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page's entry is read with the generations, in one call; the same page asked again
    is not written again; the read throttle counts with one call."""
    PublishedArticleFactory()
    client = Client()
    first = client.get(LIST)
    calls: list[str] = []
    depth = [0]  # a backend's get_many may call its own get(): count the outer call only
    backend = type(cache._connections[cache._alias])  # type: ignore[attr-defined]
    for name in ("get", "get_many", "set", "add", "incr", "hit"):
        original = getattr(backend, name, None)
        if original is None:
            continue

        def spy(self: Any, *args: Any, _name: str = name, _original: Any = original, **kw: Any):  # type: ignore[no-untyped-def]
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(self, *args, **kw)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, spy)
    again = client.get(LIST)
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    reads = [c for c in calls if c in ("get", "get_many")]
    assert reads == ["get_many"], calls
    assert "set" not in calls, calls  # the entry is what it was
    monkeypatch.undo()
    assert client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
