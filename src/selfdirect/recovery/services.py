"""Recovering a direct payment surplus with due process (docs/recovery.md, decision 0032).
A surplus above the contingency allowance starts a case, never a deduction: the letter,
the person's explanation, reasonable adjustments, a decision by someone other than the
officer who opened the case, a recovery plan, then each instalment posted to the ledger
(``ledger.services.recovery_post``) when it falls due; an appeal pauses collection until a
manager decides it. One transaction and one audit event for each step; refusals named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.ledger.models import Account
from selfdirect.ledger.selectors import account_balance
from selfdirect.ledger.services import LedgerError, recovery_post, transaction_reverse
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.services import holding_mix
from selfdirect.recovery.models import RecoveryCase, RecoveryInstalment
from selfdirect.recovery.working import due_dates, split_evenly, surplus_working
from selfdirect.refusals import Refused, lost_race_refused

Case = RecoveryCase
DEPLOYMENT = "direct_payment"

RULE_WORDING = (
    "When the direct payment was agreed, from {starts_on}, {who} agreed to use it only to "
    "meet the needs in the support plan (Care Act 2014, section 33). Money not needed for "
    "that may be kept as a contingency of up to {weeks} weeks of the direct payment. The "
    "council may ask for money above that back (section 33(5)), but only after asking why "
    "it is there, listening to the answer and deciding, with reasons, in writing."
)

AGREEMENT_NOT_ACTIVE = "This direct payment agreement has ended: choose the one in place"
SOURCE_NEEDED = "Select where the balance comes from"
STATEMENT_REFERENCE_NEEDED = "Enter the statement's reference, such as its date and page"
BALANCE_NEEDED = "Enter the balance found"
BALANCE_DATE_NEEDED = "Enter the date of the balance"
BALANCE_DATE_FUTURE = "The date of the balance must be today or in the past"
WEEKLY_NEEDED = "Enter the direct payment a week, more than £0"
NO_SURPLUS = (
    "The balance of {balance} is not above the contingency allowance of {allowance} "
    "({weeks} weeks of {weekly}): there is no surplus to recover"
)
CASE_OPEN = "There is already an open recovery case for this direct payment"
NOT_OPENED = "The letter has already been sent"
LETTER_NOT_SENT = "Send the letter first: the person is told before anything else happens"
EXPLANATION_KIND_NEEDED = "Select what the money was being kept for"
EXPLANATION_NEEDED = "Say, in your own words, why the money is there"
ALREADY_DECIDED = "A decision has already been made on this case"
ADJUSTMENTS_NEEDED = "Describe the reasonable adjustments made for the person"
DECISION_NEEDED = "Select what has been decided"
REASONS_NEEDED = "Give the reasons for the decision"
PART_AMOUNT_NEEDED = (
    "Enter the amount to recover, more than £0 and less than the surplus of {surplus}"
)
OWN_CASE = "The officer who opened this case cannot decide it: ask another finance officer"
TOO_EARLY = (
    "The person has until {explain_by} to explain: decide after then, or once they have replied"
)
NOT_DECIDED_TO_RECOVER = "A recovery plan can only be set after a decision to recover"
PLAN_SET = "The recovery plan has already been set"
PLAN_KIND_NEEDED = "Select how the money will be recovered"
FIRST_DATE_NEEDED = "Enter the date of the first recovery"
FIRST_DATE_PAST = "The first recovery must be today or later"
COUNT_RANGE = "Enter how many, from 1 to {most}"
NO_DECISION = "Nothing is recovered without a recorded decision to recover"
APPEAL_PAUSES = "An appeal is waiting for a decision: collection is paused"
COLLECTED_ALREADY = "This instalment has already been recovered"
NOT_DUE = "This instalment is not due until {due_on}"
INSTALMENT_STOPPED = "This instalment was stopped when the appeal was upheld"
NOT_APPEALABLE = "Only a decision to recover can be appealed, once it is made"
APPEALED_ALREADY = "The decision has already been appealed"
APPEAL_TOO_LATE = "The time to appeal ended on {until}"
APPEAL_NEEDED = "Say, in your own words, why you think the decision is wrong"
NOT_APPEALED = "There is no appeal waiting for a decision"
APPEAL_ANOTHER_OPEN = (
    "A newer case on this direct payment is open: ask finance to record this appeal with it"
)
OUTCOME_NEEDED = "Select the outcome of the appeal"
APPEAL_REASONS_NEEDED = "Give the reasons for the outcome"
APPEAL_OWN_DECISION = (
    "The appeal is decided by a manager who neither opened the case nor made the decision"
)


class RecoveryError(Refused):
    """A step of a recovery refused by a rule; nothing changed."""


def contingency_weeks() -> int:
    return int(settings.SELFDIRECT_CONTINGENCY_WEEKS)


def explain_days() -> int:
    return int(getattr(settings, "SELFDIRECT_RECOVERY_EXPLAIN_DAYS", 28))


def appeal_days() -> int:
    return int(getattr(settings, "SELFDIRECT_RECOVERY_APPEAL_DAYS", 28))


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def direct_payment_weekly(agreement: DirectPaymentAgreement, on: dt.date) -> int:
    """The part of the plan in force held as a direct payment, a week, on a date."""
    plan = plan_in_force(agreement.person_id, on) or agreement.plan
    return holding_mix(plan, on).get(DEPLOYMENT, 0)


def direct_payment_balance(agreement: DirectPaymentAgreement, on: dt.date) -> int | None:
    """The ledger balance of the person's direct payment account on a date (None: no account)."""
    account = Account.objects.filter(
        kind=Account.Kind.BUDGET, person_id=agreement.person_id, deployment=DEPLOYMENT
    ).first()
    return None if account is None else account_balance(account, on)


def rule_wording(agreement: DirectPaymentAgreement, weeks: int) -> str:
    if agreement.recipient_type == DirectPaymentAgreement.Recipient.PERSON:
        who = "you"
    else:
        who = f"{agreement.recipient}, who receives it for you," if agreement.recipient else "you"
    return RULE_WORDING.format(starts_on=_day(agreement.starts_on), who=who, weeks=weeks)


def appeal_until(case: RecoveryCase) -> dt.date | None:
    return case.decided_on + dt.timedelta(days=appeal_days()) if case.decided_on else None


def _locked(case: RecoveryCase) -> RecoveryCase:
    """The case re-read under a row lock (decision 0007): its state is checked after it."""
    fresh = RecoveryCase.objects.select_for_update().get(pk=case.pk)
    for field in RecoveryCase._meta.concrete_fields:
        setattr(case, field.attname, getattr(fresh, field.attname))
    return case


def _event(actor: User, case: RecoveryCase, summary: str, changes: dict[str, Any]) -> None:
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="recovery_case",
        object_id=case.pk,
        person_id=case.person_id,
        summary=summary[:300],
        changes=changes,
    )


@lost_race_refused(lambda **_: RecoveryError(CASE_OPEN))
@transaction.atomic
def recovery_case_open(
    *,
    actor: User,
    agreement: DirectPaymentAgreement,
    source: str,
    balance_on: dt.date | None,
    balance_pence: int | None = None,
    source_reference: str = "",
    weekly_pence: int | None = None,
    today: dt.date | None = None,
) -> RecoveryCase:
    """Open a case for a surplus found on a direct payment: the balance (from the ledger,
    a statement or typed by finance), the surplus above the allowance with its working, and
    the rule the person agreed to. Refused when there is no surplus."""
    today = today or timezone.localdate()
    if agreement.status != DirectPaymentAgreement.Status.ACTIVE:
        raise RecoveryError(AGREEMENT_NOT_ACTIVE)
    if source not in Case.Source.values:
        raise RecoveryError(SOURCE_NEEDED, "source")
    if balance_on is None:
        raise RecoveryError(BALANCE_DATE_NEEDED, "balance_on")
    if balance_on > today:
        raise RecoveryError(BALANCE_DATE_FUTURE, "balance_on")
    if source == Case.Source.STATEMENT and not source_reference.strip():
        raise RecoveryError(STATEMENT_REFERENCE_NEEDED, "source_reference")
    if source == Case.Source.LEDGER:
        balance_pence = direct_payment_balance(agreement, balance_on) or 0
    elif balance_pence is None:
        raise RecoveryError(BALANCE_NEEDED, "balance_pence")
    if weekly_pence is None:
        weekly_pence = direct_payment_weekly(agreement, balance_on)
    if weekly_pence <= 0:
        raise RecoveryError(WEEKLY_NEEDED, "weekly_pence")
    weeks = contingency_weeks()
    source_words = {
        Case.Source.LEDGER: "from the council's record of payments",
        Case.Source.STATEMENT: f"from statement {source_reference.strip()}",
        Case.Source.TYPED: "found by the council's finance team",
    }[Case.Source(source)]
    working = surplus_working(
        balance_pence=balance_pence,
        weekly_pence=weekly_pence,
        weeks=weeks,
        balance_on=balance_on,
        source=source_words,
    )
    if working.surplus_pence <= 0:
        raise RecoveryError(
            NO_SURPLUS.format(
                balance=pounds(balance_pence),
                allowance=pounds(working.allowance_pence),
                weeks=weeks,
                weekly=pounds(weekly_pence),
            ),
            "balance_pence",
        )
    DirectPaymentAgreement.objects.select_for_update().filter(pk=agreement.pk).exists()
    if RecoveryCase.objects.filter(agreement=agreement).exclude(status=Case.Status.CLOSED).exists():
        raise RecoveryError(CASE_OPEN)
    case = RecoveryCase.objects.create(
        person_id=agreement.person_id,
        agreement=agreement,
        balance_pence=balance_pence,
        balance_on=balance_on,
        source=source,
        source_reference=source_reference.strip(),
        weekly_pence=weekly_pence,
        contingency_weeks=weeks,
        allowance_pence=working.allowance_pence,
        surplus_pence=working.surplus_pence,
        working=[[words, pence] for words, pence in working.lines],
        rule_wording=rule_wording(agreement, weeks),
        opened_by=actor,
        opened_on=today,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="recovery_case",
        object_id=case.pk,
        person_id=case.person_id,
        summary=f"Opened a recovery case: a surplus of {pounds(case.surplus_pence)}",
        changes={words: [None, pounds(pence)] for words, pence in working.lines},
    )
    return case


@transaction.atomic
def recovery_letter_send(
    *, actor: User, case: RecoveryCase, today: dt.date | None = None
) -> RecoveryCase:
    """Send the opening letter: the person has the explanation period from today."""
    today = today or timezone.localdate()
    _locked(case)
    if case.status != Case.Status.OPENED:
        raise RecoveryError(NOT_OPENED)
    case.status = Case.Status.LETTER_SENT
    case.letter_sent_on = today
    case.explain_by = today + dt.timedelta(days=explain_days())
    case.save(update_fields=["status", "letter_sent_on", "explain_by"])
    _event(
        actor,
        case,
        f"Sent the recovery letter: the person has until {_day(case.explain_by)} to explain",
        {
            "Status": ["Opened", case.get_status_display()],
            "Explain by": [None, str(case.explain_by)],
        },
    )
    notification_send(
        actor=actor,
        person=case.person,
        kind=Message.Kind.RECOVERY,
        subject="{Whose} direct payment account has more money in it than may be kept",
        body=(
            f"There is {pounds(case.surplus_pence)} more in {{whose}} direct payment account "
            "than may be kept. Nothing has been taken back. Please tell us why the money is "
            f"there by {_day(case.explain_by)}: for example, if it is being saved for "
            "something in the plan. Read the letter and reply on the page."
        ),
        key=f"recovery-{case.pk}-letter",
        link=reverse("recovery:yours", args=[case.pk]),
    )
    return case


@transaction.atomic
def recovery_explanation_record(
    *,
    actor: User,
    case: RecoveryCase,
    kind: str,
    explanation: str,
    evidence_note: str = "",
    today: dt.date | None = None,
) -> RecoveryCase:
    """The person's explanation in their words (they, their representative, or finance
    taking it down for them); it may be added to until a decision is made."""
    today = today or timezone.localdate()
    _locked(case)
    if case.status == Case.Status.OPENED:
        raise RecoveryError(LETTER_NOT_SENT)
    if case.decided_on is not None:
        raise RecoveryError(ALREADY_DECIDED)
    if kind not in Case.Explanation.values:
        raise RecoveryError(EXPLANATION_KIND_NEEDED, "kind")
    if not explanation.strip():
        raise RecoveryError(EXPLANATION_NEEDED, "explanation")
    before = case.explanation
    case.explanation_kind, case.explanation = kind, explanation.strip()
    case.evidence_note = evidence_note.strip()
    case.explained_on, case.explained_by = today, actor
    case.status = Case.Status.EXPLAINED
    case.save(
        update_fields=[
            "explanation_kind",
            "explanation",
            "evidence_note",
            "explained_on",
            "explained_by",
            "status",
        ]
    )
    _event(
        actor,
        case,
        f"Recorded the person's explanation: {case.get_explanation_kind_display().lower()}",
        {"Explanation": [before or None, case.explanation]},
    )
    return case


@transaction.atomic
def recovery_adjustments_record(
    *, actor: User, case: RecoveryCase, adjustments: str, today: dt.date | None = None
) -> RecoveryCase:
    """Reasonable adjustments made for the person (more time, easy read, an advocate...)."""
    today = today or timezone.localdate()
    _locked(case)
    if case.decided_on is not None:
        raise RecoveryError(ALREADY_DECIDED)
    if not adjustments.strip():
        raise RecoveryError(ADJUSTMENTS_NEEDED, "adjustments")
    before = case.adjustments
    case.adjustments, case.adjustments_on, case.adjustments_by = adjustments.strip(), today, actor
    case.save(update_fields=["adjustments", "adjustments_on", "adjustments_by"])
    _event(
        actor,
        case,
        "Recorded reasonable adjustments",
        {"Reasonable adjustments": [before or None, case.adjustments]},
    )
    return case


def decide_refusal(actor: User, case: RecoveryCase, today: dt.date) -> str | None:
    """Why ``actor`` may not decide the case today (decision 0007; the explanation period)."""
    if case.decided_on is not None or case.status == Case.Status.CLOSED:
        return ALREADY_DECIDED
    if case.letter_sent_on is None or case.explain_by is None:
        return LETTER_NOT_SENT
    if actor.pk == case.opened_by_id:
        return OWN_CASE
    if case.explained_on is None and today <= case.explain_by:
        return TOO_EARLY.format(explain_by=_day(case.explain_by))
    return None


@lost_race_refused(lambda **_: RecoveryError(ALREADY_DECIDED))
@transaction.atomic
def recovery_decide(
    *,
    actor: User,
    case: RecoveryCase,
    decision: str,
    reasons: str,
    amount_pence: int | None = None,
    today: dt.date | None = None,
) -> RecoveryCase:
    """The decision, with reasons: recover all, part (an amount) or nothing (the case
    closes). Not by the officer who opened the case; not before the explanation period
    ends unless the person has replied."""
    today = today or timezone.localdate()
    _locked(case)
    refusal = decide_refusal(actor, case, today)
    if refusal:
        raise RecoveryError(refusal)
    if decision not in Case.Decision.values:
        raise RecoveryError(DECISION_NEEDED, "decision")
    if decision == Case.Decision.PART:
        if amount_pence is None or not 0 < amount_pence < case.surplus_pence:
            raise RecoveryError(
                PART_AMOUNT_NEEDED.format(surplus=pounds(case.surplus_pence)), "amount_pence"
            )
        decided = amount_pence
    else:
        decided = case.surplus_pence if decision == Case.Decision.ALL else 0
    if not reasons.strip():
        raise RecoveryError(REASONS_NEEDED, "reasons")
    before = case.get_status_display()
    case.decision, case.decided_pence = decision, decided
    case.decision_reasons = reasons.strip()
    case.decided_by, case.decided_on = actor, today
    if decision == Case.Decision.NOTHING:
        case.status, case.closed_on = Case.Status.CLOSED, today
    else:
        case.status = Case.Status.DECIDED
    case.save(
        update_fields=[
            "decision",
            "decided_pence",
            "decision_reasons",
            "decided_by",
            "decided_on",
            "status",
            "closed_on",
        ]
    )
    _event(
        actor,
        case,
        f"Decided: {case.get_decision_display().lower()} ({pounds(decided)})",
        {
            "Status": [before, case.get_status_display()],
            "To recover": [None, pounds(decided)],
            "Reasons": [None, case.decision_reasons],
        },
    )
    _decision_tell(actor, case)
    return case


def _plain(text: str) -> str:
    """Free text put into a message's words as it is (its braces are not placeholders)."""
    return text.replace("{", "{{").replace("}", "}}")


def _decision_tell(actor: User, case: RecoveryCase) -> None:
    """Tell the person (and who acts for them) what was decided, why, and until when they
    may appeal."""
    reasons = _plain(case.decision_reasons)
    if case.decision == Case.Decision.NOTHING:
        body = f"The council has decided not to take any money back. The reasons: {reasons}"
    else:
        until = appeal_until(case)
        body = (
            f"The council has decided to take back {pounds(case.decided_pence)} of the "
            f"{pounds(case.surplus_pence)} in {{whose}} direct payment account. The reasons: "
            f"{reasons}" + (f" You can appeal until {_day(until)}." if until else "")
        )
    notification_send(
        actor=actor,
        person=case.person,
        kind=Message.Kind.RECOVERY,
        subject="A decision about the money in {whose} direct payment account",
        body=body,
        key=f"recovery-{case.pk}-decided",
        link=reverse("recovery:yours", args=[case.pk]),
    )


MOST_PERIODS = 26


@transaction.atomic
def recovery_plan_set(
    *,
    actor: User,
    case: RecoveryCase,
    kind: str,
    first_due_on: dt.date | None,
    count: int = 1,
    today: dt.date | None = None,
) -> list[RecoveryInstalment]:
    """How the decided amount is recovered: one sum, reduced payments over N four-weekly
    periods, or N monthly instalments; amounts in pence that add up to it exactly."""
    today = today or timezone.localdate()
    _locked(case)
    if case.status != Case.Status.DECIDED or not case.decided_pence:
        if case.plan_kind:
            raise RecoveryError(PLAN_SET)
        raise RecoveryError(NOT_DECIDED_TO_RECOVER)
    if case.plan_kind or case.instalments.exists():
        raise RecoveryError(PLAN_SET)
    if kind not in Case.PlanKind.values:
        raise RecoveryError(PLAN_KIND_NEEDED, "kind")
    if first_due_on is None:
        raise RecoveryError(FIRST_DATE_NEEDED, "first_due_on")
    if first_due_on < today:
        raise RecoveryError(FIRST_DATE_PAST, "first_due_on")
    if kind == Case.PlanKind.ONE_SUM:
        count = 1
    most = min(MOST_PERIODS, case.decided_pence)
    if not 1 <= count <= most:
        raise RecoveryError(COUNT_RANGE.format(most=most), "count")
    amounts = split_evenly(case.decided_pence, count)
    dates = due_dates(kind=kind, first=first_due_on, count=count)
    instalments = RecoveryInstalment.objects.bulk_create(
        RecoveryInstalment(case=case, number=n, due_on=due, amount_pence=amount)
        for n, (due, amount) in enumerate(zip(dates, amounts, strict=True), start=1)
    )
    case.plan_kind, case.plan_set_by, case.plan_set_on = kind, actor, today
    case.status = Case.Status.RECOVERING
    case.save(update_fields=["plan_kind", "plan_set_by", "plan_set_on", "status"])
    _event(
        actor,
        case,
        f"Set the recovery plan: {case.get_plan_kind_display().lower()}, {count} of them "
        f"from {_day(first_due_on)}",
        {
            f"Recovery {n}": [None, f"{pounds(amount)} on {_day(due)}"]
            for n, (due, amount) in enumerate(zip(dates, amounts, strict=True), start=1)
        },
    )
    return instalments


def collect_refusal(instalment: RecoveryInstalment, today: dt.date) -> str | None:
    case = instalment.case
    if not case.decided_by_id or case.decision not in (Case.Decision.ALL, Case.Decision.PART):
        return NO_DECISION
    if instalment.posting_id is not None:
        return COLLECTED_ALREADY
    if instalment.cancelled_on is not None:
        return INSTALMENT_STOPPED
    if case.status == Case.Status.APPEALED:
        return APPEAL_PAUSES
    if instalment.due_on > today:
        return NOT_DUE.format(due_on=_day(instalment.due_on))
    return None


@transaction.atomic
def recovery_instalment_collect(
    *, instalment: RecoveryInstalment, today: dt.date | None = None
) -> RecoveryInstalment:
    """Post one instalment that has fallen due, through the ledger's recovery movement:
    prepared by the officer who opened the case, approved by the one who decided it, the
    decision its source document. Refused without a recorded decision, during an appeal,
    or when already collected (so collecting twice recovers once)."""
    today = today or timezone.localdate()
    instalment = (
        RecoveryInstalment.objects.select_for_update().select_related("case").get(pk=instalment.pk)
    )
    case = _locked(instalment.case)
    refusal = collect_refusal(instalment, today)
    if refusal:
        raise RecoveryError(refusal)
    assert case.decided_by is not None and case.decided_on is not None
    try:
        entry = recovery_post(
            actor=case.opened_by,
            person=case.person,
            deployment=DEPLOYMENT,
            amount_pence=instalment.amount_pence,
            effective_date=today,
            source_reference=f"Recovery case {case.pk}: decision of {case.decided_on:%Y-%m-%d}",
            approved_by=case.decided_by,
        )
    except LedgerError as refused:
        raise RecoveryError(str(refused), refused.field) from refused
    instalment.posting, instalment.collected_on = entry, today
    instalment.save(update_fields=["posting", "collected_on"])
    changes: dict[str, Any] = {
        f"Recovery {instalment.number}": [None, f"{pounds(instalment.amount_pence)} recovered"]
    }
    if not case.instalments.filter(posting__isnull=True, cancelled_on__isnull=True).exists():
        case.status, case.closed_on = Case.Status.CLOSED, today
        case.save(update_fields=["status", "closed_on"])
        changes["Status"] = ["Recovering", "Closed"]
    _event(
        case.opened_by,
        case,
        f"Recovered instalment {instalment.number}: {pounds(instalment.amount_pence)}",
        changes,
    )
    return instalment


def recovery_collect(*, today: dt.date | None = None) -> tuple[list[RecoveryInstalment], list[str]]:
    """Collect every instalment due by ``today`` (idempotent: each once). Returns what was
    collected and, for each one that could not be, why."""
    today = today or timezone.localdate()
    due = RecoveryInstalment.objects.filter(
        due_on__lte=today,
        posting__isnull=True,
        cancelled_on__isnull=True,
        case__status=Case.Status.RECOVERING,
    ).order_by("due_on", "pk")
    collected, problems = [], []
    for instalment in due:
        try:
            collected.append(recovery_instalment_collect(instalment=instalment, today=today))
        except RecoveryError as refused:
            problems.append(
                f"Recovery case {instalment.case_id}, recovery {instalment.number}: {refused}"
            )
    return collected, problems


@transaction.atomic
def recovery_appeal(
    *, actor: User, case: RecoveryCase, appeal: str, today: dt.date | None = None
) -> RecoveryCase:
    """The person's appeal against a decision to recover, in their words, within the
    appeal period: collection pauses until a manager decides it."""
    today = today or timezone.localdate()
    _locked(case)
    if case.appealed_on is not None:
        raise RecoveryError(APPEALED_ALREADY)
    until = appeal_until(case)
    if (
        until is None
        or not case.decided_pence
        or case.status
        not in (
            Case.Status.DECIDED,
            Case.Status.RECOVERING,
            Case.Status.CLOSED,
        )
    ):
        raise RecoveryError(NOT_APPEALABLE)
    if today > until:
        raise RecoveryError(APPEAL_TOO_LATE.format(until=_day(until)))
    if not appeal.strip():
        raise RecoveryError(APPEAL_NEEDED, "appeal")
    if (
        case.status == Case.Status.CLOSED
        and RecoveryCase.objects.filter(agreement_id=case.agreement_id)
        .exclude(status=Case.Status.CLOSED)
        .exists()
    ):
        raise RecoveryError(APPEAL_ANOTHER_OPEN)
    before = case.get_status_display()
    case.status_before_appeal = case.status
    case.appeal, case.appealed_on, case.appealed_by = appeal.strip(), today, actor
    case.status, case.closed_on = Case.Status.APPEALED, None
    case.save(
        update_fields=[
            "status_before_appeal",
            "appeal",
            "appealed_on",
            "appealed_by",
            "status",
            "closed_on",
        ]
    )
    _event(
        actor,
        case,
        "Appealed the decision: collection is paused",
        {"Status": [before, case.get_status_display()], "Appeal": [None, case.appeal]},
    )
    return case


@transaction.atomic
def recovery_appeal_decide(
    *,
    actor: User,
    case: RecoveryCase,
    outcome: str,
    reasons: str,
    today: dt.date | None = None,
) -> RecoveryCase:
    """A manager's decision on the appeal. Upheld: nothing more is recovered and what was
    recovered goes back to the direct payment account by reversing entries; dismissed:
    collection resumes where it stopped."""
    today = today or timezone.localdate()
    _locked(case)
    if case.status != Case.Status.APPEALED:
        raise RecoveryError(NOT_APPEALED)
    if actor.pk in (case.opened_by_id, case.decided_by_id):
        raise RecoveryError(APPEAL_OWN_DECISION)
    if outcome not in Case.AppealOutcome.values:
        raise RecoveryError(OUTCOME_NEEDED, "outcome")
    if not reasons.strip():
        raise RecoveryError(APPEAL_REASONS_NEEDED, "reasons")
    changes: dict[str, Any] = {}
    if outcome == Case.AppealOutcome.UPHELD:
        instalments = list(
            case.instalments.select_for_update(of=("self",)).select_related("posting")
        )
        returned = 0
        for instalment in instalments:
            if instalment.posting is not None and instalment.returned_by_id is None:
                instalment.returned_by = transaction_reverse(
                    actor=actor,
                    original=instalment.posting,
                    effective_date=today,
                    reason=f"appeal upheld on recovery case {case.pk}",
                )
                instalment.save(update_fields=["returned_by"])
                returned += instalment.amount_pence
            elif instalment.posting is None and instalment.cancelled_on is None:
                instalment.cancelled_on = today
                instalment.save(update_fields=["cancelled_on"])
        case.status, case.closed_on = Case.Status.CLOSED, today
        changes["Returned"] = [None, pounds(returned)]
    else:
        resumed = case.status_before_appeal or Case.Status.DECIDED
        still_due = case.instalments.filter(posting__isnull=True, cancelled_on__isnull=True)
        if resumed == Case.Status.CLOSED or (case.plan_kind and not still_due.exists()):
            case.status, case.closed_on = Case.Status.CLOSED, today
        else:
            case.status = resumed
    case.appeal_outcome, case.appeal_reasons = outcome, reasons.strip()
    case.appeal_decided_by, case.appeal_decided_on = actor, today
    case.save(
        update_fields=[
            "appeal_outcome",
            "appeal_reasons",
            "appeal_decided_by",
            "appeal_decided_on",
            "status",
            "closed_on",
        ]
    )
    changes.update(
        {
            "Appeal": [None, case.get_appeal_outcome_display()],
            "Reasons": [None, case.appeal_reasons],
            "Status": ["Appealed", case.get_status_display()],
        }
    )
    _event(actor, case, f"Decided the appeal: {outcome}", changes)
    return case
