"""The importer cannot be turned against the host or the database (issue 11): numbers from a
page are bounded before they reach a field, any failure stays with its page, links, devices
and pipes are refused, control characters stay out of the stored fields, and a file name
cannot forge a line of the report."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from articles.importer import store
from articles.models import Article, Comment, RawDocument
from articles.text import printable, without_control_characters
from tests.articles.factories import PublishedArticleFactory
from tests.articles.importer_support import GOOD, page_with_comments

pytestmark = pytest.mark.django_db

# Two comments under stacked headers, each followed by a bare count (its score): the first
# beyond a 32-bit column (PostgreSQL: "out of range"), the second beyond 64 bits (SQLite:
# OverflowError).
HUGE_SCORES = GOOD + (
    "\n2 Comments\n\n"
    "kenta_t\n•\n2 days ago\n\nThe talks will fail again, I think so.\n\n999,999,999,999\n\n"
    "yam_ko\n•\n6 hours ago\n\nAnother reader comment about the tariffs.\n\n"
    "999,999,999,999,999,999,999\n"
)


def run(*args: str) -> tuple[str, str]:
    """The command's standard output and its error (empty when it succeeded)."""
    out = io.StringIO()
    try:
        call_command("import_pages", *args, stdout=out, stderr=io.StringIO())
    except CommandError as failure:
        return out.getvalue(), str(failure)
    return out.getvalue(), ""


# Numbers.


def test_an_out_of_range_tally_is_dropped_with_a_note_and_the_page_imports(
    reference_data: None, tmp_path: Path
) -> None:
    (tmp_path / "huge.txt").write_text(HUGE_SCORES, encoding="utf-8")

    out, error = run("--json", str(tmp_path / "huge.txt"))

    assert error == ""
    assert json.loads(out)["counts"]["created"] == 1
    comments = list(Comment.objects.order_by("position"))
    assert [(c.body, c.score) for c in comments] == [
        ("The talks will fail again, I think so.", None),
        ("Another reader comment about the tariffs.", None),
    ]
    notes = RawDocument.objects.get().import_report["notes"]
    assert (
        "comment 1: the page shows 999,999,999,999 score, outside what a tally can hold "
        "(-2,147,483,648 to 2,147,483,647); left empty, check it on the page"
    ) in notes
    assert any(
        note.startswith("comment 2: the page shows 999,999,999,999,999,999,999") for note in notes
    )


def test_a_tally_in_range_is_kept(reference_data: None, tmp_path: Path) -> None:
    (tmp_path / "fine.txt").write_text(
        HUGE_SCORES.replace("999,999,999,999,999,999,999", "-2,147,483,648").replace(
            "999,999,999,999", "2,147,483,647"
        ),
        encoding="utf-8",
    )

    run(str(tmp_path / "fine.txt"))

    assert list(Comment.objects.order_by("position").values_list("score", flat=True)) == [
        2_147_483_647,
        -2_147_483_648,
    ]
    assert not [n for n in RawDocument.objects.get().import_report["notes"] if "tally" in n]


# Failures stay with their page.


def test_any_exception_fails_its_page_with_a_reason_and_json_still_prints(
    reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.segment_page

    def surprise(page: Any, reference: Any) -> Any:
        if "boom" in page.file_name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(page, reference)

    monkeypatch.setattr(store, "segment_page", surprise)
    (tmp_path / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "boom.txt").write_text(GOOD.replace("another", "a second"), encoding="utf-8")
    # A name that is not UTF-8 must not stop the report from printing on a UTF-8 terminal.
    (tmp_path / os.fsdecode(b"latin-\xe9.txt")).write_text(
        GOOD.replace("another", "a third"), encoding="utf-8"
    )

    out, error = run("--json", str(tmp_path))

    out.encode("utf-8")  # what a UTF-8 terminal can print (a lone surrogate cannot be)
    report = json.loads(out)
    assert report["counts"] == {"created": 1, "changed": 0, "unchanged": 0, "failed": 2}
    reasons = {Path(r["file_name"]).name: r["reason"] for r in report["results"]}
    assert reasons["boom.txt"] == (
        "could not be imported, nothing was saved "
        "(RecursionError: maximum recursion depth exceeded)"
    )
    assert reasons["latin-\udce9.txt"] == (
        "has a name that is not valid UTF-8; rename it and import it again"
    )
    assert error.startswith("2 of 3 pages failed")
    assert "latin-\\udce9.txt" in error
    assert Article.objects.count() == 1


# Only regular files inside the named paths.


def test_a_link_to_a_file_outside_is_refused_not_imported(
    reference_data: None, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(GOOD, encoding="utf-8")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / "page.txt").write_text(GOOD.replace("another", "a fourth"), encoding="utf-8")

    out, error = run(str(folder), str(folder / "passwd.txt"), "/dev/null")

    lines = out.splitlines()
    refused = "is a symbolic link; links are not followed: import the file it points to"
    assert [line for line in lines if "passwd.txt" in line] == [
        f"FAILED     {folder / 'passwd.txt'}: {refused} by its own path"
    ] * 2
    assert f"FAILED     {folder / 'linked-folder'}: is a symbolic link to a folder; " in out
    assert "FAILED     /dev/null: is a device, not a file" in out
    assert "secret" not in out
    assert error.startswith("4 of 5 pages failed")
    assert list(RawDocument.objects.values_list("file_name", flat=True)) == ["page.txt"]
    assert not RawDocument.objects.filter(text__contains="root:").exists()
    assert not Article.objects.filter(body__contains="/bin/").exists()


def test_a_file_swapped_for_a_link_after_the_listing_is_refused(
    reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    real = store.expand_paths

    def then_swap(paths: Any) -> Any:
        entries = real(paths)
        page.unlink()
        page.symlink_to("/etc/passwd")
        return entries

    monkeypatch.setattr(store, "expand_paths", then_swap)

    out, _ = run(str(page))

    assert "is a symbolic link; links are not followed" in out
    assert not RawDocument.objects.exists()


# Control characters and the report.


def test_control_characters_are_removed_from_stored_fields_and_kept_in_the_raw_page(
    reference_data: None, tmp_path: Path
) -> None:
    text = (
        page_with_comments(8)
        .replace("another round", "another\x1b round\x07")
        .replace("on Friday", "on\x7f Friday\x9b")
        .replace("number 1 says", "number\x1b 1 says\x07")
    )
    (tmp_path / "controls.txt").write_text(text, encoding="utf-8")

    out, error = run(str(tmp_path / "controls.txt"))

    assert error == "", out
    article = Article.objects.get()
    assert article.headline == "Japan and US hold another round of tariff talks in Washington"
    assert "met Commerce Secretary Howard Lutnick in Washington on Friday for talks" in article.body
    first = Comment.objects.get(position=1)
    assert first.body == "Reader comment number 1 says the talks will fail again."
    for value in (article.headline, article.body, *Comment.objects.values_list("body", flat=True)):
        assert without_control_characters(value) == value
    raw = RawDocument.objects.get()
    assert raw.text == text  # the page as it came, byte for byte
    assert raw.size_bytes == len(text.encode("utf-8"))


def test_a_file_name_cannot_forge_a_line_of_the_report(
    reference_data: None, tmp_path: Path
) -> None:
    forged = "x.txt: fine\nFAILED     forged.txt: \x1b[2Jsomething.txt"
    (tmp_path / forged).write_text(GOOD, encoding="utf-8")
    (tmp_path / "missing").mkdir()

    out, _ = run(str(tmp_path / forged), str(tmp_path / "missing"))

    lines = out.splitlines()
    assert not any(line.startswith("FAILED     forged") for line in lines)
    assert "\x1b" not in out
    assert any(printable(forged) in line and line.startswith("created") for line in lines)
    assert "x.txt: fine\\nFAILED     forged.txt: \\x1b[2Jsomething.txt" in out


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("tab\there", "tab\\there"),
        ("esc\x1b[0m", "esc\\x1b[0m"),
        ("c1\x9b", "c1\\x9b"),
        ("back\\slash", "back\\\\slash"),
        ("rtl\u202egnp.txt", "rtl\\u202egnp.txt"),
        ("bytes\udcff", "bytes\\udcff"),
        ("日本語の記事.txt", "日本語の記事.txt"),
    ],
)
def test_printable_escapes_what_could_forge_or_hide_a_line(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize("control", ["\x1b", "\x9b", "\r", "\x7f"])
def test_the_comment_api_refuses_the_same_control_characters(client: Client, control: str) -> None:
    article = PublishedArticleFactory.create()

    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "Reader", "body": f"Good{control}[0m reporting. Really good."},
        content_type="application/json",
    )

    if control == "\r":  # an old Mac line ending is a line ending
        assert response.status_code == 201
        assert Comment.objects.get().body == "Good\n[0m reporting. Really good."
    else:
        assert response.status_code == 400
        assert "without control characters" in response.content.decode()
        assert not Comment.objects.exists()
