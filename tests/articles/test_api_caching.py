"""HTTP caching: validators, 304 without building the payload, cache headers, shared Redis."""

from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request

from articles.api import caching, throttles
from articles.api.serializers.articles import ArticleDetailSerializer, ArticleListSerializer
from articles.api.throttles import CommentSubmissionThrottle
from articles.models import Article, Comment
from articles.services.coverage import confirm_link
from articles.services.moderation import approve_comment
from newsroom.cache import RedisCache, hit
from tests.articles.admin_support import role_user
from tests.articles.api_support import (
    confirm,
    editor_client,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
)
from tests.negotiations.factories import MeetingFactory, OfficialFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

LIST = "/api/v1/articles/"


def refuse_to_serialize(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Any, instance: Any) -> Any:
        raise AssertionError("the payload was built for a 304")

    monkeypatch.setattr(ArticleListSerializer, "to_representation", boom)
    monkeypatch.setattr(ArticleDetailSerializer, "to_representation", boom)


@pytest.mark.parametrize("path", ["", "slug/", "?round=1&q=talks"])
def test_a_repeated_conditional_get_is_304_without_building_the_payload(
    client, django_assert_num_queries, monkeypatch, path
):
    PublishedArticleFactory(slug="slug")
    first = client.get(LIST + path)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    refuse_to_serialize(monkeypatch)
    with django_assert_num_queries(0):  # answered before the view, from the cache alone
        again = client.get(LIST + path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"].startswith("public, max-age=")
    by_date = client.get(LIST + path, HTTP_IF_MODIFIED_SINCE=modified)
    assert by_date.status_code == 304


def test_a_changed_article_changes_its_validators(client, settings):
    settings.NEWSROOM_API_SHORTCUT_SECONDS = 0  # a plain save: the full check sees it
    article = PublishedArticleFactory()
    detail, listing = client.get(f"{LIST}{article.slug}/"), client.get(LIST)
    article.headline = "Corrected headline"
    article.save()
    changed = client.get(f"{LIST}{article.slug}/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert changed.status_code == 200
    assert changed.json()["headline"] == "Corrected headline"
    assert changed["ETag"] != detail["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_without_the_shortcut_a_repeated_conditional_get_costs_one_query(
    client, django_assert_num_queries, monkeypatch, settings
):
    settings.NEWSROOM_API_SHORTCUT_SECONDS = 0
    PublishedArticleFactory(slug="slug")
    etag = client.get(LIST)["ETag"]
    refuse_to_serialize(monkeypatch)
    with django_assert_num_queries(1):  # the validators' aggregate, nothing else
        again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_changes_that_send_no_signal_still_change_the_validators(client, settings):
    """QuerySet.update() skips signals; the row fingerprint still sees it (the full check,
    which the shortcut hands over to once its entry expires)."""
    settings.NEWSROOM_API_SHORTCUT_SECONDS = 0
    article = PublishedArticleFactory()
    etag = client.get(f"{LIST}{article.slug}/")["ETag"]
    Article.objects.filter(pk=article.pk).update(version=2)
    assert client.get(f"{LIST}{article.slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    comment = CommentFactory(article=article, status="pending")
    url = f"{LIST}{article.slug}/comments/"
    etag = client.get(url)["ETag"]
    Comment.objects.filter(pk=comment.pk).update(status="approved", version=2)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_publishing_with_a_bare_update_changes_list_and_provenance_validators(client, settings):
    """A bare QuerySet.update(version+1, updated_at=now) sends no signal; the full check sees
    it."""
    settings.NEWSROOM_API_SHORTCUT_SECONDS = 0
    meeting = MeetingFactory(slug="m")
    draft = ArticleFactory()
    confirm(MeetingLinkFactory, draft, meeting=meeting)
    urls = [LIST, "/api/v1/meetings/m/", "/api/v1/meetings/"]
    etags = {url: client.get(url)["ETag"] for url in urls}
    Article.objects.filter(pk=draft.pk).update(
        status="published", version=2, updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    for url, etag in etags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200, url
    assert client.get("/api/v1/meetings/m/").json()["reported_by"][0]["article"]["slug"] == (
        draft.slug
    )


def test_a_confirmed_link_changes_the_validators_of_what_it_links(
    client, django_capture_on_commit_callbacks
):
    """The service announces it once committed (articles.signals.article_changed)."""
    official = OfficialFactory(slug="o")
    article = PublishedArticleFactory()
    link = OfficialLinkFactory(article=article, official=official)
    editor = role_user("Editors", "eddie")
    etags = {url: client.get(url)["ETag"] for url in ["/api/v1/officials/o/", LIST]}
    with django_capture_on_commit_callbacks(execute=True):
        confirm_link(link, editor=editor)
    for url, etag in etags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200, url


def test_a_new_pending_comment_leaves_comment_validators_alone(client):
    article = PublishedArticleFactory()
    url = f"{LIST}{article.slug}/comments/"
    etag = client.get(url)["ETag"]
    CommentFactory(article=article, status="pending")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_responses_are_public_and_editors_private_with_their_own_validators(client):
    PublishedArticleFactory()
    anonymous = client.get(LIST)
    assert anonymous["Cache-Control"] == "public, max-age=60"
    assert {"Accept", "Authorization", "Cookie"} <= {
        v.strip() for v in anonymous["Vary"].split(",")
    }
    editor = editor_client().get(LIST)
    assert editor["Cache-Control"] == "private, no-cache"
    assert editor["ETag"] != anonymous["ETag"]
    ninjs = client.get(LIST, HTTP_ACCEPT="application/ninjs+json")
    assert ninjs["ETag"] != anonymous["ETag"]


def test_record_endpoints_and_timeline_answer_304_too(client, django_assert_max_num_queries):
    MeetingFactory(slug="m")
    for url in ["/api/v1/meetings/", "/api/v1/meetings/m/", "/api/v1/timeline/"]:
        etag = client.get(url)["ETag"]
        with django_assert_max_num_queries(1):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_if_match_that_fails_is_a_412_problem(client):
    PublishedArticleFactory()
    response = client.get(LIST, HTTP_IF_MATCH='"not-the-etag"')
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"


# Several workers, one Redis ---------------------------------------------------------------

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_location() -> str:
    """The Redis on the development machine; in CI (NEWSROOM_REQUIRE_REDIS=1) it must be up."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        if os.environ.get("NEWSROOM_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"needs Redis at {REDIS_URL} (set NEWSROOM_REQUIRE_REDIS=1 to require it)")
    return REDIS_URL


def worker_cache(location: str, prefix: str) -> RedisCache:  # the project's, as settings use it
    """What one gunicorn worker builds from settings.CACHES: its own client and pool."""
    return RedisCache(location, {"KEY_PREFIX": prefix})


def forget(location: str, prefix: str) -> None:
    """Delete this test's keys only: other runs may share the Redis database."""
    import redis

    client = redis.Redis.from_url(location)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_two_workers_sharing_redis_agree_on_a_throttle(redis_location, settings, monkeypatch):
    monkeypatch.setattr(throttles.time, "time", lambda: 1_750_000_035.0)  # mid-window
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"comments": "3/min"},
    }
    first, second = worker_cache(redis_location, prefix), worker_cache(redis_location, prefix)
    assert first is not second and first._cache is not second._cache
    request = Request(RequestFactory().post("/", REMOTE_ADDR="192.0.2.7"))

    def allowed(cache: RedisCache) -> bool:
        throttle = CommentSubmissionThrottle()
        throttle.cache = cache
        return throttle.allow_request(request, None)

    try:
        assert [allowed(first), allowed(second), allowed(first)] == [True, True, True]
        assert allowed(second) is False  # the fourth, whichever worker gets it
        assert allowed(first) is False
    finally:
        forget(redis_location, prefix)


def test_a_redis_hit_counts_in_one_round_trip_and_keeps_the_window(redis_location):
    import redis

    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    cache = worker_cache(redis_location, prefix)
    try:
        assert [hit(cache, "k", 30) for _ in range(3)] == [1, 2, 3]
        assert cache.get("k") == 3  # what Django's incr() and get() read
        assert cache.incr("k") == 4
        ttl = redis.Redis.from_url(redis_location).ttl(cache.make_and_validate_key("k"))
        assert 0 < ttl <= 30  # set by the first hit, not moved by the others
    finally:
        forget(redis_location, prefix)


def test_two_workers_sharing_redis_agree_on_validators(
    redis_location, settings, client, monkeypatch
):
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": redis_location,
            "KEY_PREFIX": prefix,
        }
    }
    first, second = worker_cache(redis_location, prefix), worker_cache(redis_location, prefix)
    try:
        monkeypatch.setattr(caching, "cache", first)
        assert caching.current_generations([caching.CONTENT]) == (
            generation := caching.current_generations([caching.CONTENT])
        )
        monkeypatch.setattr(caching, "cache", second)
        assert caching.current_generations([caching.CONTENT]) == generation
        caching.bump_generation(caching.CONTENT)  # a save handled by the second worker
        monkeypatch.setattr(caching, "cache", first)
        assert caching.current_generations([caching.CONTENT]) != generation
        # End to end through the API on the Redis-backed default cache.
        monkeypatch.undo()
        PublishedArticleFactory()
        etag = client.get(LIST)["ETag"]
        assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
        worker_cache(redis_location, prefix).set(
            "newsroom:api:generation:content", timezone.now().timestamp() * 1e9 + 1, None
        )
        assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200
    finally:
        forget(redis_location, prefix)


def test_approving_a_comment_moves_last_modified_not_only_the_etag(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """The comment's row may not say when it changed; the decision, announced once committed
    (articles.signals.comment_moderated), must still move Last-Modified, or
    If-Modified-Since gets a 304."""
    article = PublishedArticleFactory()
    CommentFactory(article=article, status="approved", body="first")
    waiting = CommentFactory(article=article, status="pending", body="second")
    url = f"{LIST}{article.slug}/comments/"
    first = client.get(url)
    later = timezone.now() + datetime.timedelta(seconds=5)  # Last-Modified counts seconds
    monkeypatch.setattr(caching.time, "time_ns", lambda: int(later.timestamp() * 1e9))
    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(waiting, moderator=role_user("Moderators", "mona"))

    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert [c["body"] for c in again.json()["results"]] == ["first", "second"]
    assert again["Last-Modified"] != first["Last-Modified"]


def test_a_change_bumps_the_generation_again_once_committed(django_capture_on_commit_callbacks):
    """A request between the save and the commit reads the old rows under the new
    generation; the second bump, on commit, makes its validators stale."""
    official = OfficialFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        official.name = "Renamed"
        official.save()
    during = caching.current_generations([caching.CONTENT])
    callbacks[-1]()
    assert caching.current_generations([caching.CONTENT]) != during


def test_what_happens_outside_the_services_still_moves_the_validators(
    client, django_capture_on_commit_callbacks
):
    """A superuser's deletion in admin and a raw save (loaddata, recovering a deleted article
    from its history) go through no service, so no domain signal: the model signals bump."""
    older, newer = PublishedArticleFactory(), PublishedArticleFactory()
    etag, pk = client.get(LIST)["ETag"], older.pk
    with django_capture_on_commit_callbacks(execute=True):
        older.delete()  # not the newest: the list's row fingerprint does not see it
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200
    etag = client.get(LIST)["ETag"]
    older.pk = pk  # recovered with its own id and its old updated_at
    with django_capture_on_commit_callbacks(execute=True):
        older.save_base(raw=True)
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert Article.objects.filter(pk=pk).exists() and newer.pk > pk


def test_the_redis_cache_keeps_one_client_and_still_works(redis_location):
    """Django builds a redis-py client on every call; the project's backend keeps one."""
    prefix = f"newsroom-test-{uuid.uuid4().hex[:8]}"
    cache = worker_cache(redis_location, prefix)
    try:
        client = cache._cache.get_client(write=False)
        assert cache._cache.get_client(write=False) is client
        cache.set("generation", 7, timeout=60)
        cache.set("entry", ("etag", {"content": 7}), timeout=60)
        assert cache.get_many(["generation", "entry", "missing"]) == {
            "generation": 7,
            "entry": ("etag", {"content": 7}),
        }
        assert cache.incr("generation") == 8
    finally:
        forget(redis_location, prefix)
