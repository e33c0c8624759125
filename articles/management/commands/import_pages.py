"""python manage.py import_pages PATH [PATH ...] [--dry-run] [--json] [--user NAME] [--jobs N]

PATH is a page (plain text, or saved HTML: .html, .htm, or any file that opens with a doctype
or an <html> tag) or a folder of them (.txt, .html and .htm files, searched recursively).
"""

from __future__ import annotations

import getpass
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from articles.importer.parallel import ParallelImportRefused
from articles.importer.store import ImportRun, PageResult, import_paths
from articles.imports.jobs import record_run
from articles.services.audit import NamedActor, SystemActor
from articles.text import printable
from newsroom.routers import pinned_to_primary

# Who imports when the command runs without --user: named in each page's import report.
COMMAND_LINE = SystemActor("import_pages (command line)")


def command_line_actor() -> SystemActor:
    """The command line, with the operating-system account that ran it when it can be told."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return COMMAND_LINE
    return SystemActor(f"{COMMAND_LINE.name[:-1]}, OS user {account})")


class Command(BaseCommand):
    help = (
        "Import raw pages (text or saved HTML files, or folders of .txt/.html/.htm files) as "
        "draft articles with pending reader comments and suggested coverage links. Each page "
        "is imported in its own transaction; the exit status is non-zero when any page failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            help="Page files (text or HTML) or folders of .txt, .html and .htm pages.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Import everything and report, then roll every page back: nothing is saved.",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the report as JSON on standard output."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=(
                "Import in N worker processes (PostgreSQL only; default 1, this process). The "
                "report is the same, in the same order."
            ),
        )
        parser.add_argument(
            "--user",
            help=(
                "Username to record as the importer (an admin log entry per page); without it "
                "the import reports and the desk's list of imports name the command line and "
                "the OS account that ran it."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # An import reads what it has just written (duplicates, its job): from the primary.
        with pinned_to_primary():
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        actor: NamedActor = command_line_actor()
        if options["user"]:
            try:
                actor = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {options['user']!r}; create it first.") from None
        if options["jobs"] < 1:
            raise CommandError("--jobs must be 1 or more.")
        show_progress = self.stderr.isatty() and not options["json"]
        started_at = timezone.now()
        try:
            run = import_paths(
                options["paths"],
                actor=actor,
                dry_run=options["dry_run"],
                progress=self._progress if show_progress else None,
                jobs=options["jobs"],
            )
        except ParallelImportRefused as refusal:
            raise CommandError(f"--jobs {options['jobs']}: {refusal}") from None
        if not options["dry_run"]:
            # The desk's list of imports shows who ran it and what became of each page.
            record_run(actor, run, started_at=started_at, via="command line")
        if options["json"]:
            report = json.dumps(run.as_dict(), indent=2, ensure_ascii=False)
            # A file name that is not UTF-8 holds lone surrogates: written as JSON's \\udcxx
            # escapes, so the report still prints (and still parses).
            self.stdout.write(report.encode("utf-8", "backslashreplace").decode("utf-8"))
        else:
            for result in run.results:
                self.stdout.write(self._line(result))
            self.stdout.write(self._summary(run))
        if run.failed:
            names = ", ".join(printable(result.file_name) for result in run.failed)
            raise CommandError(f"{len(run.failed)} of {len(run.results)} pages failed: {names}")

    def _progress(self, done: int, total: int, name: str) -> None:
        if total < 2:
            return
        end = "\n" if done == total else ""
        self.stderr.write(f"\r\033[K[{done}/{total}] {printable(name)}", ending=end)

    def _line(self, result: PageResult) -> str:
        """One line a page: its name and the reason are escaped (`printable`), so a name with
        a newline or a terminal escape in it cannot forge a line or rewrite the screen."""
        name, reason = printable(result.file_name), printable(result.reason)
        if result.outcome == "failed":
            return self.style.ERROR(f"FAILED     {name}: {reason}")
        if result.outcome == "unchanged":
            return f"unchanged  {name}: {reason}"
        links = ", ".join(f"{count} {kind}" for kind, count in result.links.items() if count)
        review = ", ".join(result.needs_review) or "nothing"
        text = (
            f"{result.outcome:<10} {name} -> {result.article_slug} "
            f"({result.comments} comments; links suggested: {links or 'none'}; "
            f"needs review: {review})"
        )
        return self.style.SUCCESS(text) if result.outcome == "created" else self.style.WARNING(text)

    def _summary(self, run: ImportRun) -> str:
        counts = run.counts()
        summary = (
            f"{len(run.results)} pages: {counts['created']} created, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )
        if run.dry_run:
            summary += " (dry run: nothing was saved)"
        return self.style.ERROR(summary) if run.failed else self.style.SUCCESS(summary)
