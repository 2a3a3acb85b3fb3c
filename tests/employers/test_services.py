"""PA records, insurance, timesheets and reminders: each change audited, each refusal
named and changing nothing, the reminder sent once (docs/pa-employers.md)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.employers import services
from selfdirect.employers.models import (
    EmployerCostRates,
    EmployerInsurance,
    PersonalAssistant,
    Timesheet,
)
from selfdirect.employers.selectors import rates_on
from selfdirect.notify.models import Message
from selfdirect.refusals import Refused
from tests.employers.conftest import START, add_pa
from tests.employers.test_rules import RATES
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_adding_a_pa_records_who_and_what_in_the_audit_log(council: Any) -> None:
    pa = add_pa(council, dbs_checked_on=dt.date(2025, 5, 1))
    event = Event.objects.get(object_type="personalassistant", object_id=str(pa.pk))
    assert event.action == Action.CREATE
    assert event.person_id == council.holder_person.pk
    assert event.actor_id == council.users[Role.HOLDER].pk
    assert event.changes["Hourly rate"] == [None, "£13.00"]
    assert event.changes["Hours a week"] == [None, "10"]


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"name": "  "}, services.NAME_NEEDED, "name"),
        ({"role": ""}, services.ROLE_NEEDED, "role"),
        ({"hours_hundredths": 0}, services.HOURS_NEEDED, "hours"),
        ({"hours_hundredths": 16_801}, services.HOURS_NEEDED, "hours"),
        ({"hourly_rate_pence": 0}, services.RATE_NEEDED, "hourly_rate"),
        ({"end_date": START - dt.timedelta(days=1)}, services.END_BEFORE_START, "end_date"),
        (
            {"dbs_checked_on": timezone.localdate() + dt.timedelta(days=1)},
            services.CHECK_IN_FUTURE,
            "dbs_checked_on",
        ),
    ],
)
def test_a_refused_pa_names_the_field_and_changes_nothing(
    council: Any, overrides: dict[str, Any], message: str, field: str
) -> None:
    with pytest.raises(Refused) as refused:
        add_pa(council, **overrides)
    assert (str(refused.value), refused.value.field) == (message, field)
    assert not PersonalAssistant.objects.exists()
    assert not Event.objects.filter(object_type="personalassistant").exists()


def test_changing_a_pa_records_before_and_after(council: Any) -> None:
    pa = add_pa(council)
    services.assistant_update(
        actor=council.users[Role.REPRESENTATIVE],
        assistant=pa,
        name=pa.name,
        role=pa.role,
        hours_hundredths=1250,
        hourly_rate_pence=1400,
        start_date=pa.start_date,
    )
    event = Event.objects.get(object_type="personalassistant", action=Action.UPDATE)
    assert event.changes == {"Hours a week": ["10", "12.5"], "Hourly rate": ["£13.00", "£14.00"]}


def test_training_cannot_be_renewed_before_it_was_done(council: Any) -> None:
    pa = add_pa(council)
    with pytest.raises(Refused, match=services.RENEW_BEFORE_DONE):
        services.training_add(
            actor=council.users[Role.HOLDER],
            assistant=pa,
            course="First aid",
            completed_on=dt.date(2025, 6, 1),
            renew_by=dt.date(2025, 6, 1),
        )
    done = services.training_add(
        actor=council.users[Role.HOLDER],
        assistant=pa,
        course="First aid",
        completed_on=dt.date(2025, 6, 1),
        renew_by=dt.date(2028, 6, 1),
    )
    assert list(pa.training.all()) == [done]


def _sheet(council: Any, pa: Any, week: dt.date, hours: int = 1000) -> Timesheet:
    return services.timesheet_enter(
        actor=council.users[Role.HOLDER], assistant=pa, week_starting=week, hours_hundredths=hours
    )


def test_a_timesheet_is_paid_at_the_pas_rate_and_approved_once(council: Any) -> None:
    pa = add_pa(council, hourly_rate_pence=1233)
    sheet = _sheet(council, pa, dt.date(2025, 6, 9), hours=250)
    assert sheet.amount_pence == 3083  # 2.5 x £12.33 = £30.825, half a penny up
    assert sheet.status == Timesheet.Status.ENTERED
    approved = services.timesheet_approve(actor=council.users[Role.REPRESENTATIVE], timesheet=sheet)
    assert approved.status == Timesheet.Status.APPROVED
    assert approved.approved_by == council.users[Role.REPRESENTATIVE]
    with pytest.raises(Refused, match=services.ALREADY_APPROVED):
        services.timesheet_approve(actor=council.users[Role.HOLDER], timesheet=sheet)


def test_a_week_is_entered_once_and_never_before_the_pa_started(council: Any) -> None:
    pa = add_pa(council)
    _sheet(council, pa, dt.date(2025, 6, 9))
    with pytest.raises(Refused, match=services.WEEK_ALREADY_ENTERED):
        _sheet(council, pa, dt.date(2025, 6, 9))
    with pytest.raises(Refused, match=services.WEEK_BEFORE_START):
        _sheet(council, pa, START - dt.timedelta(days=7))
    with pytest.raises(Refused, match=services.WEEK_NOT_STARTED):
        _sheet(council, pa, timezone.localdate() + dt.timedelta(days=1))
    assert Timesheet.objects.count() == 1


def _policy(council: Any, expires_on: dt.date) -> EmployerInsurance:
    return services.insurance_record(
        actor=council.users[Role.HOLDER],
        person=council.holder_person,
        insurer="Mutual Cover",
        policy_number="EL-123",
        expires_on=expires_on,
    )


def _remind(today: dt.date) -> str:
    out = io.StringIO()
    call_command("pa_reminders", today=today.isoformat(), stdout=out)
    return out.getvalue()


def test_the_insurance_reminder_is_sent_once_to_the_person_and_their_representative(
    council: Any,
) -> None:
    today = timezone.localdate()
    _policy(council, today + dt.timedelta(days=20))
    assert "1 reminders sent" in _remind(today)
    messages = Message.objects.filter(kind=Message.Kind.NOTICE)
    assert {m.recipient.username for m in messages} == {"holder", "representative"}
    holder_message = messages.get(recipient__username="holder")
    assert holder_message.subject == "Your employer's liability insurance runs out soon"
    assert "Mutual Cover" in holder_message.body and "EL-123" in holder_message.body
    assert messages.get(recipient__username="representative").subject.startswith("Ada's")
    assert "0 reminders sent" in _remind(today)
    assert "0 reminders sent" in _remind(today + dt.timedelta(days=30))
    assert messages.count() == 2


def test_an_insurer_named_with_braces_is_reminded_as_written(council: Any) -> None:
    """The message fills in {whose} with str.format: the insurer's own words must pass
    through untouched, not fail the reminder run."""
    today = timezone.localdate()
    services.insurance_record(
        actor=council.users[Role.HOLDER],
        person=council.holder_person,
        insurer="Cover {Plus}",
        policy_number="EL-{7}",
        expires_on=today + dt.timedelta(days=20),
    )
    assert "1 reminders sent" in _remind(today)
    body = Message.objects.get(recipient__username="holder").body
    assert "Cover {Plus} (policy EL-{7})" in body


def test_no_reminder_before_the_window_or_after_a_renewal(council: Any) -> None:
    today = timezone.localdate()
    _policy(council, today + dt.timedelta(days=60))
    assert "0 reminders sent" in _remind(today)
    old = _policy(council, today + dt.timedelta(days=10))
    _policy(council, today + dt.timedelta(days=375))  # renewed: the old one settles
    assert "0 reminders sent" in _remind(today)
    old.refresh_from_db()
    assert old.reminded_at is not None
    assert not Message.objects.exists()


def test_the_reminder_window_is_the_councils_setting(council: Any, settings: Any) -> None:
    settings.SELFDIRECT_PA_INSURANCE_REMINDER_DAYS = 90
    today = timezone.localdate()
    _policy(council, today + dt.timedelta(days=60))
    assert "1 reminders sent" in _remind(today)


def test_the_shipped_rates_cover_both_tax_years_and_label_what_is_unchecked() -> None:
    first = EmployerCostRates.objects.get(tax_year="2025/26")
    assert first.effective_from == dt.date(2025, 4, 6)
    assert first.as_rates() == RATES  # the hand-worked cases use the shipped row
    second = rates_on(dt.date(2026, 12, 7))
    assert second is not None and second.tax_year == "2026/27"
    assert second.national_living_wage_pence == 1271
    assert "qualifying earnings" in second.not_yet_checked
    assert rates_on(dt.date(2025, 4, 5)) is None


def test_a_multi_role_user_reaches_pa_records_only_through_the_roles_that_may(
    council: Any,
) -> None:
    from selfdirect.employers.selectors import employers_visible_to

    # A planner in Ada's team who is also a holder (of their own record): the planner role
    # reaches Ada's record elsewhere, but not her PA records.
    me = make_user("planner-holder", [Role.PLANNER, Role.HOLDER], teams=[council.team_a])
    assert not employers_visible_to(me).filter(pk=council.holder_person.pk).exists()
    assert set(employers_visible_to(council.users[Role.PRACTITIONER])) >= {council.holder_person}
