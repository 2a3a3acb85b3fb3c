"""A representative reads the person's pages "on behalf of" the person: the person's name
where the person reads "your" (issue 13, "Words and formats that fit the person": today
a representative reads "Your self-assessment for Donald"). The person still reads "your"."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from tests.access.test_matrix import _address, world
from tests.conftest import Council
from tests.portal.test_glossary import visible_text

pytestmark = pytest.mark.django_db

__all__ = ["world"]


def _approve(world: Council) -> None:
    """The budget signed off (the matrix's records leave it waiting), as test data."""
    from selfdirect.allocation.models import Allocation

    allocation = world.records["own"].allocation  # type: ignore[attr-defined]
    Allocation.objects.filter(pk=allocation.pk).update(
        status=Allocation.Status.APPROVED, agreed_weekly_pence=2000
    )


def _read(client: Any, world: Council, role: Role, name: str) -> str:
    client.force_login(world.users[role])
    response = client.get(_address(name, world, "own"))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_representative_reads_the_persons_budget_in_their_name(client: Any, world: Council) -> None:
    person = world.holder_person
    _approve(world)
    text = _read(client, world, Role.REPRESENTATIVE, "allocation:detail")
    assert f"{person.given_name}'s indicative budget" in text
    assert f"{person.given_name}'s personal budget" in text
    assert f"the cost of meeting {person.given_name}'s eligible needs" in text
    assert f"{person.given_name}'s agreed answers scored" in text
    assert "Your indicative budget" not in text
    assert "Your personal budget" not in text
    assert "your eligible needs" not in text
    assert "Your agreed answers" not in text


def test_holder_reads_their_own_budget_as_yours(client: Any, world: Council) -> None:
    _approve(world)
    text = _read(client, world, Role.HOLDER, "allocation:detail")
    assert "Your indicative budget" in text
    assert "Your personal budget" in text
    assert "the cost of meeting your eligible needs" in text
    assert "Your agreed answers scored" in text


def test_representative_reads_the_persons_self_assessment_in_their_name(
    client: Any, world: Council
) -> None:
    person = world.holder_person
    text = _read(client, world, Role.REPRESENTATIVE, "assessment:detail")
    assert f"{person.given_name}'s self-assessment" in text
    assert "Your self-assessment" not in text
    home = _read(client, world, Role.REPRESENTATIVE, "home")
    assert "Your self-assessment" not in home


def test_holder_reads_their_own_self_assessment_as_yours(client: Any, world: Council) -> None:
    text = _read(client, world, Role.HOLDER, "assessment:detail")
    assert "Your self-assessment" in text
    assert f"{world.holder_person.given_name}'s self-assessment" not in text


def test_representative_reads_whose_team_shared_the_notes(client: Any, world: Council) -> None:
    person = world.holder_person
    text = _read(client, world, Role.REPRESENTATIVE, "casework:notes")
    assert f"the notes {person.given_name}'s social care team has shared with you" in text
    assert "your social care team" not in text
