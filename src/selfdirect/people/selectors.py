"""Reading people: the one rule for which people a user may see (``people_visible_to``,
used by every app that shows people), search, one person with what their page shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of, team_ids_of
from selfdirect.audit.services import look_refused
from selfdirect.people.codes import REPRESENTATIVE_KINDS, RelationshipKind
from selfdirect.people.models import Consent, NamedWorkerAllocation, Person, Relationship
from selfdirect.people.validation import nhs_number_normalise, postcode_error, postcode_normalise


def _own_person_id(user: Any) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.person_id if profile is not None else None


def people_visible_to(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Person]:
    """Every person whose record ``user`` may see; the single who-sees-what rule.

    Built as one OR of per-role conditions (subqueries, so no row repeats) so a user
    with several roles sees the union.
    """
    roles = roles_of(user)
    if not roles:
        return Person.objects.none()
    today = today or dt.date.today()
    # A provider's client: from its start date to its end date, both included.
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    own_id = _own_person_id(user)
    condition = Q(pk__in=[])
    if Role.FINANCE in roles:
        return Person.objects.all()
    if Role.HOLDER in roles and own_id is not None:
        condition |= Q(pk=own_id)
    if Role.REPRESENTATIVE in roles and own_id is not None:
        represented = _relationships(own_id, today).filter(kind__in=REPRESENTATIVE_KINDS)
        condition |= Q(pk__in=represented.values("person_id"))
    if Role.CARER in roles and own_id is not None:
        condition |= Q(pk__in=_consented_cared_for(own_id, today))
    if roles & {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}:
        team_ids = team_ids_of(user)
        condition |= Q(team_id__in=team_ids)
    if Role.PROVIDER in roles:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.provider_id is not None:
            from selfdirect.providers.models import ProviderClient

            clients = ProviderClient.objects.filter(provider_id=profile.provider_id).filter(current)
            condition |= Q(pk__in=clients.values("person_id"))
    return Person.objects.filter(condition)


def _consented_cared_for(own_id: int, today: dt.date) -> QuerySet[Any]:
    return (
        _relationships(own_id, today)
        .filter(kind=RelationshipKind.UNPAID_CARER, can_see_record=True)
        .values("person_id")
    )


def cared_for_with_consent(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Any]:
    """The ids (a subquery) of the people a carer cares for now who consent to share their
    record with them; empty for anyone who is not a carer. The carer sees their plan,
    contingency and reviews, and may ask for a review (issue 13, "Carers count")."""
    own_id = _own_person_id(user)
    if Role.CARER not in roles_of(user) or own_id is None:
        return Relationship.objects.none().values("person_id")
    return _consented_cared_for(own_id, today or dt.date.today())


def _relationships(own_id: int, today: dt.date) -> QuerySet[Any]:
    return Relationship.objects.filter(related_person_id=own_id).current(today)


def person_for(user: AnyUser, person_id: int) -> Person:
    """The person, if ``user`` may see them; otherwise 404, so ids reveal nothing."""
    return _one_visible(user, person_id, people_visible_to(user).select_related("team"))


def _one_visible(user: AnyUser, person_id: int, visible: QuerySet[Person]) -> Person:
    """One person from ``visible`` (people_visible_to with what the caller reads with them),
    or the refusal recorded and a 404."""
    try:
        return visible.get(pk=person_id)
    except Person.DoesNotExist as missing:
        raise look_refused(actor=user, model=Person, object_id=person_id) from missing


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d", "%d.%m.%Y")


@dataclass(frozen=True)
class SearchTerms:
    """What a search box query means: a date, an NHS number, a postcode, or a name."""

    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    name: str | None = None


def search_terms_parse(query: str) -> SearchTerms:
    text = " ".join((query or "").split())
    if not text:
        return SearchTerms()
    for fmt in _DATE_FORMATS:
        try:
            return SearchTerms(date_of_birth=dt.datetime.strptime(text, fmt).date())
        except ValueError:
            continue
    digits = nhs_number_normalise(text)
    if digits.isdigit() and len(digits) == 10:
        return SearchTerms(nhs_number=digits)
    if re.search(r"\d", text) and postcode_error(text) is None:
        return SearchTerms(postcode=postcode_normalise(text))
    if re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?", text.replace(" ", "")):
        # An outward code alone, like "SW1A": match the district.
        return SearchTerms(postcode=text.replace(" ", "").upper() + " ")
    return SearchTerms(name=text.lower())


def person_list(*, user: AnyUser, query: str = "") -> QuerySet[Person]:
    """People ``user`` may see, matching ``query``, in name order."""
    people = people_visible_to(user).select_related("team")
    terms = search_terms_parse(query)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    elif terms.nhs_number:
        people = people.filter(nhs_number=terms.nhs_number)
    elif terms.postcode and terms.postcode.endswith(" "):
        people = people.filter(postcode__startswith=terms.postcode)  # an outward code: the district
    elif terms.postcode:
        people = people.filter(postcode=terms.postcode)
    elif terms.name:
        words = terms.name.split()
        if len(words) == 1:
            # "smith" finds family names starting Smith (the index covers that).
            people = people.filter(search_name__startswith=words[0])
        else:
            # "jo smith": family name Smith and given name starting Jo, or written the other way round.
            first, last = " ".join(words[:-1]), words[-1]
            people = people.filter(search_name__startswith=f"{last} {first}") | people.filter(
                search_name__startswith=f"{first} {last}"
            )
    return people.order_by("search_name", "id")


def person_detail(*, user: AnyUser, person_id: int) -> Person:
    """One person with relationships (both ways) and consents loaded in a fixed number of
    queries: the person read once, under the rule of who may see them (person_for's), and
    the related rows only once they may."""
    relationships = Relationship.objects.select_related("related_person", "person").order_by(
        "end_date", "kind", "id"
    )
    return _one_visible(
        user,
        person_id,
        people_visible_to(user)
        .select_related("team", "named_worker")
        .prefetch_related(
            Prefetch("relationships", queryset=relationships),
            Prefetch("related_to", queryset=relationships),
            Prefetch("consents", queryset=Consent.objects.order_by("-decided_on", "-id")),
        ),
    )


def people_linkable_by(user: AnyUser) -> QuerySet[Person]:
    """Whom ``user`` may name, by council reference, as a carer or representative: anyone they
    may see, and anyone in no team's caseload (a carer's or representative's own record).
    Someone in another team's caseload is not found, exactly as a reference no one has, so
    the answer reveals nothing about them (docs/access.md)."""
    return Person.objects.filter(
        pk__in=people_visible_to(user).values("pk")
    ) | Person.objects.filter(team__isnull=True)


def representatives_of(person: Person, on: dt.date) -> list[Person]:
    """The person's nominated or authorised persons on a date: those who act for them."""
    return [
        rel.related_person
        for rel in Relationship.objects.current(on)
        .filter(person=person, kind__in=REPRESENTATIVE_KINDS)
        .select_related("related_person")
        .order_by("id")
    ]


def consents_current(person: Person) -> list[Consent]:
    """The latest decision for each purpose (from prefetched consents)."""
    latest: dict[str, Consent] = {}
    for consent in person.consents.all():
        latest.setdefault(consent.purpose, consent)
    return list(latest.values())


UNKNOWN_REFERENCE = "No person has the council reference {reference}"


def subject_find(*, reference: str) -> Person | None:
    """The person with this council reference (any person: a data protection officer
    answers subject access requests for the whole council)."""
    return Person.objects.filter(la_person_id=reference.strip().upper()).first()


def named_worker_history(person: Person) -> list[NamedWorkerAllocation]:
    """Every named worker the person has had, the current one first."""
    return list(
        NamedWorkerAllocation.objects.filter(person=person)
        .select_related("worker", "team", "allocated_by")
        .order_by("-start_date", "-id")
    )


def named_worker_candidates(person: Person) -> list[Any]:
    """Who may be the person's named worker: the practitioners of their team."""
    from selfdirect.access.selectors import team_members_with

    if person.team is None:
        return []
    return team_members_with(person.team, Role.PRACTITIONER)
