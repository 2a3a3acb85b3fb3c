"""The demo council's money: a year of payments (docs/demo-data.md).

Every budget paid by a run (a direct payment, a council-managed account, an Individual
Service Fund, a third-party managed account) of the first ``money_people`` people gets a
payment schedule, four-weekly or monthly, anchored a year ago; then each month's runs up to
today are prepared by the demo finance officer, approved by the second (``finance2``) and
paid by the payments app's own run services, so the ledger holds exactly what real runs
write. Deterministic by seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.charging.services import (
    assessment_complete,
    assessment_defer,
    assessment_fill,
    assessment_start,
)
from selfdirect.demo.bulk import rows_insert
from selfdirect.invoices.models import Invoice
from selfdirect.invoices.services import (
    LineIn,
    invoice_approve,
    invoice_pay,
    invoice_submit,
    invoiceable_lines,
)
from selfdirect.ledger.models import Account
from selfdirect.monitoring.models import Flag
from selfdirect.monitoring.selectors import direct_payment_weekly
from selfdirect.monitoring.services import (
    flag_decide,
    flag_explain,
    risk_record,
    sample_draw,
    statement_import,
)
from selfdirect.monitoring.statements import csv_parse
from selfdirect.monitoring.tiers import quarter_of
from selfdirect.payments.dues import FOUR_WEEKLY, MONTHLY
from selfdirect.payments.models import PAID_WAYS, PaymentLine, PaymentRun, PaymentSchedule
from selfdirect.payments.selectors import PAID_PLANS
from selfdirect.payments.services import (
    PaymentError,
    run_approve,
    run_execute,
    run_prepare,
)
from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine
from selfdirect.providers.models import Provider
from selfdirect.recovery.models import RecoveryCase
from selfdirect.recovery.services import (
    recovery_case_open,
    recovery_decide,
    recovery_letter_send,
    recovery_plan_set,
)

# Money (schedules and a year of runs) for the first this-many people: a large council's
# year of payments would take longer than the rest of the build (docs/demo-data.md).
MONEY_PEOPLE = 2000
FOUR_WEEKLY_SHARE = 0.7

Tick = Callable[[str, int], None]


def _bank(rng: random.Random) -> tuple[str, str]:
    return f"40{rng.randrange(10_000):04d}", f"{rng.randrange(10_000_000, 100_000_000)}"


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def demo_schedules_build(
    *, person_ids: list[int], seed: int, actor: User, today: dt.date
) -> list[dict[str, Any]]:
    """A schedule for every budget of these people that a run pays, anchored a year ago."""
    rng = random.Random(seed + 12)
    budgets = sorted(
        set(
            PlanLine.objects.filter(
                plan__person_id__in=person_ids,
                plan__status__in=PAID_PLANS,
                plan__approved_at__isnull=False,
                provisional=False,
                deployment__in=list(PAID_WAYS),
            ).values_list("plan__person_id", "deployment")
        )
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in={p for p, _ in budgets})}
    agreements: dict[int, DirectPaymentAgreement] = {}
    for agreement in DirectPaymentAgreement.objects.filter(person_id__in=people).order_by(
        "starts_on", "pk"
    ):
        agreements[agreement.person_id] = agreement  # the latest in force
    funds: dict[tuple[int, str], int] = {}
    for person_id, kind, holder_id in (
        FundAgreement.objects.filter(person_id__in=people)
        .order_by("pk")
        .values_list("person_id", "kind", "organisation_id")
    ):
        funds[(person_id, kind)] = holder_id
    providers = {p.pk: p for p in Provider.objects.order_by("pk")}
    provider_bank = {pk: _bank(random.Random(seed * 1000 + pk)) for pk in providers}
    first_provider = next(iter(providers.values()), None)
    year_ago = today - dt.timedelta(days=364)
    rows: list[dict[str, Any]] = []
    for person_id, way in budgets:
        person = people[person_id]
        frequency = FOUR_WEEKLY if rng.random() < FOUR_WEEKLY_SHARE else MONTHLY
        anchor = year_ago if frequency == FOUR_WEEKLY else year_ago.replace(day=1)
        sort_code, account_number = _bank(rng)
        agreement_id: int | None = None
        organisation_id: int | None = None
        if way == "direct_payment":
            found = agreements.get(person_id)
            payee = f"{person.given_name} {person.family_name}"
            if found is not None:
                agreement_id = found.pk
                if found.sort_code and found.account_number:
                    sort_code, account_number = found.sort_code, found.account_number
                if found.recipient_id is not None:
                    recipient = Person.objects.get(pk=found.recipient_id)
                    payee = f"{recipient.given_name} {recipient.family_name}"
        else:
            # An ISF or third-party account is paid to the organisation holding it; a
            # council-managed account to the council's own client account.
            organisation_id = funds.get((person_id, way))
            if organisation_id is None and way != "managed_account" and first_provider:
                organisation_id = first_provider.pk
            if organisation_id is not None:
                payee = providers[organisation_id].name
                sort_code, account_number = provider_bank[organisation_id]
            else:
                payee = "Council client accounts"
        rows.append(
            dict(
                person_id=person_id,
                deployment=way,
                frequency=frequency,
                anchor_date=anchor,
                starts_on=anchor,
                ends_on=None,
                agreement_id=agreement_id,
                organisation_id=organisation_id,
                payee_name=payee[:120],
                sort_code=sort_code,
                account_number=account_number,
                created_by_id=actor.pk,
            )
        )
    rows_insert(PaymentSchedule, rows)
    # Each budget's ledger account opened now, in order, so a seed gives the same account
    # ids in every process (the runs would open them in a set's order, which varies).
    Account.objects.bulk_create(
        [
            Account(
                kind=Account.Kind.BUDGET, person_id=row["person_id"], deployment=row["deployment"]
            )
            for row in rows
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="payment_schedule",
        summary=f"Set {len(rows)} demo payment schedules, anchored on {year_ago:%d %B %Y}",
    )
    return rows


def demo_runs_pay(*, preparer: User, approver: User, today: dt.date) -> list[PaymentRun]:
    """Each month's runs from a year ago to today: prepared, approved by a second officer,
    paid through the payments app's run services (the same ledger writes as a real run)."""
    paid: list[PaymentRun] = []
    for month in _months(today - dt.timedelta(days=364), today):
        for frequency in (FOUR_WEEKLY, MONTHLY):
            try:
                run = run_prepare(actor=preparer, period=f"{month:%Y-%m}", frequency=frequency)
            except PaymentError:  # nothing due that month for this frequency
                continue
            run_approve(actor=approver, run=run)
            run_execute(run_id=run.pk)
            run.refresh_from_db()
            paid.append(run)
    return paid


def demo_money_build(
    *,
    person_ids: list[int],
    seed: int,
    finance: User,
    finance2: User,
    holder: Person,
    holder_user: User,
    provider_user: User,
    today: dt.date,
    tick: Tick,
) -> dict[str, int]:
    """Schedules and a year of paid runs for these people; returns counts for the summary."""
    schedules = demo_schedules_build(person_ids=person_ids, seed=seed, actor=finance, today=today)
    tick("payment schedules", len(schedules))
    assessments = demo_charging_build(
        schedules=schedules, seed=seed, finance=finance, holder=holder, today=today
    )
    runs = demo_runs_pay(preparer=finance, approver=finance2, today=today)
    payments = sum(r.line_count for r in runs)
    tick("payments", payments)
    monitoring = demo_monitoring_build(
        schedules=schedules,
        seed=seed,
        holder=holder,
        holder_user=holder_user,
        finance=finance,
        finance2=finance2,
        today=today,
    )
    tick("statements", monitoring["statements"])
    invoices = demo_invoices_build(
        provider_user=provider_user, finance=finance, finance2=finance2, today=today
    )
    return {
        "payment schedules": len(schedules),
        "payment runs": len(runs),
        "payments": payments,
        "financial assessments": assessments,
        **monitoring,
        "provider invoices": invoices,
    }


# --- statements, flags, the sample, a risk, recovery ----------------------------------------

SUPERMARKET = "TESCO STORES 2231"
# The personal assistant's wages, through a payroll bureau (the PAYROLL keyword rule).
WAGES = "CIRCLE PAYROLL SERVICES PA WAGES"
EXPLAINED = (
    "Food for the day trip to the coast with my personal assistant, which my plan says "
    "I can spend my budget on."
)
CLEARED = "Checked with the support plan: a one-off, agreed with the social worker."


def _money(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def demo_statement_csv(
    *, person: Person, today: dt.date, surplus: bool, weekly_pence: int
) -> bytes:
    """A made-up bank statement for the last quarter: the council's payments in (from the
    runs), personal assistant wages, a taxi, a supermarket item, and the running balance."""
    first = today - dt.timedelta(days=91)
    paid_in = list(
        PaymentLine.objects.filter(
            person=person,
            deployment="direct_payment",
            period_starts_on__gte=first,
            period_starts_on__lte=today - dt.timedelta(days=7),
        )
        .order_by("period_starts_on")
        .values_list("period_starts_on", "amount_pence")
    )
    moves: list[tuple[dt.date, str, int]] = []
    for day, pence in paid_in:
        moves.append((day, "COUNCIL DIRECT PAYMENT", pence))
        share = 25 if surplus else 85
        moves.append((day + dt.timedelta(days=3), WAGES, -pence * share // 100))
    middle = first + dt.timedelta(days=40)
    moves.append((middle, "A1 TAXI", -1450))
    moves.append((middle + dt.timedelta(days=5), SUPERMARKET, -5837))
    moves.sort(key=lambda m: m[0])
    balance = weekly_pence * (10 if surplus else 2)
    lines = ["Date,Description,Amount,Balance"]
    for day, words, pence in moves:
        balance += pence
        lines.append(f"{day:%d/%m/%Y},{words},{_money(pence)},{_money(balance)}")
    return ("\n".join(lines) + "\n").encode()


def demo_monitoring_build(
    *,
    schedules: list[dict[str, Any]],
    seed: int,
    holder: Person,
    holder_user: User,
    finance: User,
    finance2: User,
    today: dt.date,
) -> dict[str, int]:
    """Statements for a few direct-payment holders (the demo holder first, if they hold
    one), a flag explained by the person and one cleared by finance, the quarter's random
    sample, a risk, and two recovery cases (letter sent; decided with instalments)."""
    rng = random.Random(seed + 13)
    active = set(
        DirectPaymentAgreement.objects.filter(
            status=DirectPaymentAgreement.Status.ACTIVE
        ).values_list("pk", flat=True)
    )
    held = sorted(
        {
            (row["person_id"], row["agreement_id"])
            for row in schedules
            if row["deployment"] == "direct_payment" and row["agreement_id"] in active
        }
    )
    chosen = [h for h in held if h[0] == holder.pk]
    others = [h for h in held if h[0] != holder.pk]
    chosen += rng.sample(others, min(4 - len(chosen), len(others)))
    counts = {"statements": 0, "flags": 0, "recovery cases": 0}
    statements = []
    for number, (person_id, agreement_id) in enumerate(chosen):
        person = Person.objects.get(pk=person_id)
        weekly = direct_payment_weekly(person, today)
        if weekly <= 0:
            continue
        surplus = number == 2
        data = demo_statement_csv(person=person, today=today, surplus=surplus, weekly_pence=weekly)
        name = f"statement-{person.pk}-{quarter_of(today)}.csv"
        uploader = holder_user if person_id == holder.pk else finance2
        statement = statement_import(
            actor=uploader,
            person=person,
            parsed=csv_parse(data, name),
            filename=name,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        statements.append((statement, person, agreement_id, surplus))
    counts["statements"] = len(statements)
    supermarket = [
        Flag.objects.filter(statement=s, transaction__description=SUPERMARKET).first()
        for s, *_ in statements
    ]
    if supermarket and supermarket[0] is not None:
        explainer = holder_user if statements[0][1].pk == holder.pk else finance2
        flag_explain(actor=explainer, flag=supermarket[0], explanation=EXPLAINED)
    if len(supermarket) > 1 and supermarket[1] is not None:
        flag_decide(actor=finance, flag=supermarket[1], decision="clear", note=CLEARED)
    counts["flags"] = Flag.objects.count()
    sample_draw(actor=finance, quarter=quarter_of(today), seed=seed)
    if len(statements) > 1:
        risk_record(
            actor=finance,
            person=statements[1][1],
            high_risk=True,
            reason="Unexplained spending on the last two statements: quarterly checks agreed.",
        )
    # Recovery: the statement in surplus has a case whose letter is sent; another holder's
    # case was decided (after the explanation period) and is being recovered by instalments.
    for statement, _person, agreement_id, surplus in statements:
        if not surplus or statement.balance_pence is None:
            continue
        case = recovery_case_open(
            actor=finance,
            agreement=DirectPaymentAgreement.objects.get(pk=agreement_id),
            source=RecoveryCase.Source.STATEMENT,
            balance_on=statement.balance_on,
            balance_pence=statement.balance_pence,
            source_reference=statement.filename,
            today=today,
        )
        recovery_letter_send(actor=finance, case=case, today=today)
        counts["recovery cases"] += 1
    spare = [h for h in held if h not in chosen]
    if spare:
        person_id, agreement_id = spare[rng.randrange(len(spare))]
        agreement = DirectPaymentAgreement.objects.get(pk=agreement_id)
        opened_on = today - dt.timedelta(days=70)
        weekly = direct_payment_weekly(Person.objects.get(pk=person_id), opened_on)
        if weekly > 0:
            case = recovery_case_open(
                actor=finance,
                agreement=agreement,
                source=RecoveryCase.Source.TYPED,
                balance_on=opened_on,
                balance_pence=weekly * 12,
                weekly_pence=weekly,
                today=opened_on,
            )
            recovery_letter_send(actor=finance, case=case, today=opened_on)
            decided_on = today - dt.timedelta(days=14)
            recovery_decide(
                actor=finance2,
                case=case,
                decision=RecoveryCase.Decision.ALL,
                reasons="No reply in the explanation period; the surplus was not planned saving.",
                today=decided_on,
            )
            recovery_plan_set(
                actor=finance2,
                case=case,
                kind=RecoveryCase.PlanKind.INSTALMENTS,
                first_due_on=today + dt.timedelta(days=7),
                count=6,
                today=decided_on,
            )
            counts["recovery cases"] += 1
    return counts


# --- financial assessments and provider invoices ---------------------------------------------

ASSESSED_AMOUNTS = {
    "capital": {"savings": 1_600_000},
    "income": {"state_pension": 23_025, "daily_living": 7_390, "mobility": 7_705},
    "dre": {"community_alarm": 500, "heating": 1_500},
    "housing": {"council_tax": 1_000},
}
DEFERRED_BECAUSE = "Waiting for the person's pension statements; their daughter is finding them."


def demo_charging_build(
    *, schedules: list[dict[str, Any]], seed: int, finance: User, holder: Person, today: dt.date
) -> int:
    """Two financial assessments (before the runs, so what is paid takes the contribution
    off): one completed with its working from four months ago, one deferred."""
    rng = random.Random(seed + 14)
    people = sorted(
        {r["person_id"] for r in schedules if r["deployment"] == "direct_payment"} - {holder.pk}
    )
    chosen = rng.sample(people, min(2, len(people)))
    done = 0
    for number, person_id in enumerate(chosen):
        person = Person.objects.get(pk=person_id)
        assessment = assessment_start(actor=finance, person=person)
        if number == 0:
            assessment_fill(
                actor=finance,
                assessment=assessment,
                band="single_pension_age",
                disability_premium=False,
                enhanced_disability_premium=False,
                carer_premium=False,
                dependent_children=0,
                amounts=ASSESSED_AMOUNTS,
            )
            charge_from = today - dt.timedelta(days=120)
            assessment_complete(
                actor=finance,
                assessment=assessment,
                weekly_cost_pence=max(1, direct_payment_weekly(person, charge_from)),
                charge_from=charge_from,
            )
        else:
            assessment_defer(
                actor=finance,
                assessment=assessment,
                reason=DEFERRED_BECAUSE,
                until=today + dt.timedelta(days=28),
            )
        done += 1
    return done


def demo_invoices_build(
    *, provider_user: User, finance: User, finance2: User, today: dt.date
) -> int:
    """Three invoices from the demo provider for its clients' ISF or managed-account lines:
    one waiting for finance, one approved, one approved and paid."""
    provider = provider_user.profile.provider
    if provider is None:
        return 0
    start, end = today - dt.timedelta(days=35), today - dt.timedelta(days=8)
    clients = (
        Person.objects.filter(providers__provider=provider)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    made: list[Invoice] = []
    for person_id in clients:
        if len(made) == 3:
            break
        person = Person.objects.get(pk=person_id)
        lines = [
            LineIn(
                plan_line_id=line.pk,
                units_hundredths=line.quantity_hundredths * 4,
                unit_rate_pence=line.unit_cost_pence,
            )
            for line in invoiceable_lines(person, provider, end)
            if line.unit != PlanLine.Unit.ITEM
        ]
        if not lines:
            continue
        made.append(
            invoice_submit(
                actor=provider_user,
                provider=provider,
                person=person,
                period_start=start,
                period_end=end,
                reference=f"INV-{end:%Y%m}-{person.pk:05d}",
                lines=lines,
                today=today,
            )
        )
    for number, invoice in enumerate(made):
        if number >= 1:
            invoice = invoice_approve(
                actor=finance, invoice=invoice, reason="Checked against the plan and the hours"
            )
        if number == 2:
            invoice_pay(
                actor=finance2, invoice=invoice, paid_on=today - dt.timedelta(days=2), today=today
            )
    return len(made)
