"""Each invariant of articles, links and comments is enforced by the database itself."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Comment, ModerationDecision
from tests.articles.factories import (
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    ImportedCommentFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    ModerationDecisionFactory,
    OfficialLinkFactory,
    PublishedArticleFactory,
    RawDocumentFactory,
    RoundLinkFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LINK_FACTORIES = [RoundLinkFactory, MeetingLinkFactory, OfficialLinkFactory, MeasureLinkFactory]


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("factory", LINK_FACTORIES, ids=lambda f: f.__name__)
def test_one_link_per_article_and_target(factory):
    link = factory()
    refused(lambda: factory(article=link.article, **{link.target_field: link.target}))


@pytest.mark.parametrize("factory", LINK_FACTORIES, ids=lambda f: f.__name__)
def test_link_needs_evidence(factory):
    refused(lambda: factory(evidence=""))


@pytest.mark.parametrize("factory", LINK_FACTORIES, ids=lambda f: f.__name__)
def test_confirmed_link_needs_confirmer_and_time(factory):
    refused(lambda: factory(status="confirmed", confirmed_by=None, confirmed_at=None))
    assert factory(status="confirmed", confirmed_by=UserFactory(), confirmed_at=timezone.now()).pk


@pytest.mark.parametrize("factory", LINK_FACTORIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("field", ["origin", "status"])
def test_link_choices_are_enforced(factory, field):
    refused(lambda: factory(**{field: "maybe"}))


def test_published_article_needs_headline_time_and_outlet():
    refused(lambda: PublishedArticleFactory(headline=""))
    refused(lambda: PublishedArticleFactory(published_at=None))
    refused(lambda: PublishedArticleFactory(outlet=None))
    draft = ArticleFactory(headline="", published_at=None, outlet=None)
    assert draft.status == Article.Status.DRAFT


def test_article_status_is_enforced():
    refused(lambda: ArticleFactory(status="embargoed"))


def test_wire_cannot_be_the_outlet():
    article = ArticleFactory()
    refused(lambda: Article.objects.filter(pk=article.pk).update(wire=F("outlet")))


def test_article_slug_is_unique():
    ArticleFactory(slug="same")
    refused(lambda: ArticleFactory(slug="same"))


def test_comment_status_and_origin_are_enforced():
    refused(lambda: CommentFactory(status="hidden"))
    refused(lambda: CommentFactory(origin="email"))


def test_comment_body_is_required():
    refused(lambda: CommentFactory(body=""))


def test_api_comments_carry_no_vote_tally():
    refused(lambda: CommentFactory(origin=Comment.Origin.API, score=3, votes_up=3, votes_down=0))
    assert ImportedCommentFactory().score == -6


def test_comment_cannot_quote_itself():
    comment = CommentFactory()
    refused(lambda: Comment.objects.filter(pk=comment.pk).update(quotes_comment=F("pk")))


def test_comment_position_is_unique_per_page():
    raw = RawDocumentFactory()
    article = ArticleFactory()
    ImportedCommentFactory(article=article, raw_document=raw, position=1)
    refused(lambda: ImportedCommentFactory(article=article, raw_document=raw, position=1))


def test_moderation_decision_must_change_status():
    refused(lambda: ModerationDecisionFactory(from_status="pending", to_status="pending"))


@pytest.mark.parametrize("to_status", ["rejected", "spam"])
def test_reject_and_spam_need_a_reason_code(to_status):
    refused(lambda: ModerationDecisionFactory(to_status=to_status, reason="Abusive"))
    refused(lambda: ModerationDecisionFactory(to_status=to_status, reason_code="rude"))
    refused(lambda: ModerationDecisionFactory(to_status=to_status, reason_code="other"))
    assert ModerationDecisionFactory(to_status=to_status, reason_code="abuse").pk
    assert ModerationDecisionFactory(to_status=to_status, reason_code="other", reason="Ads").pk


def test_a_reason_code_goes_with_a_refusal_only():
    refused(lambda: ModerationDecisionFactory(to_status="approved", reason_code="abuse"))


def test_a_decision_does_not_undo_itself():
    decision = ModerationDecisionFactory()
    refused(lambda: ModerationDecision.objects.filter(pk=decision.pk).update(undoes=decision.pk))


def test_correction_needs_text_and_a_known_kind():
    refused(lambda: CorrectionFactory(text=""))
    refused(lambda: CorrectionFactory(kind="retraction"))


def test_source_kind_is_enforced():
    refused(lambda: SourceFactory(kind="blog"))


def test_raw_document_sha256_must_be_a_full_digest():
    refused(lambda: RawDocumentFactory(sha256="abc"))


def test_domain_querysets():
    published = PublishedArticleFactory()
    draft = ArticleFactory(needs_review=["headline"])
    pending = CommentFactory(article=published)
    CommentFactory(article=published, status="approved")
    assert list(Article.objects.published()) == [published]
    assert list(Article.objects.needing_review()) == [draft]
    no_outlet = ArticleFactory(outlet=None)
    suggested = RoundLinkFactory(article=PublishedArticleFactory()).article
    assert set(Article.objects.needing_review()) == {draft, no_outlet, suggested}
    assert list(Comment.objects.pending()) == [pending]
