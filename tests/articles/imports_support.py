"""Helpers for the import-job tests: pages to send, zips, and the worker as production runs it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from django.db import connection

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"

# A page that names no outlet but cites a wire in its reporting.
CITES_KYODO = """Japan, US agree to keep talking on tariffs

July 23, 2025

Japan and the United States agreed on Wednesday to hold another round of talks on tariffs,
according to Kyodo News, citing a government source.

Chief negotiator Ryosei Akazawa said both sides had narrowed their differences on autos.
"""


def seed(n: int) -> tuple[str, bytes]:
    path = sorted(SEEDS.glob("*.txt"))[n]
    return path.name, path.read_bytes()


def numbered_pages(count: int) -> list[tuple[str, bytes]]:
    """`count` distinct pages (a seed with its own closing line), so none is 'unchanged'."""
    _, data = seed(0)
    return [(f"page-{i:03d}.txt", data + f"\nLoad test line {i}.\n".encode()) for i in range(count)]


def zip_of(members: list[tuple[str, bytes]], **extra: Any) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
        for name, (info_change, data) in extra.items():
            info = zipfile.ZipInfo(name)
            info_change(info)
            archive.writestr(info, data)
    return buffer.getvalue()


def database_url() -> str:
    """The URL of the test database this process uses, for a worker in another process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(params["NAME"])
        assert ":memory:" not in name and "mode=memory" not in name, "needs a file database"
        return f"sqlite:///{name}"
    user, host, port = params.get("USER") or "", params.get("HOST") or "", params.get("PORT")
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    where = f"{host}:{port}" if port else host
    return f"postgres://{user}{password}@{where}/{params['NAME']}"


def worker(*args: str) -> subprocess.Popen[bytes]:
    """`manage.py db_worker` in its own process, against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [
            sys.executable,
            str(REPO / "manage.py"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            *args,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
