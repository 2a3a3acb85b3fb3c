"""Reading monitoring: the tier table in force, a person's tier and next check, the finance
list of who is due what check, statements and flags (who may see whose: the people rule,
``people.selectors.people_visible_to``), and ``surplus_for`` for recovery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from selfdirect.access.selectors import AnyUser
from selfdirect.allocation.engine import WEEKS_PER_YEAR
from selfdirect.audit.services import record_or_refused
from selfdirect.monitoring.matching import weeks_of
from selfdirect.monitoring.models import (
    Flag,
    QuarterSample,
    RiskRecord,
    SampleMember,
    Statement,
    TierTable,
)
from selfdirect.monitoring.tiers import (
    DEFAULT_RULES,
    TierDecision,
    TierRules,
    next_check_due,
    quarter_bounds,
    quarter_of,
    tier_for,
)
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to, person_for
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan
from selfdirect.planning.services import holding_mix
from selfdirect.record_fields import stored_fields

DIRECT_PAYMENT = "direct_payment"
LIST_PAGE_SIZE = 50


def contingency_weeks() -> int:
    """The council's contingency allowance, in weeks of the budget (default 8)."""
    return int(getattr(settings, "SELFDIRECT_CONTINGENCY_WEEKS", 8))


def sample_size() -> int:
    return int(getattr(settings, "SELFDIRECT_MONITORING_SAMPLE_SIZE", 10))


def tier_table_on(on: dt.date) -> TierRules:
    """The version of the tier table in force on a date (the shipped defaults before any)."""
    version = TierTable.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    return version.as_rules() if version is not None else DEFAULT_RULES


def approved_plan_on(person_id: int, on: dt.date) -> SupportPlan | None:
    plan = plan_in_force(person_id, on)
    if plan is None or plan.status not in (
        SupportPlan.Status.APPROVED,
        SupportPlan.Status.SUPERSEDED,
    ):
        return None
    return plan


def direct_payment_weekly(person: Person, on: dt.date) -> int:
    """What the plan in force pays a week by direct payment (after any switches)."""
    plan = approved_plan_on(person.pk, on)
    if plan is None:
        return 0
    return holding_mix(plan, on).get(DIRECT_PAYMENT, 0)


def risk_in_force(person: Person) -> RiskRecord | None:
    return person.monitoring_risks.select_related("recorded_by").first()


@dataclass(frozen=True)
class PersonMonitoring:
    person: Person
    on: dt.date
    weekly_pence: int
    yearly_pence: int
    decision: TierDecision
    risk: RiskRecord | None
    last_statement: Statement | None
    next_due: dt.date
    sampled_in: str  # the quarter, if drawn in this quarter's random sample
    open_flags: int

    @property
    def overdue(self) -> bool:
        return self.next_due < self.on


def person_monitoring(person: Person, on: dt.date) -> PersonMonitoring:
    """A person's tier (with the reason), when their next statement is due, and why."""
    weekly = direct_payment_weekly(person, on)
    yearly = weekly * WEEKS_PER_YEAR
    risk = risk_in_force(person)
    decision = tier_for(
        yearly_pence=yearly, high_risk=bool(risk and risk.high_risk), rules=tier_table_on(on)
    )
    last = person.monitoring_statements.order_by("-period_end", "-id").first()
    plan = approved_plan_on(person.pk, on)
    started = plan.starts_on if plan is not None else on
    due = next_check_due(
        tier=decision.tier, last_checked=last.period_end if last else None, started=started
    )
    quarter = quarter_of(on)
    sampled = SampleMember.objects.filter(sample__quarter=quarter, person=person).exists()
    if sampled:
        # Drawn in this quarter's sample: a statement by the end of the quarter at the latest.
        due = min(due, quarter_bounds(quarter)[1])
    return PersonMonitoring(
        person=person,
        on=on,
        weekly_pence=weekly,
        yearly_pence=yearly,
        decision=decision,
        risk=risk,
        last_statement=last,
        next_due=due,
        sampled_in=quarter if sampled else "",
        open_flags=person.monitoring_flags.filter(
            status__in=[Flag.Status.OPEN, Flag.Status.EXPLAINED]
        ).count(),
    )


def monitoring_population(on: dt.date) -> QuerySet[Person]:
    """People paid by direct payment under an approved plan (a line held that way, or
    switched to it), and anyone with a statement uploaded."""
    held = PlanLine.objects.filter(
        plan__person=OuterRef("pk"),
        plan__status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
        plan__starts_on__lte=on,
    ).filter(
        Q(deployment=DIRECT_PAYMENT)
        | Q(
            pk__in=LineSwitch.objects.filter(
                to_deployment=DIRECT_PAYMENT, undone_at__isnull=True, effective_date__lte=on
            ).values("line_id")
        )
    )
    uploaded = Statement.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(held) | Exists(uploaded)).order_by("search_name", "id")


def monitoring_list(
    user: AnyUser, *, on: dt.date, page: int = 1
) -> tuple[list[PersonMonitoring], int]:
    """One page of the people being monitored whom ``user`` may see, with each one's check,
    soonest due first within the page; and how many pages there are."""
    people = monitoring_population(on).filter(pk__in=people_visible_to(user).values("pk"))
    total = people.count()
    pages = max(1, (total + LIST_PAGE_SIZE - 1) // LIST_PAGE_SIZE)
    page = min(max(1, page), pages)
    chosen = list(people[(page - 1) * LIST_PAGE_SIZE : page * LIST_PAGE_SIZE])
    rows = [person_monitoring(p, on) for p in chosen]
    return sorted(rows, key=lambda r: (r.next_due, r.person.search_name)), pages


def sample_for(quarter: str) -> QuarterSample | None:
    return (
        QuarterSample.objects.filter(quarter=quarter)
        .annotate(member_count=Count("members"))
        .select_related("drawn_by")
        .first()
    )


def statements_of(person: Person) -> QuerySet[Statement]:
    return person.monitoring_statements.select_related("uploaded_by").annotate(
        open_flags=Count("flags", filter=Q(flags__status__in=["open", "explained"]))
    )


def statements_for(user: AnyUser, person_id: int) -> tuple[Person, list[Statement]]:
    """The person's statements, newest first, if the user may see the person (else 404)."""
    person = person_for(user, person_id)
    return person, list(statements_of(person))


def statement_for(user: AnyUser, statement_id: int) -> Statement:
    """One statement of a person the user may see; anyone else's: a recorded refusal, 404."""
    statements = Statement.objects.filter(
        person__in=people_visible_to(user).values("pk")
    ).select_related("person", "uploaded_by")
    return record_or_refused(statements, actor=user, object_id=statement_id)


def flag_for(user: AnyUser, flag_id: int) -> Flag:
    flags = Flag.objects.filter(person__in=people_visible_to(user).values("pk")).select_related(
        "person", "statement", "transaction"
    )
    return record_or_refused(flags, actor=user, object_id=flag_id)


def statement_detail(statement: Statement) -> tuple[list[object], list[Flag]]:
    """The statement's transactions (with their flags) and its balance flags."""
    transactions = list(
        statement.transactions.select_related("plan_line").prefetch_related("flags")
    )
    balance_flags = list(statement.flags.filter(transaction__isnull=True))
    return list(transactions), balance_flags


def surplus_for(person: Person) -> tuple[int, Decimal, dt.date, int] | None:
    """The surplus on the person's latest statement with a balance, as
    (balance in pence, weeks of budget, the balance's date, the statement's id); None if
    that balance is not above the contingency allowance (or there is no such statement).
    The weeks are of the direct payment a week recorded with the statement."""
    latest = (
        person.monitoring_statements.filter(balance_pence__isnull=False, weekly_pence__gt=0)
        .order_by("-balance_on", "-id")
        .first()
    )
    if latest is None or latest.balance_pence is None or latest.balance_on is None:
        return None
    if latest.balance_pence <= latest.weekly_pence * contingency_weeks():
        return None
    weeks = weeks_of(latest.balance_pence, latest.weekly_pence)
    assert weeks is not None
    return latest.balance_pence, weeks, latest.balance_on, latest.pk


def monitoring_record(person: Person) -> dict[str, list[dict[str, object]]]:
    """Everything monitoring holds about the person, for the whole-record export: every
    stored field of each record (ids for the people and staff named)."""

    return {
        "risk_records": [stored_fields(r) for r in person.monitoring_risks.order_by("id")],
        "samples": [
            {**stored_fields(m), "quarter": m.sample.quarter, "seed": m.sample.seed}
            for m in person.monitoring_samples.select_related("sample").order_by("id")
        ],
        "statements": [
            {
                **stored_fields(s),
                "transactions": [stored_fields(t) for t in s.transactions.all()],
                "flags": [stored_fields(f) for f in s.flags.all()],
            }
            for s in person.monitoring_statements.order_by("id").prefetch_related(
                "transactions", "flags"
            )
        ],
    }
