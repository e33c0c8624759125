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
