"""The project's cache backends.

`RedisCache` (production, REDIS_URL): Django's, keeping one redis-py client per connection pool
instead of building one on every call (which costs more than the round trip itself).

`SharedFileCache`, the embedded default: one directory that every process on the machine shares.

Without REDIS_URL the API's throttles and validator generations live here, so two workers
(or a worker and a management command) count the same requests and see the same changes.
Django's FileBasedCache writes each entry whole (a temporary file renamed over it), so get()
and set() are safe from any number of processes; its add() and incr() read and then write,
so two processes could both add a key, or both count from the same value. Here both hold an
exclusive lock on one file in the cache directory while they read and write, which makes
them atomic across processes and threads, as they are on Redis.
"""

from __future__ import annotations

import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.core.files import locks

from newsroom import cachedir

LOCK_FILE = "lock"  # not a cache entry: entries end in FileBasedCache.cache_suffix
HIT_FILE = "hit.tmp"  # hit()'s counter before it is renamed over its entry (under the lock)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, but `get_client` returns the same redis-py client for a pool each time
    (redis-py clients are thread-safe; the pool hands out the connections)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool: Any = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache with `ReusingRedisCacheClient`, and `hit`."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient  # Django sets its own in __init__

    def hit(self, key: Any, timeout: int) -> int:
        """Count one on `key` (made 0, expiring in `timeout` s, if absent): the new count.
        SET NX EX and INCR in one atomic round trip, where add() and incr() took two."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)  # type: ignore[attr-defined]
        # MULTI/EXEC: the key cannot expire between the two and come back without an expiry.
        pipeline = client.pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return int(pipeline.execute()[-1])


class SharedFileCache(FileBasedCache):
    """FileBasedCache whose add() and incr() are atomic across processes (flock)."""

    # FileBasedCache's private helpers (_dir, _createdir, _key_to_file, _delete) are not in
    # django-stubs; reached through an untyped view of self.
    @property
    def _files(self) -> Any:
        return self

    def _createdir(self) -> None:
        """Django makes the directory again if it went (a cleaner of /dev/shm, a reboot): in
        memory, where anyone may create a path, it must still be this user's alone, or the
        cache would unpickle another user's files."""
        super()._createdir()  # type: ignore[misc]
        where = Path(self._files._dir)
        if str(where).startswith(cachedir.MEMORY_FILESYSTEM + "/") and not cachedir.is_private(
            where
        ):
            raise RuntimeError(
                f"The cache directory {where} is not this user's alone (owner, mode 0700, not a "
                "symlink); remove it, or set NEWSROOM_CACHE_DIR to a private directory."
            )

    def _ensure_dir(self) -> None:
        """_createdir()'s guarantee for a directory that is usually there: one lstat (in
        memory: still this user's alone), the full _createdir() only when it is not."""
        where = self._files._dir
        if where.startswith(cachedir.MEMORY_FILESYSTEM + "/"):
            if not cachedir.is_private(Path(where)):
                self._files._createdir()  # makes it again, or refuses another user's
        elif not os.path.isdir(where):
            self._files._createdir()

    def _cull(self) -> None:
        """Django's cull, but what goes first is what has expired, then what was written
        longest ago, where Django deletes a random third: a live throttle counter (rewritten
        on every hit) no longer goes with the stale 304 entries around it."""
        files = self._files
        filelist = files._list_cache_files()
        if len(filelist) < files._max_entries:
            return
        if files._cull_frequency == 0:
            self.clear()
            return
        alive: list[tuple[float, str]] = []
        for fname in filelist:
            try:
                with open(fname, "rb") as f:
                    if files._is_expired(f):
                        continue
                alive.append((os.path.getmtime(fname), fname))
            except FileNotFoundError:
                continue
        excess = len(filelist) // files._cull_frequency - (len(filelist) - len(alive))
        for _, fname in sorted(alive)[: max(excess, 0)]:
            files._delete(fname)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self._ensure_dir()
        with open(os.path.join(self._files._dir, LOCK_FILE), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        with self._exclusive():
            return bool(super().add(key, value, timeout, version))

    def hit(self, key: Any, timeout: int) -> int:
        """Count one on `key` (made 0, expiring in `timeout` s, if absent): the new count.

        One lock, one read and one write, where add() and incr() took two locks, and set()
        listed the whole directory to cull it (only a new entry can make the cache grow)."""
        with self._exclusive():
            fname = self._files._key_to_file(key)
            now = time.time()
            found, expiry, value = False, None, 0
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 (our own cache files)
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
                    found = True
            except (FileNotFoundError, EOFError):
                pass
            if not found or (expiry is not None and expiry < now):  # a new window
                self._files._cull()
                value, expiry = 0, now + timeout
            value += 1
            # Written whole under the lock, then renamed over the entry: one name will do.
            tmp_path = os.path.join(self._files._dir, HIT_FILE)
            try:
                with open(tmp_path, "wb") as f:
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                os.replace(tmp_path, fname)
            except BaseException:
                os.remove(tmp_path)
                raise
            return int(value)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add delta under the lock, keeping the entry's expiry (Django's resets it)."""
        with self._exclusive():
            fname = self._files._key_to_file(key, version)
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 (our own cache files)
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            now = time.time()
            if expiry is not None and expiry < now:
                self._files._delete(fname)
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            self.set(key, new_value, None if expiry is None else expiry - now, version)
            return new_value


def hit(cache: Any, key: str, timeout: int) -> int:
    """Count one on the counter `key` of `cache` (made 0, expiring in `timeout` s, if
    absent) and return the new count, atomically across processes: in one call on the
    project's backends (`hit`), with add() and incr() on any other."""
    counted = getattr(cache, "hit", None)
    if counted is not None:
        return int(counted(key, timeout))
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1
