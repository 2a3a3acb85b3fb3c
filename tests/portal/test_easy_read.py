"""Easy read for every page a person with that need sees (issue 13, "Words and formats that
fit the person"; holders-experience REQ-73, OPM on accessible information): each page has
its own easy-read block, first and open for a person whose communication needs ask for it,
to open ("Read this in easy read") for everyone else; the needs adapt the page instead of
warning the person about themselves (docs/easy-read.md, decision 0041)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory

from selfdirect.access.roles import Role
from tests.access.test_matrix import MATRIX, _address, expected, relations_of, world
from tests.browser.test_every_page_axe import NOT_HTML
from tests.conftest import Council

pytestmark = pytest.mark.django_db

__all__ = ["world"]  # the access matrix's council and records, built once for this module

OPEN_FIRST = 'id="easy-read-title"'  # the open block's heading: "In easy read"
TO_OPEN = "Read this in easy read"

# Pages a holder, representative or carer reaches that cannot have an easy-read block.
# None today: the account, password, two-factor, cookie, privacy and accessibility pages,
# the API tokens, the background jobs and the "who has looked" chooser each have their own
# (issue 13: easy read on every page a person with that need sees). A page named here must
# say why it cannot have one.
ABOUT_THE_WEBSITE: set[str] = {
    # The PA's own timesheet page, on their private link (decision 0054): it is the PA's
    # page, not the person's, and opening easy read first because the employer needs it
    # would tell the PA about the employer's communication needs. Its block opens on request.
    "employers:pa_timesheet",
}


def _pages_for(role: Role) -> list[tuple[str, str]]:
    return [
        (name, relations_of(route)[0])
        for name, route in MATRIX.items()
        if route.method in ("page", "form")
        and name not in NOT_HTML
        and expected(route.expect, relations_of(route)[0], str(role)) == 200
    ]


def _get(client: Any, url: str) -> Any:
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("role", (Role.HOLDER, Role.REPRESENTATIVE, Role.CARER), ids=str)
def test_every_page_a_person_reaches_shows_easy_read_first_to_who_needs_it(
    client: Any, world: Council, role: Role
) -> None:
    """REQ-73: walks every page the access matrix lets a holder (or Ada's representative,
    or her carer) open; when Ada needs easy read, each page (but the website's own, named
    above) starts with its easy-read block, open, and never warns the reader about Ada's
    own needs."""
    person = world.holder_person
    person.needs_easy_read = True
    person.communication_notes = "Short sentences, please."
    person.save()
    client.force_login(world.users[role])
    pages = _pages_for(role)
    assert len(pages) > 10
    missing, warned, walked = [], [], 0
    for name, relation in pages:
        url = _address(name, world, relation)
        response = _get(client, url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        walked += 1
        if 'id="communication-needs"' in page:
            warned.append(f"{name} {url}")
        if name in ABOUT_THE_WEBSITE:
            continue
        if OPEN_FIRST not in page:
            missing.append(f"{name} {url}")
    assert walked > 10
    assert not warned, "Pages warning the holder about their own needs:\n" + "\n".join(warned)
    assert not missing, "Pages without easy read first:\n" + "\n".join(missing)


def test_others_can_open_easy_read_and_ask_for_it(client: Any, world: Council) -> None:
    """A person who does not need easy read reads the page as written, with the easy-read
    block to open; ?version=easy-read puts it first; ?version=standard takes it away from
    the top for someone who needs it."""
    person = world.holder_person
    person.needs_easy_read = False
    person.save()
    client.force_login(world.users[Role.HOLDER])
    url = _address("planning:detail", world, "own")
    page = _get(client, url).content.decode()
    assert TO_OPEN in page and OPEN_FIRST not in page
    asked = _get(client, url + "?version=easy-read").content.decode()
    assert OPEN_FIRST in asked and "This is your support plan." in asked
    person.needs_easy_read = True
    person.save()
    assert OPEN_FIRST in _get(client, url).content.decode()
    standard = _get(client, url + "?version=standard").content.decode()
    assert OPEN_FIRST not in standard and TO_OPEN in standard


def test_easy_read_puts_the_key_figure_first(client: Any, world: Council) -> None:
    """The budget's easy-read block opens with the weekly amount, before the page's own
    figures."""
    person = world.holder_person
    person.needs_easy_read = True
    person.save()
    client.force_login(world.users[Role.HOLDER])
    page = _get(client, _address("allocation:detail", world, "own")).content.decode()
    block = page[page.index(OPEN_FIRST) :]
    first = re.search(r"<p class=\"govuk-body-l\">(.*?)</p>", block)
    assert first is not None and "Your budget is <strong>£" in first.group(1)
    assert page.index(OPEN_FIRST) < page.index("govuk-panel__title")


def test_staff_are_told_the_needs_and_read_the_page_as_written(client: Any, world: Council) -> None:
    """The worker still sees the flag (Accessible Information Standard) and the page as
    written, with the person's easy-read block to open."""
    person = world.holder_person
    person.needs_easy_read = True
    person.save()
    client.force_login(world.users[Role.PRACTITIONER])
    page = _get(client, _address("planning:detail", world, "own")).content.decode()
    assert 'id="communication-needs"' in page and "Communication needs: Easy read" in page
    assert OPEN_FIRST not in page and TO_OPEN in page


def test_a_representative_reads_easy_read_first_for_someone_who_needs_it(
    client: Any, world: Council
) -> None:
    """A representative reads the person's pages in the person's words ("Ada's budget"),
    easy read first when Ada needs it, and no warning about Ada's needs."""
    person = world.holder_person
    person.needs_easy_read = True
    person.save()
    client.force_login(world.users[Role.REPRESENTATIVE])
    page = _get(client, _address("planning:detail", world, "own")).content.decode()
    assert OPEN_FIRST in page and 'id="communication-needs"' not in page
    assert "This is Ada&#x27;s support plan." in page or "This is Ada's support plan." in page


def test_the_tag_needs_the_person_it_is_about() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% easyread %}x{% endeasyread %}")
    request = RequestFactory().get("/")
    rendered = Template("{% easyread needs %}<p>Hi</p>{% endeasyread %}").render(
        Context({"request": request, "needs": True})
    )
    assert OPEN_FIRST in rendered and "<p>Hi</p>" in rendered


def test_large_print_needs_enlarge_the_persons_own_pages(client: Any, world: Council) -> None:
    """Large print in the person's record adapts the pages they read (the text is larger),
    not only their letters; a representative or a worker reads at the usual size."""
    person = world.holder_person
    person.needs_large_print = False
    person.save()
    client.force_login(world.users[Role.HOLDER])
    assert "sd-large-print" not in _get(client, "/home/").content.decode()
    person.needs_large_print = True
    person.save()
    for url in ("/home/", _address("planning:detail", world, "own"), "/help/"):
        assert 'govuk-template--rebranded sd-large-print"' in _get(client, url).content.decode()
    for role in (Role.REPRESENTATIVE, Role.PRACTITIONER):
        client.force_login(world.users[role])
        assert "sd-large-print" not in _get(client, "/home/").content.decode()
