"""Outlets and wires, and raw pages exactly as received."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from negotiations.models import SlugManager, choices_check


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "Outlet"
    WIRE = "wire", "Wire service"


class Source(models.Model):
    """An outlet that publishes pages, or a wire whose copy outlets carry."""

    Kind = SourceKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names seen in mastheads and copyright lines (e.g. 'THE ASAHI SHIMBUN').",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [choices_check("kind", SourceKind, "source_kind_valid")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class RawDocumentManager(models.Manager["RawDocument"]):
    def get_by_natural_key(self, sha256: str) -> RawDocument:
        return self.get(sha256=sha256)


class RawDocument(models.Model):
    """A page exactly as received. Never altered, so an article can always be re-parsed."""

    file_name = models.CharField(max_length=500, db_index=True)
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    encoding = models.CharField(max_length=40, default="utf-8")
    size_bytes = models.PositiveIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raw_documents",
    )
    import_report = models.JSONField(default=dict, blank=True)

    objects = RawDocumentManager()

    class Meta:
        ordering = ["-received_at", "id"]
        get_latest_by = "received_at"
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="rawdocument_sha256_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"

    def natural_key(self) -> tuple[str]:
        return (self.sha256,)
