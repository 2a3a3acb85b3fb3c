"""Recovery with due process: a surplus starts a case, not a deduction; each step is dated
and audited; nothing is recovered without a recorded decision; an appeal pauses
collection and, upheld, returns what was taken by reversing entries."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.ledger.models import Account, Transaction
from selfdirect.recovery import services as S
from selfdirect.recovery.models import RecoveryCase, RecoveryInstalment
from tests.recovery.cases import TODAY, with_surplus

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _dp_balance(council: Any) -> int:
    return Account.objects.get(
        kind="budget", person=council.holder_person, deployment="direct_payment"
    ).balance_pence


def _open(council: Any, **overrides: Any) -> RecoveryCase:
    agreement = with_surplus(council)
    return S.recovery_case_open(
        actor=council.finance,
        agreement=agreement,
        **{"source": "ledger", "balance_on": TODAY, **overrides},
    )


def _explained(council: Any) -> RecoveryCase:
    case = _open(council)
    S.recovery_letter_send(actor=council.finance, case=case)
    return S.recovery_explanation_record(
        actor=council.users[Role.HOLDER],
        case=case,
        kind="holiday",
        explanation="I am saving for a week by the sea in June",
    )


def _recovering(council: Any, count: int = 3, first: dt.date = TODAY) -> RecoveryCase:
    case = _explained(council)
    S.recovery_decide(actor=council.finance2, case=case, decision="all", reasons="Not needed")
    S.recovery_plan_set(
        actor=council.finance, case=case, kind="instalments", first_due_on=first, count=count
    )
    return case


def _ledger_check() -> dict[str, Any]:
    out = StringIO()
    call_command("ledger_check", "--json", stdout=out)
    return dict(json.loads(out.getvalue()))


def test_a_surplus_opens_a_case_with_its_working_and_the_rule_agreed(council: Any) -> None:
    case = _open(council)
    assert (case.balance_pence, case.weekly_pence, case.contingency_weeks) == (40000, 3000, 8)
    assert (case.allowance_pence, case.surplus_pence) == (24000, 16000)
    assert [pence for _, pence in case.working] == [40000, -24000, 16000]
    assert "agreed to use it only to meet the needs in the support plan" in case.rule_wording
    assert "8 weeks" in case.rule_wording
    assert case.status == "opened"
    # A case, not a deduction: the ledger is untouched.
    assert _dp_balance(council) == 40000
    assert not Transaction.objects.filter(kind="recovery").exists()
    assert Event.objects.filter(object_type="recovery_case", object_id=str(case.pk)).exists()


def test_a_statement_balance_needs_its_reference_and_no_surplus_opens_no_case(
    council: Any,
) -> None:
    agreement = with_surplus(council)
    with pytest.raises(S.RecoveryError) as refused:
        S.recovery_case_open(
            actor=council.finance,
            agreement=agreement,
            source="statement",
            balance_on=TODAY,
            balance_pence=50000,
        )
    assert (str(refused.value), refused.value.field) == (
        S.STATEMENT_REFERENCE_NEEDED,
        "source_reference",
    )
    with pytest.raises(S.RecoveryError) as refused:
        S.recovery_case_open(
            actor=council.finance,
            agreement=agreement,
            source="typed",
            balance_on=TODAY,
            balance_pence=24000,
        )
    assert str(refused.value) == S.NO_SURPLUS.format(
        balance="£240.00", allowance="£240.00", weeks=8, weekly="£30.00"
    )
    case = S.recovery_case_open(
        actor=council.finance,
        agreement=agreement,
        source="statement",
        balance_on=TODAY,
        balance_pence=50000,
        source_reference="Bank statement 31 Oct p2",
    )
    assert case.surplus_pence == 26000
    assert "from statement Bank statement 31 Oct p2" in case.working[0][0]
    with pytest.raises(S.RecoveryError, match=S.CASE_OPEN):
        S.recovery_case_open(
            actor=council.finance, agreement=agreement, source="ledger", balance_on=TODAY
        )
    assert RecoveryCase.objects.count() == 1


def test_the_steps_are_dated_and_the_explanation_is_the_persons_words(council: Any) -> None:
    case = _open(council)
    with pytest.raises(S.RecoveryError, match=S.LETTER_NOT_SENT):
        S.recovery_explanation_record(
            actor=council.users[Role.HOLDER], case=case, kind="holiday", explanation="x"
        )
    S.recovery_letter_send(actor=council.finance, case=case)
    assert case.letter_sent_on == TODAY and case.explain_by == TODAY + 28 * DAY
    with pytest.raises(S.RecoveryError) as refused:
        S.recovery_explanation_record(
            actor=council.users[Role.HOLDER], case=case, kind="holiday", explanation="  "
        )
    assert refused.value.field == "explanation"
    S.recovery_adjustments_record(
        actor=council.finance, case=case, adjustments="Easy read letter; phoned to explain"
    )
    S.recovery_explanation_record(
        actor=council.users[Role.REPRESENTATIVE],
        case=case,
        kind="annual_costs",
        explanation="Our PA's holiday pay is due in August",
        evidence_note="Her contract",
    )
    case.refresh_from_db()
    assert case.status == "explained" and case.explained_on == TODAY
    assert case.explanation == "Our PA's holiday pay is due in August"
    assert case.adjustments_on == TODAY


def test_the_officer_who_opened_the_case_cannot_decide_it(council: Any) -> None:
    case = _explained(council)
    with pytest.raises(S.RecoveryError, match=S.OWN_CASE):
        S.recovery_decide(actor=council.finance, case=case, decision="all", reasons="x")
    case.refresh_from_db()
    assert case.decided_on is None


def test_no_decision_before_the_explanation_period_ends_unless_the_person_replied(
    council: Any,
) -> None:
    case = _open(council)
    with pytest.raises(S.RecoveryError, match=S.LETTER_NOT_SENT):
        S.recovery_decide(actor=council.finance2, case=case, decision="all", reasons="x")
    S.recovery_letter_send(actor=council.finance, case=case)
    explain_by = f"{case.explain_by:%-d %B %Y}"
    with pytest.raises(S.RecoveryError) as refused:
        S.recovery_decide(actor=council.finance2, case=case, decision="all", reasons="x")
    assert str(refused.value) == S.TOO_EARLY.format(explain_by=explain_by)
    with pytest.raises(S.RecoveryError):
        S.recovery_decide(
            actor=council.finance2,
            case=case,
            decision="all",
            reasons="x",
            today=case.explain_by,
        )
    # The day after the period ends, with no reply, the decision may be made.
    S.recovery_decide(
        actor=council.finance2,
        case=case,
        decision="part",
        amount_pence=5000,
        reasons="Kept £110 for the holiday",
        today=case.explain_by + DAY,
    )
    assert (case.status, case.decided_pence) == ("decided", 5000)


def test_deciding_part_needs_an_amount_below_the_surplus_and_nothing_closes(
    council: Any,
) -> None:
    case = _explained(council)
    for amount in (None, 0, 16000, 20000):
        with pytest.raises(S.RecoveryError) as refused:
            S.recovery_decide(
                actor=council.finance2, case=case, decision="part", amount_pence=amount, reasons="x"
            )
        assert refused.value.field == "amount_pence"
    S.recovery_decide(
        actor=council.finance2, case=case, decision="nothing", reasons="A planned holiday"
    )
    assert (case.status, case.decided_pence, case.closed_on) == ("closed", 0, TODAY)
    with pytest.raises(S.RecoveryError, match=S.NOT_APPEALABLE):
        S.recovery_appeal(actor=council.users[Role.HOLDER], case=case, appeal="x")


def test_the_instalments_add_up_exactly_to_the_decision(council: Any) -> None:
    case = _recovering(council, count=3)
    amounts = list(case.instalments.values_list("amount_pence", flat=True))
    assert amounts == [5334, 5333, 5333] and sum(amounts) == case.decided_pence == 16000
    assert case.status == "recovering" and case.plan_kind == "instalments"
    with pytest.raises(S.RecoveryError, match=S.PLAN_SET):
        S.recovery_plan_set(
            actor=council.finance, case=case, kind="one_sum", first_due_on=TODAY, count=1
        )


def test_no_recovery_is_posted_without_a_recorded_decision(council: Any) -> None:
    case = _explained(council)
    # An instalment on a case with no decision (as if written round the services).
    instalment = RecoveryInstalment.objects.create(
        case=case, number=1, due_on=TODAY, amount_pence=1000
    )
    RecoveryCase.objects.filter(pk=case.pk).update(status="recovering")
    with pytest.raises(S.RecoveryError, match=S.NO_DECISION):
        S.recovery_instalment_collect(instalment=instalment)
    collected, problems = S.recovery_collect()
    assert collected == [] and problems and S.NO_DECISION in problems[0]
    assert not Transaction.objects.filter(kind="recovery").exists()
    assert _dp_balance(council) == 40000
    with pytest.raises(S.RecoveryError, match=S.NOT_DECIDED_TO_RECOVER):
        S.recovery_plan_set(
            actor=council.finance, case=case, kind="one_sum", first_due_on=TODAY, count=1
        )


def test_collecting_twice_recovers_once_and_only_what_is_due(council: Any) -> None:
    case = _recovering(council, count=3)
    call_command("recovery_collect", stdout=StringIO())
    call_command("recovery_collect", stdout=StringIO())
    collected, _ = S.recovery_collect()
    assert collected == []
    recoveries = Transaction.objects.filter(kind="recovery")
    assert recoveries.count() == 1
    [entry] = recoveries
    assert entry.approved_by == council.finance2 and entry.prepared_by == council.finance
    assert entry.source_reference.startswith(f"Recovery case {case.pk}: decision of ")
    assert _dp_balance(council) == 40000 - 5334
    # Later instalments come on their dates.
    first, second, third = case.instalments.all()
    with pytest.raises(S.RecoveryError, match="not due until"):
        S.recovery_instalment_collect(instalment=second)
    with pytest.raises(S.RecoveryError, match=S.COLLECTED_ALREADY):
        S.recovery_instalment_collect(instalment=first)
    S.recovery_collect(today=third.due_on)
    S.recovery_collect(today=third.due_on)
    case.refresh_from_db()
    assert case.status == "closed"
    assert _dp_balance(council) == 40000 - 16000
    assert Transaction.objects.filter(kind="recovery").count() == 3
    assert _ledger_check()["balanced"] is True


def test_an_appeal_pauses_collection_and_upheld_returns_what_was_taken(council: Any) -> None:
    case = _recovering(council, count=2)
    S.recovery_collect()
    assert _dp_balance(council) == 32000
    S.recovery_appeal(
        actor=council.users[Role.HOLDER], case=case, appeal="The money is for my holiday"
    )
    assert case.status == "appealed"
    second = case.instalments.get(number=2)
    with pytest.raises(S.RecoveryError, match=S.APPEAL_PAUSES):
        S.recovery_instalment_collect(instalment=second, today=second.due_on)
    assert S.recovery_collect(today=second.due_on)[0] == []
    manager = council.users[Role.MANAGER]
    with pytest.raises(S.RecoveryError, match=S.APPEAL_OWN_DECISION):
        S.recovery_appeal_decide(actor=council.finance2, case=case, outcome="upheld", reasons="x")
    S.recovery_appeal_decide(
        actor=manager, case=case, outcome="upheld", reasons="A planned holiday"
    )
    assert case.status == "closed" and case.appeal_outcome == "upheld"
    assert _dp_balance(council) == 40000
    reversal = Transaction.objects.get(kind="reversal")
    assert reversal.reverses.kind == "recovery"
    second.refresh_from_db()
    assert second.cancelled_on == TODAY and second.posting is None
    assert S.recovery_collect(today=second.due_on)[0] == []
    check = _ledger_check()
    assert check["balanced"] is True


def test_a_dismissed_appeal_resumes_collection(council: Any) -> None:
    case = _recovering(council, count=2)
    S.recovery_collect()
    S.recovery_appeal(actor=council.users[Role.REPRESENTATIVE], case=case, appeal="Unfair")
    with pytest.raises(S.RecoveryError, match=S.APPEALED_ALREADY):
        S.recovery_appeal(actor=council.users[Role.HOLDER], case=case, appeal="Again")
    S.recovery_appeal_decide(
        actor=council.users[Role.MANAGER], case=case, outcome="dismissed", reasons="Not needed"
    )
    assert case.status == "recovering"
    second = case.instalments.get(number=2)
    S.recovery_collect(today=second.due_on)
    case.refresh_from_db()
    assert case.status == "closed" and _dp_balance(council) == 24000


def test_an_appeal_after_the_appeal_period_is_refused(council: Any) -> None:
    case = _recovering(council, count=1, first=TODAY + 60 * DAY)
    until = S.appeal_until(case)
    assert until == TODAY + 28 * DAY
    with pytest.raises(S.RecoveryError) as refused:
        S.recovery_appeal(
            actor=council.users[Role.HOLDER], case=case, appeal="Late", today=until + DAY
        )
    assert str(refused.value) == S.APPEAL_TOO_LATE.format(until=f"{until:%-d %B %Y}")
    case.refresh_from_db()
    assert case.status == "recovering" and case.appealed_on is None


def test_a_closed_case_cannot_be_appealed_while_a_newer_one_is_open(council: Any) -> None:
    from selfdirect.ledger.services import budget_payment_post

    case = _recovering(council, count=1)
    S.recovery_collect()
    case.refresh_from_db()
    assert case.status == "closed"
    budget_payment_post(
        actor=council.finance,
        approved_by=council.finance2,
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-02",
        amount_pence=30000,
        effective_date=TODAY,
    )
    newer = S.recovery_case_open(
        actor=council.finance, agreement=case.agreement, source="ledger", balance_on=TODAY
    )
    assert newer.surplus_pence == 30000
    with pytest.raises(S.RecoveryError, match=S.APPEAL_ANOTHER_OPEN):
        S.recovery_appeal(actor=council.users[Role.HOLDER], case=case, appeal="Unfair")
    case.refresh_from_db()
    assert case.status == "closed" and case.appealed_on is None


def test_the_database_refuses_a_decision_by_the_opener(council: Any) -> None:
    from django.db import IntegrityError, transaction

    case = _explained(council)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryCase.objects.filter(pk=case.pk).update(
            decision="all", decided_pence=16000, decided_by=council.finance, decided_on=TODAY
        )


def test_an_instalment_the_account_cannot_cover_stays_due_and_is_reported(council: Any) -> None:
    from selfdirect.ledger.services import holding_switch_post

    case = _recovering(council, count=1)
    holding_switch_post(
        actor=council.finance,
        person=council.holder_person,
        from_deployment="direct_payment",
        to_deployment="isf",
        amount_pence=30000,
        effective_date=TODAY,
    )
    collected, problems = S.recovery_collect()
    assert collected == []
    from selfdirect.ledger.services import MORE_THAN_HELD, budget_account

    account = budget_account(council.holder_person, "direct_payment")
    held = MORE_THAN_HELD.format(account=str(account).lower(), held="£100.00")
    assert problems == [f"Recovery case {case.pk}, recovery 1: {held}"]
    instalment = case.instalments.get()
    assert instalment.posting is None and instalment.collected_on is None
    assert not Transaction.objects.filter(kind="recovery").exists()
    case.refresh_from_db()
    assert case.status == "recovering"
