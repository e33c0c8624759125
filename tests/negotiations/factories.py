"""Typed factories for the negotiation's record."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from negotiations.models import (
    Meeting,
    Negotiation,
    Official,
    OfficialAlias,
    Round,
    TariffMeasure,
)


class NegotiationFactory(factory.django.DjangoModelFactory[Negotiation]):
    class Meta:
        model = Negotiation
        django_get_or_create = ("slug",)

    name = "Japan–US tariff talks, 2025"
    slug = "japan-us-tariff-talks-2025"
    source_url = "https://example.org/negotiation"


class OfficialFactory(factory.django.DjangoModelFactory[Official]):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.Sequence(lambda n: f"official-{n}")
    country = "US"
    organisation = "Department of Commerce"
    title = "Secretary"


class OfficialAliasFactory(factory.django.DjangoModelFactory[OfficialAlias]):
    class Meta:
        model = OfficialAlias

    official = factory.SubFactory(OfficialFactory)
    alias = factory.Sequence(lambda n: f"Alias {n}")
    kind = OfficialAlias.Kind.MISSPELLING


class RoundFactory(factory.django.DjangoModelFactory[Round]):
    class Meta:
        model = Round

    negotiation = factory.SubFactory(NegotiationFactory)
    number = factory.Sequence(lambda n: n + 101)  # clear of the reference rounds
    start_date = factory.LazyAttribute(
        lambda o: datetime.date(2025, 4, 1) + datetime.timedelta(days=o.number)
    )
    end_date = None
    place = "Washington, D.C."
    status = Round.Status.HELD
    source_url = "https://example.org/round"


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    round = factory.SubFactory(RoundFactory)
    start_date = factory.LazyAttribute(
        lambda o: o.round.start_date if o.round else datetime.date(2025, 5, 1)
    )
    duration_minutes = 60
    mode = Meeting.Mode.IN_PERSON
    source_url = "https://example.org/meeting"

    @factory.post_generation
    def participants(
        self, create: bool, extracted: list[Official] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.participants.set(extracted)


class TariffMeasureFactory(factory.django.DjangoModelFactory[TariffMeasure]):
    class Meta:
        model = TariffMeasure

    slug = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Measure {n}")
    product_scope = TariffMeasure.ProductScope.STEEL
    legal_basis = TariffMeasure.LegalBasis.SECTION_232
    instrument = "Proclamation 10896"
    rate_percent = Decimal("25")
    rate_application = TariffMeasure.RateApplication.ADDED
    effective_on = datetime.date(2025, 3, 12)
    status = TariffMeasure.Status.IN_FORCE
    source_url = "https://example.org/measure"
