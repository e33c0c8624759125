"""A PostgreSQL primary and a streaming replica of it, made for one test and gone after.

The machine's own server is left alone: `streaming_pair()` makes a primary of its own with
`initdb` (its pg_hba.conf allows replication from 127.0.0.1), copies it with
`pg_basebackup -R` (which writes the replica's standby.signal and primary_conninfo), starts
both on free ports, yields their URLs, and stops and deletes both. PostgreSQL refuses to run
as root, so as root the server programs run as the `postgres` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE = "newsroom"


def postgres_bin() -> Path | None:
    """The directory of the server programs (Debian: /usr/lib/postgresql/<major>/bin)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if versions:
        return versions[0].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def _run(args: list[str]) -> None:
    result = subprocess.run(
        _as_postgres(args), capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def streaming_pair() -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL), both naming the database `newsroom`."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="newsroom-replica-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    primary, replica = root / "primary", root / "replica"
    ports = free_port(), free_port()
    started: list[Path] = []

    def program(name: str, *args: str) -> None:
        _run([str(bin_dir / name), *args])

    def start(data: Path, port: int, settings: str) -> None:
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nport = {port}\n{settings}")
        program("pg_ctl", "-D", str(data), "-l", str(root / f"{data.name}.log"), "-w", "start")
        started.append(data)

    at_primary = ("-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres")
    try:
        program(
            "initdb",
            "-D",
            str(primary),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C",
        )
        start(
            primary,
            ports[0],
            f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
            "wal_level = replica\nmax_wal_senders = 4\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
        )
        program("createdb", *at_primary, DATABASE)
        # -R writes standby.signal and primary_conninfo; a fast checkpoint, not a spread one
        # (that waits about a minute).
        program(
            "pg_basebackup",
            *at_primary,
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "--no-sync",
            "--checkpoint=fast",
        )
        start(replica, ports[1], "hot_standby = on\n")
        yield (
            f"postgres://postgres@127.0.0.1:{ports[0]}/{DATABASE}",
            f"postgres://postgres@127.0.0.1:{ports[1]}/{DATABASE}",
        )
    finally:
        for data in reversed(started):
            subprocess.run(
                _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
