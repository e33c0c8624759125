"""The importer changes articles through the services' building blocks (audit row, version bump,
queue-count invalidation), records who ran it, and reads the one registry of link kinds."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.admin.coverage import LINK_INLINES
from articles.api import filters, querysets
from articles.importer import store
from articles.importer.store import import_paths
from articles.management.commands.import_pages import COMMAND_LINE
from articles.models import LINK_KINDS, LINK_MODELS, Article, Comment, CoverageLink, RawDocument
from articles.services import coverage, history
from articles.services.audit import SystemActor
from articles.services.queue_counts import COUNT_KEY, count_arrivals, status_counts
from tests.articles.factories import UserFactory
from tests.articles.importer_support import GOOD, page_with_comments


def write(tmp_path: Path, text: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The shared building blocks.


@pytest.mark.django_db
def test_a_users_import_writes_the_audit_row_through_record_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = UserFactory(username="importer")
    recorded: list[tuple[Any, Any, str, int]] = []
    real = store.record_audit

    def spy(actor: Any, obj: Any, message: str, *, flag: int = CHANGE) -> LogEntry:
        recorded.append((actor, obj, message, flag))
        return real(actor, obj, message, flag=flag)

    monkeypatch.setattr(store, "record_audit", spy)
    path = write(tmp_path, GOOD)
    import_paths([path], actor=user)
    article = Article.objects.get()
    assert recorded == [(user, article, "Imported page.txt (created).", ADDITION)]
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.action_flag) == (user, str(article.pk), ADDITION)

    write(tmp_path, GOOD + "\nA second paragraph on the same talks.\n")
    import_paths([path], actor=user)
    assert recorded[-1][2:] == ("Imported page.txt (changed).", CHANGE)
    assert LogEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_changed_page_bumps_the_article_version_through_bump_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, GOOD)
    import_paths([path])
    article = Article.objects.get()
    assert article.version == 1
    bumps: list[tuple[int, int, dict[str, Any]]] = []
    real = store.bump_version

    def spy(target: Article, from_version: int, **values: Any) -> None:
        bumps.append((target.pk, from_version, values))
        real(target, from_version, **values)

    monkeypatch.setattr(store, "bump_version", spy)
    write(tmp_path, GOOD + "\nA second paragraph on the same talks.\n")
    import_paths([path])
    assert bumps == [(article.pk, 1, {"source_changed": True})]
    article.refresh_from_db()
    assert (article.version, article.source_changed) == (2, True)


PENDING_KEY = COUNT_KEY.format(Comment.Status.PENDING)


def counting_arrivals(callbacks: list[Any]) -> list[Any]:
    return [callback for callback in callbacks if getattr(callback, "func", None) is count_arrivals]


@pytest.mark.django_db
def test_an_import_adding_pending_comments_adds_them_to_the_cached_queue_counts(
    tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    cache.clear()
    assert status_counts()[Comment.Status.PENDING] == 0
    assert cache.get(PENDING_KEY) == 0  # the queue now reads the cached counts
    with django_capture_on_commit_callbacks(execute=True):
        import_paths([write(tmp_path, page_with_comments(3))])
    assert cache.get(PENDING_KEY) == 3  # counted by the import, not recounted by the queue
    with CaptureQueriesContext(connection) as captured:
        assert status_counts()[Comment.Status.PENDING] == 3
    assert not captured.captured_queries


@pytest.mark.django_db
def test_an_import_without_new_comments_leaves_the_queue_counts_cached(
    tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    cache.clear()
    status_counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_paths([write(tmp_path, GOOD)])
    assert not counting_arrivals(callbacks)
    assert cache.get(PENDING_KEY) == 0


@pytest.mark.django_db
def test_a_dry_run_leaves_the_queue_counts_cached(
    tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    cache.clear()
    status_counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_paths([write(tmp_path, page_with_comments(2))], dry_run=True)
    assert not counting_arrivals(callbacks)
    assert cache.get(PENDING_KEY) == 0
    assert Comment.objects.count() == 0


# Who ran the import.


@pytest.mark.django_db
def test_the_command_line_import_without_a_user_is_recorded_as_the_command_line(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, GOOD)
    call_command("import_pages", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    raw = RawDocument.objects.get()
    # No user row to name: the report names the command and the OS account that ran it.
    assert raw.import_report["imported_by"].startswith("import_pages (command line, OS user ")
    assert LogEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_command_line_import_with_a_user_is_recorded_as_that_user(tmp_path: Path) -> None:
    user = UserFactory(username="desk")
    path = write(tmp_path, GOOD)
    call_command(
        "import_pages", "--user", "desk", str(path), stdout=io.StringIO(), stderr=io.StringIO()
    )
    raw = RawDocument.objects.get()
    assert raw.import_report["imported_by"] == "desk"
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id) == (user, str(raw.article_id))


def test_the_command_line_actor_is_a_named_system_actor_without_permissions() -> None:
    assert SystemActor("import_pages (command line)") == COMMAND_LINE
    assert COMMAND_LINE.pk is None
    assert COMMAND_LINE.get_username() == "import_pages (command line)"
    assert not COMMAND_LINE.has_perm("articles.change_article")


# The registry of link kinds.


def test_every_kind_in_the_registry_has_a_link_model_and_target_field() -> None:
    assert list(LINK_KINDS) == ["round", "meeting", "official", "measure"]
    for name, kind in LINK_KINDS.items():
        assert kind.name == name
        assert issubclass(kind.model, CoverageLink)
        field = kind.model._meta.get_field(kind.target_field)
        assert field.related_model is kind.target_model
        assert kind.target_column == f"{kind.target_field}_id"
        assert kind.target_model._meta.get_field(kind.key)  # the key names a target
        assert hasattr(Article, kind.related_name)
    assert tuple(kind.model for kind in LINK_KINDS.values()) == LINK_MODELS


def test_the_importer_api_admin_and_history_read_the_registry() -> None:
    kinds = list(LINK_KINDS.values())
    assert not hasattr(store, "LINK_MODELS")  # the importer keeps no list of its own
    assert [inline.model for inline in LINK_INLINES] == [kind.model for kind in kinds]
    assert [inline.autocomplete_fields for inline in LINK_INLINES] == [
        (kind.target_field,) for kind in kinds
    ]
    assert tuple((k.plural, k.model, k.key) for k in kinds) == querysets.COVERAGE_KEYS
    assert filters.ArticleFilterSet._links == {k.name: k.model for k in kinds}
    assert tuple(kind.related_name for kind in kinds) == history.HISTORY_FOLLOW
    assert {kind.target_model: kind.model for kind in kinds} == coverage.LINK_MODEL_FOR_TARGET


@pytest.mark.django_db
def test_the_importer_suggests_links_of_every_kind_it_finds_into_the_registrys_tables(
    tmp_path: Path, reference_data: None
) -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    run = import_paths([seeds])
    linked = {
        name
        for name, kind in LINK_KINDS.items()
        if kind.model.objects.filter(status=CoverageLink.Status.SUGGESTED).exists()
    }
    counted = {kind for result in run.results for kind, n in result.links.items() if n}
    assert counted == linked
    assert {"round", "official"} <= linked
