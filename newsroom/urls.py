"""Root URLs: only includes; each app owns its routes."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(static("articles/favicon.svg"))  # resolved per request


urlpatterns = [
    # The readers' list of published articles is the site's front page.
    path("", RedirectView.as_view(pattern_name="article-list")),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("feeds/", include("articles.feeds")),
    path("articles/", include("articles.pages")),
]
