"""The importer on pages from outlets it was not built on (tests/articles/pages_review/).

Each page is a realistic copy-paste of a news page: a wire story, a paywalled page, Japanese pages
with menus, paywall notices and a comment section, a page with a donation appeal, a translated
Korean wire story, a blog with a Disqus thread, a page behind a cookie banner, a live blog and a
brief under a very long headline. What a careful editor expects of each is written out below:
chrome and comments never in the body, every reporting paragraph in it (short ones included),
metadata only where the page states it, officials only where they are named.
"""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from articles.importer.reader import read_page
from articles.importer.reference import Reference
from articles.importer.segmenter import LineClass as C
from articles.importer.segmenter import Segmentation, segment
from articles.importer.store import import_paths
from articles.importer.suggest import suggest
from articles.models import Article, RawDocument

PAGES = Path(__file__).resolve().parent / "pages_review"
PAGE_FILES = sorted(PAGES.glob("*.txt"))
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
DT = datetime.datetime

# What each page states, and what an editor expects the importer to make of it. A date given
# as a `date` means the page states the day but no time with a zone (stored as noon UTC).
EXPECTED: dict[str, dict[str, Any]] = {
    "ap_washington": {
        "headline": "Japan agrees to $550 billion investment pledge as Trump cuts tariffs on its "
        "cars to 15%",
        "byline": "JOSH BOAK and MARI YAMAGUCHI",
        "dateline": "WASHINGTON",
        "published": DT(2025, 7, 22, 21, 41, tzinfo=NEW_YORK),
        "outlet": "ap",
        "paragraphs": 8,
        "first": "President Donald Trump said Tuesday that the United States has reached",
        "last": "Toyota, Honda and Nissan shares jumped more than 10% in Tokyo trading.",
        "in_body": [
            '"We did it," Akazawa wrote on social media.',
            "It was not immediately clear when the lower rate would take effect.",
            "The deal is a trump card for Japanese automakers",
        ],
        "not_in_body": [
            "Menu",
            "Link copied",
            "Flipboard",
            "Leave your feedback",
            "Boak covers the White House",
            "Related Stories",
            "EU and US reach trade deal",
            "Copyright",
            "(AP) —",
        ],
        "officials": {"donald-trump", "ryosei-akazawa", "howard-lutnick", "shigeru-ishiba"},
        "comments": [],
    },
    "nikkei_paywall": {
        "headline": "Japan weighs concessions on rice imports ahead of Washington talks",
        "dek": "Tokyo hopes to win relief on auto tariffs before the July 9 deadline",
        "byline": "KENJI KAWASE",
        "dateline": "TOKYO",
        "published": DT(2025, 6, 25, 18, 2, tzinfo=TOKYO),
        "outlet": None,
        "paragraphs": 4,
        "first": "Japan's government is weighing an increase in imports of American rice",
        "last": "the national federation of agricultural cooperatives.",
        "in_body": ["Farm groups are opposed.", '"Rice is not a bargaining chip," said'],
        "not_in_body": [
            "subscribe",
            "Subscribe",
            "Read more",
            "Toyota's U.S. sales",
            "Latest On",
            "Tariff tracker",
            "No reproduction",
            "Text size",
            "Trade war",
        ],
        # The body names Takashi Aizawa, not Akazawa (who is named in the caption only).
        "officials": set(),
        "rounds": {7},
        "photo_credit": "Ken Kobayashi",
        "copyright": "Nikkei Inc. No reproduction without permission.",
        "comments": [],
    },
    "mainichi_ja": {
        "headline": "日米関税交渉 赤沢氏「国益守る」 7回目の閣僚協議へ出発",
        "published": D(2025, 6, 26),
        "outlet": None,
        "paragraphs": 4,
        "first": "赤沢亮正経済再生担当相は26日、トランプ米政権との関税交渉のため",
        "last": "ベッセント財務長官との会談を調整している。",
        "in_body": [
            "自動車関税の引き下げが最大の焦点だ。",
            "「国益を守りつつ、日米双方の利益となる合意を目指す」",
        ],
        "not_in_body": [
            "有料記事",
            "残り612文字",
            "ご登録",
            "関連記事",
            "6回目も合意に至らず",
            "猛暑日",
            "文字サイズ",
            "ホーム",
            "撮影",
        ],
        "rounds": {7},
        "photo_credit_contains": "渡部直樹",
        "language": "ja",
        "comments": [],
    },
    "guardian_style": {
        "headline": "EU and Japan brace for new round of US tariffs as deadline nears",
        "dek": "Brussels and Tokyo race to secure deals with the White House before 1 August, "
        "with carmakers and steelmakers most exposed",
        "byline": "Richard Partington",
        "published": DT(2025, 7, 8, 18, 30, tzinfo=LONDON),
        "outlet": None,
        "paragraphs": 6,
        "first": "Japan and the EU are scrambling to strike trade agreements",
        "last": '"But the damage to confidence is real."',
        "in_body": ['called the letter "truly regrettable".'],
        "not_in_body": [
            "This article is more than",
            "Senior economics correspondent",
            "Most viewed",
            "heatwave",
            "I hope you appreciated",
            "£2",
            "Comments (0)",
            "Reuse this content",
            "Explore more",
            "Remind me",
            "Guardian",
        ],
        # "Trumpf" (a company) and "Greerton Group" name neither Trump nor Greer; Trump is named.
        "officials": {"donald-trump", "shigeru-ishiba"},
        "comments": [],
    },
    "korean_translation": {
        "headline": "(LEAD) S. Korea watches Japan's tariff deal closely as Seoul talks enter "
        "final stretch",
        "byline": "Kim Dong-hyun",
        "dateline": "SEOUL, July 23",
        "published": D(2025, 7, 23),
        "outlet": None,
        "paragraphs": 5,
        "first": "South Korea is closely studying the trade agreement",
        "last": "hold talks with U.S. Treasury Secretary Scott Bessent.",
        "not_in_body": ["(END)", "kdh@yna.co.kr", "Keywords", "#tariff", "BLACKPINK", "Tel :"],
        "officials": {"donald-trump", "jamieson-greer", "scott-bessent"},
        "copyright": "Copyright © Yonhap News Agency. All rights reserved.",
        "comments": [],
    },
    "disqus_blog": {
        "headline": "Akazawa's eighth trip: what changed, and what did not",
        "byline": "Daniel Okafor",
        "published": D(2025, 7, 24),
        "outlet": None,
        "paragraphs": 5,
        "first": "Japan's chief tariff negotiator, Ryosei Akazawa, returned to Tokyo",
        "last": "We will know more when the text is published.",
        "in_body": ["The investment package is the harder part to read."],
        "not_in_body": [
            "Tags:",
            "Like Loading",
            "Sort by Best",
            "Disqus",
            "Good summary",
            "Agreed.",
            "15% is still a tax",
            "Load more comments",
            "Reply",
        ],
        "officials": {"ryosei-akazawa"},
        "rounds": {8},
        "comments": [
            (
                "kenta_t",
                "2 days ago",
                5,
                "Good summary. The investment part is the real story and nobody has seen a term "
                "sheet.",
            ),
            (
                "MargaretH",
                "2 days ago",
                2,
                "Agreed. The two governments are describing different deals.",
            ),
            (
                "trade_skeptic",
                "a day ago",
                None,
                "15% is still a tax on American consumers, whatever anyone calls it.",
            ),
        ],
    },
    "regional_business": {
        "headline": "Japanese parts makers in Ohio brace for tariff costs",
        "byline": "Sarah Kim",
        "published": D(2025, 6, 12),
        "outlet": None,
        "paragraphs": 5,
        "first": "Suppliers to Japanese carmakers in central Ohio",
        "last": "The U.S. tariff on imported auto parts has been 25% since May 3.",
        "in_body": ["He declined to say for how long."],
        "not_in_body": [
            "cookies",
            "Accept all",
            "Manage preferences",
            "Pacific Business Review",
            "Text size",
            "Morning Briefing",
            "Enter your email",
            "Related articles",
            "Honda to shift",
            "Advertisement",
            "Be the first",
        ],
        "officials": set(),
        "comments": [],
    },
    "liveblog": {
        "headline": "Japan-U.S. tariff talks: live updates",
        "published": DT(2025, 7, 23, 11, 40, tzinfo=TOKYO),
        "outlet": "japan-today",
        "first": "11:40 JST",  # a live blog's entries keep their times
        "last": 'had completed "a massive deal" with Japan, with a 15% reciprocal tariff.',
        "in_body": [
            "He said he would consider his own future after studying the details.",
            "The Nikkei Stock Average rose more than 3% in early trading, led by automakers.",
            'posted on X: "#Mission accomplished."',
        ],
        "not_in_body": ["LIVE", "Last updated", "Back to top", "GPlusMedia"],
        "officials": {"shigeru-ishiba", "ryosei-akazawa", "donald-trump"},
        "comments": [],
    },
    "long_headline_short_body": {
        "headline": "Japan, U.S. fail again to reach agreement on tariffs as Akazawa and Lutnick "
        "end sixth round of ministerial talks in Washington without a deal",
        "dateline": "WASHINGTON",
        "published": D(2025, 6, 14),
        "outlet": "kyodo",
        "paragraphs": 2,
        "first": "Japan's top negotiator Ryosei Akazawa said Friday no agreement was reached",
        "last": "The two sides will continue to talk.",
        "not_in_body": ["Related coverage", "G7 summit", "All rights reserved", "KYODO NEWS"],
        "officials": {"ryosei-akazawa", "howard-lutnick"},
        "rounds": {6},
        "comments": [],
    },
    "japantimes_midbody": {
        "headline": "Japan's exporters count the cost as auto tariff deadline looms",
        "dek": "Carmakers have absorbed much of the 25% levy so far, but margins are thinning",
        "byline": "Tomohiro Osaki",
        "published": D(2025, 7, 3),
        "outlet": "japan-times",
        "paragraphs": 7,
        "first": "Japan's automakers have absorbed most of the cost of U.S. tariffs",
        "last": "will not accept a deal that leaves the auto tariff in place.",
        # The story goes on past an advertisement and a "READ MORE" box.
        "in_body": ["a Mazda executive said on condition of anonymity.", "Smaller parts makers"],
        "not_in_body": [
            "Advertisement",
            "Story continues",
            "READ MORE",
            "budge on rice",
            "seventh round",
            "quality journalism",
            "By subscribing",
            "SUBSCRIBE",
            "PHOTO GALLERY",
            "KEYWORDS",
            "Staff writer",
            "Bloomberg",
        ],
        "officials": {"ryosei-akazawa"},
        "rounds": set(),  # "seventh round" is only in a teaser for another story
        "photo_credit": "Bloomberg",
        "comments": [],
    },
    "reuters_slideshow": {
        "headline": "Japan, US hold 'productive' talks but no deal on autos, Akazawa says",
        "byline": "Kantaro Komiya and David Lawder",
        "dateline": "WASHINGTON, June 27",
        # "June 28, 20256:42 AM GMT+9Updated June 28, 2025", as Reuters pages paste.
        "published": DT(2025, 6, 28, 6, 42, tzinfo=TOKYO),
        "outlet": None,  # "Thomson Reuters" in the author box below the story is no masthead
        "wire": "reuters",
        "paragraphs": 4,
        "first": "Japan's top tariff negotiator Ryosei Akazawa said on Friday",
        "last": "heavily dependent on auto exports to the United States.",
        "not_in_body": [
            "Sign up here",
            "Item 1 of 2",
            "[1/2]",
            "Purchase Licensing",
            "Morning Bid",
            "Reporting by",
            "Our Standards",
            "covers Japan's economy",
            "Canada",
        ],
        "officials": {"ryosei-akazawa", "howard-lutnick"},
        "rounds": {7},
        "photo_credit": "REUTERS/Annabelle Gordon",
        "caption": "Japan's tariff negotiator Ryosei Akazawa speaks to reporters in Washington, "
        "June 27, 2025.",
        "comments": [],
    },
    "yahoo_ja_comments": {
        "headline": "日米関税合意、自動車は15％ 赤沢氏「ぎりぎりの交渉だった」",
        # "7/23(水) 9:15配信" gives no year: the date is left for an editor.
        "published": None,
        "outlet": None,
        "paragraphs": 3,
        "first": "赤沢亮正経済再生担当相は23日、トランプ米大統領と会談した後",
        "last": "石破茂首相は官邸で「国益を守った」と強調した。",
        "not_in_body": [
            "配信",
            "最終更新",
            "記事に関する報告",
            "コメント",
            "yam*****",
            "結局15％は残った",
            "共感した",
            "円相場",
            "ランキング",
        ],
        "language": "ja",
        "comments": [
            (
                "yam*****",
                "6時間前",
                None,
                "結局15％は残った。以前の2.5％と比べれば大幅な負担増だ。",
            ),
            ("tak*****", "5時間前", None, "交渉した担当者はよく頑張ったと思う。"),
        ],
    },
}


def test_every_review_page_has_expectations() -> None:
    assert len(PAGE_FILES) >= 8
    assert {p.stem for p in PAGE_FILES} == set(EXPECTED)


@pytest.fixture
def imported(reference_data: None) -> dict[str, Article]:
    run = import_paths([PAGES])
    assert not run.failed, [r.reason for r in run.failed]
    return {
        raw.file_name.removesuffix(".txt"): raw.article
        for raw in RawDocument.objects.select_related("article", "article__outlet", "article__wire")
        if raw.article is not None
    }


def segmented(name: str, ref: Reference) -> Segmentation:
    text = read_page(PAGES / f"{name}.txt", max_bytes=10**6).text
    return segment(text, source_names=ref.source_names())


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_every_page_reconstructs_exactly(path: Path, ref: Reference, imported: dict) -> None:
    text = read_page(path, max_bytes=10**6).text
    seg = segment(text, source_names=ref.source_names())
    assert seg.reconstruct() == text
    assert [line.number for line in seg.lines] == list(range(1, len(seg.lines) + 1))
    assert RawDocument.objects.get(file_name=path.name).text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_headline_dek_byline_and_dateline(name: str, imported: dict[str, Article]) -> None:
    article, want = imported[name], EXPECTED[name]
    assert article.headline == want["headline"]
    if "dek" in want:
        assert article.dek == want["dek"]
    if "byline" in want:
        assert article.byline == want["byline"]
    else:
        assert article.byline == "" and "byline" in article.needs_review
    if "dateline" in want:
        assert article.dateline == want["dateline"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_date_and_outlet_only_where_the_page_states_them(
    name: str, imported: dict[str, Article]
) -> None:
    article, want = imported[name], EXPECTED[name]
    published = want["published"]
    if published is None:
        assert article.published_at is None and "published_at" in article.needs_review
    elif isinstance(published, datetime.datetime):
        assert article.published_at == published
        assert article.published_time_known
    else:
        assert article.published_at is not None
        assert article.published_at.date() == published
        assert not article.published_time_known
    outlet = article.outlet.slug if article.outlet else None
    assert outlet == want["outlet"]
    if "wire" in want:
        assert (article.wire.slug if article.wire else None) == want["wire"]
    assert ("outlet" in article.needs_review) == (want["outlet"] is None)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_holds_the_reporting_and_nothing_else(name: str, imported: dict[str, Article]) -> None:
    article, want = imported[name], EXPECTED[name]
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith(want["first"])
    assert paragraphs[-1].endswith(want["last"])
    if "paragraphs" in want:
        assert len(paragraphs) == want["paragraphs"]
    for text in want.get("in_body", []):
        assert text in article.body
    for text in want["not_in_body"]:
        assert text not in article.body, text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comments_are_comments_and_never_in_the_body(
    name: str, imported: dict[str, Article], ref: Reference
) -> None:
    article, want = imported[name], EXPECTED[name]
    found = [
        (c.author_handle, c.posted_label, c.score, c.body)
        for c in article.comments.order_by("position")
    ]
    assert found == want["comments"]
    seg = segmented(name, ref)
    body_lines = {line.text for line in seg.of(C.REPORTING)}
    assert not body_lines & {line.text for line in seg.of(C.COMMENT, C.COMMENT_QUOTE)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_officials_and_rounds_suggested_only_where_named(
    name: str, imported: dict[str, Article]
) -> None:
    article, want = imported[name], EXPECTED[name]
    if "officials" in want:
        got = set(article.officiallinks.values_list("official__slug", flat=True))
        assert got == want["officials"]
    if "rounds" in want:
        got_rounds = set(article.roundlinks.values_list("round__number", flat=True))
        assert got_rounds == want["rounds"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_credits_copyright_and_language(name: str, imported: dict[str, Article]) -> None:
    article, want = imported[name], EXPECTED[name]
    if "photo_credit" in want:
        assert article.photo_credit == want["photo_credit"]
    if "photo_credit_contains" in want:
        assert want["photo_credit_contains"] in article.photo_credit
    if "copyright" in want:
        assert article.copyright_line == want["copyright"]
    if "caption" in want:
        assert article.photo_caption == want["caption"]
    assert article.language == want.get("language", "en")


def test_wire_contributor_line_is_a_credit_not_chrome(ref: Reference) -> None:
    seg = segmented("ap_washington", ref)
    (line,) = [ln for ln in seg.lines if "contributed to this report" in ln.text]
    assert line.cls == C.METADATA and line.extra["kind"] == "credits"


def test_page_chrome_is_chrome(ref: Reference) -> None:
    checks = {
        "ap_washington": ["Menu", "Climate", "Link copied", "Related Stories"],
        "nikkei_paywall": ["Home > Economy > Trade", "Text size", "To read the full story"],
        "mainichi_ja": ["ホーム > 経済 > 貿易", "文字サイズ 小 中 大", "この記事は有料記事です。"],
        "guardian_style": ["This article is more than 1 month old", "Most viewed", "Comments (0)"],
        "regional_business": ["We use cookies", "Accept all", "Text size A- A A+"],
        "disqus_blog": ["Sort by Best", "Reply ↩", "Load more comments", "Avatar"],
        "yahoo_ja_comments": ["共感した", "並び替え", "もっと見る"],
    }
    for name, needles in checks.items():
        seg = segmented(name, ref)
        for needle in needles:
            classes = {line.cls for line in seg.lines if line.text.startswith(needle)}
            assert classes == {C.CHROME}, (name, needle, classes)


def test_live_blog_keeps_its_first_entry_title_in_the_body(ref: Reference) -> None:
    seg = segmented("liveblog", ref)
    (headline,) = [ln for ln in seg.of(C.HEADLINE) if ln.extra["role"] == "headline"]
    assert headline.text == "Japan-U.S. tariff talks: live updates"
    titles = [
        'Ishiba says deal "protects national interest"',
        "Nikkei jumps",
        "Trump announces deal",
    ]
    for title in titles:
        assert {line.cls for line in seg.lines if line.text == title} == {C.REPORTING}


def test_story_continues_past_an_inline_related_box() -> None:
    text = "\n".join(
        [
            "Japan says no deal yet in tariff talks",
            "By Jane Roe",
            "June 28, 2025",
            "TOKYO, June 28 (Reuters) - Japan's top negotiator said on Saturday no deal had been "
            "reached in the seventh round of tariff talks with Washington.",
            "Akazawa met Commerce Secretary Howard Lutnick for about an hour on Friday, the "
            "Japanese government said.",
            "Related coverage",
            "Trump says Japan spoiled on cars",
            "Nissan shares fall on tariff worries",
            "The talks focused on autos, which account for about a third of Japan's exports.",
            "Japan has sought an exemption from the 25% tariff on cars and auto parts.",
            "More to follow.",
            "(Reporting by Jane Roe; Editing by John Doe)",
        ]
    )
    seg = segment(text, source_names=["Reuters"])
    assert [line.number for line in seg.of(C.REPORTING)] == [4, 5, 9, 10]
    assert {line.cls for line in seg.lines if line.number in (6, 7, 8, 11)} == {C.CHROME}


def test_an_author_box_below_the_story_is_not_reporting(ref: Reference) -> None:
    text = (PAGES / "ap_washington.txt").read_text(encoding="utf-8")
    credit = next(line for line in text.splitlines() if "contributed to this report" in line)
    seg = segment(text.replace(credit + "\n", ""), source_names=ref.source_names())
    body = "\n".join(line.text for line in seg.of(C.REPORTING))
    assert body.endswith("Toyota, Honda and Nissan shares jumped more than 10% in Tokyo trading.")
    assert "JOSH BOAK" not in body and "Boak covers" not in body


def test_blank_lines_and_crlf_change_nothing(ref: Reference) -> None:
    for path in PAGE_FILES:
        text = path.read_text(encoding="utf-8")
        base = segmented(path.stem, ref)
        for variant in ("\n\n".join(text.split("\n")), text.replace("\n", "\r\n")):
            seg = segment(variant, source_names=ref.source_names())
            assert seg.reconstruct() == variant
            reporting = [line.text.strip() for line in seg.of(C.REPORTING)]
            assert reporting == [line.text.strip() for line in base.of(C.REPORTING)], path.name


def officials_in(text: str, ref: Reference) -> set[str]:
    return {item.target for item in suggest(text, headline="", day=None, ref=ref).of("official")}


@pytest.mark.parametrize(
    "text",
    [
        "Investment is Japan's trump card in the talks.",
        "The German machine-tool maker Trumpf said it would move production.",
        "The Greerton Group, a shipping firm, paused orders.",
        '"Rice is not a bargaining chip," said Takashi Aizawa, a farm-group official.',
        "Bessemer steel was on the menu.",
        "Trumps of the card game were discussed at the Ishibashi bridge.",
    ],
)
def test_no_official_from_ordinary_words_or_other_people(text: str, ref: Reference) -> None:
    assert officials_in(text, ref) == set()


def test_rounds_through_japanese_ordinals(ref: Reference) -> None:
    found = suggest("赤沢氏の訪米は8回目となる。", headline="", day=None, ref=ref)
    assert {item.target for item in found.of("round")} == {"8"}
    # A count that is not of talks or visits is no round.
    found = suggest("値上げは今年3回目となる。", headline="", day=None, ref=ref)
    assert not found.of("round")


def test_unseen_spellings_of_officials_still_match(ref: Reference) -> None:
    text = "Commerce Secretary Lutnik met Treasury Secretary Besent and Howard Lutnik's aides."
    assert officials_in(text, ref) == {"howard-lutnick", "scott-bessent"}
