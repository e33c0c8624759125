"""Where the embedded default cache (`newsroom.cache.SharedFileCache`) keeps its files; read
by settings, so it imports nothing of Django."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MEMORY_FILESYSTEM = "/dev/shm"  # noqa: S108 - a private directory in it, checked below


def default_cache_dir(base_dir: Path, fallback: Path) -> Path:
    """Where the shared file cache lives when NEWSROOM_CACHE_DIR does not say: a directory of
    this checkout's own in memory (/dev/shm, tmpfs: a write and rename cost about 15 us there,
    170-1,300 us on this machine's ext4), else `fallback`.

    The directory is this process's user's alone (mode 0700, created here or found so, not a
    symlink): the cache unpickles what it reads, so nobody else may write there."""
    shm = Path(MEMORY_FILESYSTEM)
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return fallback
    digest = hashlib.sha256(str(base_dir.resolve()).encode()).hexdigest()[:12]
    path = shm / f"newsroom-cache-{os.getuid()}-{digest}"
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return fallback
    return path if is_private(path) else fallback


def is_private(path: Path) -> bool:
    """A directory (not a symlink) of this user's alone: nobody else can put files in it."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and not stat.S_ISLNK(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & 0o077
    )


__all__ = ["MEMORY_FILESYSTEM", "default_cache_dir", "is_private"]
