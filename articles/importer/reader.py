"""Read a page from disk: refuse what cannot be a page, with a reason, and decode the rest.

UTF-8 first (with or without a BOM; UTF-16 with a BOM too). A page that is not UTF-8 is tried
as Shift-JIS (cp932), EUC-JP and ISO-2022-JP, then as Windows-1252/Latin-1, and accepted only
when the result reads as text in that script; otherwise it is refused with the reason.

A page is HTML (`Page.markup == "html"`) when its name ends in .html or .htm, or when its text
opens with a doctype or an <html> tag whatever its name (a saved page renamed .txt). An HTML
page that is not valid UTF-8 and declares its charset (<meta charset>) is decoded with it when
its bytes are valid in it; otherwise it is decoded like any page.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from articles.importer import vocabulary as v

HTML_SUFFIXES = (".html", ".htm")
# A doctype or an <html> tag first, after any BOM, XML declaration, comments and whitespace.
HTML_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html\b|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
DECLARED_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I
)
# The control characters (Unicode category Cc) but tab, newline, vertical tab, form feed and
# carriage return: C0 and C1, and DEL.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# As browsers read them (WHATWG Encoding): these labels mean Windows-1252.
BROWSER_CHARSETS = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}


class PageRefused(Exception):
    """A file that cannot be imported; the message says why, in words a person can act on."""


@dataclass(frozen=True)
class Page:
    file_name: str
    data: bytes
    text: str
    encoding: str
    markup: str = "text"  # "text" or "html"

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


def read_page(path: Path, *, max_bytes: int) -> Page:
    """The page at `path`, decoded; PageRefused with the reason when it cannot be imported.

    Only a regular file is read: a symbolic link is refused, not followed (a page linked to
    /etc/passwd must not become an article), and so are devices, named pipes and sockets. The
    file is opened without following a link and checked again once open, so a file swapped
    for a link between the two steps is refused too."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise PageRefused(
            "has a name that is not valid UTF-8; rename it and import it again"
        ) from None
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise PageRefused("no such file") from None
    except NotADirectoryError:
        raise PageRefused("no such file (a part of the path is not a folder)") from None
    except PermissionError:
        raise PageRefused("cannot be read: permission denied") from None
    except (OSError, ValueError) as error:
        raise PageRefused(f"cannot be read: {_os_reason(error)}") from None
    _require_regular_file(path, info.st_mode)
    if info.st_size > max_bytes:
        raise PageRefused(
            f"is {_size(info.st_size)}, over the import limit of {_size(max_bytes)} "
            "(NEWSROOM_IMPORT_MAX_BYTES)"
        )
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except PermissionError:
        raise PageRefused("cannot be read: permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise PageRefused(SYMLINK_REFUSED) from None
        raise PageRefused(f"cannot be read: {_os_reason(error)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise PageRefused("changed while it was being read (replaced by another file)")
        _require_regular_file(path, opened.st_mode)
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise PageRefused(f"cannot be read: {_os_reason(error)}") from None
    return decode_page(path.name, data, max_bytes=max_bytes)


SYMLINK_REFUSED = (
    "is a symbolic link; links are not followed: import the file it points to by its own path"
)
NOT_A_FILE = {
    stat.S_IFDIR: "is a folder, not a page",
    stat.S_IFCHR: "is a device, not a file; only regular files are imported",
    stat.S_IFBLK: "is a device, not a file; only regular files are imported",
    stat.S_IFIFO: "is a named pipe (FIFO), not a file; only regular files are imported",
    stat.S_IFSOCK: "is a socket, not a file; only regular files are imported",
}


def _require_regular_file(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        raise PageRefused(SYMLINK_REFUSED)
    raise PageRefused(NOT_A_FILE.get(stat.S_IFMT(mode), "is not a regular file"))


def _os_reason(error: Exception) -> str:
    return (isinstance(error, OSError) and error.strerror) or str(error)


def decode_page(file_name: str, data: bytes, *, max_bytes: int) -> Page:
    """Check and decode the bytes of a page; PageRefused with the reason when they are no page."""
    if len(data) > max_bytes:
        raise PageRefused(
            f"is over the import limit of {_size(max_bytes)} (NEWSROOM_IMPORT_MAX_BYTES)"
        )
    if not data.strip():
        raise PageRefused("is empty" if not data else "is empty (whitespace only)")
    html_name = file_name.lower().endswith(HTML_SUFFIXES)
    declared = (
        _declared_charset(data)
        if html_name or HTML_START.match(data[:2048].decode("latin-1"))
        else None
    )
    text, encoding = declared or _decode(data)
    controls = len(CONTROLS.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise PageRefused("looks binary (it contains NUL or other control bytes), not a text page")
    if not v.normalise(text):
        raise PageRefused("is empty (no visible text)")
    markup = "html" if html_name or is_html(text) else "text"
    return Page(file_name=file_name, data=data, text=text, encoding=encoding, markup=markup)


def is_html(text: str) -> bool:
    """Does the text open as an HTML document (a doctype or an <html> tag)?"""
    return bool(HTML_START.match(text[:4096]))


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when the page declares a charset its bytes are valid in, else None."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None  # a byte-order mark outranks a declaration
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None  # valid UTF-8 is UTF-8, whatever the page declares
    match = DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # "base64", "rot13", "zlib"...: codecs, not character sets
    name = info.name
    if name.startswith("utf-16"):
        name = "utf-8"  # bytes that could be read this far are no UTF-16 (WHATWG says the same)
    name = {"shift_jis": "cp932"}.get(name, BROWSER_CHARSETS.get(name, name))
    for encoding in dict.fromkeys((name, "latin-1" if name == "cp1252" else name)):
        try:
            text = data.decode(encoding)
        except (UnicodeError, LookupError):
            continue
        return text, "shift_jis" if encoding == "cp932" else encoding
    return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x1b$" in data:
        try:
            text = data.decode("iso2022_jp")
        except UnicodeDecodeError:
            pass
        else:
            if _reads_as_japanese(text):
                return text, "iso2022_jp"
    if b"\x00" in data:
        raise PageRefused("looks binary (it contains NUL bytes), not a text page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_japanese(text):
            return text, "shift_jis" if encoding == "cp932" else encoding
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_latin(text):
            # Bytes 0x80-0x9F are printable only in Windows-1252; without them it is Latin-1.
            c1 = any(0x80 <= byte <= 0x9F for byte in data)
            return text, "cp1252" if c1 else "latin-1"
    raise PageRefused(
        f"is not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
        " and does not read as Shift-JIS, EUC-JP or Latin-1; convert it to UTF-8 and import it"
        " again"
    )


def _strict(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        raise PageRefused(
            f"starts with a {encoding} byte-order mark but is not valid {encoding} "
            f"(offset {error.start})"
        ) from None


def _reads_as_japanese(text: str) -> bool:
    """Most non-ASCII characters are Japanese, and there is hiragana (misread Latin-1 has none)."""
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign:
        return False
    japanese = sum(
        1
        for ch in foreign
        if v.CJK.match(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    hiragana = sum(1 for ch in foreign if "\u3040" <= ch <= "\u309f")
    return japanese / len(foreign) >= 0.9 and hiragana >= 2


def _reads_as_latin(text: str) -> bool:
    """Non-ASCII characters are letters, typographic punctuation or common signs, not controls."""
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign:
        return False
    readable = sum(
        1 for ch in foreign if unicodedata.category(ch)[0] in "LPZ" or ch in "©®°£€¥§¶±×÷·"
    )
    letters = sum(1 for ch in text if ch.isalpha())
    return readable / len(foreign) >= 0.95 and letters >= len(foreign) * 2
