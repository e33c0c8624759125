"""Rounds as reporting names them: by an ordinal in English or Japanese, or by a meeting's date.

A round is suggested only when the reporting names it or reports a meeting of it (a date, the
round's place and one who met in it); an ordinal that counts something else, a dateline's date,
or a date the page cannot settle suggests none. The examples are made up; the reference is the
fixtures' (rounds 3: 23 May, 4: 30 May, 5: 5-6 June, 6: 13-14 June 2025, all in Washington).
"""

from __future__ import annotations

import datetime

import pytest

from articles.importer.reference import Reference
from articles.importer.suggest import suggest

D = datetime.date


def rounds(text: str, ref: Reference, day: datetime.date | None = None) -> set[str]:
    return {s.target for s in suggest(text, headline="", day=day, ref=ref).of("round")}


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("赤沢氏は5度目の閣僚協議に臨んだ。", "5"),
        ("第3回の日米協議はワシントンで開かれ、赤沢氏が出席した。", "3"),
        ("赤沢氏との三回目の閣僚交渉が終わった。", "3"),
        # The one named may stand in the sentence before.
        ("赤沢氏が訪米した。初回の閣僚交渉では双方が立場を説明した。", "1"),
    ],
)
def test_japanese_ordinals_of_the_talks(ref: Reference, sentence: str, number: str) -> None:
    assert rounds(sentence, ref) == {number}


def test_japanese_ordinals_need_the_talks_and_their_people(ref: Reference) -> None:
    # A fourth leaders' call, talks of nobody named: no round.
    assert rounds("石破首相とトランプ大統領の電話会談は4度目となった。", ref) == set()
    assert rounds("第2回の協議は来月に開かれる。", ref) == set()
    assert rounds("ベッセント氏は第2回の協議に臨んだ。", ref) == set()


def test_an_ordinal_that_counts_something_else_is_no_round(ref: Reference) -> None:
    text = (
        "The minister flew out for the sixth round of talks. It is his third trip in as many "
        "weeks, and the first such visit since the levies began."
    )
    assert rounds(text, ref) == {"6"}
    assert rounds("He arrived for his ninth trip since April.", ref) == {"9"}
    assert rounds("初回の会見で首相は質問に答えた。", ref) == set()


@pytest.mark.parametrize(
    "text",
    [
        # A dateline dates the dispatch, not a meeting.
        "Washington, May 23, 2025 - The president met lawmakers at the White House.",
        # No meeting, visit or talks in the sentence that gives the date.
        "Akazawa was in Washington on May 23, 2025 as the markets rose.",
        # No place of a round.
        "Akazawa held talks in Tokyo on May 23, 2025.",
        # Nobody who met in the round.
        "Lawmakers met at the White House on May 30, 2025.",
        # The host's officials meet many delegations: only the negotiator dates a round.
        "Lutnick held talks with a European delegation in Washington on May 30, 2025.",
        # A date that is no round's.
        "Akazawa visited Washington on May 10, 2025 for talks.",
        # A round postponed (the 10th, planned for 28 August) held no meeting on its date.
        "Akazawa plans talks with Lutnick in Washington on August 28, 2025.",
    ],
)
def test_dates_that_report_no_round(ref: Reference, text: str) -> None:
    """A date, a place and a meeting word do not make a round: only the reporting's naming
    of one (an ordinal) does."""
    assert rounds(text, ref) == set()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Akazawa said he had no plans to visit Washington this week.", D(2025, 6, 2)),
        ("Akazawa called off a trip to Washington planned for June 5.", D(2025, 6, 1)),
        (
            "Unlike Akazawa, South Korean trade minister Ahn Duk-geun held talks with Lutnick "
            "in Washington on July 24.",
            D(2025, 7, 25),
        ),
        ("赤沢氏はワシントンで5日連続の協議に臨んだ。", D(2025, 6, 8)),
    ],
)
def test_a_date_near_the_negotiator_and_the_place_is_no_round(
    ref: Reference, text: str, day: datetime.date
) -> None:
    """Reporting that names a date, the negotiator and the place without reporting a round's
    meeting (plans, a cancelled trip, someone else's talks, a count of days)."""
    assert rounds(text, ref, day) == set()
