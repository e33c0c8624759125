"""Bring up a demo instance: migrate, load fixtures, create demo accounts, serve."""

from __future__ import annotations

import os
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.services.accounts import DEMO_ACCOUNTS, ensure_demo_accounts

REFERENCE_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"


class Command(BaseCommand):
    help = (
        "Migrate, load the reference fixtures, create the demo accounts editor, moderator and "
        "admin (password from DEMO_PASSWORD, default 'newsroom'), then serve on 127.0.0.1:8000. "
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

        if options["no_serve"]:
            return
        self.stdout.write(f"Admin: http://{options['addrport']}/admin/")
        call_command("runserver", options["addrport"], use_reloader=False)
