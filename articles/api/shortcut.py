"""A 304 before the view: a conditional GET of the API answered with one cache call and no
database query, ahead of sessions, authentication, DRF's negotiation and the view.

When the API answers an anonymous GET (200 or 304), it remembers, per path and `Accept`
header, the validators it sent and the cache generations they were computed under
(`remember`). The next anonymous GET of that path with `If-None-Match` reads that entry and the
current generations in one `get_many`; if the generations are unchanged and the client holds
the remembered ETag, `NotModifiedShortcut` answers 304 at once, with the same validators and
caching headers the view would send.

What it trusts: every change the API shows bumps a generation (the services' domain signals,
the record's model signals, deletions; `articles.api.caching`). A change made behind all of
them (raw SQL, `QuerySet.update()` outside a service) is not seen here: the full check, which
also reads a fingerprint of the rows, takes over when the entry expires
(`NEWSROOM_API_SHORTCUT_SECONDS`; by default the page's max-age, 60 s, the time any cache may
already keep the page without asking; 0 turns the shortcut off).

Only anonymous requests take it: no `Authorization` header (tokens, app keys) and no session
cookie, so an editor's responses and an app's per-key allowance are untouched. A 304 answered
here is not counted by the read throttle (it costs one cache call, less than the throttle's
own bookkeeping).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import parse_etags

from articles.api.caching import COMMENTS, CONTENT, Validators, generation_key
from newsroom.routers import has_replica, pin_seconds

API_PREFIX = "/api/v1/"
_ENTRY = "newsroom:api:304:{}"
VARY = "Accept, Authorization, Cookie"
_SCOPES = (CONTENT, COMMENTS)


def shortcut_seconds() -> int:
    """How long an entry answers. With a read replica, no longer than the replica may lag
    (NEWSROOM_REPLICA_PIN_SECONDS): a page built from a lagging replica's rows under the
    current generation must not answer past the time the replica catches up."""
    seconds = int(getattr(settings, "NEWSROOM_API_SHORTCUT_SECONDS", 60))
    if has_replica():
        seconds = min(seconds, pin_seconds())
    return seconds


def has_session_cookie(request: HttpRequest) -> bool:
    """Does the request carry a session cookie (someone may be signed in)? The one test of
    it, for this shortcut and for the API's session authentication."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def entry_key(request: HttpRequest) -> str | None:
    """The entry's cache key for an anonymous GET or HEAD of the API; None for any other."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith(API_PREFIX):
        return None
    if "HTTP_AUTHORIZATION" in request.META or has_session_cookie(request):
        return None
    accept = request.META.get("HTTP_ACCEPT", "")
    digest = hashlib.sha256(f"{request.get_full_path()}\0{accept}".encode()).hexdigest()
    return _ENTRY.format(digest[:40])


def remember(
    request: HttpRequest,
    validators: Validators,
    cache_control: str,
    known: tuple[str | None, Any] | None = None,
) -> None:
    """After the view answered an anonymous GET: what a 304 for this request would carry.

    `known`: (this request's entry key, the entry then found), when the view has already read
    it (with the generations, in one cache call), so it is not read again."""
    seconds = shortcut_seconds()
    key = entry_key(request) if known is None else known[0]
    if key is None or seconds <= 0 or not validators.generations:
        return
    entry = (
        validators.etag,
        validators.last_modified_http,
        cache_control,
        dict(validators.generations),
    )
    # A read costs far less than a write (a file written and renamed; a Redis SET): the same
    # page asked again is not written again. Its lifetime counts from the first answer.
    if (cache.get(key) if known is None else known[1]) != entry:
        cache.set(key, entry, timeout=seconds)


def shortcut_response(request: HttpRequest) -> HttpResponse | None:
    """The 304 for this request if its entry still holds and the client has the ETag."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header or shortcut_seconds() <= 0:
        return None
    if "HTTP_IF_MATCH" in request.META or "HTTP_IF_UNMODIFIED_SINCE" in request.META:
        return None  # preconditions the view checks (412)
    request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it (400 otherwise)
    key = entry_key(request)
    if key is None:
        return None
    generation_keys = {scope: generation_key(scope) for scope in _SCOPES}
    found = cache.get_many([key, *generation_keys.values()])
    entry = found.get(key)
    if entry is None:
        return None
    etag, last_modified, cache_control, generations = entry
    for scope, generation in generations.items():
        current = found.get(generation_keys.get(scope, ""))
        if current is None or int(current) != generation:
            return None
    held = parse_etags(header)
    if "*" not in held and etag.removeprefix("W/") not in {e.removeprefix("W/") for e in held}:
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = cache_control
    response["Vary"] = VARY
    return response


class NotModifiedShortcut:
    """Middleware, placed before sessions and authentication: see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = shortcut_response(request)
        if response is not None:
            return response
        return self.get_response(request)


__all__ = ["NotModifiedShortcut", "entry_key", "remember", "shortcut_response"]
