"""Admin of the negotiation's record: the "in force on" filter and the other measure filters,
autocomplete for officials (through aliases), rounds (by number), meetings and measures, and a
round's meetings inline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from negotiations.models import Meeting, Official, Round, TariffMeasure
from tests.articles.admin_support import client_for, role_user

pytestmark = pytest.mark.django_db

MEASURES = "admin:negotiations_tariffmeasure_changelist"


@pytest.fixture
def editor() -> Client:
    return client_for(role_user("Editors"))


def listed(client: Client, query: str) -> list[str]:
    response = client.get(reverse(MEASURES) + query)
    assert response.status_code == 200
    return sorted(measure.slug for measure in response.context["cl"].result_list)


def test_in_force_on_gives_the_steel_rate_of_the_day(reference_data: None, editor: Client) -> None:
    may = listed(editor, "?in_force_on=2025-05-01&product_scope__exact=steel")
    june = listed(editor, "?in_force_on=2025-06-10&product_scope__exact=steel")

    assert may == ["section-232-steel-25"]
    assert june == ["section-232-steel-50"]
    assert TariffMeasure.objects.get(slug=june[0]).rate_percent == 50


def test_in_force_on_gives_japans_reciprocal_rate_of_the_day(
    reference_data: None, editor: Client
) -> None:
    query = "&product_scope__exact=all_goods&legal_basis__exact=ieepa"

    assert listed(editor, "?in_force_on=2025-04-20" + query) == ["ieepa-baseline-10"]
    assert listed(editor, "?in_force_on=2025-08-10" + query) == ["ieepa-reciprocal-japan-15"]


def test_status_scope_and_legal_basis_filters(reference_data: None, editor: Client) -> None:
    assert listed(editor, "?status__exact=suspended") == ["ieepa-reciprocal-japan-24"]
    assert listed(editor, "?legal_basis__exact=none") == ["threatened-25-letter"]
    assert listed(editor, "?product_scope__exact=auto_parts&status__exact=in_force") == [
        "section-232-auto-parts-15"
    ]


def test_the_date_form_offers_change_days_and_keeps_the_other_filters(
    reference_data: None, editor: Client
) -> None:
    html = editor.get(reverse(MEASURES) + "?status__exact=in_force").content.decode()

    assert 'type="date"' in html and 'name="in_force_on"' in html
    assert '<input type="hidden" name="status__exact" value="in_force">' in html
    assert "04 Jun 2025" in html  # a day the rates changed


def test_a_bad_date_gets_a_clear_message_and_no_rows(reference_data: None, editor: Client) -> None:
    response = editor.get(reverse(MEASURES) + "?in_force_on=2025-13-01")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert "is not a date: give the day as YYYY-MM-DD" in response.content.decode()


def autocomplete(client: Client, model_name: str, field_name: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response.content
    return [result["text"] for result in response.json()["results"]]


def test_officials_are_found_by_any_alias(reference_data: None, editor: Client) -> None:
    assert autocomplete(editor, "officiallink", "official", "Rutnick") == ["Howard Lutnick"]
    assert autocomplete(editor, "officiallink", "official", "Akazawa Ryosei") == ["Ryosei Akazawa"]


def test_rounds_are_found_by_number(reference_data: None, editor: Client) -> None:
    found = autocomplete(editor, "roundlink", "round", "4")
    by_word = autocomplete(editor, "roundlink", "round", "round 7")

    assert found == [str(Round.objects.get(number=4))]
    assert by_word == [str(Round.objects.get(number=7))]


def test_meetings_and_measures_autocomplete(reference_data: None, editor: Client) -> None:
    meeting = Meeting.objects.order_by("start_date").first()
    assert meeting is not None
    assert str(meeting) in autocomplete(editor, "meetinglink", "meeting", meeting.title[:12])
    assert autocomplete(editor, "measurelink", "measure", "steel") != []


def test_the_round_page_shows_its_meetings_inline(reference_data: None, editor: Client) -> None:
    round_ = Round.objects.get(number=4)
    html = editor.get(reverse("admin:negotiations_round_change", args=[round_.pk])).content.decode()

    assert round_.meetings.exists()
    for meeting in round_.meetings.all():
        assert meeting.title in html
    assert "meetings-TOTAL_FORMS" in html


def test_the_official_page_edits_aliases_inline(reference_data: None, editor: Client) -> None:
    lutnick = Official.objects.get(name="Howard Lutnick")
    html = editor.get(
        reverse("admin:negotiations_official_change", args=[lutnick.pk])
    ).content.decode()

    assert "Rutnick" in html and "Latnick" in html
    assert "aliases-TOTAL_FORMS" in html


def test_the_measure_page_shows_what_it_replaced(reference_data: None, editor: Client) -> None:
    steel_50 = TariffMeasure.objects.get(slug="section-232-steel-50")
    steel_25 = TariffMeasure.objects.get(slug="section-232-steel-25")
    html = editor.get(
        reverse("admin:negotiations_tariffmeasure_change", args=[steel_50.pk])
    ).content.decode()

    assert f'<a href="{steel_25.get_absolute_url()}">{steel_25}</a>' in html


def test_the_meeting_list_names_participants_and_approximate_durations(
    reference_data: None, editor: Client
) -> None:
    response = editor.get(reverse("admin:negotiations_meeting_changelist") + "?all=")
    html = response.content.decode()
    meeting: Any = Meeting.objects.filter(participants__isnull=False).first()

    assert meeting is not None
    assert all(p.name in html for p in meeting.participants.all())
    if Meeting.objects.filter(duration_approximate=True).exists():
        assert "~" in html
