"""The embedded cache's directory: in memory (/dev/shm) when it can be this user's alone, else
the checkout's var/cache. The cache unpickles what it reads, so a directory someone else could
write to is never used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsroom import cachedir


@pytest.fixture
def shm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(cachedir, "MEMORY_FILESYSTEM", str(memory))
    return memory


def test_a_private_directory_per_checkout_is_made_in_memory(shm: Path, tmp_path: Path) -> None:
    fallback = tmp_path / "var" / "cache"
    first = cachedir.default_cache_dir(tmp_path / "checkout-a", fallback)
    again = cachedir.default_cache_dir(tmp_path / "checkout-a", fallback)
    other = cachedir.default_cache_dir(tmp_path / "checkout-b", fallback)
    assert first.parent == shm and first == again != other
    assert first.stat().st_mode & 0o777 == 0o700


def test_a_directory_others_could_write_is_refused(shm: Path, tmp_path: Path) -> None:
    fallback = tmp_path / "var" / "cache"
    made = cachedir.default_cache_dir(tmp_path / "checkout", fallback)
    made.chmod(0o777)  # as if someone made it first, open to all
    assert cachedir.default_cache_dir(tmp_path / "checkout", fallback) == fallback


def test_a_symlink_in_its_place_is_refused(shm: Path, tmp_path: Path) -> None:
    fallback = tmp_path / "var" / "cache"
    made = cachedir.default_cache_dir(tmp_path / "checkout", fallback)
    made.rmdir()
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    os.symlink(target, made)
    assert cachedir.default_cache_dir(tmp_path / "checkout", fallback) == fallback


def test_without_a_memory_filesystem_the_checkout_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachedir, "MEMORY_FILESYSTEM", str(tmp_path / "missing"))
    fallback = tmp_path / "var" / "cache"
    assert cachedir.default_cache_dir(tmp_path, fallback) == fallback


def test_the_cache_refuses_a_directory_made_again_by_someone_else(
    shm: Path, tmp_path: Path
) -> None:
    from newsroom.cache import SharedFileCache

    made = cachedir.default_cache_dir(tmp_path / "checkout", tmp_path / "fallback")
    cache = SharedFileCache(str(made), {})
    cache.set("k", 1)
    for entry in made.iterdir():
        entry.unlink()
    made.rmdir()  # gone (a cleaner of /dev/shm), and made again, open to all, by another user
    made.mkdir(mode=0o777)
    made.chmod(0o777)
    with pytest.raises(RuntimeError, match="not this user's alone"):
        cache.set("k", 2)
