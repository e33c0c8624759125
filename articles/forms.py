"""Admin forms of the editorial desk: the article form with its edit-conflict check, the coverage
link rows with accept/reject, and the moderation decision forms."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import Article, Comment, Correction, CoverageLink, ModerationDecision
from articles.services.coverage import describe_decision
from articles.services.moderation import (
    VERB,
    Choice,
    StaleDecision,
    check_not_stale,
    reason_problem,
)
from articles.services.workflow import EditConflict, check_edit_conflict


class PlainTextField(forms.CharField):
    """Multi-line plain text with the newlines the desk stores ("\\n"). Browsers send a
    textarea's lines with "\\r\\n"; without this every save from a browser would rewrite the
    whole body and show up as a change in the history."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class ArticleAdminForm(forms.ModelForm):
    """The article form. `loaded_version` is the version the editor opened; saving an article
    that moved on since is refused with a form error, and the editor's input stays."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Article
        # Never the status (workflow), the version, or what the services maintain.
        fields = [
            "headline",
            "slug",
            "dek",
            "body",
            "byline",
            "dateline",
            "published_at",
            "published_time_known",
            "time_zone",
            "outlet",
            "wire",
            "language",
            "photo_caption",
            "photo_credit",
            "copyright_line",
            "source_changed",
            "comments_open",
        ]
        field_classes = {
            "dek": PlainTextField,
            "body": PlainTextField,
            "photo_caption": PlainTextField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].required = True
            self.fields["loaded_version"].initial = self.instance.version
        if "published_at" in self.fields:
            # The admin renders and reads the time in the article's zone (ArticleAdmin
            # activates it); a zone changed in the same save re-reads the time in the new one.
            self.fields[
                "published_at"
            ].label = f"Published ({self.instance.zone_label}, {self.instance.time_zone})"
            self.fields["published_at"].help_text = (
                f"Date and time as the page states them, in {self.instance.zone_label}. "
                "Typing a time marks the time of day known; untick it if the page gives only "
                "the date."
            )
            parts = getattr(self.fields["published_at"].widget, "widgets", ())
            for part, name in zip(parts, ("date", "time"), strict=False):
                part.attrs["aria-label"] = f"Published {name} ({self.instance.zone_label})"
        if "published_time_known" in self.fields:
            self.fields["published_time_known"].label = "Time of day known"

    def _zoned_published_at(self, cleaned: dict[str, Any]) -> None:
        published, zone = cleaned.get("published_at"), cleaned.get("time_zone")
        if published is not None and zone and zone != self.instance.time_zone:
            wall = timezone.make_naive(published, self.instance.zone)
            cleaned["published_at"] = timezone.make_aware(wall, zoneinfo.ZoneInfo(zone))

    def _time_typed(self, cleaned: dict[str, Any]) -> None:
        """A time of day the editor changes is a time they know: it marks the time known,
        unless they set the box themselves in the same save. An undated article's first time
        is not taken as known (the form wants a time with any date), nor is a time that moved
        only because the zone changed."""
        if "published_time_known" not in self.fields or "published_time_known" in self.changed_data:
            return
        new, old = cleaned.get("published_at"), self.instance.published_at
        if new is None or old is None or cleaned.get("published_time_known"):
            return
        if "published_at" not in self.changed_data:
            return
        new_zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or self.instance.time_zone)
        typed = timezone.localtime(new, new_zone).time()
        if typed != timezone.localtime(old, self.instance.zone).time():
            cleaned["published_time_known"] = True
            self.changed_data.append("published_time_known")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._zoned_published_at(cleaned)
        self._time_typed(cleaned)
        if self.instance.pk is None or self.errors:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            raise ValidationError(
                "This form lacks the version you opened; reload the article and edit again."
            )
        try:
            # Locks the row until the admin's transaction ends: no save can slip in between.
            check_edit_conflict(self.instance.pk, loaded)
        except EditConflict as conflict:
            raise ValidationError(str(conflict), code="edit_conflict") from conflict
        if self.instance.status == Article.Status.PUBLISHED:
            outlet = cleaned.get("outlet", self.instance.outlet)
            missing = Article(
                headline=cleaned.get("headline", self.instance.headline) or "",
                published_at=cleaned.get("published_at", self.instance.published_at),
                outlet_id=outlet.pk if outlet else None,
            ).missing_for_publication(has_confirmed_round=True)
            if missing:
                raise ValidationError(
                    f"A published article keeps {', '.join(missing)}; retract it first."
                )
        return cleaned


class CorrectionInlineForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]
        field_classes = {"text": PlainTextField}


class CorrectionAdminForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["article", "kind", "text"]
        field_classes = {"text": PlainTextField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        article = cleaned.get("article")
        if article is not None and article.status != Article.Status.PUBLISHED:
            self.add_error(
                "article",
                f"Corrections are added to published articles; “{article}” is "
                f"{article.get_status_display().lower()}, so edit it directly.",
            )
        return cleaned


class LinkTargetDisplay(forms.Widget):
    """Shows the target of an existing link as text: the target of a link is not changed,
    the link is rejected and another added."""

    def __init__(self, label: str, url: str | None = None) -> None:
        super().__init__()
        self.label = label
        self.url = url

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        if self.url:
            return format_html('<a class="link-target" href="{}">{}</a>', self.url, self.label)
        return format_html('<span class="link-target">{}</span>', self.label)


class FixedTargetField(forms.Field):
    """The target of an existing link: shown, never taken from the request."""

    def __init__(self, target: models.Model, **kwargs: Any) -> None:
        url = getattr(target, "get_absolute_url", None)
        super().__init__(
            required=False,
            disabled=True,
            widget=LinkTargetDisplay(str(target), url() if url else None),
            **kwargs,
        )
        self.target = target

    def clean(self, value: Any) -> Any:
        return self.target

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


class CoverageLinkInlineForm(forms.ModelForm):
    """A coverage link row: new rows are editor links (confirmed on save); existing rows show
    their target and take a decision (accept or reject) and revised evidence."""

    ACCEPT = "accept"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[("", "—"), (ACCEPT, "Accept"), (REJECT, "Reject")],
        required=False,
        help_text="Accept or reject this link.",
    )
    # The status the editor saw: a decision on a link someone else decided on meanwhile (in
    # the link list, or in bulk from the article list) is refused, not applied over theirs.
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_field = self._meta.model.target_field
        if self.instance.pk is not None:
            self.fields["seen_status"].initial = self.instance.status
        if self.instance.pk is not None and target_field in self.fields:
            target = getattr(self.instance, target_field)
            self.fields[target_field] = FixedTargetField(
                target, label=self.fields[target_field].label
            )
        # The tabular rows show their labels as column headings only: name each control.
        what = self._meta.model._meta.verbose_name
        if self.instance.pk is not None:
            what = f"{what} to {getattr(self.instance, target_field)}"
        if "evidence" in self.fields:
            evidence = self.fields["evidence"]
            self.fields["evidence"] = PlainTextField(
                label=evidence.label,
                help_text=evidence.help_text,
                required=evidence.required,
                widget=forms.Textarea(
                    attrs={"rows": 2, "cols": 50, "aria-label": f"Evidence for the {what}"}
                ),
            )
        self.fields["decision"].widget.attrs["aria-label"] = f"Decision on the {what}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        decision = cleaned.get("decision")
        seen = cleaned.get("seen_status")
        if decision and self.instance.pk is not None and seen and seen != self.instance.status:
            self.add_error(
                "decision",
                f"Not applied: this link was {describe_decision(self.instance)} after you "
                "opened the page. Reload the article to decide again.",
            )
            return cleaned
        if decision and self.instance.pk is None:
            cleaned["decision"] = ""  # an editor's new link is confirmed as it is added
        elif decision == self.ACCEPT and self.instance.status == CoverageLink.Status.CONFIRMED:
            self.add_error("decision", "This link is already confirmed.")
        elif decision == self.REJECT and self.instance.status == CoverageLink.Status.REJECTED:
            self.add_error("decision", "This link is already rejected.")
        return cleaned


REASON_CHOICES = [("", "— reason —"), *ModerationDecision.Reason.choices]


class CommentDecisionForm(forms.ModelForm):
    """One moderation decision on one comment, against the version the moderator saw."""

    decision = forms.ChoiceField(
        choices=[
            (Comment.Status.APPROVED, "Approve"),
            (Comment.Status.REJECTED, "Reject"),
            (Comment.Status.SPAM, "Mark as spam"),
        ],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label="Reason",
        choices=REASON_CHOICES,
        required=False,
        help_text="Required to reject or mark as spam; kept with the decision.",
    )
    reason = PlainTextField(
        label="In words",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        required=False,
        help_text="Required with “Other”; optional otherwise.",
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Comment
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        decision = cleaned.get("decision")
        if decision:
            problem = reason_problem(
                decision, cleaned.get("reason_code") or "", cleaned.get("reason") or ""
            )
            if problem:
                self.add_error("reason_code", problem)
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None:
            try:
                check_not_stale(self.instance.pk, seen)
            except StaleDecision as stale:
                raise ValidationError(str(stale), code="stale") from stale
        if decision and decision == self.instance.status:
            self.add_error("decision", f"This comment is already {VERB[Comment.Status(decision)]}.")
        return cleaned

    def choice(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            Comment.Status(data["decision"]),
            reason_code=data.get("reason_code") or "",
            reason=data.get("reason") or "",
        )


class ModerationActionForm(helpers.ActionForm):
    """The queue's action bar: the decision and, for reject and spam, its reason."""

    reason_code = forms.ChoiceField(
        label="Reason",
        choices=REASON_CHOICES,
        required=False,
        help_text="Required to reject or mark as spam.",
    )
    reason = forms.CharField(
        required=False,
        label="In words",
        widget=forms.TextInput(attrs={"size": 30, "placeholder": "Required with “Other”"}),
    )


class RetractionForm(forms.Form):
    reason = forms.CharField(max_length=2000)
    loaded_version = forms.IntegerField(min_value=1)
