"""RAS versions and allocations: calculate an indicative budget from an agreed assessment,
recompute it exactly, and sign it off. One transaction each, audited."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.access import second_administrator as backdating
from selfdirect.access.models import WorkItem
from selfdirect.access.second_administrator import (
    ALREADY_WAITING,
    PAST_DATE_NEEDS_REASON,
    backdated_decided,
    backdated_request_refusal,
)
from selfdirect.access.services import work_item_add
from selfdirect.allocation.engine import RasDefinition
from selfdirect.allocation.models import (
    Allocation,
    AmountDecision,
    Challenge,
    PanelDecision,
    PanelReferral,
    RasPublication,
    RasVersion,
    SignOff,
)
from selfdirect.allocation.pricing import Person as Priced
from selfdirect.allocation.pricing import price_one, sections_unpriced
from selfdirect.allocation.ras_file import ras_parse, ras_to_file
from selfdirect.assessment.models import Assessment, Questionnaire, QuestionnaireVersion
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.refusals import Refused, lost_race_refused

DEFAULT_RAS = Path(__file__).resolve().parent / "definitions" / "default-ras.json"
NOT_AGREED = "Agree the assessment before working out the indicative budget"
NOT_ELIGIBLE = "The person is not eligible: record an eligible decision first"
NO_RAS = "There is no published Resource Allocation System for this questionnaire in force today"
ALREADY_DECIDED = "This allocation has already been signed off"
WITH_THE_PANEL = "This budget is waiting for the panel: the panel decides it"
# Working time given for a budget returned for rework (calendar days).
REWORK_DAYS = 10
OWN_BUDGET = "You worked out this budget, so another manager must sign it off"
OWN_BUDGET_CHALLENGE = (
    "You worked out this budget, so another manager must decide the request to look again"
)
CHALLENGE_DECIDED = "This request has already been decided"
ENTER_AMOUNT = "Enter the agreed weekly amount"
GIVE_REASON = "Give the reason for the different amount"
GIVE_RETURN_REASON = "Say what needs to be reworked"
ABOVE_LIMIT = "This amount is above your sign-off limit of {limit} a week: it needs the panel"
CONTRIBUTIONS_TOO_HIGH = "Other public money in the budget cannot be more than the budget"
NAME_THE_FUNDING = (
    "Say where the other public money comes from, for example NHS continuing healthcare"
)


class AllocationError(Refused):
    """A budget change refused by a rule."""


def ras_definition(version: RasVersion) -> RasDefinition:
    return ras_parse(version.definition)


def ras_versions_install_defaults() -> list[RasVersion]:
    """The shipped RAS for the shipped self-assessment, published from 1 April 2015. Safe to run again."""
    data = json.loads(DEFAULT_RAS.read_text(encoding="utf-8"))
    if RasVersion.objects.filter(code=data["code"]).exists():
        return []
    return [ras_version_create(actor=None, data=data, effective_from=dt.date(2015, 4, 1))]


def ras_version_in_force(questionnaire: Questionnaire, on: dt.date | None = None) -> RasVersion:
    version = (
        RasVersion.objects.filter(
            questionnaire=questionnaire,
            status=RasVersion.Status.PUBLISHED,
            effective_from__lte=on or dt.date.today(),
        )
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        raise AllocationError(NO_RAS)
    return version


def _priced(inputs: dict[str, Any]) -> Priced:
    return Priced(
        answers=dict(inputs["answers"]),
        user_group=str(inputs["user_group"]),
        flags=dict(inputs["flags"]),
    )


@transaction.atomic
def allocation_calculate(
    *,
    actor: User,
    assessment: Assessment,
    flags: dict[str, bool],
    previous_package_weekly_pence: int | None = None,
) -> Allocation:
    """Run the RAS in force over the agreed answers: the indicative budget, with every step kept."""
    if assessment.status != Assessment.Status.AGREED:
        raise AllocationError(NOT_AGREED)
    decision = getattr(assessment, "eligibility", None)
    if decision is None or not decision.eligible:
        raise AllocationError(NOT_ELIGIBLE)
    version = ras_version_in_force(assessment.version.questionnaire)
    inputs: dict[str, Any] = {
        "user_group": assessment.user_group or assessment.person.user_group,
        "answers": {
            a.section_id: a.agreed_option for a in assessment.answers.all() if a.agreed_option
        },
        "flags": {k: bool(v) for k, v in sorted(flags.items())},
    }
    record = price_one(ras_definition(version), _priced(inputs))
    allocation = Allocation.objects.create(
        person=assessment.person,
        assessment=assessment,
        ras_version=version,
        ras_hash=version.content_hash,
        inputs=inputs,
        explanation=record,
        indicative_weekly_pence=record["weekly_pence"],
        indicative_annual_pence=record["annual_pence"],
        previous_package_weekly_pence=previous_package_weekly_pence,
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="allocation",
        object_id=allocation.pk,
        person_id=assessment.person_id,
        summary=f"Indicative budget {pounds(record['weekly_pence'])} a week from {version}",
        changes={"Indicative weekly amount": [None, f"{pounds(record['weekly_pence'])}"]},
    )
    return allocation


def allocation_recompute(allocation: Allocation) -> dict[str, Any]:
    """The calculation again from the stored inputs and the stored RAS version."""
    definition = ras_definition(allocation.ras_version)
    if definition.content_hash != allocation.ras_hash:
        raise AllocationError(
            "The RAS version's content has changed since this allocation: it cannot be trusted"
        )
    return price_one(definition, _priced(allocation.inputs))


def allocation_sign_off_refusal(actor: User, allocation: Allocation) -> str | None:
    """Why this user may not sign off this allocation now, or None (for the service and the
    page, which shows the reason instead of the button)."""
    if allocation.status == Allocation.Status.AWAITING_PANEL:
        return WITH_THE_PANEL
    if allocation.status != Allocation.Status.AWAITING_SIGN_OFF:
        return ALREADY_DECIDED
    if allocation.created_by_id == actor.pk:
        return OWN_BUDGET
    return None


@lost_race_refused(lambda **_: AllocationError(ALREADY_DECIDED))
@transaction.atomic
def allocation_sign_off(
    *,
    actor: User,
    allocation: Allocation,
    decision: str,
    reason_code: str = "",
    reason: str = "",
    agreed_weekly_pence: int | None = None,
    other_public_funding_weekly_pence: int = 0,
    other_public_funding_source: str = "",
) -> SignOff:
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    refusal = allocation_sign_off_refusal(actor, locked)
    if refusal:
        raise AllocationError(refusal)
    return _sign_off_apply(
        actor=actor,
        locked=locked,
        decision=decision,
        reason_code=reason_code,
        reason=reason,
        agreed_weekly_pence=agreed_weekly_pence,
        other_public_funding_weekly_pence=other_public_funding_weekly_pence,
        other_public_funding_source=other_public_funding_source,
        by_panel=False,
    )


def _sign_off_apply(
    *,
    actor: User,
    locked: Allocation,
    decision: str,
    reason_code: str,
    reason: str,
    agreed_weekly_pence: int | None,
    other_public_funding_weekly_pence: int,
    other_public_funding_source: str,
    by_panel: bool,
) -> SignOff:
    """The one way a budget is decided, by a manager or (``by_panel``, no sign-off limit) by
    the panel: the SignOff row, the allocation's status and amount, the audit event, and a
    return for rework."""
    status_before = locked.get_status_display()
    if decision == SignOff.Decision.APPROVE:
        agreed = locked.indicative_weekly_pence
        locked.status = Allocation.Status.APPROVED
    elif decision == SignOff.Decision.ADJUST:
        if agreed_weekly_pence is None:
            raise AllocationError(ENTER_AMOUNT, field="agreed_amount")
        if not reason_code or not reason.strip():
            raise AllocationError(GIVE_REASON, field="reason")
        agreed = agreed_weekly_pence
        locked.status = Allocation.Status.APPROVED
    elif decision == SignOff.Decision.RETURN:
        if not reason.strip():
            raise AllocationError(GIVE_RETURN_REASON, field="reason")
        agreed = None
        locked.status = Allocation.Status.RETURNED
    else:
        raise AllocationError("Select a decision", field="decision")
    profile = getattr(actor, "profile", None)
    limit = profile.sign_off_limit_weekly_pence if profile is not None else None
    if not by_panel and agreed is not None and limit is not None and agreed > limit:
        raise AllocationError(ABOVE_LIMIT.format(limit=pounds(limit)), field="decision")
    if agreed is not None:
        if other_public_funding_weekly_pence > agreed:
            raise AllocationError(CONTRIBUTIONS_TOO_HIGH, field="other_amount")
        if other_public_funding_weekly_pence and not other_public_funding_source.strip():
            raise AllocationError(NAME_THE_FUNDING, field="other_source")
    locked.agreed_weekly_pence = agreed
    locked.other_public_funding_weekly_pence = other_public_funding_weekly_pence
    locked.other_public_funding_source = other_public_funding_source.strip()
    locked.save(
        update_fields=[
            "status",
            "agreed_weekly_pence",
            "other_public_funding_weekly_pence",
            "other_public_funding_source",
        ]
    )
    sign_off = SignOff.objects.create(
        allocation=locked,
        decision=decision,
        reason_code=reason_code,
        reason=reason.strip(),
        agreed_weekly_pence=agreed,
        decided_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="allocation",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary=f"{'Panel decision' if by_panel else 'Sign-off'}: "
        f"{sign_off.get_decision_display().lower()}",
        changes={
            "Status": [status_before, locked.get_status_display()],
            "Agreed weekly amount": [None, None if agreed is None else f"{pounds(agreed)}"],
        },
    )
    if decision == SignOff.Decision.RETURN:
        _rework_start(actor=actor, allocation=locked, reason=reason.strip())
    elif agreed is not None:
        notification_send(
            actor=actor,
            person=locked.person,
            kind=Message.Kind.DECISION,
            subject="{Whose} personal budget has been decided",
            body=f"{{Whose}} personal budget is {pounds(agreed)} a week. The budget page "
            "explains how it was worked out, and how to ask us to look again if it does "
            "not seem right.",
            key=f"allocation-{locked.pk}-decided-{sign_off.pk}",
            link=reverse("allocation:detail", kwargs={"allocation_id": locked.pk}),
        )
    return sign_off


def _rework_start(*, actor: User, allocation: Allocation, reason: str) -> None:
    """A budget returned for rework: the assessment's answers open again for change, and
    the person's named worker (or, with none, their team's practitioners) gets the task."""
    from selfdirect.access.roles import Role
    from selfdirect.assessment.services import assessment_reopen

    assessment_reopen(actor=actor, assessment=allocation.assessment, reason=reason)
    work_item_add(
        title=f"Rework the assessment and budget: {reason}",
        kind="rework",
        person=allocation.person,
        for_role=Role.PRACTITIONER,
        due_date=timezone.localdate() + dt.timedelta(days=REWORK_DAYS),
    )


PANEL_NOT_WAITING = "This budget is not waiting for the panel"
PANEL_REFER_REASON = "Say why this budget needs the panel"
PANEL_MEMBERS_TOO_FEW = "Choose at least two panel members"
PANEL_MEMBER_CANNOT_SIT = "{name} cannot sit on a panel: panel members are team managers"
PANEL_MEMBER_OWN_BUDGET = "{name} worked out this budget, so cannot sit on its panel"
PANEL_RECORDER_OWN_BUDGET = (
    "You worked out this budget, so another manager must record the panel's decision"
)
PANEL_DATE_NEEDED = "Enter the date of the panel"
PANEL_DATE_FUTURE = "The date of the panel must be today or in the past"
PANEL_OUTCOME_NEEDED = "Select the panel's decision"
PANEL_REASONS_NEEDED = "Give the panel's reasons: the person will read them"
PANEL_AMOUNT_NEEDED = "Enter the weekly amount the panel agreed"
PANEL_DECIDED = "The panel's decision on this budget has already been recorded"


def _staff_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


@lost_race_refused(lambda **_: AllocationError(PANEL_NOT_WAITING))
@transaction.atomic
def allocation_refer_to_panel(*, actor: User, allocation: Allocation, reason: str) -> PanelReferral:
    """Send a budget waiting for sign-off to the panel (above the manager's limit, or a
    decision the manager judges the panel should make)."""
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.status != Allocation.Status.AWAITING_SIGN_OFF:
        raise AllocationError(
            WITH_THE_PANEL if locked.status == Allocation.Status.AWAITING_PANEL else ALREADY_DECIDED
        )
    if not reason.strip():
        raise AllocationError(PANEL_REFER_REASON, field="reason")
    locked.status = Allocation.Status.AWAITING_PANEL
    locked.save(update_fields=["status"])
    referral = PanelReferral.objects.create(
        allocation=locked, reason=reason.strip(), referred_by=actor
    )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="allocation",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary="Sent the budget to the panel",
        changes={
            "Status": ["Waiting for sign-off", "Waiting for the panel"],
            "Reason": [None, referral.reason],
        },
    )
    return referral


def panel_members_refusal(members: list[User], allocation: Allocation) -> AllocationError | None:
    from selfdirect.access.rules import allows
    from selfdirect.access.selectors import roles_of

    unique = {m.pk: m for m in members}
    if len(unique) < 2:
        return AllocationError(PANEL_MEMBERS_TOO_FEW, field="members")
    for member in unique.values():
        if member.pk == allocation.created_by_id:
            return AllocationError(
                PANEL_MEMBER_OWN_BUDGET.format(name=_staff_name(member)), field="members"
            )
        if not member.is_active or not allows(roles_of(member), "panel.sit"):
            return AllocationError(
                PANEL_MEMBER_CANNOT_SIT.format(name=_staff_name(member)), field="members"
            )
    return None


@lost_race_refused(lambda **_: AllocationError(PANEL_DECIDED))
@transaction.atomic
def panel_decision_record(
    *,
    actor: User,
    allocation: Allocation,
    members: list[User],
    decided_on: dt.date | None,
    outcome: str,
    reasons: str,
    agreed_weekly_pence: int | None = None,
) -> PanelDecision:
    """Record the panel's decision. Agreed (at the indicative amount or another) signs the
    budget off through the sign-off rules, with no sign-off limit; not agreed returns it
    for rework. The one who worked the budget out neither sits nor records."""
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.status != Allocation.Status.AWAITING_PANEL:
        raise AllocationError(PANEL_NOT_WAITING)
    if locked.created_by_id == actor.pk:
        raise AllocationError(PANEL_RECORDER_OWN_BUDGET)
    refusal = panel_members_refusal(members, locked)
    if refusal is not None:
        raise refusal
    if decided_on is None:
        raise AllocationError(PANEL_DATE_NEEDED, field="decided_on")
    if decided_on > timezone.localdate():
        raise AllocationError(PANEL_DATE_FUTURE, field="decided_on")
    if outcome not in PanelDecision.Outcome.values:
        raise AllocationError(PANEL_OUTCOME_NEEDED, field="outcome")
    if not reasons.strip():
        raise AllocationError(PANEL_REASONS_NEEDED, field="reasons")
    if outcome == PanelDecision.Outcome.AGREED_DIFFERENT and agreed_weekly_pence is None:
        raise AllocationError(PANEL_AMOUNT_NEEDED, field="agreed_amount")
    text = f"Panel of {decided_on:%-d %B %Y}: {reasons.strip()}"
    if outcome == PanelDecision.Outcome.AGREED:
        sign_off = _sign_off_apply(
            actor=actor,
            locked=locked,
            decision=SignOff.Decision.APPROVE,
            reason_code="",
            reason=text,
            agreed_weekly_pence=None,
            other_public_funding_weekly_pence=0,
            other_public_funding_source="",
            by_panel=True,
        )
    elif outcome == PanelDecision.Outcome.AGREED_DIFFERENT:
        sign_off = _sign_off_apply(
            actor=actor,
            locked=locked,
            decision=SignOff.Decision.ADJUST,
            reason_code=SignOff.Reason.OTHER,
            reason=text,
            agreed_weekly_pence=agreed_weekly_pence,
            other_public_funding_weekly_pence=0,
            other_public_funding_source="",
            by_panel=True,
        )
    else:
        sign_off = _sign_off_apply(
            actor=actor,
            locked=locked,
            decision=SignOff.Decision.RETURN,
            reason_code="",
            reason=text,
            agreed_weekly_pence=None,
            other_public_funding_weekly_pence=0,
            other_public_funding_source="",
            by_panel=True,
        )
    decision = PanelDecision.objects.create(
        allocation=locked,
        decided_on=decided_on,
        outcome=outcome,
        agreed_weekly_pence=sign_off.agreed_weekly_pence,
        reasons=reasons.strip(),
        recorded_by=actor,
    )
    decision.members.set(list({m.pk: m for m in members}.values()))
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="panel_decision",
        object_id=decision.pk,
        person_id=locked.person_id,
        summary=f"Recorded the panel's decision: {decision.get_outcome_display().lower()}",
        changes={
            "Members": [None, ", ".join(sorted(_staff_name(m) for m in decision.members.all()))],
            "Date of the panel": [None, decided_on.isoformat()],
            "Outcome": [None, decision.get_outcome_display()],
            "Agreed weekly amount": [
                None,
                None
                if decision.agreed_weekly_pence is None
                else pounds(decision.agreed_weekly_pence),
            ],
            "Reasons": [None, decision.reasons],
        },
    )
    return decision


CHALLENGE_REASONS_NEEDED = "Tell us why you think the amount is wrong"
CHALLENGE_CHANNEL_NEEDED = "Select how the request came"
CHALLENGE_WHO_ASKED_NEEDED = "Enter who asked: the person, or the name of who asked for them"
CHALLENGE_OPEN_ALREADY = "There is already a request to look again at this amount"
OUTCOME_NEEDED = "Select the outcome"
DECISION_REASON_NEEDED = "Explain the decision: the person will read it"
NEW_AMOUNT_NEEDED = "Enter the new weekly amount: an upheld request changes the amount"
NEW_AMOUNT_SAME = "The new weekly amount must differ from the {contested} a week asked about"
NEW_AMOUNT_NOT_BETWEEN = (
    "A partly upheld request gives an amount between the {contested} a week asked about "
    "and the {proposed} a week asked for"
)
NEW_AMOUNT_NOT_UPHELD = (
    "Leave the new weekly amount empty: a request that is not upheld leaves the amount"
)
NEW_AMOUNT_NOT_SIGNED_OFF = (
    "This budget has not been signed off yet: agree the amount at sign-off, "
    "or decide this request as not upheld"
)


def challenge_respond_by(raised: dt.date) -> dt.date:
    """The council's response timescale, in working days (bank holidays do not count)."""
    from django.conf import settings

    from selfdirect.working_days import add_working_days

    return add_working_days(raised, settings.SELFDIRECT_CHALLENGE_WORKING_DAYS)


@lost_race_refused(lambda **_: AllocationError(CHALLENGE_OPEN_ALREADY))
@transaction.atomic
def challenge_raise(
    *,
    actor: User,
    allocation: Allocation,
    reasons: str,
    evidence: str = "",
    proposed_weekly_pence: int | None = None,
    channel: str = Challenge.Channel.ONLINE,
    taken_from: str = "",
) -> Challenge:
    """A request to look again at the amount: from the person's own sign-in (online), or
    taken down by staff from a phone call, a letter or a visit, naming who asked."""
    if not reasons.strip():
        raise AllocationError(CHALLENGE_REASONS_NEEDED, field="reasons")
    if channel not in Challenge.Channel.values:
        raise AllocationError(CHALLENGE_CHANNEL_NEEDED, field="channel")
    if channel != Challenge.Channel.ONLINE and not taken_from.strip():
        raise AllocationError(CHALLENGE_WHO_ASKED_NEEDED, field="taken_from")
    # The allocation's row is locked so that two requests at once open one challenge.
    Allocation.objects.select_for_update().filter(pk=allocation.pk).values_list("pk").get()
    if allocation.challenges.filter(status=Challenge.Status.OPEN).exists():
        raise AllocationError(CHALLENGE_OPEN_ALREADY)
    budget_now = allocation.personal_budget_weekly_pence
    contested = budget_now if budget_now is not None else allocation.indicative_weekly_pence
    challenge = Challenge.objects.create(
        allocation=allocation,
        ras_version=allocation.ras_version,
        contested_weekly_pence=contested,
        proposed_weekly_pence=proposed_weekly_pence,
        reasons=reasons.strip(),
        evidence=evidence.strip(),
        raised_by=actor,
        channel=channel,
        taken_from=taken_from.strip() if channel != Challenge.Channel.ONLINE else "",
        respond_by=challenge_respond_by(timezone.localdate()),
    )
    from selfdirect.access.roles import Role

    work_item_add(
        title="Decide a request to look again at a budget",
        kind="challenge",
        person=allocation.person,
        for_role=Role.MANAGER,
        due_date=challenge.respond_by,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="challenge",
        object_id=challenge.pk,
        person_id=allocation.person_id,
        summary=f"Asked the council to look again at {pounds(contested)} a week"
        + (
            ""
            if channel == Challenge.Channel.ONLINE
            else f" ({challenge.get_channel_display().lower()}, from {challenge.taken_from})"
        ),
        changes={
            "Reasons": [None, challenge.reasons],
            "Channel": [None, challenge.get_channel_display()],
        }
        | ({"Taken from": [None, challenge.taken_from]} if challenge.taken_from else {}),
    )
    return challenge


CHALLENGE_ABOVE_LIMIT = (
    "This amount is above your sign-off limit of {limit} a week: it needs the panel. "
    "A team manager records it as the panel's decision by choosing at least two panel "
    "members on this page"
)
CHALLENGE_PANEL_NOT_ALLOWED = "Only a team manager records a decision as the panel's"


def challenge_decide_refusal(actor: User, challenge: Challenge) -> str | None:
    """Why this user may not decide this request now, or None: a manager who did not work
    out the budget decides it (for the service and the page)."""
    if challenge.status == Challenge.Status.DECIDED:
        return CHALLENGE_DECIDED
    if challenge.allocation.created_by_id == actor.pk:
        return OWN_BUDGET_CHALLENGE
    return None


@lost_race_refused(lambda **_: AllocationError(CHALLENGE_DECIDED))
@transaction.atomic
def challenge_decide(
    *,
    actor: User,
    challenge: Challenge,
    outcome: str,
    reason: str,
    reassessment_needed: bool,
    new_weekly_pence: int | None = None,
    panel_members: list[User] | None = None,
) -> Challenge:
    """Decide a request to look again. Upheld or partly upheld records a new decision of the
    amount (an AmountDecision: the old amount stays in the history, the new one is the
    personal budget from today) and tells the layers above (``budget_amount_changed``);
    not upheld leaves the amount. A manager who did not work out the budget decides.

    A new amount above the manager's sign-off limit is the panel's to decide: a manager who
    may record panel decisions (``panel.decide``) records it as the panel's, naming at least
    two members under the panel's member rules (never the one who worked the budget out)."""
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    refusal = challenge_decide_refusal(actor, locked)
    if refusal:
        raise AllocationError(refusal)
    if outcome not in Challenge.Outcome.values:
        raise AllocationError(OUTCOME_NEEDED, field="outcome")
    if not reason.strip():
        raise AllocationError(DECISION_REASON_NEEDED, field="reason")
    allocation = Allocation.objects.select_for_update().get(pk=locked.allocation_id)
    panel = _challenge_panel(actor=actor, allocation=allocation, members=panel_members or [])
    _new_amount_refusal(
        actor=actor,
        challenge=locked,
        allocation=allocation,
        outcome=outcome,
        new=new_weekly_pence,
        by_panel=bool(panel),
    )
    panel_names = ", ".join(_staff_name(m) for m in panel)
    locked.status, locked.outcome, locked.decision_reason = (
        Challenge.Status.DECIDED,
        outcome,
        reason.strip(),
    )
    locked.reassessment_needed, locked.decided_by, locked.decided_at = (
        reassessment_needed,
        actor,
        timezone.now(),
    )
    locked.save()
    from selfdirect.access.roles import Role

    person = locked.allocation.person
    WorkItem.objects.filter(kind="challenge", person=person, status=WorkItem.Status.OPEN).update(
        status=WorkItem.Status.DONE
    )
    if reassessment_needed:
        work_item_add(
            title="Reassess after a request to look again",
            kind="reassessment",
            person=person,
            for_role=Role.PRACTITIONER,
            due_date=timezone.localdate() + dt.timedelta(days=28),
        )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="challenge",
        object_id=locked.pk,
        person_id=person.pk,
        summary=f"Decided the request to look again: {locked.get_outcome_display().lower()}",
        changes={
            "Status": ["Being looked at", "Decided"],
            "Reassessment needed": [None, "Yes" if reassessment_needed else "No"],
        }
        | ({"Decided by the panel": [None, panel_names]} if panel else {}),
    )
    if new_weekly_pence is not None and outcome != Challenge.Outcome.NOT_UPHELD:
        _amount_decision_record(
            actor=actor, challenge=locked, allocation=allocation, new=new_weekly_pence
        )
    notification_send(
        actor=actor,
        person=person,
        kind=Message.Kind.REQUEST_ANSWERED,
        subject="{Whose} request to look again at the budget has been answered",
        body=f"We have decided: {locked.get_outcome_display().lower()}. {locked.decision_reason}",
        key=f"challenge-{locked.pk}-decided",
        link=reverse("allocation:detail", kwargs={"allocation_id": allocation.pk}),
    )
    return locked


def _challenge_panel(*, actor: User, allocation: Allocation, members: list[User]) -> list[User]:
    """The panel members a decision on a request to look again names ([] for none): only a
    user who may record the panel's decisions names them, under the panel's member rules."""
    from selfdirect.access.rules import allows
    from selfdirect.access.selectors import roles_of

    if not members:
        return []
    if not allows(roles_of(actor), "panel.decide"):
        raise AllocationError(CHALLENGE_PANEL_NOT_ALLOWED, field="panel_members")
    refusal = panel_members_refusal(members, allocation)
    if refusal is not None:
        raise AllocationError(str(refusal), field="panel_members")
    return list({m.pk: m for m in members}.values())


def _new_amount_refusal(
    *,
    actor: User,
    challenge: Challenge,
    allocation: Allocation,
    outcome: str,
    new: int | None,
    by_panel: bool = False,
) -> None:
    """The new weekly amount a decision gives, checked against the outcome (named refusals
    on the ``new_amount`` field)."""
    if outcome == Challenge.Outcome.NOT_UPHELD:
        if new is not None:
            raise AllocationError(NEW_AMOUNT_NOT_UPHELD, field="new_amount")
        return
    if allocation.status != Allocation.Status.APPROVED or allocation.agreed_weekly_pence is None:
        raise AllocationError(NEW_AMOUNT_NOT_SIGNED_OFF, field="outcome")
    if new is None:
        raise AllocationError(NEW_AMOUNT_NEEDED, field="new_amount")
    contested, proposed = challenge.contested_weekly_pence, challenge.proposed_weekly_pence
    if new == contested or new == allocation.personal_budget_weekly_pence:
        raise AllocationError(
            NEW_AMOUNT_SAME.format(contested=pounds(contested)), field="new_amount"
        )
    if outcome == Challenge.Outcome.PARTLY and proposed is not None:
        low, high = sorted((contested, proposed))
        if not low < new < high:
            raise AllocationError(
                NEW_AMOUNT_NOT_BETWEEN.format(
                    contested=pounds(contested), proposed=pounds(proposed)
                ),
                field="new_amount",
            )
    profile = getattr(actor, "profile", None)
    limit = profile.sign_off_limit_weekly_pence if profile is not None else None
    if limit is not None and new > limit and not by_panel:
        raise AllocationError(CHALLENGE_ABOVE_LIMIT.format(limit=pounds(limit)), field="new_amount")
    if (
        allocation.assessed_contribution_weekly_pence or 0
    ) + allocation.other_public_funding_weekly_pence > new:
        raise AllocationError(CONTRIBUTIONS_TOO_HIGH, field="new_amount")


def _amount_decision_record(
    *, actor: User, challenge: Challenge, allocation: Allocation, new: int
) -> AmountDecision:
    """The new personal budget, as its own dated decision, audited before and after."""
    from selfdirect.allocation.signals import budget_amount_changed

    previous = allocation.personal_budget_weekly_pence
    assert previous is not None  # checked by _new_amount_refusal
    decision = AmountDecision.objects.create(
        allocation=allocation,
        challenge=challenge,
        previous_weekly_pence=previous,
        new_weekly_pence=new,
        effective_from=timezone.localdate(),
        reason=challenge.decision_reason,
        decided_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="allocation",
        object_id=allocation.pk,
        person_id=allocation.person_id,
        summary=f"New decision of the personal budget after a request to look again "
        f"({challenge.get_outcome_display().lower()})",
        changes={
            "Personal budget (weekly)": [pounds(previous), pounds(new)],
            "From": [None, f"{decision.effective_from:%-d %B %Y}"],
        },
    )
    transaction.on_commit(
        lambda: budget_amount_changed.send(
            sender=AmountDecision, allocation=allocation, amount_decision=decision, actor=actor
        )
    )
    return decision


RAS_PUBLISHED = "A published RAS version cannot be changed: make a new version"
RAS_DATE_TAKEN = (
    "Another version of a RAS for this questionnaire is in force from {on}: choose another date"
)
RAS_NUMBER_TAKEN = "Another version of this RAS was added at the same time: try again"
RAS_UNPRICED = (
    "This RAS does not price {sections} of {questionnaire}: their answers would score nothing. "
    "Add them to the RAS file and upload it as a new version"
)
RAS_OTHER_QUESTIONNAIRE = "Choose a version of {questionnaire}, the questionnaire this RAS prices"
QUESTIONNAIRE_UNPRICED = (
    "{ras}, the RAS in force from {on}, does not price {sections}: their answers would score "
    "nothing. Publish a RAS version that prices them first, from the same date or earlier"
)
QUESTIONNAIRE_UNPRICED_DRAFT = " ({draft} is a draft that does)"


def sections_named(titles: list[str]) -> str:
    """‘A’, ‘A’ and ‘B’, or ‘A’, ‘B’ and ‘C’: the sections a refusal names."""
    quoted = [f"‘{t}’" for t in titles]
    words = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    return f"the section{'s' if len(quoted) > 1 else ''} {words}"


def _questionnaire_versions_priced_from(
    questionnaire_id: int, effective_from: dt.date
) -> list[QuestionnaireVersion]:
    """The questionnaire versions a RAS published from ``effective_from`` would price: the one
    in force that day and any published to take effect later."""
    published = QuestionnaireVersion.objects.filter(
        questionnaire_id=questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
    )
    in_force = (
        published.filter(effective_from__lte=effective_from)
        .order_by("-effective_from", "-number")
        .first()
    )
    later = list(published.filter(effective_from__gt=effective_from).order_by("effective_from"))
    return ([in_force] if in_force else []) + later


def _ras_prices_refusal(
    definition: RasDefinition, versions: list[QuestionnaireVersion]
) -> AllocationError | None:
    for q_version in versions:
        missing = sections_unpriced(definition, q_version.parsed)
        if missing:
            return AllocationError(
                RAS_UNPRICED.format(
                    sections=sections_named(missing),
                    questionnaire=f"{q_version.questionnaire.title} version {q_version.number}",
                )
            )
    return None


def questionnaire_publish_refusal(version: QuestionnaireVersion, effective_from: dt.date) -> str:
    """Why ``version`` may not be published from ``effective_from`` as far as the RAS goes
    ("" if it may): every RAS version in force from that day on must price every section."""
    published = RasVersion.objects.filter(
        questionnaire_id=version.questionnaire_id, status=RasVersion.Status.PUBLISHED
    )
    in_force = (
        published.filter(effective_from__lte=effective_from)
        .order_by("-effective_from", "-number")
        .first()
    )
    later = list(published.filter(effective_from__gt=effective_from).order_by("effective_from"))
    for ras in ([in_force] if in_force else []) + later:
        missing = sections_unpriced(ras_definition(ras), version.parsed)
        if not missing:
            continue
        text = QUESTIONNAIRE_UNPRICED.format(
            ras=str(ras),
            on=f"{ras.effective_from:%-d %B %Y}",
            sections=sections_named(missing),
        )
        draft = (
            RasVersion.objects.filter(questionnaire_version=version, status=RasVersion.Status.DRAFT)
            .order_by("-number")
            .first()
        )
        if draft is not None and not sections_unpriced(ras_definition(draft), version.parsed):
            text += QUESTIONNAIRE_UNPRICED_DRAFT.format(draft=str(draft))
        return text
    return ""


@lost_race_refused(lambda **_: AllocationError(RAS_NUMBER_TAKEN, field="ras"))
@transaction.atomic
def ras_version_create(
    *,
    actor: User | None,
    data: dict[str, Any],
    effective_from: dt.date | None = None,
    questionnaire_version: QuestionnaireVersion | None = None,
) -> RasVersion:
    """A new version of a RAS from its file: a draft, or published from ``effective_from``.
    Versions are never edited: a change is a new version. It is bound to
    ``questionnaire_version``, by default its questionnaire's newest version (a draft being
    prepared alongside it, or else the one in force)."""
    definition = ras_parse(data)
    questionnaire = Questionnaire.objects.filter(code=definition.questionnaire_code).first()
    if questionnaire is None:
        raise AllocationError(
            f"No questionnaire has the code {definition.questionnaire_code}", field="ras"
        )
    if questionnaire_version is None:
        questionnaire_version = questionnaire.versions.order_by("-number").first()
    if questionnaire_version is None or questionnaire_version.questionnaire_id != questionnaire.pk:
        raise AllocationError(
            RAS_OTHER_QUESTIONNAIRE.format(questionnaire=questionnaire.title),
            field="questionnaire_version",
        )
    if effective_from is not None:
        _date_taken(questionnaire.pk, effective_from)
        refusal = _ras_prices_refusal(
            definition,
            [
                questionnaire_version,
                *_questionnaire_versions_priced_from(questionnaire.pk, effective_from),
            ],
        )
        if refusal:
            raise refusal
    latest = RasVersion.objects.filter(code=definition.code).order_by("-number").first()
    number = (latest.number + 1) if latest else 1
    stored = ras_to_file(replace(definition, version=number))
    version = RasVersion.objects.create(
        code=definition.code,
        number=number,
        title=definition.title,
        questionnaire=questionnaire,
        questionnaire_version=questionnaire_version,
        definition=stored,
        content_hash=ras_parse(stored).content_hash,
        status=RasVersion.Status.PUBLISHED if effective_from else RasVersion.Status.DRAFT,
        effective_from=effective_from,
        published_by=actor if effective_from else None,
        published_at=timezone.now() if effective_from else None,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="ras_version",
        object_id=version.pk,
        summary=f"{'Published' if effective_from else 'Drafted'} {version}"
        f"{f' from {effective_from:%d %B %Y}' if effective_from else ''} ({version.content_hash[:12]})",
    )
    return version


def _date_taken(questionnaire_id: int, effective_from: dt.date) -> None:
    if RasVersion.objects.filter(
        questionnaire_id=questionnaire_id,
        status=RasVersion.Status.PUBLISHED,
        effective_from=effective_from,
    ).exists():
        raise _date_taken_refusal(effective_from)


def _date_taken_refusal(effective_from: dt.date, **_: Any) -> AllocationError:
    return AllocationError(
        RAS_DATE_TAKEN.format(on=f"{effective_from:%-d %B %Y}"), field="effective_from"
    )


def _ras_locked(version: RasVersion) -> RasVersion:
    locked = RasVersion.objects.select_for_update().get(pk=version.pk)
    # The questionnaire's row too: two versions published at once for one date, one wins.
    Questionnaire.objects.select_for_update().filter(pk=locked.questionnaire_id).values_list(
        "pk"
    ).get()
    return locked


def _ras_publish_refusal(locked: RasVersion, effective_from: dt.date) -> None:
    if locked.status != RasVersion.Status.DRAFT:
        raise AllocationError(RAS_PUBLISHED)
    _date_taken(locked.questionnaire_id, effective_from)
    refusal = _ras_prices_refusal(
        ras_definition(locked),
        [
            locked.questionnaire_version,
            *_questionnaire_versions_priced_from(locked.questionnaire_id, effective_from),
        ],
    )
    if refusal:
        raise refusal


@lost_race_refused(_date_taken_refusal)
@transaction.atomic
def ras_version_publish(*, actor: User, version: RasVersion, effective_from: dt.date) -> RasVersion:
    """Publish a draft from ``effective_from``; a date in the past goes through
    ``ras_publication_request`` and a second administrator."""
    locked = _ras_locked(version)
    _ras_publish_refusal(locked, effective_from)
    if effective_from < timezone.localdate():
        raise AllocationError(PAST_DATE_NEEDS_REASON, field="reason")
    return _ras_publish(actor=actor, locked=locked, effective_from=effective_from)


def _ras_publish(*, actor: User, locked: RasVersion, effective_from: dt.date) -> RasVersion:
    locked.status, locked.effective_from = RasVersion.Status.PUBLISHED, effective_from
    locked.published_by, locked.published_at = actor, timezone.now()
    locked.save(update_fields=["status", "effective_from", "published_by", "published_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="ras_version",
        object_id=locked.pk,
        summary=f"Published {locked} from {effective_from:%d %B %Y}",
        changes={
            "Status": ["Draft", "Published"],
            "Effective from": [None, effective_from.isoformat()],
        },
    )
    return locked


@lost_race_refused(lambda **_: AllocationError(ALREADY_WAITING))
@transaction.atomic
def ras_publication_request(
    *, actor: User, version: RasVersion, effective_from: dt.date, reason: str
) -> RasPublication:
    """Ask a second administrator to publish ``version`` from a date in the past."""
    locked = _ras_locked(version)
    refusal = backdated_request_refusal(
        effective_from=effective_from,
        reason=reason,
        already_waiting=locked.backdated_requests.filter(
            status=RasPublication.Status.PENDING
        ).exists(),
    )
    if refusal:
        raise AllocationError(refusal[0], field=refusal[1])
    _ras_publish_refusal(locked, effective_from)
    request = RasPublication.objects.create(
        version=locked, effective_from=effective_from, reason=reason.strip(), requested_by=actor
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="ras_publication",
        object_id=request.pk,
        summary=f"Asked a second administrator to publish {locked} from {effective_from:%d %B %Y}",
        changes={"Effective from": [None, effective_from.isoformat()], "Reason": [None, reason]},
    )
    return request


def _ras_decided(actor: User, request: RasPublication, status: str) -> RasPublication:
    return backdated_decided(actor=actor, request=request, status=status, refused=AllocationError)


@lost_race_refused(lambda **_: AllocationError(backdating.ALREADY_DECIDED))
@transaction.atomic
def ras_publication_confirm(*, actor: User, request: RasPublication) -> RasPublication:
    """A second administrator confirms: the version is published from the date asked for
    (published by the one who asked), if it still may be."""
    decided = _ras_decided(actor, request, RasPublication.Status.CONFIRMED)
    locked = _ras_locked(decided.version)
    _ras_publish_refusal(locked, decided.effective_from)
    _ras_publish(actor=decided.requested_by, locked=locked, effective_from=decided.effective_from)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="ras_publication",
        object_id=decided.pk,
        summary=f"Confirmed publishing {locked} from {decided.effective_from:%d %B %Y}, "
        f"asked for by {decided.requested_by.username}",
        changes={"Status": ["Waiting for a second administrator", "Confirmed and published"]},
    )
    return decided


@lost_race_refused(lambda **_: AllocationError(backdating.ALREADY_DECIDED))
@transaction.atomic
def ras_publication_decline(*, actor: User, request: RasPublication) -> RasPublication:
    decided = _ras_decided(actor, request, RasPublication.Status.DECLINED)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="ras_publication",
        object_id=decided.pk,
        summary=f"Declined publishing {decided.version} from "
        f"{decided.effective_from:%d %B %Y}, asked for by {decided.requested_by.username}",
        changes={"Status": ["Waiting for a second administrator", "Declined"]},
    )
    return decided
