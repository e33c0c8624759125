"""The article desk: articles with their coverage links, workflow, history and corrections.

- Edits are checked against the version the editor opened (`ArticleAdminForm`); a stale save
  is refused with a form error naming who saved what and when, and the input stays.
- Status changes only through the workflow buttons and actions, which call the services.
- History with diffs and revert comes from django-reversion(-compare); the article's revisions
  follow its coverage links, so a link change is in the history and a revert restores it.
- Reader comments are not part of this page in any form.
"""

from __future__ import annotations

import json
from typing import Any

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, router, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from reversion import RevertError
from reversion_compare.admin import CompareVersionAdmin

from articles.admin.corrections import CorrectionInline
from articles.admin.coverage import LINK_INLINES, not_logged
from articles.admin.review import NeedsReviewFilter
from articles.forms import ArticleAdminForm, CoverageLinkInlineForm
from articles.models import Article, Correction, CoverageLink
from articles.services.coverage import (
    add_link,
    confirm_link,
    reject_link,
    revise_link_evidence,
)
from articles.services.workflow import (
    LINK_MODELS,
    ServiceError,
    add_correction,
    create_article,
    missing_for_publication,
    publish_article,
    retract_article,
    return_to_draft,
    save_article,
    submit_for_review,
)

REVERT_STATE = "_newsroom_revert_live_state"


WORKFLOW = {
    "submit": ("Submit for review", "articles.change_article", Article.Status.DRAFT),
    "draft": ("Return to draft", "articles.change_article", Article.Status.IN_REVIEW),
    "publish": ("Publish", "articles.publish_article", Article.Status.IN_REVIEW),
    "retract": ("Retract", "articles.publish_article", Article.Status.PUBLISHED),
}


def _change_message_text(message: Any) -> str:
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


@admin.register(Article)
class ArticleAdmin(CompareVersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = (
        "title",
        "status",
        "outlet",
        "wire",
        "published_at",
        "review_items",
        "open_suggestions",
        "updated_at",
    )
    list_display_links = ("title",)
    list_filter = (NeedsReviewFilter, "status", "outlet", "language", "source_changed")
    list_select_related = ("outlet", "wire")
    search_fields = ("headline", "slug", "byline", "dek")
    autocomplete_fields = ("outlet", "wire")
    prepopulated_fields = {"slug": ("headline",)}
    readonly_fields = (
        "status",
        "headline_by_editor",
        "review_display",
        "version",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("headline", "headline_by_editor", "slug", "dek", "body")}),
        (
            "Credits",
            {"fields": ("byline", "dateline", "published_at", "outlet", "wire", "language")},
        ),
        ("Photo and copyright", {"fields": ("photo_caption", "photo_credit", "copyright_line")}),
        (
            "Review",
            {
                "fields": (
                    "status",
                    "review_display",
                    "source_changed",
                    "comments_open",
                    "version",
                    "loaded_version",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = [*LINK_INLINES, CorrectionInline]
    actions = [
        "submit_selected",
        "publish_selected",
        "accept_suggestions",
        "reject_suggestions",
    ]
    show_full_result_count = False
    # History: compare what an editor can change and the links; not derived or bookkeeping
    # fields, and never reader comments.
    compare_exclude = (
        "search_vector",
        "updated_at",
        "version",
        "rounds",
        "meetings",
        "officials",
        "measures",
        "comments",
        "raw_documents",
        "corrections",
    )

    def compare(self, obj: Any, version1: Any, version2: Any) -> tuple[list[Any], bool]:
        """The diff, without foreign keys that point to the same row in both versions
        (reversion-compare reports those as changed whenever anything else changed)."""
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        before, after = version1.field_dict, version2.field_dict
        kept = [
            entry
            for entry in diff
            if not (
                getattr(entry["field"], "many_to_one", False)
                and getattr(entry["field"], "concrete", False)
                and before.get(entry["field"].attname) == after.get(entry["field"].attname)
            )
        ]
        return kept, has_unfollowed_fields

    # Lists.

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        counts = [
            Coalesce(
                Subquery(
                    model.objects.filter(
                        article=OuterRef("pk"), status=CoverageLink.Status.SUGGESTED
                    )
                    .order_by()
                    .values("article")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
            for model in LINK_MODELS
        ]
        open_count: Any = counts[0]
        for count in counts[1:]:
            open_count = open_count + count
        return super().get_queryset(request).annotate(open_suggestions_n=open_count)

    @admin.display(description="Headline", ordering="headline")
    def title(self, obj: Article) -> str:
        return obj.headline or f"[no headline] {obj.slug}"

    @admin.display(description="Needs review")
    def review_items(self, obj: Article) -> str:
        labels = dict(Article.ReviewItem.choices)
        items = [str(labels.get(item, item)) for item in obj.needs_review]
        if obj.source_changed:
            items.append("raw page changed")
        return ", ".join(items) or "—"

    @admin.display(description="Open suggestions", ordering="open_suggestions_n")
    def open_suggestions(self, obj: Any) -> int:
        return int(obj.open_suggestions_n)

    @admin.display(description="To establish")
    def review_display(self, obj: Article) -> str:
        return self.review_items(obj)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Not inside one revision for the whole request (as VersionAdmin does): each article an
        # action changes gets a revision of its own, so reverting one never reverts another.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    # Pages and routes.

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "needs-review/",
                self.admin_site.admin_view(self.needs_review_view),
                name="{}_{}_needs_review".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:transition>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def needs_review_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(reverse("admin:articles_article_changelist") + "?review=any")

    def recoverlist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Recovering a deleted article restores its status too, outside the workflow: only
        # for superusers (who alone may delete articles).
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(
        self, request: HttpRequest, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        if obj is None:
            return list(LINK_INLINES)
        return list(self.inlines)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        article = self.get_object(request, unquote(object_id))
        if article is not None and not hasattr(request, REVERT_STATE):
            context["workflow"] = [
                {"name": name, "label": label, "needs_reason": name == "retract"}
                for name, (label, perm, from_status) in WORKFLOW.items()
                if article.status == from_status and request.user.has_perm(perm)
            ]
            if article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
                context["missing_for_publication"] = missing_for_publication(
                    headline=article.headline,
                    published_at=article.published_at,
                    outlet_id=article.outlet_id,
                    has_confirmed_round=article.roundlinks.filter(
                        status=CoverageLink.Status.CONFIRMED
                    ).exists(),
                )
        return super().change_view(request, object_id, form_url, context)

    def workflow_view(self, request: HttpRequest, object_id: str, transition: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None or transition not in WORKFLOW:
            raise Http404("No such article or workflow step.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        loaded = request.POST.get("loaded_version", "")
        expected = int(loaded) if loaded.isdigit() else None
        editor = request.user
        try:
            if transition == "submit":
                submit_for_review(article, editor=editor, expected_version=expected)
                messages.success(request, f"“{article}” is now in review.")
            elif transition == "draft":
                return_to_draft(article, editor=editor, expected_version=expected)
                messages.success(request, f"“{article}” is a draft again.")
            elif transition == "publish":
                publish_article(article, editor=editor, expected_version=expected)
                messages.success(request, f"“{article}” is published.")
            else:
                retract_article(
                    article,
                    editor=editor,
                    reason=request.POST.get("reason", ""),
                    expected_version=expected,
                )
                messages.success(request, f"“{article}” is retracted.")
        except ServiceError as refusal:
            messages.error(request, str(refusal))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    # Saving through the services.

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """Revert (or preview) an earlier revision. The revision's data and links come back;
        the version counter and the status stay as they are now, so an open form elsewhere
        still conflicts and the workflow is not bypassed."""
        with transaction.atomic(using=router.db_for_write(Article)):
            live = (
                Article.objects.select_for_update()
                .filter(pk=unquote(object_id))
                .values("version", "status")
                .first()
            )
            setattr(request, REVERT_STATE, live)
            return super().revision_view(request, object_id, version_id, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        live = getattr(request, REVERT_STATE, None)
        if live is not None and object_id is not None:
            try:
                with transaction.atomic():
                    Article.objects.filter(pk=unquote(object_id)).update(**live)
            except IntegrityError:
                raise RevertError(
                    "This revision cannot be restored while the article is "
                    f"{live['status'].replace('_', ' ')}: it lacks a headline, a published "
                    "time or an outlet. Retract the article first."
                ) from None
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ServiceError as refusal:
                raise RevertError(str(refusal)) from refusal
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as refusal:
            # Only when a concurrent save slipped past the form's check (no row locks on
            # SQLite): nothing was written; say so rather than fail.
            messages.error(request, str(refusal))
            return redirect(request.get_full_path())

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change:
            create_article(obj, editor=request.user)
            return
        note = ""
        if hasattr(request, REVERT_STATE):
            note = "Reverted to an earlier revision."
        save_article(
            obj,
            editor=request.user,
            expected_version=form.cleaned_data["loaded_version"],
            changed_fields=[name for name in form.changed_data if name != "loaded_version"],
            note=note,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model in LINK_MODELS:
            self._save_links(request, form.instance, formset)
        elif formset.model is Correction:
            self._save_corrections(request, form.instance, formset)
        else:  # pragma: no cover - no other inlines
            super().save_formset(request, form, formset, change)

    def _save_links(self, request: HttpRequest, article: Article, formset: Any) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        target_field = formset.model.target_field
        for link_form in formset.forms:
            if not link_form.has_changed():
                continue
            data = link_form.cleaned_data
            link = link_form.instance
            if link.pk is None:
                created = add_link(
                    article,
                    editor=request.user,
                    target=data[target_field],
                    evidence=data["evidence"],
                )
                formset.new_objects.append(created)
                continue
            changed = []
            if "evidence" in link_form.changed_data:
                revise_link_evidence(link, editor=request.user, evidence=data["evidence"])
                changed.append("evidence")
            if data.get("decision") == CoverageLinkInlineForm.ACCEPT:
                confirm_link(link, editor=request.user)
                changed.append("status")
            elif data.get("decision") == CoverageLinkInlineForm.REJECT:
                reject_link(link, editor=request.user)
                changed.append("status")
            if changed:
                formset.changed_objects.append((link, changed))

    def _save_corrections(self, request: HttpRequest, article: Article, formset: Any) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for correction_form in formset.extra_forms:
            if correction_form.has_changed():
                formset.new_objects.append(
                    add_correction(
                        article,
                        editor=request.user,
                        kind=correction_form.cleaned_data["kind"],
                        text=correction_form.cleaned_data["text"],
                    )
                )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return self._history_comment(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return self._history_comment(request, obj, message)

    def _history_comment(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        """The services wrote the audit rows; the revision takes the admin's fuller message
        (fields and inline rows changed)."""
        text = _change_message_text(message)
        if reversion.is_active():
            reversion.set_comment(text)
        return not_logged(obj, text)

    # Bulk actions.

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_confirm_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.confirm_coverage")

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Article], step: Any, done: str
    ) -> None:
        applied, refused = 0, []
        for article in queryset:
            try:
                step(article, editor=request.user)
            except ServiceError as refusal:
                refused.append(str(refusal))
            else:
                applied += 1
        if applied:
            messages.success(request, f"{done}: {applied} article{'s' if applied != 1 else ''}.")
        if refused:
            shown = " ".join(refused[:10])
            more = f" (and {len(refused) - 10} more)" if len(refused) > 10 else ""
            messages.warning(request, f"{len(refused)} left as they were. {shown}{more}")

    @admin.action(description="Submit the selected articles for review", permissions=["change"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, submit_for_review, "Submitted for review")

    @admin.action(description="Publish the selected articles", permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._each(request, queryset, publish_article, "Published")

    def _decide_suggestions(
        self, request: HttpRequest, queryset: QuerySet[Article], decide: Any, done: str
    ) -> None:
        applied, refused = 0, []
        for model in LINK_MODELS:
            links = model.objects.filter(
                article__in=queryset.values("pk"), status=CoverageLink.Status.SUGGESTED
            ).select_related("article", model.target_field)
            for link in links:
                try:
                    decide(link, editor=request.user)
                except ServiceError as refusal:
                    refused.append(str(refusal))
                else:
                    applied += 1
        if applied:
            messages.success(
                request, f"{done} {applied} suggested link{'s' if applied != 1 else ''}."
            )
        else:
            messages.info(request, "The selected articles have no suggested links.")
        if refused:
            messages.warning(request, " ".join(refused[:10]))

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


__all__ = ["ArticleAdmin"]
