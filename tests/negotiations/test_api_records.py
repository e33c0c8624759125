"""The negotiation's record in the API: filters, provenance, the timeline, query counts."""

from __future__ import annotations

import datetime

import pytest

from negotiations.models import Meeting, Round, TariffMeasure
from tests.articles.api_support import (
    assert_problem,
    confirm,
    fresh_cache,  # noqa: F401
)
from tests.articles.factories import (
    ArticleFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RoundLinkFactory,
)
from tests.negotiations.factories import (
    MeetingFactory,
    NegotiationFactory,
    OfficialAliasFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

API = "/api/v1"


def keys(response, key="slug"):
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()]


# Reference data ---------------------------------------------------------------------------


def test_the_reference_record_is_served(client, reference_data):
    rounds = client.get(f"{API}/rounds/").json()
    assert [r["number"] for r in rounds] == list(range(1, Round.objects.count() + 1))
    assert all(r["negotiation"] == "japan-us-tariff-talks-2025" for r in rounds)
    assert len(client.get(f"{API}/meetings/").json()) == Meeting.objects.count()
    assert len(client.get(f"{API}/tariff-measures/").json()) == TariffMeasure.objects.count()
    reuters = client.get(f"{API}/sources/reuters/").json()
    assert reuters["kind"] == "wire" and "REUTERS" in reuters["aliases"]
    akazawa = client.get(f"{API}/officials/ryosei-akazawa/").json()
    assert akazawa["country"] == "JP"
    assert {a["alias"] for a in akazawa["aliases"]} >= {"Akazawa"}


def test_sources_and_officials_filter_by_kind_and_country(client, reference_data):
    wires = client.get(f"{API}/sources/", {"kind": "wire"}).json()
    assert wires and all(s["kind"] == "wire" for s in wires)
    japanese = client.get(f"{API}/officials/", {"country": "JP"}).json()
    assert japanese and all(o["country"] == "JP" for o in japanese)
    assert_problem(client.get(f"{API}/officials/", {"country": "FR"}), 400, "country")
    assert client.get(f"{API}/officials/nobody/").status_code == 404


# Provenance -------------------------------------------------------------------------------


def test_a_meeting_lists_the_published_articles_that_report_it_with_evidence(client):
    meeting = MeetingFactory(slug="talks")
    newer = PublishedArticleFactory(
        published_at=datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC),
        published_time_known=True,
    )
    older = PublishedArticleFactory(
        published_at=datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC),
        published_time_known=False,  # the page gave only the date
    )
    confirm(MeetingLinkFactory, newer, meeting=meeting, evidence="They met for 130 minutes.")
    confirm(MeetingLinkFactory, older, meeting=meeting, evidence="The two met in Washington.")
    MeetingLinkFactory(article=PublishedArticleFactory(), meeting=meeting, status="suggested")
    MeetingLinkFactory(article=PublishedArticleFactory(), meeting=meeting, status="rejected")
    confirm(MeetingLinkFactory, ArticleFactory(), meeting=meeting)  # a draft: not public

    detail = client.get(f"{API}/meetings/talks/").json()
    reports = detail["reported_by"]
    assert [r["article"]["slug"] for r in reports] == [newer.slug, older.slug]
    assert reports[0]["evidence"] == "They met for 130 minutes."
    assert reports[0]["article"]["url"].endswith(f"/api/v1/articles/{newer.slug}/")
    assert reports[0]["article"]["outlet"] == newer.outlet.slug
    # Noon of a date-only page is not passed off as a stated time here either.
    assert [r["article"]["published_time_known"] for r in reports] == [True, False]
    assert client.get(f"{API}/meetings/").json()[0]["report_count"] == 2


def test_measures_rounds_and_officials_list_their_reports_too(client):
    measure, rnd, official = (
        TariffMeasureFactory(slug="m"),
        RoundFactory(number=3),
        OfficialFactory(slug="o"),
    )
    article = PublishedArticleFactory()
    confirm(MeasureLinkFactory, article, measure=measure, evidence="A 25% tariff on autos.")
    confirm(RoundLinkFactory, article, round=rnd, evidence="The third round.")
    confirm(OfficialLinkFactory, article, official=official, evidence="Akazawa said.")
    for url, evidence in [
        (f"{API}/tariff-measures/m/", "A 25% tariff on autos."),
        (f"{API}/rounds/3/", "The third round."),
        (f"{API}/officials/o/", "Akazawa said."),
    ]:
        reports = client.get(url).json()["reported_by"]
        assert [(r["article"]["slug"], r["evidence"]) for r in reports] == [
            (article.slug, evidence)
        ]


# Filters ----------------------------------------------------------------------------------


def test_meeting_filters_round_official_dates_and_mode(client):
    first, second = RoundFactory(number=1), RoundFactory(number=2)
    lutnick = OfficialFactory(slug="lutnick")
    a = MeetingFactory(
        slug="a", round=first, start_date=datetime.date(2025, 4, 16), participants=[lutnick]
    )
    b = MeetingFactory(slug="b", round=second, start_date=datetime.date(2025, 5, 1), mode="phone")
    c = MeetingFactory(slug="c", round=None, start_date=datetime.date(2025, 5, 20), mode="video")
    url = f"{API}/meetings/"
    assert keys(client.get(url, {"round": 2})) == [b.slug]
    assert keys(client.get(url, {"official": "lutnick"})) == [a.slug]
    assert keys(client.get(url, {"date_from": "2025-05-01"})) == [b.slug, c.slug]
    assert keys(client.get(url, {"date_to": "2025-05-01"})) == [a.slug, b.slug]
    assert keys(client.get(url, {"mode": "video"})) == [c.slug]
    assert_problem(client.get(url, {"mode": "fax", "date_to": "1 May"}), 400, "mode", "date_to")
    assert_problem(client.get(url, {"official": "nobody"}), 400, "official")


def test_measure_filters_country_scope_basis_status_and_in_force_on(client):
    steel = TariffMeasureFactory(
        slug="steel",
        effective_on=datetime.date(2025, 3, 12),
        ends_on=datetime.date(2025, 6, 4),
        status="superseded",
    )
    autos = TariffMeasureFactory(
        slug="autos",
        product_scope="autos",
        legal_basis="ieepa",
        effective_on=datetime.date(2025, 4, 3),
        status="in_force",
    )
    threat = TariffMeasureFactory(
        slug="threat",
        imposing_country="JP",
        affected_country="US",
        legal_basis="none",
        effective_on=None,
        status="threatened",
    )
    url = f"{API}/tariff-measures/"
    assert keys(client.get(url, {"product_scope": "autos"})) == [autos.slug]
    assert keys(client.get(url, {"legal_basis": "ieepa"})) == [autos.slug]
    assert keys(client.get(url, {"status": "threatened"})) == [threat.slug]
    assert keys(client.get(url, {"imposing_country": "JP"})) == [threat.slug]
    assert keys(client.get(url, {"affected_country": "JP"})) == [steel.slug, autos.slug]
    assert sorted(keys(client.get(url, {"country": "US"}))) == ["autos", "steel", "threat"]
    assert keys(client.get(url, {"in_force_on": "2025-04-10"})) == [steel.slug, autos.slug]
    assert keys(client.get(url, {"in_force_on": "2025-06-04"})) == [autos.slug]  # steel ended
    assert keys(client.get(url, {"in_force_on": "2025-03-01"})) == []
    body = assert_problem(client.get(url, {"in_force_on": "June"}), 400, "in_force_on")
    assert "YYYY-MM-DD" in body["invalid_params"][0]["reason"]


def test_rounds_filter_by_status_and_a_shared_number_asks_for_the_negotiation(client):
    RoundFactory(number=1, status="held")
    RoundFactory(number=2, status="scheduled")
    other = NegotiationFactory(slug="other-talks", name="Other talks")
    RoundFactory(number=1, negotiation=other)
    assert keys(client.get(f"{API}/rounds/", {"status": "scheduled"}), "number") == [2]
    assert len(client.get(f"{API}/rounds/", {"negotiation": "other-talks"}).json()) == 1
    body = assert_problem(client.get(f"{API}/rounds/1/"), 400, "negotiation")
    assert "other-talks" in body["detail"]
    picked = client.get(f"{API}/rounds/1/", {"negotiation": "other-talks"}).json()
    assert picked["negotiation"] == "other-talks"
    assert client.get(f"{API}/rounds/2/").json()["status"] == "scheduled"
    assert client.get(f"{API}/rounds/9/").status_code == 404
    assert_problem(client.get(f"{API}/rounds/1/", {"negotiation": "nope"}), 400, "negotiation")


# Timeline ---------------------------------------------------------------------------------


def test_timeline_puts_rounds_meetings_and_measure_changes_in_date_order(client):
    rnd = RoundFactory(number=1, start_date=datetime.date(2025, 4, 16), place="Washington")
    MeetingFactory(title="Oval Office meeting", round=rnd, start_date=datetime.date(2025, 4, 16))
    TariffMeasureFactory(
        name="Steel 25%",
        effective_on=datetime.date(2025, 3, 12),
        ends_on=datetime.date(2025, 6, 4),
    )
    TariffMeasureFactory(name="Threat", effective_on=None, ends_on=None, status="threatened")
    entries = client.get(f"{API}/timeline/").json()
    assert [(e["kind"], e["date"], e["title"]) for e in entries] == [
        ("measure_effective", "2025-03-12", "Steel 25%: takes effect"),
        ("round", "2025-04-16", "Round 1, Washington"),
        ("meeting", "2025-04-16", "Oval Office meeting"),
        ("measure_ended", "2025-06-04", "Steel 25%: ends"),
    ]
    assert all(set(e) == {"kind", "date", "title", "url"} for e in entries)
    assert entries[1]["url"].endswith("/api/v1/rounds/1/")
    only = client.get(f"{API}/timeline/", {"kind": "measure", "date_from": "2025-04-01"}).json()
    assert [e["kind"] for e in only] == ["measure_ended"]
    assert_problem(client.get(f"{API}/timeline/", {"kind": "war"}), 400, "kind")
    assert_problem(client.get(f"{API}/timeline/", {"until": "2025"}), 400, "until")


# Query counts -----------------------------------------------------------------------------


def build_record(n: int) -> None:
    negotiation = NegotiationFactory()
    for i in range(n):
        official = OfficialFactory()
        OfficialAliasFactory.create_batch(2, official=official)
        rnd = RoundFactory(negotiation=negotiation)
        meeting = MeetingFactory(round=rnd, participants=[official])
        measure = TariffMeasureFactory(superseded_by=TariffMeasureFactory() if i % 2 else None)
        article = PublishedArticleFactory()
        confirm(RoundLinkFactory, article, round=rnd)
        confirm(MeetingLinkFactory, article, meeting=meeting)
        confirm(MeasureLinkFactory, article, measure=measure)
        confirm(OfficialLinkFactory, article, official=official)


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("sources/", 2),
        ("officials/", 3),
        ("rounds/", 3),
        ("meetings/", 3),
        ("tariff-measures/", 3),
        ("timeline/", 3),
    ],
)
def test_record_lists_cost_the_same_queries_for_1_or_30_items(
    client, django_assert_num_queries, n, path, queries
):
    build_record(n)
    with django_assert_num_queries(queries):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    assert len(response.json()) >= n


@pytest.mark.parametrize("n", [1, 30])
def test_record_details_cost_the_same_queries_for_1_or_30_reports(
    client, django_assert_num_queries, n
):
    official, rnd = OfficialFactory(slug="o"), RoundFactory(number=1)
    meeting = MeetingFactory(slug="m", round=rnd, participants=[official])
    measure = TariffMeasureFactory(slug="t")
    for _ in range(n):
        article = PublishedArticleFactory()
        confirm(RoundLinkFactory, article, round=rnd)
        confirm(MeetingLinkFactory, article, meeting=meeting)
        confirm(MeasureLinkFactory, article, measure=measure)
        confirm(OfficialLinkFactory, article, official=official)
    for path, queries in [
        ("sources/" + article.outlet.slug, 2),
        ("officials/o", 4),
        ("rounds/1", 4),
        ("meetings/m", 4),
        ("tariff-measures/t", 4),
    ]:
        with django_assert_num_queries(queries):
            response = client.get(f"{API}/{path}/")
        assert response.status_code == 200
        if path != "sources/" + article.outlet.slug:
            assert len(response.json()["reported_by"]) == n
