"""Importing pages from outlets the importer was not built on: what each states, and no more."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

import pytest

from articles.importer.reader import PageRefused, decode_page
from articles.importer.store import import_paths
from articles.models import Article, RawDocument

PAGES = Path(__file__).resolve().parent / "pages"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOON_UTC = datetime.time(12, 0)


@pytest.fixture
def imported(reference_data: None) -> dict[str, Article]:
    run = import_paths([PAGES])
    assert not run.failed
    return {
        raw.file_name.removesuffix(".txt"): raw.article
        for raw in RawDocument.objects.select_related("article", "article__outlet", "article__wire")
        if raw.article is not None
    }


def test_wire_story_credits_and_dateline(imported: dict[str, Article]) -> None:
    article = imported["reuters_wire"]
    assert article.wire is not None and article.wire.slug == "reuters"
    assert article.outlet is None and "outlet" in article.needs_review
    assert article.byline == "Makiko Yamazaki and Kantaro Komiya"
    assert article.dateline == "TOKYO, July 23"
    assert article.body.startswith("Japan and the United States have agreed")
    assert "(Reporting by" not in article.body and "Related coverage" not in article.body
    assert article.published_at == datetime.datetime(2025, 7, 23, 10, 12, tzinfo=TOKYO)
    assert set(article.roundlinks.values_list("round__number", flat=True)) == {8}


def test_jiji_dateline_without_a_year_leaves_the_date_for_an_editor(
    imported: dict[str, Article],
) -> None:
    article = imported["jiji_dateline"]
    assert article.outlet is not None and article.outlet.slug == "jiji-press"
    assert article.wire is None  # the outlet is the wire; it is not credited twice
    assert article.dateline == "Washington, May 23"
    assert article.published_at is None and "published_at" in article.needs_review
    report = article.raw_documents.get().import_report
    assert any("gives no year" in note for note in report["notes"])
    assert article.body.startswith("Japanese economic revitalization minister")
    assert set(article.roundlinks.values_list("round__number", flat=True)) == {3}
    # "about 90 minutes from 10:45 a.m." with Lutnick, "some two hours" with Greer.
    assert set(article.meetinglinks.values_list("meeting__slug", flat=True)) == {
        "2025-05-23-akazawa-lutnick-home",
        "2025-05-23-akazawa-greer-ustr",
    }


def test_paywalled_page_keeps_only_the_free_paragraphs(imported: dict[str, Article]) -> None:
    article = imported["paywall_page"]
    assert article.outlet is not None and article.outlet.slug == "japan-times"
    assert article.published_at is not None
    assert article.published_at.date() == datetime.date(2025, 6, 5)
    assert article.published_at.timetz().replace(tzinfo=None) == NOON_UTC
    report = article.raw_documents.get().import_report
    assert report["fields"]["time_of_day_stated"] is False
    assert "subscribers" not in article.body and "A A A" not in article.body
    assert len(article.body.split("\n\n")) == 2
    assert set(article.roundlinks.values_list("round__number", flat=True)) == {5}


def test_donation_page_names_no_outlet_we_know(imported: dict[str, Article]) -> None:
    article = imported["donation_page"]
    assert article.outlet is None and "outlet" in article.needs_review
    report = article.raw_documents.get().import_report
    assert any("'Pacific Trade Monitor' is not a known source" in n for n in report["notes"])
    assert "donation" not in article.body and article.comments.count() == 0
    assert set(article.officiallinks.values_list("official__slug", flat=True)) == {"howard-lutnick"}
    assert set(article.roundlinks.values_list("round__number", flat=True)) == {7}


def test_time_first_date_and_a_tenth_visit(imported: dict[str, Article]) -> None:
    article = imported["yomiuri_style"]
    assert article.published_at == datetime.datetime(2025, 8, 28, 12, 29, tzinfo=TOKYO)
    assert article.dateline == "WASHINGTON"
    assert article.body.startswith("Economic revitalization minister Ryosei Akazawa")
    assert "POPULAR" not in article.body and "Rice Prices" not in article.body
    assert set(article.roundlinks.values_list("round__number", flat=True)) == {10}


def test_japanese_pages_in_utf8_and_shift_jis(imported: dict[str, Article]) -> None:
    nhk = imported["japanese_page"]
    assert nhk.language == "ja" and nhk.outlet is not None and nhk.outlet.slug == "nhk"
    assert nhk.headline == "赤沢経済再生相 ラトニック商務長官と電話会談"
    assert nhk.published_at is not None and nhk.published_at.date() == datetime.date(2025, 6, 28)
    report = nhk.raw_documents.get().import_report
    assert "stated without a time zone" in report["fields"]["published_at"]
    jiji = imported["shift_jis_page"]
    assert jiji.language == "ja" and jiji.dateline == "ワシントン"
    assert jiji.body.startswith("赤沢亮正経済再生担当相は21日")
    assert "関連記事" not in jiji.body
    assert "\r" not in jiji.body


def test_latin1_page_in_french(imported: dict[str, Article]) -> None:
    article = imported["latin1_page"]
    assert article.headline.startswith("Droits de douane")
    assert article.byline == "Hélène Marchand"
    assert article.published_at is not None
    assert article.published_at.date() == datetime.date(2025, 7, 23)
    assert article.language == "en"  # Latin script; only ja and en are told apart
    assert set(article.officiallinks.values_list("official__slug", flat=True)) == {
        "ryosei-akazawa",
        "donald-trump",
        "howard-lutnick",
    }


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("Tariffs: 25%\n".encode("utf-8-sig"), "utf-8-sig", "Tariffs: 25%\n"),
        ("Tariffs ‘25%’\n".encode("utf-16"), "utf-16", "Tariffs ‘25%’\n"),
        ("関税について協議した。\n".encode("euc_jp"), "euc_jp", "関税について協議した。\n"),
        ("関税について協議した。\n".encode("iso2022_jp"), "iso2022_jp", "関税について協議した。\n"),
        ("Akazawa’s “deal” – done\n".encode("cp1252"), "cp1252", "Akazawa’s “deal” – done\n"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str, text: str) -> None:
    page = decode_page("page.txt", data, max_bytes=10_000)
    assert (page.encoding, page.text) == (encoding, text)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b"\xe2\x80\x8b\xef\xbb\xbf", "is empty (no visible text)"),
        (b"text \x01\x02\x03\x04\x05\x06\x07 more", "looks binary"),
        (b"\xff\xfe\x00\xd8", "starts with a utf-16 byte-order mark but is not valid utf-16"),
        (b"x" * 101, "is over the import limit of 100 bytes"),
    ],
)
def test_bad_bytes_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(PageRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_page("page.txt", data, max_bytes=100)
