"""The documentation behind each problem `type` URI."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from articles.api.problems import PROBLEM_TYPES, problem_response, problem_type_uri


def problem_type(request: HttpRequest, slug: str) -> HttpResponse:
    """Documentation of one problem type, so every `type` URI resolves."""
    problem = PROBLEM_TYPES.get(slug)
    if problem is None:
        return problem_response(404, f"No problem type '{slug}'.")
    return JsonResponse(
        {
            "type": problem_type_uri(slug),
            "title": problem.title,
            "status": problem.status,
            "description": problem.description,
        }
    )
