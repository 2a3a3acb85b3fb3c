"""Help and information before and after getting a budget, and the guides to the website
for each of the people's roles (issue 13 "Help and information", issue 14 "Information
pages"; holders-experience REQ-15 ways of holding side by side, REQ-19 what the money can
pay for; SCIE-14 advocacy): public, plain English, each with an easy-read version."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.portal.help import GUIDES, TOPICS
from tests.portal.test_glossary import GLOSSARY, glossary_terms, jargon_in, visible_text

pytestmark = pytest.mark.django_db

OPEN_FIRST = 'id="easy-read-title"'
TO_OPEN = "Read this in easy read"
PAGES = [f"/help/{t.slug}/" for t in TOPICS] + [f"/guides/{g.slug}/" for g in GUIDES]


def test_the_issues_topics_are_all_there() -> None:
    """Issue 13's list, in order: what a budget is, the ways to hold it, what the money can
    pay for, employing a PA, changing provider, advocacy, complaints and the Ombudsman."""
    assert [t.title for t in TOPICS] == [
        "What a personal budget is",
        "The ways to hold a personal budget",
        "What the money can and cannot pay for",
        "Employing a personal assistant",
        "Changing provider without a break in care",
        "Advocacy: someone on your side",
        "Complaints and the Ombudsman",
    ]
    assert [g.slug for g in GUIDES] == ["holder", "representative", "carer"]


@pytest.mark.parametrize("url", ["/help/", *PAGES])
def test_every_page_is_public_with_easy_read_to_open_or_first(client: Any, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert TO_OPEN in html and OPEN_FIRST not in html
    asked = client.get(url + "?version=easy-read").content.decode()
    assert OPEN_FIRST in asked
    # The easy-read part comes before the page in plain English.
    assert asked.index(OPEN_FIRST) < asked.index("</h1>") + 400


def test_an_unknown_page_is_not_found(client: Any) -> None:
    assert client.get("/help/nothing-here/").status_code == 404
    assert client.get("/guides/finance/").status_code == 404


def test_the_index_links_every_topic_and_guide(client: Any) -> None:
    html = client.get("/help/").content.decode()
    for url in PAGES:
        assert f'href="{url}"' in html


def test_a_reader_who_needs_easy_read_gets_it_first_without_asking(
    client: Any, council: Any
) -> None:
    council.holder_person.needs_easy_read = True
    council.holder_person.save()
    client.force_login(council.users[Role.HOLDER])
    for url in ("/help/", "/help/advocacy/", "/guides/holder/", "/carers/"):
        assert OPEN_FIRST in client.get(url).content.decode(), url


def test_ways_of_holding_compared_side_by_side_in_a_scrolling_region(client: Any) -> None:
    """REQ-15: each way's responsibilities side by side; the table scrolls on its own at
    320 px (WCAG 1.4.10)."""
    html = client.get("/help/ways-to-hold-a-budget/").content.decode()
    region = html.index('class="sd-table-scroll"')
    table = html.index('id="ways-compared"')
    assert region < table < html.index("</div>", table)
    for way in (
        "Direct payment",
        "Individual Service Fund",
        "Managed account",
        "Arranged by the council",
    ):
        assert f'<th scope="col" class="govuk-table__header">{way}</th>' in html
    assert "not household income" in html


def test_spending_flexibility_names_a_holiday_a_taxi_and_a_gym(client: Any) -> None:
    html = client.get("/help/what-the-money-can-pay-for/").content.decode()
    for words in ("Saving up for a break", "A taxi.", "A gym or a class."):
        assert words in html


def test_no_staff_words_on_any_help_page(client: Any) -> None:
    terms = glossary_terms(GLOSSARY.read_text())
    found = []
    for url in ["/help/", *PAGES]:
        for query in ("", "?version=easy-read"):
            text = visible_text(client.get(url + query).content.decode())
            found += [f"{url}{query}: {f}" for f in jargon_in(text, terms)]
    assert not found, "\n".join(found)


def test_linked_from_the_start_page_the_footer_and_the_persons_home(
    client: Any, council: Any
) -> None:
    start = client.get("/").content.decode()
    assert start.count('href="/help/"') >= 2  # in the page and in the footer
    client.force_login(council.users[Role.HOLDER])
    home = client.get("/home/").content.decode()
    assert 'href="/help/"' in home and 'href="/guides/holder/"' in home
    client.force_login(council.users[Role.REPRESENTATIVE])
    assert 'href="/guides/representative/"' in client.get("/home/").content.decode()
    client.force_login(council.users[Role.CARER])
    assert 'href="/guides/carer/"' in client.get("/home/").content.decode()
