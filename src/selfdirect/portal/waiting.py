"""What is in progress for a person, and what they are waiting for (issue 13).

The portal home page lists, for the holder and for whoever acts for them, each thing the
council still has to do about their record: an assessment sent and waiting for a decision,
a budget waiting for sign-off, a request to look again, a review asked for, a request to
change a provider or how support is held, a notice of a change and a recovery case. Each says what happens next and, where the council has set
one, by when. "Nothing is waiting" is said only when this list, and the person's own work,
are empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model
from django.urls import reverse

from selfdirect.access.roles import PORTAL_ROLES
from selfdirect.access.selectors import AnyUser, roles_of, user_can
from selfdirect.allocation.models import Allocation, Challenge
from selfdirect.allocation.selectors import allocations_visible_to
from selfdirect.assessment.models import Assessment
from selfdirect.assessment.selectors import assessments_visible_to
from selfdirect.budgets.models import ChangeNotice
from selfdirect.budgets.notices import notices_visible_to
from selfdirect.changes.models import ChangeRequest
from selfdirect.changes.selectors import requests_visible_to
from selfdirect.money import pounds
from selfdirect.payments.models import DETAILS_WRONG, PaymentProblem
from selfdirect.people.models import Person, Relationship
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.planning.selectors import plans_visible_to
from selfdirect.portal.selectors import look_subjects_for
from selfdirect.recovery.models import RecoveryCase
from selfdirect.recovery.selectors import open_cases

# How many of each kind the home page lists.
SHOWN = 10


@dataclass(frozen=True)
class Waiting:
    """One thing in progress: what it is, whose it is, what happens next and by when."""

    what: str
    person: Person
    href: str
    next_step: str
    by: dt.date | None = None


def _whose(user: AnyUser, person: Person) -> str:
    profile = getattr(user, "profile", None)
    if profile is not None and profile.person_id == person.pk:
        return "Your"
    return f"{person.full_name}'s"


# The kinds of thing in progress, each listed by a block of ``waiting_for``.
KINDS = frozenset(
    {"assessment", "budget", "challenge", "review", "change", "notice", "recovery", "payment"}
)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def in_progress_kinds(user: AnyUser, today: dt.date) -> frozenset[str]:
    """The kinds of thing that may be in progress for ``user``: for someone who uses the
    service only as a holder, representative or carer, those with a row about them or
    anyone related to them (their own record and everyone they could act for or care for,
    whatever their consent or dates: more than they may see, never less), found in two
    small queries, so the home page asks for the rows of those kinds only; everyone else: every
    kind. Most people have nothing in progress most of the time, and each kind's list is
    a query of several tables to build (issue 10: the holder's home page under load)."""
    profile = getattr(user, "profile", None)
    own = profile.person_id if profile is not None else None
    roles = roles_of(user)
    if own is None or not roles or roles - PORTAL_ROLES:
        return KINDS
    # Their own record and that of anyone related to them, as a list of ids: each table is
    # then read through its index on the person (``person_id = x OR person_id IN (…)`` made
    # PostgreSQL scan them).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id FROM {_table(Relationship)} WHERE related_person_id = %s",  # noqa: S608
            [own],
        )
        ids = [own, *sorted({int(pid) for (pid,) in cursor.fetchall()} - {own})]
    people = (f"person_id IN ({', '.join(['%s'] * len(ids))})", ids)
    plans = (f"(SELECT id FROM {_table(SupportPlan)} WHERE {people[0]})", people[1])  # noqa: S608
    budgets = (f"(SELECT id FROM {_table(Allocation)} WHERE {people[0]})", people[1])  # noqa: S608
    checks: list[tuple[str, str, list[Any]]] = [
        (
            "assessment",
            f"{_table(Assessment)} WHERE {people[0]} AND status = %s",
            [*people[1], Assessment.Status.SUBMITTED],
        ),
        (
            "budget",
            f"{_table(Allocation)} WHERE {people[0]} AND status IN (%s, %s)",
            [*people[1], Allocation.Status.AWAITING_SIGN_OFF, Allocation.Status.AWAITING_PANEL],
        ),
        (
            "challenge",
            f"{_table(Challenge)} WHERE allocation_id IN {budgets[0]} AND status = %s",
            [*budgets[1], Challenge.Status.OPEN],
        ),
        (
            "review",
            f"{_table(Review)} WHERE plan_id IN {plans[0]} AND status = %s AND kind IN (%s, %s)",
            [*plans[1], Review.Status.DUE, Review.Kind.REQUESTED, Review.Kind.CHANGE],
        ),
        (
            "change",
            f"{_table(ChangeRequest)} WHERE {people[0]} AND status = %s",
            [*people[1], ChangeRequest.Status.WAITING],
        ),
        (
            "notice",
            f"{_table(ChangeNotice)} WHERE plan_id IN {plans[0]} AND status = %s "
            "AND takes_effect_on > %s",
            [*plans[1], ChangeNotice.Status.GIVEN, today],
        ),
        (
            "recovery",
            f"{_table(RecoveryCase)} WHERE {people[0]} AND letter_sent_on IS NOT NULL",
            people[1],
        ),
        (
            "payment",
            f"{_table(PaymentProblem)} WHERE {people[0]} AND status = %s",
            [*people[1], PaymentProblem.Status.RETURNED],
        ),
    ]
    exists = ", ".join(
        f"EXISTS (SELECT 1 FROM {rows})"  # noqa: S608
        for _kind, rows, _params in checks
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {exists}",
            [value for _kind, _rows, params in checks for value in params],
        )
        found = cursor.fetchone()
    return frozenset(kind for (kind, _rows, _params), yes in zip(checks, found, strict=True) if yes)


def waiting_for(
    user: AnyUser, today: dt.date | None = None, *, kinds: Collection[str] | None = None
) -> list[Waiting]:
    """Everything in progress on the records the user may see as a holder, representative or
    carer, the oldest deadline first (those without one last). ``kinds``: what
    ``in_progress_kinds`` found, if the caller has asked already."""
    today = today or dt.date.today()
    if kinds is None:
        kinds = in_progress_kinds(user, today)
    rows: list[Waiting] = []
    if "assessment" in kinds and user_can(user, "assessment.view"):
        submitted = (
            assessments_visible_to(user)
            .filter(status=Assessment.Status.SUBMITTED, eligibility__isnull=True)
            .select_related("person", "version__questionnaire")[:SHOWN]
        )
        for a in submitted:
            rows.append(
                Waiting(
                    what=f"{_whose(user, a.person)} {a.version.questionnaire.title.lower()} "
                    "has been sent",
                    person=a.person,
                    href=reverse("assessment:detail", args=[a.pk]),
                    next_step="Your named worker reads the answers and decides what support "
                    "is needed. You will get a letter with the decision.",
                )
            )
    budgets = allocations_visible_to(user)
    if "budget" in kinds and user_can(user, "allocation.view"):
        for b in budgets.filter(
            status__in=[Allocation.Status.AWAITING_SIGN_OFF, Allocation.Status.AWAITING_PANEL]
        ).select_related("person")[:SHOWN]:
            panel = b.status == Allocation.Status.AWAITING_PANEL
            rows.append(
                Waiting(
                    what=f"{_whose(user, b.person)} budget is waiting for "
                    + ("the panel" if panel else "sign-off"),
                    person=b.person,
                    href=reverse("allocation:detail", args=[b.pk]),
                    next_step=(
                        "A panel of managers checks the amount and agrees it."
                        if panel
                        else "A manager checks the amount and signs it off."
                    )
                    + " You will be told the amount when it is agreed.",
                )
            )
    if "challenge" in kinds and user_can(user, "allocation.view"):
        for c in (
            Challenge.objects.filter(allocation__in=budgets, status=Challenge.Status.OPEN)
            .select_related("allocation__person")
            .order_by("respond_by")[:SHOWN]
        ):
            rows.append(
                Waiting(
                    what=f"{_whose(user, c.allocation.person)} request to look again at the budget",
                    person=c.allocation.person,
                    href=reverse("allocation:detail", args=[c.allocation_id]),
                    next_step="A manager who did not work out the amount looks again and "
                    "writes to you with the decision and the reasons.",
                    by=c.respond_by,
                )
            )
    if "review" in kinds and user_can(user, "plan.view"):
        for r in (
            Review.objects.filter(
                plan__in=plans_visible_to(user),
                status=Review.Status.DUE,
                kind__in=[Review.Kind.REQUESTED, Review.Kind.CHANGE],
            )
            .select_related("plan__person")
            .order_by("due_date")[:SHOWN]
        ):
            rows.append(
                Waiting(
                    what=f"{_whose(user, r.plan.person)} review that was asked for",
                    person=r.plan.person,
                    href=reverse("planning:detail", args=[r.plan_id]),
                    next_step="Your named worker will contact you to arrange the review.",
                    by=r.due_date,
                )
            )
    changes = requests_visible_to(user).filter(status=ChangeRequest.Status.WAITING)
    for change in changes[:SHOWN] if "change" in kinds else []:
        rows.append(
            Waiting(
                what=f"{_whose(user, change.person)} request to change ‘{change.line.description}’",
                person=change.person,
                href=reverse("changes:request", args=[change.pk]),
                next_step="Your named worker decides and tells you why. This is a request, "
                "not a review: the amount of the budget is not looked at again.",
                by=change.decide_by,
            )
        )
    notices = notices_visible_to(user).filter(status="given", takes_effect_on__gt=today)
    for n in notices[:SHOWN] if "notice" in kinds else []:
        stop = n.change == "stop"
        held = "direct payment" if n.applies_to == "direct_payment" else "personal budget"
        rows.append(
            Waiting(
                what=f"{_whose(user, n.person)} {held} will be "
                + ("stopped" if stop else "reduced"),
                person=n.person,
                href=reverse("budgets:notice", args=[n.pk]),
                next_step="The change takes effect on the date given. Read the letter: it "
                "says why and how to ask the council to look again before then.",
                by=n.takes_effect_on,
            )
        )
    cases = open_cases(user).filter(letter_sent_on__isnull=False)
    for case in cases[:SHOWN] if "recovery" in kinds else []:
        explain = case.status == "letter_sent"
        rows.append(
            Waiting(
                what=f"{_whose(user, case.person)} direct payment account has more money in "
                "it than may be kept",
                person=case.person,
                href=reverse("recovery:yours", args=[case.pk]),
                next_step="Tell us why the money is there: nothing is taken back before you "
                "have been heard."
                if explain
                else f"The council is working on it: {case.get_status_display().lower()}.",
                by=case.explain_by if explain else None,
            )
        )
    if "payment" in kinds and user_can(user, "money.view"):
        for p in (
            PaymentProblem.objects.filter(
                person__in=look_subjects_for(user), status=PaymentProblem.Status.RETURNED
            )
            .select_related("person", "line")
            .order_by("returned_on", "pk")[:SHOWN]
        ):
            rows.append(
                Waiting(
                    what=f"{_whose(user, p.person)} payment of {pounds(p.amount_pence)} for "
                    f"{p.line.period_starts_on:%-d %B %Y} did not go through",
                    person=p.person,
                    href=reverse("money:person", args=[p.person_id]),
                    next_step="The bank sent it back. It will be paid again"
                    + (
                        ": the council will contact you about the bank details first."
                        if p.reason in DETAILS_WRONG
                        else "."
                    ),
                )
            )
    rows.sort(key=lambda w: (w.by is None, w.by or today))
    return rows
