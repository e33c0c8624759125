"""Reader comments: what readers see (approved comments) and what they may send (a new one)."""

from __future__ import annotations

import unicodedata
from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from articles.models import Comment
from articles.services.comments import AUTHOR_MAX_LENGTH, comment_max_length


class CommentSerializer(serializers.ModelSerializer):
    """A reader comment. Plain text: the body is returned exactly as stored, never as HTML."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    author_name = serializers.CharField(source="author_handle", read_only=True)
    quotes_comment = serializers.UUIDField(
        source="quotes_comment_uuid",
        read_only=True,
        allow_null=True,
        help_text="The comment this one quotes, where it quotes one.",
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "author_name",
            "body",
            "posted_at",
            "posted_label",
            "origin",
            "score",
            "votes_up",
            "votes_down",
            "quoted_text",
            "quotes_headline",
            "quotes_comment",
            "status",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "posted_at": {"help_text": "When posted, where known; imported pages may not say."},
            "posted_label": {"help_text": "The time as the imported page showed it."},
            "score": {"help_text": "Imported comments: the tally as the page showed it."},
        }


NOT_AN_OBJECT = 'Send a JSON object: {"author_name": "...", "body": "..."}.'


class TextField(serializers.CharField):
    """A JSON string, and nothing DRF would turn into one (a number, a boolean)."""

    default_error_messages = {"invalid": "Must be a JSON string (text in double quotes)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CommentSubmissionSerializer(serializers.Serializer):
    """A new reader comment. `website` is a honeypot: people leave it empty."""

    author_name = TextField(
        max_length=AUTHOR_MAX_LENGTH, help_text="The name to show with the comment (plain text)."
    )
    website = TextField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Leave empty. Anything here marks the submission as automated.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        body = TextField(
            max_length=comment_max_length(),
            help_text="Plain text. Markup is kept as typed and never rendered.",
        )
        return {"author_name": fields["author_name"], "body": body, "website": fields["website"]}

    def run_validation(self, data: Any = empty) -> Any:
        # DRF would answer a JSON null with "No data provided", which says nothing of what to
        # send; every non-object gets the same, actionable message.
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            allowed = ", ".join(self.fields)
            raise serializers.ValidationError(
                {str(name): [f"Unknown field. Send only: {allowed}."] for name in unknown}
            )
        # Lengths are counted as stored: composed (NFC), as the service keeps the text.
        normalised = {
            name: unicodedata.normalize("NFC", value) if isinstance(value, str) else value
            for name, value in data.items()
        }
        return super().to_internal_value(normalised)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("website"):
            raise serializers.ValidationError(
                {"website": "Must be empty: it is there to catch automated submissions."}
            )
        return attrs
