"""Coverage links at the desk, beyond the round: every kind of link inline with its evidence,
origin and confirmer; every record page with the articles covering it by status and counts;
bulk decisions that honour the article list's filters; a rejected suggestion that stays
rejected through a re-import; a link decided meanwhile that is not decided over; and the first
change of an article without history that still has a diff and a revert."""

from __future__ import annotations

import datetime
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import (
    Article,
    CoverageLink,
    MeasureLink,
    MeetingLink,
    OfficialLink,
    RoundLink,
)
from articles.services.coverage import confirm_link
from articles.services.history import BASELINE_COMMENT
from tests.articles.admin_support import client_for, form_data, make_user, role_user
from tests.articles.factories import (
    ArticleFactory,
    MeasureLinkFactory,
    MeetingLinkFactory,
    OfficialLinkFactory,
    RoundLinkFactory,
    SourceFactory,
)
from tests.negotiations.factories import TariffMeasureFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WHEN = datetime.datetime(2025, 5, 30, 10, 0, tzinfo=datetime.UTC)

# (link factory, link model, inline prefix, record admin name)
KINDS = [
    pytest.param(RoundLinkFactory, RoundLink, "roundlinks", "negotiations_round", id="round"),
    pytest.param(
        MeetingLinkFactory, MeetingLink, "meetinglinks", "negotiations_meeting", id="meeting"
    ),
    pytest.param(
        OfficialLinkFactory, OfficialLink, "officiallinks", "negotiations_official", id="official"
    ),
    pytest.param(
        MeasureLinkFactory, MeasureLink, "measurelinks", "negotiations_tariffmeasure", id="measure"
    ),
]


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def confirmed(factory: Any, **fields: Any) -> Any:
    return factory.create(
        status=CoverageLink.Status.CONFIRMED,
        confirmed_by=fields.pop("confirmed_by", None) or make_user(),
        confirmed_at=WHEN,
        **fields,
    )


@pytest.mark.parametrize(("factory", "model", "prefix", "record"), KINDS)
def test_every_kind_of_link_shows_evidence_origin_status_and_confirmer_inline(
    factory: Any, model: Any, prefix: str, record: str
) -> None:
    article = ArticleFactory.create()
    confirmed(
        factory,
        article=article,
        evidence=f"Evidence for the {prefix} row.",
        confirmed_by=make_user(f"confirmer-{prefix}"),
    )
    factory.create(article=article, origin=CoverageLink.Origin.EDITOR, evidence="Second row.")

    response = client_for(role_user("Editors")).get(change_url(article))

    html = response.content.decode()
    group = html[html.index(f'id="{prefix}-group"') :]
    group = group[: group.index("</fieldset>")]
    assert f"Evidence for the {prefix} row." in group
    assert "Suggested by the importer" in group and "Added by an editor" in group
    assert "Confirmed" in group and "Suggested" in group
    assert f"confirmer-{prefix}" in group
    assert "May 30, 2025" in group
    assert f'name="{prefix}-0-decision"' in group  # accept / reject, row by row


@pytest.mark.parametrize(("factory", "model", "prefix", "record"), KINDS)
def test_every_record_page_lists_its_covering_articles_by_status_with_counts(
    factory: Any, model: Any, prefix: str, record: str
) -> None:
    first = confirmed(factory, article__headline="Confirmed coverage")
    target = getattr(first, model.target_field)
    factory.create(article__headline="Suggested coverage", **{model.target_field: target})
    factory.create(
        article__headline="Rejected coverage",
        status=CoverageLink.Status.REJECTED,
        **{model.target_field: target},
    )
    factory.create(article__headline="Covers something else")
    client = client_for(role_user("Editors"))

    html = client.get(reverse(f"admin:{record}_change", args=[target.pk])).content.decode()
    listing = client.get(reverse(f"admin:{record}_changelist"))

    assert "Suggested: 1" in html and "Confirmed: 1" in html and "Rejected: 1" in html
    assert html.index("Suggested coverage") < html.index("Confirmed coverage")
    assert "Covers something else" not in html
    assert reverse("admin:articles_article_change", args=[first.article.pk]) in html
    rows = {row.pk: row for row in listing.context["cl"].result_list}
    assert (rows[target.pk].confirmed_articles_n, rows[target.pk].suggested_articles_n) == (1, 1)
    counts_link = re.search(r'<a href="([^"]+)">Suggested: 1</a>', html)
    assert counts_link is not None
    linked = client.get(counts_link.group(1).replace("&amp;", "&"))
    assert [link.article.headline for link in linked.context["cl"].result_list] == [
        "Suggested coverage"
    ]


def test_bulk_accept_from_a_filtered_article_list_changes_only_what_the_filter_matches() -> None:
    outlet, other_outlet = SourceFactory.create(), SourceFactory.create()
    in_filter = [RoundLinkFactory.create(article__outlet=outlet) for _ in range(2)]
    in_filter.append(OfficialLinkFactory.create(article=in_filter[0].article))
    outside = RoundLinkFactory.create(article__outlet=other_outlet)
    query = f"?review=suggestions&outlet__id__exact={outlet.pk}"

    response = client_for(role_user("Editors")).post(
        reverse("admin:articles_article_changelist") + query,
        {
            "action": "accept_suggestions",
            "select_across": "1",
            "index": "0",
            "_selected_action": [in_filter[0].article.pk],
        },
        follow=True,
    )

    assert "Accepted 3 suggested links." in response.content.decode()
    for link in in_filter:
        link.refresh_from_db()
        assert link.status == CoverageLink.Status.CONFIRMED
    outside.refresh_from_db()
    assert outside.status == CoverageLink.Status.SUGGESTED


def import_page(path: Path) -> str:
    out = io.StringIO()
    call_command("import_pages", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_suggestion_rejected_at_the_desk_stays_rejected_when_the_page_comes_again(
    tmp_path: Path, reference_data: None
) -> None:
    page = tmp_path / "001_df4f1887d7318987.txt"
    shutil.copy(SEEDS / page.name, page)
    import_page(page)
    article = Article.objects.get()
    suggestion = article.officiallinks.get(official__slug="howard-lutnick")
    assert suggestion.status == CoverageLink.Status.SUGGESTED
    client = client_for(role_user("Editors"))
    client.post(
        reverse("admin:articles_officiallink_changelist"),
        {"action": "reject_selected", "_selected_action": [suggestion.pk]},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == CoverageLink.Status.REJECTED

    page.write_text(
        page.read_text(encoding="utf-8") + "\nLutnick again said no deal was near.\n",
        encoding="utf-8",
    )
    assert "changed" in import_page(page)

    links = OfficialLink.objects.filter(article=article, official__slug="howard-lutnick")
    assert [(link.pk, link.status) for link in links] == [
        (suggestion.pk, CoverageLink.Status.REJECTED)
    ]


def test_a_decision_on_a_link_decided_meanwhile_is_refused_and_not_applied_over_it() -> None:
    article = ArticleFactory.create()
    link = RoundLinkFactory.create(article=article)
    bob = client_for(role_user("Editors", "bob"))
    bob_form = form_data(bob.get(change_url(article)).content, "article_form")
    # Meanwhile alice accepts it from the link list (which does not save the article).
    confirm_link(link, editor=role_user("Editors", "alice"))
    bob_form["roundlinks-0-decision"] = "reject"
    bob_form["dek"] = "Bob's dek"

    response = bob.post(change_url(article), bob_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not applied: this link was confirmed by alice at" in html
    assert "Bob&#x27;s dek" in html  # the input stays in the form
    link.refresh_from_db()
    assert link.status == CoverageLink.Status.CONFIRMED
    assert Article.objects.get(pk=article.pk).dek == ""


def test_the_first_change_of_an_article_without_history_has_a_diff_and_a_revert() -> None:
    article = ArticleFactory.create()  # as the importer or a fixture leaves it: no revision
    link = RoundLinkFactory.create(article=article)
    assert not Version.objects.get_for_object(article).exists()
    client = client_for(role_user("Editors", "editor"))

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "reject_suggestions", "_selected_action": [article.pk]},
    )

    baseline, rejected = Version.objects.get_for_object(article).order_by("pk")
    assert baseline.revision.comment == BASELINE_COMMENT
    assert rejected.revision.comment.startswith("Rejected the round link")
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert BASELINE_COMMENT in history.content.decode()
    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": baseline.pk, "version_id2": rejected.pk},
    ).content.decode()
    assert re.search(r"<del>[^<]*\(suggested\)</del>", compare)
    assert re.search(r"<ins>[^<]*\(rejected\)</ins>", compare)

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, baseline.pk])
    data = form_data(client.get(revision_url).content, "article_form")
    assert client.post(revision_url, data).status_code == 302

    link.refresh_from_db()
    assert link.status == CoverageLink.Status.SUGGESTED
    assert Version.objects.get_for_object(article).count() == 3  # the revert is a revision too


def test_an_article_page_save_of_an_article_without_history_records_a_baseline_first() -> None:
    article = ArticleFactory.create(dek="")
    RoundLinkFactory.create(article=article)
    client = client_for(role_user("Editors"))
    data = form_data(client.get(change_url(article)).content, "article_form")
    data.update({"dek": "A dek", "roundlinks-0-decision": "accept"})

    assert client.post(change_url(article), data).status_code == 302

    baseline, saved = Version.objects.get_for_object(article).order_by("pk")
    assert baseline.field_dict["dek"] == "" and saved.field_dict["dek"] == "A dek"
    assert baseline.revision.comment == BASELINE_COMMENT


def test_a_baseline_is_recorded_once() -> None:
    article = ArticleFactory.create()
    links = [RoundLinkFactory.create(article=article) for _ in range(3)]
    editor = role_user("Editors")

    for link in links:
        confirm_link(link, editor=editor)

    comments = list(
        Version.objects.get_for_object(article)
        .order_by("pk")
        .values_list("revision__comment", flat=True)
    )
    assert comments[0] == BASELINE_COMMENT
    assert comments.count(BASELINE_COMMENT) == 1
    assert len(comments) == 4


def test_the_measures_in_force_on_a_day_say_so_and_show_rates_as_written(
    reference_data: None,
) -> None:
    TariffMeasureFactory.create(name="Autos, stacked", rate_percent=Decimal("27.50"))
    client = client_for(role_user("Editors"))
    url = reverse("admin:negotiations_tariffmeasure_changelist")

    on_day = client.get(url + "?in_force_on=2025-06-10&product_scope__exact=steel")
    everything = client.get(url).content.decode()

    html = on_day.content.decode()
    assert "<h1>Tariff measures in force on 10 Jun 2025</h1>" in html
    assert "50% (On the metal content)" in html and "50.00%" not in html
    assert "Status now" in html
    assert "<h1>Select tariff measure to change</h1>" in everything
    assert "27.5% (" in everything


def test_record_pages_offer_no_view_on_site_link_back_to_themselves() -> None:
    link = RoundLinkFactory.create()
    client = client_for(role_user("Editors"))

    round_page = client.get(reverse("admin:negotiations_round_change", args=[link.round.pk]))
    article_page = client.get(change_url(link.article))  # a draft: its staff preview

    assert 'class="viewsitelink"' not in round_page.content.decode()
    assert 'class="viewsitelink"' in article_page.content.decode()


def test_a_new_link_row_says_it_will_be_confirmed_not_suggested() -> None:
    article = ArticleFactory.create()

    html = client_for(role_user("Editors")).get(change_url(article)).content.decode()

    empty_row = html[html.index('id="roundlinks-empty"') :]
    empty_row = empty_row[: empty_row.index("</tr>")]
    assert "Added by an editor" in empty_row
    assert "Confirmed when saved" in empty_row
    assert "Suggested" not in empty_row
