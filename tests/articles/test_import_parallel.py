"""Import throughput (issue 12, item 2): pages stored several to a transaction, a fixed number
of statements for a batch whatever its comments and links, and `--jobs N` worker processes
that report what one process reports."""

from __future__ import annotations

import io
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from articles.importer import parallel, store
from articles.importer.store import import_paths
from articles.models import Article, Comment, RawDocument
from tests.articles.importer_support import GOOD, page_with_comments
from tests.negotiations.factories import OfficialAliasFactory, OfficialFactory

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"


def headline(n: int, text: str) -> str:
    """`text` (GOOD's shape) under a headline of its own."""
    first, rest = text.split("\n", 1)
    return f"Report {n}: {first}\n{rest}"


def folder_of(tmp_path: Path, name: str, texts: list[str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for n, text in enumerate(texts):
        (folder / f"page-{n:02d}.txt").write_text(headline(n, text), encoding="utf-8")
    return folder


def officials() -> None:
    for name in ("Howard Lutnick", "Scott Bessent", "Jamieson Greer"):
        official = OfficialFactory(name=name, slug=name.lower().replace(" ", "-"))
        OfficialAliasFactory(official=official, alias=name.split()[1])


def queries_of(folder: Path) -> int:
    with CaptureQueriesContext(connection) as captured:
        run = import_paths([folder])
    assert not run.failed, run.failed
    return len(captured.captured_queries)


# Queries: a fixed number for a batch of pages.


@pytest.mark.django_db
def test_a_page_with_twenty_comments_costs_the_queries_of_a_page_with_one(tmp_path: Path) -> None:
    officials()
    many = page_with_comments(20).replace(
        "on Friday for talks on tariffs.", "on Friday; Bessent and Greer joined the talks."
    )
    one = queries_of(folder_of(tmp_path, "one", [page_with_comments(1)]))
    Article.objects.all().delete()
    RawDocument.objects.all().delete()
    twenty = queries_of(folder_of(tmp_path, "twenty", [many]))
    assert Comment.objects.count() == 20
    assert twenty == one


@pytest.mark.django_db
def test_twenty_pages_cost_the_queries_of_two(tmp_path: Path) -> None:
    """The bound: a batch of pages (up to `store.BATCH_PAGES`) costs the same statements as two
    pages: the reference (7), which pages are stored already, a transaction, the file names
    already imported, the slugs taken, then one INSERT per table written."""
    officials()
    texts = [page_with_comments(1 + n % 2) for n in range(20)]  # within SQLite's 999 parameters
    two = queries_of(folder_of(tmp_path, "two", texts[:2]))
    Article.objects.all().delete()
    RawDocument.objects.all().delete()
    twenty = queries_of(folder_of(tmp_path, "twenty", texts))
    assert Article.objects.count() == 20
    assert twenty == two
    assert twenty <= 7 + 12  # against 11 statements a page before batching


# A failure stays with its page, in a batch.


@pytest.mark.django_db
def test_a_page_failing_in_a_batch_fails_alone_and_the_batch_is_stored_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store._link_rows

    def fail_on_report_3(found: Any, article: Article, *, changed: bool) -> dict[str, list[Any]]:
        if article.slug.startswith("report-3-"):
            raise DatabaseError("disk full")
        return real(found, article, changed=changed)

    monkeypatch.setattr(store, "_link_rows", fail_on_report_3)
    folder = folder_of(tmp_path, "pages", [page_with_comments(2)] * 6)
    run = import_paths([folder])
    assert [r.outcome for r in run.results] == ["created"] * 3 + ["failed"] + ["created"] * 2
    assert "could not be stored, nothing was saved (DatabaseError: disk full)" in (
        run.results[3].reason
    )
    assert Article.objects.count() == RawDocument.objects.count() == 5
    assert not RawDocument.objects.filter(file_name="page-03.txt").exists()
    assert Comment.objects.count() == 10
    assert all(raw.import_report["outcome"] == "created" for raw in RawDocument.objects.all())


@pytest.mark.django_db
def test_a_batch_with_the_same_page_twice_and_a_changed_page_reads_as_one_page_at_a_time(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "page.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a" / "same.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b" / "page.txt").write_text(GOOD + "\nA second paragraph.\n", encoding="utf-8")
    run = import_paths([tmp_path])
    assert [(Path(r.file_name).name, r.outcome) for r in run.results] == [
        ("page.txt", "created"),
        ("same.txt", "unchanged"),
        ("page.txt", "changed"),
    ]
    assert Article.objects.count() == 1 and RawDocument.objects.count() == 2


# --jobs N


def test_pages_of_one_file_name_go_to_one_share_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 2)
    entries = [(Path(p), "") for p in ("a/x.txt", "a/y.txt", "a/z.txt", "b/x.txt", "b/w.txt")]
    shares = parallel.deal(entries)
    assert [[str(path) for _, path, _ in share] for share in shares] == [
        ["a/x.txt", "a/y.txt", "b/x.txt"],
        ["a/z.txt", "b/w.txt"],
    ]
    assert sorted(index for share in shares for index, _, _ in share) == list(range(5))


def outcomes(run: Any) -> list[tuple[str, str, str, int, dict[str, int], list[str]]]:
    return [
        (
            Path(r.file_name).name,
            r.outcome,
            r.article_slug,
            r.comments,
            {k: v for k, v in r.links.items() if v},
            r.needs_review,
        )
        for r in run.results
    ]


def pages_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "changed").mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[4]
    (folder / "changed" / seed.name).write_text(
        seed.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8"
    )
    for n in range(6):
        (folder / f"more-{n}.txt").write_text(headline(n, page_with_comments(n)), "utf-8")
    return folder


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_jobs_import_what_one_process_imports(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 3)  # several shares for two workers
    folder = pages_folder(tmp_path)
    one = import_paths([folder])
    articles = sorted(Article.objects.values_list("slug", "headline", "body", "version"))
    comments = sorted(Comment.objects.values_list("article__slug", "position", "body"))
    Article.objects.all().delete()
    RawDocument.objects.all().delete()

    two = import_paths([folder], jobs=2)
    assert outcomes(two) == outcomes(one)
    assert [r.outcome for r in one.results].count("changed") == 1
    assert sorted(Article.objects.values_list("slug", "headline", "body", "version")) == articles
    assert sorted(Comment.objects.values_list("article__slug", "position", "body")) == comments
    assert RawDocument.objects.count() == len(one.results)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bad_page_in_a_two_job_run_fails_only_itself(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 3)
    real = store._link_rows

    def fail_on_report_4(found: Any, article: Article, *, changed: bool) -> dict[str, list[Any]]:
        if article.slug.startswith("report-4-"):
            raise DatabaseError("disk full")
        return real(found, article, changed=changed)

    monkeypatch.setattr(store, "_link_rows", fail_on_report_4)  # the workers are forked
    folder = folder_of(tmp_path, "pages", [page_with_comments(2)] * 8)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not a page")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_pages", "--jobs", "2", str(folder), stdout=out, stderr=err)
    assert str(failure.value) == f"2 of 9 pages failed: {folder / 'binary.txt'}, page-04.txt"
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["FAILED"] + ["created"] * 4 + ["FAILED"] + [
        "created"
    ] * 3
    assert "page-04.txt: could not be stored, nothing was saved" in lines[5]
    assert Article.objects.count() == RawDocument.objects.count() == 7
    assert Comment.objects.count() == 14
    assert not RawDocument.objects.filter(file_name="page-04.txt").exists()


@pytest.mark.django_db
def test_jobs_on_sqlite_are_refused_with_the_reason(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is SQLite's")
    folder = folder_of(tmp_path, "pages", [GOOD, GOOD.replace("Friday", "Monday")])
    with pytest.raises(CommandError, match="--jobs 2: importing in several processes needs"):
        call_command("import_pages", "--jobs", "2", str(folder), stdout=io.StringIO())
    assert RawDocument.objects.count() == 0


@pytest.mark.django_db
def test_more_jobs_than_the_machine_can_use_are_refused(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, "pages", [GOOD, GOOD.replace("Friday", "Monday")])
    too_many = parallel.max_jobs() + 1
    with pytest.raises(CommandError, match=f"--jobs {too_many}: more than this machine can use"):
        call_command("import_pages", "--jobs", str(too_many), str(folder), stdout=io.StringIO())
    assert RawDocument.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_with_one_headline_import_in_several_workers_at_once(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wire copy reprinted by several outlets shares its headline: the workers race for the
    # same slugs, and a page that loses the race takes the next free one.
    monkeypatch.setattr(parallel, "SHARE_PAGES", 2)
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(40):
        (folder / f"page-{n:02d}.txt").write_text(f"{GOOD}\nParagraph number {n}.\n", "utf-8")
    run = import_paths([folder], jobs=min(4, parallel.max_jobs()))
    assert [r.outcome for r in run.results] == ["created"] * 40
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == 40
    assert all(slug.startswith("japan-and-us-hold-another-round") for slug in slugs), slugs


def _kill_worker_on_page_6(monkeypatch: pytest.MonkeyPatch, *, once: Path | None) -> None:
    """The worker storing page 6 stops as the out-of-memory killer would stop it (once, when
    `once` names a file that is not there yet; every time without)."""
    real = store._link_rows

    def hook(found: Any, article: Article, *, changed: bool) -> dict[str, list[Any]]:
        if article.slug.startswith("report-6-") and not (once and once.exists()):
            if once:
                once.write_text("killed", "utf-8")
            time.sleep(0.5)  # the other worker commits meanwhile
            os.kill(os.getpid(), signal.SIGKILL)
        return real(found, article, changed=changed)

    monkeypatch.setattr(store, "_link_rows", hook)  # the workers are forked


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_once_leaves_its_share_to_a_new_worker(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 4)
    monkeypatch.setattr(store, "BATCH_PAGES", 2)
    _kill_worker_on_page_6(monkeypatch, once=tmp_path / "killed")
    folder = folder_of(tmp_path, "pages", [page_with_comments(1)] * 16)
    run = import_paths([folder], jobs=2)
    assert (tmp_path / "killed").exists()
    assert len(run.results) == 16
    assert {r.outcome for r in run.results} <= {"created", "unchanged"}
    assert RawDocument.objects.count() == Article.objects.count() == 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_that_kills_its_worker_every_time_fails_alone_and_stored_pages_say_so(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 4)
    monkeypatch.setattr(store, "BATCH_PAGES", 2)
    _kill_worker_on_page_6(monkeypatch, once=None)
    folder = folder_of(tmp_path, "pages", [page_with_comments(1)] * 16)
    run = import_paths([folder], jobs=2)
    stored = set(RawDocument.objects.values_list("file_name", flat=True))
    assert len(run.results) == 16
    failed = {Path(r.file_name).name for r in run.results if r.outcome == "failed"}
    assert "page-06.txt" in failed
    assert not failed & stored  # no stored page is reported failed
    assert len(stored) + len(failed) == 16
    reasons = {r.reason for r in run.results if r.outcome == "failed"}
    assert all("its worker process stopped" in reason for reason in reasons)
    assert all("nothing of this page was saved: import it again" in reason for reason in reasons)
    # the pages after page 6 in its share, and the other shares, were imported
    assert len(stored) >= 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_that_cannot_reach_the_database_fails_its_pages_and_the_run_reports(
    requires_postgres: None, reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SHARE_PAGES", 3)
    real = parallel.import_entries

    def entries(share: list[Any], **kwargs: Any) -> Any:
        if any(path.name == "page-04.txt" for path, _ in share):
            raise DatabaseError("could not connect to server: too many clients")
        return real(share, **kwargs)

    monkeypatch.setattr(parallel, "import_entries", entries)
    folder = folder_of(tmp_path, "pages", [page_with_comments(1)] * 9)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_pages", "--jobs", "2", str(folder), stdout=out, stderr=io.StringIO())
    assert str(failure.value).startswith("3 of 9 pages failed: page-03.txt, page-04.txt")
    report = out.getvalue()
    assert "its worker failed (DatabaseError: could not connect to server" in report
    assert RawDocument.objects.count() == 6
