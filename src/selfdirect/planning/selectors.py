"""Which plans a user may see: the plans of budgets they may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.assessment.selectors import assessment_visibility, caseload_rows, finance_reads
from selfdirect.audit.services import look_refused
from selfdirect.people.selectors import cared_for_with_consent
from selfdirect.planning.models import PlanOutcome, Review, SupportPlan


def plan_visibility(user: AnyUser, prefix: str = "", *, teams: bool = True) -> Q:
    """Which plans the user may see, as a condition on the plan at ``prefix`` (for example
    "plan__" from a review): the plans of budgets they may see, decided by the assessment.
    Joins from the record's key: the fast way to check one record (and what hangs off it).
    Finance reads every plan (read only: what it may do is the capabilities')."""
    condition = assessment_visibility(user, f"{prefix}allocation__assessment__", teams=teams)
    # A carer reads the plans (and reviews) of the people who consent to share their record
    # with them (issue 13), though not their budgets or assessments.
    if Role.CARER in roles_of(user):
        condition |= Q(**{f"{prefix}person_id__in": cared_for_with_consent(user)})
    every = finance_reads(user, prefix)
    return condition if every is None else condition | every


def plans_visible_to(user: AnyUser) -> QuerySet[SupportPlan]:
    """The same rule for lists: the team part starts from the team's people
    (caseload_rows), so a caseload is found through the team index rather than by joining
    every plan in the council."""
    return SupportPlan.objects.filter(
        plan_visibility(user, teams=False)
        | caseload_rows(
            SupportPlan, user, person="person_id", cared_for="allocation__assessment__cared_for_id"
        )
    )


def plan_for(user: AnyUser, plan_id: int) -> SupportPlan:
    try:
        return (
            SupportPlan.objects.filter(plan_visibility(user))
            .select_related("person", "allocation", "created_by", "approved_by")
            .prefetch_related(
                # Who wrote each outcome: the page names the person or representative.
                Prefetch(
                    "outcomes", queryset=PlanOutcome.objects.select_related("added_by__profile")
                ),
                "lines__provider",
                "lines__outcome",
                "lines__switches__to_provider",
            )
            .get(pk=plan_id)
        )
    except SupportPlan.DoesNotExist as missing:
        raise look_refused(actor=user, model=SupportPlan, object_id=plan_id) from missing


def reviews_due_for(user: AnyUser) -> QuerySet[Review]:
    """Reviews still to do on the plans the user may see, soonest first."""
    # The team's plans' ids straight from the team's people (caseload_rows on the review's
    # plan_id): through plans_visible_to they were matched against every plan's key again.
    visible = Q(
        plan__in=SupportPlan.objects.filter(plan_visibility(user, teams=False))
    ) | caseload_rows(
        SupportPlan,
        user,
        person="person_id",
        cared_for="allocation__assessment__cared_for_id",
        key="plan_id",
    )
    return (
        Review.objects.filter(visible, status=Review.Status.DUE)
        .select_related("plan__person__team", "plan__created_by")
        .order_by("due_date", "id")
    )


def review_counts_for(user: AnyUser, today: dt.date) -> dict[str, int]:
    """The home page's review figures: how many reviews the user may see are due, how many
    of those are overdue, and how many are of people whose named worker the user is.

    The first two from the due reviews' own index (their plan, due date and id), without
    joining a plan or a person: joined to every person of the team to read their named
    worker, the count cost a row of people and of plans for each due review (decision
    record 0027). "Yours" starts from the user's own named people (a few, through the
    named-worker index) and checks each review by the one-record rule, which is the same
    rule as the list's (tests/assessment/test_list_visibility.py)."""
    counts = reviews_due_for(user).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    yours = (
        Review.objects.filter(status=Review.Status.DUE, plan__person__named_worker_id=user.pk)
        .filter(plan_visibility(user, "plan__"))
        .count()
        if user.pk is not None
        else 0
    )
    return {"due": counts["due"], "overdue": counts["overdue"], "yours": yours}


@dataclass(frozen=True)
class QueueRow:
    """One review in the queue, as the queue shows it."""

    pk: int
    person_id: int
    person_name: str
    kind: str
    team: str
    written_by: str
    due_date: dt.date


def due_reviews_grouped(
    reviews: QuerySet[Review], groups: dict[str, Callable[[dt.date], bool]], *, rows: int
) -> tuple[dict[str, int], dict[str, list[QueueRow]]]:
    """How many of ``reviews`` fall in each group (by due date) and the first ``rows`` of
    each, soonest first, asking which reviews the user may see once: one light read of the
    visible reviews' ids and dates, the counts and groups worked out from it, then the rows
    shown read by key, only the columns the queue shows (a review, its plan, person, team
    and writer made as objects cost more than the query: issue 10). Asked as a count and a
    list per group, the who-sees-what question was answered four times a page (decision
    record 0018)."""
    counts = dict.fromkeys(groups, 0)
    shown: dict[str, list[int]] = {name: [] for name in groups}
    for pk, due_date in reviews.order_by("due_date", "id").values_list("pk", "due_date"):
        for name, falls in groups.items():
            if falls(due_date):
                counts[name] += 1
                if len(shown[name]) < rows:
                    shown[name].append(pk)
                break
    wanted = [pk for pks in shown.values() for pk in pks]
    kinds = dict(Review.Kind.choices)
    found = (
        {
            pk: QueueRow(
                pk=pk,
                person_id=person_id,
                person_name=f"{given} {family}",
                kind=str(kinds.get(kind, kind)),
                team=team or "",
                written_by=f"{first or ''} {last or ''}".strip() or username or "",
                due_date=due_date,
            )
            for pk, person_id, given, family, kind, team, first, last, username, due_date in (
                Review.objects.filter(pk__in=wanted).values_list(
                    "pk",
                    "plan__person_id",
                    "plan__person__given_name",
                    "plan__person__family_name",
                    "kind",
                    "plan__person__team__name",
                    "plan__created_by__first_name",
                    "plan__created_by__last_name",
                    "plan__created_by__username",
                    "due_date",
                )
            )
        }
        if wanted
        else {}
    )
    return counts, {name: [found[pk] for pk in pks if pk in found] for name, pks in shown.items()}
