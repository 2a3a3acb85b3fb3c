"""The data protection officer's exports: one person's trail (subject access) and one
user's, as CSV with formula-like cells neutralised; each export audited; refused to others."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import look_record
from selfdirect.csv_export import safe_cell as csv_cell

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_person_trail_has_every_event_about_them_and_no_one_else(client: Any, council: Any) -> None:
    look_record(actor=council.users["practitioner"], record=council.holder_person, summary="Seen")
    look_record(actor=council.users["finance"], record=council.other_person, summary="Other")
    client.force_login(council.users["dpo"])
    response = client.get(
        reverse("audit_trail:person_csv", kwargs={"person_id": council.holder_person.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    expected = Event.objects.filter(person=council.holder_person).count() - 1  # not the export
    assert len(rows) == expected
    assert {r["Person reference"] for r in rows} == {council.holder_person.la_person_id}
    seen = next(r for r in rows if r["What"] == "Seen")
    assert (seen["By (username)"], seen["By (teams)"], seen["Action"]) == (
        "practitioner",
        "North team",
        "Viewed",
    )


def test_the_export_is_itself_audited(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    client.get(reverse("audit_trail:person_csv", kwargs={"person_id": council.holder_person.pk}))
    event = Event.objects.get(action=Action.EXPORT)
    assert (event.actor, event.person) == (council.users["dpo"], council.holder_person)
    client.get(reverse("audit_trail:staff_csv", kwargs={"user_id": council.users["holder"].pk}))
    assert Event.objects.filter(action=Action.EXPORT, actor=council.users["dpo"]).count() == 2


def test_staff_trail_has_every_event_by_that_user(client: Any, council: Any) -> None:
    practitioner = council.users["practitioner"]
    look_record(actor=practitioner, record=council.holder_person, summary="Seen")
    client.force_login(practitioner)
    client.get(f"/people/{council.other_person.pk}/")  # refused: recorded
    client.force_login(council.users["dpo"])
    rows = _rows(client.get(reverse("audit_trail:staff_csv", kwargs={"user_id": practitioner.pk})))
    assert {r["By (username)"] for r in rows} == {"practitioner"}
    assert {"Viewed", "Access refused"} <= {r["Action"] for r in rows}
    assert rows[-1]["Action"] == "Access refused"  # oldest first: the refusal came last
    assert rows[-1]["Person reference"] == council.other_person.la_person_id


def test_cells_that_look_like_formulas_are_neutralised(client: Any, council: Any) -> None:
    look_record(actor=council.users["practitioner"], record=council.holder_person, summary="=1+2")
    for dangerous in ("=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("Plain") == "Plain"
    assert csv_cell(None) == ""
    client.force_login(council.users["dpo"])
    rows = _rows(
        client.get(
            reverse("audit_trail:person_csv", kwargs={"person_id": council.holder_person.pk})
        )
    )
    assert "'=1+2" in {r["What"] for r in rows}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DPO])
def test_other_roles_cannot_export(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[str(role)])
    for url in (
        reverse("audit_trail:person"),
        reverse("audit_trail:staff"),
        reverse("audit_trail:person_csv", kwargs={"person_id": council.holder_person.pk}),
        reverse("audit_trail:staff_csv", kwargs={"user_id": council.users["holder"].pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert not Event.objects.filter(action=Action.EXPORT).exists()


def test_find_a_person_by_council_reference(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    reference = council.holder_person.la_person_id
    page = client.get(reverse("audit_trail:person"), {"reference": reference.lower()})
    html = page.content.decode()
    assert "Ada Holder" in html
    start = reverse("audit_trail:person_csv_start", kwargs={"person_id": council.holder_person.pk})
    assert f'action="{start}"' in html
    found = Event.objects.get(actor=council.users["dpo"], action=Action.VIEW)
    assert found.person == council.holder_person  # finding someone is a look at them
    missing = client.get(reverse("audit_trail:person"), {"reference": "P999999"}).content.decode()
    assert "No person has the council reference P999999" in missing
    assert "<title>Error: " in missing
    blank = client.get(reverse("audit_trail:person"), {"reference": ""}).content.decode()
    assert "Enter the person&#x27;s council reference" in blank


def test_find_a_member_of_staff_by_username(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    html = client.get(reverse("audit_trail:staff"), {"username": "practitioner"}).content.decode()
    start = reverse(
        "audit_trail:staff_csv_start", kwargs={"user_id": council.users["practitioner"].pk}
    )
    assert f'action="{start}"' in html
    missing = client.get(reverse("audit_trail:staff"), {"username": "nobody"}).content.decode()
    assert "No user has the username nobody" in missing


def test_dpo_home_page_links_to_the_exports(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    home = client.get("/home/").content.decode()
    assert reverse("audit_trail:person") in home and reverse("audit_trail:staff") in home


def test_command_exports_a_person_and_a_user(council: Any, tmp_path: Any) -> None:
    target = tmp_path / "trail.csv"
    call_command("audit_export", person=council.holder_person.la_person_id, output=str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows and {r["Person reference"] for r in rows} == {council.holder_person.la_person_id}
    export = Event.objects.get(action=Action.EXPORT)
    assert (export.channel, export.person) == ("command", council.holder_person)
    out = io.StringIO()
    call_command("audit_export", user="holder", stdout=out)
    assert Event.objects.filter(action=Action.EXPORT).count() == 2


def test_command_refuses_unknown_people_and_users_clearly(council: Any) -> None:
    with pytest.raises(CommandError, match="No person has the council reference P999999"):
        call_command("audit_export", person="P999999")
    with pytest.raises(CommandError, match="No user has the username nobody"):
        call_command("audit_export", user="nobody")
    with pytest.raises(CommandError, match="Give either --person REF or --user NAME"):
        call_command("audit_export")
    assert not Event.objects.filter(action=Action.EXPORT).exists()
