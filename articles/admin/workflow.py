"""The article workflow in admin: the buttons on the article page and the bulk actions of the
article list. Every step calls the workflow and coverage services, which check the editor's
permission and write the audit rows; a refusal is shown as the service worded it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.admin.base import attempt
from articles.admin.bulk import apply_each, report_refusals
from articles.admin.params import parse_id
from articles.imports.reports import missing_reasons
from articles.models import Article, CoverageLink, RawDocument
from articles.services.coverage import confirm_link, reject_link
from articles.services.workflow import (
    LINK_MODELS,
    TRANSITIONS,
    apply_transition,
    publish_article,
    submit_for_review,
    transitions_for,
)

RAW_PAGES_SHOWN = 3


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


class ArticleWorkflowMixin(admin.ModelAdmin):
    """Workflow buttons, their route, and the bulk workflow and link actions."""

    def workflow_context(self, request: HttpRequest, article: Article) -> dict[str, Any]:
        """The steps this editor may take now, and what publishing still needs."""
        context: dict[str, Any] = {
            "workflow": [
                {"name": step.name, "label": step.label, "needs_reason": step.needs_reason}
                for step in transitions_for(article, request.user)
            ]
        }
        if article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
            context["missing_for_publication"] = article.missing_for_publication()
        context.update(self.raw_page_context(article))
        return context

    def raw_page_context(self, article: Article) -> dict[str, Any]:
        """The raw pages the article came from (newest first, links to them), and why the
        import left open what is still to establish, in the import report's words."""
        raws = list(
            RawDocument.objects.filter(article=article)
            .only("pk", "file_name", "received_at", "import_report")
            .order_by("-received_at", "-pk")[:RAW_PAGES_SHOWN]
        )
        reasons: list[str] = []
        if raws and article.needs_review:
            found = missing_reasons(raws[0])
            reasons = [found[item] for item in article.needs_review if item in found]
        return {"raw_pages": raws, "import_reasons": reasons}

    def workflow_view(self, request: HttpRequest, object_id: str, transition: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None or transition not in TRANSITIONS:
            raise Http404("No such article or workflow step.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        loaded = request.POST.get("loaded_version", "")
        expected = parse_id(loaded)
        if loaded and expected is None:
            messages.error(
                request,
                f"Nothing was changed: the page sent “{loaded}” as the version of the article "
                "you opened, which is not a version number. Reload the article and try again.",
            )
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        editor = request.user
        if transition == "publish" and request.POST.get("confirmed") != "yes":
            return self.publish_confirmation(request, article, loaded)
        changed = attempt(
            request,
            lambda: apply_transition(
                transition,
                article,
                editor=editor,
                expected_version=expected,
                reason=request.POST.get("reason", ""),
            ),
        )
        if changed is not None:
            messages.success(request, TRANSITIONS[transition].done.format(article=changed))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def publish_confirmation(
        self, request: HttpRequest, article: Article, loaded: str
    ) -> HttpResponse:
        """Publishing asks first: what readers will see, at which address (fixed from then on),
        and what is still missing; "Publish" on this page publishes."""
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish “{article}”?",
            "opts": self.opts,
            "original": article,
            "loaded_version": loaded,
            "missing": article.missing_for_publication(),
            "public_url": request.build_absolute_uri(article.get_absolute_url()),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "action_url": reverse("admin:articles_article_workflow", args=[article.pk, "publish"]),
        }
        return TemplateResponse(
            request, "admin/articles/article/publish_confirmation.html", context
        )

    # Bulk actions.

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_confirm_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.confirm_coverage")

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Article], step: Any, done: str
    ) -> None:
        outcome = apply_each(queryset, lambda article: step(article, editor=request.user))
        if outcome.applied:
            messages.success(request, f"{done}: {_plural(outcome.applied, 'article')}.")
        report_refusals(request, outcome.refused)

    @admin.action(description="Submit the selected articles for review", permissions=["change"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, submit_for_review, "Submitted for review")

    @admin.action(description="Publish the selected articles", permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, publish_article, "Published")

    def _decide_suggestions(
        self, request: HttpRequest, queryset: QuerySet[Article], decide: Any, done: str
    ) -> None:
        suggested = (
            link
            for model in LINK_MODELS
            for link in model.objects.filter(
                article__in=queryset.values("pk"), status=CoverageLink.Status.SUGGESTED
            ).select_related("article", model.target_field)
        )
        outcome = apply_each(suggested, lambda link: decide(link, editor=request.user))
        if outcome.applied:
            messages.success(request, f"{done} {_plural(outcome.applied, 'suggested link')}.")
        elif not outcome.refused:
            messages.info(request, "The selected articles have no suggested links.")
        report_refusals(request, outcome.refused)

    @admin.action(
        description="Accept all suggested links of the selected articles", permissions=["confirm"]
    )
    def accept_suggestions(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._decide_suggestions(request, queryset, confirm_link, "Accepted")

    @admin.action(
        description="Reject all suggested links of the selected articles", permissions=["confirm"]
    )
    def reject_suggestions(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._decide_suggestions(request, queryset, reject_link, "Rejected")


__all__ = ["ArticleWorkflowMixin"]
