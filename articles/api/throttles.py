"""Throttles kept in Django's cache, so every worker sharing the cache (Redis) counts together.

DRF's SimpleRateThrottle reads a list, appends and writes it back, so two workers can both let
the last request through. This one counts with cache.add() + cache.incr(), which are atomic on
Redis (INCR) and on the local-memory cache, in fixed windows of the rate's period.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache as default_cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

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
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate
        self.num_requests, self.duration = parse_rate(str(rate))
        self.wait_seconds = 0.0

    def allow_request(self, request: Any, view: Any) -> bool:
        now = time.time()
        window = int(now // self.duration)
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{window}"
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add() and incr()
            self.cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        if count <= self.num_requests:
            return True
        self.wait_seconds = (window + 1) * self.duration - now
        return False

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def wait(self) -> float:
        return max(self.wait_seconds, 1.0)


class CommentSubmissionThrottle(WindowRateThrottle):
    """Reader comments per client (IP address; behind proxies see DRF's NUM_PROXIES)."""

    scope = "comments"
