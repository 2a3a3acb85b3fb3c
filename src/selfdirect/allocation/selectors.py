"""Which allocations a user may see: those of assessments they may see (so a carer's
budget stays the carer's), and the sign-off queue of a manager's teams."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from selfdirect.access.selectors import AnyUser, teams_of
from selfdirect.allocation.models import Allocation, Challenge, PanelDecision
from selfdirect.assessment.questionnaire import definition_parse
from selfdirect.assessment.selectors import assessment_visibility, caseload_rows, finance_reads
from selfdirect.audit.services import look_refused


def allocation_visibility(user: AnyUser, *, teams: bool = True) -> Q:
    """Which budgets the user may see: those of assessments they may see; finance, every
    budget (read only: it pays them)."""
    condition = assessment_visibility(user, "assessment__", teams=teams)
    every = finance_reads(user)
    return condition if every is None else condition | every


def allocations_visible_to(user: AnyUser) -> QuerySet[Allocation]:
    """For lists: the team part starts from the team's people (caseload_rows)."""
    return Allocation.objects.filter(
        allocation_visibility(user, teams=False)
        | caseload_rows(Allocation, user, person="person_id", cared_for="assessment__cared_for_id")
    )


def allocation_for(user: AnyUser, allocation_id: int) -> Allocation:
    try:
        return (
            # One record: the rule as joins from its primary key.
            Allocation.objects.filter(allocation_visibility(user))
            .select_related(
                "person",
                "assessment__version__questionnaire",
                "ras_version",
                "created_by",
                # At most one each: the budget page says whether it went to the panel.
                "panel_referral",
                "panel_decision",
            )
            .prefetch_related(
                "sign_offs__decided_by",
                "challenges__amount_decision",
                "amount_decisions",
                "support_plans",
            )
            .get(pk=allocation_id)
        )
    except Allocation.DoesNotExist as missing:
        raise look_refused(actor=user, model=Allocation, object_id=allocation_id) from missing


def sign_off_queue(user: AnyUser) -> QuerySet[Allocation]:
    return (
        Allocation.objects.filter(
            status=Allocation.Status.AWAITING_SIGN_OFF, person__team__in=teams_of(user)
        )
        .select_related("person")
        .order_by("created_at")
    )


def section_titles(allocation: Allocation) -> dict[str, str]:
    definition = definition_parse(allocation.assessment.version.definition)
    return {s.id: s.title for s in definition.sections}


def caseload_for_whatif(allocation_ids: set[int] | None = None) -> list[dict[str, Any]]:
    """Each living person's latest approved or waiting allocation, with what the what-if
    needs: stored inputs, the current weekly amount, user group, date of birth, gender,
    ethnicity and primary support reason. No names: commissioners see figures, not people.
    Given ``allocation_ids`` (a saved scenario's caseload), exactly those allocations."""
    from selfdirect.allocation.models import Allocation as A

    latest: dict[int, dict[str, Any]] = {}
    chosen = (
        A.objects.all()  # ids filtered below: a 100,000-long IN is too many SQL variables
        if allocation_ids is not None
        else A.objects.filter(
            status__in=[A.Status.APPROVED, A.Status.AWAITING_SIGN_OFF, A.Status.AWAITING_PANEL],
            person__date_of_death__isnull=True,
        )
    )
    rows = chosen.order_by("person_id", "created_at", "id").values(
        "id",
        "person_id",
        "inputs",
        "indicative_weekly_pence",
        "agreed_weekly_pence",
        "person__user_group",
        "person__date_of_birth",
        "person__gender",
        "person__ethnicity",
        "person__primary_support_reason",
    )
    if allocation_ids is not None:
        return [dict(row) for row in rows.iterator(chunk_size=5000) if row["id"] in allocation_ids]
    for row in rows.iterator(chunk_size=5000):
        latest[int(row["person_id"])] = dict(row)  # later rows replace earlier ones
    return list(latest.values())


def panel_queue(user: AnyUser) -> QuerySet[Allocation]:
    """Budgets of the user's teams waiting for the panel, the longest waiting first."""
    return (
        Allocation.objects.filter(
            status=Allocation.Status.AWAITING_PANEL, person__team__in=teams_of(user)
        )
        .select_related("person", "person__team", "created_by", "panel_referral__referred_by")
        .order_by("panel_referral__referred_at", "id")
    )


def panel_candidates() -> list[User]:
    """Staff who may sit on a panel (``panel.sit`` in access.rules), by name."""
    from selfdirect.access.rules import allows
    from selfdirect.access.selectors import roles_of

    users = User.objects.filter(is_active=True, profile__isnull=False).select_related("profile")
    return [
        u
        for u in users.order_by("first_name", "last_name", "username")
        if allows(roles_of(u), "panel.sit")
    ]


def panel_decision_for(user: AnyUser, decision_id: int) -> PanelDecision:
    """One panel decision, if the user may see its budget; otherwise 404 and a DENIED event."""
    from selfdirect.audit.services import record_or_refused

    return record_or_refused(
        PanelDecision.objects.filter(allocation__in=allocations_visible_to(user))
        .select_related("allocation__person", "recorded_by")
        .prefetch_related("members"),
        actor=user,
        object_id=decision_id,
        person_path="allocation__person_id",
    )


def decided_challenge_for(user: AnyUser, challenge_id: int) -> Challenge:
    """One decided request to look again (with its new amount, if any), if the user may see
    its budget; otherwise 404 and a DENIED event. One still being looked at has no letter yet."""
    from django.http import Http404

    from selfdirect.audit.services import record_or_refused

    challenge = record_or_refused(
        Challenge.objects.filter(allocation__in=allocations_visible_to(user)).select_related(
            "allocation__person__named_worker", "allocation__person__team", "amount_decision"
        ),
        actor=user,
        object_id=challenge_id,
        person_path="allocation__person_id",
    )
    if challenge.status != Challenge.Status.DECIDED:
        raise Http404("This request has not been decided yet")
    return challenge


def decided_challenges_visible_to(user: AnyUser) -> QuerySet[Challenge]:
    """Decided requests to look again on the budgets the user may see, newest first (their
    letters, for the portal)."""
    return (
        Challenge.objects.filter(
            allocation__in=allocations_visible_to(user), status=Challenge.Status.DECIDED
        )
        .select_related("allocation__person")
        .order_by("-decided_at", "-id")
    )
