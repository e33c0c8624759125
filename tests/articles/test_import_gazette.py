"""A Federal Register document as govinfo.gov gives it as text: its header states the
publication and the day, its title stands above "AGENCY:" (wrapped at a fixed width)."""

from __future__ import annotations

import datetime

from articles.importer.analysis import analyse_text
from articles.importer.reference import Reference

NOTICE = (
    "[Federal Register Volume 90, Number 177 (Tuesday, September 16, 2025)]\n"
    "[Notices]\n"
    "[Pages 44638-44643]\n"
    "From the Federal Register Online via the Government Publishing Office [www.gpo.gov]\n"
    "[FR Doc No: 2025-17908]\n"
    "\n"
    "-----------------------------------------------------------------------\n"
    "\n"
    "DEPARTMENT OF COMMERCE\n"
    "\n"
    "International Trade Administration\n"
    "\n"
    " [Docket No. 250912-0154; RTID 0625-XC057]\n"
    "\n"
    "\n"
    "Implementing Certain Tariff-Related Elements of the United \n"
    "States-Japan Agreement\n"
    "\n"
    "AGENCY: International Trade Administration, U.S. Department of \n"
    "Commerce.\n"
    "\n"
    "ACTION: Notice.\n"
    "\n"
    "-----------------------------------------------------------------------\n"
    "\n"
    "SUMMARY: This notice implements certain tariff-related elements of the \n"
    "agreement between the United States and Japan announced on July 22, \n"
    "2025, including a 15 percent tariff on imports of passenger vehicles \n"
    "and parts from Japan.\n"
)


def test_the_header_gives_the_publication_and_the_day_and_the_title_stands_above_agency(
    ref: Reference,
) -> None:
    draft = analyse_text(NOTICE, ref).draft
    assert draft.headline == (
        "Implementing Certain Tariff-Related Elements of the United States-Japan Agreement"
    )
    assert draft.published is not None
    assert draft.published.day == datetime.date(2025, 9, 16)
    assert draft.outlet_name == "Federal Register"
    assert "tariff-related elements" in draft.body


def test_a_page_that_only_mentions_the_federal_register_is_read_as_before(
    ref: Reference,
) -> None:
    page = NOTICE.replace(
        "[Federal Register Volume 90, Number 177 (Tuesday, September 16, 2025)]\n",
        "The notice appeared in the Federal Register on Tuesday, September 16, 2025.\n",
    )
    draft = analyse_text(page, ref).draft
    assert draft.outlet_name != "Federal Register"
