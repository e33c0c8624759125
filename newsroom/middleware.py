"""django-csp's middleware with the policy built once, not on every response.

django-csp builds the Content-Security-Policy header from the settings on every response, twice
(the policy and the report-only one): about a tenth of a millisecond, a twentieth of an API
list's whole time. A response that asks for nothing of its own (no @csp_update, @csp_replace,
@csp_exempt or nonce) gets exactly the headers django-csp would build, kept until the
settings change; anything else goes through django-csp unchanged.
"""

from __future__ import annotations

import http.client
from functools import lru_cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a response may carry to change its policy (django-csp's decorators and helpers).
OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
DEBUG_CODES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


def default_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for each header the settings ask for, built
    again when the settings change (the signal) or are replaced (their identity)."""
    return _headers_for(
        id(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
        id(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)),
    )


@lru_cache(maxsize=1)
def _headers_for(
    policy_id: int, report_only_id: int
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The headers of the settings whose identities are given (the cache's key)."""
    headers = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            config = getattr(settings, setting, None) or {}
            prefixes = tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ())
            headers.append((header, policy, prefixes))
    return tuple(headers)


def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _headers_for.cache_clear()


setting_changed.connect(_forget, dispatch_uid="newsroom-csp-default-headers")


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        own = any(hasattr(response, name) for name in OWN_POLICY)
        if own or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in DEBUG_CODES and settings.DEBUG:
            return response
        for header, policy, prefixes in default_headers():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp: a nonce asked for from now on would not be in the header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


__all__ = ["CSPMiddleware", "default_headers"]
