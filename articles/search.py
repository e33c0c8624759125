"""Full-text search of articles in any script, on PostgreSQL and on SQLite.

One query syntax everywhere (web search, simply): words, "quoted phrases", -excluded, a OR b.
Each term is split by script, and the script decides how that part is matched:

- Latin (and other space-separated) text goes through PostgreSQL's English configuration, as
  it always has: stemmed words, phrases as adjacent words.
- Han, kana and Hangul runs (Japanese, Chinese and Korean write no spaces) match as overlapping
  character bigrams: `関税` is the bigram 関税, `自動車関税` is 自動 <-> 動車 <-> 車関 <-> 関税 (a
  phrase, so it matches only that exact run), a single character is a prefix of a bigram.

On PostgreSQL the article's stored search vector holds both (see the migration
0006_search_cjk_bigrams): an article whose language is Japanese, Chinese or Korean has its text
split at script boundaries (so "Lutnick長官" indexes `lutnick` as well as 長官), the Latin
part indexed with the English configuration and each CJK run as bigrams; every other article is
indexed exactly as before. One GIN index, one ranking function (ts_rank_cd) for both scripts.

On SQLite an FTS5 table with the trigram tokenizer (kept by triggers, see the same migration)
matches every term of three or more characters as a substring, script-blind, ranked by bm25
with the same column weights; shorter terms (関税, 赤沢, "US") match by substring. Where the
SQLite library has no trigram tokenizer the search falls back to substrings alone and a system
check says so.

Ranking by relevance orders a bounded candidate set: the newest SEARCH_CANDIDATES matches (after
every other filter), so a common word never ranks the whole table. On PostgreSQL a query of
several words finds them by walking the newest articles first (PostgreSQL's estimate for such
a query is unreliable, see _walk_first), and the GIN index looks up a positionless key (see
PgQuery) while the exact query, phrases and exclusions included, filters the rows it yields.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from articles.models import Article

# Characters written without spaces between words: CJK punctuation-free ideographs, kana,
# Hangul. Frozen (as a copy) in migration 0006, whose trigger must agree with it; a test
# checks that they do.
CJK_CLASS = (
    "\u3005-\u3007"  # 々, 〆 and the ideographic zero
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana, including ー and ・
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_SCRIPT_RUNS = re.compile(f"([{CJK_CLASS}]+)|([^{CJK_CLASS}]+)")

# Languages whose articles are indexed with bigrams (the trigger's list; a test checks it).
CJK_LANGUAGES = ("ja", "zh", "ko")

# Relevance ranks at most this many matches: the newest ones, after every other filter.
SEARCH_CANDIDATES = 200

# ts_rank_cd normalisation: divide by 1 + log(document length), so a long article's many
# mentions do not bury a short one that is about the term.
RANK_NORMALISATION = 1

# Column weights for SQLite's bm25 and its substring score: headline, dek, body (A, B, C).
WEIGHTS = (("headline", 4.0), ("dek", 2.0), ("body", 1.0))

FTS_TABLE = "articles_article_fts"
TRIGRAM_MIN = 3  # the trigram index cannot answer a shorter term

# A CJK run is looked up in PostgreSQL's index by one of every KEY_STRIDE of its bigrams (see
# cjk_key): a word (up to five characters) by one bigram, a long phrase by several.
KEY_STRIDE = 4

# A query of several words walks this many times the candidates' number of the newest
# articles before it asks the index for every match (see _walk_first).
WALK_FACTOR = 20

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def search_terms(q: str) -> list[tuple[list[str], bool]]:
    """Web-search syntax, simply: "quoted phrases", -excluded, a OR b (any case, as
    PostgreSQL's websearch_to_tsquery reads it). Groups are ANDed."""
    groups: list[tuple[list[str], bool]] = []
    join_next = False
    for negated, phrase, word in _TOKEN.findall(q):
        if word.upper() == "OR":
            join_next = bool(groups) and not groups[-1][1]
            continue
        if word:
            negated, text = ("-", word[1:]) if word.startswith("-") else ("", word)
        else:
            text = phrase
        text = text.strip()
        if not text:
            continue
        if join_next and not negated:
            groups[-1][0].append(text)
        else:
            groups.append(([text], bool(negated)))
        join_next = False
    return groups


@dataclass(frozen=True)
class Segment:
    text: str
    cjk: bool


def segments(text: str) -> list[Segment]:
    """`text` cut where the script changes: "Lutnick長官" is Lutnick | 長官."""
    parts = [Segment(cjk or other, bool(cjk)) for cjk, other in _SCRIPT_RUNS.findall(text)]
    return [part for part in parts if part.text.strip()]


def bigrams(run: str) -> list[str]:
    """The bigrams a CJK run is indexed as, in order; a lone character stays itself."""
    return [run[i : i + 2] for i in range(max(len(run) - 1, 1))]


# PostgreSQL ------------------------------------------------------------------------------


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def cjk_tsquery(run: str) -> str:
    """tsquery text for a CJK run: its bigrams as a phrase, or one character as a prefix."""
    if len(run) == 1:
        return _quote_lexeme(run) + ":*"
    return " <-> ".join(_quote_lexeme(gram) for gram in bigrams(run))


def cjk_key(run: str) -> str:
    """tsquery text every article holding the CJK `run` matches, for the planner and the
    index: one bigram in every KEY_STRIDE (all of a word's bigrams occur together, so ANDing
    them would make PostgreSQL think the word rare), as a plain AND without positions."""
    if len(run) == 1:
        return cjk_tsquery(run)
    return " & ".join(_quote_lexeme(gram) for gram in bigrams(run)[::KEY_STRIDE])


def _literal(value: str) -> str:
    """`value` as an SQL string literal, quoted by psycopg (E'...' whatever the server's
    standard_conforming_strings), with % doubled for the DB-API placeholder syntax."""
    from psycopg import sql

    return sql.Literal(value).as_string(None).replace("%", "%%")


def _pg_term(text: str, phrase: bool, key: bool) -> str:
    """SQL for one term's tsquery: each script segment parsed its own way, ANDed. With
    `key`, the positionless superset the index looks up (cjk_key; a Latin phrase's words)."""
    parts = []
    for segment in segments(unicodedata.normalize("NFKC", text)):
        if segment.cjk:
            lexemes = cjk_key(segment.text) if key else cjk_tsquery(segment.text)
            parts.append(f"{_literal(lexemes)}::tsquery")
        else:
            parser = "phraseto_tsquery" if phrase and not key else "plainto_tsquery"
            parts.append(f"{parser}('pg_catalog.english'::regconfig, {_literal(segment.text)})")
    return "(" + " && ".join(parts) + ")" if parts else ""


@dataclass(frozen=True)
class PgQuery:
    """A query's tsquery SQL twice: `exact`, what a match is, and `key`, a query every exact
    match also matches (or None), which the GIN index answers without rechecking positions
    and whose selectivity PostgreSQL estimates well: phrases loosened to their words, a CJK
    run to one bigram in KEY_STRIDE, exclusions left out."""

    exact: str
    key: str | None
    one_word: bool  # a single word (or bigram): PostgreSQL's own estimate is good


@functools.lru_cache(maxsize=512)
def pg_query(q: str) -> PgQuery | None:
    """The query as tsquery SQL, or None when there is nothing to search for.

    The terms are quoted literals, not bound parameters: the planner must see the query to
    estimate how many articles match. With a parameter, a prepared statement (settings
    prepare repeated queries) soon runs a generic plan that assumes any query matches 0.5%
    of the table and, for a common word, walks every match instead of the newest few: 10x
    slower on 100k articles (benchmarks/search.py).
    """
    exact, key = [], []
    groups = search_terms(q)
    for alternatives, negated in groups:
        terms = [(text, " " in text.strip()) for text in alternatives]
        ored = [sql for text, phrase in terms if (sql := _pg_term(text, phrase, False))]
        if not ored:
            continue
        group = "(" + " || ".join(ored) + ")"
        exact.append(f"!!{group}" if negated else group)
        if not negated:
            key.append("(" + " || ".join(_pg_term(t, p, True) for t, p in terms) + ")")
    if not exact:
        return None  # only syntax ("OR", "-"): nothing matches, as websearch answers
    one_word = len(groups) == 1 and len(groups[0][0]) == 1 and not groups[0][1]
    if one_word:
        parts = segments(unicodedata.normalize("NFKC", groups[0][0][0]))
        one_word = len(parts) == 1 and (
            len(parts[0].text) <= 2 if parts[0].cjk else len(parts[0].text.split()) == 1
        )
    return PgQuery(" && ".join(exact), " && ".join(key) if key else None, one_word)


def _tsquery_sql(sql: str) -> RawSQL:
    # Only fixed SQL fragments and literals quoted by psycopg (see pg_query).
    return RawSQL(sql, [], output_field=SearchQueryField())  # noqa: S611


def pg_tsquery(q: str) -> RawSQL | None:
    """The query as one tsquery expression (see pg_query), or None."""
    query = pg_query(q)
    return None if query is None else _tsquery_sql(query.exact)


class Matches(Func):
    """`vector @@ query`: the GIN index answers it."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class MatchesEach(Func):
    """`vector @@ query` as a function call, which no index answers: a filter on the rows
    already chosen, never a reason to scan the index for every match."""

    function = "ts_match_vq"
    output_field = BooleanField()


def _pg_search(queryset: QuerySet[Article], q: str, bounded: bool) -> tuple[QuerySet[Article], Any]:
    query = pg_query(q)
    if query is None:
        return queryset.none(), Value(0.0)
    vector, exact = F("search_vector"), _tsquery_sql(query.exact)
    matched = queryset
    if query.key == query.exact:
        matched = matched.filter(Matches(vector, exact))
    else:
        # The index looks up the key; the exact query filters the rows it yields. Asked
        # directly, PostgreSQL multiplies the frequencies of a Japanese word's bigrams (which
        # always occur together), takes the word for rare and rechecks the positions of
        # every article holding it, 10k of them in benchmarks/search.py (100 ms), instead of
        # walking the newest articles until it has the candidates.
        if query.key is not None:
            matched = matched.filter(Matches(vector, _tsquery_sql(query.key)))
        matched = matched.filter(MatchesEach(vector, exact))
    if bounded:
        if query.one_word:
            matched = _newest(queryset, matched)
        else:
            matched = _walk_first(queryset, matched, query.exact)
    rank = SearchRank(vector, exact, cover_density=True, normalization=Value(RANK_NORMALISATION))
    return matched, Cast(rank, FloatField())


def _walk_first(
    queryset: QuerySet[Article], matched: QuerySet[Article], exact: str
) -> QuerySet[Article]:
    """The rows of `queryset` among the newest search_candidates() of `matched` (the same
    rows as _newest), found by walking the newest WALK_FACTOR x candidates of `queryset`
    first, newest first, stopping at the candidates' number; only when that window holds
    fewer than that does the index look up every match.

    PostgreSQL estimates a query of several words as the product of their frequencies.
    Words that occur together (a Japanese word's bigrams, a name and its title, any two
    terms of the one language in five) make that far too rare: it then fetches and
    rechecks every match (10k rows, 100 ms for `自動車関税 15%` in benchmarks/search.py)
    instead of walking the newest few thousand articles. The walk bounds the cost of a
    common query by the window whatever the estimate; a rare one pays the window first.
    """
    n = search_candidates()
    newest = ("-published_at", "-id")
    window = queryset.order_by(*newest).values("id", "published_at", "search_vector")
    window = window[: WALK_FACTOR * n]
    found = matched.order_by(*newest).values("id")[:n]
    window_sql, window_params = window.query.get_compiler(queryset.db).as_sql()
    found_sql, found_params = found.query.get_compiler(queryset.db).as_sql()
    # The ORM's own compiled SQL, tsquery literals quoted by psycopg, and integers.
    sql = (
        f"WITH walk AS MATERIALIZED (SELECT recent.id FROM ({window_sql}) AS recent "  # noqa: S608
        f"WHERE ts_match_vq(recent.search_vector, {exact}) "
        f"ORDER BY recent.published_at DESC, recent.id DESC LIMIT {n}) "
        f"SELECT walk.id FROM walk UNION ALL SELECT found.id FROM ({found_sql}) AS found "
        f"WHERE (SELECT count(*) FROM walk) < {n}"
    )
    return queryset.filter(pk__in=RawSQL(sql, (*window_params, *found_params)))  # noqa: S611


# SQLite ----------------------------------------------------------------------------------


@functools.cache
def sqlite_has_trigram() -> bool:
    """Whether this process's SQLite library has FTS5 with the trigram tokenizer (3.34+)."""
    try:
        probe = sqlite3.connect(":memory:")
        try:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        finally:
            probe.close()
    except sqlite3.Error:
        return False
    return True


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_match(text: str) -> RawSQL:
    """Rows of the FTS index containing `text` (three characters or more)."""
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return RawSQL(sql, [_fts_phrase(text)])  # noqa: S611 (the text is a bound parameter)


def _substring(text: str) -> Q:
    return Q(headline__icontains=text) | Q(dek__icontains=text) | Q(body__icontains=text)


def _sqlite_search(
    queryset: QuerySet[Article], q: str, bounded: bool
) -> tuple[QuerySet[Article], Any]:
    groups = search_terms(q)
    if not groups:  # only syntax ("OR", "-"): nothing matches, as on PostgreSQL
        return queryset.none(), Value(0.0)
    indexed, original = sqlite_has_trigram(), queryset

    def long(text: str) -> bool:
        return indexed and len(text) >= TRIGRAM_MIN

    ranked: list[str] = []  # FTS5 query of every positive indexed group, for bm25
    scores: list[Any] = [Value(0.0)]
    for alternatives, negated in groups:
        match = Q()
        for text in alternatives:
            match |= Q(pk__in=_fts_match(text)) if long(text) else _substring(text)
        if negated:
            queryset = queryset.exclude(match)
            continue
        queryset = queryset.filter(match)
        if all(long(text) for text in alternatives):
            ranked.append("(" + " OR ".join(_fts_phrase(text) for text in alternatives) + ")")
            continue
        for text in alternatives:  # a substring score (like weights A, B, C)
            for field, weight in WEIGHTS:
                found = When(**{f"{field}__icontains": text}, then=Value(weight))
                scores.append(Case(found, default=Value(0.0)))
    if ranked:
        weights = ", ".join(str(weight) for _, weight in WEIGHTS)
        bm25 = RawSQL(  # noqa: S611 (constants and a bound parameter)
            f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f'WHERE {FTS_TABLE} MATCH %s AND rowid = "articles_article"."id"',
            [" AND ".join(ranked)],
            output_field=FloatField(),
        )
        scores.append(Coalesce(bm25, Value(0.0)))
    matched = _newest(original, queryset) if bounded else queryset
    return matched, Cast(balanced_sum(scores), FloatField())


def balanced_sum(terms: list[Any]) -> Any:
    """a + b + c + ... as a balanced tree: a left-leaning chain of a hundred terms is deep
    enough to exhaust Python's recursion limit when Django compiles it."""
    while len(terms) > 1:
        pairs = [a + b for a, b in zip(terms[::2], terms[1::2], strict=False)]
        terms = pairs + terms[len(pairs) * 2 :]
    return terms[0]


# Both ------------------------------------------------------------------------------------


def search_candidates() -> int:
    return int(getattr(settings, "NEWSROOM_SEARCH_CANDIDATES", SEARCH_CANDIDATES))


def _newest(queryset: QuerySet[Article], candidates: QuerySet[Article]) -> QuerySet[Article]:
    """The rows of `queryset` among the newest search_candidates() of `candidates`."""
    newest = candidates.order_by("-published_at", "-id").values("pk")[: search_candidates()]
    return queryset.filter(pk__in=newest)


def search_articles(
    queryset: QuerySet[Article], q: str, *, bounded: bool = True
) -> QuerySet[Article]:
    """Articles of `queryset` matching `q`, annotated with `rank` (higher is better).

    `queryset` should carry every other filter already: with `bounded` (ordering by
    relevance) only its newest search_candidates() matches are ranked and returned.
    Comments are never searched.
    """
    search = _pg_search if connection.vendor == "postgresql" else _sqlite_search
    matched, rank = search(queryset, q, bounded)
    return matched.annotate(rank=rank)
