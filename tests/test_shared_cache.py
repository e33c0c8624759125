"""Without Redis, the embedded default cache is shared by every process on the machine.

Issue 11, defect 6: each worker kept its own throttle and its own validator generations, so
two workers admitted twice the comment limit and a change made by another process could be
answered 304 with a stale ETag, and nothing warned. These run real separate processes (no
Redis, the settings' own default cache) against one cache directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from articles.checks import cache_is_shared
from newsroom.cache import SharedFileCache, hit

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import sys, time, types
import django

django.setup()
from django.test import RequestFactory

from articles.api import caching, throttles

mode = sys.argv[1]
if mode == "throttle":
    start_at, frozen = float(sys.argv[2]), float(sys.argv[3])
    throttles.time = types.SimpleNamespace(time=lambda: frozen)  # one window for the run
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    time.sleep(max(0.0, start_at - time.time()))  # both processes start together
    print(sum(throttles.CommentSubmissionThrottle().allow_request(request, None)
              for _ in range(25)))
elif mode == "read":
    print(caching.current_generations(["content"])["content"])
elif mode == "bump":
    caching.bump_generation("content")
    print(caching.current_generations(["content"])["content"])
"""


def worker_env(cache_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_CACHE_DIR=str(cache_dir),
        NEWSROOM_API_COMMENT_RATE="5/min",
        PYTHONPATH=str(ROOT),
    )
    return env


def start(cache_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        cwd=ROOT,
        env=worker_env(cache_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-3000:]
    return out.strip()


def test_two_processes_without_redis_admit_the_comment_limit_once(tmp_path):
    start_at = time.time() + 4  # both have imported Django by then, then race
    frozen = 1_750_000_035.0  # mid-window
    workers = [start(tmp_path, "throttle", str(start_at), str(frozen)) for _ in range(2)]
    admitted = [int(result(worker)) for worker in workers]
    # 50 attempts from one client in one window, in two processes: exactly the limit.
    assert sum(admitted) == 5, admitted


def test_a_generation_bumped_in_one_process_is_seen_by_another(tmp_path):
    bumped = int(result(start(tmp_path, "bump")))
    seen = int(result(start(tmp_path, "read")))
    assert seen == bumped  # a per-process cache starts its own generation instead


def test_incr_is_atomic_and_keeps_the_expiry(tmp_path):
    cache = SharedFileCache(str(tmp_path), {})
    assert cache.add("k", 0, timeout=100)
    assert not cache.add("k", 5, timeout=100)
    assert cache.incr("k") == 1
    assert cache.incr("k", 4) == 5
    with open(cache._key_to_file("k"), "rb") as f:
        import pickle

        expiry = pickle.load(f)  # noqa: S301
    assert 90 < expiry - time.time() <= 100  # not reset to the default 300 s
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")


def test_a_hit_counts_under_the_lock_and_starts_a_new_window_once_expired(tmp_path):
    cache = SharedFileCache(str(tmp_path), {})
    assert [hit(cache, "k", 100) for _ in range(3)] == [1, 2, 3]
    assert cache.get("k") == 3 and cache.incr("k") == 4  # Django's own format
    with open(cache._key_to_file("k"), "rb") as f:
        import pickle

        expiry = pickle.load(f)  # noqa: S301
    assert 90 < expiry - time.time() <= 100  # the first hit's window, kept by the others
    cache.set("old", 7, timeout=-1)  # already expired
    assert hit(cache, "old", 100) == 1


def test_a_hit_on_a_cache_without_it_adds_then_increments():
    cache = LocMemCache("hit-test", {})
    assert [hit(cache, "k", 100) for _ in range(2)] == [1, 2]


def test_the_default_cache_without_redis_is_the_shared_one(settings):
    # The settings module read without REDIS_URL (the suite's own copy sits in a tmp dir).
    assert settings.CACHES["default"]["BACKEND"] == "newsroom.cache.SharedFileCache" or (
        os.environ.get("REDIS_URL")
    )
    settings.DEBUG = False
    assert cache_is_shared() == []


def test_a_per_process_cache_with_debug_off_is_warned_about(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (warning,) = cache_is_shared()
    assert warning.id == "articles.W001"
    assert "REDIS_URL" in warning.hint
    with pytest.raises(SystemCheckError, match=r"articles\.W001"):
        call_command("check", "--fail-level", "WARNING", tags=["caches"])
    settings.DEBUG = True
    assert cache_is_shared() == []


def test_a_full_cache_culls_what_expired_then_what_was_written_longest_ago(tmp_path):
    """Django culls a random third of a full file cache, live throttle counters with the
    stale entries; this one removes what has expired first, then the oldest writes, so a
    counter in use (rewritten on every hit) stays."""
    cache = SharedFileCache(str(tmp_path / "c"), {"OPTIONS": {"MAX_ENTRIES": 30}})
    for n in range(20):
        cache.set(f"stale-{n}", n, timeout=0)  # expired as soon as written
    for n in range(9):
        cache.set(f"old-{n}", n, timeout=60)
    for _ in range(3):
        hit(cache, "throttle", 60)
    cache.set("new", 1, timeout=60)  # the 31st file: a cull
    assert cache.get("throttle") == 3
    assert cache.get("new") == 1
    assert all(cache.get(f"old-{n}") == n for n in range(9))  # nothing live had to go
    assert len(list((tmp_path / "c").glob("*.djcache"))) == 11
    for n in range(30):
        cache.set(f"more-{n}", n, timeout=60)
        hit(cache, "throttle", 60)
    assert cache.get("throttle") == 33  # rewritten on every hit: never the oldest
    assert cache.get("old-0") is None  # the oldest live entries went first
