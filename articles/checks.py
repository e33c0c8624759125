"""System checks: what the importer needs is there and sound before any page is imported, and
the API's throttles and validators are shared by every worker that serves it."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def line_model_loads(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The segmenter's line model ships with the code; a missing or damaged file would change
    what every import keeps, so it is an error at startup rather than a surprise per page."""
    from articles.importer import linemodel

    try:
        model = linemodel.load_model()
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [
            checks.Error(
                f"The importer's line model cannot be loaded: {error}",
                hint="Restore articles/importer/linemodel.json from the repository, or "
                "retrain it: python benchmarks/train_segmenter.py",
                id="articles.E001",
            )
        ]
    if model is None:
        return [
            checks.Error(
                f"The importer's line model is missing ({linemodel.MODEL_PATH}).",
                hint="Restore it from the repository, or retrain it: "
                "python benchmarks/train_segmenter.py",
                id="articles.E001",
            )
        ]
    return []


@checks.register()
def sqlite_search_index(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """On SQLite, ranked search needs FTS5's trigram tokenizer (SQLite 3.34 or later)."""
    from django.db import connections

    from articles.search import sqlite_has_trigram

    if connections["default"].vendor != "sqlite" or sqlite_has_trigram():
        return []
    return [
        checks.Warning(
            "This Python's SQLite library has no FTS5 trigram tokenizer, so article search "
            "falls back to unranked substring matching.",
            hint="Use a Python built with SQLite 3.34 or later (python -c 'import sqlite3; "
            "print(sqlite3.sqlite_version)'), then re-run the search migration: "
            "`manage.py migrate articles 0005` and `manage.py migrate`.",
            id="articles.W010",
        )
    ]


SQLITE_SEARCH_OBJECTS = (
    ("table", "articles_article_fts"),
    ("trigger", "articles_article_fts_insert"),
    ("trigger", "articles_article_fts_delete"),
    ("trigger", "articles_article_fts_update"),
)


def missing_search_objects(alias: str = "default") -> list[str]:
    """The SQLite search index's table and triggers that the database lacks."""
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'articles_article_fts%'"
        )
        present = set(cursor.fetchall())
    return [f"{kind} {name}" for kind, name in SQLITE_SEARCH_OBJECTS if (kind, name) not in present]


@checks.register(checks.Tags.database)
def sqlite_search_index_current(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A later migration that rebuilds the article table on SQLite drops its triggers: the
    search index would then silently go stale. Run by `migrate` and `check --database`."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from articles.search import sqlite_has_trigram

    errors: list[checks.CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "sqlite" or not sqlite_has_trigram():
            continue
        applied = MigrationRecorder(connection).applied_migrations()
        if ("articles", "0006_search_cjk_bigrams_and_sqlite_fts") not in applied:
            continue
        missing = missing_search_objects(alias)
        if missing:
            errors.append(
                checks.Error(
                    f"The SQLite search index is incomplete in database {alias!r}: "
                    f"{', '.join(missing)} missing, so search results would go stale.",
                    hint="A migration that rebuilt articles_article dropped them. Re-create "
                    "them: `manage.py migrate articles 0005` then `manage.py migrate`.",
                    id="articles.E011",
                )
            )
    return errors


PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches)
def cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Throttles and the API's validator generations live in the default cache; a per-process
    cache lets each worker admit its own allowance and answer 304 from its own generation."""
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is kept per process: each "
            "worker counts its own throttles and keeps its own API validators, so several "
            "workers admit several times the limits and may answer 304 with a stale ETag.",
            hint="Set REDIS_URL (production), or leave CACHES at the shared file cache "
            "(newsroom.cache.SharedFileCache, NEWSROOM_CACHE_DIR) the settings give without it.",
            id="articles.W001",
        )
    ]
