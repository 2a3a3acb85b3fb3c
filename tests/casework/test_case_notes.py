"""Case notes: dated by when it happened, typed, signed; staff-only unless shared with the
person; a change keeps what the note said before in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.casework import services
from selfdirect.casework.models import CaseNote

TODAY = dt.date.today()


def _note(council: Any, *, shared: bool, text: str = "Visited at home") -> CaseNote:
    return services.case_note_write(
        actor=council.users[Role.PRACTITIONER],
        person=council.holder_person,
        fields={
            "kind": "visit",
            "happened_on": TODAY - dt.timedelta(days=3),
            "text": text,
            "shared_with_person": shared,
        },
    )


def test_a_note_is_dated_when_it_happened_and_signed(council: Any) -> None:
    note = _note(council, shared=False)
    assert note.happened_on == TODAY - dt.timedelta(days=3)
    assert note.written_by == council.users[Role.PRACTITIONER]
    assert Event.objects.filter(
        object_type="case_note", object_id=str(note.pk), person_id=council.holder_person.pk
    ).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  "}, services.NOTE_EMPTY),
        ({"happened_on": TODAY + dt.timedelta(days=1)}, services.NOTE_IN_FUTURE),
    ],
)
def test_a_note_is_refused_by_name(council: Any, fields: dict[str, Any], message: str) -> None:
    values = {"kind": "visit", "happened_on": TODAY, "text": "x", "shared_with_person": False}
    with pytest.raises(services.CaseworkError, match=message):
        services.case_note_write(
            actor=council.users[Role.PRACTITIONER],
            person=council.holder_person,
            fields={**values, **fields},
        )
    assert not CaseNote.objects.exists()


def test_a_change_keeps_what_the_note_said_before(council: Any) -> None:
    note = _note(council, shared=False, text="Visited; Ada was well")
    manager = council.users[Role.MANAGER]
    services.case_note_change(
        actor=manager, note=note, fields={"text": "Visited; Ada had a fall last week"}
    )
    note.refresh_from_db()
    assert (note.changed_by, note.written_by) == (manager, council.users[Role.PRACTITIONER])
    change = Event.objects.get(object_type="case_note", action="update")
    assert change.changes == {
        "Text": ["Visited; Ada was well", "Visited; Ada had a fall last week"]
    }
    assert change.person_id == council.holder_person.pk


def test_the_person_reads_only_the_notes_shared_with_them(client: Any, council: Any) -> None:
    _note(council, shared=True, text="We agreed to look at day centres")
    _note(council, shared=False, text="Neighbour raised a concern about the son")
    url = reverse("casework:notes", args=[council.holder_person.pk])
    for role in (Role.HOLDER, Role.REPRESENTATIVE):
        client.force_login(council.users[role])
        page = client.get(url).content.decode()
        assert "We agreed to look at day centres" in page
        assert "Neighbour raised a concern" not in page
        assert "Add the note" not in page
        assert client.post(url, {"kind": "visit", "text": "x"}).status_code == 403
    summary = client.get(reverse("people:detail", args=[council.holder_person.pk]))
    assert "Neighbour raised a concern" not in summary.content.decode()
    client.force_login(council.users[Role.PLANNER])
    page = client.get(url).content.decode()
    assert "Neighbour raised a concern" in page and "Staff only." in page


def test_staff_add_and_change_a_note_through_the_pages(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    url = reverse("casework:notes", args=[council.holder_person.pk])
    page = client.post(url, {"kind": "phone_call"}).content.decode()
    assert "<title>Error: " in page and "Enter the note" in page
    assert "Enter the date it happened" in page
    response = client.post(
        url,
        {
            "kind": "phone_call",
            "happened_on_day": "1",
            "happened_on_month": "2",
            "happened_on_year": "2025",
            "text": "Rang Ada about her review",
        },
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.happened_on, note.shared_with_person) == (dt.date(2025, 2, 1), False)
    edit = reverse("casework:note_edit", args=[note.pk])
    assert "Rang Ada about her review" in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "kind": "phone_call",
            "happened_on_day": "1",
            "happened_on_month": "2",
            "happened_on_year": "2025",
            "text": "Rang Ada about her annual review",
            "shared_with_person": "on",
        },
    )
    note.refresh_from_db()
    assert note.text == "Rang Ada about her annual review" and note.shared_with_person
    assert (
        "Phone call, 1 Feb 2025"
        in client.get(reverse("people:detail", args=[council.holder_person.pk])).content.decode()
    )
