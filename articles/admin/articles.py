"""The article desk: articles with their coverage links, workflow, history and corrections.

- Edits are checked against the version the editor opened (`ArticleAdminForm`); a stale save
  is refused with a form error naming who saved what and when, and the input stays.
- Status changes only through the workflow buttons and actions (`workflow`), which call the
  services.
- History with diffs and revert (`history`); the article's revisions follow its coverage links,
  so a link change is in the history and a revert restores it. An article that arrived without
  history gets a baseline revision before its first change in the desk.
- Reader comments are not part of this page in any form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from articles.admin.cards import LinkCardsMixin
from articles.admin.corrections import CorrectionInline
from articles.admin.coverage import LINK_INLINES
from articles.admin.history import REVERT_STATE, ArticleHistoryAdmin
from articles.admin.params import parse_id
from articles.admin.review import NeedsReviewFilter
from articles.admin.workflow import ArticleWorkflowMixin
from articles.forms import ArticleAdminForm, CoverageLinkInlineForm
from articles.models import Article, Correction, CoverageLink
from articles.services.coverage import (
    add_link,
    confirm_link,
    reject_link,
    revise_link_evidence,
)
from articles.services.presence import newer_version, note_presence
from articles.services.workflow import (
    LINK_MODELS,
    add_correction,
    create_article,
    ensure_baseline,
    save_article,
)

# Corrections belong to published articles (and stay shown once an article is retracted).
CORRECTED_STATUSES = (Article.Status.PUBLISHED, Article.Status.RETRACTED)


class NamedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose empty state reads as a placeholder ("No wire"), so assistive
    technology announces a name for it rather than an empty box."""

    def __init__(self, *args: Any, placeholder: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def build_attrs(self, base_attrs: Any, extra_attrs: Any = None) -> Any:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = self.placeholder
        attrs["aria-label"] = self.placeholder
        return attrs


AUTOCOMPLETE_PLACEHOLDERS = {"outlet": "Choose the outlet", "wire": "No wire (choose one)"}


def _rendered(response: HttpResponse) -> HttpResponse:
    """A template response rendered now, while the article's zone is the active one (it would
    otherwise render after the view returns, in the default zone)."""
    render = getattr(response, "render", None)
    if render is not None and not getattr(response, "is_rendered", True):
        render()
    return response


class ArticleAdmin(LinkCardsMixin, ArticleWorkflowMixin, ArticleHistoryAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = (
        "title",
        "status",
        "outlet",
        "published",
        "review_items",
        "open_suggestions",
        "updated_at",
    )
    list_display_links = ("title",)

    @admin.display(description="Published", ordering="published_at")
    def published(self, obj: Article) -> str:
        """In the article's own zone, named ("29 Jun 2025, 08:00 JST"), as on its page."""
        if obj.published_at is None:
            return "—"
        local = obj.published_at.astimezone(obj.zone)
        if not obj.published_time_known:
            return f"{obj.published_at:%-d %b %Y} (time not stated)"
        return f"{local:%-d %b %Y, %H:%M} {obj.zone_label}"

    list_filter = (NeedsReviewFilter, "status", "outlet", "language", "source_changed")
    list_select_related = ("outlet",)
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
            {
                "fields": (
                    "byline",
                    "dateline",
                    "time_zone",
                    "published_at",
                    "published_time_known",
                    "outlet",
                    "wire",
                    "language",
                )
            },
        ),
        (
            "Photo and copyright",
            {
                "fields": ("photo_caption", "photo_credit", "copyright_line"),
                "classes": ("collapse",),
            },
        ),
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

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in AUTOCOMPLETE_PLACEHOLDERS:
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                placeholder=AUTOCOMPLETE_PLACEHOLDERS[db_field.name],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        """What an editor must establish; optional fields (a byline) listed apart."""
        items, optional = obj.review_items()
        if obj.source_changed:
            items.append("raw page changed")
        text = ", ".join(items) or "—"
        if optional:
            text += f" (optional: {', '.join(optional).lower()})"
        return text

    @admin.display(description="Open suggestions", ordering="open_suggestions_n")
    def open_suggestions(self, obj: Any) -> int:
        return int(obj.open_suggestions_n)

    @admin.display(description="To establish")
    def review_display(self, obj: Article) -> str:
        return self.review_items(obj)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        context = dict(extra_context or {})
        review = request.GET.get(NeedsReviewFilter.parameter_name)
        if review:
            labels = dict(NeedsReviewFilter.LOOKUPS)
            context.setdefault(
                "title",
                "Articles that need review"
                if review == "any"
                else f"Articles that need review: {str(labels.get(review, review)).lower()}",
            )
        return super().changelist_view(request, context)

    def view_on_site(self, obj: Article) -> str:
        """The reader-facing page (`Article.get_absolute_url`): public once published, a
        preview for staff before."""
        return obj.get_absolute_url()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.slug_fixed:
            return (*fields, "slug")  # the public address never changes once published
        return fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        if obj is not None:
            return {}  # the service derives the slug from the headline until publication
        return dict(self.prepopulated_fields)

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
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="{}_{}_presence".format(*info),
            ),
            path(
                "<path:object_id>/links/<slug:kind>/<int:link_id>/<slug:decision>/",
                self.admin_site.admin_view(self.decide_link_view),
                name="{}_{}_decide_link".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:transition>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def presence_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Polled by the open article page (POST): note this editor as present; answer who else
        has it open and whether a newer version was saved since `loaded_version`."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied  # presence is for those who can edit it
        loaded = request.POST.get("loaded_version", "")
        others = note_presence(article.pk, request.user.get_username())
        version = parse_id(loaded)
        newer = newer_version(article.pk, version) if version is not None else None
        return JsonResponse({"others": others, "newer": newer})

    def needs_review_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(reverse("admin:articles_article_changelist") + "?review=any")

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        if obj is None or obj.status not in CORRECTED_STATUSES:
            return list(LINK_INLINES)
        return list(self.inlines)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            if request.method == "POST" and self.has_change_permission(request, article):
                # Before the admin starts recording this save's revision: an article that
                # arrived without history gets its baseline, so this change has a diff.
                ensure_baseline(article.pk)
            if not hasattr(request, REVERT_STATE):
                context.update(self.workflow_context(request, article))
                context.update(self.cards_context(request, article))
        # The time is entered and shown in the article's own zone (the page's, e.g. JST).
        zone = article.zone if article is not None else Article().zone
        with timezone.override(zone):
            return _rendered(super().change_view(request, object_id, form_url, context))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        with timezone.override(Article().zone):
            return _rendered(super().add_view(request, form_url, extra_context))

    # Saving through the services.

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


__all__ = ["ArticleAdmin"]
