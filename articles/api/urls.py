"""Routes of /api/v1/: a router for the resources, the schema and its docs, problem types."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from articles.api import views
from articles.api.problems import unknown_path
from articles.api.views.schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sources", views.SourceViewSet, basename="source")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("tariff-measures", views.TariffMeasureViewSet, basename="tariffmeasure")
router.register("timeline", views.TimelineViewSet, basename="timeline")

comments = views.ArticleCommentViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("articles/<slug:article_slug>/comments/", comments, name="article-comments"),
    *router.urls,
    path("schema/", SchemaView.as_view(), name="schema"),
    # Split: the start-up script is its own request (?script), so CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("problems/<slug:slug>/", views.problem_type, name="problem-type"),
    re_path(r"^(?P<path>[\s\S]*)$", unknown_path),
]
