"""Search in Japanese and mixed scripts, on SQLite (always) and PostgreSQL (with the marker).

The same corpus and the same expectations run on both backends: each query finds exactly the
articles that contain it. English articles are indexed as they always were.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.core import checks
from django.db import connection
from django.test import Client

from articles import search as search_module
from articles.checks import missing_search_objects, sqlite_search_index, sqlite_search_index_current
from articles.models import Article
from tests.articles.api_support import assert_problem, confirm, fresh_cache, slugs  # noqa: F401
from tests.articles.factories import OfficialLinkFactory, PublishedArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

LIST = "/api/v1/articles/"

CORPUS = {
    # slug: (language, headline, body)
    "ja-tariff": (
        "ja",
        "自動車関税15%で合意",
        "赤沢亮正経済再生担当相は、Lutnick長官と会談し、自動車関税を15%に引き下げることで合意した。",
    ),
    "ja-akazawa": ("ja", "赤沢氏が訪米", "赤沢経済再生担当相はワシントンに到着した。"),
    "ja-katakana": ("ja", "ラトニック長官が声明", "ラトニック商務長官は鉄鋼の関税について述べた。"),
    "ja-autos-25": ("ja", "自動車関税25%を維持", "自動車関税は25%のままとなった。"),
    "ja-rice-15": ("ja", "コメの輸入枠", "米国産米の輸入を15%増やす。"),
    "ja-latin": ("ja", "Lutnick長官が来日", "Lutnick長官は東京で記者会見した。"),
    "en-lutnick": ("en", "Lutnick says tariffs stay", "Commerce Secretary Howard Lutnick spoke."),
    "en-akazawa": ("en", "Akazawa in Washington", "Ryosei Akazawa arrived for talks."),
}

EXPECTED = [
    ("関税", {"ja-tariff", "ja-katakana", "ja-autos-25"}),  # two characters, inside longer runs
    ("赤沢", {"ja-tariff", "ja-akazawa"}),
    ("ラトニック", {"ja-katakana"}),
    ("自動車関税 15%", {"ja-tariff"}),  # not ja-autos-25 (25%) nor ja-rice-15 (no autos)
    ("赤沢 Lutnick", {"ja-tariff"}),  # both scripts, ANDed
    ("Lutnick", {"ja-tariff", "ja-latin", "en-lutnick"}),  # also inside "Lutnick長官"
    ("Lutnick長官", {"ja-tariff", "ja-latin"}),
    ("米", {"ja-akazawa", "ja-rice-15"}),  # one character, also as the last of a run (訪米)
    ("関税 -ラトニック", {"ja-tariff", "ja-autos-25"}),
    ("赤沢 OR ラトニック", {"ja-tariff", "ja-akazawa", "ja-katakana"}),
    ('"自動車関税"', {"ja-tariff", "ja-autos-25"}),
    ("会談", {"ja-tariff"}),
    ("tariffs", {"en-lutnick"}),
    ("コメ輸入", set()),  # both bigram runs occur, not as one run
]


@pytest.fixture
def corpus(db: None) -> None:
    for slug, (language, headline, body) in CORPUS.items():
        PublishedArticleFactory(slug=slug, language=language, headline=headline, dek="", body=body)


def found(client: Client, q: str, **more: str) -> list[str]:
    return slugs(client.get(LIST, {"q": q, "page_size": 100, **more}))


def check_corpus(client: Client) -> None:
    for q, expected in EXPECTED:
        assert set(found(client, q)) == expected, q


def test_japanese_and_mixed_queries_find_exactly_the_articles_containing_them(client, corpus):
    check_corpus(client)


@pytest.mark.postgres
def test_japanese_and_mixed_queries_on_postgres(client, requires_postgres, corpus):
    check_corpus(client)


def check_ranking(client: Client) -> None:
    # 関税 in the headline (weight A) outranks 関税 in the body only (weight C).
    assert found(client, "関税")[-1] == "ja-katakana"
    assert found(client, "ラトニック 長官") == ["ja-katakana"]


def test_japanese_matches_are_ranked_by_where_they_occur(client, corpus):
    check_ranking(client)


@pytest.mark.postgres
def test_japanese_matches_are_ranked_by_where_they_occur_on_postgres(
    client, requires_postgres, corpus
):
    check_ranking(client)


def check_index_follows_writes(client: Client) -> None:
    article = Article.objects.get(slug="ja-rice-15")
    Article.objects.filter(pk=article.pk).update(body="大豆の輸入を増やす。")
    assert "ja-rice-15" not in found(client, "米国産米")
    assert found(client, "大豆の輸入") == ["ja-rice-15"]
    Article.objects.filter(slug="ja-katakana").delete()
    assert found(client, "ラトニック") == []


def test_the_search_index_follows_every_write(client, corpus):
    check_index_follows_writes(client)


@pytest.mark.postgres
def test_the_search_index_follows_every_write_on_postgres(client, requires_postgres, corpus):
    check_index_follows_writes(client)


@pytest.mark.postgres
def test_the_language_decides_how_postgres_indexes_the_text(client, requires_postgres):
    text = "Lutnick長官は自動車関税について"
    PublishedArticleFactory(slug="a", language="en", headline=text, dek="", body="")
    # English articles are indexed exactly as before: one token for the whole run.
    assert found(client, "関税") == []
    assert found(client, "Lutnick") == []
    Article.objects.filter(slug="a").update(language="ja")  # the trigger re-indexes it
    assert found(client, "関税") == ["a"]
    assert found(client, "Lutnick") == ["a"]


@pytest.mark.postgres
def test_english_articles_keep_the_vector_they_had(requires_postgres):
    PublishedArticleFactory(headline="Steel tariffs", dek="Autos and rice", body="Lutnick's talks.")
    PublishedArticleFactory(language="en-US", headline="Section 232", body="U.S. duties.")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT bool_and(search_vector =
                 setweight(to_tsvector('pg_catalog.english', headline), 'A') ||
                 setweight(to_tsvector('pg_catalog.english', dek), 'B') ||
                 setweight(to_tsvector('pg_catalog.english', body), 'C'))
               FROM articles_article"""
        )
        assert cursor.fetchone() == (True,)


@pytest.mark.postgres
def test_a_stop_word_query_matches_nothing_on_postgres(client, requires_postgres, corpus):
    assert found(client, "the") == []
    assert found(client, "the OR a") == []


def test_full_width_forms_match_their_ascii_on_postgres_and_sqlite_alike(client, corpus):
    if connection.vendor == "postgresql":  # NFKC on both sides
        assert set(found(client, "１５％")) == {"ja-tariff", "ja-rice-15"}
    assert set(found(client, "15%")) == {"ja-tariff", "ja-rice-15"}


# Relevance ranks a bounded candidate set ---------------------------------------------------


def check_bound(client: Client, settings: Any) -> None:
    settings.NEWSROOM_SEARCH_CANDIDATES = 2
    # The newest two matches are ranked; a time ordering still pages through every match.
    assert set(found(client, "関税")) == {"ja-autos-25", "ja-katakana"}
    assert found(client, "関税", ordering="published_at") == [
        "ja-tariff",
        "ja-katakana",
        "ja-autos-25",
    ]


def test_relevance_ranks_only_the_newest_candidates(client, settings, corpus):
    check_bound(client, settings)


@pytest.mark.postgres
def test_relevance_ranks_only_the_newest_candidates_on_postgres(
    client, settings, requires_postgres, corpus
):
    check_bound(client, settings)


def test_other_filters_apply_before_the_candidate_bound(client, settings, corpus):
    settings.NEWSROOM_SEARCH_CANDIDATES = 1
    assert found(client, "関税", language="ja") == ["ja-autos-25"]
    confirm(OfficialLinkFactory, Article.objects.get(slug="ja-tariff"))
    official = Article.objects.get(slug="ja-tariff").officials.get().slug
    assert found(client, "関税", official=official) == ["ja-tariff"]


def check_bound_with_words_apart(client: Client, settings: Any) -> None:
    """The candidates are the newest exact matches, however many newer articles hold the
    query's words apart: within the window walked first, and past it (the index then)."""
    settings.NEWSROOM_SEARCH_CANDIDATES = 1  # a window of WALK_FACTOR (20) articles
    apart = "自動二輪と電動車、車関連の関税は15%"  # 自動 動車 車関 関税 15, not 自動車関税
    PublishedArticleFactory(slug="older", language="ja", headline="自動車関税15%")
    PublishedArticleFactory(slug="newer", language="ja", headline="自動車関税15%")
    decoys = {PublishedArticleFactory(language="ja", headline=apart).slug for _ in range(3)}
    queries = ("自動車関税 15%", '"自動車関税"', "自動車関税 -25%")
    for q in queries:
        assert found(client, q) == ["newer"], q  # walked: within the newest 20
    for i in range(search_module.WALK_FACTOR):
        PublishedArticleFactory(slug=f"other-{i}", language="en", headline="Steel")
    for q in queries:
        assert found(client, q) == ["newer"], q  # past the window: the index
    settings.NEWSROOM_SEARCH_CANDIDATES = 5
    assert found(client, "自動車関税 15%") == ["newer", "older"]
    assert set(found(client, "関税")) == {"older", "newer", *decoys}
    assert found(client, '"auto tariffs" OR 自動車関税') == ["newer", "older"]


def test_the_bound_takes_the_newest_exact_matches(client, settings, db):
    check_bound_with_words_apart(client, settings)


@pytest.mark.postgres
def test_the_bound_takes_the_newest_exact_matches_on_postgres(client, settings, requires_postgres):
    check_bound_with_words_apart(client, settings)


def pg_query(q: str) -> search_module.PgQuery:
    query = search_module.pg_query(q)
    assert query is not None
    return query


@pytest.mark.postgres
def test_the_index_key_of_every_query_matches_a_superset_of_its_matches(requires_postgres, corpus):
    PublishedArticleFactory(slug="apart", language="ja", headline="自動二輪と電動車、車関連の関税")
    queries = [q for q, _ in EXPECTED] + ['"auto tariffs" -rice', "-関税", "経済再生担当相は"]
    select = "SELECT slug FROM articles_article WHERE search_vector @@ "
    with connection.cursor() as cursor:
        for q in queries:
            query = pg_query(q)
            cursor.execute(select + f"({query.exact})")
            exact = {slug for (slug,) in cursor.fetchall()}
            if query.key is not None:
                cursor.execute(select + f"({query.key})")
                assert exact <= {slug for (slug,) in cursor.fetchall()}, q


def test_the_index_key_drops_positions_and_exclusions():
    # A run of bigrams becomes one bigram in KEY_STRIDE, ANDed; a Latin phrase its words.
    assert search_module.cjk_key("自動車関税") == "'自動'"
    assert search_module.cjk_key("経済再生担当相は") == "'経済' & '担当'"
    assert "plainto_tsquery" in (pg_query('"auto tariffs"').key or "")
    assert "phraseto_tsquery" in pg_query('"auto tariffs"').exact
    assert pg_query("-rice").key is None
    assert "rice" not in (pg_query("steel -rice").key or "")


def test_only_a_single_word_is_left_to_the_planner_estimate():
    single = ("関税", "米", "tariffs", "Lutnick")
    several = ("自動車関税", "赤沢 Lutnick", "section 232", '"auto tariffs"', "a OR b", "-rice")
    assert all(pg_query(q).one_word for q in single)
    assert not any(pg_query(q).one_word for q in several)


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("q", ["関税", "赤沢 Lutnick", "Lutnick"])
def test_a_japanese_search_costs_the_same_queries_for_1_or_30_matches(
    client, django_assert_num_queries, n, q
):
    for i in range(n):
        PublishedArticleFactory(language="ja", slug=f"a{i}", headline="関税", body="赤沢とLutnick")
    with django_assert_num_queries(3):  # the page, its coverage keys, the fingerprint
        response = client.get(LIST, {"q": q, "page_size": 50})
    assert len(response.json()["results"]) == n


# ?official= takes aliases ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["ryosei-akazawa", "赤沢", "Akazawa", "akazawa", "赤沢亮正", "Akizawa", " 赤澤 "]
)
def test_the_official_filter_takes_a_slug_or_any_alias(client, reference_data, name):
    from negotiations.models import Official

    hit, other = PublishedArticleFactory(slug="hit"), PublishedArticleFactory(slug="other")
    confirm(OfficialLinkFactory, hit, official=Official.objects.get(slug="ryosei-akazawa"))
    confirm(OfficialLinkFactory, other, official=Official.objects.get(slug="howard-lutnick"))
    assert slugs(client.get(LIST, {"official": name})) == ["hit"]
    meetings = client.get("/api/v1/meetings/", {"official": name})
    by_slug = client.get("/api/v1/meetings/", {"official": "ryosei-akazawa"})
    assert meetings.status_code == 200
    assert meetings.json() == by_slug.json() and by_slug.json()


def test_an_unknown_official_is_refused_naming_the_parameter(client, reference_data):
    for name in ("赤坂", "a\x00b", "x" * 300):
        body = assert_problem(client.get(LIST, {"official": name}), 400, "official")
        assert body["invalid_params"][0]["reason"] == "No official has this slug or alias."


# The two backends' index machinery -------------------------------------------------------


def test_the_migration_froze_the_same_script_rules_as_the_search():
    migration = importlib.import_module(
        "articles.migrations.0006_search_cjk_bigrams_and_sqlite_fts"
    )
    assert migration.CJK_CLASS == search_module.CJK_CLASS
    assert migration.CJK_LANGUAGES == search_module.CJK_LANGUAGES


def test_bigrams_and_script_segments():
    assert search_module.bigrams("自動車関税") == ["自動", "動車", "車関", "関税"]
    assert search_module.bigrams("米") == ["米"]
    assert [s.text for s in search_module.segments("Lutnick長官 15%")] == [
        "Lutnick",
        "長官",
        " 15%",
    ]
    assert search_module.cjk_tsquery("関税") == "'関税'"
    assert search_module.cjk_tsquery("米") == "'米':*"


def test_sqlite_keeps_its_search_index_and_the_check_notices_when_it_is_gone(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index")
    assert search_module.sqlite_has_trigram()  # this machine's SQLite (3.40) has it
    assert missing_search_objects() == []
    assert sqlite_search_index_current(databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_fts_update")
    errors = sqlite_search_index_current(databases=["default"])
    assert [e.id for e in errors] == ["articles.E011"]
    assert "articles_article_fts_update" in errors[0].msg


def test_a_sqlite_without_trigram_is_reported(monkeypatch):
    monkeypatch.setattr(search_module, "sqlite_has_trigram", lambda: False)
    messages = sqlite_search_index()
    if connection.vendor == "sqlite":
        assert [m.id for m in messages] == ["articles.W010"]
        assert messages[0].level == checks.WARNING
    else:
        assert messages == []


def check_quoting(client: Client) -> None:
    PublishedArticleFactory(slug="q", language="ja", headline="O'Brien's 15% 関税", body="a\\b")
    for q in ("O'Brien's", "15%", "関税 O'Brien's", "a\\b", "'関税'", "%"):
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200, q
    assert "q" in found(client, "O'Brien's 15%")


def test_quotes_backslashes_and_percent_signs_are_only_text(client, corpus):
    check_quoting(client)


@pytest.mark.postgres
def test_quotes_backslashes_and_percent_signs_are_only_text_on_postgres(
    client, requires_postgres, corpus
):
    check_quoting(client)
