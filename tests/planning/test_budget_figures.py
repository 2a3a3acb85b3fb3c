"""One budget, one figure at a time (issue 11): the personal budget, the plan cost, the
assessed contribution and the council's contribution read the same, in the same words, on
the budget page, the plan page, the plan PDF, the notice letter and the API."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create
from selfdirect.audit.models import Event
from selfdirect.budgets import notices
from selfdirect.budgets.notice_views import letter_html
from selfdirect.planning import documents, figures, services
from selfdirect.planning.models import AssessedContribution, SupportPlan
from tests.browser.conftest import audit_flush_allowed  # noqa: F401 (a fixture)
from tests.factories import second_user
from tests.planning.test_plans import _draft_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
FOUR = [
    ("Personal budget", "£74.00 a week"),
    ("Plan cost", "£50.75 a week, and £250.00 one-off"),
    ("Assessed contribution", "£15.00 a week"),
    ("Council's contribution", "£35.75 a week"),
]


def _text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def _approved_plan_with_contribution(council: Any) -> SupportPlan:
    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)  # against a £74.00-a-week personal budget
    base = {"outcome": None, "provider": None, "provided_by": "", "provisional": False}
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Personal assistant",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost_pence": 1450,
            "quantity_hundredths": 350,
            "funding_stream": "adult_social_care",
            "deployment": "direct_payment",
        },
    )
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Kitchen equipment",
            "category": "equipment_purchase",
            "unit": "item",
            "unit_cost_pence": 25000,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
            "deployment": "direct_payment",
        },
    )
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    figures.assessed_contribution_record(
        actor=council.users[Role.FINANCE],
        person=plan.person,
        weekly_pence=1500,
        effective_from=TODAY - dt.timedelta(days=30),
        source_reference="FA-2026-0042",
    )
    return plan


def test_the_four_figures_for_a_person_on_a_date(council: Any) -> None:
    plan = _approved_plan_with_contribution(council)
    got = figures.budget_figures(person=plan.person, on=TODAY)
    assert (
        got.personal_budget_weekly_pence,
        got.plan_cost_weekly_pence,
        got.plan_one_off_pence,
        got.assessed_contribution_weekly_pence,
        got.council_contribution_weekly_pence,
        got.within_budget,
    ) == (7400, 5075, 25000, 1500, 3575, True)
    assert got.as_lines() == FOUR
    assert [s.weekly_pence for s in got.budget_history] == [7400]
    # Before the contribution starts it is not known, and nor is the council's share.
    earlier = figures.budget_figures(person=plan.person, on=TODAY - dt.timedelta(days=31))
    assert earlier.assessed_contribution_weekly_pence is None
    assert earlier.as_lines()[3] == ("Council's contribution", figures.NOT_ASSESSED)


def test_every_page_letter_pdf_and_the_api_say_the_same_four_figures(council: Any) -> None:
    plan = _approved_plan_with_contribution(council)
    practitioner = council.users[Role.PRACTITIONER]
    client = Client()
    client.force_login(practitioner)
    budget_page = _text(client.get(f"/budgets/{plan.allocation_id}/").content.decode())
    plan_page = _text(client.get(f"/plans/{plan.pk}/").content.decode())
    pdf_text = _text(documents.plan_document_html(plan))
    notice = notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=4000,
        reasons="Fewer hours are needed.",
        takes_effect_on=TODAY + dt.timedelta(days=notices.notice_days() + 1),
    )
    request = RequestFactory().get("/")
    request.user = council.users[Role.HOLDER]
    letter = _text(letter_html(request, notice))
    for surface, text in {
        "budget page": budget_page,
        "plan page": plan_page,
        "plan PDF": pdf_text,
        "notice letter": letter,
    }.items():
        for words, amount in FOUR:
            assert f"{words} {amount}" in text, (surface, words)
    notice_form = client.get(reverse("budgets:notice_new", args=[plan.pk]))
    assert notice_form.status_code == 200
    assert "Personal budget now" not in notice_form.content.decode()
    assert "Plan cost now £50.75 a week" in _text(notice_form.content.decode())
    token = api_token_create(actor=None, user=practitioner, name="tests")
    api = client.get(f"/api/v1/plans/{plan.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    got = api["figures"]
    assert got["words"] == dict(figures.WORDS)
    assert (
        got["personal_budget_weekly_pence"],
        got["plan_cost_weekly_pence"],
        got["plan_one_off_pence"],
        got["assessed_contribution_weekly_pence"],
        got["council_contribution_weekly_pence"],
        got["within_budget"],
    ) == (7400, 5075, 25000, 1500, 3575, True)
    one_off = next(line for line in api["lines"] if line["is_one_off"])
    assert one_off["weekly_cost_pence"] is None
    assert one_off["cost_words"] == "£250.00 one-off (£250.00 in the year)"


def test_a_one_off_line_never_reads_nothing_a_week(council: Any) -> None:
    plan = _approved_plan_with_contribution(council)
    client = Client()
    client.force_login(council.users[Role.HOLDER])
    for text in (
        _text(client.get(f"/plans/{plan.pk}/").content.decode()),
        _text(documents.plan_document_html(plan)),
    ):
        assert "£250.00 one-off (£250.00 in the year)" in text
        assert "£0.00 a week" not in text


def test_recording_a_contribution_is_checked_and_audited(council: Any) -> None:
    person, finance = council.holder_person, council.users[Role.FINANCE]
    record = figures.assessed_contribution_record
    for kwargs, message in (
        ({"weekly_pence": None}, figures.CONTRIBUTION_AMOUNT_NEEDED),
        ({"effective_from": None}, figures.CONTRIBUTION_DATE_NEEDED),
        ({"source_reference": " "}, figures.CONTRIBUTION_REFERENCE_NEEDED),
    ):
        values: dict[str, Any] = {
            "weekly_pence": 1000,
            "effective_from": TODAY,
            "source_reference": "FA-1",
            **kwargs,
        }
        with pytest.raises(figures.ContributionError, match=message):
            record(actor=finance, person=person, **values)
    assert not AssessedContribution.objects.exists()
    record(
        actor=finance,
        person=person,
        weekly_pence=1000,
        effective_from=TODAY,
        source_reference="FA-1",
    )
    record(
        actor=finance,
        person=person,
        weekly_pence=1200,
        effective_from=TODAY + dt.timedelta(days=7),
        source_reference="FA-2",
    )
    with pytest.raises(figures.ContributionError, match="is already recorded"):
        record(
            actor=finance, person=person, weekly_pence=5, effective_from=TODAY, source_reference="X"
        )
    assert figures.contribution_on(person.pk, TODAY).weekly_pence == 1000  # type: ignore[union-attr]
    assert figures.contribution_on(person.pk, TODAY + dt.timedelta(days=8)).weekly_pence == 1200  # type: ignore[union-attr]
    event = Event.objects.filter(object_type="assessed_contribution").latest("id")
    assert event.changes["Assessed contribution"] == ["£10.00 a week", "£12.00 a week"]


def test_the_sign_off_no_longer_takes_a_typed_contribution(council: Any) -> None:
    from selfdirect.allocation.forms import SignOffForm

    assert "contribution" not in SignOffForm().fields


def test_finance_records_a_contribution_on_its_page(council: Any) -> None:
    person = council.holder_person
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    url = f"/plans/people/{person.pk}/contribution/"
    empty = client.post(url, {}).content.decode()
    assert "Enter what the person pays a week" in empty
    assert "Enter the financial assessment&#x27;s reference" in empty
    start = TODAY - dt.timedelta(days=3)
    posted = {
        "weekly": "12.50",
        "effective_from_day": start.day,
        "effective_from_month": start.month,
        "effective_from_year": start.year,
        "source_reference": "FA-77",
    }
    assert client.post(url, posted).status_code == 302
    assert figures.contribution_on(person.pk, TODAY).weekly_pence == 1250  # type: ignore[union-attr]
    again = client.post(url, posted).content.decode()
    assert "A contribution from" in again and "is already recorded" in again
    page = _text(client.get(url).content.decode())
    assert "Assessed contribution £12.50 a week" in page and "FA-77" in page
    client.force_login(council.users[Role.HOLDER])
    assert client.get(url).status_code == 403


def test_the_record_summary_says_a_one_off_line_is_one_off(council: Any) -> None:
    from selfdirect.portal.record_export import person_record, record_summary_html

    plan = _approved_plan_with_contribution(council)
    text = _text(record_summary_html(plan.person, person_record(plan.person)))
    assert "Kitchen equipment £250.00 one-off (£250.00 in the year)" in text
    assert "Kitchen equipment £0.00" not in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_flush_allowed")
def test_contributions_typed_into_sign_offs_become_records() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from selfdirect.allocation.models import Allocation
    from tests.conftest import council_build
    from tests.planning.test_plans import _approved_budget

    council = council_build()
    allocation = _approved_budget(council)
    # What a manager typed into the sign-off before issue 11.
    Allocation.objects.filter(pk=allocation.pk).update(assessed_contribution_weekly_pence=1500)
    executor = MigrationExecutor(connection)
    executor.migrate([("planning", "0008_switches_and_revisions_once")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    record = AssessedContribution.objects.get(person=allocation.person)
    sign_off = allocation.sign_offs.get()
    assert (record.weekly_pence, record.effective_from, record.recorded_by_id) == (
        1500,
        sign_off.decided_at.date(),
        sign_off.decided_by_id,
    )
    assert record.source_reference == f"Entered at the sign-off of budget {allocation.pk}"
    got = figures.budget_figures(person=allocation.person, on=dt.date.today())
    assert got.assessed_contribution_weekly_pence == 1500


def test_the_persons_home_page_names_the_signed_off_amount_the_personal_budget(
    council: Any,
) -> None:
    from selfdirect.allocation import services as budgets
    from tests.allocation.test_allocations import _agree

    allocation = budgets.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    budgets.allocation_sign_off(
        actor=council.users[Role.MANAGER],
        allocation=allocation,
        decision="adjust",
        agreed_weekly_pence=8000,
        reason_code="local_costs",
        reason="Care costs more here.",
    )
    client = Client()
    client.force_login(council.users[Role.HOLDER])
    home = _text(client.get("/home/").content.decode())
    assert "Your personal budget: £80.00 a week" in home
    assert "indicative budget: £74.00" not in home


def test_the_notice_letter_names_the_plan_cost_it_reduces(council: Any) -> None:
    """The letter's headline amounts are plan costs: it said only "Until … £50.75 a week"
    under "reduce your personal budget", beside a table whose personal budget was £74.00,
    so one word read as two numbers (found by the casework journey, issue 11)."""
    plan = _approved_plan_with_contribution(council)
    practitioner = council.users[Role.PRACTITIONER]
    takes_effect = TODAY + dt.timedelta(days=notices.notice_days() + 1)
    notice = notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=4000,
        reasons="Fewer hours are needed.",
        takes_effect_on=takes_effect,
    )
    request = RequestFactory().get("/")
    request.user = council.users[Role.HOLDER]
    letter = _text(letter_html(request, notice))
    on = f"{takes_effect:%-d %B %Y}"
    assert f"Plan cost until {on} £50.75 a week Plan cost from {on} £40.00 a week" in letter
    assert re.findall(r"Personal budget (£[\d,.]+)", letter) == ["£74.00"]
    client = Client()
    client.force_login(practitioner)
    page = _text(client.get(f"/holding/notices/{notice.pk}/").content.decode())
    assert "Plan cost a week now £50.75 Plan cost a week from then £40.00" in page


def test_the_history_dates_a_budget_from_its_sign_off_in_one_read(council: Any) -> None:
    """An allocation has one sign-off; the history reads them together (with the plans a
    review changed and the decisions on requests to look again: three reads in all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from selfdirect.allocation.models import Allocation, SignOff

    plan = _approved_plan_with_contribution(council)
    now = timezone.now()
    Allocation.objects.filter(pk=plan.allocation_id).update(created_at=now - dt.timedelta(days=10))
    SignOff.objects.filter(allocation_id=plan.allocation_id).update(
        decided_at=now - dt.timedelta(days=3)
    )
    with CaptureQueriesContext(connection) as captured:
        steps = figures.budget_history(plan.person_id, TODAY)
    assert [(s.decided_on, s.weekly_pence) for s in steps][:1] == [
        ((now - dt.timedelta(days=3)).date(), 7400)
    ]
    assert len(captured) == 3
    # Before the sign-off the budget had no signed-off amount, though the allocation existed.
    assert figures.budget_history(plan.person_id, TODAY - dt.timedelta(days=5)) == []
