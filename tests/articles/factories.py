"""Typed factories for sources, articles, links and comments."""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import (
    Article,
    Comment,
    Correction,
    MeasureLink,
    MeetingLink,
    ModerationDecision,
    OfficialLink,
    RawDocument,
    RoundLink,
    Source,
)
from tests.negotiations.factories import (
    MeetingFactory,
    OfficialFactory,
    RoundFactory,
    TariffMeasureFactory,
)

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("newsroom-test-password")
    is_staff = True


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    kind = Source.Kind.OUTLET


class WireFactory(SourceFactory):
    name = factory.Sequence(lambda n: f"Wire {n}")
    slug = factory.Sequence(lambda n: f"wire-{n}")
    kind = Source.Kind.WIRE


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Akazawa meets Lutnick, report {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "Japan's Economy Minister Ryosei Akazawa met Commerce Secretary Howard Lutnick."
    byline = "By A. Reporter"
    published_at = factory.Sequence(
        lambda n: (
            datetime.datetime(2025, 5, 30, 9, 0, tzinfo=datetime.UTC)
            + datetime.timedelta(minutes=n)
        )
    )
    outlet = factory.SubFactory(SourceFactory)
    status = Article.Status.DRAFT


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED


class RawDocumentFactory(factory.django.DjangoModelFactory[RawDocument]):
    class Meta:
        model = RawDocument

    file_name = factory.Sequence(lambda n: f"page-{n}.txt")
    text = factory.Sequence(lambda n: f"Page {n}\nSome reporting.\n")
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())
    size_bytes = factory.LazyAttribute(lambda o: len(o.text.encode()))


class _LinkFactory(factory.django.DjangoModelFactory):
    article = factory.SubFactory(ArticleFactory)
    origin = RoundLink.Origin.SUGGESTED
    status = RoundLink.Status.SUGGESTED
    evidence = "Akazawa met Lutnick in Washington for 130 minutes in a fourth round of talks."


class RoundLinkFactory(_LinkFactory):
    class Meta:
        model = RoundLink

    round = factory.SubFactory(RoundFactory)


class MeetingLinkFactory(_LinkFactory):
    class Meta:
        model = MeetingLink

    meeting = factory.SubFactory(MeetingFactory)


class OfficialLinkFactory(_LinkFactory):
    class Meta:
        model = OfficialLink

    official = factory.SubFactory(OfficialFactory)


class MeasureLinkFactory(_LinkFactory):
    class Meta:
        model = MeasureLink

    measure = factory.SubFactory(TariffMeasureFactory)


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    article = factory.SubFactory(PublishedArticleFactory)
    author_handle = factory.Sequence(lambda n: f"reader{n}")
    body = factory.Sequence(lambda n: f"Reader comment number {n}.")
    origin = Comment.Origin.API
    status = Comment.Status.PENDING


class ImportedCommentFactory(CommentFactory):
    origin = Comment.Origin.IMPORTED
    score = -6
    votes_up = 0
    votes_down = 6


class CorrectionFactory(factory.django.DjangoModelFactory[Correction]):
    class Meta:
        model = Correction

    article = factory.SubFactory(PublishedArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version misstated the length of the meeting."
    created_at = factory.LazyFunction(timezone.now)


class ModerationDecisionFactory(factory.django.DjangoModelFactory[ModerationDecision]):
    class Meta:
        model = ModerationDecision

    comment = factory.SubFactory(CommentFactory)
    moderator = factory.SubFactory(UserFactory)
    from_status = Comment.Status.PENDING
    to_status = Comment.Status.APPROVED
    decided_at = factory.LazyFunction(timezone.now)
