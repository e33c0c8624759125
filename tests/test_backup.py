"""Backups keep history (issue 11, defect 1): restoring into an empty database gives every
article back with its own id, revisions, diffs and ninjs `version`, even when ids have gaps,
and a new article never inherits the history of a deleted one. Runs on the suite's backend
(SQLite, and PostgreSQL in CI); the last test is PostgreSQL's own (its sequences)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Comment, RoundLink
from tests.articles.admin_support import client_for, role_user
from tests.articles.factories import ArticleFactory, ImportedCommentFactory, RoundLinkFactory
from tests.articles.test_history import save_page
from tests.negotiations.factories import RoundFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def fresh_content_types() -> Iterator[None]:
    """Flushing recreates the content types under new ids; no test may see cached old ones."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def history(article_pk: int) -> list[tuple[str, str, str]]:
    """(revision comment, user, headline as recorded) of each revision, oldest first."""
    return [
        (v.revision.comment, str(v.revision.user or ""), v.field_dict["headline"])
        for v in Version.objects.get_for_object_reference(Article, article_pk)
        .select_related("revision__user")
        .order_by("pk")
    ]


def diff(client: Client, article_pk: int) -> str:
    """The compare view's changes between the article's last two revisions."""
    first, second = list(
        Version.objects.get_for_object_reference(Article, article_pk).order_by("-pk")[:2]
    )[::-1]
    response = client.get(
        reverse("admin:articles_article_compare", args=[article_pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert response.status_code == 200
    return " ".join(re.findall(r"<(?:del|ins)>[^<]*</(?:del|ins)>", response.content.decode()))


def ninjs_version(client: Client, slug: str) -> str:
    response = client.get(f"/api/v1/articles/{slug}/", {"format": "ninjs"})
    assert response.status_code == 200, response.content
    return str(response.json()["version"])


def state(client: Client) -> dict[int, dict[str, Any]]:
    cache.clear()  # the API's validators; a restored database is a new one
    return {
        article.pk: {
            "slug": article.slug,
            "headline": article.headline,
            "history": history(article.pk),
            "diff": diff(client, article.pk),
            "ninjs_version": ninjs_version(client, article.slug),
            "links": sorted(RoundLink.objects.filter(article=article).values_list("pk", "status")),
            "comments": sorted(Comment.objects.filter(article=article).values_list("pk", "body")),
        }
        for article in Article.objects.order_by("pk")
    }


def make_articles_with_history(editor: Any, client: Client) -> list[Article]:
    """Five articles, each saved twice in the admin under its own headlines (a baseline and
    two revisions each, the second with a link confirmed)."""
    made = []
    for n in range(1, 6):
        article = ArticleFactory.create(headline=f"Article {n}, first headline")
        RoundLinkFactory.create(article=article, round=RoundFactory.create(number=n + 10))
        ImportedCommentFactory.create(article=article, body=f"A reader on article {n}.")
        assert save_page(client, article, headline=f"Article {n}, second").status_code == 302
        article.refresh_from_db()
        save_page(
            client, article, headline=f"Article {n}, third", **{"roundlinks-0-decision": "accept"}
        )
        made.append(article)
    return made


def delete(article: Article) -> None:
    """Delete the article (the admin does not: articles are retracted; a shell or a rolled-back
    import does). Its revisions stay in the history, as django-reversion keeps them."""
    Article.objects.filter(pk=article.pk).delete()


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_a_restore_gives_every_article_its_own_history_despite_gaps(
    reference_data: None, tmp_path: Path, suffix: str
) -> None:
    editor = role_user("Editors", "eddie")
    client = client_for(editor)
    made = make_articles_with_history(editor, client)
    # Gaps: a deleted article in the middle and the newest one (their history is kept).
    middle, newest = made[1], made[-1]
    deleted_ids = {middle.pk, newest.pk}
    delete(middle)
    delete(newest)
    assert not Article.objects.filter(pk__in=deleted_ids).exists()
    deleted_history = [history(pk) for pk in sorted(deleted_ids)]
    assert [len(revisions) for revisions in deleted_history] == [3, 3]  # kept by reversion
    before = state(client)
    assert len(before) == 3
    assert all(len(article["history"]) == 3 for article in before.values())
    assert "Article 3, second" in before[made[2].pk]["diff"]

    path = tmp_path / f"newsroom{suffix}"
    assert "Backed up" in backup(path)
    call_command("flush", interactive=False, verbosity=0)  # a new, empty database
    assert not Article.objects.exists() and not Version.objects.exists()
    said = restore(path)

    client = client_for(editor)  # sessions are not restored: log in again
    assert state(client) == before
    assert [history(pk) for pk in sorted(deleted_ids)] == deleted_history  # recoverable
    assert f"New articles are numbered from {newest.pk + 1}." in said
    newcomer = ArticleFactory.create(headline="Written after the restore")
    assert newcomer.pk > max(deleted_ids)
    assert history(newcomer.pk) == []


def test_a_restore_into_a_database_that_is_not_empty_is_refused(
    reference_data: None, tmp_path: Path
) -> None:
    ArticleFactory.create(headline="Already here")
    path = tmp_path / "newsroom.json"
    backup(path)

    with pytest.raises(CommandError) as refusal:
        restore(path)

    assert str(refusal.value).startswith("The database is not empty: it holds ")
    assert "Nothing was written." in str(refusal.value)
    assert Article.objects.count() == 1


def test_a_backup_keeps_ids_and_names_migration_rows_by_natural_key(
    reference_data: None, tmp_path: Path
) -> None:
    editor = role_user("Editors", "eddie")
    make_articles_with_history(editor, client_for(editor))
    path = tmp_path / "newsroom.json"
    backup(path)
    rows = json.loads(path.read_text(encoding="utf-8"))

    models = {row["model"] for row in rows}
    assert {"articles.article", "reversion.version", "admin.logentry", "auth.user"} <= models
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    assert all("pk" in row for row in rows if row["model"] != "auth.group")
    version = next(row for row in rows if row["model"] == "reversion.version")
    assert version["fields"]["content_type"] == ["articles", "article"]
    user = next(row for row in rows if row["model"] == "auth.user")
    assert user["fields"]["groups"] == [["Editors"]]


def test_restore_sets_the_postgresql_sequences_past_remembered_ids(
    requires_postgres: None, reference_data: None, tmp_path: Path
) -> None:
    editor = role_user("Editors", "eddie")
    client = client_for(editor)
    made = make_articles_with_history(editor, client)
    delete(made[-1])
    path = tmp_path / "newsroom.json"
    backup(path)
    call_command("flush", interactive=False, verbosity=0)

    restore(path)

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('articles_article', 'id'))")
        (next_id,) = cursor.fetchone()
    assert next_id == made[-1].pk + 1
