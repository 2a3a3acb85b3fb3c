"""Changes to a person's PA records (decision 0043): adding and changing a PA, training,
the employer's liability insurance, timesheets entered and approved, and the reminder
before the insurance runs out. Each is one transaction with one audit event; a refusal
names the field and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.employers.models import (
    EmployerCostRates,
    EmployerInsurance,
    PaLink,
    PersonalAssistant,
    Timesheet,
    Training,
)
from selfdirect.employers.rules import half_up, hours_text
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.models import Person
from selfdirect.refusals import Refused

NAME_NEEDED = "Enter the PA's name"
ROLE_NEEDED = "Enter the PA's role, such as personal care or going out"
HOURS_NEEDED = "Enter the hours a week, more than 0 and at most 168"
RATE_NEEDED = "Enter the hourly rate, more than £0"
END_BEFORE_START = "The date the PA stopped must be on or after the start date"
CHECK_IN_FUTURE = "The date of a check cannot be in the future"
COURSE_NEEDED = "Enter the name of the course"
RENEW_BEFORE_DONE = "The date to renew by must be after the date the course was done"
INSURER_NEEDED = "Enter the insurer's name"
POLICY_NEEDED = "Enter the policy number"
WEEK_HOURS_TOO_MANY = "Enter the hours worked that week, more than 0 and at most 168"
WEEK_NOT_STARTED = "The week must have started: enter a week that began today or before"
WEEK_BEFORE_START = "The PA had not started that week: enter a week from their start date"
WEEK_ALREADY_ENTERED = "A timesheet for this PA and week is already entered"
ALREADY_APPROVED = "This timesheet is already approved"
WEEK_AFTER_END = "The PA had stopped by that week: enter a week before they stopped"
RETURNED_NOT_APPROVED = "This timesheet was sent back, so it cannot be approved"
ONLY_WAITING_RETURNED = "Only a timesheet waiting for approval can be sent back"
REASON_NEEDED = "Enter why you are sending the timesheet back, so the PA can put it right"
LINK_ALREADY_REVOKED = "This link has already been stopped"
LINK_FOR_PAST_PA = "This PA has stopped working for you, so they cannot have a timesheet link"
LINK_NOT_WORKING = "This link no longer works: ask your employer for a new one"

# The PA's own link (decision 0054): 32 random bytes, kept only as a SHA-256 hash.
LINK_TOKEN_BYTES = 32
LINK_DAYS = 90
LINK_MAX_FAILURES = 5  # bad submissions in a row before the link is locked

MAX_WEEK_HUNDREDTHS = 168 * 100


def _describe(assistant: PersonalAssistant) -> dict[str, Any]:
    return {
        "Name": assistant.name,
        "Role": assistant.role,
        "Hours a week": hours_text(assistant.hours_hundredths),
        "Hourly rate": pounds(assistant.hourly_rate_pence),
        "Start date": str(assistant.start_date),
        "End date": str(assistant.end_date or ""),
        "DBS check": str(assistant.dbs_checked_on or ""),
        "Right to work checked": str(assistant.right_to_work_checked_on or ""),
    }


def _check_assistant(fields: dict[str, Any]) -> None:
    today = timezone.localdate()
    if not fields["name"]:
        raise Refused(NAME_NEEDED, field="name")
    if not fields["role"]:
        raise Refused(ROLE_NEEDED, field="role")
    if not 0 < fields["hours_hundredths"] <= MAX_WEEK_HUNDREDTHS:
        raise Refused(HOURS_NEEDED, field="hours")
    if fields["hourly_rate_pence"] <= 0:
        raise Refused(RATE_NEEDED, field="hourly_rate")
    if fields["end_date"] is not None and fields["end_date"] < fields["start_date"]:
        raise Refused(END_BEFORE_START, field="end_date")
    for field in ("dbs_checked_on", "right_to_work_checked_on"):
        if fields[field] is not None and fields[field] > today:
            raise Refused(CHECK_IN_FUTURE, field=field)


@transaction.atomic
def assistant_add(
    *,
    actor: User,
    person: Person,
    name: str,
    role: str,
    hours_hundredths: int,
    hourly_rate_pence: int,
    start_date: dt.date,
    end_date: dt.date | None = None,
    dbs_checked_on: dt.date | None = None,
    right_to_work_checked_on: dt.date | None = None,
) -> PersonalAssistant:
    """Record a PA the person employs."""
    fields: dict[str, Any] = {
        "name": name.strip(),
        "role": role.strip(),
        "hours_hundredths": hours_hundredths,
        "hourly_rate_pence": hourly_rate_pence,
        "start_date": start_date,
        "end_date": end_date,
        "dbs_checked_on": dbs_checked_on,
        "right_to_work_checked_on": right_to_work_checked_on,
    }
    _check_assistant(fields)
    assistant = PersonalAssistant.objects.create(person=person, added_by=actor, **fields)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="personalassistant",
        object_id=assistant.pk,
        person_id=person.pk,
        summary=f"Personal assistant {assistant.name} added",
        changes={k: [None, v] for k, v in _describe(assistant).items() if v},
    )
    return assistant


@transaction.atomic
def assistant_update(
    *,
    actor: User,
    assistant: PersonalAssistant,
    name: str,
    role: str,
    hours_hundredths: int,
    hourly_rate_pence: int,
    start_date: dt.date,
    end_date: dt.date | None = None,
    dbs_checked_on: dt.date | None = None,
    right_to_work_checked_on: dt.date | None = None,
) -> PersonalAssistant:
    """Change a PA's details (hours, pay, checks, or the date they stopped)."""
    fields: dict[str, Any] = {
        "name": name.strip(),
        "role": role.strip(),
        "hours_hundredths": hours_hundredths,
        "hourly_rate_pence": hourly_rate_pence,
        "start_date": start_date,
        "end_date": end_date,
        "dbs_checked_on": dbs_checked_on,
        "right_to_work_checked_on": right_to_work_checked_on,
    }
    _check_assistant(fields)
    assistant = PersonalAssistant.objects.select_for_update().get(pk=assistant.pk)
    before = _describe(assistant)
    for key, value in fields.items():
        setattr(assistant, key, value)
    assistant.save()
    after = _describe(assistant)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="personalassistant",
        object_id=assistant.pk,
        person_id=assistant.person_id,
        summary=f"Personal assistant {assistant.name} changed",
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return assistant


@transaction.atomic
def training_add(
    *,
    actor: User,
    assistant: PersonalAssistant,
    course: str,
    completed_on: dt.date,
    renew_by: dt.date | None = None,
) -> Training:
    """Record a course a PA did."""
    if not course.strip():
        raise Refused(COURSE_NEEDED, field="course")
    if completed_on > timezone.localdate():
        raise Refused(CHECK_IN_FUTURE, field="completed_on")
    if renew_by is not None and renew_by <= completed_on:
        raise Refused(RENEW_BEFORE_DONE, field="renew_by")
    training = Training.objects.create(
        assistant=assistant,
        course=course.strip(),
        completed_on=completed_on,
        renew_by=renew_by,
        added_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="training",
        object_id=training.pk,
        person_id=assistant.person_id,
        summary=f"Training recorded for {assistant.name}: {training.course}",
        changes={
            "Course": [None, training.course],
            "Done on": [None, str(completed_on)],
            "Renew by": [None, str(renew_by or "")],
        },
    )
    return training


@transaction.atomic
def insurance_record(
    *,
    actor: User,
    person: Person,
    insurer: str,
    policy_number: str,
    expires_on: dt.date,
    premium_year_pence: int | None = None,
) -> EmployerInsurance:
    """Record the employer's liability insurance (a renewal is recorded the same way; the
    policy that runs latest is the one in force)."""
    if not insurer.strip():
        raise Refused(INSURER_NEEDED, field="insurer")
    if not policy_number.strip():
        raise Refused(POLICY_NEEDED, field="policy_number")
    before = EmployerInsurance.objects.filter(person=person).first()
    policy = EmployerInsurance.objects.create(
        person=person,
        insurer=insurer.strip(),
        policy_number=policy_number.strip(),
        expires_on=expires_on,
        premium_year_pence=premium_year_pence,
        recorded_by=actor,
    )
    # A renewal that runs later settles the reminder about the policy it replaces.
    EmployerInsurance.objects.filter(
        person=person, reminded_at__isnull=True, expires_on__lt=expires_on
    ).exclude(pk=policy.pk).update(reminded_at=timezone.now())
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="employerinsurance",
        object_id=policy.pk,
        person_id=person.pk,
        summary="Employer's liability insurance recorded",
        changes={
            "Insurer": [before.insurer if before else None, policy.insurer],
            "Policy": [before.policy_number if before else None, policy.policy_number],
            "Expires on": [str(before.expires_on) if before else None, str(expires_on)],
            "Premium a year": [None, pounds(premium_year_pence) if premium_year_pence else ""],
        },
    )
    return policy


def insurance_remind(*, policy: EmployerInsurance, today: dt.date) -> bool:
    """Tell the person (and whoever acts for them) their insurance runs out soon, once per
    policy: a second run, or a retried job, sends nothing. True if it was sent now."""
    with transaction.atomic():
        locked = EmployerInsurance.objects.select_for_update().get(pk=policy.pk)
        if locked.reminded_at is not None:
            return False
        if EmployerInsurance.objects.filter(
            person_id=locked.person_id, expires_on__gt=locked.expires_on
        ).exists():
            locked.reminded_at = timezone.now()  # renewed already: nothing to remind
            locked.save(update_fields=["reminded_at"])
            return False
        ran_out = locked.expires_on < today
        day = f"{locked.expires_on.day} {locked.expires_on:%B %Y}"
        notification_send(
            actor=None,
            person=locked.person,
            kind=Message.Kind.NOTICE,
            subject="{Whose} employer's liability insurance "
            + ("has run out" if ran_out else "runs out soon"),
            body=(
                f"{{Whose}} employer's liability insurance with {_literal(locked.insurer)} "
                f"(policy {_literal(locked.policy_number)}) "
                f"{'ran' if ran_out else 'runs'} out on {day}. An "
                "employer of a personal assistant must be insured. Renew it with the insurer, "
                "then record the new policy on the page about the people you employ."
            ),
            key=f"pa-insurance-{locked.pk}-expiry-{locked.expires_on.isoformat()}",
            link=reverse("employers:person", args=[locked.person_id]),
        )
        locked.reminded_at = timezone.now()
        locked.save(update_fields=["reminded_at"])
        event_record(
            actor=None,
            action=Action.UPDATE,
            object_type="employerinsurance",
            object_id=locked.pk,
            person_id=locked.person_id,
            summary="Reminder sent: the employer's liability insurance runs out",
            changes={"Reminded": [None, str(today)]},
        )
    return True


def timesheet_amount(hours_hundredths: int, hourly_rate_pence: int) -> int:
    """Hours x rate in whole pence, half a penny up (as the true cost rounds a week)."""
    return half_up(hours_hundredths * hourly_rate_pence, 100)


def _timesheet_checks(assistant: PersonalAssistant, week_starting: dt.date, hours: int) -> None:
    if not 0 < hours <= MAX_WEEK_HUNDREDTHS:
        raise Refused(WEEK_HOURS_TOO_MANY, field="hours")
    if week_starting > timezone.localdate():
        raise Refused(WEEK_NOT_STARTED, field="week_starting")
    if week_starting + dt.timedelta(days=6) < assistant.start_date:
        raise Refused(WEEK_BEFORE_START, field="week_starting")
    if assistant.end_date is not None and week_starting > assistant.end_date:
        raise Refused(WEEK_AFTER_END, field="week_starting")
    if (
        Timesheet.objects.filter(assistant=assistant, week_starting=week_starting)
        .exclude(status=Timesheet.Status.RETURNED)
        .exists()
    ):
        raise Refused(WEEK_ALREADY_ENTERED, field="week_starting")


def _timesheet_create(
    *,
    actor: User | None,
    link: PaLink | None,
    assistant: PersonalAssistant,
    week_starting: dt.date,
    hours_hundredths: int,
    note: str,
) -> Timesheet:
    """The timesheet and its audit event, in one savepoint; a lost race for the same week
    is refused as if it had been seen."""
    _timesheet_checks(assistant, week_starting, hours_hundredths)
    who = f" by {assistant.name} through their timesheet link" if link is not None else ""
    try:
        with transaction.atomic():
            sheet = Timesheet.objects.create(
                assistant=assistant,
                person_id=assistant.person_id,
                week_starting=week_starting,
                hours_hundredths=hours_hundredths,
                hourly_rate_pence=assistant.hourly_rate_pence,
                amount_pence=timesheet_amount(hours_hundredths, assistant.hourly_rate_pence),
                note=note.strip(),
                entered_by=actor,
                entered_via=link,
            )
            changes: dict[str, Any] = {
                "Hours": [None, hours_text(hours_hundredths)],
                "Pay": [None, pounds(sheet.amount_pence)],
            }
            if link is not None:
                changes["Entered through link"] = [None, link.pk]
            event_record(
                actor=actor,
                action=Action.CREATE,
                object_type="timesheet",
                object_id=sheet.pk,
                person_id=assistant.person_id,
                summary=f"Timesheet entered{who} for {assistant.name}, week of {week_starting}",
                changes=changes,
            )
    except IntegrityError as lost:  # another request entered the same week first
        raise Refused(WEEK_ALREADY_ENTERED, field="week_starting") from lost
    return sheet


def timesheet_enter(
    *,
    actor: User,
    assistant: PersonalAssistant,
    week_starting: dt.date,
    hours_hundredths: int,
    note: str = "",
) -> Timesheet:
    """Enter the hours a PA worked in a week, at their hourly rate; approved next."""
    return _timesheet_create(
        actor=actor,
        link=None,
        assistant=assistant,
        week_starting=week_starting,
        hours_hundredths=hours_hundredths,
        note=note,
    )


@transaction.atomic
def timesheet_approve(*, actor: User, timesheet: Timesheet) -> Timesheet:
    """Approve a timesheet: it goes into the payroll file and the expected spend."""
    sheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
    if sheet.status == Timesheet.Status.APPROVED:
        raise Refused(ALREADY_APPROVED)
    if sheet.status == Timesheet.Status.RETURNED:
        raise Refused(RETURNED_NOT_APPROVED)
    sheet.status = Timesheet.Status.APPROVED
    sheet.approved_by = actor
    sheet.approved_at = timezone.now()
    sheet.save(update_fields=["status", "approved_by", "approved_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="timesheet",
        object_id=sheet.pk,
        person_id=sheet.person_id,
        summary=f"Timesheet approved for {sheet.assistant.name}, week of {sheet.week_starting}",
        changes={"Status": ["Waiting for approval", "Approved"]},
    )
    return sheet


@transaction.atomic
def timesheet_send_back(*, actor: User, timesheet: Timesheet, reason: str) -> Timesheet:
    """Send a timesheet waiting for approval back, with the reason (the PA sees it on
    their link); it stays on record, and the week may be entered again."""
    if not reason.strip():
        raise Refused(REASON_NEEDED, field="reason")
    sheet = Timesheet.objects.select_for_update().select_related("assistant").get(pk=timesheet.pk)
    if sheet.status != Timesheet.Status.ENTERED:
        raise Refused(ONLY_WAITING_RETURNED)
    sheet.status = Timesheet.Status.RETURNED
    sheet.returned_by = actor
    sheet.returned_at = timezone.now()
    sheet.returned_reason = reason.strip()
    sheet.save(update_fields=["status", "returned_by", "returned_at", "returned_reason"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="timesheet",
        object_id=sheet.pk,
        person_id=sheet.person_id,
        summary=f"Timesheet sent back to {sheet.assistant.name}, week of {sheet.week_starting}",
        changes={
            "Status": ["Waiting for approval", "Sent back"],
            "Reason": [None, sheet.returned_reason],
        },
    )
    return sheet


def _literal(text: str) -> str:
    """Text put into a message as it is (the message fills in {whose} with str.format)."""
    return text.replace("{", "{{").replace("}", "}}")


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def pa_link_create(*, actor: User, assistant: PersonalAssistant) -> tuple[PaLink, str]:
    """A new private link for one PA to enter their timesheets (decision 0054), lasting
    LINK_DAYS days. The token is returned once and kept only as a hash; the PA's link made
    before stops working. Returns the link and its token."""
    locked = PersonalAssistant.objects.select_for_update().get(pk=assistant.pk)
    if locked.end_date is not None and locked.end_date < timezone.localdate():
        raise Refused(LINK_FOR_PAST_PA)
    now = timezone.now()
    stopped = list(
        PaLink.objects.filter(assistant=locked, revoked_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    PaLink.objects.filter(pk__in=stopped).update(revoked_at=now, revoked_by=actor)
    token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
    link = PaLink.objects.create(
        assistant=locked,
        token_hash=link_hash(token),
        created_by=actor,
        expires_at=now + dt.timedelta(days=LINK_DAYS),
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="palink",
        object_id=link.pk,
        person_id=locked.person_id,
        summary=f"Timesheet link made for {locked.name}",
        changes={
            "Expires": [None, f"{timezone.localtime(link.expires_at):%-d %B %Y}"],
            **({"Links stopped": [None, stopped]} if stopped else {}),
        },
    )
    return link, token


@transaction.atomic
def pa_link_revoke(*, actor: User, link: PaLink) -> PaLink:
    """Stop a PA's link at once. Stopping it twice is refused (nothing changes)."""
    locked = PaLink.objects.select_for_update().select_related("assistant").get(pk=link.pk)
    if locked.revoked_at is not None:
        raise Refused(LINK_ALREADY_REVOKED)
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="palink",
        object_id=locked.pk,
        person_id=locked.assistant.person_id,
        summary=f"Timesheet link for {locked.assistant.name} stopped",
        changes={"Stopped": [None, f"{timezone.localtime(locked.revoked_at):%-d %B %Y}"]},
    )
    return locked


def pa_link_working(link: PaLink) -> bool:
    """Not revoked, not expired, not locked, and the PA has not stopped."""
    assistant = link.assistant
    return (
        link.revoked_at is None
        and link.locked_at is None
        and link.expires_at > timezone.now()
        and (assistant.end_date is None or assistant.end_date >= timezone.localdate())
    )


def pa_link_by_token(token: str) -> PaLink | None:
    """The link a token belongs to (working or not), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    digest = link_hash(token)
    link = (
        PaLink.objects.select_related("assistant", "assistant__person")
        .filter(token_hash=digest)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def pa_link_timesheet_enter(
    *,
    link: PaLink,
    week_starting: dt.date,
    hours_hundredths: int,
    note: str = "",
) -> Timesheet:
    """The PA enters a week's hours through their link (no account: the audit event has no
    actor and names the link). It waits for the person to approve it, and they are told."""
    with transaction.atomic():
        locked = PaLink.objects.select_for_update().select_related("assistant").get(pk=link.pk)
        if not pa_link_working(locked):
            raise Refused(LINK_NOT_WORKING)
        sheet = _timesheet_create(
            actor=None,
            link=locked,
            assistant=locked.assistant,
            week_starting=week_starting,
            hours_hundredths=hours_hundredths,
            note=note,
        )
        locked.failures = 0
        locked.last_used_at = timezone.now()
        locked.save(update_fields=["failures", "last_used_at"])
        assistant = locked.assistant
        name = _literal(assistant.name)
        notification_send(
            actor=None,
            person=assistant.person,
            kind=Message.Kind.NOTICE,
            subject=f"{name} has sent a timesheet to approve",
            body=(
                f"{name} entered {hours_text(hours_hundredths)} hours for the week "
                f"starting {week_starting:%-d %B %Y}. Approve it, or send it back with the "
                "reason, on the page about the people {whose} direct payment employs."
            ),
            key=f"pa-timesheet-{sheet.pk}-entered",
            link=reverse("employers:person", args=[assistant.person_id]),
        )
    return sheet


def pa_link_failure(*, link: PaLink) -> PaLink:
    """Count a bad submission on a link; after LINK_MAX_FAILURES in a row it is locked (the
    person makes a new one). Audited when it locks."""
    with transaction.atomic():
        locked = PaLink.objects.select_for_update().select_related("assistant").get(pk=link.pk)
        if locked.locked_at is not None:
            return locked
        locked.failures += 1
        fields = ["failures"]
        if locked.failures >= LINK_MAX_FAILURES:
            locked.locked_at = timezone.now()
            fields.append("locked_at")
        locked.save(update_fields=fields)
        if locked.locked_at is not None:
            event_record(
                actor=None,
                action=Action.UPDATE,
                object_type="palink",
                object_id=locked.pk,
                person_id=locked.assistant.person_id,
                summary=(
                    f"Timesheet link for {locked.assistant.name} locked after "
                    f"{locked.failures} bad submissions in a row"
                ),
                changes={"Locked": [None, True], "Link": [None, locked.pk]},
            )
    return locked


# The tax year's rates for the true cost (finance and administrators; docs/pa-employers.md).
RATE_FIGURES = (
    "employer_ni_rate_bp",
    "secondary_threshold_year_pence",
    "employment_allowance_year_pence",
    "holiday_weeks_tenths",
    "pension_lower_year_pence",
    "pension_upper_year_pence",
    "pension_trigger_year_pence",
    "pension_employer_rate_bp",
    "national_living_wage_pence",
    "insurance_year_pence",
    "payroll_fee_year_pence",
)
RATES_DATE_NEEDED = "Enter the date the rates start"
RATES_NOT_AFTER_LATEST = (
    "The rates must start after the latest rates, which start on {on}: "
    "rates in use are never changed, a correction is a new row from a later date"
)
RATES_FIGURE_NEEDED = "Enter {what}"
RATES_PERCENT_TOO_BIG = "Enter {what} of 100% or less"
RATES_NOT_ZERO = "Enter {what}, more than 0"
RATES_BAND_ORDER = "The lower limit of qualifying earnings must not be more than the upper limit"
RATES_SOURCE_NEEDED = "Enter where the figures come from"
RATE_WORDS = {
    "employer_ni_rate_bp": "the employer's National Insurance rate",
    "secondary_threshold_year_pence": "the secondary threshold",
    "employment_allowance_year_pence": "the Employment Allowance",
    "holiday_weeks_tenths": "the weeks of paid holiday",
    "pension_lower_year_pence": "the lower limit of qualifying earnings",
    "pension_upper_year_pence": "the upper limit of qualifying earnings",
    "pension_trigger_year_pence": "the earnings trigger",
    "pension_employer_rate_bp": "the employer's pension contribution",
    "national_living_wage_pence": "the National Living Wage",
    "insurance_year_pence": "the estimate for employer's liability insurance",
    "payroll_fee_year_pence": "the estimate for a payroll service",
}


def tax_year_of(day: dt.date) -> str:
    """The UK tax year a date falls in (from 6 April): 2027-04-06 -> '2027/28'."""
    first = day.year if day >= dt.date(day.year, 4, 6) else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _check_rates(figures: dict[str, int | None]) -> None:
    for name in RATE_FIGURES:
        value = figures.get(name)
        if value is None or value < 0:
            raise Refused(RATES_FIGURE_NEEDED.format(what=RATE_WORDS[name]), field=name)
    for name in ("employer_ni_rate_bp", "pension_employer_rate_bp"):
        if (figures[name] or 0) > 10_000:
            raise Refused(RATES_PERCENT_TOO_BIG.format(what=RATE_WORDS[name]), field=name)
    for name in ("holiday_weeks_tenths", "national_living_wage_pence"):
        if not figures[name]:
            raise Refused(RATES_NOT_ZERO.format(what=RATE_WORDS[name]), field=name)
    if (figures["pension_lower_year_pence"] or 0) > (figures["pension_upper_year_pence"] or 0):
        raise Refused(RATES_BAND_ORDER, field="pension_lower_year_pence")


def cost_rates_add(
    *,
    actor: User,
    effective_from: dt.date | None,
    figures: dict[str, int | None],
    source: str,
    not_yet_checked: str = "",
) -> EmployerCostRates:
    """Add the rates of a tax year (or a correction) as a new row from ``effective_from``,
    which must be after the latest row's: a row in use is never changed. The calculators
    pick the row in force on their date (``selectors.rates_on``)."""
    if effective_from is None:
        raise Refused(RATES_DATE_NEEDED, field="effective_from")
    _check_rates(figures)
    if not source.strip():
        raise Refused(RATES_SOURCE_NEEDED, field="source")
    try:
        with transaction.atomic():
            latest = EmployerCostRates.objects.select_for_update().order_by("-effective_from")
            last = latest.first()
            if last is not None and effective_from <= last.effective_from:
                raise Refused(
                    RATES_NOT_AFTER_LATEST.format(on=f"{last.effective_from:%-d %B %Y}"),
                    field="effective_from",
                )
            row = EmployerCostRates.objects.create(
                effective_from=effective_from,
                tax_year=tax_year_of(effective_from),
                source=source.strip(),
                not_yet_checked=not_yet_checked.strip(),
                **{name: figures[name] for name in RATE_FIGURES},
            )
            event_record(
                actor=actor,
                action=Action.CREATE,
                object_type="employercostrates",
                object_id=row.pk,
                summary=f"Employer cost rates for {row.tax_year} added, from {effective_from}",
                changes={
                    **{name: [None, figures[name]] for name in RATE_FIGURES},
                    "source": [None, row.source],
                    "not_yet_checked": [None, row.not_yet_checked],
                },
            )
    except IntegrityError as lost:  # another officer added rates from that date first
        raise Refused(
            RATES_NOT_AFTER_LATEST.format(on=f"{effective_from:%-d %B %Y}"),
            field="effective_from",
        ) from lost
    return row
