"""Coverage suggestions against the reference: officials, rounds, measures and meetings."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from articles.importer.reference import Reference
from articles.importer.store import import_paths
from articles.importer.suggest import Suggestions, sentences, suggest
from articles.models import RawDocument

D = datetime.date


def targets(found: Suggestions, kind: str) -> set[str]:
    return {item.target for item in found.of(kind)}


def officials_in(text: str, ref: Reference) -> set[str]:
    return targets(suggest(text, headline="", day=None, ref=ref), "official")


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = "Akazawa met U.S. Treasury Secretary Scott Bessent. Mr. Lutnick was there. Talks ended."
    assert sentences(text) == [
        "Akazawa met U.S. Treasury Secretary Scott Bessent.",
        "Mr. Lutnick was there.",
        "Talks ended.",
    ]


def test_officials_through_aliases_misspellings_and_family_name_first(ref: Reference) -> None:
    assert officials_in("Commerce Secretary Rutnick spoke for 15 minutes.", ref) == {
        "howard-lutnick"
    }
    assert officials_in("Minister Akazawa Ryosei led the delegation.", ref) == {"ryosei-akazawa"}
    assert officials_in("Akizawa arrived on Thursday.", ref) == {"ryosei-akazawa"}


def test_fuzzy_matching_finds_unseen_variants(ref: Reference) -> None:
    assert officials_in("Secretary Lutnik and Secretary Besent met the minister.", ref) == {
        "howard-lutnick",
        "scott-bessent",
    }


def test_fuzzy_matching_does_not_fire_on_ordinary_words_or_other_people(ref: Reference) -> None:
    text = (
        "Present at the lunch were traders. Trumpets sounded. Greetings were exchanged. "
        "Ishibashi, a lawmaker, and Hayashida, a banker, spoke. Bessemer steel was mentioned. "
        "Research shows the tariff hurt Treasury bonds."
    )
    assert officials_in(text, ref) == set()


def test_every_official_suggestion_names_its_sentence(ref: Reference) -> None:
    found = suggest(
        "Talks resumed. Trade Representative Jamieson Greer attended.",
        headline="",
        day=None,
        ref=ref,
    )
    (greer,) = found.of("official")
    assert greer.evidence == "Trade Representative Jamieson Greer attended."


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("The seventh round of Japan-U.S. tariff negotiations began.", 7),
        ("It was Akazawa's 8th visit to Washington.", 8),
        ("A second round of talks is planned.", 2),
        ("Akazawa engaged in initial trade negotiations with US officials.", 1),
        ("Japan and the U.S. held round 3 on Friday.", 3),
        ("He arrived for his ninth trip since April.", 9),
    ],
)
def test_rounds_from_ordinals_in_words_or_digits(
    ref: Reference, sentence: str, number: int
) -> None:
    found = suggest(sentence, headline="", day=None, ref=ref)
    assert targets(found, "round") == {str(number)}
    assert found.of("round")[0].evidence == sentence


def test_ordinals_of_other_things_are_not_rounds(ref: Reference) -> None:
    text = "It was his first in-person summit. On the 26th he left. The second quarter was weak."
    assert targets(suggest(text, headline="", day=None, ref=ref), "round") == set()


def test_a_round_the_reference_does_not_hold_is_reported_not_dropped(
    reference_data: None, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Akazawa plans twelfth round of tariff talks with Lutnick\n"
        "Akazawa said on Monday that he would make his 12th visit to Washington next month.\n",
        encoding="utf-8",
    )
    import_paths([page])
    raw = RawDocument.objects.get()
    assert raw.article is not None and not raw.article.roundlinks.exists()
    unresolved = [item for item in raw.import_report["unresolved"] if item["kind"] == "round"]
    assert {item["number"] for item in unresolved} == {12}
    assert any(item["mention"] == "12th visit" for item in unresolved)


def test_round_from_the_article_date(ref: Reference) -> None:
    text = "The minister held talks with the commerce secretary in Washington."
    assert targets(suggest(text, headline="", day=D(2025, 5, 23), ref=ref), "round") == {"3"}
    assert targets(suggest(text, headline="", day=D(2025, 5, 10), ref=ref), "round") == set()
    unrelated = "Rice prices rose again in Tokyo."
    assert targets(suggest(unrelated, headline="", day=D(2025, 5, 23), ref=ref), "round") == set()


def test_measures_resolve_to_the_one_in_force_on_the_article_date(ref: Reference) -> None:
    text = (
        "The United States imposes tariffs of 25% on automobiles and auto parts, "
        "and 50% on steel and aluminum."
    )
    june = suggest(text, headline="", day=D(2025, 6, 29), ref=ref)
    assert targets(june, "measure") == {
        "section-232-autos-25",
        "section-232-auto-parts-25",
        "section-232-steel-50",
        "section-232-aluminum-50",
    }
    steel = "Washington levies a 25-percent tariff on steel."
    assert targets(suggest(steel, headline="", day=D(2025, 4, 30), ref=ref), "measure") == {
        "section-232-steel-25"
    }
    assert targets(suggest(steel, headline="", day=D(2025, 7, 1), ref=ref), "measure") == set()


def test_a_total_rate_with_its_base_resolves_to_the_added_measure(ref: Reference) -> None:
    text = "The tariff on imported automobiles rose to 27.5 percent from 2.5 percent in April."
    assert targets(suggest(text, headline="", day=None, ref=ref), "measure") == {
        "section-232-autos-25"
    }


def test_shares_and_rates_without_a_product_are_not_measures(ref: Reference) -> None:
    text = "Autos made up nearly 30 percent of exports. Japan faces a 24% tariff rate."
    found = suggest(text, headline="", day=D(2025, 5, 30), ref=ref)
    assert found.of("measure") == []
    assert [item["mention"] for item in found.unresolved if item["kind"] == "measure"] == ["24%"]


def test_meetings_through_durations_times_and_participants(ref: Reference) -> None:
    text = (
        "Akazawa spoke with Commerce Secretary Rutnick for 15 minutes from 10:00 a.m. "
        "and for 20 minutes from 7:00 p.m. on the same day."
    )
    found = suggest(text, headline="", day=D(2025, 6, 29), ref=ref)
    assert targets(found, "meeting") == {
        "2025-06-28-akazawa-lutnick-phone-morning",
        "2025-06-28-akazawa-lutnick-phone-evening",
    }
    hour = (
        "Akazawa's calls with Lutnick came a day after they held a meeting "
        "that lasted about an hour."
    )
    assert targets(suggest(hour, headline="", day=D(2025, 6, 29), ref=ref), "meeting") == {
        "2025-06-27-akazawa-lutnick"
    }


def test_a_duration_without_the_people_or_the_date_suggests_no_meeting(ref: Reference) -> None:
    text = "The two sides met for 130 minutes."
    found = suggest(text, headline="", day=None, ref=ref)
    assert found.of("meeting") == []
    assert [item["kind"] for item in found.unresolved] == ["meeting"]
    with_people = "Akazawa met Bessent and Lutnick for 130 minutes."
    ambiguous = suggest(with_people, headline="", day=None, ref=ref)
    assert ambiguous.of("meeting") == []  # 1 May and 30 May both fit without a date
    dated = suggest(with_people, headline="", day=D(2025, 5, 30), ref=ref)
    assert targets(dated, "meeting") == {"2025-05-30-akazawa-bessent-lutnick"}
