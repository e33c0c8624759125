"""Defects an independent review of the importer found, each held by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.importer.html import segment_html
from articles.importer.metadata import extract
from articles.importer.reader import read_page
from articles.importer.reference import Reference
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import segment
from articles.importer.store import import_paths
from articles.models import Article, RawDocument

STORY = [
    "Japan and U.S. keep talking on tariffs",
    "",
    "Japan's top tariff negotiator spoke with the U.S. commerce secretary by phone on Saturday,",
    "the government said, as the two sides tried to narrow their differences over car tariffs.",
    "",
]


def test_a_wrapped_comment_keeps_its_tally_and_stays_out_of_the_body(ref: Reference) -> None:
    text = "\n".join(
        [
            *STORY,
            "Comments",
            "",
            "I doubt a deal will come soon, since the two sides have been talking for months and",
            "every round ends with the same statement about frank and constructive discussions",
            "while nothing moves on the numbers that matter to the car makers on either side of",
            "12 (+15 / -3)",
        ]
    )
    seg = segment(text, source_names=ref.source_names())
    assert seg.reconstruct() == text
    tally = seg.lines[-1]
    assert "continues" not in tally.extra
    assert "I doubt a deal" not in extract(seg, ref).body


def test_a_wire_in_a_japanese_byline_bracket_is_no_byline(ref: Reference) -> None:
    text = (
        "日米関税協議、閣僚級で継続へ\n\n"
        "【ワシントン=共同】赤沢亮正経済再生担当相は２８日、ラトニック米商務長官と電話で協議した。"
    )
    draft = extract(segment(text, source_names=ref.source_names()), ref)
    assert draft.byline != "共同"
    assert draft.body.startswith("赤沢亮正経済再生担当相は")


def test_an_xhtml_page_is_read(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>Tariff talks resume</title>'
        "</head><body><article><h1>Tariff talks resume</h1>"
        + "".join(
            f"<p>Paragraph {k}: Japan and the United States resumed their tariff talks in "
            "Washington on Friday, officials from both governments said afterwards.</p>"
            for k in range(6)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    seg = segment_html(read_page(page, max_bytes=10**6).text)
    assert any(line.cls == C.REPORTING for line in seg.lines)


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib", "undefined", "x-nonsense"])
def test_a_charset_that_is_no_character_set_is_not_used(tmp_path: Path, charset: str) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(
        f'<html><head><meta charset="{charset}"></head><body><p>caf\xe9</p></body></html>'.encode(
            "latin-1"
        )
    )
    read = read_page(page, max_bytes=10**6)  # a decision with a reason, never a traceback
    assert "caf" in read.text


def test_one_page_that_fails_unexpectedly_does_not_stop_the_others(
    ref: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from articles.importer import store

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("\n".join([f"Page {name}", "", *STORY[2:]]), encoding="utf-8")
    real = store.segment_page

    def flaky(page, reference):  # type: ignore[no-untyped-def]
        if page.file_name.endswith("b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(page, reference)

    monkeypatch.setattr(store, "segment_page", flaky)
    run = import_paths([tmp_path])
    assert [r.outcome for r in run.results] == ["created", "failed", "created"]
    assert "RecursionError" in run.results[1].reason
    assert RawDocument.objects.count() == 2
    assert Article.objects.count() == 2


@pytest.mark.parametrize(
    ("line", "zone"),
    [
        ("2025年7月23日 10時30分（米東部時間22日午後9時30分）", None),
        ("July 23, 2025 10:30 (ET 9:30 p.m. July 22)", None),
        ("July 23, 2025 10:30 (JST)", "Asia/Tokyo"),
        ("July 23, 2025 10:30 JST 2 comments", "Asia/Tokyo"),
        ("日本時間2025年7月23日午前10時", "Asia/Tokyo"),
    ],
)
def test_a_zone_is_the_time_s_only_when_it_stands_beside_it(line: str, zone: str | None) -> None:
    from articles.importer.dates import find_date

    found = find_date(line)
    assert found is not None
    assert (str(found.zone) if found.zone else None) == zone


def test_a_comment_s_or_a_related_story_s_microdata_date_is_not_the_page_s() -> None:
    body = "".join(
        f"<p>Paragraph {k}: Japan and the United States resumed their tariff talks in "
        "Washington on Friday, officials from both governments said afterwards.</p>"
        for k in range(6)
    )
    for extra in (
        '<div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">kenji'
        '</span><meta itemprop="datePublished" content="2025-09-14T08:00:00+00:00">'
        "<p>Good news for carmakers.</p></div>",
        '<aside itemscope itemtype="https://schema.org/NewsArticle"><h3>Older story</h3>'
        '<meta itemprop="datePublished" content="2019-01-02T08:00:00+00:00"></aside>',
    ):
        page = (
            "<html><head><title>Tariff talks resume</title></head><body><article>"
            f"<h1>Tariff talks resume</h1>{body}</article>{extra}</body></html>"
        )
        seg = segment_html(page)
        dates = [line for line in seg.lines if line.extra.get("kind") == "date"]
        assert not any("2025-09-14" in line.text or "2019" in line.text for line in dates)


def test_a_forum_thread_with_handles_and_short_ages_is_read_as_comments(ref: Reference) -> None:
    text = "\n".join(
        [
            "r/worldnews 12d ago",
            "",
            "PM Ishiba expresses surprise at Trump joining tariff talks, says a Japan-US deal "
            "could be a model case for the world.",
            "",
            "44 Upvotes",
            "",
            "15 comments sorted by",
            "",
            "28",
            "",
            "u/mighty-smaug 12d ago",
            "",
            "He's grandstanding, which is different from joining the talks.",
            "",
            "9",
            "",
            "u/Useful-Scratch-72 3h ago",
            "",
            "I am sure the negotiators have a plan for handling the president.",
        ]
    )
    seg = segment(text, source_names=ref.source_names())
    assert [c.handle for c in seg.comments] == ["u/mighty-smaug", "u/Useful-Scratch-72"]
    # The score stands above its comment's header: never given to the comment before it.
    assert [c.score for c in seg.comments] == [None, None]
    assert "grandstanding" not in extract(seg, ref).body
