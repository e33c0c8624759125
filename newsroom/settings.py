"""Newsroom settings, driven by environment variables with safe development defaults.

DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL,
NEWSROOM_CACHE_DIR, NEWSROOM_CORS_ORIGINS, the DJANGO_SECURE_* / DJANGO_CSRF_TRUSTED_ORIGINS
hardening settings and the NEWSROOM_API_*_RATE throttles. Nothing here is read from the
environment at import time by the apps themselves: they use django.conf.settings.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from newsroom.cachedir import default_cache_dir

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "django-insecure-newsroom-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the desk's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "reversion_compare",
    "axes",
    "csp",
    "rest_framework_api_key",
    "django_tasks",
    "django_tasks_db",
    "negotiations",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS as high as it can go (corsheaders' advice), so its headers reach every response,
    # a 304 from the shortcut included (a browser checks them on a revalidation too).
    "corsheaders.middleware.CorsMiddleware",
    # Reads go to the replica unless the request may write or the client just wrote (only with
    # DATABASE_REPLICA_URL; otherwise it passes the request straight on).
    "newsroom.routers.ReadAfterWriteMiddleware",
    # A conditional GET of the API answered 304 from one cache call, before everything below
    # (anonymous requests only; articles/api/shortcut.py): a 304 has no body for a CSP to
    # govern, and is no static file. About 40 us a request less than below CSP and WhiteNoise
    # (benchmarks/conditional.py).
    "articles.api.shortcut.NotModifiedShortcut",
    "newsroom.middleware.CSPMiddleware",  # django-csp's, the policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout raised during authentication into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default so a newcomer needs nothing but Python; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare a statement run prepare_threshold times on a
    # connection, so repeated queries (every list page) are planned once per connection, not
    # per request. Behind a transaction-mode pooler (pgbouncer < 1.21, or without
    # max_prepared_statements) prepared statements break: set DJANGO_DB_PREPARE_THRESHOLD=""
    # there, which turns both off (Django's defaults: client-side binding, no preparing).
    _prepare_threshold = os.environ.get("DJANGO_DB_PREPARE_THRESHOLD", "5").strip()
    if _prepare_threshold:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": int(_prepare_threshold)}
        )
# A streaming replica for reads (newsroom/routers.py): writes, transactions and the requests
# of a client that just wrote stay on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests run against the primary's test database (a replica cannot create one).
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]
NEWSROOM_REPLICA_PIN_SECONDS = int(os.environ.get("NEWSROOM_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache lets several workers agree on validators and throttles.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",  # Django's, reusing its redis-py client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    # Without Redis, a directory every process on the machine shares (newsroom.cache), so the
    # throttles and the API's validator generations still hold across workers.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedFileCache",
            "LOCATION": os.environ.get("NEWSROOM_CACHE_DIR")
            or str(default_cache_dir(BASE_DIR, BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("NEWSROOM_CACHE_MAX_ENTRIES", "5000"))},
        }
    }

# Sessions are read from that cache and written through to the database (a page load reads
# no session row; a session the cache lost is read from the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Login lockout (django-axes): after NEWSROOM_LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused, even with the right password, for
# NEWSROOM_LOGIN_COOLOFF_MINUTES or until reset (manage.py axes_reset_username NAME). The
# address is read as the API's throttles read it (NEWSROOM_API_NUM_PROXIES), so one client
# behind a proxy cannot lock out everyone behind it. Attempts are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading permissions in one query instead of two.
    "newsroom.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "30"))
)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "articles.api.throttles.client_address"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

CORS_ALLOWED_ORIGINS = env_list("NEWSROOM_CORS_ORIGINS")
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api|feeds)/.*$"
# Browsers may send validators and read pagination links, validators and throttle hints.
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-modified-since",
    "if-none-match",
    "user-agent",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]

REST_FRAMEWORK = {
    # Token first, so a missing or bad token is answered 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "articles.api.authentication.AppKeyAuthentication",  # Api-Key: an app's read allowance
        # DRF's session authentication, skipped at once without a session cookie.
        "articles.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "articles.api.problems.problem_exception_handler",
    # Reads: a generous allowance per anonymous address, a higher one per app key (counted on
    # the key); editors signed in are not counted. Comments have their own, per address.
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttles.ReadThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "comments": os.environ.get("NEWSROOM_API_COMMENT_RATE", "5/min"),
        "reads": os.environ.get("NEWSROOM_API_READ_RATE", "600/min"),
        "app_key_reads": os.environ.get("NEWSROOM_API_KEY_READ_RATE", "6000/min"),
    },
    # How many proxies in front of the workers append to X-Forwarded-For. 0 (the default):
    # the header is ignored and throttles count the connecting address, since any client can
    # send the header (DRF's None would trust it whole). Behind one proxy (nginx), set 1.
    "NUM_PROXIES": int(os.environ.get("NEWSROOM_API_NUM_PROXIES") or 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Curated, sourced coverage of the 2025 Japan-US tariff negotiations: articles with "
        "the rounds, meetings, officials and tariff measures they report (confirmed links, "
        "each with its evidence), and reader comments. Errors are RFC 9457 problem details "
        "(application/problem+json); unknown query parameters are refused with 400."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.declare_what_the_server_enforces",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.articles.ArticleStatus",
        "CommentStatusEnum": "articles.models.comments.CommentStatus",
        "CommentOriginEnum": "articles.models.comments.CommentOrigin",
        "SourceKindEnum": "articles.models.sources.SourceKind",
        "RoundStatusEnum": "negotiations.models.RoundStatus",
        "MeetingModeEnum": "negotiations.models.MeetingMode",
        "MeasureStatusEnum": "negotiations.models.MeasureStatus",
        "CountryEnum": "negotiations.models.Country",
        "AliasKindEnum": "negotiations.models.AliasKind",
    },
}

# The public API (articles.api): page sizes, cache lifetime, comment limits, feeds.
NEWSROOM_API_PAGE_SIZE = int(os.environ.get("NEWSROOM_API_PAGE_SIZE", "20"))
NEWSROOM_API_MAX_PAGE_SIZE = int(os.environ.get("NEWSROOM_API_MAX_PAGE_SIZE", "100"))
NEWSROOM_API_MAX_AGE = int(os.environ.get("NEWSROOM_API_MAX_AGE", "60"))
# How long an anonymous page's validators answer a conditional GET before the view runs
# (articles/api/shortcut.py); 0 turns that off. By default as long as any cache may keep the
# page without asking (max-age).
NEWSROOM_API_SHORTCUT_SECONDS = int(
    os.environ.get("NEWSROOM_API_SHORTCUT_SECONDS", str(NEWSROOM_API_MAX_AGE))
)
NEWSROOM_API_COMMENT_MAX_LENGTH = int(os.environ.get("NEWSROOM_API_COMMENT_MAX_LENGTH", "5000"))
NEWSROOM_API_FEED_SIZE = int(os.environ.get("NEWSROOM_API_FEED_SIZE", "50"))

# Importer limits (see articles.importer).
NEWSROOM_IMPORT_MAX_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))

# Background jobs (imports from the admin): django-tasks with its database backend. The queue is
# a table in the same database, so the embedded default needs no other service; run one or
# more `manage.py db_worker` processes beside the web server (see README, "Importing pages").
TASKS = {
    "default": {
        "BACKEND": os.environ.get("NEWSROOM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# An import from the admin: how many pages one job takes (files, zip members and pasted text
# together), the largest upload (a zip, or the files together), and after how long without
# word from its worker a running job is reported as interrupted.
NEWSROOM_IMPORT_MAX_PAGES = int(os.environ.get("NEWSROOM_IMPORT_MAX_PAGES", "100"))
NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("NEWSROOM_IMPORT_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
)
NEWSROOM_IMPORT_STALE_SECONDS = int(os.environ.get("NEWSROOM_IMPORT_STALE_SECONDS", "120"))
DATA_UPLOAD_MAX_NUMBER_FILES = NEWSROOM_IMPORT_MAX_PAGES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)

# HTTPS, each from the environment (README, "Security"): redirect plain HTTP, HSTS, the header
# a TLS-terminating proxy sets, and the origins whose forms may post here.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """'X-Forwarded-Proto: https' -> ('HTTP_X_FORWARDED_PROTO', 'https')."""
    if not value.strip():
        return None
    name, colon, expected = value.partition(":")
    if not colon or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            f"DJANGO_SECURE_PROXY_SSL_HEADER={value!r}: write the header your proxy sets and "
            "the value it means HTTPS with, e.g. 'X-Forwarded-Proto: https'."
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), expected.strip()


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", ""))

# Content-Security-Policy (django-csp 4): scripts only from this site, so no inline script
# runs; on the admin, the API docs (Swagger UI from drf-spectacular-sidecar, its start-up
# script served as a file) and every other page. Styles may be inline: Django admin's change
# list, reversion-compare's diff page and Swagger UI's page carry small <style> blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
