"""Officials named in an article's sentences: exact spellings and aliases first, then a fuzzy
match for spellings the reference does not hold yet ("Lutnik", "Besent").

The fuzzy match is kept from ordinary words and from other people: it compares only with
one-word spellings of six letters or more (a five-letter name one letter off is as often
another word: "Trumpf", "Greers"), never with a word the text also uses in lower case, and
never with a family name that follows someone else's given name ("Takashi Aizawa" is not
Akazawa; "Secretary Lutnik" and "Howard Lutnik" are Lutnick).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from articles.importer import vocabulary as v
from articles.importer.reference import OfficialRef

CAPITALISED = re.compile(r"\b[A-Z][a-z]{4,}\b")
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
    return re.compile(r"(?<![\w-])" + re.escape(spelling) + r"(?![\w-])")


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
    known_words = {w.casefold() for o in officials for s in o.spellings for w in s.split()}
    lower_words = set(re.findall(r"\b[a-z]+\b", " ".join(found)))
    for index, sentence in enumerate(found):
        for official in officials:
            for spelling, pattern in zip(spellings[official.id], exact[official.id], strict=True):
                if pattern.search(sentence):
                    people[index].add(official.id)
                    matches.append((official, sentence, f"name '{spelling}'"))
                    break
        for token_match in CAPITALISED.finditer(sentence):
            token = token_match.group(0)
            # A word the text also uses in lower case is an ordinary word, not a name.
            if token.casefold() in known_words or token.casefold() in lower_words:
                continue
            match = _fuzzy(token, officials)
            if match and not _someone_else(sentence[: token_match.start()], match):
                people[index].add(match.id)
                matches.append((match, sentence, f"close spelling '{token}'"))
    return people, matches


def _fuzzy(token: str, officials: list[OfficialRef]) -> OfficialRef | None:
    """An official whose one-word spelling is within a letter or so of `token`."""
    best: tuple[float, OfficialRef] | None = None
    for official in officials:
        for spelling in official.spellings:
            if " " in spelling or len(spelling) < MIN_FUZZY_LENGTH:
                continue
            if abs(len(spelling) - len(token)) > 1:
                continue
            score = fuzz.ratio(token.casefold(), spelling.casefold())
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
