"""HTTP validators (ETag, Last-Modified) computed before any payload is built.

A validator combines two things, both cheap:

- a fingerprint of the rows the response is built from, read with one aggregate query
  (how many, the newest change, the sum of versions), so a change made anywhere that
  writes those rows (another process, a bulk update) changes the validator;
- a generation kept in Django's cache, bumped when something changes, so changes to related
  rows (a confirmed link, a renamed outlet) change it too:
  - the desk's services announce their changes with domain signals once committed
    (`articles.signals`: `article_changed` bumps the content, `comment_moderated` the
    comments), so how a service writes its rows (save, QuerySet.update, bulk_create) is
    its own business;
  - the record (the negotiation's tables and the sources) is edited as plain models in
    admin, with no service: its saves, deletes and many-to-many changes bump the content;
  - what happens outside the services on their models bumps it too: deletions (superusers,
    in admin) and raw saves (loaddata, recovering a deleted article from its history).

With REDIS_URL set the cache is Redis and every worker reads the same generation; without it
each process has its own (local memory), which is right for one process. The receivers only
invalidate caches; they are not part of any workflow.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Model, QuerySet, Subquery
from django.db.models.options import Options
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.http import http_date

from articles.signals import article_changed, comment_moderated

# Bump when the shape of any response changes, so clients holding old validators refetch.
API_SHAPE_VERSION = "v1.2"

CONTENT = "content"
COMMENTS = "comments"
_KEY = "newsroom:api:generation:{}"
_APPS = {"articles", "negotiations"}
# Raw pages are not in any API response.
_SILENT_MODELS = {"rawdocument"}
_COMMENT_MODELS = {"comment", "moderationdecision"}
# Edited as plain models (no service): the negotiation's record and the sources.
_RECORD_APPS = {"negotiations"}
_RECORD_MODELS = {"articles.source"}


def generation_key(scope: str) -> str:
    return _KEY.format(scope)


def current_generations(
    scopes: Iterable[str], also: dict[str, Any] | None = None
) -> dict[str, int]:
    """Each scope's generation: the time (ns) of the last change the cache heard of.

    `also`: other keys to read in the same call, each given its value (None if absent)."""
    keys = {scope: generation_key(scope) for scope in scopes}
    found = cache.get_many([*keys.values(), *(also or ())])
    if also is not None:
        for key in also:
            also[key] = found.get(key)
    result: dict[str, int] = {}
    for scope, key in keys.items():
        value = found.get(key)
        if value is None:
            # Unknown (cold cache, eviction): start a new generation now. add() keeps the
            # value another worker may have set in between.
            cache.add(key, time.time_ns(), timeout=None)
            value = cache.get(key, time.time_ns())
        result[scope] = int(value)
    return result


def bump_generation(scope: str) -> None:
    cache.set(generation_key(scope), time.time_ns(), timeout=None)


def _bump_now_and_on_commit(scope: str) -> None:
    """Now, and again once the change is committed: a request served in between computed
    its validators from the rows as they were, under the new generation."""
    bump_generation(scope)
    transaction.on_commit(partial(bump_generation, scope))


# Domain signals: sent once the service's transaction committed, so one bump is enough.


@receiver(article_changed, dispatch_uid="newsroom-api-article-changed")
def _article_changed(sender: Any, **kwargs: Any) -> None:
    bump_generation(CONTENT)


@receiver(comment_moderated, dispatch_uid="newsroom-api-comment-moderated")
def _comment_moderated(sender: Any, **kwargs: Any) -> None:
    bump_generation(COMMENTS)


# Model signals: the record, and what happens outside the services.


def _scope(meta: Options[Any]) -> str | None:
    if meta.app_label not in _APPS or meta.model_name in _SILENT_MODELS:
        return None
    return COMMENTS if meta.model_name in _COMMENT_MODELS else CONTENT


def _is_record(meta: Options[Any]) -> bool:
    return meta.app_label in _RECORD_APPS or meta.label_lower in _RECORD_MODELS


def _saved(sender: type[Model], raw: bool = False, **kwargs: Any) -> None:
    scope = _scope(sender._meta)
    if scope is not None and (raw or _is_record(sender._meta)):
        _bump_now_and_on_commit(scope)


def _deleted(sender: type[Model], **kwargs: Any) -> None:
    scope = _scope(sender._meta)
    if scope is not None:
        _bump_now_and_on_commit(scope)


def _m2m_changed(sender: type[Model], action: str, **kwargs: Any) -> None:
    scope = _scope(sender._meta)
    if scope is not None and action.startswith("post_") and _is_record(sender._meta):
        _bump_now_and_on_commit(scope)


post_save.connect(_saved, dispatch_uid="newsroom-api-generation-save")
post_delete.connect(_deleted, dispatch_uid="newsroom-api-generation-delete")
m2m_changed.connect(_m2m_changed, dispatch_uid="newsroom-api-generation-m2m")


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime.datetime
    # The cache generations they were computed under (`articles.api.shortcut` re-checks them).
    generations: tuple[tuple[str, int], ...] = ()

    @property
    def last_modified_timestamp(self) -> int:
        return int(self.last_modified.timestamp())

    @property
    def last_modified_http(self) -> str:
        return http_date(self.last_modified_timestamp)


def articles_changed() -> dict[str, Any]:
    """The newest article id and change, as aggregates any query can carry (index lookups)."""
    from articles.models import Article

    newest = Article.objects.order_by()
    return {
        "article_top": Max(Subquery(newest.order_by("-pk").values("pk")[:1])),
        "article_changed": Max(Subquery(newest.order_by("-updated_at").values("updated_at")[:1])),
    }


def fingerprint(queryset: QuerySet[Any], aggregates: dict[str, Any]) -> dict[str, Any]:
    """One aggregate query over the rows a response is built from (ordering dropped)."""
    return queryset.order_by().aggregate(**aggregates)


def compute_validators(
    *,
    parts: Iterable[Any],
    rows: dict[str, Any],
    scopes: Iterable[str],
    also: dict[str, Any] | None = None,
) -> Validators:
    """The validators of a response built from `rows` under the current generations (read
    in one cache call, with the keys of `also`, which it fills in)."""
    generations = current_generations(scopes, also)
    digest = hashlib.sha256(
        repr(
            (API_SHAPE_VERSION, tuple(parts), sorted(rows.items()), sorted(generations.items()))
        ).encode()
    ).hexdigest()[:40]
    newest = max(generations.values(), default=time.time_ns()) / 1e9
    moments = [datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)]
    moments += [v for v in rows.values() if isinstance(v, datetime.datetime)]
    return Validators(
        etag=f'"{digest}"',
        last_modified=max(moments),
        generations=tuple(sorted(generations.items())),
    )
