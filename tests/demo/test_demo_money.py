"""The demo council's money (issue 12): a year of payments paid by the payments app's own
runs, statements with flags, the quarter's sample, a risk and recovery cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Min

from selfdirect.charging.models import FinancialAssessment
from selfdirect.demo.generator import demo_council_build
from selfdirect.demo.money import DEFERRED_BECAUSE, EXPLAINED, SUPERMARKET
from selfdirect.invoices.models import Invoice
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import PeriodPayment
from selfdirect.monitoring.models import Flag, QuarterSample, RiskRecord, Statement
from selfdirect.payments.models import PaymentLine, PaymentRun, PaymentSchedule
from selfdirect.planning.models import AssessedContribution, SupportPlan
from selfdirect.recovery.models import RecoveryCase

TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> int:
    return demo_council_build(people=200, seed=6, today=TODAY).holder_person_id


def test_a_year_of_runs_pays_every_budget_once_a_period_and_the_ledger_balances(
    council: int,
) -> None:
    report = ledger_check()
    assert report.balanced and report.problem_count == 0
    runs = list(PaymentRun.objects.select_related("prepared_by", "approved_by"))
    assert len(runs) >= 24
    assert {r.status for r in runs} == {PaymentRun.Status.PAID}
    assert {(r.prepared_by.username, r.approved_by.username) for r in runs if r.approved_by} == {
        ("finance", "finance2")
    }
    lines = PaymentLine.objects.count()
    assert report.total_paid_pence == sum(r.total_pence for r in runs) > 0
    # Each line paid exactly once: one claim per line, never two for a budget and period.
    claims = list(PeriodPayment.objects.values_list("budget_account_id", "period_key"))
    assert len(claims) == lines == len(set(claims))
    # A budget whose plan was in force a year ago is paid for every period since: 14
    # four-weekly periods or 13 months (from the anchor a year ago to this month's run).
    first_plan = {
        row["person_id"]: row["first"]
        for row in SupportPlan.objects.filter(status__in=["approved", "superseded"])
        .values("person_id")
        .annotate(first=Min("starts_on"))
    }
    paid = Counter(PaymentLine.objects.values_list("schedule_id", flat=True))
    long_standing = [
        s
        for s in PaymentSchedule.objects.all()
        if first_plan.get(s.person_id) and first_plan[s.person_id] <= s.anchor_date
    ]
    assert len(long_standing) >= 5
    for schedule in long_standing:
        assert paid[schedule.pk] == {"four_weekly": 14, "monthly": 13}[schedule.frequency]
    year_ago = TODAY - dt.timedelta(days=364)
    for schedule in long_standing:  # a year ago (monthly: the first of that month)
        expected = year_ago if schedule.frequency == "four_weekly" else year_ago.replace(day=1)
        assert schedule.anchor_date == expected


def test_schedules_pay_the_agreement_account_or_the_organisation(council: int) -> None:
    schedules = list(PaymentSchedule.objects.select_related("agreement", "organisation"))
    assert schedules
    for schedule in schedules:
        assert len(schedule.sort_code) == 6 and len(schedule.account_number) == 8
        if schedule.deployment == "direct_payment":
            assert schedule.agreement is not None and schedule.organisation is None
            if schedule.agreement.sort_code:
                assert schedule.sort_code == schedule.agreement.sort_code
        elif schedule.deployment == "isf":
            assert schedule.organisation is not None
            assert schedule.payee_name == schedule.organisation.name
    assert {s.deployment for s in schedules} >= {"direct_payment", "isf"}


def test_statements_flags_the_sample_a_risk_and_recovery_cases(council: int) -> None:
    statements = Statement.objects.all()
    assert statements.count() == 4
    # The demo holder uploaded theirs and explained the supermarket item in their words.
    own = Statement.objects.get(person_id=council)
    assert own.uploaded_by.username == "holder"
    flag = Flag.objects.get(statement=own, transaction__description=SUPERMARKET)
    assert flag.status == Flag.Status.EXPLAINED and flag.explanation == EXPLAINED
    assert flag.explained_by.username == "holder"
    cleared = Flag.objects.get(status=Flag.Status.CLEARED)
    assert cleared.decided_by.username == "finance"
    assert cleared.statement.uploaded_by.username == "finance2"
    assert Flag.objects.filter(kind="surplus", status=Flag.Status.OPEN).count() == 1
    # Wages through the payroll bureau and the taxi are not flagged.
    assert not Flag.objects.filter(transaction__description__contains="PAYROLL").exists()
    assert not Flag.objects.filter(transaction__description__contains="TAXI").exists()
    sample = QuarterSample.objects.get()
    assert sample.quarter == "2026-Q4" and sample.members.exists()
    assert RiskRecord.objects.filter(high_risk=True).count() == 1
    cases = {c.status: c for c in RecoveryCase.objects.all()}
    assert set(cases) == {RecoveryCase.Status.LETTER_SENT, RecoveryCase.Status.RECOVERING}
    surplus = Flag.objects.get(kind="surplus")
    assert cases[RecoveryCase.Status.LETTER_SENT].person_id == surplus.person_id
    recovering = cases[RecoveryCase.Status.RECOVERING]
    assert recovering.decided_by.username == "finance2"
    assert recovering.opened_by.username == "finance"
    amounts = list(recovering.instalments.values_list("amount_pence", flat=True))
    assert len(amounts) == 6 and sum(amounts) == recovering.decided_pence > 0


def test_money_people_limits_the_payments_to_the_first_people() -> None:
    summary = demo_council_build(people=120, seed=6, today=TODAY, money_people=10)
    people = set(PaymentSchedule.objects.values_list("person_id", flat=True))
    assert people and max(people) < summary.holder_person_id + 10
    assert summary.counts["payment schedules"] == PaymentSchedule.objects.count()


def test_provider_invoices_and_financial_assessments(council: int) -> None:
    invoices = {i.status: i for i in Invoice.objects.select_related("provider", "entered_by")}
    assert set(invoices) == {
        Invoice.Status.CHECKED,
        Invoice.Status.APPROVED,
        Invoice.Status.PAID,
    }
    for invoice in invoices.values():
        assert invoice.entered_by.username == "provider"
        assert invoice.provider == invoice.entered_by.profile.provider
        assert invoice.total_pence > 0
    assert invoices[Invoice.Status.PAID].decided_by.username == "finance"
    # The ledger shows what the paid invoice moved, and it still balances.
    assert ledger_check().balanced
    done = FinancialAssessment.objects.get(status=FinancialAssessment.Status.COMPLETED)
    assert AssessedContribution.objects.filter(person_id=done.person_id).exists()
    deferred = FinancialAssessment.objects.get(status=FinancialAssessment.Status.DEFERRED)
    assert deferred.person_id != done.person_id
    assert deferred.deferred_reason == DEFERRED_BECAUSE
    assert deferred.deferred_until == TODAY + dt.timedelta(days=28)
    assert done.working and done.weekly_charge_pence is not None
