"""`manage.py demo` sets up a working instance and is harmless to run twice."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from negotiations.models import Meeting, Round, TariffMeasure

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(username: str, password: str):  # type: ignore[no-untyped-def]
    """As the admin's login form does: the login lockout (django-axes) needs the request."""
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


def run_demo(**env) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def test_demo_loads_the_record_and_creates_role_accounts(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    output = run_demo()
    assert "s3cret-demo" in output
    assert Round.objects.count() >= 8
    assert Meeting.objects.count() >= 20
    assert TariffMeasure.objects.count() >= 12

    User = get_user_model()
    assert log_in("editor", "s3cret-demo")
    assert log_in("moderator", "s3cret-demo")
    admin = log_in("admin", "s3cret-demo")
    assert admin and admin.is_superuser
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == [
        "Editors"
    ]
    assert list(User.objects.get(username="moderator").groups.values_list("name", flat=True)) == [
        "Moderators"
    ]


def test_running_demo_twice_changes_nothing(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    run_demo()
    counts = (Round.objects.count(), Meeting.objects.count(), get_user_model().objects.count())
    output = run_demo()
    assert (
        Round.objects.count(),
        Meeting.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert "newsroom" in output
    assert log_in("editor", "newsroom")
