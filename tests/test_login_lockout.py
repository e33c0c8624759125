"""Brute-force protection on the admin login (django-axes), keyed on username and address.

Issue 11, defect 4: 30 wrong passwords were all answered, and then the right one logged in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"
LOGIN = reverse("admin:login")


@pytest.fixture
def editor() -> None:
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


def attempt(client: Client, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": "editor", "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_after_five_wrong_passwords_is_refused_even_when_right(editor):
    client = Client(REMOTE_ADDR="198.51.100.10")
    answers = [attempt(client, "wrong").status_code for _ in range(5)]
    # The form again, with its error, four times; the fifth failure locks the pair out.
    assert answers == [200, 200, 200, 200, 429]
    assert not logged_in(client)
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429
    assert "locked" in refused.content.decode().lower()
    assert not logged_in(client)

    # Another address is not locked out: the same account logs in from there.
    elsewhere = Client(REMOTE_ADDR="198.51.100.11")
    response = attempt(elsewhere, PASSWORD)
    assert response.status_code == 302
    assert logged_in(elsewhere)

    # The README's unlock: axes' reset command for the username.
    call_command("axes_reset_username", "editor", verbosity=0)
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_behind_a_proxy_one_client_cannot_lock_out_the_others(editor, settings):
    """With NEWSROOM_API_NUM_PROXIES=1 the address is the one the proxy appended, as the
    API's throttles read it, not the proxy's own address every client shares."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(5):
        attempt(attacker, "wrong")
    assert attempt(attacker, PASSWORD).status_code == 429
    # A forged first hop does not help: the proxy appended the real address last.
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert attempt(forged, PASSWORD).status_code == 429

    colleague = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    response = attempt(colleague, PASSWORD)
    assert response.status_code == 302 and logged_in(colleague)


def test_a_right_password_before_the_limit_clears_the_count(editor):
    client = Client(REMOTE_ADDR="198.51.100.12")
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302  # 8 wrong in all, never 5 in a row
