"""Production hardening: CSP without inline script, HTTPS settings from the environment, and
`check --deploy` clean under the README's production settings.

Issue 11, defect 9: no Content-Security-Policy, no HSTS or SSL redirect and no environment
settings for them, the proxy SSL header or trusted origins; `check --deploy` gave warnings.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from newsroom.settings import proxy_ssl_header
from tests.articles.admin_support import client_for, make_superuser, role_user
from tests.articles.factories import ArticleFactory, CommentFactory
from tests.articles.test_history import save_page, versions

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "articles" / "templates", ROOT / "negotiations" / "templates"]
TEMPLATE_DIRS += [ROOT / "newsroom" / "templates"]


class Scripts(HTMLParser):
    """Every <script> on a page: its src, and the code of those without one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._open = dict(attrs)

    def handle_data(self, data: str) -> None:
        opened = self._open
        runs = opened is not None and "src" not in opened and data.strip()
        if runs and opened and opened.get("type", "text/javascript") != "application/json":
            self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            if self._open.get("src"):
                self.sources.append(str(self._open["src"]))
            self._open = None


def scripts(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    return parser


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response) -> None:  # type: ignore[no-untyped-def]
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_admin_pages_carry_the_policy_and_run_no_inline_script():
    admin = client_for(make_superuser())
    article = ArticleFactory.create()
    comment = CommentFactory.create(article=article)
    login = Client().get(reverse("admin:login"))
    assert_strict(login)
    assert scripts(login.content.decode()).inline == []
    pages = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_comment_change", args=[comment.pk]),
        reverse("admin:negotiations_tariffmeasure_changelist"),
        reverse("admin:rest_framework_api_key_apikey_add"),
    ]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        found = scripts(response.content.decode())
        assert found.inline == [], (url, found.inline)
        assert found.handlers == [], (url, found.handlers)


@pytest.mark.django_db
def test_the_revision_preview_and_diff_pages_carry_the_policy_and_run_no_inline_script():
    editor = client_for(role_user("Editors", "editor"))
    article = ArticleFactory.create(headline="Akazawa in Washington")
    assert save_page(editor, article).status_code == 302
    assert save_page(editor, article, headline="Akazawa in Washington again").status_code == 302
    first, second = versions(article)[-2:]
    pages = [
        reverse("admin:articles_article_revision", args=[article.pk, first.pk]),
        reverse("admin:articles_article_compare", args=[article.pk])
        + f"?version_id1={first.pk}&version_id2={second.pk}",
    ]
    for url in pages:
        response = editor.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        assert scripts(response.content.decode()).inline == [], url


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_as_a_file():
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert_strict(page)
    found = scripts(page.content.decode())
    assert found.inline == []
    start_up = [src for src in found.sources if "script" in src and "sidecar" not in src]
    assert start_up, found.sources
    script = client.get(start_up[0])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert all(src.startswith("/") for src in found.sources)  # served here, offline


def test_no_template_of_ours_has_an_inline_script():
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            found = scripts(template.read_text(encoding="utf-8"))
            assert found.inline == [], (template, found.inline)
            assert found.handlers == [], (template, found.handlers)


@pytest.mark.django_db
def test_ssl_redirect_hsts_and_the_proxy_header(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header("X-Forwarded-Proto: https")
    plain = Client().get("/api/v1/sources/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/api/v1/sources/"
    proxied = Client().get("/api/v1/sources/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_malformed_proxy_header_setting_says_what_to_write():
    assert proxy_ssl_header("") is None
    assert proxy_ssl_header("X-Forwarded-Proto: https") == ("HTTP_X_FORWARDED_PROTO", "https")
    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto: https"):
        proxy_ssl_header("X-Forwarded-Proto")


def readme_production_exports() -> list[str]:
    """The `export` lines of the README's production settings block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    (block,) = [b for b in blocks if "DJANGO_SECURE_HSTS_SECONDS" in b]
    return [line for line in block.splitlines() if line.startswith("export ")]


def run_with_readme_settings(*command: str) -> subprocess.CompletedProcess[str]:
    script = "\n".join([*readme_production_exports(), " ".join(command)])
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NEWSROOM_", "REDIS_", "DATABASE_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    return subprocess.run(
        ["/bin/bash", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_the_readme_production_settings():
    exports = readme_production_exports()
    assert any("DJANGO_SECURE_SSL_REDIRECT=1" in line for line in exports)
    result = run_with_readme_settings(
        sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_readme_production_settings_reach_django():
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.CACHES['default']['BACKEND']]))"
    )
    result = run_with_readme_settings(
        f"DJANGO_SETTINGS_MODULE=newsroom.settings {sys.executable} -c {json.dumps(probe)}"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        True,
        31536000,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["https://news.example.org"],
        "newsroom.cache.RedisCache",
    ]


@pytest.mark.django_db
def test_the_policy_built_once_is_the_one_django_csp_builds(settings):
    """newsroom.middleware keeps django-csp's header instead of building it per response:
    the same header on the API and a page, a report-only one when configured, and a new
    one as soon as the settings change; a nonce still goes through django-csp."""
    from csp import constants as csp
    from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from newsroom.middleware import CSPMiddleware

    def headers(middleware_class, path="/api/v1/articles/", nonce=False):  # type: ignore[no-untyped-def]
        request = RequestFactory().get(path)
        middleware = middleware_class(lambda request: HttpResponse())
        middleware.process_request(request)
        if nonce:
            str(request.csp_nonce)
        response = middleware.process_response(request, HttpResponse())
        return {k: v for k, v in response.items() if "Content-Security-Policy" in k}

    assert headers(CSPMiddleware) == headers(DjangoCSPMiddleware)
    assert_strict(Client().get("/api/v1/articles/"))
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "EXCLUDE_URL_PREFIXES": ["/static/"],
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"},
    }
    ours = headers(CSPMiddleware)
    assert "Content-Security-Policy-Report-Only" in ours
    assert ours == headers(DjangoCSPMiddleware)
    assert headers(CSPMiddleware, "/static/x.css") == headers(DjangoCSPMiddleware, "/static/x.css")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", csp.NONCE]}}
    with_nonce = headers(CSPMiddleware, nonce=True)["Content-Security-Policy"]
    assert "'nonce-" in with_nonce  # the request's own, through django-csp
    assert headers(CSPMiddleware) == headers(DjangoCSPMiddleware)  # rebuilt from the new ones


@pytest.mark.django_db
def test_the_policy_built_once_follows_settings_replaced_without_the_signal(settings):
    """A policy replaced without Django's setting_changed signal (deleted, or assigned to the
    settings object directly) is noticed by its identity, not served stale."""
    from django.conf import settings as live
    from django.http import HttpResponse
    from django.test import RequestFactory

    from newsroom.middleware import CSPMiddleware

    def policy() -> str | None:
        request = RequestFactory().get("/api/v1/articles/")
        middleware = CSPMiddleware(lambda request: HttpResponse())
        middleware.process_request(request)
        return middleware.process_response(request, HttpResponse()).get("Content-Security-Policy")

    assert policy()
    previous = live.CONTENT_SECURITY_POLICY
    try:
        # Assigned to the settings object itself: no setting_changed signal is sent.
        live.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
        assert policy() == "default-src 'none'"
    finally:
        live.CONTENT_SECURITY_POLICY = previous
    assert policy() != "default-src 'none'"
