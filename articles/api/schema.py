"""OpenAPI declarations shared by the views: problem responses, 304, common parameters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from articles.api.problems import PROBLEM_MEDIA_TYPE
from articles.api.serializers.common import ProblemSerializer

PROBLEM_DESCRIPTIONS = {
    400: "Unknown, repeated or invalid query parameter or body field (problem names each).",
    404: "No such resource (or not visible to this client).",
    406: "None of the Accept header's media types can be served.",
    409: "The article takes no comments (not published, or comments closed).",
    412: "An If-Match / If-Unmodified-Since precondition does not hold.",
    415: "The body is not JSON.",
    429: "Too many submissions from this client; see Retry-After.",
}


def problems(*codes: int) -> dict[Any, OpenApiResponse]:
    return {
        (code, PROBLEM_MEDIA_TYPE): OpenApiResponse(
            ProblemSerializer, description=PROBLEM_DESCRIPTIONS[code]
        )
        for code in codes
    }


NOT_MODIFIED = {
    304: OpenApiResponse(
        description="Not modified: the If-None-Match / If-Modified-Since validators still hold."
    )
}


def read(body: Any, *, detail: bool = False, ninjs: Any = None) -> dict[Any, Any]:
    """Responses of a GET: the body (JSON, and ninjs where offered), 304, and its problems."""
    codes = (400, 404, 406, 412) if detail else (400, 406, 412)
    bodies = {(200, "application/json"): body}
    if ninjs is not None:
        bodies[(200, "application/ninjs+json")] = ninjs
    return {**bodies, **NOT_MODIFIED, **problems(*codes)}


def format_parameter(*formats: str) -> OpenApiParameter:
    return OpenApiParameter(
        "format",
        str,
        OpenApiParameter.QUERY,
        enum=list(formats),
        description="Response format, instead of an Accept header.",
    )


JSON_FORMAT = format_parameter("json")
ARTICLE_FORMATS = format_parameter("json", "ninjs")


# The schema says what the server enforces ---------------------------------------------------

# Request bodies whose serializer refuses fields it does not know (an "Unknown field" 400).
CLOSED_REQUEST_BODIES = frozenset({"CommentSubmissionRequest"})


def declare_what_the_server_enforces(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (after its enum hook):

    - every string query parameter has `minLength: 1`: an empty value is refused with a 400
      naming it (see ApiViewSet.check_query_params), never read as absent;
    - request bodies that refuse unknown fields say `additionalProperties: false`.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string":
                    schema.setdefault("minLength", 1)
    components = result.get("components", {}).get("schemas", {})
    for name in CLOSED_REQUEST_BODIES & set(components):
        components[name]["additionalProperties"] = False
    return result
