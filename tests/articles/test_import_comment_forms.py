"""Reader comments in the forms blog and news platforms print them, kept out of the story."""

from __future__ import annotations

from articles.importer.analysis import analyse_text
from articles.importer.lines import C, SourceNames, classify_alone
from articles.importer.reference import Reference

STORY = (
    "Japan and the United States sealed a trade deal on Tuesday that sets a 15% tariff on "
    "Japanese cars, after months of talks led by Ryosei Akazawa in Washington.\n"
    "Japan will invest $550 billion in the United States under the agreement, the White House "
    "said, while the rice market will open further to American growers.\n"
)
# WordPress's default theme, as a page's text rendering shows it: a counter naming the post,
# "<name> says:", the date and time on the next line, the comment, a Reply link; then the
# reply form.
WORDPRESS = (
    "Japan and US seal tariff deal at 15%\n"
    "Posted on July 24, 2025 by Daniel Okafor\n"
    f"{STORY}"
    "Share this:\n"
    "Facebook\n"
    "2 thoughts on “Japan and US seal tariff deal at 15%”\n"
    "Ken Tanaka says:\n"
    "July 24, 2025 at 3:12 pm\n"
    "Farmers will pay for this deal, mark my words, and nobody in Tokyo will say so.\n"
    "Reply\n"
    "Mary Lee says:\n"
    "July 24, 2025 at 5:40 pm\n"
    "The car makers got what they wanted and the rest of us got the bill for it.\n"
    "Reply\n"
    "Leave a Reply Cancel reply\n"
    "Your email address will not be published. Required fields are marked *\n"
)


def test_wordpress_comments_are_comments_with_their_authors(ref: Reference) -> None:
    result = analyse_text(WORDPRESS, ref)
    body = result.draft.body
    assert "Farmers" not in body and "car makers" not in body
    assert "rice market" in body
    comments = result.segmentation.comments
    assert [(c.handle, c.posted_label, c.body) for c in comments] == [
        (
            "Ken Tanaka",
            "July 24, 2025 at 3:12 pm",
            "Farmers will pay for this deal, mark my words, and nobody in Tokyo will say so.",
        ),
        (
            "Mary Lee",
            "July 24, 2025 at 5:40 pm",
            "The car makers got what they wanted and the rest of us got the bill for it.",
        ),
    ]
    classes = {line.text: line.cls for line in result.lines}
    assert classes["Ken Tanaka says:"] == C.COMMENT
    assert classes["Leave a Reply Cancel reply"] == C.CHROME


def test_counters_that_name_the_post_count_its_comments() -> None:
    for line, count in [
        ("2 thoughts on “Japan and US seal tariff deal at 15%”", 2),
        ("One thought on “Japan and US seal tariff deal”", 1),
        ('14 Responses to "Tariff talks resume"', 14),
    ]:
        found = classify_alone(line, SourceNames([]))
        assert found == (C.CHROME, {"reason": "comment counter", "count": count})


def test_a_reply_form_after_the_comments_does_not_hide_them(ref: Reference) -> None:
    page = WORDPRESS.replace("Leave a Reply Cancel reply", "Leave a Reply")
    result = analyse_text(page, ref)
    assert [c.handle for c in result.segmentation.comments] == ["Ken Tanaka", "Mary Lee"]
    assert "Farmers" not in result.draft.body
