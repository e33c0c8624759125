"""Who has an article open at the desk, and whether a newer version was saved since a page was
opened: polled by the article page (as Wagtail 6.2 does). Presence is a short-lived note in the
shared cache (`REDIS_URL` or the local cache), never a lock: saving still goes through the edit
conflict check."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.services.history import _saved_at_version

PRESENCE_SECONDS = 45  # a page polls every 15 s; three missed polls and the editor is gone


def _key(article_pk: int) -> str:
    return f"desk:presence:article:{article_pk}"


def note_presence(article_pk: int, username: str) -> list[str]:
    """Record that `username` has the article open now; the others who have it open."""
    now = time.time()
    seen: dict[str, float] = cache.get(_key(article_pk)) or {}
    seen = {name: at for name, at in seen.items() if now - at < PRESENCE_SECONDS}
    seen[username] = now
    cache.set(_key(article_pk), seen, PRESENCE_SECONDS)
    return sorted(name for name in seen if name != username)


def newer_version(article_pk: int, loaded_version: int) -> dict[str, Any] | None:
    """The newer saved version, who saved it and a link to the diff from the opened one; None
    while the article is still at the version the page was opened at."""
    current = Article.objects.only("version").get(pk=article_pk).version
    if current <= loaded_version:
        return None
    versions = list(
        Version.objects.get_for_object_reference(Article, article_pk)
        .select_related("revision__user")
        .order_by("-pk")[:50]
    )
    latest = versions[0] if versions else None
    opened = next((v for v in versions if _saved_at_version(v) == loaded_version), None)
    history = reverse("admin:articles_article_history", args=[article_pk])
    diff = history
    if latest is not None and opened is not None and opened.pk != latest.pk:
        diff = (
            reverse("admin:articles_article_compare", args=[article_pk])
            + f"?version_id1={opened.pk}&version_id2={latest.pk}"
        )
    user = latest.revision.user if latest is not None else None
    return {
        "version": current,
        "saved_by": user.get_username() if user is not None else "someone",
        "saved_at": latest.revision.date_created.isoformat() if latest is not None else "",
        "diff_url": diff,
    }


__all__ = ["PRESENCE_SECONDS", "newer_version", "note_presence"]
