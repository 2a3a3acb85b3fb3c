"""The PA employer pages as people use them: adding a PA, the true cost against the plan
and budget, timesheets approved and sent to payroll, and who may see what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.budgets import services as budgets
from selfdirect.employers import services
from selfdirect.employers.models import PersonalAssistant, Timesheet
from selfdirect.employers.payroll import COLUMNS
from tests.budgets.test_holding import _paid_to_person
from tests.budgets.test_holding import _plan as _held_plan
from tests.employers.conftest import add_pa
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _person_url(council: Any, name: str = "employers:person") -> str:
    return reverse(name, args=[council.holder_person.pk])


def test_a_holder_adds_a_pa_and_sees_them_listed(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    response = client.post(
        _person_url(council, "employers:assistant_new"),
        {
            "name": "Sam Carter",
            "role": "Going out",
            "hours": "7.5",
            "hourly_rate": "13.50",
            "start_date_day": "2",
            "start_date_month": "6",
            "start_date_year": "2025",
        },
    )
    assert response.status_code == 302
    pa = PersonalAssistant.objects.get()
    assert (pa.hours_hundredths, pa.hourly_rate_pence) == (750, 1350)
    assert pa.added_by == council.users[Role.HOLDER]
    page = client.get(_person_url(council)).content.decode()
    assert "Your personal assistants" in page
    assert "7.5 hours a week at £13.50 an hour" in page
    assert "No DBS check recorded" in page


def test_a_refused_form_says_what_is_wrong_and_adds_nothing(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.REPRESENTATIVE])
    response = client.post(
        _person_url(council, "employers:assistant_new"),
        {"name": "Sam", "role": "Care", "hours": "0", "hourly_rate": "12"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert services.HOURS_NEEDED in page
    assert "Enter date they started" in page
    assert not PersonalAssistant.objects.exists()


def test_the_true_cost_is_set_against_the_plan_and_the_budget(client: Any, council: Any) -> None:
    _held_plan(council)  # £74 budget; a £30-a-week PA line held as a direct payment
    add_pa(council)  # 10 hours at £13: £8,111.20 a year, £155.98 a week (test_rules)
    client.force_login(council.users[Role.HOLDER])
    page = client.get(_person_url(council, "employers:true_cost")).content.decode()
    assert "£155.98 a week" in page
    assert "£8,111.20 a year" in page
    assert "£125.98 a week over" in page  # the plan's £30 PA line
    assert "£81.98 a week over" in page  # the £74 personal budget
    assert "NOT YET CHECKED" in page
    summary = client.get(_person_url(council)).content.decode()
    assert "£125.98 a week more than the plan has for personal assistants" in summary


def test_the_what_if_adds_a_pa_at_the_rate_and_hours_given(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.get(
        _person_url(council, "employers:true_cost"), {"hourly_rate": "12.50", "hours": "37.5"}
    ).content.decode()
    assert "A new personal assistant" in page
    assert "£599.48 a week" in page  # test_rules: 37.5 hours at £12.50
    bad = client.get(_person_url(council, "employers:true_cost"), {"hourly_rate": "12.50"})
    assert "Enter both an hourly rate and the hours a week, or neither" in bad.content.decode()


def test_timesheets_are_approved_and_go_to_payroll(client: Any, council: Any) -> None:
    pa = add_pa(council, name="=Sam")  # a name that would run as a formula in a spreadsheet
    client.force_login(council.users[Role.HOLDER])
    week = dt.date.today() - dt.timedelta(days=7)
    response = client.post(
        _person_url(council, "employers:timesheet_new"),
        {
            "assistant": pa.pk,
            "week_starting_day": week.day,
            "week_starting_month": week.month,
            "week_starting_year": week.year,
            "hours": "8",
        },
    )
    assert response.status_code == 302
    sheet = Timesheet.objects.get()
    assert sheet.amount_pence == 10_400
    waiting = client.get(reverse("employers:payroll_csv", args=[council.holder_person.pk]))
    assert len(list(csv.reader(io.StringIO(waiting.content.decode("utf-8-sig"))))) == 1
    assert client.post(reverse("employers:timesheet_approve", args=[sheet.pk])).status_code == 302
    download = client.get(reverse("employers:payroll_csv", args=[council.holder_person.pk]))
    assert download["Content-Type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert tuple(header) == COLUMNS
    values = dict(zip(header, row, strict=True))
    assert values["pa_name"] == "'=Sam"
    assert values["hours"] == "8"
    assert values["hourly_rate"] == "13"
    assert values["gross_pay"] == "104"
    assert values["week_starting"] == week.isoformat()
    assert values["employer_reference"] == council.holder_person.la_person_id


def test_expected_spend_shows_on_your_money(client: Any, council: Any) -> None:
    _held_plan(council)
    pa = add_pa(council)
    sheet = services.timesheet_enter(
        actor=council.users[Role.HOLDER],
        assistant=pa,
        week_starting=dt.date.today() - dt.timedelta(days=7),
        hours_hundredths=1000,
    )
    services.timesheet_approve(actor=council.users[Role.HOLDER], timesheet=sheet)
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert 'id="pa-spend"' in page
    assert "£130.00" in page  # the approved timesheet
    assert "£120.00" in page  # four weeks of the £30-a-week direct payment


def test_finance_sees_pa_records_only_as_the_link_person(client: Any, council: Any) -> None:
    plan = _held_plan(council)
    add_pa(council)
    link = make_user("dp-link", [Role.FINANCE])
    budgets.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person(), link_officer=link
    )
    client.force_login(link)
    assert client.get(_person_url(council)).status_code == 200
    assert client.get(_person_url(council, "employers:assistant_new")).status_code == 403
    client.force_login(council.users[Role.FINANCE])
    assert client.get(_person_url(council)).status_code == 404


@pytest.mark.parametrize("role", [Role.CARER, Role.PROVIDER, Role.PLANNER, Role.COMMISSIONER])
def test_nobody_else_sees_pa_records(client: Any, council: Any, role: Role) -> None:
    add_pa(council)
    client.force_login(council.users[role])
    assert client.get(_person_url(council)).status_code in (403, 404)


def test_staff_read_but_do_not_change(client: Any, council: Any) -> None:
    pa = add_pa(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(_person_url(council)).content.decode()
    assert "Sam Carter" in page
    assert "Add a personal assistant" not in page
    assert client.get(reverse("employers:assistant_edit", args=[pa.pk])).status_code == 403


def test_the_person_page_links_to_pa_records_for_those_who_may_see_them(
    client: Any, council: Any
) -> None:
    add_pa(council)
    link = _person_url(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(reverse("people:detail", args=[council.holder_person.pk])).content.decode()
    assert "Employs 1 personal assistant" in page and link in page
    client.force_login(council.users[Role.PLANNER])  # sees the person page, not PA records
    page = client.get(reverse("people:detail", args=[council.holder_person.pk])).content.decode()
    assert link not in page


def test_the_payroll_file_holds_only_the_weeks_asked_for(client: Any, council: Any) -> None:
    pa = add_pa(council)
    for week in (dt.date(2025, 6, 9), dt.date(2025, 6, 16), dt.date(2025, 6, 23)):
        sheet = services.timesheet_enter(
            actor=council.users[Role.HOLDER], assistant=pa, week_starting=week, hours_hundredths=500
        )
        services.timesheet_approve(actor=council.users[Role.HOLDER], timesheet=sheet)
    client.force_login(council.users[Role.PRACTITIONER])  # the team may download it too
    download = client.get(
        reverse("employers:payroll_csv", args=[council.holder_person.pk]),
        {"from": "2025-06-10", "to": "2025-06-23"},
    )
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [r["week_starting"] for r in rows] == ["2025-06-16", "2025-06-23"]
    assert [r["week_ending"] for r in rows] == ["2025-06-22", "2025-06-29"]


def test_your_money_offers_pa_records_to_someone_who_employs_none_yet(
    client: Any, council: Any
) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert 'id="pa-spend-none"' in page and _person_url(council) in page
    assert 'id="pa-spend"' not in page
