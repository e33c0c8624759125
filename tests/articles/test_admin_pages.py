"""Every admin page of both apps renders for a superuser, with a query count that does not grow
with the number of rows (1 row vs 30), plus targeted 1-vs-50 checks of the desk's busiest pages.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now

from articles.models import (
    Article,
    Comment,
    Correction,
    ImportJob,
    ImportJobPage,
    MeasureLink,
    MeetingLink,
    ModerationDecision,
    OfficialLink,
    RawDocument,
    RoundLink,
    Source,
)
from negotiations.models import (
    Meeting,
    Negotiation,
    Official,
    OfficialAlias,
    Round,
    TariffMeasure,
)
from tests.articles.admin_support import client_for, make_superuser, make_user
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    ImportedCommentFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    ModerationDecisionFactory,
    OfficialLinkFactory,
    RawDocumentFactory,
    RoundLinkFactory,
    SourceFactory,
)
from tests.negotiations.factories import (
    MeetingFactory,
    NegotiationFactory,
    OfficialAliasFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _negotiation() -> Negotiation:
    n = next(_serial)
    return NegotiationFactory.create(slug=f"negotiation-{n}", name=f"Negotiation {n}")


def _article() -> Article:
    """An article with one link of each kind, a correction and an (unshown) comment."""
    link = RoundLinkFactory.create(article__status=Article.Status.PUBLISHED)
    article = link.article
    MeetingLinkFactory.create(article=article)
    OfficialLinkFactory.create(article=article)
    MeasureLinkFactory.create(article=article, status=MeasureLink.Status.REJECTED)
    CorrectionFactory.create(article=article)
    CommentFactory.create(article=article)
    return article


def _comment() -> Comment:
    quoted = CommentFactory.create()
    return ImportedCommentFactory.create(
        article=quoted.article, quotes_comment=quoted, quoted_text=quoted.body
    )


def _decision() -> ModerationDecision:
    moderator = User.objects.filter(username="decider").first() or make_user("decider")
    return ModerationDecisionFactory.create(
        moderator=moderator,
        to_status=Comment.Status.REJECTED,
        reason_code="abuse",
        reason="Personal attack on another reader.",
    )


def _import_job() -> Model:
    raw = RawDocumentFactory.create(article=ArticleFactory.create())
    job = ImportJob.objects.create(started_by_name="editor", status="finished", finished_at=now())
    ImportJobPage.objects.create(
        job=job, position=1, file_name=raw.file_name, outcome="created", raw_document=raw
    )
    return job


# One builder per registered model: it adds one row (with what the row needs).
BUILDERS: dict[type[Model], Callable[[], Model]] = {
    Official: lambda: OfficialAliasFactory.create().official,
    OfficialAlias: OfficialAliasFactory.create,
    Negotiation: _negotiation,
    Round: RoundFactory.create,
    Meeting: lambda: MeetingFactory.create(
        participants=[OfficialFactory.create(), OfficialFactory.create()]
    ),
    TariffMeasure: lambda: TariffMeasureFactory.create(superseded_by=TariffMeasureFactory.create()),
    Source: SourceFactory.create,
    RawDocument: lambda: RawDocumentFactory.create(article=ArticleFactory.create()),
    Article: _article,
    RoundLink: RoundLinkFactory.create,
    MeetingLink: MeetingLinkFactory.create,
    OfficialLink: OfficialLinkFactory.create,
    MeasureLink: MeasureLinkFactory.create,
    Comment: _comment,
    ModerationDecision: _decision,
    Correction: CorrectionFactory.create,
    ImportJob: _import_job,
}

DESK_APPS = ("articles", "negotiations")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DESK_APPS),
    key=lambda model: model._meta.label,
)
NOT_ADDABLE = {RawDocument, Comment, ModerationDecision}


@pytest.fixture
def admin_client() -> Client:
    """A superuser's client (pytest-django's would hash a password for every test)."""
    return client_for(make_superuser())


def _url(model: type[Model], page: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _queries(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response


def _assert_flat(client: Client, url: str, build: Callable[[], Any], more: int) -> tuple[Any, Any]:
    client.get(url)  # warm caches (content types, the queue's status counts)
    few, first = _queries(client, url)
    for _ in range(more):
        build()
    many, second = _queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"
    return first, second


def test_every_model_of_both_apps_has_an_admin_and_a_builder() -> None:
    models = {model for label in DESK_APPS for model in apps.get_app_config(label).get_models()}
    shown_within = {ImportJobPage}  # an import's pages are shown on the import's page
    assert models - shown_within <= set(REGISTERED)
    assert set(REGISTERED) == set(BUILDERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_renders_with_flat_query_count(model: type[Model], admin_client: Client) -> None:
    build = BUILDERS[model]
    build()
    first, second = _assert_flat(admin_client, _url(model, "changelist"), build, more=29)
    assert second.context["cl"].result_count > first.context["cl"].result_count


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_renders_with_flat_query_count(
    model: type[Model], admin_client: Client
) -> None:
    build = BUILDERS[model]
    obj = build()
    _, response = _assert_flat(admin_client, _url(model, "change", obj.pk), build, more=29)
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_page_renders_with_flat_query_count_or_is_refused(
    model: type[Model], admin_client: Client
) -> None:
    build = BUILDERS[model]
    build()
    url = _url(model, "add")
    if model is RawDocument:  # raw pages arrive by import: "add" is the import form
        response = admin_client.get(url)
        assert (response.status_code, response["Location"]) == (302, _url(ImportJob, "add"))
        return
    if model in NOT_ADDABLE:
        assert admin_client.get(url).status_code == 403
        return
    _assert_flat(admin_client, url, build, more=29)


# The desk's busiest pages, 1 row vs 50.


def test_article_changelist_queries_do_not_grow_with_50_articles(admin_client: Client) -> None:
    _article()
    _, response = _assert_flat(admin_client, _url(Article, "changelist"), _article, more=49)
    assert response.context["cl"].result_count == 50


def test_moderation_queue_queries_do_not_grow_with_50_comments(admin_client: Client) -> None:
    _comment()
    _, response = _assert_flat(admin_client, _url(Comment, "changelist"), _comment, more=49)
    assert response.context["cl"].result_count == 100  # each builder adds a quoted comment too


def test_round_page_queries_do_not_grow_with_50_meetings_and_articles(
    admin_client: Client,
) -> None:
    round_ = RoundFactory.create()

    def cover() -> None:
        MeetingFactory.create(round=round_, participants=[OfficialFactory.create()])
        RoundLinkFactory.create(round=round_)

    cover()
    _, response = _assert_flat(admin_client, _url(Round, "change", round_.pk), cover, more=49)
    html = response.content.decode()
    assert html.count('class="link-target"') == 0  # the round page shows links read-only
    assert "Articles covering this round" in html or "articles covering this round" in html
    assert round_.meetings.count() == 50


def test_article_page_queries_do_not_grow_with_50_links_of_each_kind(
    admin_client: Client,
) -> None:
    article = ArticleFactory.create(status=Article.Status.PUBLISHED)

    def link() -> None:
        RoundLinkFactory.create(article=article)
        MeetingLinkFactory.create(article=article)
        OfficialLinkFactory.create(article=article)
        MeasureLinkFactory.create(article=article)
        CorrectionFactory.create(article=article)

    link()
    _, response = _assert_flat(admin_client, _url(Article, "change", article.pk), link, more=49)
    assert response.content.decode().count('class="link-target"') == 200
