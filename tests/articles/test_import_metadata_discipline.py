"""The metadata takes only what a page states as its own: when unsure, empty and flagged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from articles.importer.lines import C, SourceNames, classify_alone, not_a_headline
from articles.importer.metadata import ArticleDraft, extract
from articles.importer.reference import Reference
from tests.articles.importer_support import Row, page

HEADLINE: Row = (C.HEADLINE, "Japan and U.S. agree to cut tariffs on cars", {"role": "headline"})
BODY: Row = (
    C.REPORTING,
    "Japan and the United States agreed on Tuesday to cut tariffs on cars, officials said.",
    {},
)
DATE: dict[str, Any] = {"kind": "date"}


def day(draft: ArticleDraft) -> datetime.date | None:
    return draft.published.day if draft.published else None


# Dates.


def test_a_date_line_under_the_headline_is_the_publication_date(ref: Reference) -> None:
    draft = extract(page(HEADLINE, (C.METADATA, "July 23, 2025", DATE), BODY), ref)
    assert day(draft) == datetime.date(2025, 7, 23) and "published_at" not in draft.needs_review


def test_a_date_bar_above_the_masthead_is_never_the_publication_date(ref: Reference) -> None:
    draft = extract(
        page(
            (C.METADATA, "Thursday, December 3, 2026", DATE),
            (C.METADATA, "The Daily Planet", {"kind": "masthead"}),
            HEADLINE,
            BODY,
        ),
        ref,
    )
    assert draft.published is None and "published_at" in draft.needs_review
    assert any("date bar" in note for note in draft.notes)


def test_a_date_beside_the_weather_is_never_the_publication_date(ref: Reference) -> None:
    draft = extract(
        page(
            (C.CHROME, "Right now New York 75°", {}),
            (C.METADATA, "July 14, 2025, 10:20", DATE),
            HEADLINE,
            BODY,
        ),
        ref,
    )
    assert draft.published is None and "published_at" in draft.needs_review


def test_a_ticker_of_dated_items_gives_no_date_and_no_headline(ref: Reference) -> None:
    draft = extract(
        page(
            (C.METADATA, "July 12, 2025, 15:32", DATE),
            (C.CHROME, "Markets slide as tariff fears grow", {}),
            (C.METADATA, "July 12, 2025, 14:36", DATE),
            (C.HEADLINE, "Bill Ackman says he is Elon Musk's fan", {"role": "headline"}),
            (C.METADATA, "July 11, 2025, 18:07", DATE),
            BODY,
        ),
        ref,
    )
    assert draft.published is None and draft.headline == ""
    assert {"published_at", "headline"} <= set(draft.needs_review)


def test_a_caption_date_is_never_the_publication_date(ref: Reference) -> None:
    draft = extract(
        page(
            HEADLINE,
            (
                C.CAPTION,
                "Akazawa speaks to reporters in Washington, July 22, 2025. (Reuters)",
                {"caption": "Akazawa speaks to reporters in Washington, July 22, 2025."},
            ),
            BODY,
        ),
        ref,
    )
    assert draft.published is None and "published_at" in draft.needs_review


def test_a_date_in_the_story_is_never_the_publication_date(ref: Reference) -> None:
    story: Row = (
        C.REPORTING,
        "The tariff cut took effect on September 16, 2025, officials said.",
        {},
    )
    draft = extract(page(HEADLINE, story), ref)
    assert draft.published is None


def test_a_date_without_a_year_is_never_the_publication_date(ref: Reference) -> None:
    draft = extract(
        page(
            HEADLINE, (C.METADATA, "7/23(水) 9:15配信", DATE), (C.METADATA, "July 23", DATE), BODY
        ),
        ref,
    )
    assert draft.published is None and "published_at" in draft.needs_review


def test_the_pages_own_date_stamp_on_its_first_line_is_its_date(ref: Reference) -> None:
    stamp = " date 2025-09-09 TOKYO: US tariffs on Japanese goods are set to be lowered, he said."
    draft = extract(page((C.REPORTING, stamp, {}), BODY), ref)
    assert day(draft) == datetime.date(2025, 9, 9)


def test_a_date_stamp_further_down_is_not_the_pages_date(ref: Reference) -> None:
    stamp = " date 2025-09-09 TOKYO: US tariffs on Japanese goods are set to be lowered, he said."
    draft = extract(page(BODY, (C.REPORTING, stamp, {})), ref)
    assert draft.published is None


# Headlines.


@pytest.mark.parametrize(
    "text",
    [
        "• Japan and the US agreed to cut car tariffs to 15%",
        "- Tokyo pledges $550 billion of investment",
        "Get all your news in one place.",
        "Your support helps us to tell the story",
        "Sponsored: The smart way to hedge tariff risk",
        "This site displays a prototype of a “Web 2.0” version of the daily",
        "JUN YAMAZAKI, CHIHIRO UCHIYAMA and RYOHEI YASOSHIMA",
        "the foundation for a new era of U.S.-Japan trade relations grounded in",
        "赤沢亮正 経済再生担当大臣",
    ],
)
def test_what_stands_in_a_headlines_place_is_not_always_one(ref: Reference, text: str) -> None:
    assert not_a_headline(text)
    draft = extract(page((C.HEADLINE, text, {"role": "headline"}), BODY), ref)
    assert draft.headline == "" and "headline" in draft.needs_review
    assert any("the headline is left for an editor" in note for note in draft.notes)


@pytest.mark.parametrize(
    "text",
    [
        "Japan and U.S. agree to cut tariffs on cars",
        "(LEAD) S. Korea watches Japan's tariff deal closely as Seoul talks enter final stretch",
        "PM Ishiba expresses surprise at Trump joining tariff talks.",
        "日米関税交渉、自動車は15％ 赤沢氏「ぎりぎりの交渉だった」",
        "iPhone makers weigh tariff costs",
    ],
)
def test_a_headline_is_kept(ref: Reference, text: str) -> None:
    assert not_a_headline(text) == ""
    draft = extract(page((C.HEADLINE, text, {"role": "headline"}), BODY), ref)
    assert draft.headline == text


def test_a_bullet_summary_never_becomes_the_headline_nor_its_dek(ref: Reference) -> None:
    draft = extract(
        page(
            (C.HEADLINE, "• Tariffs on cars fall to 15%", {"role": "headline"}),
            (C.HEADLINE, "• Japan pledges $550 billion", {"role": "dek"}),
            BODY,
        ),
        ref,
    )
    assert draft.headline == "" and draft.dek == ""


def test_a_site_suffix_is_stripped_and_names_the_outlet(ref: Reference) -> None:
    draft = extract(
        page(
            (
                C.HEADLINE,
                "Japan eyes more talks on tariffs - The Japan Times",
                {"role": "headline"},
            ),
            BODY,
        ),
        ref,
    )
    assert draft.headline == "Japan eyes more talks on tariffs"
    assert draft.outlet is not None and draft.outlet.slug == "japan-times"


def test_a_japanese_site_suffix_is_stripped_and_kept_as_a_name(ref: Reference) -> None:
    draft = extract(
        page(
            (C.HEADLINE, "G7後に日米3回目交渉、関税下げ求め赤沢亮正氏訪米 - 日本経済新聞", {}),
            BODY,
        ),
        ref,
    )
    assert draft.headline == "G7後に日米3回目交渉、関税下げ求め赤沢亮正氏訪米"
    assert draft.outlet is None and draft.outlet_name == "日本経済新聞"
    assert "outlet" in draft.needs_review


def test_a_label_prefix_is_not_part_of_the_headline(ref: Reference) -> None:
    draft = extract(
        page((C.HEADLINE, "[Title] Japan and U.S. agree to cut tariffs on cars", {}), BODY), ref
    )
    assert draft.headline == "Japan and U.S. agree to cut tariffs on cars"


def test_a_listings_title_is_not_a_headline(ref: Reference) -> None:
    draft = extract(page((C.HEADLINE, "赤沢亮正の活動・発言など - 2ページ目", {}), BODY), ref)
    assert draft.headline == "" and "headline" in draft.needs_review


# Lines by themselves.


def test_a_caption_ending_in_a_copyright_mark_is_a_caption() -> None:
    line = (
        "U.S. Commerce Secretary Howard Lutnick was the official whom Japan's trade envoy "
        "engaged with most.  © Reuters"
    )
    found = classify_alone(line, SourceNames(["Reuters"]))
    assert found is not None and found[0] == C.CAPTION and found[1]["credit"] == "© Reuters"
    copyright_line = classify_alone("© Thomson Reuters 2025.", SourceNames(["Reuters"]))
    assert copyright_line is not None and copyright_line[0] == C.COPYRIGHT


def test_a_source_with_the_storys_age_is_a_credit_line() -> None:
    found = classify_alone("Asahi Shimbun4 days ago", SourceNames(["Asahi Shimbun"]))
    assert found == (C.METADATA, {"kind": "wire", "value": "Asahi Shimbun4 days ago"})
    assert classify_alone("Someone Else 4 days ago", SourceNames(["Asahi Shimbun"])) != found
