"""Builds a reproducible demo council: teams, staff, providers, people with carers and
representatives, consents, work waiting, budgets and support plans, in the distributions of
``distributions``.

``person_rows`` is pure (same seed, same people); ``demo_council_build`` writes them as
plain rows (``bulk``: COPY on PostgreSQL), the same council on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction

from selfdirect.access.models import Profile, Team, TeamMembership, WorkItem
from selfdirect.access.roles import DEMO_PASSWORD, Role
from selfdirect.allocation.models import Allocation
from selfdirect.allocation.services import ras_versions_install_defaults
from selfdirect.assessment.services import questionnaires_install_defaults
from selfdirect.audit.chain import chain
from selfdirect.audit.context import current_origin, origin
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import event_record, look_record
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.demo import distributions as d
from selfdirect.demo import names
from selfdirect.demo.assessments import Assessed, demo_assessments_build, demo_holder_plan
from selfdirect.demo.bulk import ids_from, rows_insert, rows_values, tables_analyze, values_insert
from selfdirect.demo.campaigns import demo_campaigns_build
from selfdirect.demo.carers import demo_carers_build
from selfdirect.demo.directory import demo_directory_build
from selfdirect.demo.employers import demo_employers_build
from selfdirect.demo.ibsen import demo_ibsen_build
from selfdirect.demo.money import MONEY_PEOPLE, demo_money_build
from selfdirect.demo.peers import demo_peers_build
from selfdirect.demo.plans import demo_plans_build
from selfdirect.demo.surveys import demo_surveys_build
from selfdirect.demo.switches import demo_switches_build
from selfdirect.people import codes
from selfdirect.people.models import Consent, NamedWorkerAllocation, Person, Relationship
from selfdirect.people.services import search_name_for
from selfdirect.people.validation import nhs_number_check_digit
from selfdirect.planning.figures import assessed_contribution_record
from selfdirect.providers.models import Provider, ProviderClient

BATCH = 5000
# What the demo holder's financial assessment found they pay a week (£42.50).
DEMO_HOLDER_CONTRIBUTION_PENCE = 4250
# The demo team manager signs off budgets up to £1,000 a week; above that is for the panel.
MANAGER_SIGN_OFF_LIMIT_PENCE = 100_000
Progress = Callable[[str, int], None]

_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_WHITE = [codes.Ethnicity.WHITE_BRITISH] * 9 + [
    codes.Ethnicity.WHITE_IRISH,
    codes.Ethnicity.WHITE_OTHER,
]
_BME = [
    codes.Ethnicity.ASIAN_INDIAN,
    codes.Ethnicity.ASIAN_PAKISTANI,
    codes.Ethnicity.ASIAN_BANGLADESHI,
    codes.Ethnicity.BLACK_CARIBBEAN,
    codes.Ethnicity.BLACK_AFRICAN,
    codes.Ethnicity.MIXED_WHITE_CARIBBEAN,
    codes.Ethnicity.CHINESE,
    codes.Ethnicity.OTHER,
]
_LANGUAGES = (
    "Polish",
    "Urdu",
    "Punjabi",
    "Bengali",
    "Gujarati",
    "Somali",
    "Arabic",
    "Romanian",
    "Cantonese",
)


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def nhs_numbers(seed: int) -> Iterator[str]:
    """Valid, distinct NHS numbers (modulus 11), different for each seed."""
    n = 600_000_000 + (seed % 300) * 1_000_000
    while True:
        first_nine = f"{n:09d}"
        n += 1
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            yield first_nine + str(check)


@dataclass
class PersonRow:
    """One made-up person and the people around them, before anything is saved."""

    fields: dict[str, Any]
    team_index: int
    carer: dict[str, Any] | None = None
    carer_lives_with: bool = False
    carer_sharing: str = ""  # "given", "refused" or "" (not asked)
    representative: dict[str, Any] | None = None
    representative_kind: str = ""
    provider_index: int | None = None


def _name(rng: random.Random, female: bool, family: str | None = None) -> tuple[str, str]:
    return rng.choice(names.FEMALE if female else names.MALE), family or rng.choice(names.FAMILY)


def _birth_date(
    rng: random.Random, today: dt.date, mean: float, sd: float, low: int, high: int
) -> dt.date:
    age = min(max(rng.gauss(mean, sd), low), high + 0.99)
    return today - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364) % 365)


def person_rows(
    count: int, seed: int, *, teams: int, providers: int, today: dt.date
) -> Iterator[PersonRow]:
    """``count`` people (and their carers and representatives), the same every time for a seed."""
    rng = random.Random(seed)
    numbers = nhs_numbers(seed)
    for index in range(count):
        group = _pick(rng, d.USER_GROUP_SHARES)
        female = rng.random() < d.FEMALE_SHARE[group]
        bme = rng.random() < d.BME_SHARE[group]
        given, family = _name(rng, female)
        team_index = index % teams
        mean, sd, low, high = d.AGE_BY_GROUP[group]
        lives_alone = rng.random() < d.LIVES_ALONE_SHARE
        has_carer = (
            (rng.random() < d.LIVES_ALONE_HAS_CARER_SHARE)
            if lives_alone
            else (rng.random() < d.CO_RESIDENT_IS_CARER_SHARE)
        )
        accommodation = _pick(rng, d.ACCOMMODATION_SHARES)
        if group == "learning_disability" and rng.random() < 0.35:
            accommodation = "Supported accommodation/Supported lodgings/Supported group home"
        paid = rng.random() < d.PAID_WORK_SHARE[group]
        postcode = f"SD{team_index % 9 + 1} {rng.randint(1, 9)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
        fields: dict[str, Any] = {
            "given_name": given,
            "family_name": family,
            "date_of_birth": _birth_date(rng, today, mean, sd, low, high),
            "nhs_number": next(numbers) if rng.random() < 0.95 else None,
            "gender": codes.Gender.FEMALE if female else codes.Gender.MALE,
            "ethnicity": rng.choice(_BME) if bme else rng.choice(_WHITE),
            "address_line_1": f"{rng.randint(1, 199)} {rng.choice(names.STREETS)}",
            "town": names.AREAS[team_index % len(names.AREAS)],
            "postcode": postcode,
            "client_type": codes.ClientType.SERVICE_USER,
            "user_group": group,
            "primary_support_reason": _pick(rng, d.PSR_BY_GROUP[group]),
            "accommodation_status": accommodation,
            "employment_status": (
                codes.EmploymentStatus.PAID_UNDER_16
                if paid
                else codes.EmploymentStatus.NOT_SEEKING
                if group == "older_people"
                else rng.choice(
                    [
                        codes.EmploymentStatus.NOT_SEEKING,
                        codes.EmploymentStatus.SEEKING,
                        codes.EmploymentStatus.VOLUNTARY,
                    ]
                )
            ),
            "has_unpaid_carer": codes.YesNoUnknown.YES if has_carer else codes.YesNoUnknown.NO,
            "dementia": codes.YesNoUnknown.YES
            if group == "older_people" and rng.random() < d.DEMENTIA_SHARE_OLDER
            else codes.YesNoUnknown.NO,
            "autism": codes.YesNoUnknown.YES
            if group == "learning_disability" and rng.random() < d.AUTISM_SHARE_LD
            else codes.YesNoUnknown.NO,
            "visual_impairment": codes.YesNoUnknown.YES
            if rng.random() < 0.06
            else codes.YesNoUnknown.NO,
            "hearing_impairment": codes.YesNoUnknown.YES
            if rng.random() < 0.08
            else codes.YesNoUnknown.NO,
            "needs_easy_read": group == "learning_disability"
            and rng.random() < d.EASY_READ_SHARE_LD,
            "needs_large_print": group == "older_people"
            and rng.random() < d.LARGE_PRINT_SHARE_OLDER,
            "needs_bsl": rng.random() < d.BSL_SHARE,
            "interpreter_language": rng.choice(_LANGUAGES)
            if bme and rng.random() < d.INTERPRETER_SHARE_BME
            else "",
            "preferred_contact_method": rng.choice(list(codes.ContactMethod)),
        }
        if fields["primary_support_reason"].startswith("Sensory Support: Support for visual"):
            fields["visual_impairment"] = codes.YesNoUnknown.YES
        row = PersonRow(fields=fields, team_index=team_index)
        if has_carer:
            carer_female = rng.random() < d.CARER_FEMALE_SHARE
            same_family = not lives_alone or rng.random() < 0.5
            carer_given, carer_family = _name(rng, carer_female, family if same_family else None)
            row.carer = {
                "given_name": carer_given,
                "family_name": carer_family,
                "date_of_birth": _birth_date(rng, today, 58, 14, 18, 95),
                "nhs_number": next(numbers),
                "gender": codes.Gender.FEMALE if carer_female else codes.Gender.MALE,
                "postcode": postcode
                if not lives_alone
                else f"SD{team_index % 9 + 1} {rng.randint(1, 9)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}",
                "town": fields["town"],
                "client_type": codes.ClientType.CARER,
                "user_group": codes.UserGroup.CARER,
                "primary_support_reason": codes.PrimarySupportReason.CARER,
            }
            row.carer_lives_with = not lives_alone
            roll = rng.random()
            row.carer_sharing = (
                "given"
                if roll < d.CARER_SHARING_GIVEN
                else "refused"
                if roll < d.CARER_SHARING_GIVEN + d.CARER_SHARING_REFUSED
                else ""
            )
        if rng.random() < d.REPRESENTATIVE_SHARE:
            rep_female = rng.random() < 0.6
            rep_given, rep_family = _name(rng, rep_female, family if rng.random() < 0.7 else None)
            row.representative = {
                "given_name": rep_given,
                "family_name": rep_family,
                "date_of_birth": _birth_date(rng, today, 52, 12, 21, 90),
                "nhs_number": next(numbers),
                "gender": codes.Gender.FEMALE if rep_female else codes.Gender.MALE,
                "client_type": codes.ClientType.CARER_BY_ASSOCIATION,
                "town": fields["town"],
            }
            lacks_capacity = (
                group == "learning_disability" or fields["dementia"] == codes.YesNoUnknown.YES
            )
            row.representative_kind = (
                codes.RelationshipKind.AUTHORISED_PERSON
                if lacks_capacity or rng.random() < d.AUTHORISED_SHARE_OF_REPRESENTATIVES / 2
                else codes.RelationshipKind.NOMINATED_PERSON
            )
        if rng.random() < d.PROVIDER_CLIENT_SHARE:
            row.provider_index = rng.randrange(providers)
        yield row


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    holder_person_id: int | None = None


def _team_count(people: int) -> int:
    return max(3, math.ceil(people / d.PEOPLE_PER_TEAM))


def _named_workers(
    service_users: list[dict[str, Any]],
    memberships: list[tuple[User, Team, bool]],
    today: dt.date,
) -> dict[int, int]:
    """Give every service user a named worker: one of their team's practitioners in turn (the
    demo holder the demo practitioner), with the allocation on their history. No random draw,
    so the rest of the council is as it was. Returns person id -> worker id."""
    workers: dict[int, list[User]] = {}
    managers: dict[int, User] = {}
    for user, team, is_manager in memberships:
        if is_manager:
            managers.setdefault(team.pk, user)
        elif user.username.startswith("worker") or user.username == Role.PRACTITIONER:
            workers.setdefault(team.pk, []).append(user)
    chosen: dict[int, int] = {}
    history: list[dict[str, Any]] = []
    for index, person in enumerate(service_users):
        pool = workers.get(person["team_id"] or 0)
        if not pool:
            continue
        assert person["id"] == service_users[0]["id"] + index  # ids in turn (see below)
        if index == 0:
            worker = next((u for u in pool if u.username == Role.PRACTITIONER), pool[0])
        else:
            worker = pool[index % len(pool)]
        chosen[person["id"]] = worker.pk
        history.append(
            dict(
                person_id=person["id"],
                worker_id=worker.pk,
                team_id=person["team_id"],
                start_date=today - dt.timedelta(days=180),
                reason="Allocated when the team took the person on",
                allocated_by_id=managers[person["team_id"]].pk,
            )
        )
    # One UPDATE a team (a CASE on the person's place in turn), not one a worker: the
    # service users' ids run on from the first, as they were inserted.
    first_id = service_users[0]["id"] if service_users else 0
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        for team_id, pool in workers.items():
            cases = " ".join("WHEN %s THEN %s" for _ in pool)
            slots = [value for slot, user in enumerate(pool) for value in (slot, user.pk)]
            # Only the model's own table name is put in the text; every value is a parameter.
            sql = (
                f"UPDATE {table} SET named_worker_id = CASE ((id - %s) %% %s) {cases} END "  # noqa: S608
                "WHERE team_id = %s AND id >= %s AND id < %s"
            )
            cursor.execute(
                sql,
                [first_id, len(pool), *slots, team_id, first_id, first_id + len(service_users)],
            )
    if service_users and service_users[0]["id"] in chosen:  # the demo holder
        Person.objects.filter(pk=service_users[0]["id"]).update(
            named_worker_id=chosen[service_users[0]["id"]]
        )
    rows_insert(NamedWorkerAllocation, history)
    return chosen


def _person(fields: dict[str, Any], pk: int, ref: str, team: Team | None) -> dict[str, Any]:
    """A person's row, as ``Person.save`` would store it (with the name searched on)."""
    return {
        **fields,
        "id": pk,
        "la_person_id": ref,
        "team_id": team.pk if team is not None else None,
        "search_name": search_name_for(fields["given_name"], fields["family_name"]),
    }


_LEGAL_BASIS = {
    codes.RelationshipKind.NOMINATED_PERSON: codes.LegalBasis.PERSON_NOMINATED,
    codes.RelationshipKind.AUTHORISED_PERSON: codes.LegalBasis.LPA_HEALTH_WELFARE,
}


# What staff looked at on the demo holder's record, so "Who has looked at your record" shows
# what a holder would see after a review: (username, what they saw), oldest first.
DEMO_LOOKS = (
    (Role.PRACTITIONER, "Record summary"),
    (Role.PRACTITIONER, "Support plan version 1"),
    (Role.MANAGER, "Indicative budget"),
    (Role.FINANCE, "How the budget is held"),
    (Role.PROVIDER, "Record summary"),
)


def _people_created_events(people: list[dict[str, Any]]) -> int:
    """One audit event for each person record made, as ``person_create`` and the people
    import write one, so each person's history starts with their record being made. Chained
    by the audit log's own ``chain`` (under its lock, onto the newest event) and written in
    that order, so the ids follow the chain as ``audit_verify`` walks it."""
    where = current_origin()
    events = [
        Event(
            actor=None,
            actor_username="",
            actor_roles="",
            actor_teams="",
            action=Action.CREATE,
            object_type="person",
            object_id=str(p["id"]),
            person_id=p["id"],
            summary=f"Created the record of {p['given_name']} {p['family_name']} (demo council)"[
                :300
            ],
            changes={},
            channel=where.channel,
            ip_address=where.ip_address,
        )
        for p in people
    ]
    chain(events)
    names = [f.attname for f in Event._meta.concrete_fields if not f.primary_key]
    columns, values = rows_values(Event, [{n: getattr(e, n) for n in names} for e in events])
    values_insert(Event, columns, values)
    return len(events)


def _demo_looks(holder: Person, users: list[User]) -> None:
    by_name = {u.username: u for u in users}
    with origin("web"):
        for username, what in DEMO_LOOKS:
            look_record(actor=by_name[username], record=holder, summary=what)


@transaction.atomic
def demo_council_build(
    *,
    people: int,
    seed: int,
    progress: Progress | None = None,
    today: dt.date | None = None,
    money_people: int = MONEY_PEOPLE,
) -> Summary:
    """Write the demo council into an empty database."""
    today = today or dt.date.today()
    tick = progress or (lambda _stage, _n: None)
    rng = random.Random(seed + 1)
    summary = Summary()
    team_count = _team_count(people)
    teams = Team.objects.bulk_create(
        [
            Team(
                name=f"{names.AREAS[i % len(names.AREAS)]} adult social care team{'' if i < len(names.AREAS) else f' {i // len(names.AREAS) + 1}'}",
                code=f"team-{i + 1}",
                area=names.AREAS[i % len(names.AREAS)],
            )
            for i in range(team_count)
        ]
    )
    brokerage = Team.objects.create(
        name="Support planning and brokerage", code="brokerage", area="Council-wide"
    )
    provider_count = min(len(names.PROVIDERS), 5 + people // 500)
    providers = Provider.objects.bulk_create(
        [
            Provider(
                name=names.PROVIDERS[i],
                description=f"{names.PROVIDERS[i]} provides care and support in the council's area.",
                email=f"info@provider{i + 1}.example",
                cqc_location_id=f"1-{100000000 + i}",
            )
            for i in range(provider_count)
        ]
    )

    refs = (f"P{n:06d}" for n in range(1, 10_000_000))
    service_users: list[dict[str, Any]] = []
    related: list[tuple[int, str, dict[str, Any]]] = []  # (row index, kind, person)
    provider_links: list[tuple[int, int]] = []
    rows = list(person_rows(people, seed, teams=team_count, providers=provider_count, today=today))
    # The demo holder (row 0) always has a carer who may see their record, a representative and a provider.
    holder = rows[0]
    holder.fields["user_group"] = "older_people"
    if holder.carer is None or holder.representative is None:
        spare = (
            next(r for r in rows[1:] if r.carer is not None and r.representative is not None)
            if people > 1
            else None
        )
        if spare is not None:
            holder.carer, holder.representative = spare.carer, spare.representative
            holder.carer_lives_with, holder.representative_kind = (
                spare.carer_lives_with,
                spare.representative_kind,
            )
            spare.carer = spare.representative = None
            spare.fields["has_unpaid_carer"] = codes.YesNoUnknown.NO
    holder.fields["has_unpaid_carer"] = codes.YesNoUnknown.YES
    holder.carer_sharing = "given"
    holder.representative_kind = (
        holder.representative_kind or codes.RelationshipKind.NOMINATED_PERSON
    )
    holder.provider_index = holder.provider_index if holder.provider_index is not None else 0

    # Ids as the inserts would give them: the service users first, then the people around them.
    first_id = ids_from(Person)
    next_id = first_id + len(rows)
    for index, row in enumerate(rows):
        team = teams[row.team_index]
        service_users.append(_person(row.fields, first_id + index, next(refs), team))
        if row.carer:
            related.append((index, "carer", _person(row.carer, next_id, next(refs), team)))
            next_id += 1
        if row.representative:
            related.append((index, "rep", _person(row.representative, next_id, next(refs), None)))
            next_id += 1
        if row.provider_index is not None:
            provider_links.append((index, row.provider_index))
    tick("people", rows_insert(Person, service_users))
    others = [p for _i, _k, p in related]
    tick("carers and representatives", rows_insert(Person, others))
    _people_created_events(service_users + others)

    relationships: list[dict[str, Any]] = []
    consents: list[dict[str, Any]] = []
    for index, kind, other in related:
        row, person_id = rows[index], first_id + index
        start_date = today - dt.timedelta(days=rng.randint(30, 3000))
        if kind == "carer":
            relationships.append(
                dict(
                    person_id=person_id,
                    related_person_id=other["id"],
                    kind=codes.RelationshipKind.UNPAID_CARER,
                    description=rng.choice(
                        [
                            "Daughter",
                            "Son",
                            "Wife",
                            "Husband",
                            "Partner",
                            "Mother",
                            "Father",
                            "Friend",
                            "Neighbour",
                        ]
                    ),
                    is_main_carer=True,
                    shares_household=row.carer_lives_with,
                    can_see_record=row.carer_sharing == "given",
                    start_date=start_date,
                )
            )
            if row.carer_sharing:
                consents.append(
                    dict(
                        person_id=person_id,
                        purpose=codes.ConsentPurpose.SHARE_WITH_CARERS,
                        status=row.carer_sharing,
                        decided_on=start_date,
                    )
                )
        else:
            relationships.append(
                dict(
                    person_id=person_id,
                    related_person_id=other["id"],
                    kind=row.representative_kind,
                    legal_basis=_LEGAL_BASIS[codes.RelationshipKind(row.representative_kind)],
                    description=rng.choice(
                        ["Daughter", "Son", "Sister", "Brother", "Niece", "Friend"]
                    ),
                    can_see_record=True,
                    start_date=start_date,
                )
            )
    rows_insert(Relationship, relationships)
    rows_insert(Consent, consents)
    rows_insert(
        ProviderClient,
        [
            {
                "provider_id": providers[p].pk,
                "person_id": first_id + i,
                "start_date": today - dt.timedelta(days=rng.randint(30, 2000)),
            }
            for i, p in provider_links
        ],
    )
    tick("relationships", len(relationships))

    # Staff: practitioners per team (one demo sign-in among them), managers, planners.
    password = make_password(DEMO_PASSWORD)
    unusable = make_password(None)
    users: list[User] = []
    profiles: list[tuple[User, list[str], dict[str, Any]]] = []
    memberships: list[tuple[User, Team, bool]] = []
    per_team = max(
        1,
        math.ceil(d.PEOPLE_PER_TEAM / d.PEOPLE_PER_PRACTITIONER)
        if people >= d.PEOPLE_PER_TEAM
        else math.ceil(people / team_count / d.PEOPLE_PER_PRACTITIONER),
    )
    for t, team in enumerate(teams):
        for k in range(per_team):
            given, family = _name(rng, rng.random() < 0.7)
            user = User(
                username=f"worker{t + 1}-{k + 1}",
                first_name=given,
                last_name=family,
                password=unusable,
                email=f"worker{t + 1}-{k + 1}@council.example",
            )
            users.append(user)
            profiles.append((user, [Role.PRACTITIONER], {"job_title": "Social worker"}))
            memberships.append((user, team, False))
        given, family = _name(rng, True)
        manager = User(
            username=f"manager{t + 1}", first_name=given, last_name=family, password=unusable
        )
        users.append(manager)
        profiles.append((manager, [Role.MANAGER], {"job_title": "Team manager"}))
        memberships.append((manager, team, True))

    holder_person = Person.objects.get(pk=first_id)
    carer_person = Person.objects.get(
        pk=next(p["id"] for i, k, p in related if i == 0 and k == "carer")
    )
    rep_person = Person.objects.get(
        pk=next(p["id"] for i, k, p in related if i == 0 and k == "rep")
    )
    demo: dict[Role, tuple[dict[str, Any], dict[str, Any]]] = {
        Role.HOLDER: (
            {"first_name": holder_person.given_name, "last_name": holder_person.family_name},
            {"person": holder_person},
        ),
        Role.REPRESENTATIVE: (
            {"first_name": rep_person.given_name, "last_name": rep_person.family_name},
            {"person": rep_person},
        ),
        Role.CARER: (
            {"first_name": carer_person.given_name, "last_name": carer_person.family_name},
            {"person": carer_person},
        ),
        Role.PRACTITIONER: (
            {"first_name": "Priya", "last_name": "Shah"},
            {"job_title": "Social worker"},
        ),
        Role.MANAGER: (
            {"first_name": "Mark", "last_name": "Ellis"},
            {
                "job_title": "Team manager",
                "sign_off_limit_weekly_pence": MANAGER_SIGN_OFF_LIMIT_PENCE,
            },
        ),
        Role.PLANNER: (
            {"first_name": "Pat", "last_name": "Morgan"},
            {"job_title": "Support planner"},
        ),
        Role.PROVIDER: (
            {"first_name": "Paula", "last_name": "Reid"},
            {"provider": providers[holder.provider_index or 0], "job_title": "Care co-ordinator"},
        ),
        Role.FINANCE: (
            {"first_name": "Fiona", "last_name": "Grant"},
            {"job_title": "Finance officer"},
        ),
        Role.COMMISSIONER: (
            {"first_name": "Colin", "last_name": "Baker"},
            {"job_title": "Commissioning manager"},
        ),
        Role.ADMIN: (
            {"first_name": "Alex", "last_name": "Kerr"},
            {"job_title": "Systems administrator"},
        ),
        Role.DPO: (
            {"first_name": "Dana", "last_name": "Okafor"},
            {"job_title": "Data protection officer"},
        ),
    }
    holder_team = teams[rows[0].team_index]
    for role, (name_fields, profile_fields) in demo.items():
        user = User(
            username=str(role), password=password, email=f"{role}@demo.example", **name_fields
        )
        users.append(user)
        profiles.append((user, [role], profile_fields))
        if role in (Role.PRACTITIONER, Role.PLANNER):
            memberships.append((user, holder_team, False))
        if role == Role.PLANNER:
            memberships.append((user, brokerage, False))
        if role == Role.MANAGER:
            memberships.append((user, holder_team, True))
            memberships.append((user, teams[(rows[0].team_index + 1) % len(teams)], True))
    # A second finance officer: who prepares a payment run cannot approve it (issue 12).
    second_finance = User(
        username="finance2",
        password=password,
        email="finance2@demo.example",
        first_name="Femi",
        last_name="Adeyemi",
    )
    users.append(second_finance)
    profiles.append((second_finance, [Role.FINANCE], {"job_title": "Finance officer"}))
    User.objects.bulk_create(users, batch_size=BATCH)
    Profile.objects.bulk_create(
        [Profile(user=u, roles=[str(r) for r in roles], **extra) for u, roles, extra in profiles],
        batch_size=BATCH,
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(user=u, team=t, is_manager=m) for u, t, m in memberships], batch_size=BATCH
    )
    named_workers = _named_workers(service_users, memberships, today)

    # Work waiting: reviews falling due (some overdue) and carers' needs to check.
    items: list[dict[str, Any]] = []
    for index, person in enumerate(service_users):
        if index == 0 or rng.random() < 0.06:
            due = today + dt.timedelta(days=rng.randint(-30, 60))
            items.append(
                dict(
                    title="Annual review due",
                    kind="review",
                    person_id=person["id"],
                    team_id=person["team_id"],
                    for_role=Role.PRACTITIONER,
                    due_date=due,
                )
            )
        if rows[index].carer and (index == 0 or rng.random() < 0.03):
            items.append(
                dict(
                    title="Offer a carer's assessment",
                    kind="carer_assessment",
                    person_id=person["id"],
                    team_id=person["team_id"],
                    for_role=Role.PRACTITIONER,
                    due_date=today + dt.timedelta(days=rng.randint(0, 28)),
                )
            )
    for team in teams:
        items.append(
            dict(
                title="Check overdue reviews in your team",
                kind="team_review",
                person_id=None,
                team_id=team.pk,
                for_role=Role.MANAGER,
                due_date=today + dt.timedelta(days=7),
            )
        )
    for item in items:  # a person's work goes to their named worker (the team still sees it)
        item["assigned_to_id"] = named_workers.get(item["person_id"] or 0)
    rows_insert(WorkItem, items)

    questionnaires_install_defaults()
    ras_versions_install_defaults()
    practitioner_user = next(u for u in users if u.username == Role.PRACTITIONER)
    manager_user = next(u for u in users if u.username == Role.MANAGER)
    budgets = demo_assessments_build(
        people=[Assessed(p["id"], p["user_group"], p["has_unpaid_carer"]) for p in service_users],
        seed=seed,
        practitioner=practitioner_user,
        manager=manager_user,
        holder=holder_person,
        today=today,
    )
    tick("assessments and budgets", budgets["allocations"])
    holder_plans = demo_holder_plan(
        holder=holder_person, practitioner=practitioner_user, manager=manager_user, today=today
    )
    # Each team's manager signs off its plans over budget; the demo manager for their teams.
    managers = {team.pk: user for user, team, is_manager in memberships if is_manager}
    # A colleague approves plans within budget: not the practitioner who wrote them (0007).
    colleagues: dict[int, User] = {}
    for user, team, is_manager in memberships:
        if not is_manager and user.username != practitioner_user.username:
            colleagues.setdefault(team.pk, user)
    tables_analyze(Person, Relationship, ProviderClient, Allocation, Provider)
    plans = demo_plans_build(
        seed=seed,
        practitioner=practitioner_user,
        managers=managers,
        colleagues=colleagues,
        manager=manager_user,
        holder=holder_person,
        today=today,
        sign_off_limit_pence=MANAGER_SIGN_OFF_LIMIT_PENCE,
    )
    plans["support plans"] += holder_plans
    # The demo holder's financial assessment: what they pay towards their support a week.
    assessed_contribution_record(
        actor=next(u for u in users if u.username == Role.FINANCE),
        person=holder_person,
        weekly_pence=DEMO_HOLDER_CONTRIBUTION_PENCE,
        effective_from=today - dt.timedelta(days=60),
        source_reference="FA-DEMO-0001",
    )
    # Every demo direct payment has a link person in the direct payments team: the demo
    # finance officer ('Your money' names them, with the team's phone and email).
    DirectPaymentAgreement.objects.filter(link_officer__isnull=True).update(
        link_officer=next(u for u in users if u.username == Role.FINANCE)
    )
    tick("support plans", plans["support plans"])
    # The demo carer's own journey, and a few other carers' assessments (issue 13).
    carers = demo_carers_build(
        holder=holder_person,
        carer=carer_person,
        carer_user=next(u for u in users if u.username == Role.CARER),
        practitioner=practitioner_user,
        today=today,
    )
    # A year of payments for the first people (all of them in the default demo).
    money = demo_money_build(
        person_ids=[p["id"] for p in service_users[: max(0, money_people)]],
        seed=seed,
        finance=next(u for u in users if u.username == Role.FINANCE),
        finance2=second_finance,
        holder=holder_person,
        holder_user=next(u for u in users if u.username == Role.HOLDER),
        provider_user=next(u for u in users if u.username == Role.PROVIDER),
        today=today,
        tick=tick,
    )
    holder_user = next(u for u in users if u.username == Role.HOLDER)
    pas = demo_employers_build(
        seed=seed,
        holder=holder_person,
        holder_user=holder_user,
        recorder=practitioner_user,
        today=today,
    )
    tick("personal assistants", pas["personal assistants"])
    directory = demo_directory_build(
        seed=seed,
        providers=providers,
        areas=list(names.AREAS),
        provider_user=next(u for u in users if u.username == Role.PROVIDER),
    )
    tick("directory services", directory["directory services"])
    # A year of provider switches with their reasons (the market dashboard, issue 14).
    switches = demo_switches_build(
        seed=seed, holder=holder_person, recorder=practitioner_user, today=today
    )
    tick("provider switches", switches["provider switches"])
    # Anonymous POET survey responses near the national figures (issue 15, the outcomes reports).
    surveys = demo_surveys_build(seed=seed, today=today)
    tick("survey responses", surveys["survey responses"])
    # Named IBSEN questionnaire answers from people with plans (the IBSEN and CE reports).
    ibsen = demo_ibsen_build(seed=seed, today=today, leave_out=holder_person.pk)
    tick("IBSEN responses", ibsen["IBSEN responses"])
    # Budget buddies and referrals to support organisations (issue 14, peer support).
    peers = demo_peers_build(
        seed=seed,
        holder=holder_person,
        holder_user=holder_user,
        recorder=practitioner_user,
        provider_user=next(u for u in users if u.username == Role.PROVIDER),
        today=today,
    )
    tick("budget buddy offers", peers["buddy offers"])
    # "Tell us how it went": survey invitations for the demo holder and carer (issue 15).
    campaigns = demo_campaigns_build(
        holder=holder_person,
        commissioner=next(u for u in users if u.username == Role.COMMISSIONER),
        today=today,
    )
    tick("survey invitations", campaigns["survey invitations"])
    _demo_looks(holder_person, users)
    summary.counts = {
        "teams": len(teams) + 1,
        "providers": len(providers),
        "people": len(service_users),
        "carers and representatives": len(others),
        "relationships": len(relationships),
        "consents": len(consents),
        "provider clients": len(provider_links),
        "users": len(users),
        "work items": len(items),
        **budgets,
        **plans,
        **carers,
        **money,
        **pas,
        **directory,
        **switches,
        **surveys,
        **ibsen,
        **peers,
        **campaigns,
    }
    summary.holder_person_id = holder_person.pk
    event_record(
        actor=None,
        action=Action.CREATE,
        object_type="demo_council",
        summary=(
            f"Generated a demo council with seed {seed}: "
            + ", ".join(f"{n} {k}" for k, n in summary.counts.items())
        ),
    )
    return summary
