"""The import form: several files (pages or a zip of them) and/or one pasted page with a name."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.conf import settings

from articles.imports.uploads import PAGE_SUFFIXES, size_text


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); an empty file is kept, for the
    importer to refuse with its reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.zip"}))
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    uploads = MultipleFileField(
        label="Files",
        required=False,
        help_text=(
            f".txt or .html pages, or a .zip of them: up to {settings.NEWSROOM_IMPORT_MAX_PAGES} "
            f"pages, each up to {size_text(settings.NEWSROOM_IMPORT_MAX_BYTES)}."
        ),
    )
    pasted_text = forms.CharField(
        label="Pasted page",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="The text of a page (or its HTML), as copied.",
    )
    pasted_name = forms.CharField(
        label="File name of the pasted page",
        required=False,
        max_length=200,
        help_text="For example kyodo-2025-07-23.txt; .txt is added when it has no ending.",
    )

    def clean_pasted_name(self) -> str:
        name = str(self.cleaned_data.get("pasted_name") or "").strip()
        if not name:
            return ""
        if "/" in name or "\\" in name:
            raise forms.ValidationError("Give a file name, not a path (no / or \\).")
        suffix = PurePosixPath(name).suffix.lower()
        if not suffix:
            return f"{name}.txt"
        if suffix not in PAGE_SUFFIXES:
            raise forms.ValidationError(
                f"A pasted page is named .txt or .html, not {suffix}: for example page.txt."
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text, name = data.get("pasted_text") or "", data.get("pasted_name") or ""
        if text.strip() and not name and "pasted_name" not in self.errors:
            self.add_error("pasted_name", "Name the pasted page (for example page.txt).")
        if name and not text.strip():
            self.add_error("pasted_text", "Paste the page's text, or leave the name empty.")
        if not data.get("uploads") and not text.strip() and not self.errors:
            raise forms.ValidationError("Choose files to import, or paste a page and name it.")
        return data

    def pasted(self) -> list[tuple[str, str]]:
        text = self.cleaned_data.get("pasted_text") or ""
        return [(self.cleaned_data["pasted_name"], text)] if text.strip() else []
