"""Root URLs: only includes; each app owns its routes."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("feeds/", include("articles.feeds")),
    path("articles/", include("articles.pages")),
]
