"""Written notice before a budget or a direct payment is reduced or stopped: reasons in
writing, at least the notice period ahead, recorded before it takes effect; withdrawn only
until then; the letter a PDF addressed to the person and their representative."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import notices
from selfdirect.budgets.models import ChangeNotice
from selfdirect.budgets.notice_views import letter_html
from selfdirect.planning.models import Review
from tests.budgets.test_pools import plan_with_lines

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
MIXED = (
    ("Personal assistant", "direct_payment", 6000),
    ("Day centre", "council_commissioned", 4000),
)


def _give(council: Any, plan: Any, **overrides: Any) -> ChangeNotice:
    values: dict[str, Any] = {
        "change": "reduce",
        "applies_to": "budget",
        "new_weekly_pence": 8000,
        "reasons": "The review found Ada now goes to the day centre twice a week, not three times.",
        "takes_effect_on": TODAY + dt.timedelta(days=28),
        "today": TODAY,
    }
    values.update(overrides)
    return notices.change_notice_give(actor=council.users[Role.PRACTITIONER], plan=plan, **values)


def test_notice_records_the_amounts_before_and_after(council: Any) -> None:
    plan = plan_with_lines(council, lines=MIXED)  # £100 a week, £60 of it a direct payment
    budget = _give(council, plan)
    assert (budget.current_weekly_pence, budget.new_weekly_pence, budget.given_on) == (
        10000,
        8000,
        TODAY,
    )
    payment = _give(
        council, plan, applies_to="direct_payment", change="stop", new_weekly_pence=None
    )
    assert (payment.current_weekly_pence, payment.new_weekly_pence) == (6000, 0)
    assert payment.person == council.holder_person and payment.status == "given"
    event = Event.objects.get(object_type="change_notice", object_id=str(payment.pk))
    assert event.changes["A week"] == ["£60.00", "£0.00"]


@pytest.mark.parametrize(
    ("case", "overrides", "field", "message"),
    [
        (
            "reduction to more than now",
            {"new_weekly_pence": 10000},
            "new_weekly_pence",
            "The new amount must be less than the current £100.00 a week",
        ),
        (
            "reduction with no amount",
            {"new_weekly_pence": None},
            "new_weekly_pence",
            notices.NEW_AMOUNT_NEEDED,
        ),
        (
            "reduction to nothing",
            {"new_weekly_pence": 0},
            "new_weekly_pence",
            notices.REDUCE_TO_NOTHING,
        ),
        ("no reasons", {"reasons": "  "}, "reasons", notices.REASONS_NEEDED),
        (
            "notice too short",
            {"takes_effect_on": TODAY + dt.timedelta(days=27)},
            "takes_effect_on",
            "Give at least 28 days' notice: the change can take effect on 30 March 2026 or later",
        ),
        ("already in effect", {"takes_effect_on": TODAY}, "takes_effect_on", notices.NOT_IN_FUTURE),
        (
            "in the past",
            {"takes_effect_on": TODAY - dt.timedelta(days=1)},
            "takes_effect_on",
            notices.NOT_IN_FUTURE,
        ),
        ("no date", {"takes_effect_on": None}, "takes_effect_on", notices.NOT_IN_FUTURE),
        ("not a change", {"change": "increase"}, "change", notices.CHANGE_NEEDED),
        ("not a budget", {"applies_to": "pension"}, "applies_to", notices.APPLIES_TO_NEEDED),
    ],
)
def test_notice_rules(
    council: Any, case: str, overrides: dict[str, Any], field: str, message: str
) -> None:
    plan = plan_with_lines(council, lines=MIXED)
    with pytest.raises(notices.NoticeError) as refused:
        _give(council, plan, **overrides)
    assert (refused.value.field, str(refused.value)) == (field, message), case
    assert not ChangeNotice.objects.exists()


def test_a_direct_payment_notice_needs_a_direct_payment(council: Any) -> None:
    plan = plan_with_lines(council, lines=(("Day centre", "council_commissioned", 4000),))
    with pytest.raises(notices.NoticeError) as refused:
        _give(council, plan, applies_to="direct_payment", new_weekly_pence=1000)
    assert (refused.value.field, str(refused.value)) == ("applies_to", notices.NO_DIRECT_PAYMENT)


def test_notice_only_on_an_approved_plan_and_its_own_review(council: Any) -> None:
    draft = plan_with_lines(council, lines=MIXED, status="draft")
    with pytest.raises(notices.NoticeError, match=notices.PLAN_NOT_APPROVED):
        _give(council, draft)
    plan = plan_with_lines(council, lines=MIXED)
    other_review = Review.objects.create(plan=draft, kind="annual", due_date=TODAY)
    with pytest.raises(notices.NoticeError, match=notices.REVIEW_NOT_OF_PLAN):
        _give(council, plan, review=other_review)
    own_review = Review.objects.create(plan=plan, kind="change", due_date=TODAY)
    assert _give(council, plan, review=own_review).review == own_review


@override_settings(SELFDIRECT_NOTICE_DAYS=42)
def test_the_notice_period_is_a_setting(council: Any) -> None:
    plan = plan_with_lines(council, lines=MIXED)
    with pytest.raises(notices.NoticeError, match="Give at least 42 days' notice"):
        _give(council, plan, takes_effect_on=TODAY + dt.timedelta(days=41))
    assert _give(council, plan, takes_effect_on=TODAY + dt.timedelta(days=42)).pk


def test_withdrawn_before_it_takes_effect_never_after(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    plan = plan_with_lines(council, lines=MIXED)
    notice = _give(council, plan)
    effect = notice.takes_effect_on
    with pytest.raises(notices.NoticeError, match=notices.TOO_LATE_TO_WITHDRAW):
        notices.change_notice_withdraw(actor=practitioner, notice=notice, today=effect)
    assert ChangeNotice.objects.get(pk=notice.pk).status == "given"
    notices.change_notice_withdraw(
        actor=practitioner, notice=notice, today=effect - dt.timedelta(days=1)
    )
    assert ChangeNotice.objects.get(pk=notice.pk).status == "withdrawn"
    with pytest.raises(notices.NoticeError, match=notices.NOT_GIVEN):
        notices.change_notice_withdraw(actor=practitioner, notice=notice, today=TODAY)
    assert (
        Event.objects.filter(object_type="change_notice", summary__startswith="Withdrew").count()
        == 1
    )


def test_the_letter_has_the_reasons_amounts_and_the_way_to_complain(council: Any) -> None:
    plan = plan_with_lines(council, lines=MIXED)
    notice = _give(council, plan, applies_to="direct_payment", new_weekly_pence=4500)
    request = RequestFactory().get("/")
    request.user = council.users[Role.HOLDER]
    html = letter_html(request, notice)
    assert "We are going to reduce your direct payment from 30 March 2026" in html
    assert "Ada now goes to the day centre twice a week" in html
    assert "£60.00 a week" in html and "£45.00 a week" in html
    # To the person and to their nominated person.
    assert "Dear Ada Holder and Rita Rep" in html
    assert "look at this decision again" in html and "complaint" in html
    assert "Local Government and Social Care Ombudsman" in html
    assert council.users[Role.PRACTITIONER].username in html


def test_pages_give_notice_and_the_holder_sees_it(client: Any, council: Any) -> None:
    plan = plan_with_lines(council, lines=MIXED)
    client.force_login(council.users[Role.PRACTITIONER])
    plan_page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Give notice of a reduction or stop" in plan_page
    url = f"/holding/plans/{plan.pk}/notices/new/"
    soon = dt.date.today() + dt.timedelta(days=7)
    refused = client.post(
        url,
        {
            "change": "reduce",
            "applies_to": "budget",
            "new_amount": "80.00",
            "reasons": "Fewer days",
            "takes_effect_on": soon.isoformat(),
        },
    ).content.decode()
    assert "<title>Error: " in refused and "Give at least 28 days&#x27; notice" in refused
    assert 'id="id_takes_effect_on-error"' in refused
    assert not ChangeNotice.objects.exists()
    later = dt.date.today() + dt.timedelta(days=30)
    response = client.post(
        url,
        {
            "change": "stop",
            "applies_to": "direct_payment",
            "new_amount": "",
            "reasons": "Moving away",
            "takes_effect_on": later.isoformat(),
        },
    )
    notice = ChangeNotice.objects.get()
    assert response["Location"] == f"/holding/notices/{notice.pk}/"
    assert (notice.change, notice.current_weekly_pence, notice.new_weekly_pence) == (
        "stop",
        6000,
        0,
    )
    pdf = client.get(f"/holding/notices/{notice.pk}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # The holder and the representative see their own notice, and cannot give or withdraw one.
    for role in (Role.HOLDER, Role.REPRESENTATIVE):
        client.force_login(council.users[role])
        page = client.get(f"/holding/notices/{notice.pk}/").content.decode()
        assert "Moving away" in page and "Withdraw the notice" not in page
        home = client.get("/home/").content.decode()
        assert f"/holding/notices/{notice.pk}/" in home and "will be stopped from" in home
        plan_page = client.get(f"/plans/{plan.pk}/").content.decode()
        assert "Give notice of a reduction or stop" not in plan_page
        # The plan page lists the notice (budgets adds it through planning's signal).
        assert f'href="/holding/notices/{notice.pk}/"' in plan_page
        assert client.get(url).status_code == 403
        assert client.post(f"/holding/notices/{notice.pk}/withdraw/").status_code == 403
    # A carer the person consents to share with reads the plan, so its notice too (issue
    # 13, "carers count"), and cannot withdraw it.
    client.force_login(council.users[Role.CARER])
    assert client.get(f"/holding/notices/{notice.pk}/").status_code == 200
    assert client.post(f"/holding/notices/{notice.pk}/withdraw/").status_code == 403
    # Someone who cannot see the plan cannot see the notice.
    from tests.factories import make_user

    client.force_login(make_user("team-b-pr", [Role.PRACTITIONER], teams=[council.team_b]))
    assert client.get(f"/holding/notices/{notice.pk}/").status_code == 404
    assert client.get(f"/holding/notices/{notice.pk}/letter.pdf").status_code == 404
    # The practitioner withdraws it before it takes effect.
    client.force_login(council.users[Role.PRACTITIONER])
    client.post(f"/holding/notices/{notice.pk}/withdraw/")
    notice.refresh_from_db()
    assert notice.status == "withdrawn"
    client.force_login(council.users[Role.HOLDER])
    assert f"/holding/notices/{notice.pk}/" not in client.get("/home/").content.decode()


def test_notice_from_a_review_page(client: Any, council: Any) -> None:
    plan = plan_with_lines(council, lines=MIXED)
    review = Review.objects.create(
        plan=plan,
        kind="change",
        due_date=dt.date.today(),
        status="done",
        completed_on=dt.date.today(),
    )
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/plans/reviews/{review.pk}/").content.decode()
    link = f"/holding/plans/{plan.pk}/notices/new/?review={review.pk}"
    assert link in page
    client.post(
        link,
        {
            "change": "reduce",
            "applies_to": "budget",
            "new_amount": "90.00",
            "reasons": "Fewer days",
            "takes_effect_on": (dt.date.today() + dt.timedelta(days=28)).isoformat(),
        },
    )
    assert ChangeNotice.objects.get().review == review
    # A review of another plan is not found.
    other = plan_with_lines(council, lines=MIXED)
    assert (
        client.get(f"/holding/plans/{other.pk}/notices/new/?review={review.pk}").status_code == 404
    )
