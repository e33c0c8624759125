"""The reference fixtures (fixtures/reference/*.json) load in one call and say the right things.

Facts come from /work/shared/reference/tariff-talks-2025.md.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models.sources import Source
from negotiations.models import (
    Meeting,
    Negotiation,
    Official,
    OfficialAlias,
    Round,
    TariffMeasure,
)

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference"
NEGOTIATION = "japan-us-tariff-talks-2025"


def fixture_files() -> list[str]:
    return sorted(str(path) for path in FIXTURE_DIR.glob("*.json"))


@pytest.fixture
def reference(db: None) -> None:
    call_command("loaddata", *fixture_files(), verbosity=0)


def in_force(day: str, **filters: str) -> list[TariffMeasure]:
    return list(
        TariffMeasure.objects.in_force_on(datetime.date.fromisoformat(day))
        .affecting("JP")
        .filter(**filters)
    )


def test_fixture_files_are_split_by_concern() -> None:
    names = [Path(name).name for name in fixture_files()]
    assert names == [
        "01_officials.json",
        "02_negotiation_rounds.json",
        "03_meetings.json",
        "04_tariff_measures.json",
        "05_sources.json",
    ]


def test_fixtures_use_natural_keys_only() -> None:
    for name in fixture_files():
        text = Path(name).read_text(encoding="utf-8")
        assert '"pk"' not in text, name


@pytest.mark.django_db
def test_fixtures_load_into_an_empty_database() -> None:
    assert Official.objects.count() == 0
    call_command("loaddata", *fixture_files(), verbosity=0)
    assert Official.objects.count() == 7
    assert Negotiation.objects.filter(slug=NEGOTIATION).count() == 1
    numbers = set(
        Round.objects.filter(negotiation__slug=NEGOTIATION).values_list("number", flat=True)
    )
    assert set(range(1, 9)) <= numbers
    assert Meeting.objects.count() >= 20
    assert TariffMeasure.objects.count() >= 12
    assert Source.objects.filter(slug__in=["japan-today", "reuters", "kyodo"]).count() == 3


@pytest.mark.django_db
def test_loading_twice_creates_no_duplicates(reference: None) -> None:
    counts = [model.objects.count() for model in (OfficialAlias, Round, Meeting, TariffMeasure)]
    call_command("loaddata", *fixture_files(), verbosity=0)
    assert [
        model.objects.count() for model in (OfficialAlias, Round, Meeting, TariffMeasure)
    ] == counts


@pytest.mark.django_db
def test_rounds_match_the_reference_table(reference: None) -> None:
    expected = {
        1: ("2025-04-16", "2025-04-16"),
        2: ("2025-05-01", "2025-05-01"),
        3: ("2025-05-23", "2025-05-23"),
        4: ("2025-05-30", "2025-05-30"),
        5: ("2025-06-05", "2025-06-06"),
        6: ("2025-06-13", "2025-06-14"),
        7: ("2025-06-26", "2025-06-28"),
        8: ("2025-07-21", "2025-07-23"),
    }
    for number, (start, end) in expected.items():
        round_ = Round.objects.get_by_natural_key(NEGOTIATION, number)
        assert round_.start_date.isoformat() == start
        assert round_.end_date is not None
        assert round_.end_date.isoformat() == end
        assert round_.status == Round.Status.HELD
        assert round_.place == "Washington, D.C."
        assert round_.summary
    postponed = Round.objects.get_by_natural_key(NEGOTIATION, 10)
    assert postponed.status == Round.Status.POSTPONED
    assert postponed.start_date == datetime.date(2025, 8, 28)
    assert "other events" in postponed.note.lower()


@pytest.mark.django_db
def test_every_record_carries_an_https_source_url(reference: None) -> None:
    for model in (Round, Meeting, TariffMeasure):
        for record in model.objects.all():
            assert record.source_url.startswith("https://"), record
    for round_ in Round.objects.all():
        assert isinstance(round_.other_source_urls, list)
        assert all(url.startswith("https://") for url in round_.other_source_urls), round_


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Ryosei Akazawa", "ryosei-akazawa"),
        ("Akazawa", "ryosei-akazawa"),
        ("Akazawa Ryosei", "ryosei-akazawa"),
        ("Akizawa", "ryosei-akazawa"),
        ("Howard Lutnick", "howard-lutnick"),
        ("Lutnick", "howard-lutnick"),
        ("Rutnick", "howard-lutnick"),
        ("Latnick", "howard-lutnick"),
        ("rutnick", "howard-lutnick"),
        ("Scott Bessent", "scott-bessent"),
        ("Bessent", "scott-bessent"),
        ("Jamieson Greer", "jamieson-greer"),
        ("Greer", "jamieson-greer"),
        ("Donald Trump", "donald-trump"),
        ("Trump", "donald-trump"),
        ("Shigeru Ishiba", "shigeru-ishiba"),
        ("Ishiba", "shigeru-ishiba"),
        ("Yoshimasa Hayashi", "yoshimasa-hayashi"),
        ("Hayashi", "yoshimasa-hayashi"),
    ],
)
@pytest.mark.django_db
def test_every_alias_resolves_to_its_official(reference: None, spelling: str, slug: str) -> None:
    official = OfficialAlias.objects.resolve(spelling)
    assert official is not None
    assert official.slug == slug


@pytest.mark.django_db
def test_alias_kinds(reference: None) -> None:
    kinds = dict(OfficialAlias.objects.values_list("alias", "kind"))
    assert kinds["Akazawa Ryosei"] == "family_name_first"
    assert kinds["Akizawa"] == "misspelling"
    assert kinds["Latnick"] == "misspelling"
    assert kinds["Rutnick"] == "transliteration"
    assert kinds["Howard Lutnick"] == "canonical"
    assert kinds["Lutnick"] == "short_form"


@pytest.mark.django_db
def test_steel_rate_changes_on_4_june(reference: None) -> None:
    before = in_force("2025-05-01", product_scope="steel")
    after = in_force("2025-06-10", product_scope="steel")
    assert [m.rate_percent for m in before] == [Decimal("25")]
    assert [m.rate_percent for m in after] == [Decimal("50")]


@pytest.mark.django_db
def test_japan_reciprocal_rate(reference: None) -> None:
    april = in_force("2025-04-20", legal_basis="ieepa", product_scope="all_goods")
    assert [m.slug for m in april] == ["ieepa-baseline-10"]
    assert april[0].rate_percent == Decimal("10")
    for day in ("2025-04-09", "2025-04-10", "2025-07-01"):
        slugs = [m.slug for m in in_force(day, legal_basis="ieepa")]
        assert "ieepa-reciprocal-japan-24" not in slugs
    august = in_force("2025-08-10", legal_basis="ieepa", product_scope="all_goods")
    assert [m.rate_percent for m in august] == [Decimal("15")]


@pytest.mark.django_db
def test_autos_rate_after_the_deal(reference: None) -> None:
    october = in_force("2025-10-01", product_scope="autos")
    assert [m.slug for m in october] == ["section-232-autos-15"]
    assert october[0].rate_percent == Decimal("15")


@pytest.mark.django_db
def test_threatened_rate_was_never_in_force(reference: None) -> None:
    letter = TariffMeasure.objects.get_by_natural_key("threatened-25-letter")
    assert letter.effective_on is None
    assert letter.announced_on == datetime.date(2025, 7, 7)
    assert letter.legal_basis == "none"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("section-232-steel-25", "section-232-steel-50"),
        ("section-232-aluminum-25", "section-232-aluminum-50"),
        ("section-232-autos-25", "section-232-autos-15"),
        ("section-232-auto-parts-25", "section-232-auto-parts-15"),
        ("ieepa-reciprocal-japan-24", "ieepa-reciprocal-japan-15"),
        ("ieepa-baseline-10", "ieepa-reciprocal-japan-15"),
        ("threatened-25-letter", "ieepa-reciprocal-japan-15"),
        ("ieepa-reciprocal-japan-15", "ieepa-deal-15-inclusive"),
    ],
)
@pytest.mark.django_db
def test_supersedes_chains(reference: None, old: str, new: str) -> None:
    old_measure = TariffMeasure.objects.get_by_natural_key(old)
    new_measure = TariffMeasure.objects.get_by_natural_key(new)
    assert old_measure.superseded_by == new_measure
    assert old_measure in new_measure.supersedes.all()


@pytest.mark.django_db
def test_suspended_japan_rate(reference: None) -> None:
    measure = TariffMeasure.objects.get_by_natural_key("ieepa-reciprocal-japan-24")
    assert measure.status == TariffMeasure.Status.SUSPENDED
    assert measure.effective_on == measure.ends_on == datetime.date(2025, 4, 9)


@pytest.mark.django_db
def test_meetings_have_participants_and_positive_durations(reference: None) -> None:
    for meeting in Meeting.objects.prefetch_related("participants"):
        assert meeting.participants.exists(), meeting
        if meeting.duration_minutes is not None:
            assert meeting.duration_minutes > 0, meeting


@pytest.mark.django_db
def test_reported_times_and_zones(reference: None) -> None:
    lutnick_home = Meeting.objects.get_by_natural_key("2025-05-23-akazawa-lutnick-home")
    assert lutnick_home.start_time == datetime.time(10, 45)
    assert lutnick_home.duration_minutes == 90
    assert lutnick_home.duration_approximate
    calls = Meeting.objects.filter(start_date="2025-06-28", mode=Meeting.Mode.PHONE)
    assert sorted((c.start_time, c.duration_minutes) for c in calls) == [
        (datetime.time(10, 0), 15),
        (datetime.time(19, 0), 20),
    ]
    g7 = Meeting.objects.get_by_natural_key("2025-06-16-ishiba-trump-g7")
    assert g7.time_zone == "America/Edmonton"
    assert g7.round is None
    assert set(g7.participants.values_list("slug", flat=True)) == {
        "shigeru-ishiba",
        "donald-trump",
    }
