"""HTML pages: story, metadata and reader comments read from the markup, stored like text pages."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.importer.reader import decode_page
from articles.importer.store import import_paths
from articles.models import Article, Comment, OfficialLink, RawDocument

PAGES = Path(__file__).resolve().parent / "pages_html"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "raw": RawDocument.objects.count(),
        "comments": Comment.objects.count(),
        "official_links": OfficialLink.objects.count(),
    }


@pytest.mark.django_db
def test_a_news_page_gives_its_story_as_the_body_and_its_metadata_from_the_markup(
    reference_data: None,
) -> None:
    run = import_paths([PAGES / "news_page.html"])

    [result] = run.results
    assert result.outcome == "created", result.reason
    article = Article.objects.get(slug=result.article_slug)
    assert article.headline == "Akazawa and Lutnick hold seventh round of tariff talks"
    assert article.body.startswith("Japan's chief tariff negotiator Ryosei Akazawa met")
    assert article.body.endswith("liquefied natural gas as part of any deal.")
    assert article.body.count("\n\n") == 3  # four paragraphs, as the page sets them
    for chrome in ("Share", "kenta_t", "Seven rounds", "Leave a Reply", "©", "<p>"):
        assert chrome not in article.body
    # JSON-LD datePublished wins over article:published_time (09:00) and dateModified.
    assert article.published_at == datetime.datetime(2025, 6, 28, 10, 12, tzinfo=TOKYO)
    assert article.published_time_known
    assert article.outlet is not None and article.outlet.slug == "japan-today"
    assert article.byline == "Aiko Tanaka"
    assert article.needs_review == [] and result.needs_review == []
    assert article.status == Article.Status.DRAFT
    linked = set(
        OfficialLink.objects.filter(article=article).values_list("official__slug", flat=True)
    )
    assert {"ryosei-akazawa", "howard-lutnick"} <= linked


@pytest.mark.django_db
def test_the_comment_section_becomes_pending_comments_with_author_time_tally_and_quote(
    reference_data: None,
) -> None:
    [result] = import_paths([PAGES / "news_page.html"]).results

    assert result.comments == 2
    first, second = Comment.objects.filter(article__slug=result.article_slug).order_by("position")
    assert (first.author_handle, first.votes_up, first.votes_down) == ("kenta_t", 12, 3)
    assert first.body == (
        "Seven rounds and still nothing on cars. The government should stop flying to "
        "Washington every week.\n\nOur exporters need an answer before July."
    )
    assert first.posted_at == datetime.datetime(2025, 6, 28, 11, 2, tzinfo=TOKYO)
    assert second.author_handle == "Sakura88"
    assert second.quoted_text == "The government should stop flying to Washington every week."
    assert second.quotes_comment == first
    assert second.body.startswith("Talking is cheaper than a trade war.")
    assert {first.status, second.status} == {Comment.Status.PENDING}
    assert {first.origin, second.origin} == {Comment.Origin.IMPORTED}


@pytest.mark.django_db
def test_the_raw_document_keeps_the_html_byte_for_byte(reference_data: None) -> None:
    data = (PAGES / "news_page.html").read_bytes()
    [result] = import_paths([PAGES / "news_page.html"]).results

    raw = RawDocument.objects.get(sha256=hashlib.sha256(data).hexdigest())
    assert raw.pk == result.raw_document_id
    assert raw.text.encode(raw.encoding) == data
    assert raw.size_bytes == len(data)
    report = raw.import_report
    assert report["markup"] == "html"
    lines = report["extracted_text"].split("\n")
    assert lines[report["lines"]["runs"][0][0] - 1] == "Japan Today"  # line numbers count these
    assert report["comments"] == {"found": 2, "created": 2}
    assert not any("comment counter says" in note for note in report["notes"])


@pytest.mark.django_db
def test_a_page_that_only_has_a_time_element_gets_that_day_without_a_time(
    reference_data: None,
) -> None:
    [result] = import_paths([PAGES / "time_only.html"]).results

    article = Article.objects.get(slug=result.article_slug)
    assert article.published_at == datetime.datetime(2025, 7, 22, 12, 0, tzinfo=datetime.UTC)
    assert not article.published_time_known
    assert "published_at" not in article.needs_review
    assert article.body.startswith("Negotiators from Tokyo and Washington")
    assert "Posted" not in article.body  # the label around the <time> trafilatura dropped
    assert article.needs_review == ["outlet", "byline"]


@pytest.mark.django_db
def test_a_page_that_states_no_date_leaves_it_empty_and_flags_it(reference_data: None) -> None:
    [result] = import_paths([PAGES / "no_date.html"]).results

    article = Article.objects.get(slug=result.article_slug)
    assert article.published_at is None and not article.published_time_known
    assert "published_at" in article.needs_review
    assert article.headline == "Carmakers weigh the cost of new levies"


@pytest.mark.django_db
def test_a_page_without_article_text_is_refused_with_the_reason_and_nothing_is_stored(
    reference_data: None,
) -> None:
    run = import_paths([PAGES / "no_text.html", PAGES / "no_date.html"])

    refused, other = run.results
    assert refused.outcome == "failed"
    assert refused.reason == "no article text found in the HTML"
    assert other.outcome == "created"
    assert counts()["articles"] == 1 and counts()["raw"] == 1


@pytest.mark.django_db
def test_a_txt_file_that_holds_html_markup_is_read_as_html(reference_data: None) -> None:
    [result] = import_paths([PAGES / "markup_page.txt"]).results

    article = Article.objects.get(slug=result.article_slug)
    assert article.headline == "Rice imports on the table in tariff talks"
    assert article.body.startswith("Japanese rice farmers are weighing")
    assert "<" not in article.body and "DOCTYPE" not in article.body
    raw = RawDocument.objects.get(article__slug=result.article_slug)
    assert raw.text.startswith("<!DOCTYPE html>")


@pytest.mark.django_db
def test_reimporting_identical_html_bytes_changes_nothing(
    reference_data: None, tmp_path: Path
) -> None:
    import_paths([PAGES / "news_page.html"])
    before = counts()
    shutil.copy(PAGES / "news_page.html", tmp_path / "saved again.html")

    run = import_paths([PAGES / "news_page.html", tmp_path / "saved again.html"])

    assert [r.outcome for r in run.results] == ["unchanged", "unchanged"]
    assert counts() == before


@pytest.mark.django_db
def test_comments_the_markup_does_not_split_are_split_by_their_tallies(
    reference_data: None,
) -> None:
    [result] = import_paths([PAGES / "tally_comments.html"]).results

    assert result.comments == 2
    comments = Comment.objects.filter(article__slug=result.article_slug).order_by("position")
    assert [(c.body[:20], c.score, c.votes_up, c.votes_down) for c in comments] == [
        ("Rice is the one thin", -6, 0, 6),
        ("Cheaper rice would h", 4, 7, 3),
    ]
    assert "Rice is the one thing" not in Article.objects.get(slug=result.article_slug).body


@pytest.mark.django_db
def test_a_folder_gives_its_html_pages_next_to_its_text_pages(
    reference_data: None, tmp_path: Path
) -> None:
    shutil.copy(PAGES / "no_date.html", tmp_path / "a.html")
    shutil.copy(PAGES / "time_only.html", tmp_path / "b.HTM")
    (tmp_path / "c.txt").write_text(
        "Japan Today\nTariff talks resume in Washington this week\nBy A. Reporter\n"
        "Japan's negotiator met Commerce Secretary Howard Lutnick in Washington on Friday "
        "for talks on tariffs.\n",
        encoding="utf-8",
    )
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")

    run = import_paths([tmp_path])

    assert [Path(r.file_name).name for r in run.results] == ["a.html", "b.HTM", "c.txt"]
    assert run.counts()["created"] == 3


def test_an_html_page_in_another_charset_is_decoded_by_its_declaration() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body><p>Caf\u00e9 owners \u2019worry\u2019 about tariffs.</p></body></html>"
    )
    data = html.encode("cp1252")

    page = decode_page("cafe.html", data, max_bytes=10_000)

    assert (page.markup, page.encoding) == ("html", "cp1252")
    assert "Caf\u00e9 owners \u2019worry\u2019" in page.text
    assert page.text.encode(page.encoding) == data


def test_valid_utf8_is_read_as_utf8_whatever_the_page_declares() -> None:
    data = '<!doctype html><meta charset="iso-8859-1"><p>Café</p>'.encode()

    page = decode_page("mislabelled.htm", data, max_bytes=10_000)

    assert (page.markup, page.encoding, "Café" in page.text) == ("html", "utf-8", True)


def test_a_text_page_that_mentions_html_stays_a_text_page() -> None:
    page = decode_page("note.txt", b"The <html> tag opens a page.\n", max_bytes=1000)
    assert page.markup == "text"


@pytest.mark.django_db
def test_the_command_imports_html_in_a_dry_run_and_saves_nothing(reference_data: None) -> None:
    out = io.StringIO()
    call_command("import_pages", str(PAGES / "news_page.html"), "--dry-run", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["counts"]["created"] == 1
    assert report["results"][0]["comments"] == 2
    assert counts() == {"articles": 0, "raw": 0, "comments": 0, "official_links": 0}
