"""The segmenter on the five seeds and on pages from outlets it has never seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.importer.reader import read_page
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import Segmentation, segment

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
PAGES = Path(__file__).resolve().parent / "pages"
KNOWN = [
    "Japan Today",
    "GPlusMedia",
    "Reuters",
    "Thomson Reuters",
    "Kyodo",
    "KYODO",
    "THE ASAHI SHIMBUN",
    "wowkorea.jp",
    "Edaily",
    "Jiji Press",
    "The Japan Times",
    "NHK",
]
TALLY_TEXT = "( +"


def seed(prefix: str) -> Segmentation:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return segment(path.read_text(encoding="utf-8"), source_names=KNOWN)


def page(name: str) -> Segmentation:
    return segment(read_page(PAGES / name, max_bytes=10**6).text, source_names=KNOWN)


def classes_of(seg: Segmentation, needle: str) -> set[str]:
    return {line.cls for line in seg.lines if needle in line.text}


def reporting_text(seg: Segmentation) -> str:
    return "\n".join(line.text for line in seg.of(C.REPORTING))


def test_there_are_five_seeds() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("path", SEEDS + sorted(PAGES.glob("*.txt")), ids=lambda p: p.name)
def test_every_line_is_classified_once_and_the_page_reconstructs(path: Path) -> None:
    text = read_page(path, max_bytes=10**6).text
    seg = segment(text, source_names=KNOWN)
    assert seg.reconstruct() == text
    assert [line.number for line in seg.lines] == list(range(1, len(seg.lines) + 1))
    assert all(line.cls in set(C) for line in seg.lines)


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_reconstruction_keeps_line_endings_and_a_missing_final_newline(ending: str) -> None:
    text = ending.join(["Headline of a story about tariffs here", "", "Body text."]) + ending
    assert segment(text).reconstruct() == text


def test_old_mac_line_endings_are_split_and_kept() -> None:
    text = "Japan Today\rJapan and US hold talks on tariffs again today\rThe talks went on."
    seg = segment(text)
    assert len(seg.lines) == 3
    assert seg.reconstruct() == text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_no_reporting_line_is_a_tally_a_comment_or_chrome(path: Path) -> None:
    seg = segment(path.read_text(encoding="utf-8"), source_names=KNOWN)
    body = reporting_text(seg)
    assert TALLY_TEXT not in body
    for chrome in ("Login", "Facebook", "Comments", "GPlusMedia", "A mix of what's trending"):
        assert chrome not in body
    comment_texts = {line.text for line in seg.of(C.COMMENT, C.COMMENT_QUOTE)}
    assert not comment_texts & {line.text for line in seg.of(C.REPORTING)}


def test_seed_000_has_no_headline_and_its_page_counter_is_chrome() -> None:
    seg = seed("000")
    assert not seg.of(C.HEADLINE)
    last = [line for line in seg.lines if line.text.strip()][-1]
    assert last.cls == C.COPYRIGHT
    assert last.extra["trailing_chrome"] == "78"
    assert last.extra["copyright"] == "Copyrights(C) Edaily wowkorea.jp"
    assert classes_of(seg, "2025/06/29 21:31 KST") == {C.METADATA}
    assert len(seg.of(C.REPORTING)) == 12


def test_seed_001_parts_are_told_apart() -> None:
    seg = seed("001")
    (headline,) = seg.of(C.HEADLINE)
    assert headline.text == (
        "Japan says there is no easy concession on U.S. tariffs, seeks more talks in June"
    )
    assert classes_of(seg, "politics") == {C.METADATA}
    assert classes_of(seg, "By Makiko Yamazaki") == {C.METADATA}
    assert classes_of(seg, "Image: Reuters/Issei Kato") == {C.CAPTION}
    assert classes_of(seg, "2 Comments") == {C.CHROME}
    assert classes_of(seg, "© Thomson Reuters 2025.") == {C.COPYRIGHT}
    assert seg.of(C.REPORTING)[0].text.startswith("Japan and the U.S. on Friday agreed")
    assert seg.of(C.REPORTING)[-1].text.endswith("are among economic security topics, he added.")
    tallies = [(c.score, c.votes_up, c.votes_down) for c in seg.comments]
    assert tallies == [(-6, 0, 6), (1, 1, 0)]
    assert seg.comments[0].quotes == "headline"
    assert seg.comments[0].quoted_text.startswith("there is no easy concession")
    assert "https://www.reddit.com" in seg.comments[0].body


def test_seed_002_comments_handles_and_quotes() -> None:
    seg = seed("002")
    assert len(seg.comments) == 19
    assert [c.score for c in seg.comments] == [
        -11,
        2,
        4,
        4,
        5,
        2,
        -3,
        -3,
        -5,
        3,
        2,
        -5,
        -5,
        3,
        -1,
        -1,
        3,
        0,
        -1,
    ]
    handles = {(c.handle, c.posted_label) for c in seg.comments if c.handle}
    assert handles == {("dan", "Today 06:39 pm JST"), ("OssanAmerica", "Today 08:25 pm JST")}
    quotes = {c.position: (c.quotes, c.quotes_position) for c in seg.comments if c.quotes}
    assert quotes == {
        2: ("article", None),
        8: ("comment", 7),
        15: ("comment", 10),
        18: ("comment", 7),
        19: ("comment", 18),
    }
    for chrome in ("Login to comment", "Facebook Connect", "User registration", "A mix of what"):
        assert classes_of(seg, chrome) == {C.CHROME}
    all_comments = " ".join(c.body + c.quoted_text for c in seg.comments)
    assert "Facebook" not in all_comments and "Login" not in all_comments


def test_seed_003_licence_credit_is_not_a_byline() -> None:
    seg = seed("003")
    (credit,) = seg.of(C.CREDIT)
    assert credit.extra["credit"] == "Kakidai - Own work, CC BY-SA 4.0"
    assert not seg.of(C.HEADLINE) and not seg.of(C.METADATA)
    assert len(seg.of(C.REPORTING)) == 11


def test_seed_004_caption_credit_and_trailing_teasers() -> None:
    seg = seed("004")
    (caption,) = seg.of(C.CAPTION)
    assert caption.extra["credit"] == "Chinami Tajika"
    teasers = [line for line in seg.lines if line.number >= 15 and line.text.strip()]
    assert len(teasers) == 5
    assert {line.cls for line in teasers} == {C.CHROME}
    assert seg.of(C.REPORTING)[-1].text.startswith("The Trump administration has also imposed")


def test_wire_story_with_dateline_credits_and_related_list() -> None:
    seg = page("reuters_wire.txt")
    (headline,) = [line for line in seg.of(C.HEADLINE) if line.extra["role"] == "headline"]
    assert headline.text == "Japan, US agree on tariff deal after eighth round of talks"
    lede = seg.of(C.REPORTING)[0]
    assert lede.extra["dateline"] == "TOKYO, July 23"
    assert lede.extra["wire"] == "Reuters"
    assert classes_of(seg, "(Reporting by Makiko Yamazaki") == {C.METADATA}
    assert classes_of(seg, "Trump says deal with Japan is the largest ever") == {C.CHROME}
    assert classes_of(seg, "Our Standards") == {C.CHROME}
    assert classes_of(seg, "Sustainability") == {C.CHROME}
    assert len(seg.of(C.REPORTING)) == 4


def test_japanese_page_breadcrumb_text_size_widget_and_related_list() -> None:
    seg = page("japanese_page.txt")
    assert classes_of(seg, "ホーム > ニュース") == {C.CHROME}
    assert classes_of(seg, "文字サイズ") == {C.CHROME}
    assert classes_of(seg, "シェア") == {C.CHROME}
    (headline,) = seg.of(C.HEADLINE)
    assert headline.text == "赤沢経済再生相 ラトニック商務長官と電話会談"
    assert len(seg.of(C.REPORTING)) == 3
    assert classes_of(seg, "合意に至らず") == {C.CHROME}
    assert classes_of(seg, "Copyright NHK") == {C.COPYRIGHT}


def test_paywall_notice_and_text_size_widget_are_chrome() -> None:
    seg = page("paywall_page.txt")
    for chrome in ("subscribers only", "Subscribe now", "Already a subscriber", "A A A", "Print"):
        assert classes_of(seg, chrome) == {C.CHROME}
    assert classes_of(seg, "Home / Business / Economy") == {C.CHROME}
    assert len(seg.of(C.REPORTING)) == 2


def test_donation_appeal_and_empty_comment_widget_are_chrome() -> None:
    seg = page("donation_page.txt")
    for chrome in ("We rely on readers", "Donate now", "0 Comments", "Be the first to comment"):
        assert classes_of(seg, chrome) == {C.CHROME}
    assert seg.comments == []
    assert seg.of(C.REPORTING)[-1].text.startswith("Rutnick, as one Japanese broadcaster")


def test_yomiuri_style_time_first_date_and_popular_lists() -> None:
    seg = page("yomiuri_style.txt")
    assert classes_of(seg, "12:29 JST, August 28, 2025") == {C.METADATA}
    assert seg.of(C.REPORTING)[0].extra["dateline"] == "WASHINGTON"
    for chrome in ("POPULAR ARTICLE", "Rice Prices Continue", "JN ACCESS RANKING"):
        assert classes_of(seg, chrome) == {C.CHROME}
    assert len(seg.of(C.REPORTING)) == 3


def test_jiji_dateline_gives_place_and_wire() -> None:
    seg = page("jiji_dateline.txt")
    lede = seg.of(C.REPORTING)[0]
    assert lede.extra["dateline"] == "Washington, May 23"
    assert lede.extra["wire"] == "Jiji Press"
    assert classes_of(seg, "[Copyright The Jiji Press, Ltd.]") == {C.COPYRIGHT}


def test_shift_jis_page_with_crlf_is_segmented() -> None:
    seg = page("shift_jis_page.txt")
    assert seg.newline == "\n"
    assert seg.lines[0].text.endswith("\r")
    (headline,) = seg.of(C.HEADLINE)
    assert headline.text.startswith("日米関税協議")
    assert seg.of(C.REPORTING)[0].extra["dateline"] == "ワシントン"
    assert classes_of(seg, "文字サイズ") == {C.CHROME}
    assert classes_of(seg, "トランプ氏、日本に25％関税の書簡") == {C.CHROME}


def test_latin1_page_in_french_is_segmented() -> None:
    seg = page("latin1_page.txt")
    (headline,) = seg.of(C.HEADLINE)
    assert headline.text.startswith("Droits de douane")
    assert classes_of(seg, "Par Hélène Marchand") == {C.METADATA}
    assert classes_of(seg, "23 juillet 2025") == {C.METADATA}
    assert classes_of(seg, "Accueil > Économie") == {C.CHROME}
    assert classes_of(seg, "Partager") == {C.CHROME}
    assert len(seg.of(C.REPORTING)) == 3


def test_comments_without_tallies_are_split_at_their_headers() -> None:
    text = "\n".join(
        [
            "Tokyo and Washington resume talks on car tariffs this week",
            "Japan's negotiator flew to Washington on Thursday for another round of talks.",
            "He is expected to meet the commerce secretary on Friday morning.",
            "3 Comments",
            "kenji Today 09:12 am JST",
            "Good luck to him, he will need it.",
            "mary_s Yesterday 11:40 pm JST",
            "Another trip, another photo opportunity.",
            "Nothing will change.",
            "Privacy Policy",
        ]
    )
    seg = segment(text)
    assert [(c.handle, c.body) for c in seg.comments] == [
        ("kenji", "Good luck to him, he will need it."),
        ("mary_s", "Another trip, another photo opportunity.\n\nNothing will change."),
    ]
    assert classes_of(seg, "Privacy Policy") == {C.CHROME}
    assert len(seg.of(C.REPORTING)) == 2


def test_a_comment_repeating_an_earlier_comment_quotes_it() -> None:
    text = "\n".join(
        [
            "Japan seeks more talks with the United States on tariffs",
            "Japan and the United States agreed on Friday to hold another round of talks.",
            "1 Comments",
            "The tariffs will hurt both economies in the long run.",
            "2 ( +2 / -0 )",
            "The tariffs will hurt both economies in the long run.",
            "Not if the deal comes soon.",
            "-1 ( +0 / -1 )",
        ]
    )
    seg = segment(text)
    assert [c.quotes_position for c in seg.comments] == [None, 1]
    assert classes_of(seg, "Not if the deal") == {C.COMMENT}


def test_an_uncredited_caption_above_a_credited_one_is_not_the_headline() -> None:
    text = "\n".join(
        [
            " date 2025-07-19  Japan Today",
            "Treasury Secretary Bessent visits the Expo site in Osaka",
            "Minister Akazawa speaks at the Expo in Osaka on Saturday. Image: Reuters/Staff",
            "politics",
            "",
            "Akazawa to return to Washington for more tariff talks next week",
            "",
            "TOKYO",
            "",
            "Japan's negotiator said on Saturday he would go to Washington next week for talks.",
        ]
    )
    seg = segment(text, source_names=KNOWN)
    (headline,) = seg.of(C.HEADLINE)
    assert headline.text.startswith("Akazawa to return")
    assert classes_of(seg, "Expo site") == {C.CAPTION}
    assert classes_of(seg, "politics") == {C.METADATA}
    assert classes_of(seg, "TOKYO") == {C.METADATA}


def test_a_wire_credit_with_a_relative_time_is_metadata_not_a_dek() -> None:
    text = "\n".join(
        [
            "Japan and US end seventh round of talks without a deal",
            "KYODO - 3 hours ago | World, Japan",
            "Japan's top negotiator ended his visit to Washington on Saturday without a deal.",
        ]
    )
    seg = segment(text, source_names=KNOWN)
    assert classes_of(seg, "3 hours ago") == {C.METADATA}
    assert len(seg.of(C.HEADLINE)) == 1
