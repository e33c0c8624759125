"""Reads are throttled (a generous allowance per anonymous address), and apps read with a key
editors issue in the admin, which gets a higher allowance counted on the key.

Issue 11, defect 9 (reads had no rate limit) and defect 10 (apps had no documented way to get
a token): djangorestframework-api-key's keys, shown once, stored hashed, revocable.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework_api_key.models import APIKey

from articles.api import throttles
from tests.articles.admin_support import client_for, role_user
from tests.articles.api_support import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

READ = "/api/v1/sources/"
ADD_KEY = reverse("admin:rest_framework_api_key_apikey_add")


@pytest.fixture
def small_allowances(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "reads": "2/min",
            "app_key_reads": "4/min",
        },
    }
    monkeypatch.setattr(throttles.time, "time", lambda: 1_750_000_035.0)  # mid-window


def issue_key(client: Client, name: str) -> str:
    """The admin flow: add a key by name; the key is in the page's message, once."""
    response = client.post(
        ADD_KEY, {"name": name, "expiry_date_0": "", "expiry_date_1": ""}, follow=True
    )
    assert response.redirect_chain, response.content.decode()[:2000]
    messages = " ".join(str(m) for m in response.context["messages"])
    (key,) = re.findall(r"is: (\S+)\. Please store it", messages)
    return str(key)


def keyed(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def test_the_real_read_allowances_are_generous_and_keys_get_more():
    from newsroom import settings as module

    rates = module.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    anonymous, keyed_rate = (
        throttles.parse_rate(rates["reads"]),
        throttles.parse_rate(rates["app_key_reads"]),
    )
    assert anonymous[0] / anonymous[1] >= 5  # at least 5 reads a second per address
    assert keyed_rate[0] / keyed_rate[1] > anonymous[0] / anonymous[1]


def test_anonymous_reads_are_throttled_per_address(small_allowances):
    client = Client(REMOTE_ADDR="198.51.100.1")
    assert [client.get(READ).status_code for _ in range(2)] == [200, 200]
    refused = client.get(READ)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert int(refused["Retry-After"]) == 45  # the rest of the window
    assert Client(REMOTE_ADDR="198.51.100.2").get(READ).status_code == 200
    # Editors signed in are not counted.
    editor = client_for(role_user("Editors"))
    assert {editor.get(READ, REMOTE_ADDR="198.51.100.1").status_code for _ in range(5)} == {200}


def test_an_editor_issues_a_key_shown_once_and_stored_hashed(small_allowances):
    editor = client_for(role_user("Editors", "erin"))
    key = issue_key(editor, "Tariff tracker (mobile)")
    stored = APIKey.objects.get(name="Tariff tracker (mobile)")
    assert key.startswith(stored.prefix + ".")
    row = APIKey.objects.filter(pk=stored.pk).values().get()
    assert not any(key in str(value) for value in row.values())  # only its hash is kept
    page = editor.get(reverse("admin:rest_framework_api_key_apikey_change", args=[stored.pk]))
    assert key not in page.content.decode()  # never shown again


def test_reads_with_a_key_get_the_higher_allowance_counted_on_the_key(small_allowances):
    key = issue_key(client_for(role_user("Editors")), "Wire desk dashboard")
    client = Client(REMOTE_ADDR="198.51.100.3")
    assert [client.get(READ).status_code for _ in range(3)] == [200, 200, 429]
    # The same address with the key: the key's own, higher allowance.
    answers = [client.get(READ, **keyed(key)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 200]
    # Counted on the key, wherever its requests come from.
    assert Client(REMOTE_ADDR="198.51.100.4").get(READ, **keyed(key)).status_code == 429


def test_a_revoked_or_unknown_key_is_refused(small_allowances):
    editor = client_for(role_user("Editors"))
    key = issue_key(editor, "Old partner feed")
    stored = APIKey.objects.get(name="Old partner feed")
    assert Client().get(READ, **keyed(key)).status_code == 200

    change = reverse("admin:rest_framework_api_key_apikey_change", args=[stored.pk])
    response = editor.post(
        change,
        {"name": "Old partner feed", "revoked": "on", "expiry_date_0": "", "expiry_date_1": ""},
    )
    assert response.status_code == 302
    refused = Client().get(READ, **keyed(key))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert refused["WWW-Authenticate"]  # says how to authenticate
    assert Client().get(READ, **keyed("abcdefgh.not-a-key")).status_code == 401


@pytest.mark.parametrize("role", ["Moderators", "Read-only"])
def test_only_editors_issue_keys(role):
    client = client_for(role_user(role))
    assert client.get(ADD_KEY).status_code == 403
    assert client_for(role_user("Editors")).get(ADD_KEY).status_code == 200
