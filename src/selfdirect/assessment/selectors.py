"""Which assessments a user may see. A carer's assessment is the carer's own record:
the person they care for (and that person's representative) never see its answers."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.assessment.models import Assessment, Questionnaire, Referral
from selfdirect.audit.services import look_refused
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to


def assessment_visibility(user: AnyUser, prefix: str = "", *, teams: bool = True) -> Q:
    """The rule for which assessments a user may see, as a condition on the assessment at
    ``prefix`` (for example "allocation__assessment__" from a support plan), so the records
    that follow an assessment (budgets, plans, reviews) are filtered by joins, not by nested
    subqueries: the fast way to check one record.

    Lists (``*_visible_to``) take the rule without its team part (``teams=False``) and add
    the team part as ``caseload_rows``, which gives the same records."""
    roles = roles_of(user)
    if not roles:
        return Q(pk__in=[])
    profile = getattr(user, "profile", None)
    own_id = profile.person_id if profile is not None else None
    condition = Q(pk__in=[])
    if own_id is not None and roles & {Role.HOLDER, Role.CARER}:
        condition |= Q(**{f"{prefix}person_id": own_id})
    if Role.REPRESENTATIVE in roles:
        # Representatives act on the represented person's self-assessment only.
        condition |= Q(
            **{
                f"{prefix}person__in": people_visible_to(user),
                f"{prefix}version__questionnaire__kind": Questionnaire.Kind.SELF,
            }
        )
    team_people = team_caseload(user) if teams else None
    if team_people is not None:
        # The team's people as a subquery on the team index (not a join per assessment).
        condition |= Q(**{f"{prefix}person_id__in": team_people}) | Q(
            **{f"{prefix}cared_for_id__in": team_people}
        )
    return condition


def finance_reads(user: AnyUser, prefix: str = "") -> Q | None:
    """Finance reads every budget and plan across the council (read only, PERSON_SCOPE):
    a condition true of every row at ``prefix``, or None for a user without the role. Not
    part of ``assessment_visibility``: finance does not read assessments themselves."""
    if Role.FINANCE not in roles_of(user):
        return None
    return Q(**{f"{prefix}pk__isnull": False})


def team_caseload(user: AnyUser) -> QuerySet[Person, Any] | None:
    """The ids of the people of a caseworker's teams (a subquery), or None for other roles."""
    if not roles_of(user) & {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}:
        return None
    from selfdirect.access.selectors import team_ids_of

    team_ids = team_ids_of(user)
    return Person.objects.filter(team_id__in=team_ids).values("pk")


def caseload_rows(
    model: type[Model], user: AnyUser, *, person: str, cared_for: str, key: str = "pk"
) -> Q:
    """The team part of the rule for lists of ``model`` (assessments, budgets, plans): the
    rows of the team's people (by ``person``, the row's own person column) UNION the rows of
    assessments of carers of the team's people (by ``cared_for``), each found through an
    index from the team's caseload, so the cost follows the caseload. Written as
    ``assessment.person IN team OR assessment.cared_for IN team``, PostgreSQL guesses that
    most assessments match and scans them all, with every budget, plan and review after
    them (decision record 0018). A budget's and a plan's ``person`` is its assessment's
    person: the services copy it, and tests/assessment/test_list_visibility.py holds them
    to it. ``key`` is where the condition applies: a review's "plan_id" takes the team's
    plans' ids as they are, not by way of a second reading of every plan's key."""
    team_people = team_caseload(user)
    if team_people is None:
        return Q(pk__in=[])
    rows = model._default_manager.order_by()
    of_team = rows.filter(**{f"{person}__in": team_people}).values("pk")
    caring = rows.filter(**{f"{cared_for}__in": team_people}).values("pk")
    return Q(**{f"{key}__in": of_team.union(caring)})


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        assessment_visibility(user, teams=False)
        | caseload_rows(Assessment, user, person="person_id", cared_for="cared_for_id")
    )


def assessment_for(user: AnyUser, assessment_id: int) -> Assessment:
    try:
        return (
            # One record: the rule as conditions on its own row.
            Assessment.objects.filter(assessment_visibility(user))
            .select_related("person", "cared_for", "version__questionnaire")
            .prefetch_related("answers", "referrals")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist as missing:
        raise look_refused(actor=user, model=Assessment, object_id=assessment_id) from missing


def assessments_of(user: AnyUser, person_id: int) -> QuerySet[Assessment]:
    # One person's: the rule as conditions on their few rows, not the team's list. The
    # questionnaire's definition (its questions, kilobytes of JSON) is not what a list shows.
    return (
        Assessment.objects.filter(assessment_visibility(user))
        .filter(Q(person_id=person_id) | Q(cared_for_id=person_id))
        .select_related("version__questionnaire", "person", "cared_for")
        .defer("version__definition")
    )


def referrals_to_act_on(user: AnyUser) -> QuerySet[Referral]:
    """Open referrals in the assessments the user may see, oldest first (staff's home)."""
    return (
        Referral.objects.filter(status=Referral.Status.OPEN)
        .filter(assessment_visibility(user, prefix="assessment__"))
        .select_related("assessment__person")
        .order_by("created_at", "id")
    )
