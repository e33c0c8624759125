"""What the importer builds once and reuses (compiled source patterns, the officials' fuzzy
spellings, a line's tokens) follows the reference it is given: a changed source or official is
matched as it now is, never as it was when first seen."""

from __future__ import annotations

import re

from articles.importer.body import tokens
from articles.importer.officials import officials_in
from articles.importer.reference import RE_ASCII_FOLDS, OfficialRef, Reference, SourceRef


def _outlet(*names: str, domain: str = "") -> SourceRef:
    return SourceRef(1, "daily", names[0], "outlet", names, domain)


def test_a_renamed_source_is_matched_by_its_new_name_only() -> None:
    text = "Reported by the Morning Ledger and the Evening Post."
    before = Reference(sources=[_outlet("Morning Ledger")])
    assert [s.name for s, _ in before.sources_in(text)] == ["Morning Ledger"]
    after = Reference(sources=[_outlet("Evening Post")])
    assert [s.name for s, _ in after.sources_in(text)] == ["Evening Post"]
    assert before.sources_in("only the Evening Post") == []


def test_a_source_given_a_domain_is_found_by_it() -> None:
    text = "Read more at ledger.example.com today"
    assert Reference(sources=[_outlet("Ledger Daily")]).sources_in(text) == []
    with_domain = _outlet("Ledger Daily", domain="ledger.example.com")
    assert Reference(sources=[with_domain]).sources_in(text) == [(with_domain, True)]


def test_source_names_match_ignoring_case_as_re_does_beyond_ascii() -> None:
    source = _outlet("Kyodo Press")
    # "K" below is the Kelvin sign, which re's case-insensitive matching takes for a "k".
    assert Reference(sources=[source]).sources_in("says \u212ayodo press’s desk") == [
        (source, False)
    ]


def test_the_ascii_folds_are_all_that_re_folds_onto_ascii_letters() -> None:
    letters = re.compile("[a-z]", re.IGNORECASE)
    beyond = {
        code
        for code in range(0x80, 0x110000)
        if letters.fullmatch(chr(code)) and not chr(code).isascii()
    }
    assert beyond == set(RE_ASCII_FOLDS)
    for code, plain in RE_ASCII_FOLDS.items():
        assert re.fullmatch(plain, chr(code), re.IGNORECASE)


def test_an_official_given_a_new_spelling_is_found_by_it() -> None:
    sentences = ["Akazawa met Bessent in Washington."]
    old = OfficialRef(7, "akazawa", "Ryosei Akazawa", ("Ryosei Akazawa",))
    new = OfficialRef(7, "akazawa", "Ryosei Akazawa", ("Ryosei Akazawa", "Akazawa"))
    people, _ = officials_in(sentences, [old])
    assert people == [set()]
    people, matches = officials_in(sentences, [new])
    assert people == [{7}]
    assert matches[0][2] == "name 'Akazawa'"
    # A close spelling follows the spellings given too.
    people, matches = officials_in(["Akazawah met Bessent."], [new])
    assert matches[0][2] == "close spelling 'Akazawah'"
    assert officials_in(["Akazawah met Bessent."], [old])[0] == [set()]


def test_tokens_are_the_same_each_time_and_cannot_be_changed() -> None:
    first = tokens("The ministers' talks ended with tariffs lowered")
    assert first == tokens("The ministers' talks ended with tariffs lowered")
    assert isinstance(first, frozenset)
