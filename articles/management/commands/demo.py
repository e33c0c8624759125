"""Bring up a demo instance: migrate, load the reference, create demo accounts, import the seeds,
apply the desk's editorial fixture, serve. Running it again changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.importer.store import import_paths
from articles.models import Article
from articles.services.accounts import DEMO_ACCOUNTS, ensure_demo_accounts

REFERENCE_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"
DESK_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "desk"
SEEDS = Path(settings.BASE_DIR) / "seeds"


class Command(BaseCommand):
    help = (
        "Migrate, load the reference fixtures, create the demo accounts editor, moderator and "
        "admin (password from DEMO_PASSWORD, default 'newsroom'), import seeds/ and apply the "
        "desk's editorial work on them (fixtures/desk/), then serve on 127.0.0.1:8000 with a "
        "background worker for imports. "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Set everything up, but do not serve."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        fixtures = sorted(glob(str(REFERENCE_FIXTURES / "*.json")))
        if not fixtures:
            raise CommandError(f"No reference fixtures found in {REFERENCE_FIXTURES}.")
        call_command("loaddata", *fixtures, verbosity=max(verbosity - 1, 0))
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(fixtures)} reference fixture files."))

        password = os.environ.get("DEMO_PASSWORD", "newsroom")
        ensure_demo_accounts(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {password}):"))
        for username, role in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {username:<10} {role}")

        self._import_seeds(verbosity)

        if options["no_serve"]:
            return
        self.stdout.write(f"Admin: http://{options['addrport']}/admin/")
        # Imports from the admin run in the background: one worker beside the server.
        worker = subprocess.Popen(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "db_worker", "--no-reload"]
        )
        self.stdout.write(f"Background worker (manage.py db_worker) started, pid {worker.pid}.")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _import_seeds(self, verbosity: int) -> None:
        """Import seeds/ (identical pages are left as they are), then the desk's work on them."""
        editor = get_user_model().objects.get_by_natural_key("editor")
        run = import_paths([SEEDS], actor=editor)
        if run.failed:
            failures = "; ".join(f"{r.file_name}: {r.reason}" for r in run.failed)
            raise CommandError(f"Could not import the seeds in {SEEDS}: {failures}")
        counts = run.counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeds: {counts['created']} imported, {counts['unchanged']} already there, "
                f"{counts['changed']} changed."
            )
        )
        desk = sorted(glob(str(DESK_FIXTURES / "*.json")))
        if not desk:
            raise CommandError(f"No desk fixtures found in {DESK_FIXTURES}.")
        slugs = [r.article_slug for r in run.results]
        worked_on = Article.objects.filter(slug__in=slugs, version__gt=1).exists()
        if counts["created"] == 0 and worked_on:
            # Editors may have changed things since: the desk's work is applied only once.
            self.stdout.write("Desk fixture already applied; the articles are left as they are.")
            return
        call_command("loaddata", *desk, verbosity=max(verbosity - 1, 0))
        self.stdout.write(self.style.SUCCESS(f"Applied {len(desk)} desk fixture files."))
