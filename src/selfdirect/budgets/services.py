"""Holding a budget: direct payment agreements and the checks the Care Act (ss.31-33) and
the Direct Payments Regulations 2014 expect, Individual Service Fund and third-party
managed account agreements agreed by both sides, and the statements the organisation
holding the budget sends. One transaction and one audit event each; amounts in pence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of, user_can
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import (
    DirectPaymentAgreement,
    FundAgreement,
    FundStatement,
    FundStatementLine,
)
from selfdirect.money import pounds
from selfdirect.people.models import Person, Relationship
from selfdirect.people.selectors import representatives_of
from selfdirect.planning import streams
from selfdirect.planning.models import PlanLine, SupportPlan
from selfdirect.planning.services import HoldingCost, arrangement_on
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused, lost_race_refused

DP = DirectPaymentAgreement

# Refusals under ss.31-32: the council must give them in writing, with reasons.
REFUSED = (
    "A direct payment cannot be agreed: {reason}. Tell the person in writing, with the "
    "reasons and how to complain"
)
REASON_PERSON_LACKS_CAPACITY = (
    "the person lacks capacity to request it, so it can be paid only to an authorised person"
)
REASON_NOMINATED_NEEDS_CAPACITY = (
    "a nominated person is chosen by a person who has capacity; when the person lacks "
    "capacity, the payment goes to an authorised person"
)
REASON_AUTHORISED_NEEDS_INCAPACITY = (
    "an authorised person receives the payment only for a person who lacks capacity; a "
    "person with capacity receives it or nominates someone"
)
REASON_NOMINEE_NOT_AGREED = "the nominated person has not agreed to receive it"
REASON_AUTHORISED_NOT_AGREED = "the authorised person has not agreed to receive it"
REASON_NOT_BEST_INTERESTS = (
    "the authorised person has not agreed to act in the person's best interests"
)
REASON_NOT_CAPABLE = (
    "the council is not satisfied that the payment can be managed, even with the help available"
)
REASON_NOT_APPROPRIATE = "it is not an appropriate way to meet the person's needs"
REASON_EXCLUDED = "the regulations exclude the person (a criminal justice requirement)"

RECIPIENT_NEEDED = "Select who will receive the payment for the person"
RECIPIENT_NOT_FOR_PERSON = (
    "Leave who receives the payment empty when it is paid to the person themselves"
)
RECIPIENT_NOT_RELATED = "The person receiving the payment must be recorded in the person's relationships: add them first"
DBS_NUMBER_NEEDED = (
    "An authorised person who is not a deputy or attorney, nor close family or a friend "
    "involved in the person's care, needs an enhanced DBS check: enter the certificate number"
)
DBS_DATE_NEEDED = "Enter the date of the enhanced DBS check"
DBS_DATE_FUTURE = "The date of the enhanced DBS check must be today or in the past"
SORT_CODE_FORMAT = "Enter the sort code as 6 digits, like 309430"
ACCOUNT_NUMBER_FORMAT = "Enter the account number as 8 digits, like 00733445"
SECOND_HOLDER_NEEDED = "Enter the name of the second holder of the joint account"
CARD_REFERENCE_NEEDED = "Enter the prepaid card reference"
ACCOUNT_TYPE_NEEDED = "Select the account the payment goes into"
LINK_OFFICER_NOT_FINANCE = "The link person must be a finance officer in the direct payments team"
RECIPIENT_TYPE_NEEDED = "Select who receives the payment"
NECESSITY_REASON_NEEDED = (
    "Say why paying a close relative who lives in the same household is necessary"
)
NECESSITY_NEEDS_MANAGER = (
    "Paying a close relative who lives in the same household needs a team manager's "
    "recorded decision that it is necessary: ask a team manager to set up this agreement"
)
NO_DIRECT_PAYMENT_LINE = (
    "No part of this plan is held as a direct payment on {on}: set a line's way of holding "
    "to direct payment first"
)
PLAN_REPLACED = "This plan has been replaced by a later version: use the current plan"
STARTS_AFTER_CURRENT = "The new agreement must start after the one in place, which started on {on}"
ALREADY_ENDED = "This agreement has already ended"
END_BEFORE_START = "The end date must be on or after the date the agreement started"

KIND_NEEDED = "Select how the budget is held"
NO_FUND_LINE = {
    FundAgreement.Kind.ISF: (
        "No part of this plan is held as an Individual Service Fund with {org} on {on}: set a "
        "line's way of holding to Individual Service Fund first"
    ),
    FundAgreement.Kind.THIRD_PARTY: (
        "No part of this plan is held in a third-party managed account on {on}: set a line's "
        "way of holding to third-party managed account first"
    ),
}
FUND_AGREEMENT_EXISTS = "There is already an agreement with {org} on this plan"
SURPLUS_RULE_NEEDED = "Select what happens to any surplus"
CARRY_WEEKS_RANGE = "Enter how many weeks of surplus may be carried forward, from 1 to 52"
FEE_NEGATIVE = "The fee must be zero or more"
SIDE_UNKNOWN = "Say who is agreeing: the person or the organisation"
NOT_FOR_PERSON = "Only {person} or their representative can agree for them"
NOT_FOR_ORGANISATION = "Only staff of {org} can agree for {org}"
ALREADY_AGREED = "This side has already agreed"
AGREEMENT_NOT_PROPOSED = "This agreement is no longer waiting to be agreed"
STATEMENT_NOT_THEIRS = (
    "Only {org} or the council's finance team can send a statement for this agreement"
)
STATEMENT_NEEDS_ACTIVE = "A statement can be sent only once both sides have agreed"
PERIOD_ORDER = "The end of the period must be on or after its start"
PERIOD_IN_FUTURE = "The end of the period must be today or in the past"
PERIOD_BEFORE_AGREEMENT = "The period must start on or after the agreement started, on {on}"
PERIOD_OVERLAPS = "There is already a statement for {start} to {end}: periods cannot overlap"
STATEMENT_NO_LINES = "Enter what was received and spent for at least one funding stream"
STREAM_NOT_HELD = "{stream} does not pay for any part of the budget held under this agreement"
AMOUNT_NOT_PENCE = "Amounts must be whole pence, zero or more"
CARRIED_STREAM_MISSING = (
    "Include {stream}: it carried {amount} forward from the last statement, and that money "
    "stays in {stream}"
)


class HoldingError(Refused):
    """An agreement or statement refused by a rule."""


def _refuse(reason: str, field: str) -> HoldingError:
    return HoldingError(REFUSED.format(reason=reason), field=field)


def _date(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def last_four(number: str) -> str:
    """All that is ever shown of an account number, card reference or DBS number."""
    return number[-4:]


def masked(number: str) -> str:
    """An account number or card reference as pages show it."""
    return f"ending {last_four(number)}" if number else ""


def _digits(value: str) -> str:
    return "".join(c for c in value if c not in " -")


def _usable(plan: SupportPlan) -> None:
    if plan.status == SupportPlan.Status.SUPERSEDED:
        raise HoldingError(PLAN_REPLACED)


def _lines_held(
    plan: SupportPlan, kind: str, on: dt.date, organisation: Provider | None = None
) -> list[PlanLine]:
    """The plan's lines held in this way on a date. An ISF is held by its provider: a line
    held as an ISF counts for the organisation named on it (or for any, if none is named)."""
    held = []
    for line in plan.lines.all():
        deployment, provider, _ = arrangement_on(line, on)
        if deployment != kind:
            continue
        if (
            kind == FundAgreement.Kind.ISF
            and organisation is not None
            and provider is not None
            and provider.pk != organisation.pk
        ):
            continue
        held.append(line)
    return held


def held_weekly_by_stream(agreement: FundAgreement, on: dt.date) -> dict[str, int]:
    """Weekly amount of each funding stream held under the agreement on a date."""
    weekly: dict[str, int] = {}
    for line in _lines_held(agreement.plan, agreement.kind, on, agreement.organisation):
        weekly[line.funding_stream] = weekly.get(line.funding_stream, 0) + line.weekly_cost_pence
    return weekly


def _checks(
    *,
    recipient_type: str,
    recipient: Person | None,
    person: Person,
    has_capacity: bool,
    recipient_agrees: bool,
    capable_of_managing: bool,
    appropriate: bool,
    not_excluded: bool,
    best_interests: bool,
    deputy_or_attorney: bool,
    close_family_or_friend: bool,
    dbs_reference: str,
    dbs_checked_on: dt.date | None,
    today: dt.date,
) -> None:
    """The s.31 (person with capacity) and s.32 (person lacking capacity) conditions."""
    if recipient_type not in DP.Recipient.values:
        raise HoldingError(RECIPIENT_TYPE_NEEDED, field="recipient_type")
    if recipient_type == DP.Recipient.PERSON:
        if recipient is not None:
            raise HoldingError(RECIPIENT_NOT_FOR_PERSON, field="recipient")
        if not has_capacity:
            raise _refuse(REASON_PERSON_LACKS_CAPACITY, "has_capacity")
    else:
        if recipient is None:
            raise HoldingError(RECIPIENT_NEEDED, field="recipient")
        related = Relationship.objects.current(today).filter(
            person=person, related_person=recipient
        )
        if not related.exists():
            raise HoldingError(RECIPIENT_NOT_RELATED, field="recipient")
    if recipient_type == DP.Recipient.NOMINATED:
        if not has_capacity:
            raise _refuse(REASON_NOMINATED_NEEDS_CAPACITY, "has_capacity")
        if not recipient_agrees:
            raise _refuse(REASON_NOMINEE_NOT_AGREED, "recipient_agrees")
    if recipient_type == DP.Recipient.AUTHORISED:
        if has_capacity:
            raise _refuse(REASON_AUTHORISED_NEEDS_INCAPACITY, "has_capacity")
        if not recipient_agrees:
            raise _refuse(REASON_AUTHORISED_NOT_AGREED, "recipient_agrees")
        if not best_interests:
            raise _refuse(REASON_NOT_BEST_INTERESTS, "best_interests")
    if not capable_of_managing:
        raise _refuse(REASON_NOT_CAPABLE, "capable_of_managing")
    if not appropriate:
        raise _refuse(REASON_NOT_APPROPRIATE, "appropriate")
    if not not_excluded:
        raise _refuse(REASON_EXCLUDED, "not_excluded")
    if (
        recipient_type == DP.Recipient.AUTHORISED
        and not deputy_or_attorney
        and not close_family_or_friend
    ):
        # An enhanced DBS check is expected of an authorised person the person does not
        # already rely on in law or in their care.
        if not dbs_reference.strip():
            raise HoldingError(DBS_NUMBER_NEEDED, field="dbs_reference")
        if dbs_checked_on is None:
            raise HoldingError(DBS_DATE_NEEDED, field="dbs_checked_on")
        if dbs_checked_on > today:
            raise HoldingError(DBS_DATE_FUTURE, field="dbs_checked_on")


def _account(
    account_type: str,
    sort_code: str,
    account_number: str,
    second_account_holder: str,
    card_reference: str,
) -> dict[str, str]:
    """The account fields to keep for this kind of account (the others blank)."""
    kept = {
        "sort_code": "",
        "account_number": "",
        "second_account_holder": "",
        "card_reference": "",
    }
    if account_type not in DP.Account.values:
        raise HoldingError(ACCOUNT_TYPE_NEEDED, field="account_type")
    if account_type == DP.Account.PREPAID:
        if not card_reference.strip():
            raise HoldingError(CARD_REFERENCE_NEEDED, field="card_reference")
        kept["card_reference"] = card_reference.strip()
        return kept
    sort_code, account_number = _digits(sort_code), _digits(account_number)
    if len(sort_code) != 6 or not sort_code.isdigit():
        raise HoldingError(SORT_CODE_FORMAT, field="sort_code")
    if len(account_number) != 8 or not account_number.isdigit():
        raise HoldingError(ACCOUNT_NUMBER_FORMAT, field="account_number")
    kept["sort_code"], kept["account_number"] = sort_code, account_number
    if account_type == DP.Account.JOINT:
        if not second_account_holder.strip():
            raise HoldingError(SECOND_HOLDER_NEEDED, field="second_account_holder")
        kept["second_account_holder"] = second_account_holder.strip()
    return kept


@transaction.atomic
def direct_payment_agreement_create(
    *,
    actor: User,
    plan: SupportPlan,
    recipient_type: str,
    account_type: str,
    has_capacity: bool,
    capable_of_managing: bool,
    appropriate: bool,
    not_excluded: bool,
    starts_on: dt.date,
    recipient: Person | None = None,
    recipient_agrees: bool = False,
    best_interests: bool = False,
    deputy_or_attorney: bool = False,
    close_family_or_friend: bool = False,
    dbs_reference: str = "",
    dbs_checked_on: dt.date | None = None,
    sort_code: str = "",
    account_number: str = "",
    second_account_holder: str = "",
    card_reference: str = "",
    pays_close_relative_in_household: bool = False,
    necessity_reason: str = "",
    link_officer: User | None = None,
    today: dt.date | None = None,
) -> DirectPaymentAgreement:
    """Agree a direct payment on the plan, after the law's checks; it replaces the one in
    place (which ends the day before). Refused, with the reason, if a check fails. The link
    officer (optional) is the person's contact in the direct payments team: a finance officer."""
    today = today or timezone.localdate()
    _usable(plan)
    if link_officer is not None and Role.FINANCE not in roles_of(link_officer):
        raise HoldingError(LINK_OFFICER_NOT_FINANCE, field="link_officer")
    if not _lines_held(plan, "direct_payment", starts_on):
        raise HoldingError(NO_DIRECT_PAYMENT_LINE.format(on=_date(starts_on)))
    _checks(
        recipient_type=recipient_type,
        recipient=recipient,
        person=plan.person,
        has_capacity=has_capacity,
        recipient_agrees=recipient_agrees,
        capable_of_managing=capable_of_managing,
        appropriate=appropriate,
        not_excluded=not_excluded,
        best_interests=best_interests,
        deputy_or_attorney=deputy_or_attorney,
        close_family_or_friend=close_family_or_friend,
        dbs_reference=dbs_reference,
        dbs_checked_on=dbs_checked_on,
        today=today,
    )
    account = _account(
        account_type, sort_code, account_number, second_account_holder, card_reference
    )
    if pays_close_relative_in_household:
        # Regulation 3: only when the council decides it is necessary, and a manager decides.
        if not necessity_reason.strip():
            raise HoldingError(NECESSITY_REASON_NEEDED, field="necessity_reason")
        if not user_can(actor, "holding.necessity_decide"):
            raise HoldingError(NECESSITY_NEEDS_MANAGER, field="pays_close_relative_in_household")
    current = (
        DirectPaymentAgreement.objects.select_for_update()
        .filter(plan=plan, status=DP.Status.ACTIVE)
        .first()
    )
    if current is not None and starts_on <= current.starts_on:
        raise HoldingError(
            STARTS_AFTER_CURRENT.format(on=_date(current.starts_on)), field="starts_on"
        )
    changes: dict[str, list[Any]] = {}
    if current is not None:
        current.status, current.ends_on = DP.Status.ENDED, starts_on - dt.timedelta(days=1)
        current.save(update_fields=["status", "ends_on"])
        changes["Agreement in place"] = [
            f"From {_date(current.starts_on)}",
            f"Ended on {_date(current.ends_on)}",
        ]
    is_relative = pays_close_relative_in_household
    agreement = DirectPaymentAgreement.objects.create(
        plan=plan,
        person=plan.person,
        recipient_type=recipient_type,
        recipient=recipient if recipient_type != DP.Recipient.PERSON else None,
        account_type=account_type,
        has_capacity=has_capacity,
        recipient_agrees=recipient_agrees if recipient_type != DP.Recipient.PERSON else False,
        capable_of_managing=capable_of_managing,
        appropriate=appropriate,
        not_excluded=not_excluded,
        best_interests=best_interests if recipient_type == DP.Recipient.AUTHORISED else False,
        deputy_or_attorney=deputy_or_attorney,
        close_family_or_friend=close_family_or_friend,
        dbs_reference=dbs_reference.strip(),
        dbs_checked_on=dbs_checked_on,
        pays_close_relative_in_household=is_relative,
        necessity_reason=necessity_reason.strip() if is_relative else "",
        necessity_decided_by=actor if is_relative else None,
        necessity_decided_on=today if is_relative else None,
        starts_on=starts_on,
        link_officer=link_officer,
        created_by=actor,
        **account,
    )
    paid_to = agreement.get_recipient_type_display()
    if recipient is not None and recipient_type != DP.Recipient.PERSON:
        paid_to = f"{paid_to}: {recipient.given_name} {recipient.family_name}"
    changes.update(
        {
            "Paid to": [None, paid_to],
            "Account": [
                None,
                f"{agreement.get_account_type_display()} "
                f"{masked(agreement.account_number or agreement.card_reference)}",
            ],
        }
    )
    if link_officer is not None:
        changes["Link person"] = [None, link_officer.get_full_name() or link_officer.get_username()]
    if is_relative:
        changes["Pays a close relative in the household"] = [
            None,
            f"Necessary: {agreement.necessity_reason}",
        ]
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="direct_payment_agreement",
        object_id=agreement.pk,
        person_id=plan.person_id,
        summary=f"Agreed a direct payment from {_date(starts_on)}",
        changes=changes,
    )
    return agreement


@transaction.atomic
def direct_payment_agreement_end(
    *, actor: User, agreement: DirectPaymentAgreement, ends_on: dt.date | None = None
) -> DirectPaymentAgreement:
    ends_on = ends_on or timezone.localdate()
    if agreement.status == DP.Status.ENDED:
        raise HoldingError(ALREADY_ENDED)
    if ends_on < agreement.starts_on:
        raise HoldingError(END_BEFORE_START, field="ends_on")
    agreement.status, agreement.ends_on = DP.Status.ENDED, ends_on
    agreement.save(update_fields=["status", "ends_on"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="direct_payment_agreement",
        object_id=agreement.pk,
        person_id=agreement.person_id,
        summary=f"Ended the direct payment agreement on {_date(ends_on)}",
        changes={"Status": ["In place", "Ended"]},
    )
    return agreement


def _fund_agreement_exists(organisation: Provider, **_: object) -> HoldingError:
    return HoldingError(FUND_AGREEMENT_EXISTS.format(org=organisation), field="organisation")


@lost_race_refused(_fund_agreement_exists)
@transaction.atomic
def fund_agreement_create(
    *,
    actor: User,
    plan: SupportPlan,
    kind: str,
    organisation: Provider,
    surplus_rule: str,
    carry_limit_weeks: int,
    fee_weekly_pence: int,
    starts_on: dt.date,
) -> FundAgreement:
    """Propose an ISF (held by a provider) or third-party managed account (held by a support
    organisation); it is in place once the person and the organisation have both agreed."""
    _usable(plan)
    if kind not in FundAgreement.Kind.values:
        raise HoldingError(KIND_NEEDED, field="kind")
    if surplus_rule not in FundAgreement.Surplus.values:
        raise HoldingError(SURPLUS_RULE_NEEDED, field="surplus_rule")
    if surplus_rule == FundAgreement.Surplus.CARRY and not 1 <= carry_limit_weeks <= 52:
        raise HoldingError(CARRY_WEEKS_RANGE, field="carry_limit_weeks")
    if fee_weekly_pence < 0:
        raise HoldingError(FEE_NEGATIVE, field="fee_weekly_pence")
    if not _lines_held(plan, kind, starts_on, organisation):
        raise HoldingError(
            NO_FUND_LINE[FundAgreement.Kind(kind)].format(org=organisation, on=_date(starts_on))
        )
    # The plan's row is locked so two proposals at once with one organisation make one.
    SupportPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    if (
        FundAgreement.objects.filter(plan=plan, organisation=organisation)
        .exclude(status=FundAgreement.Status.ENDED)
        .exists()
    ):
        raise _fund_agreement_exists(organisation)
    agreement = FundAgreement.objects.create(
        plan=plan,
        person=plan.person,
        kind=kind,
        organisation=organisation,
        surplus_rule=surplus_rule,
        carry_limit_weeks=carry_limit_weeks if surplus_rule == FundAgreement.Surplus.CARRY else 0,
        fee_weekly_pence=fee_weekly_pence,
        starts_on=starts_on,
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="fund_agreement",
        object_id=agreement.pk,
        person_id=plan.person_id,
        summary=f"Proposed the {agreement.get_kind_display().lower()} with {organisation} "
        f"from {_date(starts_on)}",
        changes={
            "Surplus": [None, agreement.get_surplus_rule_display()],
            "Fee": [None, f"{pounds(fee_weekly_pence)} a week"],
        },
    )
    return agreement


def acts_for_person(actor: User, person: Person, today: dt.date | None = None) -> bool:
    """The person themselves, or their current nominated or authorised representative."""
    roles = roles_of(actor)
    profile = getattr(actor, "profile", None)
    own_id = profile.person_id if profile is not None else None
    if own_id is None:
        return False
    if Role.HOLDER in roles and own_id == person.pk:
        return True
    return Role.REPRESENTATIVE in roles and any(
        p.pk == own_id for p in representatives_of(person, today or timezone.localdate())
    )


def works_for(actor: User, organisation_id: int) -> bool:
    profile = getattr(actor, "profile", None)
    return (
        Role.PROVIDER in roles_of(actor)
        and profile is not None
        and profile.provider_id == organisation_id
    )


def sides_for(actor: User, agreement: FundAgreement) -> list[str]:
    """The sides of the agreement this user may agree for, still waiting for agreement."""
    if agreement.status != FundAgreement.Status.PROPOSED:
        return []
    sides = []
    if agreement.person_agreed_on is None and acts_for_person(actor, agreement.person):
        sides.append("person")
    if agreement.organisation_agreed_on is None and works_for(actor, agreement.organisation_id):
        sides.append("organisation")
    return sides


@transaction.atomic
def fund_agreement_agree(
    *, actor: User, agreement: FundAgreement, side: str, today: dt.date | None = None
) -> FundAgreement:
    today = today or timezone.localdate()
    agreement = FundAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != FundAgreement.Status.PROPOSED:
        raise HoldingError(AGREEMENT_NOT_PROPOSED)
    if side == "person":
        if not acts_for_person(actor, agreement.person, today):
            raise HoldingError(NOT_FOR_PERSON.format(person=agreement.person))
        if agreement.person_agreed_on is not None:
            raise HoldingError(ALREADY_AGREED)
        agreement.person_agreed_on = today
        who = str(agreement.person)
    elif side == "organisation":
        if not works_for(actor, agreement.organisation_id):
            raise HoldingError(NOT_FOR_ORGANISATION.format(org=agreement.organisation))
        if agreement.organisation_agreed_on is not None:
            raise HoldingError(ALREADY_AGREED)
        agreement.organisation_agreed_on = today
        who = str(agreement.organisation)
    else:
        raise HoldingError(SIDE_UNKNOWN, field="side")
    changes: dict[str, list[Any]] = {f"Agreed by {who}": [None, _date(today)]}
    if agreement.person_agreed_on and agreement.organisation_agreed_on:
        agreement.status = FundAgreement.Status.ACTIVE
        changes["Status"] = ["Waiting for both sides to agree", "In place"]
    agreement.save(update_fields=["person_agreed_on", "organisation_agreed_on", "status"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="fund_agreement",
        object_id=agreement.pk,
        person_id=agreement.person_id,
        summary=f"{who} agreed the {agreement.get_kind_display().lower()}"
        + (": it is now in place" if agreement.status == FundAgreement.Status.ACTIVE else ""),
        changes=changes,
    )
    return agreement


@dataclass(frozen=True)
class StreamFigures:
    """One stream's period: what was available, what was spent, and where the rest goes."""

    brought_forward_pence: int
    received_pence: int
    spent_pence: int
    carried_pence: int
    returned_pence: int
    overspent_pence: int


def surplus_split(
    *,
    brought_forward_pence: int,
    received_pence: int,
    spent_pence: int,
    surplus_rule: str,
    carry_limit_pence: int,
) -> StreamFigures:
    """The surplus rule on one stream alone: a stream's money (and so a ring-fenced stream's
    under-spend) only ever stays in that stream or goes back to its funder."""
    available = brought_forward_pence + received_pence
    surplus = max(0, available - spent_pence)
    overspent = max(0, spent_pence - available)
    carried = min(surplus, carry_limit_pence) if surplus_rule == FundAgreement.Surplus.CARRY else 0
    return StreamFigures(
        brought_forward_pence=brought_forward_pence,
        received_pence=received_pence,
        spent_pence=spent_pence,
        carried_pence=carried,
        returned_pence=surplus - carried,
        overspent_pence=overspent,
    )


def brought_forward(agreement: FundAgreement, before: dt.date) -> dict[str, int]:
    """What each stream carried forward at the last statement ending before a date."""
    previous = (
        agreement.statements.filter(period_end__lt=before).order_by("-period_end", "-id").first()
    )
    if previous is None:
        return {}
    return {line.funding_stream: line.carried_pence for line in previous.lines.all()}


@transaction.atomic
def fund_statement_submit(
    *,
    actor: User,
    agreement: FundAgreement,
    period_start: dt.date,
    period_end: dt.date,
    lines: dict[str, tuple[int, int]],
    note: str = "",
) -> FundStatement:
    """The organisation's statement of what it received and spent, by funding stream."""
    if not (works_for(actor, agreement.organisation_id) or Role.FINANCE in roles_of(actor)):
        raise HoldingError(STATEMENT_NOT_THEIRS.format(org=agreement.organisation))
    if agreement.status != FundAgreement.Status.ACTIVE:
        raise HoldingError(STATEMENT_NEEDS_ACTIVE)
    if period_end < period_start:
        raise HoldingError(PERIOD_ORDER, field="period_end")
    if period_end > timezone.localdate():
        # What was spent is known only once the period is over (issue 13).
        raise HoldingError(PERIOD_IN_FUTURE, field="period_end")
    if period_start < agreement.starts_on:
        raise HoldingError(
            PERIOD_BEFORE_AGREEMENT.format(on=_date(agreement.starts_on)), field="period_start"
        )
    overlap = agreement.statements.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlap is not None:
        raise HoldingError(
            PERIOD_OVERLAPS.format(
                start=_date(overlap.period_start), end=_date(overlap.period_end)
            ),
            field="period_start",
        )
    if not lines:
        raise HoldingError(STATEMENT_NO_LINES)
    weekly = held_weekly_by_stream(agreement, period_end)
    earlier = brought_forward(agreement, period_start)
    for stream, amount in earlier.items():
        if amount and stream not in lines:
            # A carried surplus (ring-fenced or not) is never dropped or moved silently.
            raise HoldingError(
                CARRIED_STREAM_MISSING.format(
                    stream=streams.stream_name(stream), amount=pounds(amount)
                ),
                field=stream,
            )
    figures: dict[str, StreamFigures] = {}
    for stream, amounts in lines.items():
        try:
            rule = streams.rule_on(stream, period_end)
        except LookupError as unknown:
            raise HoldingError(str(unknown)) from unknown
        # A stream no longer held may still report the surplus it carried: all of it goes back.
        if stream not in weekly and not earlier.get(stream):
            raise HoldingError(STREAM_NOT_HELD.format(stream=rule.name), field=stream)
        received, spent = amounts
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in amounts):
            raise HoldingError(AMOUNT_NOT_PENCE, field=stream)
        figures[stream] = surplus_split(
            brought_forward_pence=earlier.get(stream, 0),
            received_pence=received,
            spent_pence=spent,
            surplus_rule=agreement.surplus_rule,
            carry_limit_pence=agreement.carry_limit_weeks * weekly.get(stream, 0),
        )
    statement = FundStatement.objects.create(
        agreement=agreement,
        period_start=period_start,
        period_end=period_end,
        note=note.strip(),
        submitted_by=actor,
    )
    FundStatementLine.objects.bulk_create(
        FundStatementLine(
            statement=statement,
            funding_stream=stream,
            received_pence=f.received_pence,
            spent_pence=f.spent_pence,
            carried_pence=f.carried_pence,
            returned_pence=f.returned_pence,
            overspent_pence=f.overspent_pence,
        )
        for stream, f in figures.items()
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="fund_statement",
        object_id=statement.pk,
        person_id=agreement.person_id,
        summary=f"{agreement.organisation} statement for {_date(period_start)} to "
        f"{_date(period_end)}",
        changes={
            streams.stream_name(stream): [
                None,
                f"received {pounds(f.received_pence)}, spent {pounds(f.spent_pence)}, "
                f"carried {pounds(f.carried_pence)}, returned {pounds(f.returned_pence)}"
                + (f", overspent {pounds(f.overspent_pence)}" if f.overspent_pence else ""),
            ]
            for stream, f in figures.items()
        },
    )
    _monitoring_flag(actor=actor, agreement=agreement, figures=list(figures.values()))
    return statement


# Spending less than this share of what was received in a period raises a monitoring flag.
UNDERSPEND_FLAG_PERCENT = 25


def _monitoring_flag(
    *, actor: User, agreement: FundAgreement, figures: list[StreamFigures]
) -> None:
    """An overspend, or an under-spend of more than a quarter, triggers a monitoring review of
    the plan in force (once: not while one is already due)."""
    from selfdirect.planning import services as planning
    from selfdirect.planning.models import Review

    received = sum(f.received_pence for f in figures)
    spent = sum(f.spent_pence for f in figures)
    overspent = sum(f.overspent_pence for f in figures)
    if overspent:
        reason = (
            f"The statement from {agreement.organisation} shows an overspend of {pounds(overspent)}"
        )
    elif received and (received - spent) * 100 > received * UNDERSPEND_FLAG_PERCENT:
        reason = (
            f"The statement from {agreement.organisation} shows {pounds(spent)} spent of "
            f"{pounds(received)} received: an under-spend of more than {UNDERSPEND_FLAG_PERCENT}%"
        )
    else:
        return
    plan = (
        SupportPlan.objects.filter(
            person_id=agreement.person_id, status=SupportPlan.Status.APPROVED
        )
        .order_by("-version")
        .first()
    )
    if (
        plan is None
        or plan.reviews.filter(kind=Review.Kind.MONITORING, status=Review.Status.DUE).exists()
    ):
        return
    planning.review_request(actor=actor, plan=plan, kind=Review.Kind.MONITORING, reason=reason)


@dataclass(frozen=True)
class StatementStream:
    code: str
    name: str
    ring_fenced: bool
    figures: StreamFigures


def statement_streams(
    agreement: FundAgreement,
) -> list[tuple[FundStatement, list[StatementStream]]]:
    """Each statement (oldest first) with its streams' figures, including what each stream
    brought forward from the statement before, so a carried surplus is seen to stay put."""
    carried: dict[str, int] = {}
    result = []
    for statement in sorted(agreement.statements.all(), key=lambda s: (s.period_start, s.pk)):
        rows = []
        for line in statement.lines.all():
            try:
                rule = streams.rule_on(line.funding_stream, statement.period_end)
                name, ring_fenced = rule.name, rule.ring_fenced
            except LookupError:
                name, ring_fenced = line.funding_stream, True
            rows.append(
                StatementStream(
                    code=line.funding_stream,
                    name=name,
                    ring_fenced=ring_fenced,
                    figures=StreamFigures(
                        brought_forward_pence=carried.get(line.funding_stream, 0),
                        received_pence=line.received_pence,
                        spent_pence=line.spent_pence,
                        carried_pence=line.carried_pence,
                        returned_pence=line.returned_pence,
                        overspent_pence=line.overspent_pence,
                    ),
                )
            )
        carried = {row.code: row.figures.carried_pence for row in rows}
        result.append((statement, rows))
    return result


def may_submit_statement(actor: User, agreement: FundAgreement) -> bool:
    return agreement.status == FundAgreement.Status.ACTIVE and (
        works_for(actor, agreement.organisation_id) or Role.FINANCE in roles_of(actor)
    )


def statement_stream_names(agreement: FundAgreement, on: dt.date | None = None) -> dict[str, str]:
    """The streams a statement reports on: those held under the agreement, and any that
    carried money forward at the last statement."""
    codes = list(held_weekly_by_stream(agreement, on or timezone.localdate()))
    last = agreement.statements.order_by("-period_end", "-id").first()
    if last is not None:
        codes += [
            line.funding_stream
            for line in last.lines.all()
            if line.carried_pence and line.funding_stream not in codes
        ]
    return {code: streams.stream_name(code) for code in codes}


FEE_CATEGORY = "account_fees"


def holding_fees(plan: SupportPlan, on: dt.date | None = None) -> list[HoldingCost]:
    """What the organisations holding part of this version's budget charge for it, a week:
    every agreement not ended (the version as written), or those in force on ``on``. Counted
    in the plan's cost through planning's ``plan_costs_asked`` (decision 0030). Read through
    ``plan.fund_agreements``, so a caller working on many plans can prefetch
    ``fund_agreements__organisation`` and ask once."""

    def counts(a: FundAgreement) -> bool:
        if a.fee_weekly_pence <= 0:
            return False
        if on is None:
            return a.status != FundAgreement.Status.ENDED
        return (
            a.status == FundAgreement.Status.ACTIVE
            and a.starts_on <= on
            and (a.ends_on is None or a.ends_on >= on)
        )

    agreements = sorted(
        (a for a in plan.fund_agreements.all() if counts(a)), key=lambda a: (a.starts_on, a.pk)
    )
    if not agreements:
        return []
    # A fee already costed as a plan line ("Payroll, accounts and managed-account fees",
    # held the same way) is not counted twice: only what the agreement charges beyond it.
    costed: dict[str, int] = {}
    for line in plan.lines.all():
        if line.category == FEE_CATEGORY:
            way = line.deployment if on is None else arrangement_on(line, on)[0]
            costed[way] = costed.get(way, 0) + line.weekly_cost_pence
    fees = []
    for a in agreements:
        covered = min(costed.get(a.kind, 0), a.fee_weekly_pence)
        costed[a.kind] = costed.get(a.kind, 0) - covered
        if a.fee_weekly_pence - covered > 0:
            fees.append(
                HoldingCost(
                    label=f"Holding fee: {a.organisation} ({streams.DEPLOYMENTS[a.kind].lower()})",
                    deployment=a.kind,
                    weekly_pence=a.fee_weekly_pence - covered,
                )
            )
    return fees
