"""Outlet and wire from the credits a page states, in English and Japanese, known or not."""

from __future__ import annotations

import pytest

from articles.importer import credits as cr
from articles.importer.metadata import extract
from articles.importer.reference import Reference
from articles.importer.segmenter import LineClass as C
from tests.articles.importer_support import page


def names(text: str, ref: Reference, *, lede: bool = False) -> list[tuple[str, str, str]]:
    """(name, role, slug or "") of each credit one line states."""
    return [
        (c.name, c.role, c.source.slug if c.source else "")
        for c in cr.credits_in_line(text, 1, ref, lede=lede)
    ]


BODY = "Japan and the United States agreed on Tuesday to cut tariffs on cars, officials said."


@pytest.mark.parametrize(
    ("text", "lede", "want"),
    [
        ("(Bloomberg) -- " + BODY, True, ("Bloomberg", "wire", "")),
        ("(AP) — " + BODY, True, ("AP", "wire", "ap")),
        (
            "【ワシントン時事】トランプ米大統領は４日、大統領令に署名した。",
            True,
            ("時事", "wire", "jiji-press"),
        ),
        (
            "【ワシントン共同】トランプ米大統領は4日、大統領令に署名した。",
            True,
            ("共同", "wire", "kyodo"),
        ),
        (
            "【9月5日 AFP】ドナルド・トランプ米大統領は4日、大統領令に署名した。",
            True,
            ("AFP", "wire", ""),
        ),
        (
            "関税の引き下げは7日以内に適用される。[時事通信社]",
            False,
            ("時事通信社", "wire", "jiji-press"),
        ),
        (BODY + " — Bloomberg", False, ("Bloomberg", "wire", "")),
        (BODY + " - Bloomberg", False, ("Bloomberg", "wire", "")),
        (
            "Distributed by Tribune Content Agency, LLC.",
            False,
            ("Tribune Content Agency", "wire", ""),
        ),
        ("Source: Japan Times", False, ("Japan Times", "outlet", "japan-times")),
        ("Source: EconoTimes", False, ("EconoTimes", "outlet", "")),
        ("Newsmax Media, Inc.", False, ("Newsmax Media, Inc.", "outlet", "")),
        ("読売新聞オンライン 7/23(水) 22:31 配信", False, ("読売新聞オンライン", "wire", "")),
        ("テレビ朝日系(ANN) 5/14(水) 22:48 配信", False, ("テレビ朝日系(ANN)", "wire", "")),
    ],
)
def test_each_credit_form_names_its_outlet_or_wire(
    ref: Reference, text: str, lede: bool, want: tuple[str, str, str]
) -> None:
    assert names(text, ref, lede=lede) == [want]


def test_a_lede_form_is_read_on_the_lede_only(ref: Reference) -> None:
    assert names("(Bloomberg) -- " + BODY, ref, lede=False) == []


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2025 Thomson/Reuters", "Thomson/Reuters"),
        ("© KYODO", "KYODO"),
        ("(c)AFP", "AFP"),
        ("© 2009-2025 WireAction, Inc. All Rights Reserved.", "WireAction, Inc."),
        ("Copyright © Yonhap News Agency. All rights reserved.", "Yonhap News Agency"),
        ("Nikkei Inc. No reproduction without permission.", "Nikkei Inc."),
        ("無断転載・複製を禁じます", ""),
        (
            "Copyright © 2025 Sandler, Travis & Rosenberg, P.A.; WorldTrade Interactive, Inc. "
            "All rights reserved.",
            "Sandler, Travis & Rosenberg, P.A.",  # of several holders, the first
        ),
    ],
)
def test_a_copyright_line_names_its_holder(line: str, holder: str) -> None:
    assert cr.copyright_holder(line) == holder


def test_an_agency_is_a_wire_wherever_it_stands(ref: Reference) -> None:
    made = cr.credit("Thomson/Reuters", cr.OUTLET, "copyright", 3, ref)
    assert made is not None and made.role == cr.WIRE and made.source is not None
    assert made.source.slug == "reuters"
    unknown = cr.credit("WireAction, Inc.", cr.OUTLET, "copyright", 3, ref)
    assert unknown is not None and unknown.role == cr.OUTLET and unknown.source is None


@pytest.mark.parametrize(
    ("title", "want"),
    [
        (
            "G7後に日米3回目交渉、関税下げ求め赤沢亮正氏訪米 輸入増カード用意 - 日本経済新聞",
            ("G7後に日米3回目交渉、関税下げ求め赤沢亮正氏訪米 輸入増カード用意", "日本経済新聞"),
        ),
        (
            "Japan and US hold talks ahead of tariff deadline | EconoTimes",
            ("Japan and US hold talks ahead of tariff deadline", "EconoTimes"),
        ),
        (
            "Japan eyes more talks on tariffs - The Japan Times",
            ("Japan eyes more talks on tariffs", "The Japan Times"),
        ),
        # A dash in the headline itself is no site suffix.
        ("Japan, US agree on tariffs - sources", ("Japan, US agree on tariffs - sources", "")),
        (
            "Trump - Ishiba talks end without a deal",
            ("Trump - Ishiba talks end without a deal", ""),
        ),
    ],
)
def test_a_site_suffix_is_split_off_the_title(
    ref: Reference, title: str, want: tuple[str, str]
) -> None:
    assert cr.split_site_suffix(title, ref) == want


def test_a_known_wire_in_a_dateline_fills_the_wire(ref: Reference) -> None:
    draft = extract(
        page(
            (C.HEADLINE, "Japan and U.S. agree to cut tariffs on cars", {"role": "headline"}),
            (C.REPORTING, "TOKYO (Reuters) - " + BODY, {"wire": "Reuters"}),
        ),
        ref,
    )
    assert draft.wire is not None and draft.wire.slug == "reuters"
    assert draft.wire_name == "Reuters"
    assert draft.outlet is None and draft.outlet_name == "" and "outlet" in draft.needs_review


def test_a_stated_but_unknown_outlet_is_kept_as_a_name_and_flagged(ref: Reference) -> None:
    draft = extract(
        page(
            (C.HEADLINE, "Japan and US hold talks ahead of tariff deadline | EconoTimes", {}),
            (C.REPORTING, BODY, {}),
            (C.COPYRIGHT, "© 2025 EconoTimes. All rights reserved.", {}),
        ),
        ref,
    )
    assert draft.headline == "Japan and US hold talks ahead of tariff deadline"
    assert draft.outlet is None and draft.outlet_name == "EconoTimes"
    assert "outlet" in draft.needs_review
    assert any("outlet: page names 'EconoTimes', not among the sources" in n for n in draft.notes)
    assert draft.report()["outlet_name"] == "EconoTimes" and draft.report()["outlet"] is None


def test_a_known_outlet_and_an_unknown_wire(ref: Reference) -> None:
    draft = extract(
        page(
            (C.METADATA, " date 2025-07-19  Japan Today", {"kind": "date"}),
            (C.HEADLINE, "Japan and U.S. agree to cut tariffs on cars", {"role": "headline"}),
            (C.REPORTING, "(Bloomberg) -- " + BODY, {}),
        ),
        ref,
    )
    assert draft.outlet is not None and draft.outlet.slug == "japan-today"
    assert draft.outlet_name == "Japan Today" and "outlet" not in draft.needs_review
    assert draft.wire is None and draft.wire_name == "Bloomberg"
    assert any("wire: page names 'Bloomberg'" in n for n in draft.notes)


def test_japanese_credits_fill_the_wire(ref: Reference) -> None:
    draft = extract(
        page(
            (
                C.HEADLINE,
                "日米関税交渉、自動車関税15%で合意 赤沢氏「国益守った」",
                {"role": "headline"},
            ),
            (C.REPORTING, "【ワシントン共同】トランプ米大統領は4日、大統領令に署名した。", {}),
            (C.REPORTING, "自動車関税を15％に引き下げる。官報に掲載後、7日以内に適用する。", {}),
        ),
        ref,
    )
    assert draft.wire is not None and draft.wire.slug == "kyodo" and draft.wire_name == "共同"


def test_a_photo_copyright_is_no_wire(ref: Reference) -> None:
    draft = extract(
        page(
            (C.HEADLINE, "Tokyo's laser focus on Lutnick pays off in US tariff talks", {}),
            (
                C.CAPTION,
                "Howard Lutnick was the official Akazawa engaged with the most.  © Reuters",
                {"caption": "Howard Lutnick was the official", "credit": "© Reuters"},
            ),
            (C.REPORTING, BODY, {}),
        ),
        ref,
    )
    assert draft.wire is None and draft.wire_name == ""
