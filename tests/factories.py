"""Test data builders (factory_boy) for people, teams, users and providers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth import get_user_model

from selfdirect.access.models import Profile, Team, TeamMembership
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.people.services import search_name_for
from selfdirect.providers.models import Provider, ProviderClient


def nhs_number_for(n: int) -> str:
    """A valid NHS number built from ``n`` (first nine digits, then the modulus 11 check digit)."""
    from selfdirect.people.validation import nhs_number_check_digit

    while True:
        first_nine = f"{400000000 + n:09d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)
        n += 1_000_000


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    code = factory.Sequence(lambda n: f"team-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    la_person_id = factory.Sequence(lambda n: f"T{n:07d}")
    nhs_number = factory.Sequence(lambda n: nhs_number_for(n))
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    search_name = factory.LazyAttribute(lambda p: search_name_for(p.given_name, p.family_name))
    date_of_birth = dt.date(1950, 3, 27)
    postcode = "SW1A 1AA"
    client_type = codes.ClientType.SERVICE_USER
    user_group = codes.UserGroup.OLDER
    team = factory.SubFactory(TeamFactory)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    related_person = factory.SubFactory(
        PersonFactory, team=None, client_type=codes.ClientType.CARER
    )
    kind = codes.RelationshipKind.UNPAID_CARER
    start_date = dt.date(2020, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = codes.ConsentPurpose.SHARE_WITH_CARERS
    status = codes.ConsentStatus.GIVEN
    decided_on = dt.date(2024, 1, 1)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")


class ProviderClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderClient

    provider = factory.SubFactory(ProviderFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = dt.date(2023, 1, 1)


def make_user(
    username: str,
    roles: Iterable[str],
    *,
    teams: Iterable[Team] = (),
    manages: Iterable[Team] = (),
    person: Person | None = None,
    provider: Provider | None = None,
    password: str = "a-long-test-password",
    **extra: Any,
) -> Any:
    """A user with a profile holding ``roles``, in ``teams`` (and managing ``manages``)."""
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    Profile.objects.create(user=user, roles=list(roles), person=person, provider=provider)
    for team in teams:
        TeamMembership.objects.create(user=user, team=team)
    for team in manages:
        TeamMembership.objects.create(user=user, team=team, is_manager=True)
    return user


def second_user(council: Any, role: str) -> Any:
    """Another user with ``role`` in the council's team A: nobody decides on their own work
    (decision 0007), so a test where one user writes and another approves needs two."""
    username = f"second-{role}"
    existing = get_user_model().objects.filter(username=username).first()
    if existing is not None:
        return existing
    if role == "manager":
        return make_user(username, [role], manages=[council.team_a])
    return make_user(username, [role], teams=[council.team_a])
