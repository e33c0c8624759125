"""Forms in which pages state their headline, date and outlet, beyond a headline line and a date
line: a date glued to a credit, a section's name in a headline's place, a forum thread quoting a
story, a header glued with slashes. The pages are made up; each form is one real pages use."""

from __future__ import annotations

import datetime

from articles.importer.dates import find_date
from articles.importer.lines import C
from articles.importer.metadata import ArticleDraft, extract
from articles.importer.reference import Reference
from tests.articles.importer_support import Row, page

HEADLINE: Row = (
    C.HEADLINE,
    "Ministers agree to review tariffs on farm goods",
    {"role": "headline"},
)
BODY: Row = (
    C.REPORTING,
    "The two ministers agreed on Tuesday to review tariffs on farm goods, officials said.",
    {},
)


def day(draft: ArticleDraft) -> datetime.date | None:
    return draft.published.day if draft.published else None


def test_a_spanish_date_with_an_abbreviated_month_glued_to_a_credit() -> None:
    found = find_date("Wirefeed12 de oct de 2025 8:15")
    assert found is not None and found.day == datetime.date(2025, 10, 12)
    full = find_date("12 de octubre de 2025")
    assert full is not None and full.day == datetime.date(2025, 10, 12)
    # Still no date without a year.
    assert find_date("Wirefeed12 de oct") is None


def test_a_dek_that_is_a_credit_and_a_date_is_the_date_line(ref: Reference) -> None:
    dek: Row = (C.HEADLINE, "Wirefeed12 de oct de 2025 8:15", {"role": "dek"})
    draft = extract(page(HEADLINE, dek, BODY), ref)
    assert day(draft) == datetime.date(2025, 10, 12)
    assert draft.dek == ""
    # A dek of words that mentions a date stays a dek, and no date is taken from it.
    words: Row = (
        C.HEADLINE,
        "The review, agreed on 12 October 2025, covers rice and wheat imports",
        {"role": "dek"},
    )
    draft = extract(page(HEADLINE, words, BODY), ref)
    assert draft.dek.startswith("The review") and day(draft) is None


def test_one_word_in_a_headlines_place_is_a_section_name(ref: Reference) -> None:
    for word in ("Information", "インフォメーション"):
        draft = extract(page((C.HEADLINE, word, {"role": "headline"}), BODY), ref)
        assert draft.headline == "" and "headline" in draft.needs_review
    draft = extract(page((C.HEADLINE, "Tariffs cut", {"role": "headline"}), BODY), ref)
    assert draft.headline == "Tariffs cut"


def test_a_forum_thread_quoting_a_story_states_its_title_and_date(ref: Reference) -> None:
    post: Row = (
        C.REPORTING,
        "1: 名無し ★ 2025/10/02(木) 08:01:12.34 ID:abc 農相は2日、輸入米の関税を見直すと述べた。"
        " 東西新聞 2025年10月2日 7:45 引用元: ・農相、輸入米の関税見直しへ「来月に結論」 [名無し★]",
        {},
    )
    draft = extract(page(post), ref)
    assert draft.headline == "農相、輸入米の関税見直しへ「来月に結論」"
    assert day(draft) == datetime.date(2025, 10, 2)
    assert draft.wire_name == "東西新聞"


def test_a_header_glued_with_slashes_states_headline_and_outlet(ref: Reference) -> None:
    # The line model puts such a line out of the story; the header still states its facts.
    header: Row = (
        C.CHROME,
        "Ministers Agree to Review Farm Tariffs/ Daily Ledger/ OTTAWA/ A. Writer/ Evening "
        "Edition/ The two ministers agreed on Tuesday to review tariffs on farm goods.",
        {"reason": "not the story (line model)", "line_model": 0.1},
    )
    draft = extract(page(header, (C.BLANK, "", {}), BODY), ref)
    assert draft.headline == "Ministers Agree to Review Farm Tariffs"
    assert draft.outlet_name == "Daily Ledger"
    # Slashes in a sentence are no header: the third part is no dateline in capitals.
    prose: Row = (
        C.REPORTING,
        "Farm goods on the list/ Rice Board/ and barley/ were all reviewed on Tuesday.",
        {},
    )
    draft = extract(page(prose, BODY), ref)
    assert draft.headline == "" and draft.outlet_name == ""
    # A breadcrumb or a menu (the rules' furniture) is no header, whatever its slashes.
    for menu in (
        "Skip to main content/ Home/ NEWS/ Sport/ Weather",
        "Japan Today / Politics / WORLD / Tariffs",
    ):
        crumbs: Row = (C.CHROME, menu, {"reason": "breadcrumb or menu"})
        draft = extract(page(crumbs, (C.BLANK, "", {}), BODY), ref)
        assert draft.headline == "" and draft.outlet_name == "" and draft.wire_name == ""


def test_names_that_end_in_digits_state_no_day() -> None:
    for text in ("COP30 November 2025", "G7 June 2025 summit", "iPhone16 September 2025"):
        assert find_date(text) is None, text
    assert find_date("Top 10 July 2025") is not None  # a day that starts its word still is


def test_a_dek_naming_a_date_is_no_date_line(ref: Reference) -> None:
    date_line: Row = (C.METADATA, "July 8, 2025", {"kind": "date", "value": "July 8, 2025"})
    for words in ("Deadline: August 1, 2025", "Tariffs take effect 1 August 2025"):
        dek: Row = (C.HEADLINE, words, {"role": "dek"})
        draft = extract(page(HEADLINE, dek, date_line, BODY), ref)
        assert day(draft) == datetime.date(2025, 7, 8) and draft.dek == words
        draft = extract(page(HEADLINE, dek, BODY), ref)
        assert day(draft) is None and draft.dek == words
    # A dek that is only a date is a date line, but a real date line comes first.
    only: Row = (C.HEADLINE, "August 1, 2025", {"role": "dek"})
    assert day(extract(page(HEADLINE, only, BODY), ref)) == datetime.date(2025, 8, 1)
    assert day(extract(page(HEADLINE, only, date_line, BODY), ref)) == datetime.date(2025, 7, 8)


def test_a_quoted_link_is_no_title(ref: Reference) -> None:
    post: Row = (
        C.REPORTING,
        "1: 名無し 2025/10/05(日) 09:00 農相が関税見直しへ。 2025年10月2日 引用元：https://example.jp/n/1",
        {},
    )
    assert extract(page(post), ref).headline == ""


def test_a_wordpress_author_box_is_chrome_and_never_the_headline() -> None:
    from articles.importer.lines import SourceNames, classify_alone
    from articles.importer.segmenter import segment

    line = "Latest posts by Jane Example (see all)"
    assert classify_alone(line, SourceNames([])) == (C.CHROME, {"reason": "page furniture"})
    seg = segment(
        f"{line}\n\nMinisters agree to review tariffs on farm goods\n\n"
        "The two ministers agreed on Tuesday to review tariffs on farm goods, officials said, "
        "after a day of talks in Washington that both sides called useful and frank.\n"
    )
    assert [str(x.cls) for x in seg.lines if x.text == line] == ["chrome"]
