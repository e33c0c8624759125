"""Wire copy broken at a fixed width is classified, and stored, as whole paragraphs."""

from __future__ import annotations

import pytest

from articles.importer.metadata import extract
from articles.importer.reference import Reference
from articles.importer.reflow import groups, joined
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import segment

WIRE = "\n".join(
    [
        "Japan, U.S. agree to keep talking on tariffs",
        "",
        "By Kaori Tanaka",
        "",
        "TOKYO, June 28 (Reuters) - Japan's top tariff negotiator Ryosei Akazawa",
        "spoke with U.S. Commerce Secretary Howard Lutnick by phone twice on",
        "Saturday, the government said, as the two sides tried to narrow their",
        "differences over auto tariffs.",
        "",
        "Akazawa, who extended his stay in Washington, said Tokyo would keep",
        "working toward an agreement that benefits both countries, and that no",
        "deadline had been set for the next meeting.",
    ]
)


def test_hard_wrapped_paragraphs_are_grouped() -> None:
    norm = WIRE.split("\n")
    found = [g for g in groups(norm) if len(g) > 1]
    assert found == [[4, 5, 6, 7], [9, 10, 11]]
    assert joined(norm, found[1]) == (
        "Akazawa, who extended his stay in Washington, said Tokyo would keep working toward an "
        "agreement that benefits both countries, and that no deadline had been set for the next "
        "meeting."
    )


def test_wrapped_wire_copy_is_reporting_and_the_page_stays_byte_exact(ref: Reference) -> None:
    for text in (WIRE, WIRE.replace("\n", "\r\n")):
        seg = segment(text, source_names=ref.source_names())
        assert seg.reconstruct() == text
        by_number = {line.number: line for line in seg.lines}
        assert {by_number[n].cls for n in range(5, 9)} == {C.REPORTING}
        assert {by_number[n].cls for n in range(10, 13)} == {C.REPORTING}
        assert by_number[6].extra == {"continues": 5}
        draft = extract(seg, ref)
        paragraphs = draft.body.split("\n\n")
        assert len(paragraphs) == 2
        assert paragraphs[0].startswith("Japan's top tariff negotiator Ryosei Akazawa spoke with")
        assert paragraphs[0].endswith("differences over auto tariffs.")
        assert draft.dateline.startswith("TOKYO")


@pytest.mark.parametrize(
    "block",
    [
        # A stack of headlines and labels: capitals after each break, not a wrapped paragraph.
        [
            "Japan says there is no easy concession on U.S. tariffs, seeks more",
            "Trump says deal with Japan is done, autos to be taxed at 15 percent",
            "Akazawa heads to Washington for the seventh round of tariff talks",
        ],
        # A caption credit over a section label.
        [
            "FILE PHOTO: Japan's Economic Revitalization Minister Ryosei Akazawa speaks to",
            "Japan's chief tariff negotiator Ryosei Akazawa Image: Reuters/Issei Kato",
            "politics",
        ],
        # Paragraphs that each end a sentence.
        [
            "The two ministers met for about an hour on Friday at the Commerce Department.",
            "They agreed to talk again by phone before the end of the week, officials said.",
            "No date has been set for the next round of ministerial talks in Washington.",
        ],
    ],
)
def test_lines_that_are_not_wrapped_stay_apart(block: list[str]) -> None:
    assert all(len(g) == 1 for g in groups(block))


def test_japanese_text_wrapped_at_a_fixed_count_is_one_paragraph() -> None:
    block = [
        "赤沢亮正経済再生相は２８日、ラトニック米商務長官と電話で２回協議した。自動車",
        "関税を巡る隔たりを埋めるため、協議を続ける方針を確認したと政府が明らかに",
        "した。",
    ]
    assert groups(block) == [[0, 1, 2]]
    assert joined(block, [0, 1, 2]).startswith(
        "赤沢亮正経済再生相は２８日、ラトニック米商務長官と電話で２回協議した。自動車関税"
    )
