"""The who-sees-what rule for lists of assessments (and so of budgets, plans and reviews) is
the rule for one record, written so PostgreSQL can follow a team's caseload (decision record
0018): a UNION of the team's people's assessments and those of the people they care for."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.assessment.models import Assessment, Questionnaire
from selfdirect.assessment.selectors import assessment_visibility, assessments_visible_to
from selfdirect.assessment.services import assessment_start
from tests.factories import PersonFactory, RelationshipFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def carers_assessments(council: Any) -> list[Assessment]:
    """A carer outside any team caring for someone in team B, and a carer in team B caring
    for someone in team A: each assessment is seen through the other person's team."""
    carer_q = Questionnaire.objects.get(code="carers-assessment")
    worker = make_user("carers-worker", [Role.PRACTITIONER], teams=[council.team_a])
    made = []
    for carer_team, cared_for in (
        (None, council.other_person),
        (council.team_b, council.holder_person),
    ):
        carer = PersonFactory(team=carer_team, family_name="Carer")
        RelationshipFactory(person=cared_for, related_person=carer)
        made.append(
            assessment_start(
                actor=worker,
                person=carer,
                questionnaire=carer_q,
                mode="practitioner",
                cared_for=cared_for,
            )
        )
    return made


def test_the_list_rule_is_the_one_record_rule_for_every_role(
    council: Any, carers_assessments: list[Assessment]
) -> None:
    users = [
        *council.users.values(),
        make_user("two-teams", [Role.MANAGER], manages=[council.team_a, council.team_b]),
        make_user(
            "worker-and-carer",
            [Role.PRACTITIONER, Role.CARER],
            teams=[council.team_b],
            person=carers_assessments[0].person,
        ),
    ]
    for user in users:
        one_by_one = {
            a.pk
            for a in Assessment.objects.all()
            if Assessment.objects.filter(assessment_visibility(user), pk=a.pk).exists()
        }
        assert set(assessments_visible_to(user).values_list("pk", flat=True)) == one_by_one, user
    team_b_carer, team_a_carer = carers_assessments
    practitioner = council.users[Role.PRACTITIONER]
    assert set(assessments_visible_to(practitioner)) == {council.holder_assessment, team_a_carer}
    team_b = make_user("team-b-only", [Role.PRACTITIONER], teams=[council.team_b])
    assert set(assessments_visible_to(team_b)) == {
        council.other_assessment,
        team_b_carer,
        team_a_carer,
    }


def test_a_team_list_is_one_union_of_semi_joins_not_an_or(council: Any) -> None:
    """``person IN team OR cared_for IN team`` makes PostgreSQL guess that three quarters
    of all assessments match and scan them all on every home page and plan list."""
    sql = str(assessments_visible_to(council.users[Role.PRACTITIONER]).query)
    assert " UNION " in sql
    assert '"cared_for_id" IN' in sql and " OR " not in sql


def _carers_budget_and_plan(assessment: Assessment, like: Any) -> Any:
    """A budget and plan on a carer's assessment, as the services write them: the person of
    each is the assessment's person (the carer)."""
    from selfdirect.allocation.models import Allocation
    from selfdirect.planning.models import SupportPlan

    allocation = Allocation.objects.create(
        person=assessment.person,
        assessment=assessment,
        ras_version=like.allocation.ras_version,
        ras_hash=like.allocation.ras_hash,
        inputs={},
        explanation={},
        indicative_weekly_pence=1000,
        indicative_annual_pence=52000,
        created_by=like.created_by,
    )
    return SupportPlan.objects.create(
        person=assessment.person,
        allocation=allocation,
        led_by="person",
        starts_on=like.starts_on,
        created_by=like.created_by,
    )


def test_budget_and_plan_lists_are_the_one_record_rule_and_follow_a_move(
    council: Any, carers_assessments: list[Assessment]
) -> None:
    from selfdirect.allocation.models import Allocation
    from selfdirect.allocation.selectors import allocation_visibility, allocations_visible_to
    from selfdirect.planning.models import SupportPlan
    from selfdirect.planning.selectors import plan_visibility, plans_visible_to
    from tests.planning.test_plans import _draft_plan

    holder_plan = _draft_plan(council)
    carer_plans = [_carers_budget_and_plan(a, holder_plan) for a in carers_assessments]
    users = [
        *council.users.values(),
        make_user("team-b", [Role.PRACTITIONER], teams=[council.team_b]),
        make_user("two-teams", [Role.MANAGER], manages=[council.team_a, council.team_b]),
    ]
    for user in users:
        budgets = set(allocations_visible_to(user).values_list("pk", flat=True))
        assert budgets == {
            a.pk
            for a in Allocation.objects.all()
            # The one-record rule for budgets (finance reads every budget: issue 12).
            if Allocation.objects.filter(allocation_visibility(user), pk=a.pk).exists()
        }, user
        plans = set(plans_visible_to(user).values_list("pk", flat=True))
        assert plans == {
            p.pk
            for p in SupportPlan.objects.all()
            if SupportPlan.objects.filter(plan_visibility(user), pk=p.pk).exists()
        }, user
    practitioner = council.users[Role.PRACTITIONER]
    # Team A sees the holder's plan and the plan of the carer (in team B) of the holder.
    assert set(plans_visible_to(practitioner)) == {holder_plan, carer_plans[1]}
    # The holder moves to team B: their plan, and their carer's, go with them.
    council.holder_person.team = council.team_b
    council.holder_person.save()
    assert set(plans_visible_to(practitioner)) == set()
    assert holder_plan in plans_visible_to(users[-2])


def test_budgets_and_plans_carry_their_assessments_person(council: Any) -> None:
    """The list rule finds a team's budgets and plans by their own person column: the
    services must copy it from the assessment, through every new version of a plan."""
    from django.db.models import F

    from selfdirect.allocation.models import Allocation
    from selfdirect.planning import services
    from selfdirect.planning.models import SupportPlan
    from tests.factories import second_user
    from tests.planning.test_plans import _approved_plan

    plan = _approved_plan(council)
    services.plan_revise(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    assert Allocation.objects.count() >= 1 and SupportPlan.objects.count() == 2
    assert not Allocation.objects.exclude(person_id=F("assessment__person_id")).exists()
    assert not SupportPlan.objects.exclude(
        person_id=F("allocation__assessment__person_id")
    ).exists()
