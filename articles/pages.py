"""The reader-facing pages: the list of published articles (the admin's "View site"), and the
article page, what "View on site" opens and the public address of a published article. Before
publication the same page is a preview, for the desk's staff only (anyone else gets a 404, as
for an article that does not exist)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from articles.models import Article, CoverageLink


def can_preview(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm("articles.view_article"))


def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.with_sources(), slug=slug)
    preview = article.status != Article.Status.PUBLISHED
    if preview and not can_preview(request):
        raise Http404("No such article.")
    confirmed = {"status": CoverageLink.Status.CONFIRMED}
    context = {
        "article": article,
        "preview": preview,
        "paragraphs": [line for line in article.body.split("\n") if line.strip()],
        "corrections": list(article.corrections.order_by("created_at", "pk")),
        "rounds": [
            link.round for link in article.roundlinks.filter(**confirmed).select_related("round")
        ],
        "officials": [
            link.official
            for link in article.officiallinks.filter(**confirmed).select_related("official")
        ],
        "meetings": [
            link.meeting
            for link in article.meetinglinks.filter(**confirmed).select_related("meeting")
        ],
        "measures": [
            link.measure
            for link in article.measurelinks.filter(**confirmed).select_related("measure")
        ],
    }
    response = render(request, "articles/article_page.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


ARTICLES_PER_PAGE = 20


def article_list(request: HttpRequest) -> HttpResponse:
    """Published articles, newest first, 20 a page (`?page=`; a bad page number gives the
    nearest page)."""
    published = (
        Article.objects.with_sources()
        .filter(status=Article.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
    )
    page = Paginator(published, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


urlpatterns = [
    path("", article_list, name="article-list"),
    path("<slug:slug>/", article_page, name="article-page"),
]
