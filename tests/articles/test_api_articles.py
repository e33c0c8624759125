"""The article endpoints: visibility, filters, search, ordering, cursor pages, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.articles.api_support import (
    assert_problem,
    confirm,
    covered_article,
    editor_client,
    fresh_cache,  # noqa: F401
    slugs,
)
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
    SourceFactory,
    WireFactory,
)
from tests.negotiations.factories import (
    MeetingFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

LIST = "/api/v1/articles/"
UTC = datetime.UTC


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, 6, day, hour, 0, tzinfo=UTC)


# Visibility -------------------------------------------------------------------------------


def test_anonymous_readers_see_published_articles_only_and_no_editor_fields(client):
    published = PublishedArticleFactory(slug="out")
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    ArticleFactory(slug="review", status=Article.Status.IN_REVIEW)
    response = client.get(LIST)
    assert slugs(response) == ["out"]
    item = response.json()["results"][0]
    assert {"status", "needs_review", "version", "source_changed"}.isdisjoint(item)
    assert item["url"].endswith(f"/api/v1/articles/{published.slug}/")
    assert client.get(f"{LIST}draft/").status_code == 404
    detail = client.get(f"{LIST}out/").json()
    assert {"status", "needs_review", "version", "source_changed"}.isdisjoint(detail)


def test_editors_see_drafts_with_editor_only_fields():
    PublishedArticleFactory(slug="out")
    ArticleFactory(slug="draft", published_at=None, needs_review=["published_at"])
    editor = editor_client()
    listed = editor.get(LIST).json()["results"]
    assert [a["slug"] for a in listed] == ["out", "draft"]  # no publication time sorts last
    draft = editor.get(f"{LIST}draft/").json()
    assert draft["status"] == "draft"
    assert draft["needs_review"] == ["published_at"]
    assert draft["version"] == 1
    assert editor.get(f"{LIST}draft/")["Cache-Control"] == "private, no-cache"


def test_an_article_lists_its_confirmed_coverage_with_evidence(client):
    rnd = RoundFactory(number=4)
    meeting, official, measure = (
        MeetingFactory(round=rnd),
        OfficialFactory(),
        TariffMeasureFactory(),
    )
    article = covered_article(round=rnd, meeting=meeting, official=official, measure=measure)
    # Suggested and rejected links are not facts yet: they stay out.
    RoundLinkFactory(article=article, round=RoundFactory(number=5), status="suggested")
    OfficialLinkFactory(article=article, official=OfficialFactory(), status="rejected")

    detail = client.get(f"{LIST}{article.slug}/").json()
    coverage = detail["coverage"]
    assert [(r["number"], r["evidence"]) for r in coverage["rounds"]] == [(4, "Round 4 evidence.")]
    assert [m["slug"] for m in coverage["meetings"]] == [meeting.slug]
    assert [o["slug"] for o in coverage["officials"]] == [official.slug]
    assert [m["slug"] for m in coverage["measures"]] == [measure.slug]
    assert coverage["meetings"][0]["evidence"] == "Meeting evidence."
    assert coverage["rounds"][0]["confirmed_at"] == "2025-06-01T12:00:00Z"
    listed = client.get(LIST).json()["results"][0]
    assert listed["rounds"] == [4]
    assert listed["meetings"] == [meeting.slug]
    assert listed["officials"] == [official.slug]
    assert listed["measures"] == [measure.slug]


def test_list_items_carry_each_kind_of_key_sorted_and_nothing_unconfirmed(client):
    """Round numbers sort as numbers (2 before 10), slugs in code-point order ("a-c" before
    "ab", which a locale collation that skips hyphens would reverse); an article without
    confirmed links has empty lists."""
    covered = PublishedArticleFactory(published_at=at(2))
    bare = PublishedArticleFactory(published_at=at(1))
    for number in (10, 2):
        confirm(RoundLinkFactory, covered, round=RoundFactory(number=number))
    for slug in ("ab", "a-c"):
        confirm(OfficialLinkFactory, covered, official=OfficialFactory(slug=slug))
    for slug in ("measure-b", "measure-a"):
        confirm(MeasureLinkFactory, covered, measure=TariffMeasureFactory(slug=slug))
    RoundLinkFactory(article=bare, round=RoundFactory(number=3), status="suggested")

    first, second = client.get(LIST).json()["results"]
    assert first["slug"] == covered.slug
    assert first["rounds"] == [2, 10]
    assert first["officials"] == ["a-c", "ab"]
    assert first["measures"] == ["measure-a", "measure-b"]
    assert first["meetings"] == []
    assert second["slug"] == bare.slug
    assert [second[k] for k in ("rounds", "meetings", "officials", "measures")] == [[]] * 4


def test_comments_never_appear_in_an_article(client):
    article = PublishedArticleFactory(body="Reporting only.")
    CommentFactory(article=article, body="A reader's view", status="approved")
    detail = client.get(f"{LIST}{article.slug}/").json()
    assert "A reader's view" not in str(detail)
    assert detail["comments_url"].endswith(f"/api/v1/articles/{article.slug}/comments/")


# Filters ----------------------------------------------------------------------------------


def test_each_coverage_filter_follows_confirmed_links_only(client):
    rnd, meeting = RoundFactory(number=7), MeetingFactory()
    official, measure = OfficialFactory(slug="akazawa"), TariffMeasureFactory(slug="autos")
    hit = covered_article(round=rnd, meeting=meeting, official=official, measure=measure)
    suggested = PublishedArticleFactory()
    RoundLinkFactory(article=suggested, round=rnd, status="suggested")
    MeetingLinkFactory(article=suggested, meeting=meeting, status="suggested")
    OfficialLinkFactory(article=suggested, official=official, status="suggested")
    MeasureLinkFactory(article=suggested, measure=measure, status="suggested")
    PublishedArticleFactory()  # linked to nothing

    assert slugs(client.get(LIST, {"round": 7})) == [hit.slug]
    assert slugs(client.get(LIST, {"meeting": meeting.slug})) == [hit.slug]
    assert slugs(client.get(LIST, {"official": "akazawa"})) == [hit.slug]
    assert slugs(client.get(LIST, {"measure": "autos"})) == [hit.slug]
    assert slugs(client.get(LIST, {"round": 8})) == []


def test_outlet_wire_language_and_status_filters(client):
    japan_today, kyodo = SourceFactory(slug="japan-today"), WireFactory(slug="kyodo")
    wired = PublishedArticleFactory(outlet=japan_today, wire=kyodo, language="en")
    japanese = PublishedArticleFactory(language="ja")
    assert slugs(client.get(LIST, {"outlet": "japan-today"})) == [wired.slug]
    assert slugs(client.get(LIST, {"wire": "kyodo"})) == [wired.slug]
    assert slugs(client.get(LIST, {"language": "ja"})) == [japanese.slug]
    assert slugs(client.get(LIST, {"status": "draft"})) == []  # anonymous: published only


def test_published_date_range_takes_dates_and_offsets(client):
    early = PublishedArticleFactory(published_at=at(1, 23))
    middle = PublishedArticleFactory(published_at=at(2, 12))
    late = PublishedArticleFactory(published_at=at(3, 1))
    assert slugs(client.get(LIST, {"published_from": "2025-06-02"})) == [late.slug, middle.slug]
    assert slugs(client.get(LIST, {"published_to": "2025-06-02"})) == [middle.slug, early.slug]
    # 2025-06-02T09:00+09:00 is midnight UTC; 2025-06-03T09:00+09:00 is the 3rd, 00:00 UTC.
    window = {
        "published_from": "2025-06-02T09:00:00+09:00",
        "published_to": "2025-06-03T09:00+09:00",
    }
    assert slugs(client.get(LIST, window)) == [middle.slug]
    body = assert_problem(
        client.get(LIST, {"published_from": "2025-06-02T09:00"}), 400, "published_from"
    )
    assert "offset" in body["invalid_params"][0]["reason"]
    assert_problem(client.get(LIST, {"published_to": "2025-13-40"}), 400, "published_to")


def test_invalid_filter_values_are_refused_naming_each_parameter(client):
    body = assert_problem(
        client.get(LIST, {"official": "nobody", "round": "x", "status": "gone"}),
        400,
        "official",
        "round",
        "status",
    )
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert "published" in reasons["status"]  # the allowed values are listed
    assert_problem(client.get(LIST, {"round": "0"}), 400, "round")
    assert_problem(client.get(LIST, {"q": "x" * 201}), 400, "q")
    assert_problem(client.get(LIST, {"language": "e\x00n"}), 400, "language")


def test_unknown_and_repeated_query_parameters_are_refused(client):
    body = assert_problem(client.get(LIST, {"sort": "new", "show-fields": "all"}), 400)
    assert sorted(p["name"] for p in body["invalid_params"]) == ["show-fields", "sort"]
    assert "page_size" in body["invalid_params"][0]["reason"]  # says what is accepted
    assert body["type"].endswith("/problems/invalid-parameters/")
    assert client.get(body["type"]).json()["status"] == 400  # the type URI documents it
    assert_problem(client.get(f"{LIST}?round=1&round=2"), 400, "round")
    assert_problem(client.get(f"{LIST}x/", {"page_size": 5}), 400, "page_size")


# Ordering and pages -----------------------------------------------------------------------


def test_ordering_is_whitelisted_and_ties_break_on_the_id(client):
    same = at(5)
    a, b, c = (PublishedArticleFactory(published_at=same) for _ in range(3))
    older = PublishedArticleFactory(published_at=at(4))
    assert slugs(client.get(LIST)) == [c.slug, b.slug, a.slug, older.slug]
    assert slugs(client.get(LIST, {"ordering": "published_at"})) == [
        older.slug,
        a.slug,
        b.slug,
        c.slug,
    ]
    Article.objects.filter(pk=a.pk).update(updated_at=timezone.now() + datetime.timedelta(days=1))
    assert slugs(client.get(LIST, {"ordering": "-updated_at"}))[0] == a.slug
    assert_problem(client.get(LIST, {"ordering": "headline"}), 400, "ordering")
    body = assert_problem(client.get(LIST, {"ordering": "relevance"}), 400, "ordering")
    assert "q" in body["invalid_params"][0]["reason"]


def test_cursor_pages_walk_forwards_and_back_without_gaps_or_repeats(client):
    expected = [PublishedArticleFactory(published_at=at(1 + i // 2)).slug for i in range(7)]
    expected.reverse()  # newest first; pairs share a time, the id breaks the tie
    seen, pages, url = [], [], LIST + "?page_size=3"
    while url:
        response = client.get(url)
        pages.append(slugs(response))
        seen += pages[-1]
        url = response.json()["next"]
        if url:
            assert f'<{url}>; rel="next"' in response["Link"]
    assert seen == expected
    assert [len(p) for p in pages] == [3, 3, 1]
    # And back from the last page.
    last = client.get(response.json()["previous"])
    assert slugs(last) == pages[1]
    assert 'rel="prev"' in client.get(response.json()["previous"])["Link"]
    first = client.get(last.json()["previous"])
    assert slugs(first) == pages[0]
    assert first.json()["previous"] is None


def test_new_articles_do_not_shift_the_next_page(client):
    for i in range(4):
        PublishedArticleFactory(published_at=at(1 + i))
    first = client.get(LIST, {"page_size": 2}).json()
    PublishedArticleFactory(published_at=at(20))  # arrives while the client pages
    second = slugs(client.get(first["next"]))
    assert second == [a["slug"] for a in client.get(LIST).json()["results"][3:5]]


def test_editor_pages_through_drafts_without_publication_time():
    for i in range(3):
        PublishedArticleFactory(published_at=at(1 + i))
    drafts = [ArticleFactory(published_at=None).slug for _ in range(3)]
    editor = editor_client()
    seen, url = [], LIST + "?page_size=2"
    while url:
        body = editor.get(url).json()
        seen += [a["slug"] for a in body["results"]]
        url = body["next"]
    assert len(seen) == 6 and len(set(seen)) == 6
    assert seen[3:] == sorted(drafts, key=lambda s: -Article.objects.get(slug=s).pk)


def test_a_deep_cursor_page_is_one_row_comparison_with_no_offset(client):
    """Page 5 costs the queries page 1 costs, and finds its place with one row-value
    comparison on (published_at, id), the index's order, never an OFFSET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expected = [PublishedArticleFactory(published_at=at(1 + i // 3)).slug for i in range(12)]
    expected.reverse()
    url, seen, counts, page_sql = LIST + "?page_size=2", [], [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        counts.append(len(queries.captured_queries))
        page_sql.append(next(q["sql"] for q in queries if "ORDER BY" in q["sql"]))
        seen += [item["slug"] for item in body["results"]]
        url = body["next"]
    assert seen == expected  # ties on the time broken by the id, no gap, no repeat
    assert len(counts) == 6 and set(counts) == {counts[0]}
    for sql in page_sql:
        assert "OFFSET" not in sql.upper()
    for sql in page_sql[1:]:
        assert '("articles_article"."published_at", "articles_article"."id") < (' in sql
        assert " OR " not in sql
    # And back: the comparison turns round.
    with CaptureQueriesContext(connection) as queries:
        back = client.get(body["previous"])
    assert [item["slug"] for item in back.json()["results"]] == expected[8:10]
    sql = next(q["sql"] for q in queries if "ORDER BY" in q["sql"])
    assert '("articles_article"."published_at", "articles_article"."id") > (' in sql


def test_an_editors_cursor_keeps_the_expanded_condition_for_empty_times():
    """Keys that may be empty (an editor's drafts have no publication time) cannot be one
    row comparison: the condition spells out each key, empty values last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PublishedArticleFactory(published_at=at(1))
    PublishedArticleFactory(published_at=at(2))
    ArticleFactory(published_at=None)
    editor = editor_client()
    first = editor.get(LIST, {"page_size": 1}).json()
    with CaptureQueriesContext(connection) as queries:
        second = editor.get(first["next"]).json()
    assert len(second["results"]) == 1
    sql = next(q["sql"] for q in queries if "ORDER BY" in q["sql"])
    assert "IS NULL" in sql and ") < (" not in sql


def test_page_size_defaults_to_20_and_is_bounded_at_100(client):
    PublishedArticleFactory.create_batch(21)
    default = client.get(LIST).json()
    assert len(default["results"]) == 20 and default["next"]
    assert len(slugs(client.get(LIST, {"page_size": 100}))) == 21
    for bad in ("101", "0", "-1", "ten", "2.5"):
        body = assert_problem(client.get(LIST, {"page_size": bad}), 400, "page_size")
        assert "1 to 100" in body["invalid_params"][0]["reason"]


def test_a_cursor_that_was_not_issued_is_refused(client):
    PublishedArticleFactory.create_batch(3)
    next_url = client.get(LIST, {"page_size": 1}).json()["next"]
    assert_problem(client.get(LIST, {"cursor": "bm90LWEtY3Vyc29y"}), 400, "cursor")
    assert_problem(client.get(LIST, {"cursor": "%%%"}), 400, "cursor")
    other = next_url.replace("page_size=1", "page_size=1&ordering=updated_at")
    body = assert_problem(client.get(other), 400, "cursor")
    assert "ordering" in body["invalid_params"][0]["reason"]


# Search -----------------------------------------------------------------------------------


def search(client: Client, q: str, **more: str) -> list[str]:
    return slugs(client.get(LIST, {"q": q, **more}))


def test_search_ranks_headline_over_dek_over_body(client):
    PublishedArticleFactory(slug="body", headline="Talks", dek="", body="Tariffs on steel.")
    PublishedArticleFactory(slug="headline", headline="Steel tariffs", dek="", body="Talks.")
    PublishedArticleFactory(slug="dek", headline="Talks", dek="On steel", body="More.")
    PublishedArticleFactory(slug="none", headline="Rice", dek="", body="Rice imports.")
    assert search(client, "steel") == ["headline", "dek", "body"]
    # An explicit ordering wins over relevance.
    assert search(client, "steel", ordering="published_at") == ["body", "headline", "dek"]


def test_search_takes_phrases_exclusions_and_or(client):
    PublishedArticleFactory(slug="a", headline="Auto tariffs cut", body="Autos and steel.")
    PublishedArticleFactory(slug="b", headline="Steel tariffs stay", body="Steel only.")
    PublishedArticleFactory(slug="c", headline="Rice deal", body="Rice and autos.")
    assert sorted(search(client, '"auto tariffs"')) == ["a"]
    assert sorted(search(client, "tariffs -autos")) == ["b"]
    assert sorted(search(client, "rice OR steel")) == ["a", "b", "c"]
    assert sorted(search(client, "rice autos")) == ["c"]


def test_a_long_query_and_a_query_with_nothing_to_search_for(client):
    PublishedArticleFactory(slug="a", headline="Steel tariffs", body="Autos and steel.")
    PublishedArticleFactory(slug="b", headline="Rice", body="Rice imports.")
    # 100 words (as many as the 200-character limit allows) compile and run everywhere.
    assert search(client, " ".join(["steel"] + ["autos"] * 32)) == ["a"]
    assert client.get(LIST, {"q": " ".join(["s"] * 100)}).status_code == 200
    # Only syntax, no word: nothing matches (as PostgreSQL's web search answers).
    for q in ("OR", "-", '""', "- OR -"):
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200, q
        assert response.json()["results"] == [], q


def test_extreme_dates_are_answered_or_refused_never_a_server_error(client):
    PublishedArticleFactory(slug="a", published_at=at(2))
    assert slugs(client.get(LIST, {"published_to": "9999-12-31"})) == ["a"]
    assert slugs(client.get(LIST, {"published_from": "0001-01-01"})) == ["a"]
    assert slugs(client.get(LIST, {"published_to": "9999-12-31T23:59:59+00:00"})) == ["a"]
    for name, value in [
        ("published_from", "9999-12-31T23:59:59-23:59"),  # past year 9999 in UTC
        ("published_to", "0001-01-01T00:00:00+05:00"),  # before year 1 in UTC
    ]:
        body = assert_problem(client.get(LIST, {name: value}), 400, name)
        assert "years 1 to 9999" in body["invalid_params"][0]["reason"]


def test_search_never_matches_comments_or_drafts(client):
    article = PublishedArticleFactory(headline="Talks", body="Reporting.")
    CommentFactory(article=article, body="zeppelin", status="approved")
    ArticleFactory(headline="zeppelin draft")
    assert search(client, "zeppelin") == []


def test_postgres_search_uses_web_search_syntax_and_weights(client, requires_postgres):
    PublishedArticleFactory(slug="body", headline="Talks", dek="", body="Tariffs on steel imports.")
    PublishedArticleFactory(slug="headline", headline="Steel tariffs", dek="", body="Talks.")
    PublishedArticleFactory(slug="dek", headline="Talks", dek="Steel and more", body="More.")
    PublishedArticleFactory(slug="rice", headline="Rice", dek="", body="Rice imports stay.")
    assert search(client, "steel") == ["headline", "dek", "body"]
    assert search(client, "tariffs") == ["headline", "body"]  # stemmed: tariff
    assert sorted(search(client, "imports -rice")) == ["body"]
    assert sorted(search(client, '"steel imports"')) == ["body"]
    assert sorted(search(client, "rice or steel")) == ["body", "dek", "headline", "rice"]
    # The relevance cursor pages through ties and scores alike.
    first = client.get(LIST, {"q": "steel", "page_size": 2}).json()
    assert [a["slug"] for a in first["results"]] == ["headline", "dek"]
    assert slugs(client.get(first["next"])) == ["body"]


# Query counts -----------------------------------------------------------------------------


def build_covered(n: int) -> None:
    rnd = RoundFactory(number=1)
    meeting, official, measure = (
        MeetingFactory(round=rnd),
        OfficialFactory(),
        TariffMeasureFactory(),
    )
    for _ in range(n):
        article = covered_article(round=rnd, meeting=meeting, official=official, measure=measure)
        CommentFactory.create_batch(2, article=article, status="approved")


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(
    ("params", "queries"),
    [({}, 3), ({"format": "ninjs"}, 7), ({"q": "Lutnick", "round": 1}, 3)],
)
def test_article_lists_cost_the_same_queries_for_1_or_30_items(
    client, django_assert_num_queries, n, params, queries
):
    build_covered(n)
    with django_assert_num_queries(queries):
        response = client.get(LIST, {"page_size": 50, **params})
    assert response.status_code == 200
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_article_detail_costs_the_same_queries_for_1_or_30_links(
    client, django_assert_num_queries, n
):
    article = PublishedArticleFactory()
    for _ in range(n):
        confirm(RoundLinkFactory, article, round=RoundFactory())
        confirm(MeetingLinkFactory, article, meeting=MeetingFactory(round=None))
        confirm(OfficialLinkFactory, article, official=OfficialFactory())
        confirm(MeasureLinkFactory, article, measure=TariffMeasureFactory())
    for fmt in ("json", "ninjs"):
        with django_assert_num_queries(7):
            response = client.get(f"{LIST}{article.slug}/", {"format": fmt})
        assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_editor_list_costs_the_same_queries_for_1_or_30_items(django_assert_num_queries, n):
    editor = editor_client()
    for _ in range(n):
        ArticleFactory()
    editor.get(LIST)  # the token's user and permissions are read on every request
    with django_assert_num_queries(5):  # token and user, the permissions, 3 for the list
        response = editor.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == n


def test_a_page_that_gave_only_a_date_is_flagged_not_given_a_time(client):
    PublishedArticleFactory(slug="dated", published_time_known=False)
    PublishedArticleFactory(slug="timed", published_time_known=True)
    items = {a["slug"]: a for a in client.get(LIST).json()["results"]}
    assert items["dated"]["published_time_known"] is False
    assert items["timed"]["published_time_known"] is True
    assert client.get(f"{LIST}dated/").json()["published_time_known"] is False


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_list_times_are_utc_whatever_the_sites_time_zone(client, settings, zone):
    """The list reads times with psycopg's own loader on PostgreSQL (in the session's zone,
    which Django sets from TIME_ZONE); the API writes them in UTC all the same, and the
    cursor built from them walks on without a gap."""
    settings.TIME_ZONE = zone
    first = PublishedArticleFactory(published_at=at(2, hour=23))
    second = PublishedArticleFactory(published_at=at(2, hour=1))
    page = client.get(LIST, {"page_size": 1}).json()
    assert page["results"][0]["slug"] == first.slug
    assert page["results"][0]["published_at"] == "2025-06-02T23:00:00Z"
    following = client.get(page["next"]).json()["results"]
    assert [item["slug"] for item in following] == [second.slug]
    assert following[0]["published_at"] == "2025-06-02T01:00:00Z"


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        (None, ""),
        ("*/*", ""),
        ("*/*", "format=ninjs"),
        ("application/json", ""),
        ("application/ninjs+json", ""),
        ("application/*;q=0.5, */*;q=0.1", ""),
    ],
)
def test_the_negotiation_shortcut_chooses_what_drf_chooses(accept, query):
    """An Accept of anything with no format is answered without ranking the renderers; the
    choice is DRF's own, whatever the header."""
    from django.test import RequestFactory
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request

    from articles.api.renderers import ApiJSONRenderer, NinjsRenderer, StrictContentNegotiation

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(RequestFactory().get(f"{LIST}?{query}", **headers))
    renderers = [ApiJSONRenderer(), NinjsRenderer()]
    ours = StrictContentNegotiation().select_renderer(request, renderers)
    drf = DefaultContentNegotiation().select_renderer(request, renderers)
    assert (type(ours[0]), ours[1]) == (type(drf[0]), drf[1])


def test_an_editor_signed_in_with_a_session_sees_drafts_and_a_cookie_less_request_does_not(
    client,
):
    """Session authentication answers at once without a session cookie, and still signs in
    the editor who has one (with CSRF on writes, as DRF's)."""
    from tests.articles.api_support import editor as make_editor

    draft = ArticleFactory(published_at=None)
    session = Client(enforce_csrf_checks=True)
    session.force_login(make_editor("session-editor"))
    assert draft.slug in slugs(session.get(LIST))
    assert draft.slug not in slugs(client.get(LIST))
    article = PublishedArticleFactory()
    refused = session.post(f"{LIST}{article.slug}/comments/", {}, content_type="application/json")
    assert refused.status_code == 403  # a session write without the CSRF token


def test_a_forged_cursor_at_the_edge_of_time_is_refused_not_a_server_error(client):
    """A cursor at "0001-01-01T00:00:00+14:00" names no instant a database can hold (before
    year 1 in UTC): a 400 about the cursor, as for any other cursor that was not issued."""
    import base64
    import json as json_lib
    from urllib.parse import parse_qs, urlsplit

    PublishedArticleFactory.create_batch(2)
    next_url = client.get(LIST, {"page_size": 1}).json()["next"]
    raw = parse_qs(urlsplit(next_url).query)["cursor"][0]
    issued = json_lib.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    forged = dict(issued) if isinstance(issued, dict) else issued
    text = json_lib.dumps(forged).replace(
        json_lib.dumps(next(v for v in _strings(forged) if "T" in v and ":" in v)),
        json_lib.dumps("0001-01-01T00:00:00+14:00"),
    )
    cursor = base64.urlsafe_b64encode(text.encode()).decode()
    assert_problem(client.get(LIST, {"page_size": 1, "cursor": cursor}), 400, "cursor")


def _strings(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_two_cursor_keys_of_one_kind_are_not_compiled_with_one_stand_in():
    """The compiled page SQL finds each cursor value's place by its stand-in: two keys of one
    kind would share a stand-in and swap values, so such a query is run the ORM's way."""
    from django.db.models import F, Value

    from articles.api.pagination import PLACEHOLDERS, RowComparison
    from articles.api.querysets import _compile
    from articles.models import Article

    stand_in, other = PLACEHOLDERS["str"], "another stand-in"

    def page(*values):  # type: ignore[no-untyped-def]
        row = RowComparison([F("slug"), F("headline")], [Value(v) for v in values], "<")
        return Article.objects.filter(row).values("id")

    assert _compile(page(stand_in, other), [stand_in, other]) is not None
    assert _compile(page(stand_in, stand_in), [stand_in, stand_in]) is None
