"""The OpenAPI document, held to the rules of every other v1 endpoint: unknown query
parameters are refused, and errors are application/problem+json (not YAML)."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.problems import (
    EMPTY_VALUE,
    PROBLEM_MEDIA_TYPE,
    InvalidParam,
    InvalidParameters,
)
from articles.api.renderers import ApiJSONRenderer, StrictContentNegotiation
from articles.api.views.base import refuse_undeclared_method

# drf-spectacular's own: the document's format (json, yaml) and language.
SCHEMA_PARAMS = frozenset({"format", "lang"})


class SchemaView(SpectacularAPIView):
    content_negotiation_class = StrictContentNegotiation  # an unknown format is a 400

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        refuse_undeclared_method(self, request)
        unknown = sorted(set(request.query_params) - SCHEMA_PARAMS)
        if unknown:
            reason = f"Unknown parameter. This endpoint takes: {', '.join(sorted(SCHEMA_PARAMS))}."
            raise InvalidParameters.from_params([InvalidParam(n[:60], reason) for n in unknown])
        empty = sorted(name for name, value in request.query_params.items() if value == "")
        if empty:
            raise InvalidParameters.from_params([InvalidParam(n, EMPTY_VALUE) for n in empty])
        super().initial(request, *args, **kwargs)

    def finalize_response(  # type: ignore[override]  # as ApiViewSet's
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]
        if isinstance(response, Response) and response.status_code >= 400:
            # The negotiated renderer writes OpenAPI documents; a problem is JSON.
            response.accepted_renderer = ApiJSONRenderer()
            response.accepted_media_type = PROBLEM_MEDIA_TYPE
            response["Content-Type"] = PROBLEM_MEDIA_TYPE
        return response
