"""App keys: `Authorization: Api-Key <key>` names the consuming app that reads the API.

Keys are djangorestframework-api-key's: issued by name in the admin (shown once, stored
hashed), revocable there. A key logs no one in and grants nothing beyond what anyone may
read; it raises the app's read allowance (ReadThrottle's "app_key_reads", counted on the
key). An unknown, revoked or expired key is refused with 401, so an app learns its key no
longer works rather than silently falling back to the anonymous allowance.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_api_key.models import AbstractAPIKey, APIKey

from articles.api.shortcut import has_session_cookie

KEYWORD = "Api-Key"


class AppKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[AnonymousUser, AbstractAPIKey] | None:
        scheme, _, key = get_authorization_header(request).decode("latin-1").partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        if not key:
            raise AuthenticationFailed(f"No key after '{KEYWORD}' in the Authorization header.")
        try:
            api_key = APIKey.objects.get_from_key(key)
        except APIKey.DoesNotExist:
            raise AuthenticationFailed("This API key is unknown or has been revoked.") from None
        if api_key.has_expired:
            raise AuthenticationFailed("This API key has expired.")
        return AnonymousUser(), api_key

    def authenticate_header(self, request: Any) -> str:
        return KEYWORD


class SessionAuthentication(DRFSessionAuthentication):
    """DRF's, answering at once for a request with no session cookie: no one can be signed
    in, so DRF would load Django's lazy user (an empty session) to find an anonymous one."""

    def authenticate(self, request: Any) -> Any:
        if not has_session_cookie(request._request):
            return None
        return super().authenticate(request)


class AppKeyScheme(OpenApiAuthenticationExtension):
    """The app key in the OpenAPI schema (drf-spectacular)."""

    target_class = "articles.api.authentication.AppKeyAuthentication"
    name = "appKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: an app's key, issued in the admin; reads with it "
            "get the higher app allowance.",
        }


class ApiSessionScheme(SessionScheme):
    """The session cookie in the OpenAPI schema, as drf-spectacular describes DRF's."""

    target_class = "articles.api.authentication.SessionAuthentication"
