"""import_pages: bad input, dry runs, JSON, idempotence, changed pages, rollback, query counts."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from articles.importer import store
from articles.importer.store import comment_uuid, import_paths
from articles.models import Article, Comment, OfficialLink, RawDocument
from tests.articles.factories import UserFactory
from tests.articles.importer_support import GOOD, page_with_comments
from tests.negotiations.factories import OfficialAliasFactory, OfficialFactory

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
PAGES = Path(__file__).resolve().parent / "pages"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_pages", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_pages", *args, stdout=out, stderr=err)
    return out.getvalue(), str(failure.value)


def table_counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "raw": RawDocument.objects.count(),
        "comments": Comment.objects.count(),
        "official_links": OfficialLink.objects.count(),
    }


@pytest.mark.django_db
def test_each_bad_file_gets_one_line_naming_it_and_the_good_one_still_imports(
    tmp_path: Path, settings: Any
) -> None:
    settings.NEWSROOM_IMPORT_MAX_BYTES = 2000
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\r\n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    (tmp_path / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40)
    (tmp_path / "huge.txt").write_text("Tariffs. " * 400, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    missing = tmp_path / "missing.txt"
    under_a_file = tmp_path / "good.txt" / "child.txt"

    out, error = run_failing(str(tmp_path), str(missing), str(under_a_file))

    lines = out.splitlines()
    expected = {
        "empty.txt": "is empty",
        "blank.txt": "is empty (whitespace only)",
        "binary.txt": "looks binary",
        "undecodable.txt": "is not UTF-8 (invalid byte 0x81 at offset 0)",
        "huge.txt": "over the import limit of 2.0 KiB (NEWSROOM_IMPORT_MAX_BYTES)",
        "dangling.txt": "is a symbolic link; links are not followed",
        "fifo.txt": "is a named pipe (FIFO), not a file",
        "missing.txt": "no such file or folder",
        "child.txt": "no such file",
    }
    for name, reason in expected.items():
        matching = [line for line in lines if name in line]
        assert len(matching) == 1, name
        assert matching[0].startswith("FAILED") and reason in matching[0], matching[0]
    assert any(line.startswith("created") and "good.txt" in line for line in lines)
    assert "10 pages: 1 created, 0 changed, 0 unchanged, 9 failed" in out
    assert error.startswith("9 of 10 pages failed")
    assert table_counts() == {"articles": 1, "raw": 1, "comments": 0, "official_links": 0}


@pytest.mark.django_db
def test_a_folder_without_pages_is_reported(tmp_path: Path) -> None:
    out, _ = run_failing(str(tmp_path))
    assert "is a folder with no .txt pages in it" in out


@pytest.mark.django_db
def test_shift_jis_and_latin1_pages_are_decoded_and_their_bytes_hashed() -> None:
    run(str(PAGES / "shift_jis_page.txt"), str(PAGES / "latin1_page.txt"))
    sjis = RawDocument.objects.get(file_name="shift_jis_page.txt")
    latin = RawDocument.objects.get(file_name="latin1_page.txt")
    assert sjis.encoding == "shift_jis" and latin.encoding == "latin-1"
    assert sjis.text == (PAGES / "shift_jis_page.txt").read_bytes().decode("cp932")
    assert latin.text == (PAGES / "latin1_page.txt").read_bytes().decode("latin-1")
    assert sjis.size_bytes == (PAGES / "shift_jis_page.txt").stat().st_size
    assert sjis.article is not None and sjis.article.language == "ja"
    assert sjis.article.headline.startswith("日米関税協議")
    assert latin.article is not None and latin.article.byline == "Hélène Marchand"


@pytest.mark.django_db
def test_dry_run_reports_everything_and_saves_nothing(reference_data: None) -> None:
    out, _ = run("--dry-run", str(SEEDS))
    assert sum(line.startswith("created") for line in out.splitlines()) == 5
    assert "(dry run: nothing was saved)" in out
    assert table_counts() == {"articles": 0, "raw": 0, "comments": 0, "official_links": 0}


@pytest.mark.django_db
def test_json_report_is_machine_readable(reference_data: None) -> None:
    out, _ = run("--json", str(SEEDS / "001_df4f1887d7318987.txt"))
    report = json.loads(out)
    assert report["counts"] == {"created": 1, "changed": 0, "unchanged": 0, "failed": 0}
    (result,) = report["results"]
    assert result["comments"] == 2
    assert result["links"]["official"] == 3
    assert result["needs_review"] == []


@pytest.mark.django_db
def test_progress_is_shown_on_a_terminal_only(reference_data: None) -> None:
    terminal = TTY()
    call_command("import_pages", str(SEEDS), stdout=io.StringIO(), stderr=terminal)
    assert "[5/5]" in terminal.getvalue() and "[0/5]" in terminal.getvalue()
    piped = io.StringIO()
    call_command("import_pages", str(SEEDS), stdout=io.StringIO(), stderr=piped)
    assert piped.getvalue() == ""


@pytest.mark.django_db
def test_reimporting_identical_pages_changes_nothing(reference_data: None) -> None:
    run(str(SEEDS))
    before = table_counts()
    versions = dict(Article.objects.values_list("slug", "version"))
    out, _ = run(str(SEEDS))
    assert sum(line.startswith("unchanged") for line in out.splitlines()) == 5
    assert "5 pages: 0 created, 0 changed, 5 unchanged, 0 failed" in out
    assert table_counts() == before
    assert dict(Article.objects.values_list("slug", "version")) == versions


@pytest.mark.django_db
def test_comment_uuids_are_deterministic(reference_data: None) -> None:
    run(str(SEEDS / "001_df4f1887d7318987.txt"))
    raw = RawDocument.objects.get()
    first = Comment.objects.get(position=1)
    assert isinstance(first, Comment)
    assert first.uuid == comment_uuid(raw.sha256, 1)
    assert Comment.objects.get_by_natural_key(str(first.uuid)) == first


@pytest.mark.django_db
def test_a_changed_page_is_a_new_raw_document_and_editorial_work_survives(
    tmp_path: Path, reference_data: None
) -> None:
    path = tmp_path / "001_df4f1887d7318987.txt"
    shutil.copy(SEEDS / path.name, path)
    run(str(path))
    article = Article.objects.get()
    first_raw = RawDocument.objects.get()
    Article.objects.filter(pk=article.pk).update(headline="Edited by the desk", byline="Desk")
    rejected = article.officiallinks.get(official__slug="howard-lutnick")
    rejected.status = rejected.Status.REJECTED
    rejected.save()
    (Comment.objects.filter(article=article, position=2)).update(status=Comment.Status.APPROVED)

    changed = path.read_text(encoding="utf-8").replace(
        "Perhaps Japan should look for better friends.",
        "Perhaps Japan should look for better friends.\n\nLutnick will not budge.",
    )
    changed += "\nA new reader says Lutnick and Bessent will hold firm.\n\n4 ( +4 / -0 )\n"
    path.write_text(changed, encoding="utf-8")
    out, _ = run(str(path))

    assert "changed" in out
    article.refresh_from_db()
    assert article.source_changed is True
    assert article.headline == "Edited by the desk" and article.byline == "Desk"
    assert RawDocument.objects.filter(article=article).count() == 2
    newest = RawDocument.objects.filter(article=article).latest("received_at", "id")
    assert newest.text == changed
    assert "headline" in newest.import_report["changes"]
    rejected.refresh_from_db()
    assert rejected.status == rejected.Status.REJECTED
    assert (
        OfficialLink.objects.filter(article=article, official__slug="howard-lutnick").count() == 1
    )
    kept = Comment.objects.get(raw_document=first_raw, position=2)
    assert isinstance(kept, Comment) and kept.status == Comment.Status.APPROVED
    new_comments = Comment.objects.filter(raw_document=newest).order_by("position")
    assert [c.body for c in new_comments] == [
        "Meanwhile all Japanese exports to the US get tagged with a minimum 10% tax. Steel, "
        "aluminum and automobiles are taxed at a 25% rate.\n\nPerhaps Japan should look for "
        "better friends.\n\nLutnick will not budge.",
        "A new reader says Lutnick and Bessent will hold firm.",
    ]


@pytest.mark.django_db
def test_a_page_that_fails_leaves_nothing_behind_and_the_others_import(
    reference_data: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The links' rows, built by the pages stored together in one transaction and again by a
    # page stored on its own: the batch fails, and then only page 002.
    real = store._link_rows

    def fail_on_002(found: Any, article: Article, *, changed: bool) -> dict[str, list[Any]]:
        result = real(found, article, changed=changed)
        if "twice-with-lutnick" in article.slug:
            raise DatabaseError("disk full")
        return result

    monkeypatch.setattr(store, "_link_rows", fail_on_002)
    out, error = run_failing(str(SEEDS))

    assert "FAILED     002_bba52bb01834fe29.txt: could not be stored, nothing was saved" in out
    assert error == "1 of 5 pages failed: 002_bba52bb01834fe29.txt"
    assert Article.objects.count() == 4
    assert not RawDocument.objects.filter(file_name__startswith="002").exists()
    assert not Article.objects.filter(slug__contains="twice-with-lutnick").exists()
    assert not Comment.objects.filter(body__contains="Nippon Steel").exists()
    assert Comment.objects.count() == 2  # seed 001's


@pytest.mark.django_db
def test_query_count_does_not_grow_with_comments_or_links(tmp_path: Path) -> None:
    for name in ("Howard Lutnick", "Scott Bessent", "Jamieson Greer"):
        official = OfficialFactory(name=name, slug=name.lower().replace(" ", "-"))
        OfficialAliasFactory(official=official, alias=name.split()[1])
    (tmp_path / "one").mkdir()
    (tmp_path / "many").mkdir()
    (tmp_path / "one" / "page.txt").write_text(page_with_comments(1), encoding="utf-8")
    many = page_with_comments(40).replace(
        "on Friday for talks on tariffs.", "on Friday; Bessent and Greer joined the talks."
    )
    (tmp_path / "many" / "page.txt").write_text(many, encoding="utf-8")
    with CaptureQueriesContext(connection) as one:
        import_paths([tmp_path / "one" / "page.txt"])
    Article.objects.all().delete()
    RawDocument.objects.all().delete()
    with CaptureQueriesContext(connection) as many_queries:
        import_paths([tmp_path / "many" / "page.txt"])
    assert Comment.objects.count() == 40
    assert OfficialLink.objects.count() == 3
    assert len(many_queries) == len(one)


@pytest.mark.django_db
def test_a_named_user_is_recorded_as_the_importer(reference_data: None) -> None:
    user = UserFactory(username="editor")
    run("--user", "editor", str(SEEDS / "004_d167913b694af8e1.txt"))
    raw = RawDocument.objects.get()
    assert raw.import_report["imported_by"] == "editor"
    entry = LogEntry.objects.get()
    assert entry.user == user and entry.object_id == str(raw.article_id)


@pytest.mark.django_db
def test_an_unknown_user_is_refused_before_anything_is_read() -> None:
    _, error = run_failing("--user", "nobody", str(SEEDS))
    assert error == "No user named 'nobody'; create it first."
    assert RawDocument.objects.count() == 0


@pytest.mark.django_db
def test_a_comment_time_with_date_and_zone_is_stored_and_a_relative_one_is_not(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        GOOD
        + "\n2 Comments\n"
        + "kenji Jun 28, 2025 09:12 am JST\nGood luck to him, he will need it.\n"
        + "mary_s Today 11:40 pm JST\nAnother trip, another photo opportunity.\n",
        encoding="utf-8",
    )
    import_paths([page])
    dated, relative = Comment.objects.order_by("position")
    assert isinstance(dated, Comment) and isinstance(relative, Comment)
    assert dated.posted_at == datetime.datetime(2025, 6, 28, 9, 12, tzinfo=TOKYO)
    assert dated.posted_label == "Jun 28, 2025 09:12 am JST"
    assert relative.posted_at is None and relative.posted_label == "Today 11:40 pm JST"
