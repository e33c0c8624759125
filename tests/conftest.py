"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from articles.importer.reference import Reference


def reference_fixture_files() -> list[str]:
    return sorted(glob(str(REPO / "fixtures" / "reference" / "*.json")))


@pytest.fixture
def reference_data(db: None) -> None:
    """The negotiation's record from fixtures/reference/, loaded into the test database."""
    call_command("loaddata", *reference_fixture_files(), verbosity=0)


@pytest.fixture
def ref(reference_data: None) -> Reference:
    """The importer's snapshot of that record (sources, officials, rounds, meetings, measures)."""
    from articles.importer.reference import load_reference

    return load_reference()


@pytest.fixture
def requires_postgres(db: None) -> None:
    """Run only on PostgreSQL; in CI (NEWSROOM_REQUIRE_POSTGRES=1) a missing PostgreSQL fails."""
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("NEWSROOM_REQUIRE_POSTGRES") == "1":
            pytest.fail("This test needs PostgreSQL (DATABASE_URL).")
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Hashing with PBKDF2 costs ~0.5 s a user; tests need a password, not its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def suite_cache_and_read_allowance(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The embedded default cache is a directory shared by every process on the machine
    (newsroom.cache); the suite gets its own, so a running demo and the tests never meet.
    The suite reads the API thousands of times from one address: the read allowance is
    raised here, and tests/test_api_keys.py holds it at its real size."""
    from django.conf import settings
    from django.test.utils import override_settings

    overrides: dict[str, Any] = {
        "REST_FRAMEWORK": {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "reads": "1000000/min",
            },
        }
    }
    default = settings.CACHES["default"]
    if default["BACKEND"] == "newsroom.cache.SharedFileCache":
        location = str(tmp_path_factory.mktemp("cache"))
        overrides["CACHES"] = {"default": {**default, "LOCATION": location}}
    with override_settings(**overrides):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On SQLite the test database is a file, not memory: the tests that run the background
    worker as production does (`manage.py db_worker` in its own process) need to reach it."""
    import tempfile

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.mkdtemp(prefix="newsroom-test-db-")
        database.setdefault("TEST", {})["NAME"] = os.path.join(folder, "test.sqlite3")
