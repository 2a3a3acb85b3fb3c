"""The demo council's personal-assistant employers (issue 14): a PA for each approved plan
line that pays a personal assistant by direct payment, with checks, at a wage below the
line's hourly cost (the rest is the on-costs), in one bulk insert; and for the demo
holder, her PA's training, insurance that runs out within the reminder window, and four
weeks of timesheets (three approved, one waiting). Deterministic from the seed."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User

from selfdirect.demo import names
from selfdirect.demo.bulk import rows_insert
from selfdirect.employers import services as employers
from selfdirect.employers.models import PersonalAssistant
from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine, SupportPlan

# The wage, as a share of the plan line's hourly cost (the rest pays the on-costs), and
# never below the National Living Wage of April 2026.
WAGE_SHARE_PERCENT = 82
WAGE_FLOOR_PENCE = 1271
ROLES = (
    "Personal care in the morning",
    "Going out and shopping",
    "Help at home and cooking",
    "Getting to work or college",
    "Evening support",
)
COURSES = ("Moving and handling", "First aid", "Medication awareness")


def _wage(rng: random.Random, line_cost_pence: int) -> int:
    wage = line_cost_pence * WAGE_SHARE_PERCENT // 100 + rng.choice((-20, 0, 15, 30))
    return max(WAGE_FLOOR_PENCE, wage - wage % 5)


def demo_employers_build(
    *, seed: int, holder: Person, holder_user: User, recorder: User, today: dt.date
) -> dict[str, int]:
    """``recorder`` (the demo practitioner) is named as having recorded the other people's
    PAs, taken down when their direct payments were set up; the holder adds her own."""
    rng = random.Random(seed + 14)
    lines = (
        PlanLine.objects.filter(
            plan__status=SupportPlan.Status.APPROVED,
            category="personal_assistant",
            deployment="direct_payment",
            unit=PlanLine.Unit.HOUR,
        )
        .exclude(plan__person=holder)
        .order_by("plan__person_id", "id")
        .values_list("plan__person_id", "plan__starts_on", "unit_cost_pence", "quantity_hundredths")
    )
    rows: list[dict[str, object]] = []
    seen: set[int] = set()
    for person_id, starts_on, cost, hundredths in lines.iterator():
        if person_id in seen:
            continue  # one PA a person: the main line
        seen.add(person_id)
        female = rng.random() < 0.8
        given = rng.choice(names.FEMALE if female else names.MALE)
        started = starts_on - dt.timedelta(days=rng.randrange(0, 3 * 365))
        rows.append(
            {
                "person_id": person_id,
                "name": f"{given} {rng.choice(names.FAMILY)}",
                "role": rng.choice(ROLES),
                "hours_hundredths": min(hundredths, 6000),
                "hourly_rate_pence": _wage(rng, cost),
                "start_date": started,
                "end_date": None,
                "dbs_checked_on": started - dt.timedelta(days=rng.randrange(7, 60))
                if rng.random() < 0.92
                else None,
                "right_to_work_checked_on": started - dt.timedelta(days=rng.randrange(1, 30))
                if rng.random() < 0.95
                else None,
                "added_by_id": recorder.pk,
            }
        )
    rows_insert(PersonalAssistant, rows)
    return {"personal assistants": len(rows) + _demo_holder(holder, holder_user, today)}


def _demo_holder(holder: Person, user: User, today: dt.date) -> int:
    """The demo holder's PA for the lunch club (3 hours a week in her plan at £14.50), with
    everything a PA employer keeps, through the app's own services (so it is audited)."""
    started = today - dt.timedelta(days=400)
    pa = employers.assistant_add(
        actor=user,
        person=holder,
        name="Jamie Okafor",
        role="Going to the lunch club",
        hours_hundredths=300,
        hourly_rate_pence=1300,
        start_date=started,
        dbs_checked_on=started - dt.timedelta(days=21),
        right_to_work_checked_on=started - dt.timedelta(days=14),
    )
    for n, course in enumerate(COURSES):
        done = started + dt.timedelta(days=30 + 60 * n)
        employers.training_add(
            actor=user,
            assistant=pa,
            course=course,
            completed_on=done,
            renew_by=done + dt.timedelta(days=3 * 365),
        )
    employers.insurance_record(
        actor=user,
        person=holder,
        insurer="Independent Living Insurance",
        policy_number="ILI-204871",
        expires_on=today + dt.timedelta(days=20),
        premium_year_pence=8_500,
    )
    monday = today - dt.timedelta(days=today.weekday())
    for weeks_ago in (4, 3, 2, 1):
        sheet = employers.timesheet_enter(
            actor=user,
            assistant=pa,
            week_starting=monday - dt.timedelta(weeks=weeks_ago),
            hours_hundredths=300 if weeks_ago != 2 else 350,
            note="An extra half hour: the bus was late" if weeks_ago == 2 else "",
        )
        if weeks_ago > 1:
            employers.timesheet_approve(actor=user, timesheet=sheet)
    return 1
