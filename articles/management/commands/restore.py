"""python manage.py restore FILE: load a `backup` into an empty, migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.services.backup import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into an empty database (create it and run "
        "`migrate` first). Every row keeps its id, and id counters move past every id the "
        "history remembers, so a new article never inherits a deleted one's history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup: newsroom.json or newsroom.json.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            counters = restore_backup(path)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from None
        articles = counters.get("articles_article", 0)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {path}.")
            + f" New articles are numbered from {articles + 1}."
        )
