"""One GET through Django's WSGI application, as a server makes it: the benchmarks' request."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any


def wsgi_get(
    url: str, headers: dict[str, str] | None = None, expect: str = "200"
) -> Callable[[], bytes]:
    """A callable making one GET of `url` (with `headers`, e.g. {"If-None-Match": ...}) through
    Django's WSGI application: a fresh environ each time, the status checked to start with
    `expect`, the body read to the end and closed. The last response's headers are left on
    the callable as `.headers`."""
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": True,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
        **{
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in (headers or {}).items()
        },
    }

    def call() -> bytes:
        statuses: list[str] = []
        found: dict[str, str] = {}

        def start_response(status: str, response_headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)
            found.update(response_headers)
            return None

        body = application({**environ, "wsgi.input": io.BytesIO(b"")}, start_response)
        try:
            content = b"".join(body)
        finally:
            body.close()
        assert statuses[0].startswith(expect), (url, statuses, content[:300])
        call.headers = found  # type: ignore[attr-defined]
        return content

    return call


__all__ = ["wsgi_get"]
