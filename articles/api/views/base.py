"""What every v1 endpoint shares: strict query parameters, validators computed before any
payload, cache headers, and problem details for errors."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from articles.api.caching import (
    CONTENT,
    Validators,
    articles_changed,
    compute_validators,
    fingerprint,
)
from articles.api.filters import StrictFilterBackend
from articles.api.links import Links
from articles.api.pagination import KeysetPagination
from articles.api.problems import (
    EMPTY_VALUE,
    InvalidParam,
    InvalidParameters,
    PreconditionFailed,
)
from articles.api.renderers import ApiJSONRenderer, StrictContentNegotiation
from articles.api.shortcut import entry_key, remember

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# What each validator reads (one aggregate query; see articles.api.caching). Lists of articles
# read the newest id and change over the whole table, which indexes answer at once; a filtered
# count over thousands of rows would cost more than the page itself.
ARTICLE_FINGERPRINT = {"n": Count("pk"), "changed": Max("updated_at"), "versions": Sum("version")}
ARTICLE_LIST_FINGERPRINT = {"top": Max("pk"), "changed": Max("updated_at")}
COMMENT_FINGERPRINT = {"n": Count("pk"), "newest": Max("created_at"), "versions": Sum("version")}


def record_fingerprint() -> dict[str, Any]:
    """Records show published articles (provenance), and the workflow publishes with
    QuerySet.update(), which sends no signal: so the newest article change counts too."""
    return {"n": Count("pk"), "top": Max("pk"), **articles_changed()}


def refuse_undeclared_method(view: APIView, request: Request) -> None:
    """A method the endpoint does not declare is a 405 (with Allow), whatever else is wrong
    with the request: DRF would check the parameters, the format and the throttles first."""
    method = (request.method or "").lower()
    if method not in view.http_method_names or not hasattr(view, method):
        raise MethodNotAllowed(request.method or "")


class ApiViewSet(viewsets.GenericViewSet):
    """What every endpoint shares: strict parameters, validators, cache headers, problems."""

    renderer_classes = [ApiJSONRenderer]
    parser_classes = [JSONParser]
    permission_classes = [AllowAny]
    filter_backends = [StrictFilterBackend]
    content_negotiation_class = StrictContentNegotiation
    lookup_field = "slug"
    # Query parameters a list accepts besides its FilterSet's and the paginator's.
    list_params: ClassVar[frozenset[str]] = frozenset()
    detail_params: ClassVar[frozenset[str]] = frozenset()
    fingerprint_aggregates: ClassVar[dict[str, Any]] = {}
    generation_scopes: ClassVar[tuple[str, ...]] = (CONTENT,)
    detail_serializer_class: Any = None
    validators: Validators | None = None
    fingerprint_rows: dict[str, Any] = {}
    # (the shortcut's entry key for this request, the entry found), read with the validators.
    remembered: tuple[str | None, Any] | None = None

    @cached_property
    def editor(self) -> bool:
        """Editors (anyone who may view articles in admin) also see drafts."""
        user = getattr(self.request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("articles.view_article"))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["editor"] = self.editor
        context["links"] = Links(self.request)
        return context

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    # Query parameters ----------------------------------------------------------------------

    def allowed_query_params(self) -> set[str]:
        allowed = {"format"}
        if self.action == "list":
            filterset = getattr(self, "filterset_class", None)
            if filterset is not None:
                allowed |= set(filterset.base_filters)
            if self.pagination_class is not None:
                allowed |= {
                    KeysetPagination.cursor_query_param,
                    KeysetPagination.page_size_query_param,
                }
            allowed |= self.list_params
        elif self.action == "retrieve":
            allowed |= self.detail_params
        return allowed

    def check_query_params(self, request: Request) -> None:
        allowed = self.allowed_query_params()
        refused = []
        for name in request.query_params:
            shown = name[:60]
            if name not in allowed:
                reason = f"Unknown parameter. This endpoint takes: {', '.join(sorted(allowed))}."
                refused.append(InvalidParam(shown, reason))
            elif len(request.query_params.getlist(name)) > 1:
                refused.append(InvalidParam(shown, "Given more than once; give it once."))
            elif request.query_params[name] == "":
                refused.append(InvalidParam(shown, EMPTY_VALUE))
        if refused:
            raise InvalidParameters.from_params(refused)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        refuse_undeclared_method(self, request)
        super().initial(request, *args, **kwargs)
        self.check_query_params(request)

    # Conditional GET -----------------------------------------------------------------------

    def not_modified(
        self,
        queryset: QuerySet[Any] | None,
        aggregates: dict[str, Any] | None = None,
        *,
        rows: dict[str, Any] | None = None,
    ) -> HttpResponseBase | None:
        """Compute validators before any payload; the 304 to send if the client's still hold.

        `rows` is a fingerprint the caller already read (the same aggregates, another way)."""
        if rows is None:
            rows = {}
            if queryset is not None:
                rows = fingerprint(queryset, aggregates or self.fingerprint_aggregates_now())
        self.fingerprint_rows = rows
        parts = (self.request.get_full_path(), self.request.accepted_renderer.format, self.editor)
        # The shortcut's entry for this page (anonymous GETs), read with the generations.
        entry = entry_key(self.request)
        also = {entry: None} if entry is not None else None
        self.validators = compute_validators(
            parts=parts, rows=rows, scopes=self.generation_scopes, also=also
        )
        self.remembered = (entry, also[entry] if also is not None and entry else None)
        response = get_conditional_response(
            self.request,
            etag=self.validators.etag,
            last_modified=self.validators.last_modified_timestamp,
        )
        if response is not None and response.status_code == 412:
            raise PreconditionFailed()
        return response

    def fingerprint_aggregates_now(self) -> dict[str, Any]:
        return self.fingerprint_aggregates or record_fingerprint()

    def finalize_response(  # type: ignore[override]  # a 304 is a plain HttpResponse
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if request.method not in ("GET", "HEAD"):
            response.setdefault("Cache-Control", "no-store")
            return response
        if self.validators is not None and response.status_code in (200, 304):
            response["ETag"] = self.validators.etag
            response["Last-Modified"] = self.validators.last_modified_http
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response["Cache-Control"] = "private, no-cache"
            else:
                max_age = int(getattr(settings, "NEWSROOM_API_MAX_AGE", 60))
                response["Cache-Control"] = f"public, max-age={max_age}"
                # The next conditional GET of this page is answered before the view.
                remember(request, self.validators, response["Cache-Control"], self.remembered)
        return response

    # Reads -----------------------------------------------------------------------------------

    def lookup_value(self) -> Any:
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]

    def noun(self) -> str:
        return str(self.get_queryset().model._meta.verbose_name)

    def detail_queryset(self) -> QuerySet[Any]:
        return self.get_queryset().filter(**{self.lookup_field: self.lookup_value()})
