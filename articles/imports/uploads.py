"""What an editor sent for import, checked and unpacked into pages before any is stored.

Files ending in .txt, .html or .htm are pages; a .zip is opened in memory (nothing is written
to disk, so no member can land outside a folder) and each member is either a page or refused
with the reason: a path that leaves the archive (absolute, or with '..'), a symbolic link, an
encrypted member, a hidden or system file, a file that is no page, one over the size limit, or
one past the count or total-size limit. Whether a page's bytes are text is decided later, by
the importer's reader, like any page.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

from articles.importer.reader import HTML_SUFFIXES

PAGE_SUFFIXES = (".txt", *HTML_SUFFIXES)
ZIP_SUFFIX = ".zip"


@dataclass(frozen=True)
class Entry:
    """One page to import (`data`), or one thing sent that is refused (`refusal`)."""

    file_name: str
    data: bytes = b""
    refusal: str = ""


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


class Unpacker:
    """Collects the pages of one import, enforcing the limits across everything sent."""

    def __init__(self) -> None:
        self.max_bytes: int = settings.NEWSROOM_IMPORT_MAX_BYTES
        self.max_pages: int = settings.NEWSROOM_IMPORT_MAX_PAGES
        self.max_total: int = settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES
        self.entries: list[Entry] = []
        self.pages = 0
        self.total = 0

    def refuse(self, name: str, reason: str) -> None:
        self.entries.append(Entry(file_name=name[:500], refusal=reason))

    def _room_for(self, name: str, size: int) -> bool:
        if self.pages >= self.max_pages:
            self.refuse(name, f"not imported: one import takes at most {self.max_pages} pages")
            return False
        if size > self.max_bytes:
            self.refuse(
                name,
                f"is {size_text(size)}, over the import limit of {size_text(self.max_bytes)} "
                "a page (NEWSROOM_IMPORT_MAX_BYTES)",
            )
            return False
        if self.total + size > self.max_total:
            self.refuse(
                name,
                f"not imported: the pages of one import may come to {size_text(self.max_total)}"
                " together (NEWSROOM_IMPORT_MAX_UPLOAD_BYTES); import it separately",
            )
            return False
        return True

    def add_page(self, name: str, data: bytes) -> None:
        if self._room_for(name, len(data)):
            self.entries.append(Entry(file_name=name[:500], data=data))
            self.pages += 1
            self.total += len(data)

    def add_file(self, name: str, size: int, handle: IO[bytes]) -> None:
        """An uploaded file: a page, a zip of pages, or refused."""
        suffix = PurePosixPath(name).suffix.lower()
        if suffix == ZIP_SUFFIX:
            if size > self.max_total:
                self.refuse(
                    name,
                    f"is {size_text(size)}, over the limit of {size_text(self.max_total)} for an "
                    "upload (NEWSROOM_IMPORT_MAX_UPLOAD_BYTES)",
                )
                return
            self.add_zip(name, handle)
        elif suffix in PAGE_SUFFIXES:
            if self._room_for(name, size):
                self.add_page(name, handle.read(self.max_bytes + 1))
        else:
            self.refuse(name, "is not a page: send .txt or .html files, or a .zip of them")

    def add_zip(self, name: str, handle: IO[bytes]) -> None:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            self.refuse(name, "is not a zip archive that can be opened (damaged or not a zip)")
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                self.refuse(name, "is an empty zip archive: it holds no pages")
            for info in members:
                self._add_member(name, archive, info)

    def _add_member(self, zip_name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        label = f"{zip_name}: {info.filename}"
        refusal = member_refusal(info)
        if refusal:
            self.refuse(label, refusal)
            return
        page_name = PurePosixPath(info.filename.replace("\\", "/")).name
        if not self._room_for(label, info.file_size):
            return
        try:
            with archive.open(info) as member:
                data = member.read(self.max_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError) as err:
            self.refuse(label, f"could not be read from the archive ({err})")
            return
        if len(data) > self.max_bytes:  # the archive understated its size
            self.refuse(
                label,
                f"is over the import limit of {size_text(self.max_bytes)} a page "
                "(NEWSROOM_IMPORT_MAX_BYTES)",
            )
            return
        self.add_page(page_name, data)


DRIVE = re.compile(r"^[A-Za-z]:")


def member_refusal(info: zipfile.ZipInfo) -> str:
    """Why a zip member cannot be imported ("" when it is a page)."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or DRIVE.match(name) or ".." in parts:
        return "refused: its path leaves the archive (absolute, or with '..')"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "refused: it is a symbolic link; only plain files are imported"
    if info.flag_bits & 0x1:
        return "refused: it is encrypted; send it unencrypted"
    if parts and (parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)):
        return "skipped: a hidden or system file (such as macOS metadata), not a page"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ZIP_SUFFIX:
        return "refused: an archive inside the archive; send its pages directly"
    if suffix not in PAGE_SUFFIXES:
        return "skipped: not a page (only .txt, .html and .htm files are imported)"
    return ""


def unpack(
    files: Iterable[tuple[str, int, IO[bytes]]], pasted: Iterable[tuple[str, str]]
) -> list[Entry]:
    """The pages (and refusals) of an import: uploaded files as (name, size, handle), pasted
    texts as (file name, text)."""
    unpacker = Unpacker()
    for name, size, handle in files:
        unpacker.add_file(name, size, handle)
    for name, text in pasted:
        # A browser sends a textarea's line breaks as CRLF; the page as pasted has plain ones.
        unpacker.add_page(name, text.replace("\r\n", "\n").encode("utf-8"))
    return unpacker.entries
