"""Each invariant of the negotiation's record is enforced by the database itself.

Rows are written with QuerySet.create/update (no model validation), so only the database can
refuse them. The suite runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from negotiations.models import Meeting, Official, OfficialAlias, Round, TariffMeasure
from tests.negotiations.factories import (
    MeetingFactory,
    NegotiationFactory,
    OfficialAliasFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

pytestmark = pytest.mark.django_db


def refused(create) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        create()
    return str(caught.value)


def test_round_number_is_unique_within_a_negotiation():
    first = RoundFactory(number=1)
    message = refused(lambda: RoundFactory(negotiation=first.negotiation, number=1))
    assert "round_number_unique" in message or "UNIQUE" in message.upper()


def test_same_round_number_in_another_negotiation_is_fine():
    RoundFactory(number=1)
    other = NegotiationFactory(slug="eu-us-2025", name="EU–US talks")
    assert RoundFactory(negotiation=other, number=1).pk


def test_round_end_date_cannot_precede_start_date():
    refused(
        lambda: RoundFactory(
            start_date=datetime.date(2025, 6, 5), end_date=datetime.date(2025, 6, 4)
        )
    )


def test_round_number_zero_is_refused():
    refused(lambda: RoundFactory(number=0))


def test_round_needs_a_source_url():
    refused(lambda: RoundFactory(source_url=""))


def test_round_status_outside_its_choices_is_refused():
    refused(lambda: RoundFactory(status="rumoured"))


@pytest.mark.parametrize("minutes", [0])
def test_meeting_duration_must_be_positive(minutes):
    refused(lambda: MeetingFactory(duration_minutes=minutes))


def test_meeting_duration_may_be_unknown():
    assert MeetingFactory(duration_minutes=None).duration_minutes is None


def test_meeting_mode_outside_its_choices_is_refused():
    refused(lambda: MeetingFactory(mode="fax"))


def test_meeting_needs_a_source_url_and_a_time_zone():
    refused(lambda: MeetingFactory(source_url=""))
    refused(lambda: MeetingFactory(time_zone=""))


def test_meeting_start_is_time_zone_aware():
    meeting = MeetingFactory(
        start_date=datetime.date(2025, 5, 23),
        start_time=datetime.time(10, 45),
        time_zone="America/New_York",
    )
    assert meeting.starts_at is not None
    assert meeting.starts_at.utcoffset() == datetime.timedelta(hours=-4)
    assert MeetingFactory(start_time=None).starts_at is None


@pytest.mark.parametrize("rate", ["-0.01", "1000.01", "5000"])
def test_rates_outside_0_to_1000_percent_are_refused(rate):
    refused(lambda: TariffMeasureFactory(rate_percent=Decimal(rate)))


@pytest.mark.parametrize("rate", ["0", "1000"])
def test_rates_at_the_bounds_are_accepted(rate):
    assert TariffMeasureFactory(rate_percent=Decimal(rate)).pk


def test_a_measure_cannot_supersede_itself():
    measure = TariffMeasureFactory()
    refused(lambda: TariffMeasure.objects.filter(pk=measure.pk).update(superseded_by=F("pk")))


def test_measure_end_cannot_precede_effective_date():
    refused(
        lambda: TariffMeasureFactory(
            effective_on=datetime.date(2025, 6, 4), ends_on=datetime.date(2025, 6, 3)
        )
    )


@pytest.mark.parametrize(
    "field",
    [
        "product_scope",
        "legal_basis",
        "rate_application",
        "status",
        "imposing_country",
        "affected_country",
    ],
)
def test_measure_choices_are_enforced(field):
    bogus = (
        "XX" if field.endswith("country") else "bogus"
    )  # fits the column; only the check refuses it
    refused(lambda: TariffMeasureFactory(**{field: bogus}))


def test_official_country_is_enforced():
    refused(lambda: OfficialFactory(country="XX"))


def test_alias_is_unique_case_insensitively():
    OfficialAliasFactory(alias="Rutnick")
    refused(lambda: OfficialAliasFactory(alias="rutnick"))


def test_alias_kind_is_enforced_and_alias_not_blank():
    refused(lambda: OfficialAliasFactory(kind="nickname"))
    refused(lambda: OfficialAliasFactory(alias=""))


def test_with_article_count_counts_distinct_articles(reference_data):
    rounds = Round.objects.with_article_count()
    assert {r.number: r.article_count for r in rounds}[1] == 0


def test_alias_resolution_is_case_insensitive():
    official = OfficialFactory(name="Howard Lutnick")
    OfficialAliasFactory(
        official=official, alias="Rutnick", kind=OfficialAlias.Kind.TRANSLITERATION
    )
    assert OfficialAlias.objects.resolve(" RUTNICK ") == official
    assert OfficialAlias.objects.resolve("Nobody") is None
    assert Official.objects.get_by_natural_key(official.slug) == official
    assert Meeting.objects.count() == 0
