import pytest

pytestmark = pytest.mark.django_db


def test_practitioner_sees_team_person_and_search(client, council):
    client.force_login(council.users["practitioner"])
    r = client.get("/people/?q=holder")
    assert r.status_code == 200
    assert "Holder, Ada" in r.content.decode()
    r = client.get(f"/people/{council.holder_person.pk}/")
    assert r.status_code == 200
    r = client.get(f"/people/{council.other_person.pk}/")
    assert r.status_code == 404
