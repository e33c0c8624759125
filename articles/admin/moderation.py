"""The moderation queue: reader comments, pending and oldest first, decided one by one or in bulk.

Comment text is user input: it is always rendered escaped (format_html), never marked safe.
Each row carries the comment version the moderator saw, so a bulk decision on a stale view is
refused per comment instead of overwriting another moderator's decision. The queue's filters
and paginator are in `queue`, the decision log in `decisions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.admin.bulk import apply_each, report_refusals
from articles.admin.coverage import not_logged
from articles.admin.params import parse_id
from articles.admin.queue import CappedCountPaginator, CommentArticleFilter, CommentStatusFilter
from articles.forms import CommentDecisionForm, ModerationActionForm
from articles.models import Comment
from articles.models.comments import CommentStatus
from articles.services.moderation import (
    DECIDE,
    REASON_REQUIRED,
    VERB,
    explain_stale,
)
from articles.services.workflow import ServiceError

SEEN_PREFIX = "seen-"
# Long words (URLs) wrap instead of pushing the queue's other columns off the screen.
BODY_STYLE = "white-space: pre-wrap; overflow-wrap: anywhere; min-width: 20em; max-width: 42em;"


# What the comment page shows, all read-only: decisions are taken from the queue's actions.
COMMENT_FIELDS = (
    "number",
    "on_article",
    "author",
    "origin",
    "posted",
    "quote",
    "body_text",
    "tally",
    "status",
    "version",
    "created_at",
)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentDecisionForm
    change_form_template = "admin/articles/comment/change_form.html"
    list_display = (
        "number",
        "comment",
        "author",
        "origin",
        "on_article",
        "tally",
        "status",
        "posted",
        "created_at",
    )
    list_display_links = ("number",)
    list_filter = (CommentStatusFilter, "origin", CommentArticleFilter, "created_at")
    list_select_related = ("article", "quotes_comment")
    search_fields = ("body", "author_handle")
    ordering = ("created_at", "id")
    actions = ["approve_selected", "reject_selected", "spam_selected"]
    action_form = ModerationActionForm
    paginator = CappedCountPaginator
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    readonly_fields = (*COMMENT_FIELDS, "decision_log")
    fieldsets = (
        (
            "Comment",
            {"fields": COMMENT_FIELDS},
        ),
        ("Decision", {"fields": ("decision", "reason", "seen_version")}),
        ("Earlier decisions", {"fields": ("decision_log",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments arrive with imported pages or through the API

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a rejected or spam comment stays, with its decisions

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.moderate_comment")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self.has_moderate_permission(request)

    # Pages.

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        status = request.GET.get(CommentStatusFilter.parameter_name) or Comment.Status.PENDING
        labels = dict(Comment.Status.choices)
        if status == Comment.Status.PENDING:
            title = "Moderation queue: pending comments, oldest first"
        else:
            title = f"Comments: {str(labels.get(status, 'all')).lower()}"
        context = {"title": title, **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        comment = self.get_object(request, unquote(object_id))
        if comment is not None:
            moderating = self.has_change_permission(request, comment)
            context.setdefault(
                "title", f"{'Moderate comment' if moderating else 'Comment'} #{comment.pk}"
            )
            who = comment.author_handle or "a reader with no handle"
            context.setdefault("subtitle", f"By {who} on “{comment.article}”")
        return super().change_view(request, object_id, form_url, context)

    # Columns (every piece of comment text goes through format_html, i.e. is escaped).

    @admin.display(description="#", ordering="id")
    def number(self, obj: Comment) -> str:
        return f"#{obj.pk}"

    @admin.display(description="Comment")
    def comment(self, obj: Comment) -> str:
        """The comment as the reader wrote it: what it quotes (marked as a quote), then its
        text; with the version the moderator saw, for the stale-decision check."""
        quote = self.quote(obj) if self._quotes(obj) else ""
        return format_html(
            '{}<div class="comment-body" style="{}">{}</div>'
            '<input type="hidden" name="{}{}" value="{}">',
            quote,
            BODY_STYLE,
            obj.body,
            SEEN_PREFIX,
            obj.pk,
            obj.version,
        )

    @admin.display(description="Comment")
    def body_text(self, obj: Comment) -> str:
        return format_html('<div class="comment-body" style="{}">{}</div>', BODY_STYLE, obj.body)

    @admin.display(description="Author", ordering="author_handle")
    def author(self, obj: Comment) -> str:
        return obj.author_handle or "(no handle)"

    @admin.display(description="Article")
    def on_article(self, obj: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a> <a class="queue-article-filter" href="{}?article={}" '
            'title="Only this article\'s comments">(its comments)</a>',
            reverse("admin:articles_article_change", args=[obj.article_id]),
            str(obj.article),
            reverse("admin:articles_comment_changelist"),
            obj.article_id,
        )

    @staticmethod
    def _quotes(obj: Comment) -> bool:
        return bool(obj.quoted_text or obj.quotes_headline or obj.quotes_comment_id)

    @admin.display(description="Quotes")
    def quote(self, obj: Comment) -> str:
        if not self._quotes(obj):
            return "—"
        if obj.quotes_headline:
            source = "Quoting the headline"
        elif obj.quotes_comment_id and obj.quotes_comment is not None:
            handle = obj.quotes_comment.author_handle
            source = (
                f"Quoting {handle}’s comment"
                if handle
                else f"Quoting comment #{obj.quotes_comment_id}"
            )
        else:
            source = "Quoting"  # the page marked a quote without saying from where
        return format_html(
            '<blockquote class="comment-quote" style="margin: 0 0 .4em; padding-left: .5em; '
            'border-left: 3px solid var(--border-color); font-size: inherit; font-style: italic;">'
            '<span class="quote-source">{}:</span> {}</blockquote>',
            source,
            obj.quoted_text,
        )

    @admin.display(description="Tally")
    def tally(self, obj: Comment) -> str:
        if obj.origin != Comment.Origin.IMPORTED or obj.score is None:
            return "—"
        up = "?" if obj.votes_up is None else obj.votes_up
        down = "?" if obj.votes_down is None else obj.votes_down
        return f"{obj.score:+d} ( +{up} / -{down} )"

    @admin.display(description="Posted", ordering="posted_at")
    def posted(self, obj: Comment) -> str:
        if obj.posted_at is not None:
            return obj.posted_at.isoformat(timespec="minutes")
        return obj.posted_label or "—"

    @admin.display(description="Decisions")
    def decision_log(self, obj: Comment) -> str:
        decisions = obj.decisions.select_related("moderator").order_by("decided_at", "pk")
        rows = [
            (
                decision.decided_at.isoformat(timespec="seconds"),
                decision.moderator.get_username(),
                decision.from_status,
                decision.to_status,
                decision.reason or "—",
            )
            for decision in decisions
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}: {} moved it {} → {} ({})</li>", rows)
        )

    # One decision, on the comment's page.

    def save_model(self, request: HttpRequest, obj: Comment, form: Any, change: bool) -> None:
        data = form.cleaned_data
        DECIDE[Comment.Status(data["decision"])](
            obj,
            moderator=request.user,
            reason=data["reason"],
            expected_version=data["seen_version"],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the decision is all there is to save

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        # The ModerationDecision row is the audit record.
        return not_logged(obj, "")

    def response_change(self, request: HttpRequest, obj: Comment) -> HttpResponse:
        messages.success(request, f"Comment #{obj.pk} {VERB[Comment.Status(obj.status)]}.")
        return self.response_post_save_change(request, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as refusal:
            # A decision that lost a race after the form's check: nothing was applied.
            messages.error(request, str(refusal))
            return redirect(request.get_full_path())

    # Bulk decisions.

    def _decide_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment], status: CommentStatus
    ) -> HttpResponseRedirect | None:
        reason = request.POST.get("reason", "").strip()
        if status in REASON_REQUIRED and not reason:
            messages.error(
                request,
                "Nothing was decided: write the reason in the Reason box next to the action "
                "(it is required to reject or mark as spam).",
            )
            return None
        decided: set[int] = set()

        def decide(comment: Comment) -> None:
            decided.add(comment.pk)
            seen = request.POST.get(f"{SEEN_PREFIX}{comment.pk}", "")
            expected = parse_id(seen)
            if seen and expected is None:
                raise ServiceError(
                    f"Comment #{comment.pk} was not decided: the page sent “{seen}” as the "
                    "version you saw, which is not a version number. Reload the queue and "
                    "decide again."
                )
            DECIDE[status](
                comment, moderator=request.user, reason=reason, expected_version=expected
            )

        outcome = apply_each(queryset.select_related(None).only("pk", "status", "version"), decide)
        # Rows the moderator saw and selected that have left this view since (decided by
        # someone else): say so, rather than skip them in silence.
        for selected in request.POST.getlist(ACTION_CHECKBOX_NAME):
            pk = parse_id(selected)
            seen = parse_id(request.POST.get(f"{SEEN_PREFIX}{selected}", ""))
            if pk is not None and pk not in decided and seen is not None:
                reason_stale = explain_stale(pk, seen)
                if reason_stale:
                    outcome.refused.append(reason_stale)
        if outcome.applied:
            plural = "s" if outcome.applied != 1 else ""
            messages.success(request, f"{outcome.applied} comment{plural} {VERB[status]}.")
        report_refusals(request, outcome.refused)
        return None

    @admin.action(description="Approve the selected comments", permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._decide_selected(request, queryset, Comment.Status.APPROVED)

    @admin.action(
        description="Reject the selected comments (reason required)", permissions=["moderate"]
    )
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._decide_selected(request, queryset, Comment.Status.REJECTED)

    @admin.action(
        description="Mark the selected comments as spam (reason required)", permissions=["moderate"]
    )
    def spam_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._decide_selected(request, queryset, Comment.Status.SPAM)


__all__ = ["CappedCountPaginator", "CommentAdmin"]
