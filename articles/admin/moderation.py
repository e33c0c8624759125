"""The moderation queue: reader comments, pending and oldest first, decided one by one or in bulk.

Comment text is user input: it is always rendered escaped (format_html), never marked safe.
Each row carries the comment version the moderator saw, so a bulk decision on a stale view is
refused per comment instead of overwriting another moderator's decision. The queue's filters
and paginator are in `queue`, the decision log in `decisions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from articles.admin.base import RefusalAsMessageMixin, attempt, not_logged
from articles.admin.bulk import apply_each, report_refusals
from articles.admin.inbox_moderation import moderation_inbox
from articles.admin.params import parse_id
from articles.admin.queue import (
    CappedCountPaginator,
    CommentArticleFilter,
    CommentStatusFilter,
    known_queue_count,
)
from articles.forms import REASON_CHOICES, CommentDecisionForm, ModerationActionForm
from articles.models import Comment, ModerationDecision
from articles.models.comments import CommentStatus
from articles.services.moderation import (
    REASON_REQUIRED,
    UNDO_WINDOW,
    VERB,
    Choice,
    ModerationError,
    decide,
    explain_stale,
    reason_problem,
    undo_decision,
    undoable_decision,
)
from articles.services.workflow import ServiceError

SEEN_PREFIX = "seen-"
CODE_PREFIX = "code-"
NOTE_PREFIX = "note-"
# What the moderator chose when a one-click decision was refused, shown again on the queue.
DRAFT_KEY = "articles:moderation-draft"
EXCERPT_CHARS = 160
BUTTONS = (
    (Comment.Status.APPROVED, "Approve", "a"),
    (Comment.Status.REJECTED, "Reject", "r"),
    (Comment.Status.SPAM, "Spam", "s"),
)
SHOWN_IN_CONFIRMATION = 20
IMPERATIVE = {
    Comment.Status.APPROVED: "Approve",
    Comment.Status.REJECTED: "Reject",
    Comment.Status.SPAM: "Mark as spam",
}


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


class CommentAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = CommentDecisionForm
    change_form_template = "admin/articles/comment/change_form.html"
    # Three columns (the comment with its article, quote and tally; the decision) so the queue
    # fits 1280 px; below 768 px each row stacks (articles/static/articles/moderation-queue.css).
    list_display: Any = ("number", "comment")  # "comment" is made per request
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
        ("Decision", {"fields": ("decision", "reason_code", "reason", "seen_version")}),
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

    change_list_template = "admin/articles/comment/change_list.html"

    class Media:  # the queue's and the comment page's (no inline style or script: CSP)
        css = {"all": ["articles/moderation-queue.css"]}
        js = ["articles/moderation-queue.js"]

    # Pages.

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("decide/", wrap(require_POST(self.decide_view)), name="articles_comment_decide"),
            path("undo/", wrap(require_POST(self.undo_view)), name="articles_comment_undo"),
            path("inbox/", wrap(moderation_inbox), name="articles_comment_inbox"),
            *super().get_urls(),
        ]

    def get_list_display(self, request: HttpRequest) -> Any:
        # The comment column is made per request (`comment` as it renders on one page): the
        # URLs every row links are reversed once, not twice a row.
        shown = ("number", self._comment_column())
        if not self.has_moderate_permission(request):
            return shown
        draft = request.session.pop(DRAFT_KEY, None) if request.method == "GET" else None
        return (*shown, self._decision_column(request, draft))

    def action_checkbox(self, obj: Any) -> SafeString:
        """Django's row checkbox, written directly: the same markup without rendering a form
        widget's template on every row."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            str(obj),
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        status = request.GET.get(CommentStatusFilter.parameter_name) or Comment.Status.PENDING
        labels = dict(Comment.Status.choices)
        if status == Comment.Status.PENDING:
            title = "Moderation queue: pending comments, oldest first"
        else:
            title = f"Comments: {str(labels.get(status, 'all')).lower()}"
        context: dict[str, Any] = {"title": title, **(extra_context or {})}
        if self.has_moderate_permission(request):
            last = undoable_decision(request.user)
            context["undoable"] = last
            if last is not None:
                context["undoable_verb"] = VERB[Comment.Status(last.to_status)]
            context["undo_minutes"] = int(UNDO_WINDOW.total_seconds() // 60)
            context["undo_url"] = self._with_filters(
                reverse("admin:articles_comment_undo"), request.GET.urlencode()
            )
            context["reasons"] = ModerationDecision.Reason.choices
        return super().changelist_view(request, context)

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> CappedCountPaginator:
        return CappedCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            known_count=known_queue_count(request),
        )

    # One click per decision, from the queue.

    @staticmethod
    def _with_filters(url: str, query: str) -> str:
        return f"{url}?{urlencode({'_changelist_filters': query})}" if query else url

    def _queue_url(self, request: HttpRequest, anchor_pk: int | None = None) -> str:
        url = reverse("admin:articles_comment_changelist")
        filters = request.GET.get("_changelist_filters", "")
        if filters:
            url = f"{url}?{filters}"
        return f"{url}#comment-{anchor_pk}" if anchor_pk else url

    def _decision_column(
        self, request: HttpRequest, draft: dict[str, Any] | None
    ) -> Callable[[Comment], SafeString]:
        """The Approve / Reject / Spam buttons of a row, with its reason; a refused decision's
        choice (the draft) comes back filled in. Plain buttons of the changelist form that post
        to the decide view (formaction): no nested forms, no script needed."""
        action = self._with_filters(
            reverse("admin:articles_comment_decide"), request.GET.urlencode()
        )

        def reason_options(code: str) -> SafeString:
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if value == code else "", label)
                    for value, label in REASON_CHOICES
                ),
            )

        # The reason's options (no choice kept) are the same on every row: rendered once.
        options = reason_options("")

        @admin.display(description="Decision")
        def decide(obj: Comment) -> SafeString:
            mine = draft if draft and draft.get("pk") == obj.pk else {}
            chosen = mine.get("status", "")
            buttons = format_html_join(
                "",
                '<button type="submit" class="button decide-{}{}" name="decide" value="{}:{}" '
                'formaction="{}" data-key="{}" aria-keyshortcuts="{}">{}</button>',
                (
                    (
                        status,
                        " chosen" if status == chosen else "",
                        obj.pk,
                        status,
                        action,
                        key,
                        key,
                        label,
                    )
                    for status, label, key in BUTTONS
                    if status != obj.status
                ),
            )
            error = (
                format_html('<p class="errornote decide-error" role="alert">{}</p>', mine["error"])
                if mine.get("error")
                else ""
            )
            return format_html(
                '<div class="decide" id="comment-{pk}" data-comment="{pk}" data-chosen="{chosen}">'
                '<div class="decide-buttons">{buttons}</div>'
                '<label class="decide-label" for="{code}{pk}">Reason</label>'
                '<select id="{code}{pk}" name="{code}{pk}">{options}</select>'
                '<label class="decide-label" for="{note}{pk}">In words</label>'
                '<input type="text" id="{note}{pk}" name="{note}{pk}" value="{words}" '
                'maxlength="2000" placeholder="Required with “Other”">{error}</div>',
                pk=obj.pk,
                chosen=chosen,
                buttons=buttons,
                code=CODE_PREFIX,
                note=NOTE_PREFIX,
                options=reason_options(mine["code"]) if mine.get("code") else options,
                words=mine.get("note", ""),
                error=error,
            )

        return decide

    def decide_view(self, request: HttpRequest) -> HttpResponse:
        """One decision from a queue row's button: applied through the moderation service, then
        back to the queue at the next pending comment. A refusal keeps what was chosen."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pk_text, _, status_text = request.POST.get("decide", "").partition(":")
        comment_pk = parse_id(pk_text)
        comment = Comment.objects.filter(pk=comment_pk).first() if comment_pk is not None else None
        if comment is None or status_text not in {s.value for s, _, _ in BUTTONS}:
            messages.error(request, "That decision names no comment in the queue; nothing done.")
            return redirect(self._queue_url(request))
        status = Comment.Status(status_text)
        code = request.POST.get(f"{CODE_PREFIX}{comment.pk}", "")
        note = request.POST.get(f"{NOTE_PREFIX}{comment.pk}", "").strip()
        if status not in REASON_REQUIRED:
            code = ""  # a reason code is kept only with a refusal
        seen = request.POST.get(f"{SEEN_PREFIX}{comment.pk}", "")
        choice = Choice(status, reason_code=code, reason=note)
        problem = reason_problem(status, code, note)
        try:
            if problem:
                raise ModerationError(f"Nothing was decided on comment #{comment.pk}. {problem}")
            decide(
                comment,
                choice,
                moderator=request.user,
                expected_version=parse_id(seen),
            )
        except ServiceError as refusal:
            request.session[DRAFT_KEY] = {
                "pk": comment.pk,
                "status": status.value,
                "code": code,
                "note": note,
                "error": str(refusal),
            }
            messages.error(request, str(refusal))
            return redirect(self._queue_url(request, comment.pk))
        label = dict(ModerationDecision.Reason.choices).get(code)
        because = f" ({label})" if label else ""
        messages.success(
            request, f"Comment #{comment.pk} {VERB[status]}{because}. Press u to undo."
        )
        return redirect(self._queue_url(request, self._next_pending(comment, request)))

    @staticmethod
    def _next_pending(comment: Comment, request: HttpRequest) -> int | None:
        later = Comment.objects.in_moderation().filter(
            Q(created_at__gt=comment.created_at)
            | Q(created_at=comment.created_at, pk__gt=comment.pk)
        )
        if f"{CommentArticleFilter.parameter_name}=" in request.GET.get("_changelist_filters", ""):
            later = later.filter(article_id=comment.article_id)
        following = later.values_list("pk", flat=True).first()
        if following is None:  # the end of the queue: back to its start
            following = Comment.objects.in_moderation().values_list("pk", flat=True).first()
        return following

    def undo_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pk_text = request.POST.get("decision", "")
        decision_pk = parse_id(pk_text)
        decision = (
            ModerationDecision.objects.filter(pk=decision_pk).first()
            if decision_pk is not None
            else None
        )
        if decision is None:
            messages.error(request, "Nothing to undo: that decision does not exist.")
            return redirect(self._queue_url(request))
        comment = attempt(request, lambda: undo_decision(decision, moderator=request.user))
        if comment is None:
            return redirect(self._queue_url(request, decision.comment_id))
        messages.success(
            request,
            f"Undone: comment #{comment.pk} is {comment.get_status_display().lower()} again.",
        )
        return redirect(self._queue_url(request, comment.pk))

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

    def _comment_column(self) -> Callable[[Comment], SafeString]:
        """The comment column of one page (see `comment_card`), with the article links'
        URLs reversed once for all its rows."""
        links = self._article_links()

        @admin.display(description="Comment")
        def comment(obj: Comment) -> SafeString:
            return self.comment_card(obj, links(obj))

        return comment

    @admin.display(description="Comment")
    def comment(self, obj: Comment) -> SafeString:
        return self.comment_card(obj, self.on_article(obj))

    def comment_card(self, obj: Comment, article_links: SafeString) -> SafeString:
        """The comment as the reader wrote it, under who wrote it where and when and on which
        article (headline and an excerpt): what it quotes (marked as a quote), its text and its
        tally; with the version the moderator saw, for the stale-decision check."""
        quote = self.quote(obj) if self._quotes(obj) else ""
        tally = self.tally(obj)
        return format_html(
            '<div class="comment-card">'
            '<p class="comment-meta"><strong>{}</strong> · {} · {} · {}{}</p>'
            '<div class="comment-article">{}<p class="article-excerpt">{}</p></div>'
            '{}<div class="comment-body">{}</div>'
            '<input type="hidden" name="{}{}" value="{}"></div>',
            self.author(obj),
            obj.get_origin_display(),
            self.posted(obj),
            obj.get_status_display(),
            format_html(' · <span class="comment-tally">Tally {}</span>', tally)
            if tally != "—"
            else "",
            article_links,
            self.excerpt(obj),
            quote,
            obj.body,
            SEEN_PREFIX,
            obj.pk,
            obj.version,
        )

    @staticmethod
    def excerpt(obj: Comment) -> str:
        article = obj.article
        return Truncator(article.dek or article.body).chars(EXCERPT_CHARS) or "(no text yet)"

    @admin.display(description="Comment")
    def body_text(self, obj: Comment) -> str:
        return format_html('<div class="comment-body">{}</div>', obj.body)

    @admin.display(description="Author", ordering="author_handle")
    def author(self, obj: Comment) -> str:
        return obj.author_handle or "(no handle)"

    @admin.display(description="Article")
    def on_article(self, obj: Comment) -> SafeString:
        return self._article_links()(obj)

    @staticmethod
    def _article_links() -> Callable[[Comment], SafeString]:
        """The article's headline linked to its page, and a link to the queue of its comments;
        the URLs reversed once, each row's article id put in."""
        before, after = reverse("admin:articles_article_change", args=["__id__"]).split("__id__")
        queue = reverse("admin:articles_comment_changelist")

        def links(obj: Comment) -> SafeString:
            return format_html(
                '<a href="{}{}{}">{}</a> <a class="queue-article-filter" href="{}?article={}" '
                'title="Only this article\'s comments">(its comments)</a>',
                before,
                obj.article_id,
                after,
                str(obj.article),
                queue,
                obj.article_id,
            )

        return links

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
            '<blockquote class="comment-quote">'
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
                ": ".join(
                    part for part in (decision.get_reason_code_display(), decision.reason) if part
                )
                or "—",
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
        decide(
            obj,
            form.choice(),
            moderator=request.user,
            expected_version=form.cleaned_data["seen_version"],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the decision is all there is to save

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        # The ModerationDecision row is the audit record.
        return not_logged(obj, "")

    def response_change(self, request: HttpRequest, obj: Comment) -> HttpResponse:
        messages.success(request, f"Comment #{obj.pk} {VERB[Comment.Status(obj.status)]}.")
        return self.response_post_save_change(request, obj)

    # Bulk decisions.

    def _decide_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment], status: CommentStatus
    ) -> HttpResponse | None:
        """A bulk decision: first a page saying how many comments it touches, with the reason,
        then (confirmed) each applied through the service. A missing reason shows that page
        again with the selection, the action and what was typed kept."""
        code = request.POST.get("reason_code", "") if status in REASON_REQUIRED else ""
        reason = request.POST.get("reason", "").strip()
        problem = reason_problem(status, code, reason)
        if request.POST.get("post") != "yes" or problem:
            return self._confirm_bulk(
                request,
                queryset,
                status,
                code,
                reason,
                problem if request.POST.get("post") else None,
            )
        choice = Choice(status, reason_code=code, reason=reason)
        decided: set[int] = set()

        def decide_one(comment: Comment) -> None:
            decided.add(comment.pk)
            seen = request.POST.get(f"{SEEN_PREFIX}{comment.pk}", "")
            expected = parse_id(seen)
            if seen and expected is None:
                raise ServiceError(
                    f"Comment #{comment.pk} was not decided: the page sent “{seen}” as the "
                    "version you saw, which is not a version number. Reload the queue and "
                    "decide again."
                )
            decide(comment, choice, moderator=request.user, expected_version=expected)

        outcome = apply_each(
            queryset.select_related(None).only("pk", "status", "version"), decide_one
        )
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

    def _confirm_bulk(
        self,
        request: HttpRequest,
        queryset: QuerySet[Comment],
        status: CommentStatus,
        code: str,
        reason: str,
        problem: str | None,
    ) -> TemplateResponse:
        count = queryset.count()
        shown = list(queryset.select_related("article")[:SHOWN_IN_CONFIRMATION])
        verb = VERB[status]
        plural = "" if count == 1 else "s"
        carried = [
            (key, value)
            for key in request.POST
            if key.startswith(SEEN_PREFIX)
            or key in (ACTION_CHECKBOX_NAME, "select_across", "action", "index")
            for value in request.POST.getlist(key)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{IMPERATIVE[status]} {count} comment{plural}?",
            "imperative": IMPERATIVE[status],
            "count": count,
            "verb": verb,
            "status": status,
            "shown": shown,
            "more": max(0, count - len(shown)),
            "carried": carried,
            "needs_reason": status in REASON_REQUIRED,
            "reasons": REASON_CHOICES,
            "code": code,
            "reason": reason,
            "problem": problem,
            "queue_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/articles/comment/confirm_decision.html", context)

    @admin.action(description="Approve the selected comments…", permissions=["moderate"])
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._decide_selected(request, queryset, Comment.Status.APPROVED)

    @admin.action(
        description="Reject the selected comments (reason required)…", permissions=["moderate"]
    )
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._decide_selected(request, queryset, Comment.Status.REJECTED)

    @admin.action(
        description="Mark the selected comments as spam (reason required)…",
        permissions=["moderate"],
    )
    def spam_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._decide_selected(request, queryset, Comment.Status.SPAM)


__all__ = ["CappedCountPaginator", "CommentAdmin"]
