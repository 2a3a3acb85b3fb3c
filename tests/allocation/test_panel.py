"""The panel: budgets above a manager's limit, the panel's decision (members, date,
outcome, reasons), sign-off through the sign-off path, the letter, and return for rework."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.access.models import Profile, WorkItem
from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, PanelDecision, SignOff
from selfdirect.assessment import services as assessments
from selfdirect.assessment.models import Assessment
from selfdirect.audit.models import Event
from selfdirect.people import services as people
from tests.allocation.test_allocations import _agree
from tests.factories import make_user, second_user

pytestmark = pytest.mark.django_db


def _waiting_for_panel(council: Any) -> Allocation:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    manager = council.users[Role.MANAGER]
    Profile.objects.filter(user=manager).update(sign_off_limit_weekly_pence=5000)
    manager.refresh_from_db()
    services.allocation_refer_to_panel(
        actor=manager, allocation=allocation, reason="Above my limit"
    )
    allocation.refresh_from_db()
    return allocation


def _members(council: Any) -> list[Any]:
    return [council.users[Role.MANAGER], second_user(council, "manager")]


def _record(council: Any, allocation: Allocation, **changes: Any) -> PanelDecision:
    fields: dict[str, Any] = {
        "actor": council.users[Role.MANAGER],
        "allocation": allocation,
        "members": _members(council),
        "decided_on": timezone.localdate(),
        "outcome": "agreed",
        "reasons": "The needs are as assessed.",
        **changes,
    }
    return services.panel_decision_record(**fields)


def test_referral_moves_the_budget_to_the_panel_and_sign_off_is_refused(council: Any) -> None:
    allocation = _waiting_for_panel(council)
    assert allocation.status == Allocation.Status.AWAITING_PANEL
    assert allocation.panel_referral.reason == "Above my limit"
    with pytest.raises(services.AllocationError, match=services.WITH_THE_PANEL):
        services.allocation_sign_off(
            actor=second_user(council, "manager"), allocation=allocation, decision="approve"
        )
    with pytest.raises(services.AllocationError, match=services.WITH_THE_PANEL):
        services.allocation_refer_to_panel(
            actor=council.users[Role.MANAGER], allocation=allocation, reason="again"
        )


def test_referral_needs_a_reason(council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    with pytest.raises(services.AllocationError) as refused:
        services.allocation_refer_to_panel(
            actor=council.users[Role.MANAGER], allocation=allocation, reason=" "
        )
    assert (str(refused.value), refused.value.field) == (services.PANEL_REFER_REASON, "reason")
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.AWAITING_SIGN_OFF


def test_an_agreed_decision_signs_off_above_the_limit_and_is_audited(council: Any) -> None:
    allocation = _waiting_for_panel(council)
    decision = _record(council, allocation)
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.APPROVED
    assert allocation.agreed_weekly_pence == allocation.indicative_weekly_pence == 7400
    sign_off = SignOff.objects.get(allocation=allocation)
    assert sign_off.decision == "approve" and sign_off.reason.startswith("Panel of ")
    assert decision.agreed_weekly_pence == 7400
    assert set(decision.members.all()) == set(_members(council))
    event = Event.objects.get(object_type="panel_decision", object_id=str(decision.pk))
    assert event.changes["Outcome"] == [None, "Agreed"]
    assert event.changes["Members"][1] == "manager, second-manager"
    assert Event.objects.filter(
        object_type="allocation", summary="Panel decision: approve the indicative amount"
    ).exists()


def test_agreed_at_a_different_amount(council: Any) -> None:
    allocation = _waiting_for_panel(council)
    with pytest.raises(services.AllocationError) as refused:
        _record(council, allocation, outcome="agreed_different")
    assert refused.value.field == "agreed_amount"
    decision = _record(council, allocation, outcome="agreed_different", agreed_weekly_pence=9100)
    allocation.refresh_from_db()
    assert allocation.agreed_weekly_pence == 9100 == decision.agreed_weekly_pence
    assert SignOff.objects.get(allocation=allocation).decision == "adjust"


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"members": "one"}, services.PANEL_MEMBERS_TOO_FEW, "members"),
        ({"members": "same twice"}, services.PANEL_MEMBERS_TOO_FEW, "members"),
        (
            {"members": "worker"},
            services.PANEL_MEMBER_OWN_BUDGET.format(name="practitioner"),
            "members",
        ),
        (
            {"members": "planner"},
            services.PANEL_MEMBER_CANNOT_SIT.format(name="planner"),
            "members",
        ),
        ({"decided_on": None}, services.PANEL_DATE_NEEDED, "decided_on"),
        ({"decided_on": "tomorrow"}, services.PANEL_DATE_FUTURE, "decided_on"),
        ({"outcome": ""}, services.PANEL_OUTCOME_NEEDED, "outcome"),
        ({"reasons": "  "}, services.PANEL_REASONS_NEEDED, "reasons"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    council: Any, change: dict[str, Any], message: str, field: str
) -> None:
    allocation = _waiting_for_panel(council)
    manager = council.users[Role.MANAGER]
    members = {
        "one": [manager],
        "same twice": [manager, manager],
        "worker": [manager, council.users[Role.PRACTITIONER]],
        "planner": [manager, council.users[Role.PLANNER]],
    }
    fields = dict(change)
    if "members" in fields:
        fields["members"] = members[fields["members"]]
    if fields.get("decided_on") == "tomorrow":
        fields["decided_on"] = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.AllocationError) as refused:
        _record(council, allocation, **fields)
    assert (str(refused.value), refused.value.field) == (message, field)
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.AWAITING_PANEL
    assert not PanelDecision.objects.exists() and not SignOff.objects.exists()


def test_the_worker_who_worked_it_out_cannot_record_the_decision(council: Any) -> None:
    allocation = _waiting_for_panel(council)
    worker_manager = make_user("worker-manager", [Role.MANAGER], manages=[council.team_a])
    Allocation.objects.filter(pk=allocation.pk).update(created_by=worker_manager)
    allocation.refresh_from_db()
    with pytest.raises(services.AllocationError, match=services.PANEL_RECORDER_OWN_BUDGET):
        _record(council, allocation, actor=worker_manager)


def test_not_agreed_returns_for_rework_to_the_named_worker(council: Any) -> None:
    allocation = _waiting_for_panel(council)
    people.named_worker_allocate(
        actor=council.users[Role.MANAGER],
        person=council.holder_person,
        worker=council.users[Role.PRACTITIONER],
        reason="New referral",
    )
    _record(council, allocation, outcome="returned", reasons="Night care needs are unclear")
    allocation.refresh_from_db()
    assert (
        allocation.status == Allocation.Status.RETURNED and allocation.agreed_weekly_pence is None
    )
    assessment = Assessment.objects.get(pk=allocation.assessment_id)
    assert assessment.status == Assessment.Status.SUBMITTED
    task = WorkItem.objects.get(kind="rework")
    assert task.assigned_to == council.users[Role.PRACTITIONER]
    assert "Night care needs are unclear" in task.title
    # The answers can change again, and agreeing closes the assessment once more.
    assessments.answer_record(
        actor=council.users[Role.PRACTITIONER],
        assessment=assessment,
        section_id="night_care",
        option_id="sometimes",
        view="agreed",
    )
    assessments.assessment_agree(actor=council.users[Role.PRACTITIONER], assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.AGREED


def test_a_managers_return_reopens_the_answers_and_tasks_the_team(council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    services.allocation_sign_off(
        actor=council.users[Role.MANAGER],
        allocation=allocation,
        decision="return",
        reason="Check the carer's answer",
    )
    assert Assessment.objects.get(pk=allocation.assessment_id).status == "submitted"
    task = WorkItem.objects.get(kind="rework")
    assert task.assigned_to is None and task.team == council.team_a
    assert task.for_role == "practitioner" and "Check the carer's answer" in task.title
    assert Event.objects.filter(
        object_type="assessment", summary="Reopened the assessment's answers for rework"
    ).exists()


def test_pages_queue_decision_and_letter(client: Any, council: Any) -> None:
    allocation = _waiting_for_panel(council)
    second = second_user(council, "manager")
    client.force_login(second)
    queue = client.get("/budgets/panel/").content.decode()
    assert "Ada Holder" in queue and "Above my limit" in queue
    empty = client.post(f"/budgets/{allocation.pk}/panel/decide/", {})
    text = empty.content.decode()
    assert empty.status_code == 200 and "Choose at least two panel members" in text
    assert "Give the panel&#x27;s reasons" in text
    today = timezone.localdate()
    response = client.post(
        f"/budgets/{allocation.pk}/panel/decide/",
        {
            "members": [council.users[Role.MANAGER].pk, second.pk],
            "decided_on_day": today.day,
            "decided_on_month": today.month,
            "decided_on_year": today.year,
            "decided_on": today.isoformat(),
            "outcome": "agreed",
            "reasons": "The needs are as assessed.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = PanelDecision.objects.get()
    page = client.get(f"/budgets/panel-decisions/{decision.pk}/").content.decode()
    assert "The needs are as assessed." in page and "second-manager" in page
    client.force_login(council.users[Role.HOLDER])
    own = client.get(f"/budgets/panel-decisions/{decision.pk}/").content.decode()
    assert "2 team managers" in own and "second-manager" not in own
    pdf = client.get(f"/budgets/panel-decisions/{decision.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_letter_has_easy_read_and_large_print_for_people_who_need_them(
    rf: Any, council: Any
) -> None:
    from django.template.loader import render_to_string

    allocation = _waiting_for_panel(council)
    decision = _record(council, allocation)
    person = allocation.person
    context = {
        "decision": decision,
        "allocation": allocation,
        "person": person,
        "today": timezone.localdate(),
    }
    plain = render_to_string("allocation/panel_letter.html", context)
    assert "In short" not in plain and "font-size: 11pt" in plain
    person.needs_easy_read = person.needs_large_print = True
    easy = render_to_string("allocation/panel_letter.html", context)
    assert "In short" in easy and "They said yes" in easy and "font-size: 16pt" in easy
    assert "£74.00 every week" in easy


def test_a_budget_waiting_for_the_panel_counts_in_the_what_if_caseload(council: Any) -> None:
    from selfdirect.allocation.selectors import caseload_for_whatif

    allocation = _waiting_for_panel(council)
    rows = {row["person_id"]: row for row in caseload_for_whatif()}
    assert rows[allocation.person_id]["indicative_weekly_pence"] == 7400


def test_the_budget_page_reads_the_panel_with_the_budget(client: Any, council: Any) -> None:
    """The referral and the decision come with the budget's own read (at most one each),
    not as two more questions on every budget page, and the page still tells them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    allocation = _waiting_for_panel(council)
    _record(council, allocation)
    client.force_login(council.users[Role.HOLDER])
    client.get(f"/budgets/{allocation.pk}/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert "Sent to the panel on" in page and "Above my limit" in page
    assert "The panel of" in page and "Read the panel's decision" in page
    assert not [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(
            ('SELECT "allocation_panelreferral"', 'SELECT "allocation_paneldecision"')
        )
    ]
