"""Throttles kept in Django's cache, so every worker sharing the cache counts together.

DRF's SimpleRateThrottle reads a list, appends and writes it back, so two workers can both let
the last request through. This one counts with newsroom.cache.hit(): one
call on the project's backends (Redis: SET NX and INCR in one round trip; the embedded shared
file cache: one read and write under a file lock), cache.add() + cache.incr() on others (the
local-memory cache), atomic on each, in fixed windows of the rate's period.

Reads (ReadThrottle) get a generous allowance per anonymous address and a higher one per app
key (articles.api.authentication), counted on the key; editors signed in are not counted.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache as default_cache
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework_api_key.models import AbstractAPIKey

from newsroom.cache import hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/min' -> (5, 60). The period is named by its first letter, as in DRF."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def client_address(request: Any) -> str:
    """The client's address, the one definition of it: the connecting address, or, with
    NEWSROOM_API_NUM_PROXIES (DRF's NUM_PROXIES) set, the one the nearest trusted proxy
    appended to X-Forwarded-For, so a client cannot forge its own. The throttles count it and
    the admin's login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) keys on it."""
    return BaseThrottle().get_ident(request)


class WindowRateThrottle(BaseThrottle):
    """At most N requests per client per period; the rate comes from DEFAULT_THROTTLE_RATES."""

    scope = ""
    default_rate = "5/min"
    cache: Any = default_cache

    def __init__(self) -> None:
        self.wait_seconds = 0.0

    def rate(self, scope: str) -> tuple[int, int]:
        """(requests, seconds) for a scope, from DEFAULT_THROTTLE_RATES."""
        return parse_rate(str(api_settings.DEFAULT_THROTTLE_RATES.get(scope) or self.default_rate))

    def allow_request(self, request: Any, view: Any) -> bool:
        return self.admit(self.scope, self.get_ident(request))

    def admit(self, scope: str, ident: str) -> bool:
        """Count one request of `ident` in the current window of `scope`'s rate."""
        num_requests, duration = self.rate(scope)
        now = time.time()
        window = int(now // duration)
        count = hit(self.cache, f"throttle:{scope}:{ident}:{window}", duration + 1)
        if count <= num_requests:
            return True
        self.wait_seconds = (window + 1) * duration - now
        return False

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def wait(self) -> float:
        return max(self.wait_seconds, 1.0)


class CommentSubmissionThrottle(WindowRateThrottle):
    """Reader comments per client (IP address; behind proxies see DRF's NUM_PROXIES)."""

    scope = "comments"


class ReadThrottle(WindowRateThrottle):
    """Reads (GET, HEAD, OPTIONS): "reads" per anonymous address, "app_key_reads" per app key
    (counted on the key, wherever its requests come from). Editors signed in with a token or
    a session are not counted; writes have their own throttles (comments)."""

    scope = "reads"
    default_rate = "600/min"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method not in SAFE_METHODS:
            return True
        if isinstance(request.auth, AbstractAPIKey):
            return self.admit("app_key_reads", f"key:{request.auth.prefix}")
        if request.user and request.user.is_authenticated:
            return True
        return self.admit(self.scope, self.get_ident(request))
