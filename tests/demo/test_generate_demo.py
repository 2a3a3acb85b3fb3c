"""The demo council: reproducible, realistic, and wired so every demo sign-in has work to see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from selfdirect.access.roles import DEMO_PASSWORD, Role
from selfdirect.access.selectors import people_visible_to
from selfdirect.demo import distributions as d
from selfdirect.demo.generator import demo_council_build, person_rows
from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.people.validation import nhs_number_error, postcode_error

TODAY = dt.date(2026, 11, 24)


def test_rows_are_the_same_for_a_seed_and_differ_between_seeds() -> None:
    def first(seed: int) -> list[tuple[Any, ...]]:
        rows = person_rows(50, seed, teams=3, providers=5, today=TODAY)
        return [
            (
                r.fields["given_name"],
                r.fields["family_name"],
                r.fields["date_of_birth"],
                r.fields["nhs_number"],
            )
            for r in rows
        ]

    assert first(7) == first(7)
    assert first(7) != first(8)


def test_distributions_match_the_sources_within_sampling_error() -> None:
    rows = list(person_rows(5000, 3, teams=3, providers=5, today=TODAY))
    groups = Counter(r.fields["user_group"] for r in rows)
    for group, share in d.USER_GROUP_SHARES.items():
        assert abs(groups[group] / 5000 - share) < 0.025, group
    older = [r for r in rows if r.fields["user_group"] == "older_people"]
    mean_age = sum((TODAY - r.fields["date_of_birth"]).days / 365.25 for r in older) / len(older)
    assert abs(mean_age - d.AGE_BY_GROUP["older_people"][0]) < 1.5
    assert all((TODAY - r.fields["date_of_birth"]).days / 365.25 >= 65 for r in older)
    female_ld = [
        r.fields["gender"] == codes.Gender.FEMALE
        for r in rows
        if r.fields["user_group"] == "learning_disability"
    ]
    assert abs(sum(female_ld) / len(female_ld) - d.FEMALE_SHARE["learning_disability"]) < 0.05
    with_carer = sum(r.carer is not None for r in rows) / 5000
    expected = (
        d.LIVES_ALONE_SHARE * d.LIVES_ALONE_HAS_CARER_SHARE
        + (1 - d.LIVES_ALONE_SHARE) * d.CO_RESIDENT_IS_CARER_SHARE
    )
    assert abs(with_carer - expected) < 0.03
    with_rep = sum(r.representative is not None for r in rows) / 5000
    assert abs(with_rep - d.REPRESENTATIVE_SHARE) < 0.03


def test_identifiers_are_valid_and_distinct() -> None:
    rows = list(person_rows(2000, 5, teams=3, providers=5, today=TODAY))
    numbers = [
        n for r in rows for n in (r.fields["nhs_number"], (r.carer or {}).get("nhs_number")) if n
    ]
    assert len(numbers) == len(set(numbers))
    assert all(nhs_number_error(n) is None for n in numbers)
    assert all(postcode_error(r.fields["postcode"]) is None for r in rows)


@pytest.mark.django_db
def test_demo_sign_ins_see_the_right_people() -> None:
    summary = demo_council_build(people=300, seed=2)
    assert summary.counts["people"] == 300
    holder_person = Person.objects.get(pk=summary.holder_person_id)
    for role in Role:
        user = User.objects.get(username=str(role))
        assert user.profile.roles == [str(role)]
        assert user.check_password(DEMO_PASSWORD)
    visible = {role: people_visible_to(User.objects.get(username=str(role))) for role in Role}
    assert list(visible[Role.HOLDER]) == [holder_person]
    for role in (
        Role.REPRESENTATIVE,
        Role.CARER,
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.PROVIDER,
    ):
        assert holder_person in visible[role], role
    assert not visible[Role.COMMISSIONER].exists() and not visible[Role.ADMIN].exists()
    other_team = (
        Person.objects.exclude(team=holder_person.team)
        .exclude(team__isnull=True)
        .exclude(team__in=User.objects.get(username="manager").team_memberships.values("team"))
        .first()
    )
    assert other_team is not None and other_team not in visible[Role.PRACTITIONER]
    # Workers of every team exist, and the practitioner has work waiting.
    from selfdirect.portal.selectors import work_items_for

    assert (
        work_items_for(User.objects.get(username="practitioner"))
        .filter(person=holder_person)
        .exists()
    )
    # The holder has an approved plan held two ways (a direct payment and an ISF) within budget.
    from selfdirect.planning.models import SupportPlan
    from selfdirect.planning.services import holding_mix, plan_totals

    plan = SupportPlan.objects.get(person=holder_person)
    assert plan.status == "approved"
    assert set(holding_mix(plan, dt.date.today())) == {"direct_payment", "isf"}
    assert not plan_totals(plan).over_budget


@pytest.mark.django_db
def test_command_refuses_a_non_empty_database_unless_if_empty() -> None:
    out = StringIO()
    call_command("generate_demo", people=50, seed=1, stdout=out)
    assert "50 people" in out.getvalue()
    count = Person.objects.count()
    out = StringIO()
    call_command("generate_demo", people=50, seed=1, if_empty=True, stdout=out)
    assert "keeping the council as it is" in out.getvalue()
    assert Person.objects.count() == count
    with pytest.raises(CommandError, match="already has"):
        call_command("generate_demo", people=50, seed=1)
    with pytest.raises(CommandError, match="--people must be from 1 to 100,000"):
        call_command("generate_demo", people=0, seed=1, if_empty=True)


# IBSEN Table 5.1 medians of annual budgets (£) by user group.
TABLE_5_1_MEDIAN = {
    "physical_disability": 6550,
    "learning_disability": 11150,
    "mental_health": 4860,
    "older_people": 6300,
}


def test_demo_budgets_are_near_ibsen_table_5_1() -> None:
    import json
    import random
    import statistics

    from selfdirect.allocation.pricing import Person as Priced
    from selfdirect.allocation.pricing import price
    from selfdirect.allocation.ras_file import ras_parse
    from selfdirect.allocation.services import DEFAULT_RAS
    from selfdirect.assessment.questionnaire import default_definition, definition_parse
    from selfdirect.demo.assessments import _answers

    definition = definition_parse(default_definition("self-assessment"))
    rng = random.Random(11)
    people = [
        Person(**{k: v for k, v in r.fields.items() if k in ("user_group", "has_unpaid_carer")})
        for r in person_rows(4000, 9, teams=3, providers=5, today=TODAY)
    ]
    priced = [
        Priced(_answers(rng, p, definition.sections_for(p.user_group)), p.user_group, {})
        for p in people
    ]
    _engine, result = price(ras_parse(json.loads(DEFAULT_RAS.read_text())), priced)
    for group, target in TABLE_5_1_MEDIAN.items():
        annual = [
            int(result.annual_pence[i]) / 100 for i, p in enumerate(people) if p.user_group == group
        ]
        median = statistics.median(annual)
        assert abs(median - target) / target < 0.25, (group, median, target)
