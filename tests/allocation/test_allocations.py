"""Indicative budgets from agreed assessments: explained, recomputable, signed off, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, RasVersion
from selfdirect.assessment import services as assessments
from selfdirect.assessment.eligibility import Findings, Unable
from selfdirect.audit.models import Event
from selfdirect.planning.figures import assessed_contribution_record

pytestmark = pytest.mark.django_db

AGREED = {
    "nutrition": "some",
    "hygiene": "most",
    "toilet": "some",
    "dressing": "most",
    "home_safety": "some",
    "night_care": "none",
    "two_workers": "no",
    "carer": "willing_able",
}


def _agree(council: Any, answers: dict[str, str] = AGREED, eligible: bool = True) -> Any:
    assessment = council.holder_assessment
    practitioner = council.users[Role.PRACTITIONER]
    for section in assessment.version.parsed.sections_for(assessment.user_group):
        option = answers.get(section.id, section.options[0].id)
        assessments.answer_record(
            actor=practitioner,
            assessment=assessment,
            section_id=section.id,
            option_id=option,
            view="agreed",
        )
    assessments.assessment_agree(actor=practitioner, assessment=assessment)
    unable = (
        {"A": frozenset({Unable.WITHOUT_ASSISTANCE}), "B": frozenset({Unable.WITHOUT_ASSISTANCE})}
        if eligible
        else {}
    )
    assessments.eligibility_decide(
        actor=practitioner,
        assessment=assessment,
        findings=Findings(True, unable, True),
        decided_on=dt.date.today(),
    )
    return assessment


def test_indicative_budget_matches_the_documented_example_and_recomputes(council: Any) -> None:
    assessment = _agree(council)
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER],
        assessment=assessment,
        flags={"rural": False, "agency": False},
        previous_package_weekly_pence=9000,
    )
    # The same answers as R001 in docs/samples/ras-answers-example.csv: 28 points × £3.30, less 20% for a willing carer.
    assert allocation.explanation["total_points"] == 28
    assert (
        allocation.indicative_weekly_pence == 7400
        and allocation.indicative_annual_pence == 7400 * 52
    )
    assert allocation.ras_hash == allocation.ras_version.content_hash
    assert (
        services.allocation_recompute(allocation)["weekly_pence"]
        == allocation.indicative_weekly_pence
    )
    assert Event.objects.filter(
        object_type="allocation", person=council.holder_person, summary__contains="£74.00"
    ).exists()


def test_refused_before_agreement_or_when_not_eligible(council: Any) -> None:
    with pytest.raises(services.AllocationError, match=services.NOT_AGREED):
        services.allocation_calculate(
            actor=council.users[Role.PRACTITIONER], assessment=council.holder_assessment, flags={}
        )
    assessment = _agree(council, eligible=False)
    with pytest.raises(services.AllocationError, match=services.NOT_ELIGIBLE):
        services.allocation_calculate(
            actor=council.users[Role.PRACTITIONER], assessment=assessment, flags={}
        )


def test_a_changed_ras_version_is_detected(council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    RasVersion.objects.filter(pk=allocation.ras_version_id).update(
        definition={**allocation.ras_version.definition, "floor_weekly_pence": 0}
    )
    allocation.refresh_from_db()
    with pytest.raises(services.AllocationError, match="content has changed"):
        services.allocation_recompute(allocation)


def test_sign_off_rules(council: Any) -> None:
    manager = council.users[Role.MANAGER]
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    with pytest.raises(services.AllocationError, match=services.GIVE_REASON):
        services.allocation_sign_off(
            actor=manager, allocation=allocation, decision="adjust", agreed_weekly_pence=9000
        )
    with pytest.raises(services.AllocationError, match=services.GIVE_RETURN_REASON):
        services.allocation_sign_off(actor=manager, allocation=allocation, decision="return")
    services.allocation_sign_off(
        actor=manager,
        allocation=allocation,
        decision="adjust",
        agreed_weekly_pence=9000,
        reason_code="transitional_protection",
        reason="Protect the current package for a year.",
    )
    allocation.refresh_from_db()
    assert (
        allocation.status,
        allocation.indicative_weekly_pence,
        allocation.agreed_weekly_pence,
    ) == (Allocation.Status.APPROVED, 7400, 9000)
    with pytest.raises(services.AllocationError, match=services.ALREADY_DECIDED):
        services.allocation_sign_off(actor=manager, allocation=allocation, decision="approve")


def test_pages_explain_the_amount_to_the_person_and_staff(client: Any, council: Any) -> None:
    assessment = _agree(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Work out the indicative budget" in page
    bad = client.post(
        f"/budgets/from-assessment/{assessment.pk}/", {"previous_package": "lots"}
    ).content.decode()
    assert "Enter an amount in pounds, like 125.50" in bad
    response = client.post(
        f"/budgets/from-assessment/{assessment.pk}/", {"rural": "on", "previous_package": "90.00"}
    )
    allocation = Allocation.objects.get(assessment=assessment)
    assert response["Location"] == f"/budgets/{allocation.pk}/"
    assert allocation.inputs["flags"] == {"agency": False, "rural": True}
    staff = client.get(response["Location"]).content.decode()
    assert "the same as stored" in staff and "Previous package" in staff
    client.force_login(council.users[Role.HOLDER])
    home = client.get("/home/").content.decode()
    assert f"/budgets/{allocation.pk}/" in home
    mine = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert "Your indicative budget" in mine
    assert "This is an indicative amount. It can go up or down as the support plan is made." in mine
    assert "Your agreed answers scored <strong>28 points</strong>" in mine
    assert "Previous package" not in mine
    client.force_login(council.users[Role.MANAGER])
    assert f"/budgets/{allocation.pk}/" in client.get("/home/").content.decode()
    empty = client.post(f"/budgets/{allocation.pk}/sign-off/", {}).content.decode()
    assert "Select a decision" in empty
    client.post(f"/budgets/{allocation.pk}/sign-off/", {"decision": "approve"})
    allocation.refresh_from_db()
    assert (
        allocation.status == Allocation.Status.APPROVED
        and allocation.agreed_weekly_pence == allocation.indicative_weekly_pence
    )


def test_easy_read_for_people_who_need_it(client: Any, council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    type(council.holder_person).objects.filter(pk=council.holder_person.pk).update(
        needs_easy_read=True
    )
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert 'id="easy-read-title"' in page  # first, open (docs/easy-read.md)
    assert "Your budget is <strong>£" in page and "This is money for your support." in page


def test_statement_and_pdf_letter(client: Any, council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    manager = council.users[Role.MANAGER]
    with pytest.raises(services.AllocationError, match=services.CONTRIBUTIONS_TOO_HIGH):
        services.allocation_sign_off(
            actor=manager,
            allocation=allocation,
            decision="approve",
            other_public_funding_weekly_pence=7500,
            other_public_funding_source="NHS continuing healthcare",
        )
    with pytest.raises(services.AllocationError, match=services.NAME_THE_FUNDING):
        services.allocation_sign_off(
            actor=manager,
            allocation=allocation,
            decision="approve",
            other_public_funding_weekly_pence=1000,
        )
    services.allocation_sign_off(
        actor=manager,
        allocation=allocation,
        decision="approve",
        other_public_funding_weekly_pence=2000,
        other_public_funding_source="NHS continuing healthcare",
    )
    # The contribution comes from the financial assessment, recorded on its own (issue 11).
    assessed_contribution_record(
        actor=council.users[Role.FINANCE],
        person=allocation.person,
        weekly_pence=1500,
        effective_from=dt.date(2020, 1, 1),
        source_reference="FA-1234",
    )
    allocation.refresh_from_db()
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert "Assessed contribution" in page and "£15.00 a week" in page
    # No plan yet: the council pays the personal budget less the contribution and the NHS money.
    assert "Council&#x27;s contribution" in page and "£39.00 a week" in page
    assert "Other public money: NHS continuing healthcare" in page and "£20.00 a week" in page
    pdf = client.get(f"/budgets/{allocation.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    client.force_login(council.users[Role.COMMISSIONER])
    assert client.get(f"/budgets/{allocation.pk}/letter.pdf").status_code == 403


def test_managers_sign_off_up_to_their_limit_and_the_panel_above(client: Any, council: Any) -> None:
    from selfdirect.access.models import Profile
    from tests.factories import make_user

    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    manager = council.users[Role.MANAGER]
    Profile.objects.filter(user=manager).update(sign_off_limit_weekly_pence=5000)
    manager.refresh_from_db()
    with pytest.raises(
        services.AllocationError,
        match=r"above your sign-off limit of £50\.00 a week: it needs the panel",
    ):
        services.allocation_sign_off(actor=manager, allocation=allocation, decision="approve")
    # Returning for rework needs no limit; the panel (no limit) approves.
    panel = make_user("panel", [Role.MANAGER], manages=[council.team_a])
    services.allocation_sign_off(actor=panel, allocation=allocation, decision="approve")
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.APPROVED


def test_admin_sets_a_sign_off_limit(client: Any, council: Any) -> None:
    manager = council.users[Role.MANAGER]
    client.force_login(council.users[Role.ADMIN])
    data = {
        "first_name": "M",
        "last_name": "E",
        "email": "",
        "roles": [Role.MANAGER],
        "manages": [council.team_a.pk],
        "sign_off_limit": "700.00",
    }
    assert client.post(f"/admin/users/{manager.pk}/", data).status_code == 302
    manager.profile.refresh_from_db()
    assert manager.profile.sign_off_limit_weekly_pence == 70000
    assert (
        "Enter an amount in pounds"
        in client.post(
            f"/admin/users/{manager.pk}/", {**data, "sign_off_limit": "lots"}
        ).content.decode()
    )
