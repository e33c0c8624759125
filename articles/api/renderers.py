"""JSON and ninjs renderers (orjson when installed) and content negotiation that says 400.

An unknown `format=` value is an invalid query parameter (400 naming it), not DRF's bare 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

from articles.api.problems import InvalidParam, InvalidParameters

try:  # orjson is several times faster than json; the API works without it.
    import orjson
except ImportError:  # pragma: no cover - orjson is a declared dependency
    orjson = None  # type: ignore[assignment]


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return str(value)  # lazy translations and other str-like values


class ApiJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if orjson is None:
            return super().render(data, accepted_media_type, renderer_context)
        # UTC date-times as "...Z", the form DRF (and articles.api.links.iso) write.
        option = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z
        return orjson.dumps(data, default=_fallback, option=option)


class NinjsRenderer(ApiJSONRenderer):
    media_type = "application/ninjs+json"
    format = "ninjs"


class StrictContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        """DRF's choice; a request that names no format and accepts anything (no Accept
        header, or `*/*`) gets the first renderer and its media type, as DRF would answer
        after parsing the header and ranking every renderer against it."""
        renderers = renderers if isinstance(renderers, list) else list(renderers)
        if (
            renderers
            and not format_suffix
            and request.META.get("HTTP_ACCEPT", "*/*") == "*/*"
            and not request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        ):
            return renderers[0], str(renderers[0].media_type)
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(str(r.format) for r in renderers)
            raise InvalidParameters.from_params(
                [InvalidParam("format", f"Must be one of: {offered}.")]
            )
        return matching
