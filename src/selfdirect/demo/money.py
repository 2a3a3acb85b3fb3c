"""The demo council's money: a year of payments (docs/demo-data.md).

Every budget paid by a run (a direct payment, a council-managed account, an Individual
Service Fund, a third-party managed account) of the first ``money_people`` people gets a
payment schedule, four-weekly or monthly, anchored a year ago; then each month's runs up to
today are prepared by the demo finance officer, approved by the second (``finance2``) and
paid by the payments app's own run services, so the ledger holds exactly what real runs
write. Deterministic by seed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.demo.bulk import rows_insert
from selfdirect.payments.dues import FOUR_WEEKLY, MONTHLY
from selfdirect.payments.models import PAID_WAYS, PaymentRun, PaymentSchedule
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
    for person_id, kind, organisation_id in (
        FundAgreement.objects.filter(person_id__in=people)
        .order_by("pk")
        .values_list("person_id", "kind", "organisation_id")
    ):
        funds[(person_id, kind)] = organisation_id
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
        agreement_id = organisation_id = None
        if way == "direct_payment":
            agreement = agreements.get(person_id)
            payee = f"{person.given_name} {person.family_name}"
            if agreement is not None:
                agreement_id = agreement.pk
                if agreement.sort_code and agreement.account_number:
                    sort_code, account_number = agreement.sort_code, agreement.account_number
                if agreement.recipient_id is not None:
                    recipient = Person.objects.get(pk=agreement.recipient_id)
                    payee = f"{recipient.given_name} {recipient.family_name}"
        else:
            organisation_id = funds.get((person_id, way)) or (
                first_provider.pk if first_provider else None
            )
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
    today: dt.date,
    tick: Tick,
) -> dict[str, int]:
    """Schedules and a year of paid runs for these people; returns counts for the summary."""
    schedules = demo_schedules_build(person_ids=person_ids, seed=seed, actor=finance, today=today)
    tick("payment schedules", len(schedules))
    runs = demo_runs_pay(preparer=finance, approver=finance2, today=today)
    payments = sum(r.line_count for r in runs)
    tick("payments", payments)
    return {"payment schedules": len(schedules), "payment runs": len(runs), "payments": payments}
