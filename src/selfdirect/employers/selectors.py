"""Who sees a person's PA records, and the reads the pages need (decision 0043).

The person and their representative (their own), the practitioners and managers of the
person's team, and the finance officer who is the link person of the person's direct
payment agreement. No one else: not a carer, a provider, a planner or the rest of finance.
A record outside that answers 404 and is recorded as refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import look_refused, record_or_refused
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.employers import rules
from selfdirect.employers.models import (
    EmployerCostRates,
    EmployerInsurance,
    PaLink,
    PersonalAssistant,
    Timesheet,
)
from selfdirect.ledger.models import Account
from selfdirect.ledger.selectors import account_balance, person_accounts
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to
from selfdirect.planning.figures import budget_figures, plan_in_force
from selfdirect.record_fields import stored_fields

PA_CATEGORY = "personal_assistant"
DIRECT_PAYMENT = "direct_payment"


PERSON_ROLES = frozenset({Role.HOLDER, Role.REPRESENTATIVE, Role.PRACTITIONER, Role.MANAGER})


def employers_visible_to(user: AnyUser) -> QuerySet[Person]:
    """The people whose PA records ``user`` may see: the one rule for this app."""
    roles = roles_of(user)
    condition = Q(pk__in=[])
    if roles & PERSON_ROLES:
        condition |= Q(pk__in=_people_by_person_roles(user, roles).values("pk"))
    if Role.FINANCE in roles:
        linked = DirectPaymentAgreement.objects.filter(
            link_officer_id=getattr(user, "pk", None), status="active"
        ).values("person_id")
        condition |= Q(pk__in=linked)
    return Person.objects.filter(condition)


def _people_by_person_roles(user: AnyUser, roles: frozenset[str]) -> QuerySet[Person]:
    """people_visible_to (the council's person-scope rule) for ``user`` with only the
    roles that reach PA records: a user who is also a carer, planner or provider must not
    reach PA records through those roles. The rule reads the roles when it is called."""
    keep = roles & PERSON_ROLES
    if keep == roles:
        return people_visible_to(user)
    cached = "_selfdirect_roles"  # access.selectors.roles_of's per-request cache
    setattr(user, cached, frozenset(keep))
    try:
        return people_visible_to(user)
    finally:
        setattr(user, cached, roles)


def employer_for(user: AnyUser, person_id: int) -> Person:
    """The person, if ``user`` may see their PA records; otherwise 404 (recorded)."""
    try:
        return employers_visible_to(user).select_related("team").get(pk=person_id)
    except Person.DoesNotExist as missing:
        raise look_refused(actor=user, model=Person, object_id=person_id) from missing


def assistant_for(user: AnyUser, assistant_id: int) -> PersonalAssistant:
    return record_or_refused(
        PersonalAssistant.objects.filter(person__in=employers_visible_to(user)).select_related(
            "person", "person__team"
        ),
        actor=user,
        object_id=assistant_id,
        person_path="person_id",
    )


def timesheet_for(user: AnyUser, timesheet_id: int) -> Timesheet:
    return record_or_refused(
        Timesheet.objects.filter(person__in=employers_visible_to(user)).select_related(
            "person", "assistant"
        ),
        actor=user,
        object_id=timesheet_id,
        person_path="person_id",
    )


def link_for(user: AnyUser, link_id: int) -> PaLink:
    """A PA's timesheet link, if ``user`` may see the PA's employer's records; else 404."""
    return record_or_refused(
        PaLink.objects.filter(assistant__person__in=employers_visible_to(user)).select_related(
            "assistant", "assistant__person"
        ),
        actor=user,
        object_id=link_id,
        person_path="assistant__person_id",
    )


def links_of(assistant: PersonalAssistant) -> list[PaLink]:
    """The PA's timesheet links, newest first."""
    return list(PaLink.objects.filter(assistant=assistant).select_related("created_by"))


def timesheets_of_assistant(assistant: PersonalAssistant) -> QuerySet[Timesheet]:
    """One PA's own timesheets, newest week first (what the PA sees on their link)."""
    return Timesheet.objects.filter(assistant=assistant).order_by("-week_starting", "-id")


def _employed(person: Person, on: dt.date | None) -> QuerySet[PersonalAssistant]:
    rows = PersonalAssistant.objects.filter(person=person)
    if on is not None:
        rows = rows.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
    return rows


def assistants_of(person: Person, *, on: dt.date | None = None) -> list[PersonalAssistant]:
    """The person's PAs employed on ``on`` (every PA ever, without a date)."""
    return list(_employed(person, on).prefetch_related("training"))


def assistants_employed(person: Person, *, on: dt.date) -> int:
    """How many PAs the person employs on ``on`` (the person page's line): counted, not
    read with their training."""
    return _employed(person, on).count()


def insurance_of(person: Person) -> EmployerInsurance | None:
    """The policy that runs latest (a renewal is a new record)."""
    return EmployerInsurance.objects.filter(person=person).first()


def timesheets_of(person: Person) -> QuerySet[Timesheet]:
    return Timesheet.objects.filter(person=person).select_related(
        "assistant", "entered_by", "approved_by"
    )


def rates_on(on: dt.date) -> EmployerCostRates | None:
    """The rates of the tax year ``on`` falls in (the latest row from on or before it)."""
    return EmployerCostRates.objects.filter(effective_from__lte=on).first()


@dataclass(frozen=True)
class Gap:
    """The true cost a week set against a figure a week: over it (or not) by ``pence``."""

    figure_pence: int
    over: bool
    pence: int


@dataclass(frozen=True)
class TrueCost:
    """The employer's true cost set against the plan and the budget, a week."""

    on: dt.date
    rates: EmployerCostRates
    cost: rules.EmployerCost
    plan_pa_week_pence: int | None  # the plan's personal assistant lines
    direct_payment_week_pence: int | None  # the plan's lines held as a direct payment
    budget_week_pence: int | None  # the personal budget

    def _gap(self, figure: int | None) -> Gap | None:
        if figure is None:
            return None
        difference = self.cost.total_week_pence - figure
        return Gap(figure_pence=figure, over=difference > 0, pence=abs(difference))

    @property
    def plan_gap(self) -> Gap | None:
        """Against the plan's personal assistant lines."""
        return self._gap(self.plan_pa_week_pence)

    @property
    def direct_payment_gap(self) -> Gap | None:
        return self._gap(self.direct_payment_week_pence)

    @property
    def budget_gap(self) -> Gap | None:
        return self._gap(self.budget_week_pence)


def true_cost(
    person: Person,
    *,
    on: dt.date,
    assistants: list[rules.Assistant] | None = None,
    claims_employment_allowance: bool = False,
) -> TrueCost | None:
    """The true cost of the person's PAs on ``on`` (or of ``assistants``, for a what-if)
    against their plan in force and budget; None when no rates cover the date."""
    rates = rates_on(on)
    if rates is None:
        return None
    if assistants is None:
        assistants = [a.as_assistant() for a in assistants_of(person, on=on)]
    policy = insurance_of(person)
    cost = rules.employer_cost(
        assistants,
        rates.as_rates(),
        claims_employment_allowance=claims_employment_allowance,
        insurance_year_pence=policy.premium_year_pence if policy else None,
    )
    plan = plan_in_force(person.pk, on)
    lines = list(plan.lines.all()) if plan is not None else []
    figures = budget_figures(person=person, on=on)
    return TrueCost(
        on=on,
        rates=rates,
        cost=cost,
        plan_pa_week_pence=(
            sum(line.weekly_cost_pence for line in lines if line.category == PA_CATEGORY)
            if plan is not None
            else None
        ),
        direct_payment_week_pence=(
            sum(line.weekly_cost_pence for line in lines if line.deployment == DIRECT_PAYMENT)
            if plan is not None
            else None
        ),
        budget_week_pence=figures.personal_budget_weekly_pence,
    )


@dataclass(frozen=True)
class ExpectedSpend:
    """Approved timesheets over the last weeks, against the direct payment for those weeks."""

    weeks: int
    start: dt.date
    end: dt.date
    approved_pence: int
    approved_hours_hundredths: int
    waiting: int  # timesheets entered and not yet approved
    direct_payment_pence: int | None
    # What the ledger shows the council paid into the direct payment over the same days
    # (payments less reversals); None when the person has no direct payment account.
    paid_in_pence: int | None = None


def expected_spend(person: Person, *, today: dt.date, weeks: int = 4) -> ExpectedSpend | None:
    """The PA pay the approved timesheets of the last ``weeks`` weeks commit the person to
    (hours x rate), and the direct payment for as many weeks; None if they employ no PA."""
    if not PersonalAssistant.objects.filter(person=person).exists():
        return None
    end = today
    start = today - dt.timedelta(weeks=weeks)
    sheets = Timesheet.objects.filter(
        person=person, week_starting__gt=start, week_starting__lte=end
    )
    approved = sheets.filter(status=Timesheet.Status.APPROVED).aggregate(
        pence=Sum("amount_pence"), hours=Sum("hours_hundredths")
    )
    plan = plan_in_force(person.pk, today)
    dp_week = (
        sum(
            line.weekly_cost_pence for line in plan.lines.all() if line.deployment == DIRECT_PAYMENT
        )
        if plan is not None
        else None
    )
    return ExpectedSpend(
        weeks=weeks,
        start=start + dt.timedelta(days=1),
        end=end,
        approved_pence=approved["pence"] or 0,
        approved_hours_hundredths=approved["hours"] or 0,
        waiting=sheets.filter(status=Timesheet.Status.ENTERED).count(),
        direct_payment_pence=dp_week * weeks if dp_week is not None else None,
        paid_in_pence=direct_payment_paid_in(person, after=start, to=end),
    )


def direct_payment_paid_in(person: Person, *, after: dt.date, to: dt.date) -> int | None:
    """What the ledger shows the council paid into the person's direct payment from the day
    after ``after`` to ``to`` (both budget balances read from the ledger's postings, so a
    reversed payment counts for nothing); None when there is no direct payment account."""
    accounts = person_accounts(person).filter(kind=Account.Kind.BUDGET, deployment=DIRECT_PAYMENT)
    found = list(accounts)
    if not found:
        return None
    return sum(account_balance(a, on=to) - account_balance(a, on=after) for a in found)


def reminder_days() -> int:
    """How many days before a policy runs out the person is reminded (a council setting)."""
    return int(getattr(settings, "SELFDIRECT_PA_INSURANCE_REMINDER_DAYS", 28))


def insurance_due_for_reminder(today: dt.date, days: int) -> QuerySet[EmployerInsurance]:
    """Policies expiring within ``days`` days (or already expired) with no reminder yet,
    and not replaced by a policy that runs later."""
    return EmployerInsurance.objects.filter(
        reminded_at__isnull=True, expires_on__lte=today + dt.timedelta(days=days)
    ).select_related("person")


def employer_record(person: Person) -> dict[str, list[dict[str, object]]]:
    """Everything this app holds about the person, for the whole-record export: every
    stored field of each record (ids for the staff and users named)."""

    return {
        "personal_assistants": [
            {**stored_fields(a), "training": [stored_fields(t) for t in a.training.all()]}
            for a in PersonalAssistant.objects.filter(person=person)
            .prefetch_related("training")
            .order_by("id")
        ],
        "insurance": [
            stored_fields(p) for p in EmployerInsurance.objects.filter(person=person).order_by("id")
        ],
        "timesheets": [
            stored_fields(t) for t in Timesheet.objects.filter(person=person).order_by("id")
        ],
        # The PAs' timesheet links, without the token's hash (a secret, not about them).
        "timesheet_links": [
            {k: v for k, v in stored_fields(link).items() if k != "token_hash"}
            for link in PaLink.objects.filter(assistant__person=person).order_by("id")
        ],
    }
