"""RFC 9457 problem details: the one format of every API error, whatever its status.

Each problem has a `type` (a URI under /api/v1/problems/ that documents it, or `about:blank`
for a plain HTTP error), a `title`, the `status`, a `detail` a person can act on, and for
invalid input an `invalid_params` list naming each parameter or field and why it was refused.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

Location = Literal["query", "body", "path", "header"]

# A parameter given with no value is refused, never read as absent.
EMPTY_VALUE = "Empty value: give a value, or leave the parameter out."


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    problem.slug: problem
    for problem in [
        ProblemType(
            "invalid-parameters",
            "Invalid query parameters",
            400,
            "A query parameter is unknown, repeated or has a value the endpoint cannot use. "
            "`invalid_params` names each one and says why; fix those and send again.",
        ),
        ProblemType(
            "invalid-body",
            "Invalid request body",
            400,
            "The JSON body is missing a field, has an unknown one, or a value the endpoint "
            "refuses. `invalid_params` names each field and says why.",
        ),
        ProblemType(
            "comments-closed",
            "Comments are closed",
            409,
            "The article does not take reader comments: it is not published, or an editor "
            "closed its comments. Nothing was stored.",
        ),
        ProblemType(
            "throttled",
            "Too many requests",
            429,
            "This client sent more requests of this kind than the limit allows. Wait for the "
            "number of seconds in the Retry-After header, then send again.",
        ),
        ProblemType(
            "ambiguous-round",
            "Ambiguous round number",
            400,
            "Several negotiations have a round with this number; add `negotiation=<slug>`.",
        ),
    ]
}


def problem_type_uri(slug: str) -> str:
    """The URI that documents a problem type (relative, so it works behind any host)."""
    try:
        return reverse("api:problem-type", kwargs={"slug": slug})
    except NoReverseMatch:  # the API's URLs are not installed; the slug still identifies it
        return f"about:blank#{slug}"


@dataclass(frozen=True)
class InvalidParam:
    name: str
    reason: str
    location: Location = "query"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "in": self.location, "reason": self.reason}


class ProblemException(exceptions.APIException):
    """An API error that carries its own problem type and, optionally, invalid parameters."""

    problem_slug = ""

    def __init__(
        self,
        detail: str,
        *,
        invalid_params: list[InvalidParam] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.invalid_params = invalid_params or []
        if status_code is not None:
            self.status_code = status_code


class InvalidParameters(ProblemException):
    status_code = status.HTTP_400_BAD_REQUEST
    problem_slug = "invalid-parameters"

    @classmethod
    def from_params(cls, params: list[InvalidParam]) -> InvalidParameters:
        names = ", ".join(p.name for p in params)
        if len(params) == 1:
            detail = f"Query parameter '{names}': {params[0].reason}"
        else:
            detail = f"{len(params)} query parameters cannot be used: {names}."
        return cls(detail, invalid_params=params)


class CommentsClosedProblem(ProblemException):
    status_code = status.HTTP_409_CONFLICT
    problem_slug = "comments-closed"


class AmbiguousRound(ProblemException):
    status_code = status.HTTP_400_BAD_REQUEST
    problem_slug = "ambiguous-round"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The If-Match or If-Unmodified-Since precondition does not hold."


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {msg}" for key, item in value.items() for msg in _messages(item)]
    if isinstance(value, list):
        return [msg for item in value for msg in _messages(item)]
    return [str(value)]


def _body_params(detail: Any) -> tuple[list[InvalidParam], list[str]]:
    """Split a serializer's error detail into named fields and request-wide messages."""
    if isinstance(detail, dict):
        params, general = [], []
        for name, value in detail.items():
            if name in {"non_field_errors", "__all__"}:
                general.extend(_messages(value))
            else:
                params.append(InvalidParam(str(name), " ".join(_messages(value)), "body"))
        return params, general
    return [], _messages(detail)


def problem_body(
    status_code: int,
    detail: str,
    *,
    slug: str = "",
    title: str = "",
    invalid_params: list[InvalidParam] | None = None,
) -> dict[str, Any]:
    problem = PROBLEM_TYPES.get(slug)
    body: dict[str, Any] = {
        "type": problem_type_uri(slug) if slug else "about:blank",
        "title": title or (problem.title if problem else HTTPStatus(status_code).phrase),
        "status": status_code,
        "detail": detail,
    }
    if invalid_params:
        body["invalid_params"] = [p.as_dict() for p in invalid_params]
    return body


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every error, expected or not, as application/problem+json."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource here. Check the identifier in the URL.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )

    headers: dict[str, str] = {"Cache-Control": "no-store"}
    if not isinstance(exc, exceptions.APIException):
        view = context.get("view")
        logger.exception("Unhandled error in %s", type(view).__name__, exc_info=exc)
        set_rollback()
        body = problem_body(
            500, "The server failed to answer this request. It has been logged; try again later."
        )
        return Response(body, status=500, headers=headers, content_type=PROBLEM_MEDIA_TYPE)

    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    slug = ""
    invalid: list[InvalidParam] = []
    if isinstance(exc, ProblemException):
        slug, invalid, detail = exc.problem_slug, exc.invalid_params, str(exc.detail)
    elif isinstance(exc, exceptions.ValidationError):
        invalid, general = _body_params(exc.detail)
        slug = "invalid-body"
        named = ", ".join(p.name for p in invalid)
        detail = " ".join([*general, *([f"Fix these fields: {named}."] if invalid else [])])
    elif isinstance(exc, exceptions.Throttled):
        slug = "throttled"
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(wait)
            detail = f"Too many requests of this kind. Try again in {wait} seconds."
        else:
            detail = "Too many requests of this kind. Try again later."
    elif isinstance(exc, exceptions.ParseError):
        slug, detail = "invalid-body", f"The body is not valid JSON: {exc.detail}"
    else:
        detail = " ".join(_messages(exc.detail))

    set_rollback()
    body = problem_body(exc.status_code, detail, slug=slug, invalid_params=invalid)
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_MEDIA_TYPE)


def problem_response(status_code: int, detail: str) -> HttpResponse:
    """A problem outside DRF's views (unknown API paths)."""
    response = HttpResponse(
        json.dumps(problem_body(status_code, detail)),
        status=status_code,
        content_type=PROBLEM_MEDIA_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # any method gets the same answer; nothing is ever written here
def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every path under /api/v1/ that names no endpoint (this route catches them all, so
    Django's APPEND_SLASH never sees them: a missing slash is redirected here instead)."""
    if not request.path.endswith("/"):
        match = _resolves(request.path + "/")
        if match and request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
        if match:
            return problem_response(404, f"No API endpoint at {request.path}; add the final slash.")
    return problem_response(
        404,
        f"No API endpoint at {request.path}. The endpoints are listed in the schema at "
        f"{reverse('api:schema')} and browsable at {reverse('api:docs')}.",
    )


def _resolves(path: str) -> bool:
    try:
        return resolve(path).func is not unknown_path
    except Resolver404:
        return False
