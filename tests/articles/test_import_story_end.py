"""Where a story ends: the agency's mark on its last paragraph, printed page markers, appeals."""

from __future__ import annotations

import pytest

from articles.importer.analysis import analyse_text
from articles.importer.lines import C, SourceNames, classify_alone
from articles.importer.reference import Reference
from articles.importer.segmenter import segment

LAST = (
    "Akazawa met with Trump last week in the U.S. capital for tariff talks. Amid growing "
    "criticism over his donning of a MAGA cap, commonly worn by Trump's supporters at rallies, "
    "the minister said during a Diet session that he did so without any political message."
)
# Wire copy on a portal: the story's paragraphs, the last one closed by "© KYODO", then reader
# comments with no headers and no tallies (a handle, then the comment).
KYODO_PAGE = (
    "Opposition leader slams tariff negotiator over MAGA cap photo\n"
    "The leader of Japan's main opposition party on Wednesday lambasted the country's chief "
    "negotiator on U.S. tariffs for taking a photo wearing a cap given to him by Trump.\n"
    "Economic revitalization minister Ryosei Akazawa, who is responsible for the tariff issue, "
    '"crossed a line," said the opposition leader, speaking to reporters in Tokyo.\n'
    f"{LAST} © KYODO\n"
    "Yrral\n"
    "A Japanese minister that is not afraid to confront Trump would have refused the cap "
    "outright, and everyone in the Diet knows that perfectly well by now.\n"
    "marc laden\n"
    "The United States has restored its backbone with Trump, and what we need here in Japan "
    "is a leader who can make the same kind of deal for our own carmakers.\n"
)


def test_the_agencys_mark_on_a_paragraph_closes_the_story(ref: Reference) -> None:
    result = analyse_text(KYODO_PAGE, ref)
    classes = [line.cls for line in result.lines]
    assert classes[1:4] == [C.REPORTING] * 3
    after = [line for line in result.lines[4:] if line.cls != C.BLANK]
    assert len(after) == 4 and {line.cls for line in after} == {C.CHROME}
    assert {line.extra.get("reason") for line in after} == {"after the story's closing credit"}
    body = result.draft.body
    assert body.endswith("without any political message.")  # the mark is not body text
    assert "Yrral" not in body and "backbone" not in body
    assert result.draft.wire is not None and result.draft.wire.slug == "kyodo"


def test_a_japanese_paragraph_closed_by_c_afp_is_reporting_with_its_wire() -> None:
    text = (
        "日本の関税交渉担当である赤沢亮正経済再生担当相が4日に米首都ワシントンを訪れ、"
        "トランプ氏に関税変更文書への署名を迫った。この結果は日本にとっての勝利となる。(c)AFP"
    )
    found = classify_alone(text, SourceNames([]))
    assert found == (C.REPORTING, {"wire": "AFP", "closing": "(c)AFP"})


@pytest.mark.parametrize(
    "text",
    [
        # A photo's caption keeps its credit: too short to be a paragraph of the story.
        "Ryosei Akazawa arrives at the White House in Washington on Friday. © Reuters",
        # A copyright line is a copyright line, not a story's end.
        "© 2025 Kyodo News. All rights reserved.",
    ],
)
def test_a_caption_or_a_copyright_line_does_not_close_the_story(text: str) -> None:
    found = classify_alone(text, SourceNames([]))
    assert found is not None and found[0] != C.REPORTING


def test_only_the_last_marked_paragraph_closes_a_page_of_wire_items() -> None:
    text = "\n".join([f"{LAST} © AFP", f"{LAST} © KYODO", "Most read"])
    seg = segment(text)
    assert [line.cls for line in seg.lines[:2]] == [C.REPORTING, C.REPORTING]
    assert seg.lines[2].cls == C.CHROME


@pytest.mark.parametrize("marker", ["[[Page 44639]]", "Page 3 of 7", "- 12 -"])
def test_a_printed_documents_page_marker_is_furniture(marker: str) -> None:
    found = classify_alone(marker, SourceNames([]))
    assert found == (C.CHROME, {"reason": "page furniture"})


def test_an_appeal_naming_reporters_and_a_donation_is_not_the_story() -> None:
    appeal = (
        "At such a critical moment in US history, we need reporters on the ground. Your "
        "donation allows us to keep sending journalists to speak to both sides of the story."
    )
    found = classify_alone(appeal, SourceNames([]))
    assert found is not None and found[0] == C.CHROME


def test_a_posters_summary_signed_as_one_is_not_the_story() -> None:
    story = (
        "トランプ米政権が日本に通告した25%の関税発動まで約1週間に迫った。関税交渉のためワシントン入り"
        "していた赤沢経済再生相は22日、ホワイトハウスでトランプ大統領と会談した。"
    )
    text = "\n".join(
        [
            "( 310289 )  2025/07/24 07:01:39",
            "",
            "米ホワイトハウスは日本との大規模な貿易合意に達したことを発表した。",
            "",
            "赤沢氏は会談後に「任務完了」とSNSに投稿した。",
            "",
            "(要約)",
            "",
            story,
        ]
    )
    seg = segment(text)
    by_number = {line.number: line for line in seg.lines}
    for number in (3, 5, 7):
        assert by_number[number].cls == C.CHROME
        assert by_number[number].extra["reason"] == "a summary of the story"
    assert by_number[9].cls == C.REPORTING
