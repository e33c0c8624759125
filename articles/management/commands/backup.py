"""python manage.py backup FILE: every row with its id, so history survives a restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.services.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database (JSON; gzip-compressed when FILE ends in .gz) "
        "that keeps every row's id, so articles keep their revisions, diffs and versions. "
        "Load it with `restore` into an empty database, SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write it: newsroom.json or newsroom.json.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        counts = write_backup(path)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {sum(counts.values())} rows to {path}.")
            + f" Articles: {counts.get('articles.article', 0)}, revisions: "
            f"{counts.get('reversion.revision', 0)}."
        )
