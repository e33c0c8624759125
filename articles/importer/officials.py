"""Officials named in an article's sentences: exact spellings and aliases first, then a fuzzy
match for spellings the reference does not hold yet ("Lutnik", "Besent").

The fuzzy match is kept from ordinary words and from other people: it compares only with
one-word spellings of six letters or more (a five-letter name one letter off is as often
another word: "Trumpf", "Greers"), never with a word the text also uses in lower case, and
never with a family name that follows someone else's given name ("Takashi Aizawa" is not
Akazawa; "Secretary Lutnik" and "Howard Lutnik" are Lutnick).

A Latin spelling stands between word boundaries, where a letter of a script written without
spaces counts as a boundary ("Lutnick長官" is Lutnick). A spelling in kanji, kana or Hangul
has no boundaries to rely on ("赤沢経済再生相は", "트럼프는"), so it is kept from other names
by what touches it in its own script: a katakana name never runs into more katakana
("グリア" is not in "ハングリアン") nor joins someone else's given name with a middle dot
("メラニア・トランプ"); a kanji family name may be followed by a title ("石破首相", "赤沢氏")
or by the rest of its own name ("石破茂"), not by other kanji that may be a given name
("赤沢健一"), and is not the tail of a longer name ("小林芳正"); a Hangul name may carry a
particle or a title ("트럼프는", "이시바 총리") but runs into no other syllable ("이시바시"). The
titles and particles are data in `vocabulary`.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from articles.importer import vocabulary as v
from articles.importer.reference import OfficialRef

# Scripts written without spaces between words.
KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # not the dot "・"
HIRAGANA = "\u3041-\u309f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
SCRIPTS = {
    name: re.compile(f"[{chars}]")
    for name, chars in (
        ("kanji", KANJI),
        ("katakana", KATAKANA),
        ("hiragana", HIRAGANA),
        ("hangul", HANGUL),
    )
}
UNSPACED = re.compile(f"[{KANJI}{KATAKANA}{HIRAGANA}{HANGUL}]")
# A letter or digit of a spaced script: what a Latin name must not run into.
_LATIN_WORD = f"[^\\W{KANJI}{KATAKANA}{HIRAGANA}{HANGUL}]"
# What joins a given name to a family name in Japanese: a middle dot or an equals sign.
NAME_JOINERS = "・=＝"
CAPITALISED = re.compile(f"(?<!{_LATIN_WORD})[A-Z][a-z]{{4,}}(?!{_LATIN_WORD})")
MIN_FUZZY_LENGTH = 6
# Words that stand before an official's name without being someone's given name.
TITLE_WORDS = frozenset(
    """secretary minister president representative ambassador commissioner chancellor premier
    governor senator mr mrs ms dr sen rep gov prof chief negotiator envoy director chairman chair
    speaker leader treasury commerce trade state defense defence finance foreign economy economic
    prime vice deputy cabinet u.s us japanese japan american official officials negotiators
    revitalization revitalisation minister's secretary's""".split()  # noqa: SIM905
)
Match = tuple[OfficialRef, str, str]  # official, sentence, how it was found


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    """Where `spelling` occurs: between word boundaries for a Latin name, anywhere for a name
    in a script without spaces (`_stands_alone` then judges what touches it)."""
    if UNSPACED.search(spelling):
        return re.compile(re.escape(spelling))
    return re.compile(f"(?<!{_LATIN_WORD}|-)" + re.escape(spelling) + f"(?!{_LATIN_WORD}|-)")


def _script(ch: str) -> str | None:
    return next((name for name, chars in SCRIPTS.items() if chars.match(ch)), None)


def _found(
    pattern: re.Pattern[str], sentence: str, official: OfficialRef, name_words: frozenset[str]
) -> bool:
    """Does the spelling occur in `sentence` as this official's name, not inside another?"""
    for match in pattern.finditer(sentence):
        if not UNSPACED.search(match.group(0)) or _stands_alone(
            sentence, match.start(), match.end(), official, name_words
        ):
            return True
    return False


def _stands_alone(
    sentence: str, start: int, end: int, official: OfficialRef, name_words: frozenset[str]
) -> bool:
    """Is the unspaced name at sentence[start:end] no part of a longer, different name?"""
    before, after = sentence[:start], sentence[end:]
    # The rest of the official's own name may follow: "石破" in "石破茂".
    own_name = any(
        len(spelling) > end - start and sentence.startswith(spelling, start)
        for spelling in official.spellings
    )
    first, last = _script(sentence[start]), _script(sentence[end - 1])
    if (
        before
        and _script(before[-1]) == first
        and not (first == "kanji" and before.endswith(v.JA_BEFORE_NAME))
    ):
        return False
    if (
        not own_name
        and after
        and _script(after[0]) == last
        and not (
            (last == "kanji" and after.startswith(v.JA_AFTER_NAME))
            or (last == "hangul" and after.startswith(v.KO_AFTER_NAME))
        )
    ):
        return False
    if first == "katakana" and before[-1:] in NAME_JOINERS:
        given = re.search(f"[{KATAKANA}]+$", before[:-1])
        if given and given.group(0) not in name_words:
            return False  # someone else's given name: "メラニア・トランプ"
    if last == "katakana" and after[:1] in NAME_JOINERS:
        other = re.match(f"[{KATAKANA}]+", after[1:])
        if other and other.group(0) not in name_words:
            return False  # a longer name: "トランプ・ジュニア"
    return True


def officials_in(
    found: list[str], officials: list[OfficialRef]
) -> tuple[list[set[int]], list[Match]]:
    """The officials of each sentence, and every (official, sentence, via) found, in order."""
    people: list[set[int]] = [set() for _ in found]
    matches: list[Match] = []
    spellings = {
        official.id: sorted(official.spellings, key=len, reverse=True) for official in officials
    }
    exact = {
        official.id: [_spelling_pattern(s) for s in spellings[official.id]]
        for official in officials
    }
    name_words = frozenset(
        word
        for o in officials
        for s in o.spellings
        if UNSPACED.search(s)
        for word in re.split(f"[\\s{NAME_JOINERS}]+", s)
    )
    known_words = {w.casefold() for o in officials for s in o.spellings for w in s.split()}
    lower_words = set(re.findall(r"\b[a-z]+\b", " ".join(found)))
    candidates = _fuzzy_candidates(tuple(officials))
    fuzzy: dict[str, OfficialRef | None] = {}
    for index, sentence in enumerate(found):
        for official in officials:
            for spelling, pattern in zip(spellings[official.id], exact[official.id], strict=True):
                # The spelling's patterns match it literally: no match without the plain text.
                if spelling in sentence and _found(pattern, sentence, official, name_words):
                    people[index].add(official.id)
                    matches.append((official, sentence, f"name '{spelling}'"))
                    break
        for token_match in CAPITALISED.finditer(sentence):
            token = token_match.group(0)
            # A word the text also uses in lower case is an ordinary word, not a name.
            if token.casefold() in known_words or token.casefold() in lower_words:
                continue
            if token not in fuzzy:
                fuzzy[token] = _closest(token, candidates)
            match = fuzzy[token]
            if match and not _someone_else(sentence[: token_match.start()], match):
                people[index].add(match.id)
                matches.append((match, sentence, f"close spelling '{token}'"))
    return people, matches


def _fuzzy(token: str, officials: list[OfficialRef]) -> OfficialRef | None:
    """An official whose one-word spelling is within a letter or so of `token`."""
    return _closest(token, _fuzzy_candidates(tuple(officials)))


@functools.lru_cache(maxsize=16)
def _fuzzy_candidates(officials: tuple[OfficialRef, ...]) -> list[tuple[str, int, OfficialRef]]:
    """The one-word Latin spellings `_fuzzy` compares with (casefolded), in the officials'
    order; built once per set of officials (keyed on their frozen refs, so never stale)."""
    return [
        (spelling.casefold(), len(spelling), official)
        for official in officials
        for spelling in official.spellings
        if not (" " in spelling or len(spelling) < MIN_FUZZY_LENGTH or UNSPACED.search(spelling))
    ]


def _closest(token: str, candidates: list[tuple[str, int, OfficialRef]]) -> OfficialRef | None:
    best: tuple[float, OfficialRef] | None = None
    folded = token.casefold()
    for spelling, length, official in candidates:
        if abs(length - len(token)) > 1:
            continue
        score = fuzz.ratio(folded, spelling)
        if score >= 85 and (best is None or score > best[0]):
            best = (score, official)
    return best[1] if best else None


def _someone_else(before: str, official: OfficialRef) -> bool:
    """Is the word just before the token another person's given name ("Takashi Aizawa")?"""
    previous = re.search(r"(?:^|\s)([A-Z][\w'’.-]*)\s+$", before)
    if previous is None:
        return False
    word = previous.group(1).casefold()
    own = {w.casefold() for spelling in official.spellings for w in spelling.split()}
    return word not in TITLE_WORDS and word not in v.STOPWORDS and word not in own
