"""Which assessments a user may see. A carer's assessment is the carer's own record:
the person they care for (and that person's representative) never see its answers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.assessment.models import Assessment, Questionnaire, Referral
from selfdirect.audit.services import look_refused
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to


def assessment_visibility(user: AnyUser, prefix: str = "") -> Q:
    """The rule for which assessments a user may see, as a condition on the assessment at
    ``prefix`` (for example "allocation__assessment__" from a support plan), so the records
    that follow an assessment (budgets, plans, reviews) are filtered by joins, not by nested
    subqueries."""
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
    if roles & {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}:
        from selfdirect.access.selectors import teams_of

        team_ids = list(teams_of(user).values_list("pk", flat=True))
        # The team's people as a subquery on the team index (not a join per assessment).
        team_people = Person.objects.filter(team_id__in=team_ids).values("pk")
        condition |= Q(**{f"{prefix}person_id__in": team_people}) | Q(
            **{f"{prefix}cared_for_id__in": team_people}
        )
    return condition


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    return Assessment.objects.filter(assessment_visibility(user))


def assessment_for(user: AnyUser, assessment_id: int) -> Assessment:
    try:
        return (
            assessments_visible_to(user)
            .select_related("person", "cared_for", "version__questionnaire")
            .prefetch_related("answers", "referrals")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist as missing:
        raise look_refused(actor=user, model=Assessment, object_id=assessment_id) from missing


def assessments_of(user: AnyUser, person_id: int) -> QuerySet[Assessment]:
    return (
        assessments_visible_to(user)
        .filter(Q(person_id=person_id) | Q(cared_for_id=person_id))
        .select_related("version__questionnaire", "person", "cared_for")
    )


def referrals_to_act_on(user: AnyUser) -> QuerySet[Referral]:
    """Open referrals in the assessments the user may see, oldest first (staff's home)."""
    return (
        Referral.objects.filter(status=Referral.Status.OPEN)
        .filter(assessment_visibility(user, prefix="assessment__"))
        .select_related("assessment__person")
        .order_by("created_at", "id")
    )
