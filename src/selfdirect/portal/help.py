"""Help and information before and after getting a budget (issue 13 "Help and information",
issue 14 "Information pages"), and a guide to the website for each of the people's roles.
Public: no one's record, no sign-in. Each page has an easy-read version (docs/easy-read.md).
The words are in the templates portal/help/<slug>.html and portal/guides/<slug>.html; this
module is the list of them, in the order the index shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str


TOPICS: tuple[HelpPage, ...] = (
    HelpPage(
        "what-is-a-personal-budget",
        "What a personal budget is",
        "The money the council works out it costs to meet your needs, and how you get one.",
    ),
    HelpPage(
        "ways-to-hold-a-budget",
        "The ways to hold a personal budget",
        "Direct payment, Individual Service Fund, managed account or arranged by the council, "
        "compared side by side.",
    ),
    HelpPage(
        "what-the-money-can-pay-for",
        "What the money can and cannot pay for",
        "How flexible it is: saving up for a break, a taxi, a gym, and what it cannot pay for.",
    ),
    HelpPage(
        "employing-a-personal-assistant",
        "Employing a personal assistant",
        "What being an employer involves, what it costs, and where to get help.",
    ),
    HelpPage(
        "changing-provider",
        "Changing provider without a break in care",
        "How to change who gives your support, and keep it going while you do.",
    ),
    HelpPage(
        "advocacy",
        "Advocacy: someone on your side",
        "What an advocate does, when the council must find you one, and how to ask.",
    ),
    HelpPage(
        "complaints",
        "Complaints and the Ombudsman",
        "How to complain to the council, and what to do if you are still not happy.",
    ),
)

GUIDES: tuple[HelpPage, ...] = (
    HelpPage(
        "holder",
        "Guide for people with a personal budget",
        "How to do each thing this website lets you do with your own budget.",
    ),
    HelpPage(
        "representative",
        "Guide for representatives",
        "For someone who acts for a person: what you can see and do on their behalf.",
    ),
    HelpPage(
        "carer",
        "Guide for carers",
        "For a carer: what you can see when the person agrees, and your own support.",
    ),
)


def _get(pages: tuple[HelpPage, ...], slug: str) -> HelpPage:
    for page in pages:
        if page.slug == slug:
            return page
    raise Http404("No such page")


def topic_get(slug: str) -> HelpPage:
    return _get(TOPICS, slug)


def guide_get(slug: str) -> HelpPage:
    return _get(GUIDES, slug)
