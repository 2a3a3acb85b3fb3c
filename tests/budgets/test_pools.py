"""Pooled budgets: a share is paid from a line of the person's own approved plan, held as a
direct payment, ISF or third-party account; a holder sees the pool and their own share,
never the other members' names or shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Max

from selfdirect.access.roles import Role
from selfdirect.allocation.models import Allocation, RasVersion
from selfdirect.assessment.models import Questionnaire
from selfdirect.assessment.services import assessment_start
from selfdirect.audit.models import Event
from selfdirect.budgets import pooling
from selfdirect.budgets.models import PoolShare
from selfdirect.planning.models import PlanLine, SupportPlan
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def plan_with_lines(
    council: Any,
    person: Any = None,
    lines: tuple[tuple[str, str, int], ...] = (("Art group", "direct_payment", 3000),),
    status: str = SupportPlan.Status.APPROVED,
) -> SupportPlan:
    """An approved plan (test data) whose lines each cost the given pence a week."""
    person = person or council.holder_person
    practitioner = council.users[Role.PRACTITIONER]
    if person == council.holder_person:
        assessment = council.holder_assessment
    else:
        assessment = assessment_start(
            actor=practitioner,
            person=person,
            questionnaire=Questionnaire.objects.get(code="self-assessment"),
            mode="practitioner",
        )
    version = RasVersion.objects.get(code="default-ras")
    weekly = sum(cost for _d, _h, cost in lines)
    allocation = Allocation.objects.create(
        person=person,
        assessment=assessment,
        ras_version=version,
        ras_hash=version.content_hash,
        inputs={"user_group": "older_people", "answers": {}, "flags": {}},
        explanation={},
        indicative_weekly_pence=weekly,
        indicative_annual_pence=weekly * 52,
        agreed_weekly_pence=weekly,
        status=Allocation.Status.APPROVED,
        created_by=practitioner,
    )
    number = (SupportPlan.objects.filter(person=person).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = SupportPlan.objects.create(
        person=person,
        allocation=allocation,
        version=number,
        led_by="person",
        starts_on=TODAY - dt.timedelta(days=30),
        status=status,
        created_by=practitioner,
    )
    for description, deployment, cost in lines:
        PlanLine.objects.create(
            plan=plan,
            description=description,
            category="day_activity",
            unit="week",
            unit_cost_pence=cost,
            quantity_hundredths=100,
            funding_stream="adult_social_care",
            deployment=deployment,
        )
    return plan


def second_holder(council: Any) -> tuple[Any, Any]:
    """Another holder in team A, with their own sign-in."""
    person = PersonFactory(team=council.team_a, given_name="Cal", family_name="Second")
    return person, make_user("holder-two", [Role.HOLDER], person=person)


def _pool(council: Any, name: str = "Tuesday art group") -> Any:
    return pooling.pool_create(
        actor=council.users[Role.PRACTITIONER],
        name=name,
        activity="A weekly art class with a tutor, shared by four people",
        organisation=None,
        starts_on=TODAY - dt.timedelta(days=7),
    )


def test_a_share_is_paid_from_a_line_of_the_persons_own_approved_plan(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    pool = _pool(council)
    line = plan_with_lines(council).lines.get()
    share = pooling.pool_share_add(
        actor=practitioner, pool=pool, line=line, weekly_pence=1200, joined_on=TODAY
    )
    assert (share.person, share.line, share.weekly_pence) == (council.holder_person, line, 1200)
    event = Event.objects.get(object_type="pool_share", object_id=str(share.pk))
    assert event.person_id == council.holder_person.pk
    assert "£12.00 a week" in event.summary
    assert Event.objects.filter(object_type="pool", object_id=str(pool.pk)).exists()


@pytest.mark.parametrize(
    ("case", "deployment", "status", "weekly", "joined_days", "field", "message"),
    [
        (
            "council-commissioned service cannot be pooled",
            "council_commissioned",
            "approved",
            1000,
            0,
            "line",
            pooling.LINE_NOT_POOLABLE,
        ),
        (
            "managed account held by the council cannot be pooled",
            "managed_account",
            "approved",
            1000,
            0,
            "line",
            pooling.LINE_NOT_POOLABLE,
        ),
        (
            "plan not yet approved",
            "direct_payment",
            "draft",
            1000,
            0,
            "line",
            pooling.LINE_NOT_FOUND,
        ),
        (
            "no share",
            "direct_payment",
            "approved",
            0,
            0,
            "weekly_pence",
            pooling.SHARE_NOT_POSITIVE,
        ),
        (
            "more than the line costs",
            "direct_payment",
            "approved",
            3001,
            0,
            "weekly_pence",
            "The share cannot be more than the line's cost of £30.00 a week",
        ),
        (
            "joins before the pool starts",
            "isf",
            "approved",
            1000,
            -30,
            "joined_on",
            pooling.JOINED_BEFORE_POOL,
        ),
    ],
)
def test_share_rules(
    council: Any,
    case: str,
    deployment: str,
    status: str,
    weekly: int,
    joined_days: int,
    field: str,
    message: str,
) -> None:
    pool = _pool(council)
    line = plan_with_lines(council, lines=(("Art", deployment, 3000),), status=status).lines.get()
    with pytest.raises(pooling.PoolError) as refused:
        pooling.pool_share_add(
            actor=council.users[Role.PRACTITIONER],
            pool=pool,
            line=line,
            weekly_pence=weekly,
            joined_on=TODAY + dt.timedelta(days=joined_days),
        )
    assert (refused.value.field, str(refused.value)) == (field, message), case
    assert not PoolShare.objects.exists()


def test_isf_and_third_party_lines_can_be_pooled(council: Any) -> None:
    pool = _pool(council)
    plan = plan_with_lines(council, lines=(("A", "isf", 1000), ("B", "third_party", 1000)))
    for line, other_pool in zip(plan.lines.all(), (pool, _pool(council, "Walks")), strict=True):
        pooling.pool_share_add(
            actor=council.users[Role.PRACTITIONER],
            pool=other_pool,
            line=line,
            weekly_pence=500,
            joined_on=TODAY,
        )
    assert PoolShare.objects.count() == 2


def test_one_current_share_per_person_and_a_line_pays_no_more_than_it_costs(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    pool, walks = _pool(council), _pool(council, "Walking group")
    line = plan_with_lines(council).lines.get()  # £30.00 a week
    share = pooling.pool_share_add(
        actor=practitioner, pool=pool, line=line, weekly_pence=2000, joined_on=TODAY
    )
    with pytest.raises(pooling.PoolError, match=pooling.ALREADY_IN_POOL):
        pooling.pool_share_add(
            actor=practitioner, pool=pool, line=line, weekly_pence=500, joined_on=TODAY
        )
    with pytest.raises(pooling.PoolError) as refused:
        pooling.pool_share_add(
            actor=practitioner, pool=walks, line=line, weekly_pence=1001, joined_on=TODAY
        )
    assert str(refused.value) == (
        "The share cannot be more than the line's cost of £30.00 a week, "
        "less the £20.00 a week it already pays to other pools"
    )
    pooling.pool_share_end(actor=practitioner, share=share, left_on=TODAY)
    with pytest.raises(pooling.PoolError, match=pooling.SHARE_ALREADY_ENDED):
        pooling.pool_share_end(actor=practitioner, share=share, left_on=TODAY)
    # Once the share has ended the person may join again.
    again = pooling.pool_share_add(
        actor=practitioner, pool=pool, line=line, weekly_pence=3000, joined_on=TODAY
    )
    assert again.pk != share.pk


def test_a_line_of_a_plan_the_actor_cannot_see_is_refused(council: Any) -> None:
    pool = _pool(council)
    line = plan_with_lines(council, person=council.other_person).lines.get()  # team B
    with pytest.raises(pooling.PoolError, match=pooling.LINE_NOT_FOUND):
        pooling.pool_share_add(
            actor=council.users[Role.PRACTITIONER],
            pool=pool,
            line=line,
            weekly_pence=1000,
            joined_on=TODAY,
        )


def test_pool_needs_a_name_and_an_activity(council: Any) -> None:
    for name, activity, field in (("", "Art", "name"), ("Art", " ", "activity")):
        with pytest.raises(pooling.PoolError) as refused:
            pooling.pool_create(
                actor=council.users[Role.PRACTITIONER],
                name=name,
                activity=activity,
                organisation=None,
                starts_on=TODAY,
            )
        assert refused.value.field == field


def _pool_of_two(council: Any) -> tuple[Any, Any, Any]:
    """A pool shared by the holder (£12 a week) and a second holder (£17 a week)."""
    practitioner = council.users[Role.PRACTITIONER]
    pool = _pool(council)
    person, user = second_holder(council)
    for who, pence in ((council.holder_person, 1200), (person, 1700)):
        pooling.pool_share_add(
            actor=practitioner,
            pool=pool,
            line=plan_with_lines(council, person=who).lines.get(),
            weekly_pence=pence,
            joined_on=TODAY,
        )
    return pool, person, user


def test_a_holder_sees_the_pool_and_their_own_share_never_the_others(
    client: Any, council: Any
) -> None:
    pool, _second, second_user = _pool_of_two(council)
    holder = council.users[Role.HOLDER]
    summary = pooling.pool_summary(holder, pool)
    assert (summary.members, summary.total_weekly_pence) == (2, 2900)
    assert [s.person for s in summary.own_shares] == [council.holder_person]
    client.force_login(holder)
    for url in ("/holding/pools/", f"/holding/pools/{pool.pk}/"):
        page = client.get(url).content.decode()
        assert "Tuesday art group" in page and "£29.00" in page and "£12.00" in page
        assert "Second" not in page and "£17.00" not in page
    # The representative sees the holder's share, as the holder does.
    client.force_login(council.users[Role.REPRESENTATIVE])
    page = client.get(f"/holding/pools/{pool.pk}/").content.decode()
    assert "£12.00" in page and "Second" not in page and "£17.00" not in page
    client.force_login(second_user)
    page = client.get(f"/holding/pools/{pool.pk}/").content.decode()
    assert "£17.00" in page and "Holder" not in page and "£12.00" not in page
    # Staff see every share of people on their caseload.
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/holding/pools/{pool.pk}/").content.decode()
    assert "Ada Holder" in page and "Cal Second" in page


def test_people_outside_a_pool_do_not_see_it(client: Any, council: Any) -> None:
    pool, _second, _user = _pool_of_two(council)
    team_b = make_user("team-b-practitioner", [Role.PRACTITIONER], teams=[council.team_b])
    assert not pooling.pools_for(team_b).exists()
    client.force_login(team_b)
    assert client.get(f"/holding/pools/{pool.pk}/").status_code == 404
    outsider = PersonFactory(team=council.team_a)
    client.force_login(make_user("outsider", [Role.HOLDER], person=outsider))
    assert client.get(f"/holding/pools/{pool.pk}/").status_code == 404
    assert "Tuesday art group" not in client.get("/holding/pools/").content.decode()
    client.force_login(council.users[Role.CARER])
    assert client.get(f"/holding/pools/{pool.pk}/").status_code == 403


def test_pages_set_up_a_pool_and_add_a_share(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.post("/holding/pools/new/", {"name": "", "activity": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Error: " in html and "Describe the shared activity" in html
    response = client.post(
        "/holding/pools/new/",
        {
            "name": "Swimming",
            "activity": "Pool hire and an instructor",
            "organisation": "",
            "starts_on": TODAY.isoformat(),
        },
    )
    pool_id = int(response["Location"].rstrip("/").split("/")[-1])
    line = plan_with_lines(council).lines.get()
    plan_with_lines(council, person=council.other_person)  # team B: not offered
    form = client.get(f"/holding/pools/{pool_id}/shares/new/").content.decode()
    assert "Ada Holder" in form and "Bea Other" not in form
    refused = client.post(
        f"/holding/pools/{pool_id}/shares/new/",
        {"line": line.pk, "weekly": "31.00", "joined_on": TODAY.isoformat()},
    ).content.decode()
    assert "The share cannot be more than the line&#x27;s cost of £30.00 a week" in refused
    assert 'id="id_weekly-error"' in refused
    assert not PoolShare.objects.exists()
    client.post(
        f"/holding/pools/{pool_id}/shares/new/",
        {"line": line.pk, "weekly": "10.50", "joined_on": TODAY.isoformat()},
    )
    share = PoolShare.objects.get()
    assert share.weekly_pence == 1050
    # The plan page says how much of the line is the person's share.
    client.force_login(council.users[Role.HOLDER])
    plan_page = client.get(f"/plans/{line.plan_id}/").content.decode()
    assert "£10.50 a week of this is your share of" in plan_page and "Swimming" in plan_page
    # Ending the share (staff only) keeps it on record.
    assert client.post(f"/holding/pools/{pool_id}/shares/{share.pk}/end/").status_code == 403
    client.force_login(council.users[Role.PRACTITIONER])
    client.post(f"/holding/pools/{pool_id}/shares/{share.pk}/end/")
    share.refresh_from_db()
    assert share.left_on == TODAY
